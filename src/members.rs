//! Which pages a small index's lists hold, told in its manifest
//! (`lists.members`): a Bloom filter of their URL keys, so that a page the
//! index does not hold goes straight to the engine instead of fetching a
//! list file to find it absent (a round trip and a list file's bytes on
//! the engine path; www/lib/lists.js `mayHold` reads it).
//!
//! The manifest is the file every reader fetches, so the filter costs
//! every indexed page its bytes: a byte a page, so only indexes of up to
//! `MEMBERS_MAX` pages carry one (4 KB at most, about a list file; past
//! that the round trip stays). A Bloom filter answers "maybe" for every
//! page it holds and for about 2% of the others (`BITS_PER_PAGE`,
//! `HASHES`), which then look in their list file as before: it never
//! sends an indexed page to the engine.
//!
//! The filter is the standard base64 of its bytes, as the browser's
//! `atob` reads it (bit `j` is bit `j % 8` of byte `j / 8`): a JSON string
//! that gzip leaves at about its raw size. A page's `HASHES` bits are
//! `(h + i·r) mod bits` for `i` below `HASHES` (double hashing), `h` the
//! 32-bit FNV-1a hash of its URL key that files its list
//! (`text::list_bucket_of`), `r` its halves swapped, made odd.

use serde::{Deserialize, Serialize};

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

/// Bits of filter a page: with `HASHES` hashes, about 2.2% false "maybe"s.
pub const BITS_PER_PAGE: usize = 8;
/// Bits each page sets and a reader tests.
pub const HASHES: u32 = 5;
/// The most pages whose index carries a filter (4,096 bytes of it).
pub const MEMBERS_MAX: usize = 4_096;

/// The manifest's `lists.members`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Members {
    /// Bits each page sets.
    pub hashes: u32,
    /// The filter's bytes in base64.
    pub bits: String,
}

/// The bits of `key` in a filter of `bits` bits.
fn positions(key: &str, hashes: u32, bits: u32) -> impl Iterator<Item = u32> {
    let h = crate::text::list_bucket_of(key, 32);
    let r = h.rotate_left(16) | 1;
    (0..hashes).map(move |i| h.wrapping_add(i.wrapping_mul(r)) % bits)
}

impl Members {
    /// The filter of `keys` (URL keys, `text::url_key`), or None for more
    /// than `MEMBERS_MAX` of them.
    pub fn of(keys: impl ExactSizeIterator<Item = impl AsRef<str>>) -> Option<Members> {
        if keys.len() > MEMBERS_MAX {
            return None;
        }
        let mut set = vec![0u8; (keys.len() * BITS_PER_PAGE).div_ceil(8).max(1)];
        let size = set.len() as u32 * 8;
        for key in keys {
            for j in positions(key.as_ref(), HASHES, size) {
                set[(j / 8) as usize] |= 1 << (j % 8);
            }
        }
        Some(Members { hashes: HASHES, bits: STANDARD.encode(set) })
    }

    /// The filter's bytes (as gzipped: base64 of random bits shrinks back
    /// to about them).
    pub fn bytes(&self) -> usize {
        (self.bits.len() / 4 * 3)
            .saturating_sub(self.bits.bytes().rev().take_while(|&b| b == b'=').count().min(2))
    }

    /// Whether the lists may hold `key`: false only for a page they do
    /// not hold. A filter that is not one (no bytes, not base64, more than
    /// 16 hashes) says "maybe" to every page, as the shim's does.
    pub fn may_hold(&self, key: &str) -> bool {
        let Some(set) = ATOB.decode(&self.bits).ok().filter(|set| !set.is_empty() && set.len() < 1 << 28)
        else {
            return true;
        };
        self.hashes > 16
            || positions(key, self.hashes, set.len() as u32 * 8)
                .all(|j| set[(j / 8) as usize] >> (j % 8) & 1 == 1)
    }
}

