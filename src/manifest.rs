//! The manifest of a layout-2 index (`index.json`, see `layout.rs`): the
//! one file every reader fetches first, so it stays small. It names the
//! build's generation, the engine file, and where the related lists are.
//! It is also the one file every build rewrites, so it holds what the
//! engine needs that changes with each build (each section's newest
//! articles, an incremental build's delta): the engine file stays the
//! base's, byte for byte, through incremental builds.
//! Its encoder and decoder sit side by side; the shim reads the same fields
//! (`www/lib/lists.js`).

use serde::{Deserialize, Serialize};

use crate::engine_file::Delta;
use crate::error::Error;
use crate::format::{FORMAT_NAME, Latest};
use crate::layout::FileRef;

/// The format version of layout 2's manifest and list files (the shim
/// reads them).
pub const LAYOUT2_VERSION: u32 = 2;
/// The format version of layout 2's engine, cell, cluster and delta files
/// (the engine reads them): 3 since their terms may name the common terms
/// by their place in the engine file's head (`Terms::head`), 4 since the
/// centroid weights have 16 levels, not 64 (`engine_file`).
pub const ENGINE_FILES_VERSION: u32 = 4;
/// The manifest's `layout` for the cluster layout.
pub const CLUSTERS: &str = "clusters";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `alike-index`, as every manifest.
    pub format: String,
    /// 2.
    pub version: u32,
    /// `clusters`.
    pub layout: String,
    /// This build's generation: every file of the build carries it in its
    /// name (`layout::FileRef`).
    pub generation: u32,
    /// Articles in the index.
    pub articles: u32,
    /// The engine file's path, relative to the manifest (the shim fetches
    /// it only for pages the lists do not answer).
    pub engine: String,
    /// Where the related lists are; absent when the build ranked none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<ManifestLists>,
    /// Each section's newest articles (as `IndexFile::latest`, in the
    /// cluster order's ids), for the engine's section fallback; handed to
    /// the engine with the engine file (`EngineFile::with_manifest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<Latest>,
    /// The articles an incremental build added (`build/incremental.rs`),
    /// absent after a full build; handed to the engine as `latest` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
    /// What the next build needs to tell whether it can keep this one's
    /// base files (`build/incremental.rs`); readers ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<ManifestBase>,
    /// The generations of the manifest this one replaced (`generations`)
    /// that this one does not name: their files stay in the folder until
    /// the next build, for readers that fetched that manifest just before
    /// it was replaced (`build/prune.rs`). Readers ignore it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<u32>,
}

/// The base of an index: the build whose cell and cluster files it uses
/// (its own for a full build), and the fingerprints of what went into it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestBase {
    /// The base build's generation: its cell and cluster files carry it.
    pub generation: u32,
    /// Articles in the base (those after them are the delta's).
    pub articles: u32,
    /// An order-independent hash of the base articles as read (16 hex
    /// digits): a build whose inputs hold them all, unchanged, may keep it.
    pub content: String,
    /// A hash of the build's settings (16 hex digits): other settings
    /// build afresh.
    pub settings: String,
    /// The same hash as `content` over every article the index holds, the
    /// base's and those since: a build of the same inputs and settings
    /// writes nothing, and one whose articles since the base changed
    /// builds afresh (`build/incremental.rs`). Absent from the manifests
    /// of earlier builds, which then neither tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<String>,
}

impl ManifestBase {
    /// `all` less `content`: the hash of the articles since the base
    /// (`DeltaPlan::since_content`), when the manifest gives both.
    pub fn since_content(&self) -> Option<u64> {
        let hex = |text: &str| u64::from_str_radix(text, 16).ok();
        Some(hex(self.all.as_deref()?)?.wrapping_sub(hex(&self.content)?))
    }
}

