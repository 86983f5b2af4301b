//! How an index of layout 2 (`alike index --layout clusters`) is cut into
//! files and what they are called: the only place a path is formatted.
//! The builder writes, the reader (`Index`) asks for and the CLI reads the
//! files by these names; nothing parses a path back.
//!
//! ```text
//! index.json                 the manifest (`manifest.rs`)
//! e-<generation>.json        the engine file (`engine_file.rs`)
//! k/<cell>-<generation>.json      one per cell of a two-level table (`cell_file.rs`)
//! c/<cluster>-<generation>.json   one per cluster (`cluster_file.rs`)
//! l/<bucket>-<generation>.json    related lists, by URL bucket (`list_file.rs`)
//! d/<group>-<generation>.json     new articles since the base, by group (`build/incremental.rs`)
//! r/<bucket>-<generation>.json     the lists an incremental build changed, by URL bucket
//! ```
//!
//! Numbers in names are lower-case hexadecimal. Every file carries the
//! generation of the build that wrote it, so a rebuild never overwrites a
//! file a reader holding the previous manifest may still fetch, and an
//! incremental build's kept base files keep their names.

use crate::error::Hex;
use crate::text::url_key;

/// One file of a layout-2 index, other than the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileRef {
    /// Scoring, stop words, the common terms' df, the centroid table.
    Engine { generation: u32 },
    /// The centroids of one cell's clusters (two-level tables only).
    Cell { cell: u32, generation: u32 },
    /// One cluster's articles and their postings.
    Cluster { cluster: u32, generation: u32 },
    /// The related lists of the pages whose URL falls in `bucket`.
    Lists { bucket: u32, generation: u32 },
    /// The articles added since the base that fall in one group of
    /// clusters (an incremental build's delta, a cluster file's format).
    Delta { group: u32, generation: u32 },
    /// The lists an incremental build made or changed, of the pages whose
    /// URL falls in `bucket` (of `recent_bits`): they replace the base's.
    Recent { bucket: u32, generation: u32 },
}

impl FileRef {
    /// The file's path relative to the manifest.
    pub fn path(&self) -> String {
        match *self {
            FileRef::Engine { generation } => msg!("e-", Hex(generation), ".json"),
            FileRef::Cell { cell, generation } => msg!("k/", Hex(cell), "-", Hex(generation), ".json"),
            FileRef::Cluster { cluster, generation } => {
                msg!("c/", Hex(cluster), "-", Hex(generation), ".json")
            }
            FileRef::Lists { bucket, generation } => msg!("l/", Hex(bucket), "-", Hex(generation), ".json"),
            FileRef::Delta { group, generation } => msg!("d/", Hex(group), "-", Hex(generation), ".json"),
            FileRef::Recent { bucket, generation } => msg!("r/", Hex(bucket), "-", Hex(generation), ".json"),
        }
    }

    /// The build whose generation the file's name carries.
    pub fn generation(&self) -> u32 {
        match *self {
            FileRef::Engine { generation }
            | FileRef::Cell { generation, .. }
            | FileRef::Cluster { generation, .. }
            | FileRef::Lists { generation, .. }
            | FileRef::Delta { generation, .. }
            | FileRef::Recent { generation, .. } => generation,
        }
    }

    /// The file a path names, if it is one `path` gives (exactly: no
    /// upper case, no leading zeros): what tells alike's files from
    /// whatever else a site keeps in the folder, when old files are
    /// removed (`build/prune.rs`). Readers never parse paths.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(path: &str) -> Option<FileRef> {
        let hex = |digits: &str| u32::from_str_radix(digits, 16).ok();
        let stem = path.strip_suffix(".json")?;
        let file = match stem.split_once('/') {
            None => FileRef::Engine { generation: hex(stem.strip_prefix("e-")?)? },
            Some((folder, name)) => {
                let (number, generation) = name.split_once('-')?;
                let (number, generation) = (hex(number)?, hex(generation)?);
                match folder {
                    "k" => FileRef::Cell { cell: number, generation },
                    "c" => FileRef::Cluster { cluster: number, generation },
                    "l" => FileRef::Lists { bucket: number, generation },
                    "d" => FileRef::Delta { group: number, generation },
                    "r" => FileRef::Recent { bucket: number, generation },
                    _ => return None,
                }
            }
        };
        // Round trip: "+1", "0a" and "A" parse as numbers but are not names.
        (file.path() == path).then_some(file)
    }
}

/// The folders beside the manifest that hold a layout-2 index's files (the
/// engine file is beside the manifest).
#[cfg(not(target_arch = "wasm32"))]
pub const FOLDERS: [&str; 5] = ["k", "c", "l", "d", "r"];

/// The list bucket of a page: the top `bits` bits of the 32-bit FNV-1a hash
/// of its URL key (`text::url_key`); bucket 0 when `bits` is 0.
pub fn bucket_of_url(url: &str, bits: u8) -> u32 {
    bucket_of_key(&url_key(url), bits)
}

