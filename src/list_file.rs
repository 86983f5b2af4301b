//! A list file of layout 2 (`l/<bucket>-<generation>.json`, see
//! `layout.rs`): the related lists of the indexed pages whose URL keys fall
//! in its bucket (`layout::bucket_of_key`), keyed by URL key, each as the
//! box shows it (`format::Listed`). The shim reads them
//! (`www/lib/lists.js`); the engine never does.
//!
//! An incremental build's recent-list files (`r/`) are list files too:
//! `pages` holds the new articles' lists whole, and `patches` the old
//! pages' lists that a new article entered, each as a patch on its base
//! list (`patch`, `apply`): the entries the base list holds by position,
//! only the others (the new articles, mostly) written whole.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(not(target_arch = "wasm32"))]
use crate::error::Error;
use crate::format::Listed;

/// The `format` of a list file.
pub const LIST_FORMAT: &str = "alike-lists";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListFile {
    pub format: String,
    pub version: u32,
    pub bucket: u32,
    pub pages: BTreeMap<String, Vec<Listed>>,
    /// Recent-list files only: per old page, the edit that turns its list
    /// in the base's list file into its list now. A reader that knows no
    /// patches reads the base's list: stale, never wrong.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub patches: BTreeMap<String, Vec<Edit>>,
}

impl ListFile {
    /// The list file of `bucket` holding `pages` (no patches).
    pub fn new(bucket: u32, pages: BTreeMap<String, Vec<Listed>>) -> ListFile {
        ListFile {
            format: LIST_FORMAT.to_string(),
            version: crate::manifest::LAYOUT2_VERSION,
            bucket,
            pages,
            patches: BTreeMap::new(),
        }
    }

