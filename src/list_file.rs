//! A list file of layout 2 (`l/<bucket>-<generation>.json`, see
//! `layout.rs`): the related lists of the indexed pages whose URL keys fall
//! in its bucket (`layout::bucket_of_key`), keyed by URL key, each as the
//! box shows it (`format::Listed`). The shim reads them
//! (`www/lib/lists.js`); the engine never does.
//!
//! An incremental build's recent-list files (`r/`) are list files too:
//! `pages` holds the new articles' lists whole, and `patches` the old
//! pages' lists that a new article entered, each as the change to its
//! base list (`patch`, `apply`): a new article entering a list moves a few
//! entries, and the patch names only those.

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
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<ListFile, Error> {
        crate::manifest::read_checked(json, LIST_FORMAT, "a list file")
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// One step of a patch, read over the base list from its start. In JSON
/// a positive number keeps that many base entries, a negative one skips
/// that many, and an entry is written whole: `[3, {"url": ...}, -1, 5]`
/// is the base's first three, a new entry, and the base's fifth to ninth.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The next `n` entries of the base list, as the base wrote them.
    Keep(u32),
    /// The next `n` entries of the base list are gone.
    Skip(u32),
    /// An entry the base list has not (at this place).
    Add(Listed),
}

/// The edit that turns `base` into `now`, entries told apart by URL: each
/// entry of `now` is kept from `base` when it comes later there than the
/// last one kept (the entries between are skipped), else written whole.
/// A kept entry keeps the base's fields (its score may have drifted by a
/// hundredth: stale, not wrong). Base entries after the last kept one
/// are dropped without a step.
#[cfg(not(target_arch = "wasm32"))]
pub fn patch(base: &[Listed], now: &[Listed]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut next = 0;
    for entry in now {
        match base[next..].iter().position(|b| b.url == entry.url) {
            Some(skip) => {
                if skip > 0 {
                    edits.push(Edit::Skip(skip as u32));
                }
                next += skip + 1;
                match edits.last_mut() {
                    Some(Edit::Keep(n)) => *n += 1,
                    _ => edits.push(Edit::Keep(1)),
                }
            }
            None => edits.push(Edit::Add(entry.clone())),
        }
    }
    edits
}

/// The list `edits` make of `base`: `patch`'s inverse. An edit that keeps
/// or skips past the base list's end, or a zero, was not made for this
/// base list. The reader that runs is the shim's (www/lib/lists.js
/// `applyPatch`), checked against vectors this one makes (tests below).
#[cfg(test)]
pub fn apply(base: &[Listed], edits: &[Edit]) -> Result<Vec<Listed>, String> {
    let mut list = Vec::with_capacity(base.len() + edits.len());
    let mut next = 0usize;
    for edit in edits {
        match edit {
            Edit::Keep(n) | Edit::Skip(n) => {
                let end = next + *n as usize;
                if *n == 0 || end > base.len() {
                    return Err(format!(
                        "a patch steps over {n} of a base list of {} from {next}",
                        base.len()
                    ));
                }
                if let Edit::Keep(_) = edit {
                    list.extend_from_slice(&base[next..end]);
                }
                next = end;
            }
            Edit::Add(entry) => list.push(entry.clone()),
        }
    }
    Ok(list)
}

impl Serialize for Edit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Edit::Keep(n) => serializer.serialize_i64(i64::from(*n)),
            Edit::Skip(n) => serializer.serialize_i64(-i64::from(*n)),
            Edit::Add(entry) => entry.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Edit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Steps(i64),
            Entry(Listed),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Steps(n @ 1..=0xffff_ffff) => Ok(Edit::Keep(n as u32)),
            Raw::Steps(n @ -0xffff_ffff..=-1) => Ok(Edit::Skip(n.unsigned_abs() as u32)),
            Raw::Steps(n) => Err(serde::de::Error::custom(format!("a patch step of {n} entries"))),
            Raw::Entry(entry) => Ok(Edit::Add(entry)),
        }
    }
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

    /// (base, now) pairs that cover every kind of step: what
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
        assert_eq!(edits, vec![Edit::Keep(3), Edit::Add(entry("N")), Edit::Keep(6)]);
        let edits = patch(&base, &list("a b N d e f g h i j"));
        assert_eq!(edits, vec![Edit::Keep(2), Edit::Add(entry("N")), Edit::Skip(1), Edit::Keep(7)]);
        // A kept entry keeps the base's fields.
        let drifted = vec![Listed { score: Some(0.26), ..entry("a") }];
        let kept = apply(&base, &patch(&base, &drifted)).unwrap();
        assert_eq!(kept[0].score, Some(0.25));
    }

    #[test]
    fn a_patch_that_does_not_fit_its_base_list_is_refused() {
        let base = list("a b c");
        assert!(apply(&base, &[Edit::Keep(4)]).unwrap_err().contains("steps over 4 of a base list of 3"));
        assert!(apply(&base, &[Edit::Keep(2), Edit::Skip(2)]).is_err());
        assert!(apply(&base, &[Edit::Keep(0)]).is_err());
        let json = |steps: &str| serde_json::from_str::<Vec<Edit>>(steps).map_err(|e| e.to_string());
        assert!(json("[0]").unwrap_err().contains("a patch step of 0 entries"));
        assert!(json("[1.5]").is_err());
        assert!(json("[\"a\"]").is_err());
        assert_eq!(json("[2, -1]").unwrap(), vec![Edit::Keep(2), Edit::Skip(1)]);
    }

    #[test]
    fn a_list_file_with_patches_round_trips_and_one_without_writes_none() {
        let base = list("a b c d");
        let mut file = ListFile {
            format: LIST_FORMAT.to_string(),
            version: 2,
            bucket: 1,
            pages: BTreeMap::from([("/n".to_string(), list("a b"))]),
            patches: BTreeMap::new(),
        };
        assert!(!file.to_json().contains("patches"), "{}", file.to_json());
        file.patches.insert("/a".into(), patch(&base, &list("b N c")));
        let json = file.to_json();
        assert!(json.contains(r#""patches":{"/a":[-1,1,{"url":"N","#), "{json}");
        assert_eq!(ListFile::from_json(&json).unwrap(), file);
    }

    /// Cases whose patched list the shim's `www/lib/lists.js` must make as
    /// `apply` does (tests/e2e/layout-vectors.test.mjs).
    #[test]
    fn patch_vectors_match_the_fixture() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/list-patch-vectors.json");
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
        for (base, steps) in [("a b c", "[4]"), ("a b", "[1, -2]"), ("a", "[0]")] {
            lines.push(format!("  {{\"base\": {}, \"patch\": {steps}, \"list\": null}}", json(&list(base))));
        }
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        if std::env::var_os("ALIKE_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            stored == text,
            "{} differs from what list_file.rs computes; if the change is deliberate, regenerate it with \
             `ALIKE_BLESS=1 cargo test --lib patch_vectors` and check the shim's module with \
             `node --test tests/e2e/layout-vectors.test.mjs`",
            path.display()
        );
    }
}