/// The list bucket of a URL key.
pub fn bucket_of_key(key: &str, bits: u8) -> u32 {
    crate::text::list_bucket_of(key, bits)
}

/// Lists a list file holds on average: the design's measured choice (16
/// ten-entry lists: 3.6 KB gzipped, the list path's 11-12 KB first box).
pub const LISTS_PER_FILE: u32 = 16;

/// Bits of the list buckets for `pages` pages: about `LISTS_PER_FILE` a
/// bucket, but at most 4,096 list files up to 200,000 pages and 16,384
/// past that, so that the whole index stays within the issue's file
/// budgets (5,000 files at 100,000 articles, 20,000 at 1,000,000: the
/// clusters and cells take the rest). Larger archives get fuller list
/// files (about 24 lists at 100,000 pages, 61 at 1,000,000).
pub fn bucket_bits(pages: u32) -> u8 {
    let bits = pages.div_ceil(LISTS_PER_FILE).max(1).next_power_of_two().trailing_zeros() as u8;
    bits.min(bucket_bits_cap(pages))
}

/// Bits of the recent-list buckets beside list buckets of `bits`: eight
/// list buckets to a recent one, so that the few lists a rebuild changes
/// (about a tenth per 1% of new articles) make files about as full as the
/// base's, and few of them; at most `max` (`RECENT_BITS_MAX` unless
/// `alike index --recent-bits` says otherwise, for studies).
#[cfg(not(target_arch = "wasm32"))]
pub fn recent_bits(bits: u8, max: u8) -> u8 {
    bits.saturating_sub(3).min(max)
}

/// The most bits of recent buckets: 2,048 files a set of recent lists,
/// so eight list buckets to one at every size (list files are at most
/// 16,384). With 256 a set (the cap until 2026-12-03, for the file budget)
/// a 1,000,000-article index's recent files each held about 200 pages'
/// lists: an indexed page read 23.7 and 35.2 KB of list files after two 1%
/// rebuilds, and the third went whole (100% rewritten). With 2,048, five in
/// a row rewrote 2.2-4.6% each, none whole, and a page read 13-21 KB; the
/// engine path's reads past the engine file went from 45 to 69 KB with
/// delta files in runs of 8 clusters (`cluster::delta_group_clusters`; to
/// 109 KB by cell, as before runs; 47 to 65 KB with 256, then the full
/// build), BENCHMARKS.md. A manifest names at most `MAX_RECENT_SETS` sets:
/// up to 32,768 files at 1,000,000 articles beside a base of about 19,800,
/// which a paid static plan's 100,000 holds; the free plan's 20,000 held
/// no rebuild at that size with either cap (full builds keep the replaced
/// build's files beside their own: about 40,000).
#[cfg(not(target_arch = "wasm32"))]
pub const RECENT_BITS_MAX: u8 = 11;

