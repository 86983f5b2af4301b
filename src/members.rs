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

use crate::codec::{ALPHABET, digit_value};

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
    pub fn of<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> Option<Members> {
        if keys.len() > MEMBERS_MAX {
            return None;
        }
        let mut set = vec![0u8; (keys.len() * BITS_PER_PAGE).div_ceil(8).max(1)];
        let size = set.len() as u32 * 8;
        for key in keys {
            for j in positions(key, HASHES, size) {
                set[(j / 8) as usize] |= 1 << (j % 8);
            }
        }
        Some(Members { hashes: HASHES, bits: base64(&set) })
    }

    /// Whether the lists may hold `key`: false only for a page they do
    /// not hold. A filter that is not one (no bytes, not base64, more than
    /// 16 hashes) says "maybe" to every page, as the shim's does.
    pub fn may_hold(&self, key: &str) -> bool {
        let Some(set) = unbase64(&self.bits).filter(|set| !set.is_empty() && set.len() < 1 << 28) else {
            return true;
        };
        self.hashes > 16
            || positions(key, self.hashes, set.len() as u32 * 8)
                .all(|j| set[(j / 8) as usize] >> (j % 8) & 1 == 1)
    }
}

/// Standard base64, padded.
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            let digit = if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] } else { b'=' };
            out.push(digit as char);
        }
    }
    out
}

/// The bytes of standard base64 (padded or not), as `atob` reads it; None
/// where `atob` throws.
fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_suffix("==").or_else(|| text.strip_suffix('=')).unwrap_or(text);
    if text.len() % 4 == 1 {
        return None;
    }
    let digits: Vec<u8> = text.bytes().map(digit_value).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        out.extend((0..chunk.len() - 1).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(n: usize, prefix: &str) -> Vec<String> {
        (0..n).map(|i| format!("/{prefix}/{i:05}.html")).collect()
    }

    fn filter(keys: &[String]) -> Option<Members> {
        Members::of(keys.iter().map(String::as_str))
    }

    #[test]
    fn a_filter_holds_every_page_and_few_others() {
        let held = keys(2_225, "news");
        let members = filter(&held).expect("within the limit");
        assert_eq!(unbase64(&members.bits).map(|set| set.len()), Some(2_225));
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
    fn base64_reads_back_as_atob_reads_it() {
        for n in 0..10u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(97).wrapping_add(200)).collect();
            let text = base64(&bytes);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(unbase64(&text), Some(bytes.clone()));
            assert_eq!(unbase64(text.trim_end_matches('=')), Some(bytes));
        }
        assert_eq!(base64(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
        assert_eq!(unbase64("A"), None);
        assert_eq!(unbase64("A!"), None);
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