/// The related lists: a page's list is in the list file of its URL's
/// bucket (`layout::bucket_of_url`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestLists {
    /// Related articles per list (fewer where fewer are related).
    pub length: u32,
    /// Bits of the bucket: `2^bucket_bits` list files at most.
    pub bucket_bits: u8,
    /// The lists hold only articles scoring at least this; absent when
    /// they were not cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f32>,
    /// After an incremental build: the lists it made or changed, which
    /// replace the base's (`layout::FileRef::Recent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent: Option<RecentLists>,
    /// The newest publication day of the articles the index holds
    /// (`YYYY-MM-DD`), absent when none has a date: a page dated after it
    /// (a story published since the build) has no list, and the shim asks
    /// the engine without looking (www/lib/lists.js `listFile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest: Option<String>,
    /// The newest publication instant (`YYYY-MM-DDTHH:MM:SSZ`, UTC) of the
    /// articles whose date names a time and its offset, absent when none
    /// does: a page whose own instant is later has no list either, though
    /// published the day of the newest (a site that builds hourly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_time: Option<String>,
    /// Which pages the lists hold, in indexes of up to
    /// `members::MEMBERS_MAX` articles: a page the filter refuses is not
    /// in the index, and the shim asks the engine without looking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // The engine has no use for it.
    #[cfg(not(target_arch = "wasm32"))]
    pub members: Option<crate::members::Members>,
}

/// Where incremental builds' lists are: sets of recent files, one file for
/// every bucket of `bucket_bits`, each set named with the generation of
/// the build that wrote it (`build::incremental::sets_to_fold`; not the
/// segments', which merge): `generation` for the oldest, `newer` for the
/// others, oldest first. A page's list is the newest set's that holds it
/// (whole, or a patch on its base list), else the base's list file's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentLists {
    pub bucket_bits: u8,
    pub generation: u32,
    /// A reader that knows no `newer` reads the oldest segment's lists:
    /// stale, never wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub newer: Vec<u32>,
    /// Which pages each set holds, oldest first as the sets are (a set
    /// without one: null; none at all: absent): a Bloom filter
    /// (`members::Members`) where it costs the manifest less than it saves
    /// a page it refuses (`build::incremental::set_filter`), so that an
    /// indexed page fetches only the recent files of the sets that may
    /// hold it (www/lib/lists.js `listFile`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    // The engine has no use for it.
    #[cfg(not(target_arch = "wasm32"))]
    pub members: Vec<Option<crate::members::Members>>,
}

impl Manifest {
    pub fn new(generation: u32, articles: u32, engine: String, lists: Option<ManifestLists>) -> Manifest {
        Manifest {
            format: FORMAT_NAME.to_string(),
            version: LAYOUT2_VERSION,
            layout: CLUSTERS.to_string(),
            generation,
            articles,
            engine,
            lists,
            latest: None,
            delta: None,
            base: None,
            previous: Vec::new(),
        }
    }

    /// The generations of the files a reader holding this manifest may
    /// fetch: every file carries its build's generation in its name
    /// (`layout::FileRef`), so these say which files the index uses. The
    /// base's engine, cell, cluster and list files carry `generation`;
    /// each segment's delta and recent files, the segment's.
    pub fn generations(&self) -> Vec<u32> {
        let mut generations = vec![self.generation];
        generations.extend(self.delta.iter().flat_map(Delta::generations));
        let recent = self.lists.as_ref().and_then(|lists| lists.recent.as_ref());
        generations
            .extend(recent.iter().flat_map(|r| [r.generation].into_iter().chain(r.newer.iter().copied())));
        generations.sort_unstable();
        generations.dedup();
        generations
    }

    /// Whether a reader holding this manifest may fetch `file`.
    pub fn names(&self, file: &FileRef) -> bool {
        file.path() == self.engine || self.generations().contains(&file.generation())
    }

    /// Whether `file` must stay beside this manifest: a file it names, or
    /// one the manifest it replaced named (`previous`).
    pub fn keeps(&self, file: &FileRef) -> bool {
        self.names(file) || self.previous.contains(&file.generation())
    }