/// Standard base64 as `atob` reads it: padded or not.
const ATOB: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(n: usize, prefix: &str) -> Vec<String> {
        (0..n).map(|i| format!("/{prefix}/{i:05}.html")).collect()
    }

    fn filter(keys: &[String]) -> Option<Members> {
        Members::of(keys.iter())
    }

    #[test]
    fn a_filter_holds_every_page_and_few_others() {
        let held = keys(2_225, "news");
        let members = filter(&held).expect("within the limit");
        assert_eq!(ATOB.decode(&members.bits).map(|set| set.len()).ok(), Some(2_225));
        assert_eq!(members.bytes(), 2_225);
        assert_eq!(Members { hashes: HASHES, bits: "==".into() }.bytes(), 0, "not a filter");
        assert!(held.iter().all(|k| members.may_hold(k)));
        let others = keys(20_000, "other");
        let wrong = others.iter().filter(|k| members.may_hold(k)).count();
        // 2.2% expected for 8 bits and 5 hashes; a broken mix gives far more.
        assert!((200..=700).contains(&wrong), "{wrong} of 20,000 others answered maybe");
    }

    #[test]
    fn only_small_indexes_carry_one() {
        assert!(filter(&keys(MEMBERS_MAX, "a")).is_some());
        assert!(filter(&keys(MEMBERS_MAX + 1, "a")).is_none());
        let none = filter(&[]).expect("an empty index");
        assert!(!none.may_hold("/a.html"), "an empty index's filter holds nothing");
    }

    #[test]
    fn a_filter_that_is_not_one_says_maybe() {
        let members = filter(&keys(100, "a")).expect("small");
        assert!(!members.may_hold("/b/1.html") || !members.may_hold("/b/2.html"));
        for broken in [
            Members { hashes: 0, ..members.clone() },
            Members { hashes: 17, ..members.clone() },
            Members { bits: format!("{}AAA", members.bits.trim_end_matches('=')), ..members.clone() },
            Members { bits: String::new(), ..members.clone() },
            Members { bits: "!".repeat(members.bits.len()), ..members.clone() },
        ] {
            assert!((0..50).all(|i| broken.may_hold(&format!("/b/{i}.html"))), "{broken:?}");
        }
    }

    #[test]
    fn the_filter_is_read_padded_or_not_as_atob_reads_it() {
        let members = filter(&keys(100, "a")).expect("small");
        assert!(members.bits.ends_with('='), "100 bytes pad");
        let unpadded = Members { bits: members.bits.trim_end_matches('=').into(), ..members.clone() };
        let probes = keys(300, "b");
        assert!(probes.iter().all(|k| unpadded.may_hold(k) == members.may_hold(k)));
        assert!(probes.iter().any(|k| !members.may_hold(k)));
    }

    proptest! {
        #[test]
        fn no_page_held_is_ever_refused(held in prop::collection::vec("/[a-z0-9/._%?=&-]{0,40}", 0..300)) {
            let members = filter(&held).expect("small");
            for key in &held {
                prop_assert!(members.may_hold(key));
            }
        }
    }

    /// Filters and pages whose answers the shim's `mayHold`
    /// (www/lib/lists.js) must give as this module does
    /// (tests/e2e/layout-vectors.test.mjs): small filters, so that some
    /// pages not held answer maybe.
    #[test]
    fn member_vectors_match_the_fixture() {
        let json = |value: &str| serde_json::to_string(value).unwrap();
        let mut cases = Vec::new();
        let (mut maybes, mut refused) = (0, 0);
        for (n, prefix) in [(1, "a"), (3, "b"), (12, "sport"), (40, "caf%C3%A9")] {
            let held = keys(n, prefix);
            let members = filter(&held).expect("small");
            let probes: Vec<String> =
                held.iter().cloned().chain(keys(60, "x")).chain(["/".into(), "/news?a=1".into()]).collect();
            let answers: Vec<String> =
                probes.iter().map(|k| format!("[{}, {}]", json(k), members.may_hold(k))).collect();
            let others = &probes[n..];
            maybes += others.iter().filter(|k| members.may_hold(k)).count();
            refused += others.len() - others.iter().filter(|k| members.may_hold(k)).count();
            cases.push(format!(
                "  {{\"hashes\": {}, \"bits\": {}, \"held\": {n}, \"probes\": [{}]}}",
                members.hashes,
                json(&members.bits),
                answers.join(", ")
            ));
        }
        // Both answers for pages not held, so that the shim's are tested.
        assert!(maybes > 0 && refused > 0, "{maybes} maybes, {refused} refusals");
        let text = format!("[\n{}\n]\n", cases.join(",\n"));
        crate::golden::check(
            "tests/fixtures/member-vectors.json",
            &text,
            "member_vectors",
            " and check the shim's module with `node --test tests/e2e/layout-vectors.test.mjs`",
        );
    }
}