/// The most bits `pages` pages' buckets take: the file budgets' caps
/// (`bucket_bits`), and no more buckets than pages. A build whose lists
/// are long (snippets) files fewer a bucket, up to this.
pub fn bucket_bits_cap(pages: u32) -> u8 {
    let one_a_file = u64::from(pages.max(1)).next_power_of_two().trailing_zeros() as u8;
    one_a_file.min(if pages <= 200_000 { 12 } else { 14 })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn each_file_kind_has_one_path() {
        assert_eq!(FileRef::Engine { generation: 0xab }.path(), "e-ab.json");
        assert_eq!(FileRef::Cluster { cluster: 31, generation: 2 }.path(), "c/1f-2.json");
        assert_eq!(FileRef::Cell { cell: 10, generation: 2 }.path(), "k/a-2.json");
        assert_eq!(FileRef::Lists { bucket: 0, generation: 0xffff_ffff }.path(), "l/0-ffffffff.json");
        assert_eq!(FileRef::Delta { group: 17, generation: 3 }.path(), "d/11-3.json");
        assert_eq!(FileRef::Recent { bucket: 5, generation: 0xa }.path(), "r/5-a.json");
        assert_eq!(recent_bits(8, RECENT_BITS_MAX), 5);
        assert_eq!(recent_bits(2, RECENT_BITS_MAX), 0);
        assert_eq!(recent_bits(12, RECENT_BITS_MAX), 9);
        assert_eq!(recent_bits(14, RECENT_BITS_MAX), 11);
        assert_eq!(recent_bits(16, RECENT_BITS_MAX), 11);
        assert_eq!(recent_bits(14, 8), 8);
    }

    #[test]
    fn paths_parse_back_to_their_files_and_nothing_else_does() {
        let files = [
            FileRef::Engine { generation: 0xab },
            FileRef::Cell { cell: 0, generation: u32::MAX },
            FileRef::Cluster { cluster: 31, generation: 2 },
            FileRef::Lists { bucket: 0x3ff, generation: 0xc94d_b0a2 },
            FileRef::Delta { group: 17, generation: 3 },
            FileRef::Recent { bucket: 5, generation: 0xa },
        ];
        for file in files {
            assert_eq!(FileRef::parse(&file.path()), Some(file), "{}", file.path());
        }
        assert!(
            FOLDERS.iter().all(|folder| files.iter().any(|f| f.path().starts_with(&format!("{folder}/"))))
        );
        for other in [
            "index.json",
            "e-AB.json",
            "e-0ab.json",
            "e-+ab.json",
            "e-ab.json.gz",
            "e-.json",
            "c/1f-2",
            "c/1f.json",
            "c/1f-2-3.json",
            "c/-2.json",
            "c/1f-100000000.json",
            "t/1f-2.json",
            "c/x/1f-2.json",
            "/c/1f-2.json",
            "c/.alike-tmp-1f-2.json",
            "pkg/alike.json",
        ] {
            assert_eq!(FileRef::parse(other), None, "{other}");
        }
    }

    #[test]
    fn a_page_has_one_bucket_whatever_its_spelling() {
        let bits = 5;
        let bucket = bucket_of_url("/a/c.html", bits);
        assert!(bucket < 32);
        for same in ["https://example.com/a/c.html", "/a/./b/../c.html", "/a/c.html?utm_source=x#top"] {
            assert_eq!(bucket_of_url(same, bits), bucket, "{same}");
        }
        assert_eq!(bucket_of_url("/anything", 0), 0);
    }

    /// URLs whose key, bucket and list file the shim's `www/lib/lists.js`
    /// must find as this module does (tests/e2e/layout-vectors.test.mjs).
    const VECTOR_URLS: &[&str] = &[
        "/business/001.html",
        "/a/./b/../c.html",
        "https://example.com/a/b/../../../c",
        "https://example.com/caf\u{e9}/?id=7&utm_source=x#top",
        "/sport/",
        "/",
        "/news?b=2&fbclid=x&a=1",
        "//other.example/path/",
        "/%7Euser/page.html",
        "/a b/\"quoted\".html",
        "/tech/015.html?ref=home",
        "https://example.com/\u{7ecf}\u{6d4e}/\u{589e}\u{957f}.html",
    ];

    #[test]
    fn layout_vectors_match_the_fixture() {
        let json = |text: &str| serde_json::to_string(text).unwrap();
        let generation = 0xc94d_b0a2;
        let mut lines = Vec::new();
        for url in VECTOR_URLS {
            for bits in [0u8, 5, 8, 24] {
                let key = url_key(url);
                let bucket = bucket_of_key(&key, bits);
                let file = FileRef::Lists { bucket, generation }.path();
                let recent = bucket_of_key(&key, recent_bits(bits, RECENT_BITS_MAX));
                let recent = FileRef::Recent { bucket: recent, generation: generation + 1 }.path();
                lines.push(format!(
                    "  {{\"url\": {}, \"key\": {}, \"bits\": {bits}, \"bucket\": {bucket}, \"generation\": {generation}, \"file\": {}, \"recent_bits\": {}, \"recent\": {}}}",
                    json(url),
                    json(&key),
                    json(&file),
                    recent_bits(bits, RECENT_BITS_MAX),
                    json(&recent)
                ));
            }
        }
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        crate::golden::check(
            "tests/fixtures/layout-vectors.json",
            &text,
            "layout_vectors",
            " and check the shim's module with `node --test tests/e2e/layout-vectors.test.mjs`",
        );
    }

    #[test]
    fn recent_lists_take_a_bounded_number_of_files_at_every_size() {
        // Every set has a file for each recent bucket, and a manifest names
        // at most `MAX_RECENT_SETS` sets (`sets_to_fold`).
        let most = |pages: u32| {
            crate::build::incremental::MAX_RECENT_SETS << recent_bits(bucket_bits(pages), RECENT_BITS_MAX)
        };
        assert_eq!(most(2225), 16 * 32);
        assert_eq!(most(20_000), 16 * 256);
        assert_eq!(most(100_000), 16 * 512);
        for pages in [333, 2225, 20_000, 100_000, 200_001, 1_000_000, u32::MAX] {
            assert!(most(pages) <= 16 * 2048, "{pages}");
        }
    }

    #[test]
    fn buckets_hold_about_sixteen_pages_within_the_file_budgets() {
        assert_eq!(bucket_bits(0), 0);
        assert_eq!(bucket_bits(16), 0);
        assert_eq!(bucket_bits(17), 1);
        assert_eq!(bucket_bits(333), 5);
        assert_eq!(bucket_bits(2225), 8);
        assert_eq!(bucket_bits(20_000), 11);
        assert_eq!(bucket_bits(100_000), 12);
        assert_eq!(bucket_bits(1_000_000), 14);
        assert_eq!(bucket_bits(u32::MAX), 14);
        assert_eq!(bucket_bits_cap(1), 0);
        assert_eq!(bucket_bits_cap(333), 9);
        assert_eq!(bucket_bits_cap(100_000), 12);
        assert_eq!(bucket_bits_cap(1_000_000), 14);
    }
}