    /// Reads a manifest of layout 2. An index of format version 1 (a
    /// single file or a term-sharded manifest) gets the rebuild hint.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<Manifest, Error> {
        let manifest: Manifest = read_checked(json, FORMAT_NAME, "the manifest")?;
        if manifest.layout != CLUSTERS {
            return Err(Error::CorruptIndex(msg!(
                "the manifest's layout is \"",
                manifest.layout,
                "\", not \"",
                CLUSTERS,
                "\""
            )));
        }
        let bits =
            |lists: &ManifestLists| lists.bucket_bits.max(lists.recent.as_ref().map_or(0, |r| r.bucket_bits));
        if manifest.lists.as_ref().is_some_and(|lists| bits(lists) > 24) {
            return Err(Error::CorruptIndex("the manifest's lists.bucket_bits is above 24".into()));
        }
        Ok(manifest)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// The version a reader takes of a file of `format`: the engine's files
/// (`ENGINE_FILES_VERSION`) or the manifest and list files (layout 2).
fn version_of(format: &str) -> u32 {
    match format {
        crate::engine_file::ENGINE_FORMAT
        | crate::cell_file::CELL_FORMAT
        | crate::cluster_file::CLUSTER_FORMAT => ENGINE_FILES_VERSION,
        _ => LAYOUT2_VERSION,
    }
}

/// Whether a file is of `expected` format and of the version this alike
/// reads (`version_of`): a file of an earlier version was written by an
/// earlier alike, and rebuilding is the cure.
pub(crate) fn check_version(format: Option<&str>, version: Option<u64>, expected: &str) -> Result<(), Error> {
    check_format_name(format, expected)?;
    match version {
        Some(v) if v == u64::from(version_of(expected)) => Ok(()),
        Some(v) => Err(Error::UnsupportedVersion {
            found: u32::try_from(v).unwrap_or(u32::MAX),
            supported: version_of(expected),
        }),
        None => Err(Error::CorruptIndex("`version` is missing".into())),
    }
}

/// Whether a file's `format` is `expected` (any file kind of any version).
pub(crate) fn check_format_name(format: Option<&str>, expected: &str) -> Result<(), Error> {
    if format == Some(expected) {
        return Ok(());
    }
    Err(Error::NotAnIndex(match format {
        Some(found) => msg!("its `format` is \"", found, "\", not \"", expected, "\""),
        None => msg!("it has no `format` \"", expected, "\""),
    }))
}

/// Reads a layout-2 file of kind `format` (`what` names it in errors): its
/// header checked by `check_version`, then the whole decoded, so that every
/// file kind refuses another kind, version or a corrupt body alike.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read_checked<T: serde::de::DeserializeOwned>(
    json: &str,
    format: &str,
    what: &str,
) -> Result<T, Error> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        crate::format::damaged(json, format, what)
            .map_or_else(|| Error::NotAnIndex(e.to_string()), Error::CorruptIndex)
    })?;
    check_version(
        value.get("format").and_then(|v| v.as_str()),
        value.get("version").and_then(|v| v.as_u64()),
        format,
    )?;
    serde_json::from_value(value).map_err(|e| Error::CorruptIndex(format!("{what}: {e}")))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let lists = ManifestLists {
            length: 10,
            bucket_bits: 5,
            min_score: Some(0.1),
            recent: None,
            newest: None,
            newest_time: None,
            members: None,
        };
        Manifest::new(0xbeef, 333, "e-beef.json".into(), Some(lists))
    }

    #[test]
    fn round_trips() {
        let json = manifest().to_json();
        assert_eq!(Manifest::from_json(&json).unwrap(), manifest());
        let bare = Manifest { lists: None, ..manifest() };
        assert_eq!(Manifest::from_json(&bare.to_json()).unwrap(), bare);
        let base = ManifestBase {
            generation: 0xbee,
            articles: 300,
            content: "0123456789abcdef".into(),
            settings: "fedcba9876543210".into(),
            all: Some("00000000000000ff".into()),
        };
        let mut incremental = Manifest { base: Some(base), ..manifest() };
        let filter = crate::members::Members::of(["/a.html"].iter());
        incremental.lists.as_mut().unwrap().recent = Some(RecentLists {
            bucket_bits: 2,
            generation: 0xfeed,
            newer: vec![0xf00d],
            members: vec![None, filter],
        });
        incremental.latest = Some(Latest { sections: vec!["Sport".into()], articles: vec![vec![3, 1]] });
        incremental.delta = Some(Delta {
            generation: 0xfeed,
            group_clusters: 6,
            sizes: "AGFJBB".into(),
            newer: vec![0xf00d],
            newer_sizes: "ABAAAA".into(),
        });
        assert_eq!(Manifest::from_json(&incremental.to_json()).unwrap(), incremental);
    }

    #[test]
    fn a_manifest_keeps_the_files_of_its_generations_and_its_predecessors() {
        let mut manifest = manifest();
        manifest.lists.as_mut().unwrap().recent = Some(RecentLists {
            bucket_bits: 2,
            generation: 0xfeed,
            newer: vec![0xf00d],
            members: Vec::new(),
        });
        manifest.delta = Some(Delta {
            generation: 0xfeed,
            group_clusters: 6,
            sizes: "AGFJBB".into(),
            newer: vec![0xf00d],
            newer_sizes: "ABAAAA".into(),
        });
        manifest.previous = vec![0xbee, 0xfeed];
        assert_eq!(manifest.generations(), [0xbeef, 0xf00d, 0xfeed]);
        let kept = [
            FileRef::Engine { generation: 0xbeef },
            FileRef::Cluster { cluster: 3, generation: 0xbeef },
            FileRef::Lists { bucket: 3, generation: 0xbeef },
            FileRef::Delta { group: 1, generation: 0xf00d },
            FileRef::Recent { bucket: 1, generation: 0xfeed },
            // The replaced manifest's.
            FileRef::Cell { cell: 1, generation: 0xbee },
            FileRef::Engine { generation: 0xbee },
        ];
        for (i, file) in kept.iter().enumerate() {
            assert!(manifest.keeps(file), "{}", file.path());
            assert_eq!(manifest.names(file), i < 5, "{}", file.path());
        }
        for file in [FileRef::Engine { generation: 0xdead }, FileRef::Delta { group: 1, generation: 0xbeee }]
        {
            assert!(!manifest.keeps(&file), "{}", file.path());
        }
        // Round trip, and readers of the field's absence.
        assert_eq!(Manifest::from_json(&manifest.to_json()).unwrap(), manifest);
        assert!(!self::manifest().to_json().contains("previous"));
    }

    #[test]
    fn a_version_1_index_gets_the_rebuild_hint() {
        let old = r#"{"format":"alike-index","version":1,"language":"english","shards":{}}"#;
        let message = Manifest::from_json(old).unwrap_err().to_string();
        assert!(message.contains("format version 1"), "{message}");
        assert!(message.contains("rebuild it with `alike index`"), "{message}");
    }

    #[test]
    fn refuses_other_files() {
        let other = r#"{"format":"alike-lists","version":2}"#;
        assert!(matches!(Manifest::from_json(other), Err(Error::NotAnIndex(_))));
        assert!(matches!(Manifest::from_json("nonsense"), Err(Error::NotAnIndex(_))));
        let json = manifest().to_json().replace("\"clusters\"", "\"terms\"");
        assert!(matches!(Manifest::from_json(&json), Err(Error::CorruptIndex(_))));
        let json = manifest().to_json().replace("\"bucket_bits\":5", "\"bucket_bits\":40");
        assert!(matches!(Manifest::from_json(&json), Err(Error::CorruptIndex(_))));
    }

    /// Every file kind of the layout cut short is corrupt, named; cut short
    /// as another kind it is not this kind's.
    #[test]
    fn files_cut_short_are_corrupt() {
        let json = manifest().to_json();
        let said = Manifest::from_json(&json[..json.len() - 2]).unwrap_err().to_string();
        assert!(said.starts_with("the index is corrupt (the manifest is cut short: EOF while"), "{said}");
        assert!(said.ends_with(Error::REBUILD), "{said}");
        let lists = r#"{"format":"alike-lists","version":2,"bucket":0,"pages":{"/a":[{"url":"/b","#;
        assert!(matches!(Manifest::from_json(lists), Err(Error::NotAnIndex(_))));
        let said = crate::list_file::ListFile::from_json(lists).unwrap_err().to_string();
        assert!(said.contains("a list file is cut short"), "{said}");
    }
}