    /// Its bytes as a static host serves it, gzipped (what a reader
    /// fetches; the build weighs files by it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn gzipped_len(&self) -> usize {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(self.to_json().as_bytes()).expect("writing to memory cannot fail");
        encoder.finish().expect("writing to memory cannot fail").len()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<ListFile, Error> {
        crate::manifest::read_checked(json, LIST_FORMAT, "a list file")
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// One entry of a patched list: in JSON a number is the base list's entry
/// at that position (from 0), as the base wrote it, and an object is an
/// entry written whole. `[0, 1, 2, {"url": ...}, 3, 4, 5, 6, 7, 8]` is a
/// ten-entry list that a new article entered at rank 4.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Edit {
    Base(u32),
    Whole(Listed),
}

/// The patch that turns `base` into `now`, entries told apart by URL:
/// each entry of `now` that `base` holds is named by its position there
/// (it keeps the base's fields: its score may have drifted by a
/// hundredth, stale, not wrong), any other is written whole.
#[cfg(not(target_arch = "wasm32"))]
pub fn patch(base: &[Listed], now: &[Listed]) -> Vec<Edit> {
    now.iter()
        .map(|entry| match base.iter().position(|b| b.url == entry.url) {
            Some(at) => Edit::Base(at as u32),
            None => Edit::Whole(entry.clone()),
        })
        .collect()
}

/// An old page's list after new articles entered it: `fresh`, the list a
/// fresh ranking gives, keeps its new entries (`is_new`: articles since
/// the base) where it ranks them, and every other place takes the next of
/// `base`'s entries, in `base`'s order. So only what the new articles
/// changed is written: the drift of a fresh ranking (near ties reordered
/// as df moves, an old article in or out at the tail: BBC, 1% new, 182 of
/// a step's 389 entries written whole) is not, and `patch` names all but
/// the new entries by position. A base entry whose story (`story`, by
/// URL) a new entry shares is left out, as the fresh ranking leaves out
/// copies; when `base` runs short, `fresh`'s other old entries follow.
#[cfg(not(target_arch = "wasm32"))]
pub fn with_new(
    base: &[Listed],
    fresh: &[Listed],
    is_new: impl Fn(&str) -> bool,
    story: impl Fn(&str) -> Option<u32>,
) -> Vec<Listed> {
    let new_stories: Vec<u32> =
        fresh.iter().filter(|e| is_new(&e.url)).filter_map(|e| story(&e.url)).collect();
    let copy = |e: &Listed| story(&e.url).is_some_and(|s| new_stories.contains(&s));
    let kept = base.iter().filter(|e| !is_new(&e.url) && !copy(e));
    let others = fresh.iter().filter(|e| !is_new(&e.url) && !base.iter().any(|b| b.url == e.url));
    let mut old = kept.chain(others);
    fresh
        .iter()
        .filter_map(|entry| if is_new(&entry.url) { Some(entry) } else { old.next() })
        .cloned()
        .collect()
}

/// The list `edits` make of `base`: `patch`'s inverse. A position past
/// the base list's end was not written for this base list. The reader
/// that runs is the shim's (www/lib/lists.js `applyPatch`), checked
/// against vectors this one makes (tests below).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // its tests are native
pub fn apply(base: &[Listed], edits: &[Edit]) -> Result<Vec<Listed>, String> {
    edits
        .iter()
        .map(|edit| match edit {
            Edit::Base(at) => base
                .get(*at as usize)
                .cloned()
                .ok_or_else(|| format!("a patch names entry {at} of a base list of {}", base.len())),
            Edit::Whole(entry) => Ok(entry.clone()),
        })
        .collect()
}

/// The list of the page `key` as readers combine segments
/// (`engine_file::Delta`): the newest recent file (of `recent`, newest
/// first) that holds the page gives it, its own list or its patch applied
/// to the page's list in `base`, the base's list file; with none, `base`'s.
/// The shim's reader is www/lib/lists.js `listOf`, checked against vectors
/// this one makes (tests below).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
pub fn list_of(key: &str, base: &ListFile, recent: &[&ListFile]) -> Result<Option<Vec<Listed>>, String> {
    for file in recent {
        if let Some(list) = file.pages.get(key) {
            return Ok(Some(list.clone()));
        }
        if let Some(edits) = file.patches.get(key) {
            return apply(base.pages.get(key).map_or(&[][..], Vec::as_slice), edits).map(Some);
        }
    }
    Ok(base.pages.get(key).cloned())
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn entry(url: &str) -> Listed {
        Listed {
            url: url.to_string(),
            title: format!("Title of {url}"),
            score: Some(0.25),
            date: None,
            section: None,
            image: None,
            snippet: None,
            pinned: false,
        }
    }

    fn list(urls: &str) -> Vec<Listed> {
        urls.split_whitespace().map(entry).collect()
    }

    fn urls(list: &[Listed]) -> String {
        list.iter().map(|e| e.url.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// (base, now) pairs that cover every kind of change: what
    /// `patch` must turn into an edit that `apply` undoes, and the cases
    /// the shim's reader is checked on (`patch_vectors_match_the_fixture`).
    const CASES: &[(&str, &str)] = &[
        ("a b c d e f g h i j", "a b c N d e f g h i"),
        ("a b c d e f g h i j", "N a b c d e f g h i"),
        ("a b c d e f g h i j", "a b c d e f g h i N"),
        ("a b c d e f g h i j", "a b N c d M e f g h"),
        ("a b c d e f g h i j", "a b N d e f g h i j"),
        ("a b c d e f g h i j", "a c b d e f g h i j"),
        ("a b c", "a b c N"),
        ("a b c", "N"),
        ("", "N M"),
        ("a b c d", "a b c d"),
    ];

    #[test]
    fn a_patch_applied_to_its_base_list_gives_the_list_now() {
        for (base, now) in CASES {
            let (base, now) = (list(base), list(now));
            let edits = patch(&base, &now);
            assert_eq!(urls(&apply(&base, &edits).unwrap()), urls(&now), "{edits:?}");
        }
    }

    #[test]
    fn a_new_entry_is_the_only_entry_a_patch_writes_whole() {
        let base = list("a b c d e f g h i j");
        let edits = patch(&base, &list("a b c N d e f g h i"));
        let mut want: Vec<Edit> = (0..9).map(Edit::Base).collect();
        want.insert(3, Edit::Whole(entry("N")));
        assert_eq!(edits, want);
        assert_eq!(patch(&base, &list("b a N")), vec![Edit::Base(1), Edit::Base(0), Edit::Whole(entry("N"))]);
        // A kept entry keeps the base's fields.
        let drifted = vec![Listed { score: Some(0.26), ..entry("a") }];
        let kept = apply(&base, &patch(&base, &drifted)).unwrap();
        assert_eq!(kept[0].score, Some(0.25));
    }

    #[test]
    fn new_entries_keep_their_fresh_ranks_and_the_base_its_order() {
        let is_new = |url: &str| url.starts_with('N');
        let no_story = |_: &str| None;
        // The fresh ranking reorders near ties and swaps the tail (x for
        // j): only N is new, so only N changes the base's list.
        let base = list("a b c d e f g h i j");
        let now = with_new(&base, &list("b a d c e N f g x h"), is_new, no_story);
        assert_eq!(urls(&now), "a b c d e N f g h i");
        let edits = patch(&base, &now);
        assert_eq!(edits.iter().filter(|e| matches!(e, Edit::Whole(_))).count(), 1);
        // Two new entries, one at the top; a shorter fresh list stays short.
        assert_eq!(urls(&with_new(&base, &list("N1 b a N2"), is_new, no_story)), "N1 a b N2");
        // A base entry of a new entry's story is left out (no copies);
        // the base running short takes the fresh ranking's other old ones.
        let story = |url: &str| ["c", "N"].contains(&url).then_some(7);
        assert_eq!(urls(&with_new(&list("a b c"), &list("N a x b"), is_new, story)), "N a b x");
    }

    #[test]
    fn a_patch_that_does_not_fit_its_base_list_is_refused() {
        let base = list("a b c");
        assert!(apply(&base, &[Edit::Base(3)]).unwrap_err().contains("names entry 3 of a base list of 3"));
        let json = |steps: &str| serde_json::from_str::<Vec<Edit>>(steps).map_err(|e| e.to_string());
        assert!(json("[-1]").is_err());
        assert!(json("[1.5]").is_err());
        assert!(json("[\"a\"]").is_err());
        assert_eq!(json("[2, 0]").unwrap(), vec![Edit::Base(2), Edit::Base(0)]);
    }

    fn file(pages: &[(&str, &str)], patches: &[(&str, &str, &str)]) -> ListFile {
        ListFile {
            format: LIST_FORMAT.into(),
            version: 2,
            bucket: 0,
            pages: pages.iter().map(|(key, urls)| (key.to_string(), list(urls))).collect(),
            patches: patches
                .iter()
                .map(|(key, base, now)| (key.to_string(), patch(&list(base), &list(now))))
                .collect(),
        }
    }

    /// A base list file and two segments' recent files, newest first: `a`
    /// patched in both (the newer patch wins, on the base list, not on the
    /// older patch), `b` patched in the older only, `n1` new in the older
    /// and written whole again in the newer, `c` in no segment.
    fn segments() -> (ListFile, Vec<ListFile>) {
        let base = file(&[("a", "b c d"), ("b", "a c d"), ("c", "a b d")], &[]);
        let older = file(&[("n1", "a b")], &[("a", "b c d", "b n1 c"), ("b", "a c d", "n1 a c")]);
        let newer = file(&[("n1", "n2 a b"), ("n2", "n1 a")], &[("a", "b c d", "n2 b n1")]);
        (base, vec![newer, older])
    }

    #[test]
    fn the_newest_segment_holding_a_page_gives_its_list() {
        let (base, recent) = segments();
        let recent: Vec<&ListFile> = recent.iter().collect();
        let of = |key| list_of(key, &base, &recent).unwrap().map(|l| urls(&l));
        assert_eq!(of("a").as_deref(), Some("n2 b n1"));
        assert_eq!(of("b").as_deref(), Some("n1 a c"));
        assert_eq!(of("c").as_deref(), Some("a b d"));
        assert_eq!(of("n1").as_deref(), Some("n2 a b"));
        assert_eq!(of("n2").as_deref(), Some("n1 a"));
        assert_eq!(of("gone"), None);
        // The older segment alone (what a reader of the oldest segment only sees): stale, never wrong.
        assert_eq!(list_of("a", &base, &recent[1..]).unwrap().map(|l| urls(&l)).as_deref(), Some("b n1 c"));
    }

    /// The segments above with each page's list as `list_of` combines
    /// them: what `listOf` in www/lib/lists.js must give
    /// (tests/e2e/layout-vectors.test.mjs).
    #[test]
    fn segment_vectors_match_the_fixture() {
        let (base, recent) = segments();
        let refs: Vec<&ListFile> = recent.iter().collect();
        let lists: BTreeMap<&str, Option<Vec<Listed>>> = ["a", "b", "c", "n1", "n2", "gone"]
            .into_iter()
            .map(|key| (key, list_of(key, &base, &refs).unwrap()))
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "base": base,
            "recent": recent,
            "lists": lists,
        }))
        .unwrap()
            + "\n";
        crate::golden::check(
            "tests/fixtures/list-segment-vectors.json",
            &text,
            "segment_vectors",
            " and check the shim's module with `node --test tests/e2e/layout-vectors.test.mjs`",
        );
    }

    /// Cases whose patched list the shim's `www/lib/lists.js` must make as
    /// `apply` does (tests/e2e/layout-vectors.test.mjs).
    #[test]
    fn patch_vectors_match_the_fixture() {
        fn json<T: Serialize + ?Sized>(value: &T) -> String {
            serde_json::to_string(value).unwrap()
        }
        let mut lines = Vec::new();
        for (base, now) in CASES {
            let (base, now) = (list(base), list(now));
            let edits = patch(&base, &now);
            let applied = apply(&base, &edits).unwrap();
            lines.push(format!(
                "  {{\"base\": {}, \"patch\": {}, \"list\": {}}}",
                json(&base),
                json(&edits),
                json(&applied)
            ));
        }
        // Patches that do not fit: the reader refuses them.
        for (base, steps) in [("a b c", "[3]"), ("a b", "[0, 5]"), ("", "[0]")] {
            lines.push(format!("  {{\"base\": {}, \"patch\": {steps}, \"list\": null}}", json(&list(base))));
        }
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        crate::golden::check(
            "tests/fixtures/list-patch-vectors.json",
            &text,
            "patch_vectors",
            " and check the shim's module with `node --test tests/e2e/layout-vectors.test.mjs`",
        );
    }
}
