//! Incremental builds of the cluster layout: a rebuild that only adds
//! articles keeps the previous index's *base* (its engine table, cell and
//! cluster files, byte for byte under their names) and files the new
//! articles in *delta* files, one per group of clusters
//! (`engine_file::Delta`, `layout::FileRef::Delta`). A new article is
//! weighted with the base's frozen df and idf, quantised on the base's
//! scale, and filed by the group of the cluster a query of its own text
//! reads first; a query reading a cluster reads its group's delta file in
//! the same step.
//!
//! Each incremental build writes its new articles as a new *segment*: its
//! own delta files and recent-list files, named by its generation, and
//! leaves the older segments' files as they are. So that readers read few
//! segments, segments of about one size merge when `MERGE_FACTOR` of them
//! would exist (`segments_to_merge`): a tiered policy, as LSM trees and
//! Lucene merge theirs, which keeps `MERGE_FACTOR - 1` segments a tier at
//! most and rewrites each article once a tier. A merge is the newest
//! segments and the new articles built into one segment afresh.
//!
//! Recent lists do not follow the merges (`sets_to_fold`): each build
//! writes a set of recent-list files beside the older sets, folding into
//! it the newest of them while they are small. Readers combine the sets newest first:
//! a page's list is the newest set's that has it (its own list whole, or
//! a patch on its list in the base's list files), else the base's; the
//! engine reads a cluster's group in every segment.
//!
//! When an old article changed or went, settings differ, or the new
//! articles pass `MAX_DELTA_SHARE` of the base (in a two-level table,
//! sooner if a page's delta files would outweigh its clusters:
//! `delta_reads_past_base`), the CLI builds afresh (`alike index`, which
//! also says why).

use std::collections::{BTreeMap, HashMap};

use super::{
    BuiltIndex, Fnv, IndexBuilder, encode_fingerprints, encode_terms, keep_rank, metadata, strongest_terms,
};
use crate::cell_file::CellFile;
use crate::cluster::delta_group_clusters;
use crate::cluster_file::{CLUSTER_FORMAT, ClusterFile};
use crate::codec::put_vlq;
use crate::engine_file::{Delta, EngineFile};
use crate::format::Listed;
use crate::index::{Index, NeededFile};
use crate::layout::{FileRef, bucket_of_key};
use crate::layout::{RECENT_BITS_MAX, recent_bits};
use crate::list_file::{ListFile, patch, with_new};
use crate::manifest::{ENGINE_FILES_VERSION, Manifest, ManifestLists, RecentLists};
use crate::members::Members;
use crate::story::{fingerprint, group_stories};
use crate::text::url_key;
use crate::weight::{self, Quantizer};

use super::clusters::ClusteredIndex;

/// The most new articles an incremental build takes, as a share of the
/// base's: past it the frozen clusters and df drift from what a fresh
/// build would make, and the deltas grow towards the size of the base.
pub const MAX_DELTA_SHARE: f64 = 0.20;

/// Segments of about one size (at most twice the size of what they would
/// merge into) that make a merge: with 1% rebuilds, four segments of 1%,
/// then of 4%, and so on (`segments_to_merge`).
pub const MERGE_FACTOR: usize = 4;

/// Up to which share of the base's articles the newest segments fold into
/// a build's own before the tiered policy looks (`segments_to_merge`).
pub const SEGMENT_FOLD_SHARE: f64 = 0.02;

/// The most segments an index holds: a build that would make more merges
/// the newest into its own, whatever their size (`segments_to_merge`).
/// Regular rebuilds never reach it (folding and tiers keep at most five
/// before the 20% share); rebuilds of every size mixed would (eight).
pub const MAX_SEGMENTS: usize = 5;

/// Up to which share of the index's bytes the newest sets of recent-list
/// files are rewritten into a build's own (`sets_to_fold`).
pub const RECENT_COLLAPSE_SHARE: f64 = 0.02;

/// Up to which share of the index's bytes a build that folds only some of
/// the older sets writes, with its delta files and its own recent lists
/// (`sets_within`): a fold never makes a large step larger (a 1% rebuild,
/// or one whose segments merge).
pub const FOLD_BUILD_SHARE: f64 = 0.04;

/// The most sets of recent-list files an index holds (a page reads one
/// file of each): a build that would make one more folds the newest into
/// its own, whatever their bytes (`sets_to_fold`).
pub const MAX_RECENT_SETS: usize = 16;

/// An older page's list is rewritten (patched) only when a new article
/// enters its first `PATCH_RANKS` places, the box's default count
/// (`data-count`): one that enters lower changes no default box, and the
/// list keeps its tail until the next full build (stale, never wrong).
pub const PATCH_RANKS: usize = 5;

/// How many times its list file's bytes an indexed page may read of recent
/// lists (a file of each set) before a build with new articles builds
/// afresh instead (`Base::recent_read`). Sets add up: each 1% rebuild's set
/// cost a page about 40% of its list file at 100,000 articles (in 1,000,000's
/// 116 cells) and, with patches at any rank, about one and a half at
/// 1,000,000, whose recent files are coarser (`layout::recent_bits`); an
/// hourly build's few articles fold into the newest set until it takes 2%
/// of the index. Without a bound, an indexed page read 36 KB in 11 requests
/// after ten 1% rebuilds at 100,000 articles; with it, at most 16.5 KB in 5,
/// the seventh going whole (BENCHMARKS.md, *The front of recent lists*).
pub const RECENT_READ_LIMIT: f64 = 2.0;

/// The bytes a request costs beside its body (its response's headers: a
/// list file's 4.0 KB transferred held 3.7 KB of body, BENCHMARKS.md).
const REQUEST_BYTES: usize = 300;

/// The filter of the pages a set of recent-list files holds
/// (`RecentLists::members`), when it is worth its bytes: every page
/// fetches the manifest and so the filter (about a byte a page it holds,
/// `members::BITS_PER_PAGE`, which gzip does not shrink), and a page it
/// refuses, not in the set, skips one of its files (their mean gzipped
/// bytes) and that request. A small rebuild's set on a small site is worth
/// it (BBC, a 1% rebuild: 111 pages, a filter of 111 bytes, against 32
/// files of 425 bytes on average); a large set, whose files are small
/// beside it, is not (synthetic 20,000, a 1% rebuild).
fn set_filter(files: &[ListFile]) -> Option<Members> {
    let pages = files.iter().map(|f| f.pages.len() + f.patches.len()).sum::<usize>();
    if pages > crate::members::MEMBERS_MAX || files.is_empty() {
        return None;
    }
    let saved = files.iter().map(ListFile::gzipped_len).sum::<usize>() / files.len() + REQUEST_BYTES;
    let keys = files.iter().flat_map(|f| f.pages.keys().chain(f.patches.keys()));
    Members::of(keys.collect::<Vec<_>>().into_iter()).filter(|filter| filter.bytes() <= saved)
}

/// The most bytes of the recent sets' filters a manifest carries (as
/// `members::MEMBERS_MAX` bounds the index's own): every page fetches them,
/// the engine path's too, which has no use for them.
const RECENT_FILTERS_MAX: usize = 4_096;

/// `filters` (the sets', oldest first) as the manifest carries them: the
/// newest that fit in `RECENT_FILTERS_MAX` together, None for the others (a
/// reader then looks in those sets' files, as without a filter), and none
/// at all when no set has one.
fn newest_filters(mut filters: Vec<Option<Members>>) -> Vec<Option<Members>> {
    let mut bytes = 0;
    for filter in filters.iter_mut().rev() {
        bytes += filter.as_ref().map_or(0, Members::bytes);
        if bytes > RECENT_FILTERS_MAX {
            bytes -= filter.take().map_or(0, |f| f.bytes());
        }
    }
    if filters.iter().all(Option::is_none) {
        filters.clear();
    }
    filters
}

/// How many of the newest sets of recent-list files (`sets`: their bytes,
/// oldest first) an incremental build folds into its own set, which then
/// holds their lists too and replaces them: as many of the newest as
/// together take at most `RECENT_COLLAPSE_SHARE` of the index's bytes
/// (`index`), and at least enough that at most `MAX_RECENT_SETS` remain.
/// Recent lists do not follow the segments' merges: a merge rewrites its
/// segments' lists and every old list their articles entered (at 20,000
/// articles and 1% rebuilds, 11% of the index's bytes), and even two 1%
/// rebuilds' recent files pass the 5% a rebuild may rewrite (issue 16).
/// So sets fold while small, as an LSM tree's tiers do: a series of small
/// rebuilds (an hourly build's few articles) keeps about one set per 2% of
/// the index its recent lists take, each build rewriting at most 2% of
/// older lists, and 1% rebuilds, whose sets are larger, add one a rebuild
/// until the next full build. All of them fold while all are small (a
/// *collapse*: the build then writes every list since the base); fewer
/// than all, only as many of these as keep the build within
/// `FOLD_BUILD_SHARE` (`sets_within`, once its own bytes are known).
pub fn sets_to_fold(sets: &[u64], index: u64) -> usize {
    let share = RECENT_COLLAPSE_SHARE * index as f64;
    let mut bytes = 0;
    let small = sets.iter().rev().take_while(|&&set| {
        bytes += set;
        bytes as f64 <= share
    });
    small.count().max(forced_folds(sets.len()))
}

/// The fewest older sets a build folds: those that keep them at `MAX_RECENT_SETS` with its own.
fn forced_folds(sets: usize) -> usize {
    (sets + 1).saturating_sub(MAX_RECENT_SETS)
}

/// How many of the `candidates` newest older sets (`sets`: their bytes,
/// oldest first) a build that writes `own` bytes of its own folds: the
/// most that keep what it writes within `budget` bytes, but never fewer
/// than `MAX_RECENT_SETS` requires.
pub fn sets_within(sets: &[u64], candidates: usize, own: u64, budget: f64) -> usize {
    let mut written = own;
    let fit = sets.iter().rev().take(candidates).take_while(|&&set| {
        written += set;
        written as f64 <= budget
    });
    fit.count().max(forced_folds(sets.len()))
}

/// Why a build of `since` articles since a two-level base of `base`
/// articles (in `clusters` clusters and `cells` cells, its delta groups
/// `per_group` clusters, 0 a cell) should build afresh, if it should: a
/// page not in the index reads its two clusters and, in every segment,
/// their groups' delta files, about `since × per_group / clusters` new
/// articles a group against `base / clusters` a cluster, so past
/// `since × per_group > base` the delta files hold more than the clusters
/// and that page's reads have doubled (at 1,000,000 articles, runs of 8:
/// past 12.5% since the base, where `MAX_DELTA_SHARE` waits for 20%). A
/// flat table's two clusters share a group half the time or more
/// (`cluster::in_groups`) and its clusters are small (at most 20,000
/// articles): the share alone bounds it.
fn delta_reads_past_base(
    since: usize,
    base: usize,
    clusters: u32,
    cells: usize,
    per_group: u32,
) -> Option<String> {
    if cells == 0 {
        return None;
    }
    let per_group = if per_group == 0 { clusters.div_ceil(cells as u32) } else { per_group };
    (since as u64 * u64::from(per_group) > base as u64).then(|| {
        format!(
            "{since} articles since the base, in delta files of {per_group} clusters each, are more than a page not in the index reads of the {base} it holds in its two clusters"
        )
    })
}

/// How many of the newest segments (of `sizes`, oldest first, in
/// articles) merge with a new segment of `new` articles, in an index whose
/// base holds `base` articles. First the newest segments fold into the new
/// one while together they hold at most `SEGMENT_FOLD_SHARE` of the base,
/// as the newest sets of recent lists do (`sets_to_fold`): a site that
/// builds hourly keeps one growing segment a day instead of a tier of
/// them, each build rewriting at most that share of older articles (their
/// delta files are about half of what an article costs the index). Then
/// the tiered policy, with the folded size: while the newest segments of
/// about that size, with it, number `MERGE_FACTOR`, they join it, and the
/// next tier is looked at with the merged size. Every segment costs a page
/// not in the index a delta file or two (`engine_file::Delta`), so at
/// least as many merge as keep them at `MAX_SEGMENTS`.
pub fn segments_to_merge(sizes: &[u32], new: u32, base: u32) -> usize {
    if new == 0 {
        return 0;
    }
    let fold = SEGMENT_FOLD_SHARE * f64::from(base);
    let mut merged = u64::from(new);
    let mut take = 0;
    while let Some(&size) = sizes.iter().rev().nth(take) {
        if (merged + u64::from(size)) as f64 > fold {
            break;
        }
        merged += u64::from(size);
        take += 1;
    }
    loop {
        let older = &sizes[..sizes.len() - take];
        let run = older.iter().rev().take_while(|&&size| u64::from(size) <= 2 * merged).count();
        if run + 1 < MERGE_FACTOR {
            return take.max((sizes.len() + 1).saturating_sub(MAX_SEGMENTS));
        }
        merged += older[older.len() - run..].iter().map(|&size| u64::from(size)).sum::<u64>();
        take += run;
    }
}

/// What an incremental build keeps of the previous index, read from its
/// files (`Base::read`).
pub struct Base {
    /// The base's engine file, without the previous delta (nor `latest`).
    pub engine: EngineFile,
    /// Its head as (hash, df), ascending: what the delta files name their
    /// common terms by.
    pub head: Vec<(u64, u32)>,
    /// The cell files of a two-level table, by cell (none when flat).
    pub cells: Vec<CellFile>,
    /// The base articles' URLs, by id.
    pub urls: Vec<String>,
    /// The base's related lists by URL key, each entry the base id of its
    /// article (`list`: as entries); a patch names the base's entries by
    /// position (`list_file::patch`), so their titles and scores are not
    /// held through the build (at 1,000,000 articles, gigabytes). And the
    /// bits of their buckets (none when it ranked none).
    pub lists: HashMap<String, Box<[u32]>>,
    pub list_bits: Option<u8>,
    /// The segments since the base (`engine_file::Delta`), oldest first,
    /// and the clusters of their delta groups (`Delta::group_clusters`).
    pub segments: Vec<BaseSegment>,
    pub group_clusters: u32,
    /// The generations of the sets of recent-list files (`RecentLists`),
    /// oldest first: their own policy (`sets_to_fold`), not the segments'.
    pub recent: Vec<u32>,
    /// Their bytes, and those of every file the base read (the index,
    /// near enough).
    pub recent_bytes: Vec<u64>,
    pub bytes: u64,
    /// The bytes of the base's list files, and the bits of the recent
    /// files' buckets (`recent_read`).
    pub list_bytes: u64,
    pub recent_bits: u8,
    /// How many of the newest sets the next build may fold into its own
    /// (`sets_to_fold`: all of them is a collapse), and, unless that is all
    /// of them, the pages each of those holds, oldest first (a collapse
    /// writes every list since the base).
    pub fold: usize,
    pub folded: Vec<std::collections::HashSet<String>>,
    /// The sets' filters of their pages (`RecentLists::members`), as
    /// `recent` (None for a set without one): a kept set keeps its own.
    pub recent_members: Vec<Option<Members>>,
}

/// A segment of the previous index: its generation, its number of
/// articles per group, and its articles' URLs by id.
pub struct BaseSegment {
    pub generation: u32,
    pub sizes: Vec<u32>,
    pub urls: Vec<String>,
}

impl Base {
    /// Reads the base of the index whose manifest is `manifest`, its files
    /// by path relative to the manifest through `read`, and the sizes in
    /// bytes of its recent-list files through `size` (only their bytes
    /// matter here: the lists an incremental build writes are ranked afresh).
    pub fn read(
        manifest: &Manifest,
        read: impl Fn(&str) -> Result<String, String>,
        size: impl Fn(&str) -> Result<u64, String>,
    ) -> Result<Base, String> {
        let bytes = std::cell::Cell::new(0u64);
        let read = |path: &str| {
            let text = read(path)?;
            bytes.set(bytes.get() + text.len() as u64);
            Ok::<String, String>(text)
        };
        let base =
            manifest.base.as_ref().ok_or("its manifest names no base (written by an earlier alike)")?;
        // Without the manifest's delta and newest articles: an incremental
        // build makes both afresh.
        let engine = EngineFile::from_json(&read(&manifest.engine)?)
            .map_err(|e| format!("its engine file {}: {e}", manifest.engine))?;
        if engine.generation != base.generation || engine.scoring.articles != base.articles {
            return Err("its engine file is not its base's".into());
        }
        let head = engine.head_terms().map_err(|e| format!("its engine file {}: {e}", manifest.engine))?;
        let generation = engine.generation;
        let mut cells = Vec::new();
        let clusters = if engine.clusters.cells.is_empty() {
            engine.clusters.count
        } else {
            for cell in 0..engine.clusters.count {
                let path = FileRef::Cell { cell, generation }.path();
                let file = CellFile::from_json(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
                cells.push(file);
            }
            cells.iter().map(|c| c.clusters.count).sum()
        };
        let mut urls = Vec::with_capacity(engine.scoring.articles as usize);
        for cluster in 0..clusters {
            let path = FileRef::Cluster { cluster, generation }.path();
            let file = ClusterFile::from_json(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
            if file.first as usize != urls.len() {
                return Err(format!("{path} does not follow the cluster before it"));
            }
            urls.extend(file.articles.url);
        }
        if urls.len() != engine.scoring.articles as usize {
            return Err("its cluster files do not hold its articles".into());
        }
        // The base's list files: an incremental build never rewrites them.
        let mut lists = HashMap::new();
        let before_lists = bytes.get();
        let ids: HashMap<&str, u32> =
            urls.iter().enumerate().map(|(id, url)| (url.as_str(), id as u32)).collect();
        let list_bits = manifest.lists.as_ref().map(|l| l.bucket_bits);
        for bucket in 0..list_bits.map_or(0, |bits| 1u32 << bits) {
            let path = FileRef::Lists { bucket, generation }.path();
            let file = ListFile::from_json(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
            let pages = file.pages.into_iter().map(|(key, list)| {
                let ids = list.iter().map(|entry| {
                    ids.get(entry.url.as_str())
                        .copied()
                        .ok_or_else(|| format!("{path} lists {}, which its base does not hold", entry.url))
                });
                Ok::<_, String>((key, ids.collect::<Result<Box<[u32]>, String>>()?))
            });
            for page in pages {
                let (key, list) = page?;
                lists.insert(key, list);
            }
        }
        drop(ids);
        let list_bytes = bytes.get() - before_lists;
        // The segments since the base: their delta files' URLs.
        let mut segments = Vec::new();
        let group_clusters = manifest.delta.as_ref().map_or(0, |delta| delta.group_clusters);
        if let Some(delta) = &manifest.delta {
            let routing = engine.clone().with_manifest(manifest).routing(&head)?;
            let routed = routing.delta.as_ref().ok_or("its delta has no groups")?;
            for (s, generation) in delta.generations().into_iter().enumerate() {
                let mut segment = BaseSegment { generation, sizes: Vec::new(), urls: Vec::new() };
                for group in 0..routed.groups {
                    let at = s * routed.groups + group;
                    let (first, end) = (routed.starts[at], routed.starts[at + 1]);
                    segment.sizes.push(end - first);
                    if first == end {
                        continue;
                    }
                    let path = FileRef::Delta { group: group as u32, generation }.path();
                    let file = ClusterFile::from_json(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
                    if file.first != first || file.articles.url.len() != (end - first) as usize {
                        return Err(format!("{path} does not hold the articles its manifest gives it"));
                    }
                    segment.urls.extend(file.articles.url);
                }
                segments.push(segment);
            }
        }
        // The sets of recent-list files: their sizes, weighed against the
        // index's (near enough: every file read here, and those), and the
        // pages of those that fold.
        let mut recent = Vec::new();
        let mut sizes = Vec::new();
        let (mut fold, mut folded) = (0, Vec::new());
        let mut recent_bits = 0;
        let mut recent_members = Vec::new();
        if let Some(r) = manifest.lists.as_ref().and_then(|l| l.recent.as_ref()) {
            recent_bits = r.bucket_bits;
            recent = [vec![r.generation], r.newer.clone()].concat();
            // Filters that do not match the sets one for one are none.
            if r.members.len() == recent.len() {
                recent_members = r.members.clone();
            }
            recent_members.resize(recent.len(), None);
            let files = |generation| {
                (0..1u32 << r.bucket_bits).map(move |bucket| FileRef::Recent { bucket, generation })
            };
            for &generation in &recent {
                sizes.push(files(generation).map(|file| size(&file.path())).sum::<Result<u64, String>>()?);
            }
            fold = sets_to_fold(&sizes, bytes.get() + sizes.iter().sum::<u64>());
            if fold < recent.len() {
                for &generation in &recent[recent.len() - fold..] {
                    let mut pages = std::collections::HashSet::new();
                    for file in files(generation) {
                        let path = file.path();
                        let file = ListFile::from_json(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
                        pages.extend(file.pages.into_keys().chain(file.patches.into_keys()));
                    }
                    folded.push(pages);
                }
            }
        }
        let bytes = bytes.get() + sizes.iter().sum::<u64>();
        Ok(Base {
            engine,
            head,
            cells,
            urls,
            lists,
            list_bits,
            segments,
            group_clusters,
            recent,
            recent_bytes: sizes,
            bytes,
            list_bytes,
            recent_bits,
            fold,
            folded,
            recent_members,
        })
    }

    /// Why a build with new articles over this base should build afresh
    /// rather than add a set of recent-list files: when the recent files an
    /// indexed page reads (one of each set, their bytes on average) have
    /// passed `limit` times its list file's (`RECENT_READ_LIMIT`). A full
    /// build ranks every list into the list files again, and a page then
    /// reads one file.
    pub fn recent_read(&self, limit: f64) -> Option<String> {
        let bits = self.list_bits?;
        if self.recent.is_empty() || self.list_bytes == 0 {
            return None;
        }
        let list = self.list_bytes as f64 / f64::from(1u32 << bits);
        let recent = self.recent_bytes.iter().sum::<u64>() as f64 / f64::from(1u32 << self.recent_bits);
        let kb = |bytes: f64| format!("{:.1} KB", bytes / 1000.0);
        (recent > limit * list).then(|| {
            format!(
                "an indexed page reads {} of recent lists in {} files, more than {limit} times its list file ({})",
                kb(recent),
                self.recent.len(),
                kb(list)
            )
        })
    }

    /// The base's list of the page `key` (`lists`), each entry its
    /// article's URL alone: what `list_file::with_new` and `patch` read of it.
    pub fn list(&self, key: &str) -> Option<Vec<Listed>> {
        let entry = |&id: &u32| Listed {
            url: self.urls[id as usize].clone(),
            title: String::new(),
            score: None,
            date: None,
            section: None,
            image: None,
            snippet: None,
            pinned: false,
        };
        self.lists.get(key).map(|ids| ids.iter().map(entry).collect())
    }

    fn clusters(&self) -> u32 {
        if self.cells.is_empty() {
            self.engine.clusters.count
        } else {
            self.cells.iter().map(|c| c.clusters.count).sum()
        }
    }
}

/// The new articles, weighed and filed on a base (`IndexBuilder::delta_on`).
pub struct DeltaPlan {
    /// Articles in the base.
    base: u32,
    /// The base's segments this build keeps (the newer ones merge into its own).
    kept: usize,
    /// The first id of this build's segment: after the base's and the kept segments'.
    first: u32,
    /// Per input article (the builder's order): its id in the incremental index.
    ids: Vec<u32>,
    /// Per input article: whether it is new to this build (not in the base
    /// nor in any of its segments).
    unseen: Vec<bool>,
    /// Clusters per group (`Delta::group_clusters`; 0: a two-level
    /// table's cells), and per group its files' articles' input
    /// positions, in id order.
    group_clusters: u32,
    groups: Vec<Vec<usize>>,
    /// Per input article: its postings (term, weight level), new ones only.
    postings: Vec<Vec<(u64, u32)>>,
    /// The df the delta files store for each of their terms.
    df: HashMap<u64, u32>,
    /// Per group, the delta file (built by `BuiltIndex::incremental`).
    files: Vec<Option<ClusterFile>>,
}

impl DeltaPlan {
    /// The number of new articles.
    pub fn len(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The wrapping sum of `content` (one hash per article, in the
    /// builder's order) over the base's articles: what `ManifestBase::content`
    /// holds when none of them changed.
    pub fn base_content(&self, content: &[u64]) -> u64 {
        let base = self.ids.iter().zip(content).filter(|(id, _)| **id < self.base);
        base.fold(0u64, |sum, (_, hash)| sum.wrapping_add(*hash))
    }

    /// The same sum over the articles the previous index added since its
    /// base (its segments'): `ManifestBase::all` less `content` when none
    /// of them changed. A changed one is not this plan's to refile (its
    /// segment's files, and the lists that name it, hold it as it was):
    /// the caller builds afresh.
    pub fn since_content(&self, content: &[u64]) -> u64 {
        let since = (self.ids.iter().zip(&self.unseen).zip(content))
            .filter(|((id, unseen), _)| **id >= self.base && !**unseen);
        since.fold(0u64, |sum, (_, hash)| sum.wrapping_add(*hash))
    }
}

impl IndexBuilder {
    /// The delta of the articles this builder holds beyond `base`'s, or
    /// why they cannot be one (then the build is a full one). The base's
    /// articles must all be here, unchanged: the caller checks their
    /// content (`ManifestBase::content`); this checks what the content
    /// alone cannot tell.
    pub fn delta_on(&self, base: &Base) -> Result<DeltaPlan, String> {
        self.delta_in_groups(base, None)
    }

    /// `delta_on`, with the new segment's groups of `per_group` clusters
    /// (0: cells) when given: the tests' way to an index whose segments
    /// an earlier build grouped otherwise.
    fn delta_in_groups(&self, base: &Base, per_group: Option<u32>) -> Result<DeltaPlan, String> {
        let base_count = base.urls.len();
        let mut ids = vec![u32::MAX; self.articles.len()];
        let segment_urls = base.segments.iter().flat_map(|s| &s.urls);
        for (id, url) in base.urls.iter().chain(segment_urls).enumerate() {
            let Some(&input) = self.seen_urls.get(&url_key(url)) else {
                return Err(format!("article {url} of the previous index is not among the inputs"));
            };
            ids[input] = id as u32;
        }
        let unseen_ones: Vec<bool> = ids.iter().map(|&id| id == u32::MAX).collect();
        let unseen = unseen_ones.iter().filter(|&&u| u).count();
        let since: usize = base.segments.iter().map(|s| s.urls.len()).sum::<usize>() + unseen;
        if since as f64 > MAX_DELTA_SHARE * base_count as f64 {
            return Err(format!(
                "{since} articles since the base are more than {}% of the {base_count} it holds",
                (MAX_DELTA_SHARE * 100.0) as u32
            ));
        }
        // The newest segments that merge into this build's: their
        // articles are this build's to file again.
        let sizes: Vec<u32> = base.segments.iter().map(|s| s.urls.len() as u32).collect();
        let kept = base.segments.len() - segments_to_merge(&sizes, unseen as u32, base_count as u32);
        let first = (base_count + sizes[..kept].iter().map(|&s| s as usize).sum::<usize>()) as u32;
        ids.iter_mut().filter(|id| **id >= first).for_each(|id| *id = u32::MAX);
        let new: Vec<usize> = (0..ids.len()).filter(|&i| ids[i] == u32::MAX).collect();
        let engine = &base.engine;
        let languages: Vec<&str> =
            engine.languages.iter().filter_map(|l| l.first().map(String::as_str)).collect();
        if let Some(&i) = new
            .iter()
            .find(|&&i| self.articles[i].language.as_deref().is_some_and(|l| !languages.contains(&l)))
        {
            return Err(format!(
                "the new article {} is in a language the previous index has not",
                self.articles[i].url
            ));
        }
        for group in self.pins() {
            if ids[group[0] as usize] != u32::MAX && group[1..].iter().any(|&b| ids[b as usize] == u32::MAX) {
                let url = &self.articles[group[0] as usize].url;
                return Err(format!("the editors' picks of {url} name a new article"));
            }
        }

        // The base's df over every term, as its build counted it (the same
        // articles, cut to the same hash bits), and the new articles' own.
        let scoring = &engine.scoring;
        let bits = scoring.hash_bits;
        let counts_of = |i: usize| self.terms.counts(i).truncate_hashes(bits);
        let mut base_df: HashMap<u64, u32> = HashMap::new();
        for (i, _) in ids.iter().enumerate().filter(|(_, id)| (**id as usize) < base_count) {
            for (hash, _) in counts_of(i).iter() {
                *base_df.entry(hash).or_default() += 1;
            }
        }
        let new_counts: Vec<_> = new.iter().map(|&i| counts_of(i)).collect();
        let mut new_df: HashMap<u64, u32> = HashMap::new();
        for counts in &new_counts {
            for (hash, _) in counts.iter() {
                *new_df.entry(hash).or_default() += 1;
            }
        }
        // A term the base has keeps the base's df (queries weigh it so); a
        // term only new articles have counts them.
        let n = scoring.articles;
        let df_of = |hash: u64| base_df.get(&hash).copied().unwrap_or_else(|| new_df[&hash]).min(n);

        // Routing as a query of the article's own text: its nearest
        // cluster (of its nearest cells, when two-level).
        let mut index = Index::from_engine_file(engine.clone()).map_err(|e| e.to_string())?;
        for file in &base.cells {
            let wanted = NeededFile::Cell { cell: file.cell, path: String::new() };
            index.add_cell(&wanted, file.clone()).map_err(|e| e.to_string())?;
        }
        let first_clusters: Vec<u32> = base.cells.iter().map(|c| c.first_cluster).collect();
        // Kept segments keep their groups (one `group_clusters` for all);
        // else runs of clusters (`delta_group_clusters`).
        let per_group = match per_group {
            _ if kept > 0 => base.group_clusters,
            Some(per_group) => per_group,
            None => delta_group_clusters(base.clusters(), base.cells.len() as u32),
        };
        if let Some(why) =
            delta_reads_past_base(since, base_count, base.clusters(), base.cells.len(), per_group)
        {
            return Err(why);
        }
        let group_count =
            if per_group == 0 { base.cells.len() as u32 } else { base.clusters().div_ceil(per_group) };
        let options = &self.options;
        let quantizer = Quantizer::new(scoring.weight_min, scoring.weight_max, scoring.weight_bits);
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); group_count as usize];
        let mut postings: Vec<Vec<(u64, u32)>> = vec![Vec::new(); self.articles.len()];
        let mut df = HashMap::new();
        for (&i, counts) in new.iter().zip(&new_counts) {
            let terms: Vec<(u64, f32)> = counts.iter().collect();
            let (cells, clusters, _) = index.route(&terms);
            let cluster = if cells.is_empty() {
                clusters.first().copied().unwrap_or(0)
            } else {
                index.route_in_cells(&cells, &terms).0.first().copied().unwrap_or(0)
            };
            // (0 groups by cell.)
            let group = cluster
                .checked_div(per_group)
                .unwrap_or_else(|| (first_clusters.partition_point(|&f| f <= cluster) - 1) as u32);
            groups[group as usize].push(i);
            if self.hidden[i] {
                continue;
            }
            let weights: Vec<(u64, f32)> = terms
                .iter()
                .map(|&(hash, count)| {
                    (hash, weight::tf(count) * weight::idf(n, df_of(hash), options.idf_power))
                })
                .collect();
            let kept = strongest_terms(&weights, options.terms_per_article as usize, |hash, weight| {
                let df = df_of(hash);
                (df >= options.min_df).then(|| keep_rank(weight, df, options.common_term_bias))
            });
            for (hash, w) in kept {
                df.insert(hash, weight::stored_count(df_of(hash), n));
                postings[i].push((hash, quantizer.quantize(w)));
            }
        }
        let mut next = first;
        for group in &groups {
            for &i in group {
                ids[i] = next;
                next += 1;
            }
        }
        Ok(DeltaPlan {
            base: n,
            kept,
            first,
            ids,
            unseen: unseen_ones,
            group_clusters: per_group,
            groups,
            postings,
            df,
            files: Vec::new(),
        })
    }

    /// The delta files of `plan` (story groups and editors' picks with ids
    /// of the incremental index): what `BuiltIndex::incremental` writes.
    pub fn delta_files(&self, base: &Base, mut plan: DeltaPlan) -> DeltaPlan {
        let ids = &plan.ids;
        let clusters = base.clusters();
        // Story groups with a new member: each delta file lists them cut
        // down to the leader and its own members, as a cluster file does.
        let mut stories: Vec<Vec<u32>> = group_stories(&self.signatures)
            .into_iter()
            .map(|group| {
                let mut group: Vec<u32> = group.iter().map(|&a| ids[a as usize]).collect();
                group.sort_unstable();
                group
            })
            .filter(|group| group.iter().any(|&a| a >= plan.first))
            .collect();
        stories.sort_unstable();
        let pins: Vec<Vec<u32>> = self
            .pins()
            .into_iter()
            .map(|group| group.iter().map(|&a| ids[a as usize]).collect::<Vec<u32>>())
            .collect();
        let mut first = plan.first;
        let slot = clusters + (plan.kept * plan.groups.len()) as u32;
        let mut files = Vec::with_capacity(plan.groups.len());
        for (g, group) in plan.groups.iter().enumerate() {
            if group.is_empty() {
                files.push(None);
                continue;
            }
            let rows = first..first + group.len() as u32;
            let articles: Vec<_> = group.iter().map(|&i| self.articles[i].clone()).collect();
            let snippets = group.iter().map(|&i| self.snippets[i].clone()).collect();
            let fingerprints: Vec<u16> = group.iter().map(|&i| fingerprint(&self.signatures[i])).collect();
            let mut postings: Vec<(u64, u32, u32)> = group
                .iter()
                .enumerate()
                .flat_map(|(row, &i)| {
                    plan.postings[i].iter().map(move |&(hash, level)| (hash, row as u32, level))
                })
                .collect();
            postings.sort_unstable();
            let within: Vec<Vec<u32>> = stories
                .iter()
                .filter(|story| story.iter().any(|a| rows.contains(a)))
                .map(|story| {
                    let mut cut = vec![story[0]];
                    cut.extend(story[1..].iter().copied().filter(|a| rows.contains(a)));
                    cut
                })
                .filter(|cut| cut.len() > 1)
                .collect();
            let mut related: Vec<Vec<u32>> = pins.iter().filter(|p| rows.contains(&p[0])).cloned().collect();
            related.sort_unstable_by_key(|p| p[0]);
            files.push(Some(ClusterFile {
                format: CLUSTER_FORMAT.to_string(),
                version: ENGINE_FILES_VERSION,
                cluster: slot + g as u32,
                first,
                articles: crate::format::Articles {
                    fingerprints: encode_fingerprints(&fingerprints),
                    stories: within,
                    related,
                    ..metadata(&articles, snippets)
                },
                terms: encode_terms(&postings, |hash| plan.df[&hash], &base.head),
            }));
            first = rows.end;
        }
        plan.files = files;
        plan
    }
}

impl BuiltIndex {
    /// The incremental index of `plan` on `base`: a new segment of delta
    /// files and recent lists (its articles' lists, and the older pages'
    /// lists one of them entered) and the manifest, which names the base,
    /// the kept segments and the new one, and holds the newest articles of
    /// each section. The base's files and the kept segments' are not in
    /// it: they stay as they are.
    pub fn incremental(
        &self,
        base: &Base,
        plan: DeltaPlan,
        related_lists: u32,
        min_score: f32,
    ) -> ClusteredIndex {
        self.incremental_in_steps(base, plan, related_lists, min_score, RECENT_BITS_MAX, &mut |_| {})
    }

    /// `incremental`, calling `step` with the name of each step as it ends
    /// (`alike index --verbose`); a new set of recent lists takes at most
    /// `recent_max` bits of buckets (`layout::recent_bits`; a set beside
    /// older ones takes theirs).
    pub fn incremental_in_steps(
        &self,
        base: &Base,
        plan: DeltaPlan,
        related_lists: u32,
        min_score: f32,
        recent_max: u8,
        step: &mut dyn FnMut(&str),
    ) -> ClusteredIndex {
        let count = self.scoring.articles;
        let ids = &plan.ids;
        let sizes: Vec<u32> = plan.groups.iter().map(|group| group.len() as u32).collect();
        let group_clusters = plan.group_clusters;
        let latest = self.latest.clone().map(|mut latest| {
            latest.articles.iter_mut().flatten().for_each(|a| *a = ids[*a as usize]);
            latest
        });
        // The lists ranked afresh (only these, `lists_to_rewrite`). The new articles' own (all since the
        // base when the recent files collapse, else this build's unseen
        // ones) go to its recent files whole; an older page's list that one
        // of them enters goes there too, and so does every page of the
        // older sets that fold into this one: a base page's as a patch on its base list
        // (`list_file::patch`: a few entries each), a kept segment's page's
        // whole. Every recent bucket has a file, empty or not, so that a
        // lookup never meets a 404. Every other page keeps its list in the
        // newest older set that has it, or the base's: its answer did
        // not change (a fresh ranking may reorder near ties as df drifts,
        // which is no reason to rewrite it).
        let collapse = base.fold == base.recent.len();
        let new_urls: std::collections::HashSet<&str> = (0..ids.len())
            .filter(|&i| if collapse { ids[i] >= plan.base } else { plan.unseen[i] })
            .map(|i| self.articles.url[i].as_str())
            .collect();
        // A base page's list keeps the base's order: only the articles
        // since the base enter it (`list_file::with_new`), copies left out.
        let since: std::collections::HashSet<&str> =
            (0..ids.len()).filter(|&i| ids[i] >= plan.base).map(|i| self.articles.url[i].as_str()).collect();
        let story: HashMap<&str, u32> = (self.stories.iter().enumerate())
            .flat_map(|(s, group)| {
                group.iter().map(move |&a| (self.articles.url[a as usize].as_str(), s as u32))
            })
            .collect();
        let mut fold = if collapse { base.fold } else { 0 };
        let (recent, mut manifest_lists) = match (related_lists, base.list_bits) {
            (1.., Some(bits)) => {
                // Every set of an index has the same buckets: a set beside
                // kept ones takes theirs.
                let set_bits = if collapse { recent_bits(bits, recent_max) } else { base.recent_bits };
                // Only the lists that may be written are ranked
                // (`lists_to_rewrite`): the new articles', the pages of the
                // older sets that may fold, and the old ones a new article
                // may enter.
                let folding: std::collections::HashSet<&String> =
                    if collapse { Default::default() } else { base.folded.iter().flatten().collect() };
                let new: Vec<bool> =
                    self.articles.url.iter().map(|url| new_urls.contains(url.as_str())).collect();
                let whole: Vec<bool> = (self.articles.url.iter().zip(&new))
                    .map(|(url, &new)| new || (!folding.is_empty() && folding.contains(&url_key(url))))
                    .collect();
                let (lists, counts) = self.lists_to_rewrite(related_lists as usize, min_score, &whole, &new);
                let lists: Vec<(&String, Vec<Listed>)> =
                    lists.into_iter().map(|(a, list)| (&self.articles.url[a], list)).collect();
                step(&format!(
                    "related lists ranked ({} whole, {} old pages looked at, {} of them ranked, {} first-pass rows of {})",
                    counts.whole,
                    counts.looked_at,
                    counts.entered,
                    counts.rows,
                    self.articles.url.len()
                ));
                // The recent files with the pages of `folded` (older sets') too.
                let recent_files = |folded: &std::collections::HashSet<&String>| {
                    let mut files: Vec<ListFile> =
                        (0..1u32 << set_bits).map(|bucket| ListFile::new(bucket, BTreeMap::new())).collect();
                    for (url, list) in &lists {
                        let key = url_key(url);
                        let file = &mut files[bucket_of_key(&key, set_bits) as usize];
                        let entered = folded.contains(&key)
                            || list
                                .iter()
                                .take(PATCH_RANKS)
                                .any(|entry| new_urls.contains(entry.url.as_str()));
                        match base.list(&key) {
                            _ if new_urls.contains(url.as_str()) => {
                                file.pages.insert(key, list.clone());
                            }
                            Some(old) if entered => {
                                let now = with_new(
                                    &old,
                                    list,
                                    |url| since.contains(url),
                                    |url| story.get(url).copied(),
                                );
                                file.patches.insert(key, patch(&old, &now));
                            }
                            None if entered => {
                                file.pages.insert(key, list.clone());
                            }
                            _ => {}
                        }
                    }
                    files
                };
                let mut files = recent_files(&Default::default());
                // Which of the older sets that may fold do (`sets_within`):
                // those that keep the build within its share.
                if !collapse && base.fold > 0 {
                    let bytes =
                        |files: &[ListFile]| files.iter().map(|f| f.to_json().len() as u64).sum::<u64>();
                    let deltas = plan.files.iter().flatten().map(|f| f.to_json().len() as u64).sum::<u64>();
                    let budget = FOLD_BUILD_SHARE * base.bytes as f64;
                    fold = sets_within(&base.recent_bytes, base.fold, bytes(&files) + deltas, budget);
                    if fold > 0 {
                        let folded = base.folded[base.folded.len() - fold..].iter().flatten().collect();
                        files = recent_files(&folded);
                    }
                }
                let min_score = (min_score > 0.0).then_some(min_score);
                // The kept sets' filters, and this set's (`set_filter`),
                // the newest within the manifest's share.
                let kept = base.recent.len() - fold;
                let mut members = base.recent_members[..kept].to_vec();
                members.push(set_filter(&files));
                let members = newest_filters(members);
                let recent =
                    Some(RecentLists { bucket_bits: set_bits, generation: 0, newer: Vec::new(), members });
                (
                    files,
                    Some(ManifestLists {
                        length: related_lists,
                        bucket_bits: bits,
                        min_score,
                        recent,
                        newest: self.newest_day(),
                        newest_time: self.newest_time(),
                        #[cfg(not(target_arch = "wasm32"))]
                        members: self.members(),
                    }),
                )
            }
            _ => (Vec::new(), None),
        };
        step("recent-list files made");
        // The generation: the base's, and a hash of what this build adds.
        let mut hash = Fnv::default();
        hash.write(&base.engine.generation.to_le_bytes());
        for segment in &base.segments[..plan.kept] {
            hash.write(&segment.generation.to_le_bytes());
        }
        for size in &sizes {
            hash.write(&size.to_le_bytes());
        }
        for file in plan.files.iter().flatten() {
            hash.write(file.terms.articles.as_bytes());
            hash.write(file.terms.weights.as_bytes());
            for url in &file.articles.url {
                hash.write(url.as_bytes());
            }
        }
        for file in &recent {
            hash.write(file.to_json().as_bytes());
        }
        // Never an older segment's, merged or kept, nor older recent
        // files': their files would be overwritten.
        let kept = &base.segments[..plan.kept];
        let mut generation = (hash.0 ^ (hash.0 >> 32)) as u32;
        while generation == base.engine.generation
            || base.segments.iter().any(|s| s.generation == generation)
            || base.recent.contains(&generation)
        {
            generation = generation.wrapping_add(1);
        }
        let mut segments: Vec<(u32, &[u32])> = kept.iter().map(|s| (s.generation, &s.sizes[..])).collect();
        segments.push((generation, &sizes));
        let vlq = |sizes: &[(u32, &[u32])]| {
            let mut text = String::new();
            sizes.iter().flat_map(|s| s.1).for_each(|&size| put_vlq(&mut text, u64::from(size)));
            text
        };
        let delta = Delta {
            generation: segments[0].0,
            group_clusters,
            sizes: vlq(&segments[..1]),
            newer: segments[1..].iter().map(|s| s.0).collect(),
            newer_sizes: vlq(&segments[1..]),
        };
        if let Some(recent) = manifest_lists.as_mut().and_then(|l| l.recent.as_mut()) {
            let kept = &base.recent[..base.recent.len() - fold];
            let generations = [kept, &[generation]].concat();
            recent.generation = generations[0];
            recent.newer = generations[1..].to_vec();
        }
        let delta = Some(delta);
        let deltas: Vec<(u32, ClusterFile)> =
            plan.files.into_iter().enumerate().filter_map(|(g, file)| Some((g as u32, file?))).collect();
        // The manifest's generation stays the base's, whose list files it
        // names: a reader that knows no recent lists reads the base's. It
        // names the base's engine file too, kept as it is.
        let engine_path = FileRef::Engine { generation: base.engine.generation }.path();
        let manifest = Manifest::new(base.engine.generation, count, engine_path, manifest_lists);
        ClusteredIndex {
            manifest: Manifest { latest, delta, ..manifest },
            engine: base.engine.clone(),
            engine_kept: true,
            cells: Vec::new(),
            clusters: Vec::new(),
            lists: Vec::new(),
            deltas,
            recent,
        }
    }
}

/// One article's row of the lists' first pass (`BuiltIndex::candidate_row`):
/// its candidates with their whole-vector cosines, and its nearest
/// neighbours.
type Row = (Vec<(u32, f32)>, Vec<u32>);

/// What `BuiltIndex::lists_to_rewrite` ranked: lists written whole, old
/// pages looked at (a new article among their candidates'), of those the
/// ones whose list a new article may enter, and first-pass rows made.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reranked {
    pub whole: usize,
    pub looked_at: usize,
    pub entered: usize,
    pub rows: usize,
}

impl BuiltIndex {
    /// The related lists an incremental build may rewrite, each as a full
    /// build ranks it (the same two passes over the whole archive), but
    /// only these: the lists of `whole` (the new articles', and the older
    /// sets' pages that may fold), and the old pages' lists that an
    /// article of `new` (of `whole`) may enter (issue 16: "the related
    /// lists that a rebuild re-ranks are the ones whose answer really
    /// changes"). Lists come in article order, as (article, list).
    ///
    /// An old page `a` can take a new article `n` only if `n` is among its
    /// candidates, which its query finds through the terms the ranking's
    /// index lists `n` under: the old pages looked at are those with such
    /// a term. (The new articles' own candidates would be fewer, but the
    /// relation is far from symmetric once each term keeps its 128
    /// heaviest postings: at 100,000 articles and 1% new they held a third
    /// of the 12,692 old pages a new article enters.) Each gets its first
    /// pass, which scores its new candidates exactly; every other candidate
    /// `b` scores at least its `list_score` with the neighbours the two
    /// share counted only when `b`'s row is made (else 0: half the cosine).
    /// The walk keeps one article a story, so the `k`th best of these bounds
    /// over distinct stories is a floor under the list's last entry: a page
    /// whose new candidates all score below it is not ranked. The others
    /// are walked, with their candidates' first passes. So the walks, the
    /// lists made and the patches grow with the new articles; the first
    /// passes, at 1% new, still cover about the whole archive (nearly every
    /// page has a new candidate), but never more than a full build's.
    pub(crate) fn lists_to_rewrite(
        &self,
        k: usize,
        min_score: f32,
        whole: &[bool],
        new: &[bool],
    ) -> (Vec<(usize, Vec<Listed>)>, Reranked) {
        let postings = self.list_ranking_postings();
        // The terms through which a query reaches a new article: those the
        // ranking's index lists it under.
        let mut reach = vec![false; self.terms.hashes_len()];
        for &(hash, b, _) in postings.iter().filter(|p| new[p.1 as usize]) {
            let id =
                self.terms.id_of(hash).unwrap_or_else(|| panic!("term {hash:x} of article {b} is counted"));
            reach[id as usize] = true;
        }
        let index = Index::from_file(self.single_of(&postings)).expect("a freshly built index decodes");
        drop(postings);
        let keys = self.url_keys();
        let count = self.terms.len();
        let mut rows: Vec<Option<Row>> = (0..count).map(|_| None).collect();
        let mut made = 0;
        let mut fill = |rows: &mut Vec<Option<Row>>, wanted: Vec<usize>| {
            made += wanted.len();
            let filled = super::par_map(wanted.clone(), |a| self.candidate_row(&index, &keys, a));
            for (a, row) in wanted.into_iter().zip(filled) {
                rows[a] = Some(row);
            }
        };
        let whole_ids: Vec<usize> = (0..count).filter(|&a| whole[a]).collect();
        fill(&mut rows, whole_ids.clone());
        // The old pages a new article may enter: those whose query can
        // reach one, through a term it is listed under.
        let looked_at: Vec<usize> = super::par_map((0..count).collect(), |a| {
            (!whole[a] && self.terms.ids_of(a).iter().any(|&id| reach[id as usize])).then_some(a)
        })
        .into_iter()
        .flatten()
        .collect();
        drop(reach);
        fill(&mut rows, looked_at.clone());
        let story = |b: u32| index.article(b).expect("a whole index holds every article").story();
        let entered: Vec<bool> = super::par_map(looked_at.clone(), |a| {
            let (cosines, nearest) = rows[a].as_ref().expect("made above");
            let others =
                cosines.iter().map(|&(b, _)| rows[b as usize].as_ref().map_or(&[][..], |r| &r.1[..]));
            let shared = super::shared_counts(nearest, others);
            let mut floors: Vec<(f32, u32)> = (cosines.iter().zip(shared))
                .map(|(&(b, cosine), shared)| (super::list_score(cosine, shared), b))
                .collect();
            floors.sort_unstable_by(|x, y| y.0.total_cmp(&x.0));
            let mut stories: Vec<u32> = Vec::with_capacity(k);
            let mut floor = f32::NEG_INFINITY;
            for &(score, b) in &floors {
                let s = story(b);
                if !stories.contains(&s) {
                    stories.push(s);
                    if stories.len() == k {
                        floor = score;
                        break;
                    }
                }
            }
            // Exact for a new candidate: its row is made.
            cosines.iter().filter(|&&(b, cosine)| new[b as usize] && cosine >= min_score).any(
                |&(b, cosine)| {
                    let theirs = &rows[b as usize].as_ref().expect("a new article's row is made").1;
                    super::list_score(cosine, super::shared_counts(nearest, std::iter::once(&theirs[..]))[0])
                        >= floor
                },
            )
        });
        let entered: Vec<usize> = looked_at.iter().zip(&entered).filter(|t| *t.1).map(|t| *t.0).collect();
        let mut ranked: Vec<usize> = [&whole_ids[..], &entered[..]].concat();
        ranked.sort_unstable();
        // Their candidates' rows, for the neighbours the walk counts.
        let mut marked = vec![false; count];
        for &a in &ranked {
            for &(b, _) in &rows[a].as_ref().expect("made above").0 {
                marked[b as usize] |= rows[b as usize].is_none();
            }
        }
        fill(&mut rows, (0..count).filter(|&b| marked[b]).collect());
        drop(marked);
        let counts = Reranked {
            whole: whole_ids.len(),
            looked_at: looked_at.len(),
            entered: entered.len(),
            rows: made,
        };
        let listed = |(b, score): super::Entry| {
            super::listed_entry(index.article(b).expect("a whole index holds every article").listed(), score)
        };
        let lists = super::par_map(ranked, |a| {
            let (cosines, nearest) = rows[a].as_ref().expect("made above");
            let neighbours = |b: u32| &rows[b as usize].as_ref().expect("made above").1[..];
            let list = self.walk_list(&index, k, a, cosines, nearest, neighbours);
            let pins = match self.pins.binary_search_by_key(&(a as u32), |group| group[0]) {
                Ok(at) => &self.pins[at][1..],
                Err(_) => &[],
            };
            (a, self.entries(&index, pins, &list, k, min_score).into_iter().map(listed).collect())
        });
        (lists, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cluster_file::decode_cluster_file;
    use crate::manifest::ManifestBase;
    use crate::{Article, BuildOptions, QueryOptions, Step};

    fn fixture() -> Vec<Article> {
        include_str!("../../tests/fixtures/news.jsonl")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a fixture article"))
            .collect()
    }

    fn builder(articles: &[Article]) -> IndexBuilder {
        let mut builder = IndexBuilder::new(BuildOptions::default()).unwrap();
        for article in articles {
            builder.add(article.clone()).unwrap();
        }
        builder
    }

    /// `Base::read`'s readers of files by path.
    fn read_from(files: &HashMap<String, String>) -> impl Fn(&str) -> Result<String, String> + '_ {
        |path| files.get(path).cloned().ok_or(format!("no {path}"))
    }

    fn size_from(files: &HashMap<String, String>) -> impl Fn(&str) -> Result<u64, String> + '_ {
        |path| files.get(path).map(|f| f.len() as u64).ok_or(format!("no {path}"))
    }

    /// A full build of `articles` in clusters of 8, as files by path, and its base read back.
    fn base_of(articles: &[Article]) -> (HashMap<String, String>, Base) {
        base_with_lists(articles, 0)
    }

    fn base_with_lists(articles: &[Article], lists: u32) -> (HashMap<String, String>, Base) {
        base_shaped(articles, lists, 8, None)
    }

    /// `base_with_lists` in clusters of `size`, in `cells` cells if given.
    fn base_shaped(
        articles: &[Article],
        lists: u32,
        size: usize,
        cells: Option<usize>,
    ) -> (HashMap<String, String>, Base) {
        let mut clustered = builder(articles).build().clustered(lists, 0.0, Some(size), cells);
        let generation = clustered.manifest.generation;
        clustered.manifest.base = Some(ManifestBase {
            generation,
            articles: articles.len() as u32,
            content: String::new(),
            settings: String::new(),
            all: None,
        });
        let mut files: HashMap<String, String> = clustered.files().into_iter().collect();
        files.insert("index.json".into(), clustered.manifest.to_json());
        let base = Base::read(&clustered.manifest, read_from(&files), size_from(&files)).unwrap();
        (files, base)
    }

    /// Each of `new` (articles of `index`), its words in reverse order
    /// under another URL (the same terms, not a copy, which is never
    /// shown), finds itself first: its delta file came in the step that
    /// read its clusters.
    fn probes_find(index: &ClusteredIndex, files: &HashMap<String, String>, new: &[Article]) {
        for article in new {
            let mut engine =
                Index::from_engine_file(index.engine.clone().with_manifest(&index.manifest)).unwrap();
            let body = article.body.split(' ').rev().collect::<Vec<_>>().join(" ");
            let probe = Article { url: "/probe".into(), body, ..article.clone() };
            let mut search = engine.search(&probe, &QueryOptions::default()).unwrap();
            let related = loop {
                match search.step(&engine).unwrap() {
                    Step::Need(wanted) => {
                        let clusters = wanted.iter().filter(|s| s.path().starts_with("c/")).count();
                        let deltas = wanted.iter().filter(|s| s.path().starts_with("d/")).count();
                        assert_eq!(clusters > 0, deltas > 0, "{wanted:?}");
                        for shard in &wanted {
                            let json = &files[shard.path()];
                            match shard {
                                NeededFile::Cell { .. } => {
                                    engine.add_cell(shard, CellFile::from_json(json).unwrap()).unwrap()
                                }
                                _ => {
                                    engine.add_cluster(shard, ClusterFile::from_json(json).unwrap()).unwrap()
                                }
                            }
                        }
                    }
                    Step::Done(related) => break related,
                }
            };
            assert_eq!(related[0].url, article.url);
        }
    }

    #[test]
    fn new_articles_go_to_delta_files_that_queries_read_with_their_clusters() {
        let articles = fixture();
        // A flat table, and a two-level one (21 clusters in 3 cells): both
        // group by runs of clusters.
        for (size, cells) in [(8, None), (2, Some(3))] {
            let (mut files, base) = base_shaped(&articles[..41], 0, size, cells);
            assert_eq!(base.cells.len(), cells.unwrap_or(0));
            let all = builder(&articles);
            let plan = all.delta_on(&base).unwrap();
            assert_eq!(plan.len(), 4);
            let per_group = delta_group_clusters(base.clusters(), base.cells.len() as u32);
            assert_eq!(plan.group_clusters, per_group);
            assert_eq!(plan.groups.len() as u32, base.clusters().div_ceil(per_group));
            if cells.is_some() {
                assert!(per_group > 1 && plan.groups.len() > base.cells.len(), "runs, not cells");
            }
            let plan = all.delta_files(&base, plan);
            let index = all.build().incremental(&base, plan, 0, 0.0);
            assert!(
                index.cells.is_empty() && index.clusters.is_empty(),
                "the base's files are kept, not rewritten"
            );
            assert_eq!(index.manifest.articles, 45);
            assert_eq!(index.engine, base.engine, "the base's engine file is kept");
            assert_eq!(index.manifest.engine, FileRef::Engine { generation: base.engine.generation }.path());
            let delta = index.manifest.delta.as_ref().unwrap();
            assert_ne!(delta.generation, base.engine.generation);
            assert_eq!(delta.group_clusters, per_group);
            // Every file round-trips through both decoders, the manifest too.
            assert_eq!(Manifest::from_json(&index.manifest.to_json()).unwrap(), index.manifest);
            for (_, file) in &index.deltas {
                let value: serde_json::Value = serde_json::from_str(&file.to_json()).unwrap();
                assert_eq!(&decode_cluster_file(&value).unwrap(), file);
            }
            // Delta files name common terms by their place in the base's head.
            assert!(index.deltas.iter().any(|(_, file)| !file.terms.head.is_empty()));
            let written = index.files();
            assert!(written.iter().all(|(path, _)| path.starts_with("d/")), "the engine file is kept");
            files.extend(written);
            probes_find(&index, &files, &articles[41..]);
        }
    }

    /// A two-level table whose segment an earlier build grouped by cell
    /// (`group_clusters` 0, before runs): a build that keeps the segment
    /// groups its own by cell too (one grouping for all), and queries find
    /// both builds' articles; a build that merges every segment takes runs.
    #[test]
    fn a_two_level_base_goes_whole_when_its_delta_files_would_outweigh_its_clusters() {
        // 1,000,000 articles: 950,000 in 3,222 clusters in 113 cells, runs of 8.
        let past = |since| delta_reads_past_base(since, 950_000, 3_222, 113, 8);
        assert_eq!(past(118_750), None, "12.5%");
        assert!(
            past(118_751).unwrap().contains("118751 articles since the base, in delta files of 8 clusters")
        );
        // Grouped by cell (29 clusters a cell here): past 3.4%.
        assert_eq!(delta_reads_past_base(32_000, 950_000, 3_222, 113, 0), None);
        assert!(delta_reads_past_base(33_000, 950_000, 3_222, 113, 0).is_some());
        // A flat table: the 20% share alone.
        assert_eq!(delta_reads_past_base(180_000, 950_000, 3_222, 0, 57), None);

        // Through a plan: 23 clusters in 3 cells; 4 new on 41 in runs of 11 would read 44.
        let articles = fixture();
        let (_, base) = base_shaped(&articles[..41], 0, 2, Some(3));
        assert_eq!(base.clusters(), 23);
        let Err(why) = builder(&articles).delta_in_groups(&base, Some(11)) else {
            panic!("runs of 11 should go whole");
        };
        assert!(why.contains("more than a page not in the index reads"), "{why}");
        assert!(builder(&articles).delta_in_groups(&base, Some(10)).is_ok());
    }

    #[test]
    fn kept_segments_grouped_by_cell_keep_their_grouping() {
        let articles = fixture();
        let (mut files, base) = base_shaped(&articles[..41], 0, 2, Some(3));
        let first = builder(&articles[..43]);
        let plan = first.delta_in_groups(&base, Some(0)).unwrap();
        assert_eq!(plan.groups.len(), 3, "a group a cell");
        let plan = first.delta_files(&base, plan);
        let mut index = first.build().incremental(&base, plan, 0, 0.0);
        let full = Manifest::from_json(&files["index.json"]).unwrap();
        index.manifest.base = full.base;
        assert_eq!(index.manifest.delta.as_ref().unwrap().group_clusters, 0);
        files.extend(index.files());
        files.insert("index.json".into(), index.manifest.to_json());
        probes_find(&index, &files, &articles[41..43]);

        let between = Base::read(&index.manifest, read_from(&files), size_from(&files)).unwrap();
        assert_eq!((between.segments.len(), between.group_clusters), (1, 0));
        let all = builder(&articles);
        let plan = all.delta_on(&between).unwrap();
        assert_eq!((plan.kept, plan.group_clusters, plan.groups.len()), (1, 0, 3), "kept, so by cell");
        let plan = all.delta_files(&between, plan);
        let next = all.build().incremental(&between, plan, 0, 0.0);
        let delta = next.manifest.delta.as_ref().unwrap();
        assert_eq!((delta.group_clusters, delta.newer.len()), (0, 1));
        files.extend(next.files());
        probes_find(&next, &files, &articles[41..]);

        // Asked to merge the kept segment too, a build takes runs.
        let mut merged = between;
        merged.segments.clear();
        let plan = builder(&articles).delta_on(&merged).unwrap();
        assert!(plan.group_clusters > 0 && plan.groups.len() > 3);
    }

    #[test]
    fn the_new_articles_lists_and_the_old_lists_they_enter_are_recent_lists() {
        let mut articles = fixture();
        articles[43].date = Some("2031-05-06".into()); // newer than any of the base's
        let (files, base) = base_with_lists(&articles[..41], 5);
        assert_eq!(base.lists.len(), 41);
        let all = builder(&articles);
        let plan = all.delta_files(&base, all.delta_on(&base).unwrap());
        let built = all.build();
        let index = built.incremental(&base, plan, 5, 0.0);
        let lists = index.manifest.lists.as_ref().unwrap();
        let recent = lists.recent.as_ref().unwrap();
        assert_eq!(
            lists.bucket_bits,
            base.list_bits.unwrap(),
            "the base's list files are still the ones named"
        );
        assert_eq!(index.manifest.generation, base.engine.generation);
        assert_eq!(recent.generation, index.manifest.delta.as_ref().unwrap().generation);
        assert_eq!(index.recent.len(), 1 << recent.bucket_bits, "every recent bucket has a file");
        // The newest day counts the new articles (a page dated after it has no list).
        assert_eq!(lists.newest.as_deref(), Some("2031-05-06"));
        let new: Vec<String> = articles[41..].iter().map(|a| url_key(&a.url)).collect();
        // The filter of the pages the lists hold holds the new ones too.
        let filter = lists.members.as_ref().expect("a small index's filter");
        assert!(articles.iter().all(|a| filter.may_hold(&url_key(&a.url))));
        // The new articles' own lists whole...
        let pages: BTreeMap<&String, &Vec<Listed>> = index.recent.iter().flat_map(|f| &f.pages).collect();
        assert_eq!(pages.len(), new.len());
        for key in &new {
            assert!(pages.contains_key(key), "{key}: the new article's list is not a recent one");
        }
        // ...and the old lists a new article entered as patches on their
        // base lists: the new articles where a full ranking puts them, the
        // base's entries in the base's order around them.
        let fresh: HashMap<String, Vec<Listed>> =
            built.related_lists(5, 0.0).into_iter().map(|(url, list)| (url_key(&url), list)).collect();
        let mut patched = 0;
        for file in &index.recent {
            for (key, edits) in &file.patches {
                assert_eq!(file.bucket, bucket_of_key(key, recent.bucket_bits));
                assert!(!new.contains(key), "{key}: a new article's list is a patch");
                let list = crate::list_file::apply(&base.list(key).unwrap(), edits).unwrap();
                let urls = |list: &[Listed]| list.iter().map(|e| e.url.clone()).collect::<Vec<_>>();
                let now = &fresh[key];
                assert_eq!(list.len(), now.len(), "{key}");
                let mut last = None;
                for (entry, ranked) in list.iter().zip(now) {
                    if new.contains(&url_key(&ranked.url)) {
                        assert_eq!(entry.url, ranked.url, "{key}: a new article moved");
                    } else if let Some(at) = base.list(key).unwrap().iter().position(|b| b.url == entry.url) {
                        assert!(last < Some(at), "{key}: the base's order changed: {:?}", urls(&list));
                        last = Some(at);
                    }
                }
                assert!(
                    list.iter().any(|e| new.contains(&url_key(&e.url))),
                    "{key} changed with no new article"
                );
                let whole = edits.iter().filter(|e| matches!(e, crate::list_file::Edit::Whole(_))).count();
                assert!(whole < list.len(), "{key}: the patch writes every entry whole");
                patched += 1;
            }
        }
        assert!(patched > 0, "no old list took a new article");
        // The set's filter holds every page its files hold, and refuses
        // most others, which then fetch only their list file.
        let held: Vec<&String> =
            index.recent.iter().flat_map(|f| f.pages.keys().chain(f.patches.keys())).collect();
        assert_eq!(recent.members.len(), 1, "one set, one filter");
        let filter = recent.members[0].as_ref().expect("a small set's filter");
        assert!(held.iter().all(|key| filter.may_hold(key)));
        let others: Vec<String> =
            articles.iter().map(|a| url_key(&a.url)).filter(|key| !held.contains(&key)).collect();
        let refused = others.iter().filter(|key| !filter.may_hold(key)).count();
        assert!(refused * 4 >= others.len() * 3, "{refused} of {} others refused", others.len());
        // The base's list files are neither written nor changed.
        let written = index.files();
        assert!(written.iter().all(|(path, _)| !path.starts_with("l/") && !files.contains_key(path)));
        assert!(written.iter().any(|(path, _)| path.starts_with("r/")));
    }

    #[test]
    fn only_the_lists_a_new_article_may_enter_are_ranked_and_as_a_full_ranking_ranks_them() {
        let articles = fixture();
        let built = builder(&articles).build();
        let count = articles.len();
        for k in [3, 5, 10] {
            let fresh = built.related_lists(k, 0.0);
            // Any articles may be the new ones: each alone, and runs of them.
            let sets: Vec<Vec<usize>> = (0..count)
                .map(|n| vec![n])
                .chain([(40..45).collect(), (0..45).step_by(7).collect()])
                .collect();
            for set in sets {
                let new: Vec<bool> = (0..count).map(|a| set.contains(&a)).collect();
                let whole: Vec<bool> = (0..count).map(|a| new[a] || a == 20).collect();
                let (lists, counts) = built.lists_to_rewrite(k, 0.0, &whole, &new);
                let ranked: Vec<usize> = lists.iter().map(|(a, _)| *a).collect();
                for (a, list) in &lists {
                    assert_eq!(
                        list, &fresh[*a].1,
                        "k {k}, new {set:?}: {a}'s list is not the full ranking's"
                    );
                }
                for (a, (_, list)) in fresh.iter().enumerate() {
                    let entered = list.iter().any(|e| set.iter().any(|&n| e.url == articles[n].url));
                    assert!(
                        ranked.contains(&a) || !entered,
                        "k {k}, new {set:?}: {a}'s list takes a new article and was not ranked"
                    );
                    assert_eq!(ranked.contains(&a) && whole[a], whole[a], "a whole list is always ranked");
                }
                assert_eq!(counts.whole, whole.iter().filter(|&&w| w).count());
                assert_eq!(counts.whole + counts.entered, lists.len());
                assert!(counts.entered <= counts.looked_at && counts.rows <= count);
            }
        }
        // The floor leaves lists out: at 45 articles, not every page a new
        // article can reach is ranked.
        let new: Vec<bool> = (0..count).map(|a| a == 44).collect();
        let (_, counts) = built.lists_to_rewrite(3, 0.0, &new, &new);
        assert!(counts.entered < counts.looked_at, "{counts:?}");
    }

    #[test]
    fn a_set_has_a_filter_only_where_it_saves_a_page_more_than_it_costs_every_page() {
        let set = |buckets: u32, pages: usize, entries: usize| -> Vec<ListFile> {
            let entry = |i: usize| Listed {
                url: format!("/related/{i}.html"),
                title: format!("Title {i}"),
                score: Some(0.5),
                date: None,
                section: None,
                image: None,
                snippet: None,
                pinned: false,
            };
            let mut files: Vec<ListFile> =
                (0..buckets).map(|bucket| ListFile::new(bucket, BTreeMap::new())).collect();
            for page in 0..pages {
                let key = format!("/page/{page}.html");
                let bits = buckets.trailing_zeros() as u8;
                let list = (0..entries).map(|i| entry(page * 31 + i)).collect();
                files[bucket_of_key(&key, bits) as usize].pages.insert(key, list);
            }
            files
        };
        // A small rebuild's set: 40 pages of ten entries in 16 files.
        let small = set(16, 40, 10);
        let filter = set_filter(&small).expect("worth its bytes");
        assert!(small.iter().flat_map(|f| f.pages.keys()).all(|key| filter.may_hold(key)));
        // Pages whose files are smaller than the filter beside them: 3,000
        // pages of empty lists in 256 files.
        assert_eq!(set_filter(&set(256, 3_000, 0)), None);
        // More pages than any filter holds.
        assert_eq!(set_filter(&set(256, crate::members::MEMBERS_MAX + 1, 10)), None);
        assert_eq!(set_filter(&[]), None);
    }

    #[test]
    fn the_manifest_carries_the_newest_filters_that_fit_its_share() {
        let filter = |pages: usize| Members::of((0..pages).map(|i| format!("/{i}.html")));
        assert_eq!(newest_filters(vec![None, None]), Vec::new(), "none at all");
        let bytes = |filters: Vec<Option<Members>>| -> Vec<usize> {
            newest_filters(filters).iter().map(|f| f.as_ref().map_or(0, Members::bytes)).collect()
        };
        assert_eq!(
            bytes(vec![filter(100), None, filter(2_000), filter(2_000), filter(50)]),
            [0, 0, 2_000, 2_000, 50]
        );
        // The newest fits, the next would pass 4,096, the oldest still fits.
        assert_eq!(bytes(vec![filter(100), filter(3_500), filter(1_000)]), [100, 0, 1_000]);
        assert_eq!(newest_filters(vec![filter(4_096), filter(1)]).iter().flatten().count(), 1);
    }

    #[test]
    fn the_newest_recent_sets_fold_while_small_or_when_too_many() {
        assert_eq!(sets_to_fold(&[], 1000), 0, "nothing older");
        assert_eq!(sets_to_fold(&[5, 10, 5], 1000), 3, "2% of the index: all of them (a collapse)");
        assert_eq!(sets_to_fold(&[5, 10, 6], 1000), 2, "the newest that fit");
        assert_eq!(sets_to_fold(&[5, 30, 6], 1000), 1);
        assert_eq!(sets_to_fold(&[5, 10, 21], 1000), 0, "the newest alone is too large");
        assert_eq!(sets_to_fold(&[500; MAX_RECENT_SETS - 1], 1000), 0, "a reader then reads 16 sets");
        assert_eq!(sets_to_fold(&[500; MAX_RECENT_SETS], 1000), 1, "never 17");
        assert_eq!(
            sets_to_fold(&[500; MAX_RECENT_SETS + 2], 1000),
            3,
            "an index of more sets gets back to 16"
        );
        // A series of small rebuilds: the newest set grows by folding until
        // it passes the share, then the next one starts; each build writes
        // its own and what it folds, at most the share of older lists.
        let mut sets: Vec<u64> = Vec::new();
        for _ in 0..40 {
            let fold = sets_to_fold(&sets, 1000);
            let folded: u64 = sets.drain(sets.len() - fold..).sum();
            assert!(folded <= 20 || fold == 1, "{sets:?}");
            sets.push(folded + 3);
        }
        assert!(sets.len() <= 1 + 40 * 3 / 20, "{sets:?}");
        assert!(sets[..sets.len() - 1].iter().all(|&set| set > 20), "{sets:?}");
    }

    #[test]
    fn an_old_list_is_patched_only_where_a_new_article_enters_its_first_places() {
        let articles = fixture();
        let held = articles.len() - 4;
        let (_, base) = base_with_lists(&articles[..held], 10);
        let all = builder(&articles);
        let plan = all.delta_files(&base, all.delta_on(&base).unwrap());
        let built = all.build();
        let index = built.incremental(&base, plan, 10, 0.0);
        let new: Vec<String> = articles[held..].iter().map(|a| url_key(&a.url)).collect();
        let patched: std::collections::HashSet<&String> =
            index.recent.iter().flat_map(|f| f.patches.keys()).collect();
        let fresh = built.related_lists(10, 0.0);
        let (mut top, mut tail) = (0, 0);
        for (url, list) in &fresh {
            let key = url_key(url);
            if new.contains(&key) {
                continue;
            }
            let at = list.iter().position(|e| new.contains(&url_key(&e.url)));
            match at {
                Some(at) if at < PATCH_RANKS => {
                    top += 1;
                    assert!(patched.contains(&key), "{key}: a new article at {at}, not patched");
                }
                Some(at) => {
                    tail += 1;
                    assert!(!patched.contains(&key), "{key}: a new article only at {at}, patched");
                }
                None => assert!(!patched.contains(&key), "{key}: no new article, patched"),
            }
        }
        assert!(top > 0 && tail > 0, "the fixture should have both: {top} and {tail}");
    }

    #[test]
    fn a_page_reading_more_recent_lists_than_the_limit_makes_the_next_build_whole() {
        let (files, mut base) = base_with_lists(&fixture(), 5);
        let bits = base.list_bits.unwrap();
        let lists: usize =
            files.iter().filter(|(path, _)| path.starts_with("l/")).map(|(_, f)| f.len()).sum();
        assert_eq!(base.list_bytes, lists as u64, "the list files' bytes as read");
        assert_eq!(base.recent_read(RECENT_READ_LIMIT), None, "no recent lists yet");
        // A page's list file: the list files' bytes over their buckets;
        // its recent files: a set's bytes over the recent buckets, summed.
        let page = base.list_bytes as f64 / f64::from(1u32 << bits);
        base.recent_bits = 1;
        base.recent = vec![7, 8];
        let set = |share: f64| (share * page * 2.0) as u64;
        base.recent_bytes = vec![set(0.9), set(1.0)];
        assert_eq!(base.recent_read(2.0), None, "1.9 times its list file");
        assert!(base.recent_read(1.5).is_some(), "a lower limit");
        base.recent_bytes = vec![set(0.9), set(1.2)];
        let why = base.recent_read(2.0).expect("2.1 times its list file");
        assert!(why.contains("in 2 files") && why.contains("more than 2 times its list file"), "{why}");
        base.list_bits = None;
        assert_eq!(base.recent_read(2.0), None, "no lists, no recent lists to read");
    }

    #[test]
    fn a_build_folds_the_sets_that_keep_it_within_its_share() {
        // Sets of 5, 10 and 5 bytes may fold; the build writes 20 of its own.
        assert_eq!(sets_within(&[5, 10, 5], 3, 20, 40.0), 3);
        assert_eq!(sets_within(&[5, 10, 5], 3, 20, 39.0), 2);
        assert_eq!(sets_within(&[5, 10, 5], 3, 20, 34.0), 1);
        assert_eq!(sets_within(&[5, 10, 5], 3, 36, 40.0), 0, "a large build folds none");
        assert_eq!(sets_within(&[5, 10, 5], 1, 20, 40.0), 1, "only the candidates");
        assert_eq!(sets_within(&[9; MAX_RECENT_SETS], 1, 100, 40.0), 1, "never 17, whatever it writes");
    }

    /// The segments' sizes after each of `builds` rebuilds of `new`
    /// articles on a base of `base`, and what each rebuild merged.
    fn segment_series(base: u32, new: u32, builds: usize) -> (Vec<Vec<u32>>, Vec<usize>) {
        let (mut sizes, mut series, mut merges) = (Vec::<u32>::new(), Vec::new(), Vec::new());
        for _ in 0..builds {
            let merged = segments_to_merge(&sizes, new, base);
            let size = new + sizes.drain(sizes.len() - merged..).sum::<u32>();
            sizes.push(size);
            series.push(sizes.clone());
            merges.push(merged);
        }
        (series, merges)
    }

    #[test]
    fn the_tiered_policy_merges_four_segments_of_about_one_size() {
        // A base of 10 articles folds none (2% of it is less than one).
        let (series, merges) = segment_series(10, 1, 16);
        assert_eq!(merges, [0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 1, 1]);
        // (At five segments, the newest merge: `MAX_SEGMENTS`.)
        assert_eq!(series[13], [4, 4, 4, 1, 1]);
        assert_eq!(series[15], [4, 4, 4, 1, 3]);
        // Segments of about one size only: a big older one stays.
        assert_eq!(segments_to_merge(&[40, 1, 1, 1], 1, 10), 3);
        assert_eq!(segments_to_merge(&[40, 4, 4, 1, 1, 1], 1, 10), 3);
        assert_eq!(segments_to_merge(&[4, 4, 4, 1, 1, 1], 1, 10), 6);
        assert_eq!(segments_to_merge(&[1, 1, 1], 0, 10), 0, "nothing new merges nothing");
    }

    #[test]
    fn small_segments_fold_into_the_newest_so_that_few_remain() {
        // An hourly build of 10 articles on 20,000: one segment grows to 2%
        // of the base (400 articles), then the next; a day makes one
        // segment (the tiered policy alone made three), and the run to the
        // 20% share never holds more than five (alone: twelve).
        let (series, _) = segment_series(20_000, 10, 400);
        assert_eq!(series[23], [240]);
        assert_eq!(series[39], [400]);
        assert_eq!(series[40], [400, 10]);
        assert!(series.iter().all(|s| s.len() <= 5), "{:?}", series.iter().map(Vec::len).max());
        // Each build rewrites at most 2% of the base in folded segments,
        // except where a tier merges.
        for (before, after) in series.iter().zip(&series[1..]) {
            let rewritten = after.last().unwrap() - 10;
            let tier = after.len() < before.len();
            assert!(rewritten <= 400 || tier, "{before:?} -> {after:?}");
        }
        // 1% rebuilds pair while two take at most 2%, then tier as before.
        let (series, _) = segment_series(2_000, 20, 8);
        let lens: Vec<usize> = series.iter().map(Vec::len).collect();
        assert_eq!(series[1], [40]);
        assert_eq!(series[6], [140]);
        assert_eq!(lens, [1, 1, 2, 2, 3, 3, 1, 2]);
        // Mixed sizes would tier into more than `MAX_SEGMENTS`: the newest merge.
        let mixed = [500, 2000, 900, 450, 420, 410];
        assert_eq!(segments_to_merge(&mixed[..4], 10, 20_000), 0);
        assert_eq!(segments_to_merge(&mixed[..5], 10, 20_000), 1);
        assert_eq!(segments_to_merge(&mixed, 10, 20_000), 2);
    }

    /// The first answer of the engine of `manifest` (files by path in
    /// `files`) for `article`'s words in reverse order under another URL.
    fn engine_first(
        manifest: &Manifest,
        files: &HashMap<String, String>,
        article: &Article,
    ) -> Option<String> {
        let engine = EngineFile::from_json(&files[&manifest.engine]).unwrap().with_manifest(manifest);
        let mut index = Index::from_engine_file(engine).unwrap();
        let body = article.body.split(' ').rev().collect::<Vec<_>>().join(" ");
        let probe = Article { url: "/probe".into(), body, ..article.clone() };
        let mut search = index.search(&probe, &QueryOptions::default()).unwrap();
        loop {
            match search.step(&index).unwrap() {
                Step::Need(shards) => {
                    for shard in &shards {
                        let file = ClusterFile::from_json(&files[shard.path()]).unwrap();
                        index.add_cluster(shard, file).unwrap();
                    }
                }
                Step::Done(related) => return related.first().map(|r| r.url.clone()),
            }
        }
    }

    /// Rebuilds in a row on the fixture: `steps` new articles each (in an
    /// order `seed` shuffles), as the CLI runs them: the previous
    /// manifest's base read back from the files so far, the new files
    /// added. Checks each step: it writes only its own segment's delta and
    /// recent files under names no file had (so a deploy caught halfway,
    /// before the manifest, which goes last, leaves the old index whole);
    /// the manifest names the kept segments and the new one; every page's
    /// list as readers combine the segments (`list_file::list_of`), reading
    /// only the sets whose filter may hold it, is the list the build that
    /// last wrote it ranked (a model of the segments kept as plain lists);
    /// a kept set keeps its filter; and the engine finds the newest
    /// articles. Returns the builds that folded some older sets but not
    /// all, and the pages' sets a filter spared.
    fn rebuilds_in_a_row(steps: &[usize], seed: u64) -> (usize, usize) {
        let (mut partial_folds, mut skipped) = (0, 0);
        let mut articles = fixture();
        let mut state = seed | 1;
        for i in (1..articles.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            articles.swap(i, (state >> 33) as usize % (i + 1));
        }
        let mut held = 35;
        let (mut files, mut base) = base_with_lists(&articles[..held], 5);
        let base_lists: HashMap<String, Vec<Listed>> =
            base.lists.keys().map(|key| (key.clone(), base.list(key).unwrap())).collect();
        let mut manifest = Manifest::from_json(&files["index.json"]).unwrap();
        let bits = manifest.lists.as_ref().unwrap().bucket_bits;
        // The recent files' lists as written: (generation, key -> URLs).
        let mut model: Vec<(u32, HashMap<String, Vec<String>>)> = Vec::new();
        let urls = |list: &[Listed]| list.iter().map(|e| e.url.clone()).collect::<Vec<_>>();
        for &step in steps {
            held += step;
            let all = builder(&articles[..held]);
            let plan = all.delta_files(&base, all.delta_on(&base).unwrap());
            let built = all.build();
            // A recent-list policy (`sets_to_fold`), as the seed says: every
            // older set folds into the new one (a collapse), none, or the
            // newest few.
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let sets = model.len();
            let fold = match (state >> 40) % 3 {
                0 => sets,
                1 => 0,
                _ if sets >= 2 => 1 + (state >> 50) as usize % (sets - 1),
                _ => 0,
            };
            let collapse = fold == sets;
            partial_folds += usize::from(fold > 0 && !collapse);
            base.fold = fold;
            base.folded = model[sets - fold..].iter().map(|m| m.1.keys().cloned().collect()).collect();
            // (Within `FOLD_BUILD_SHARE` of the index whatever they write.)
            base.bytes = u64::MAX / 2;
            let folded: Vec<String> = base.folded.iter().flatten().cloned().collect();
            let mut index = built.incremental(&base, plan, 5, 0.0);
            index.manifest.base = manifest.base.clone();
            let delta = index.manifest.delta.clone().unwrap();
            let generations = delta.generations();
            let newest = delta.newest();
            let recent = index.manifest.lists.as_ref().unwrap().recent.as_ref().unwrap();
            let recent_generations = [vec![recent.generation], recent.newer.clone()].concat();
            let kept: Vec<u32> = model[..sets - fold].iter().map(|m| m.0).collect();
            assert_eq!(recent_generations, [kept, vec![newest]].concat(), "the older sets kept, fold {fold}");
            // A filter per set or none; a kept set keeps its own.
            assert!(recent.members.is_empty() || recent.members.len() == recent_generations.len());
            let mut members = recent.members.clone();
            members.resize(recent_generations.len(), None);
            assert_eq!(
                members[..sets - fold],
                base.recent_members[..sets - fold],
                "a kept set's filter changed"
            );
            model.truncate(sets - fold);
            // The lists that must be this build's: its new articles' (all
            // since the base, when it collapses), every list one enters, and
            // every list of the sets it folds.
            let new: Vec<&str> = if collapse {
                articles[35..held].iter().map(|a| a.url.as_str()).collect()
            } else {
                articles[held - step..held].iter().map(|a| a.url.as_str()).collect()
            };
            let fresh: HashMap<String, Vec<String>> = built
                .related_lists(5, 0.0)
                .into_iter()
                .map(|(url, list)| (url_key(&url), urls(&list)))
                .collect();
            let mut written = HashMap::new();
            for (path, json) in index.files() {
                let suffix = format!("-{newest:x}.json");
                assert!(
                    (path.starts_with("d/") || path.starts_with("r/")) && path.ends_with(&suffix),
                    "{path}"
                );
                assert!(!files.contains_key(&path), "{path} overwrites a file of the previous index");
                if path.starts_with("r/") {
                    let file = ListFile::from_json(&json).unwrap();
                    written.extend(file.pages.keys().map(|k| (k.clone(), fresh[k].clone())));
                    // A patched list: the articles since the base where the
                    // fresh ranking puts them, the base's others around them.
                    for (k, edits) in &file.patches {
                        let list = urls(&crate::list_file::apply(&base_lists[k], edits).unwrap());
                        assert_eq!(list.len(), fresh[k].len(), "{k}");
                        for (entry, ranked) in list.iter().zip(&fresh[k]) {
                            let old = base_lists.contains_key(&url_key(ranked));
                            assert!(old || entry == ranked, "{k}: {list:?} against {:?}", fresh[k]);
                        }
                        written.insert(k.clone(), list);
                    }
                }
                files.insert(path, json);
            }
            for (key, list) in &fresh {
                let own = new.iter().any(|u| url_key(u) == *key);
                if own || list.iter().any(|u| new.contains(&u.as_str())) {
                    assert!(written.contains_key(key), "{key}: changed, not written");
                }
            }
            // (A collapse writes every list since the base instead.)
            for key in folded.iter().filter(|_| !collapse) {
                assert!(written.contains_key(key), "{key}: folded, not written");
            }
            model.push((newest, written));
            // The manifest last.
            manifest = index.manifest.clone();
            files.insert("index.json".into(), manifest.to_json());

            for key in fresh.keys() {
                let bucket = |bits| bucket_of_key(key, bits);
                let list_file = ListFile::from_json(
                    &files[&FileRef::Lists { bucket: bucket(bits), generation: manifest.generation }.path()],
                )
                .unwrap();
                // As the shim reads them: only the sets whose filter may hold the page.
                let recent_files: Vec<ListFile> = (recent_generations.iter().zip(&members))
                    .rev()
                    .filter(|(_, filter)| {
                        let held = filter.as_ref().is_none_or(|f| f.may_hold(key));
                        skipped += usize::from(!held);
                        held
                    })
                    .map(|(&generation, _)| {
                        let path = FileRef::Recent { bucket: bucket(recent.bucket_bits), generation }.path();
                        ListFile::from_json(&files[&path]).unwrap()
                    })
                    .collect();
                let refs: Vec<&ListFile> = recent_files.iter().collect();
                let read = crate::list_file::list_of(key, &list_file, &refs).unwrap().map(|l| urls(&l));
                let expected = model
                    .iter()
                    .rev()
                    .find_map(|(_, lists)| lists.get(key).cloned())
                    .or_else(|| base_lists.get(key).map(|l| urls(l)));
                assert_eq!(read, expected, "{key} after {steps:?}");
            }
            // The index loads, and the engine finds this segment's articles.
            base = Base::read(&manifest, read_from(&files), size_from(&files)).unwrap();
            assert_eq!(base.segments.iter().map(|s| s.generation).collect::<Vec<_>>(), generations);
            let newest_urls = &base.segments.last().unwrap().urls;
            for article in articles[..held].iter().filter(|a| newest_urls.contains(&a.url)) {
                assert_eq!(engine_first(&manifest, &files, article).as_deref(), Some(article.url.as_str()));
            }
        }
        (partial_folds, skipped)
    }

    #[test]
    fn segments_merge_and_readers_combine_them_newest_first() {
        // Four single articles (the fourth merges the three before it), then two more.
        let (partial_folds, skipped) = rebuilds_in_a_row(&[1, 1, 1, 1, 1, 2], 1);
        assert!(partial_folds > 0, "the seed folds no set but all or none");
        assert!(skipped > 0, "no set's filter spared a page its file");
    }

    proptest::proptest! {
        #[test]
        fn rebuilds_of_any_sizes_keep_at_most_max_segments(
            news in proptest::collection::vec(1u32..=600, 1..80),
            base in 1_000u32..50_000,
        ) {
            let mut sizes: Vec<u32> = Vec::new();
            for new in news {
                let merged = segments_to_merge(&sizes, new, base);
                proptest::prop_assert!(merged <= sizes.len());
                let size = new + sizes.drain(sizes.len() - merged..).sum::<u32>();
                sizes.push(size);
                proptest::prop_assert!(sizes.len() <= MAX_SEGMENTS, "{:?}", sizes);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]
        #[test]
        fn any_sequence_of_rebuilds_reads_as_its_segments_say(
            steps in proptest::collection::vec(1usize..=2, 1..=5),
            seed in proptest::prelude::any::<u64>(),
        ) {
            // At most 20% of the 35-article base since it.
            let mut total = 0;
            let steps: Vec<usize> = steps.into_iter().take_while(|s| { total += s; total <= 7 }).collect();
            rebuilds_in_a_row(&steps, seed);
        }
    }

    #[test]
    fn only_additions_of_up_to_a_fifth_since_the_base_make_a_delta() {
        let articles = fixture();
        let (_, base) = base_of(&articles[..41]);
        let without_one: Vec<Article> =
            articles.iter().filter(|a| a.url != articles[3].url).cloned().collect();
        let why = builder(&without_one).delta_on(&base).err().unwrap();
        assert!(why.contains("is not among the inputs"), "{why}");
        let (_, small) = base_of(&articles[..30]);
        let why = builder(&articles).delta_on(&small).err().unwrap();
        assert!(why.contains("more than 20%"), "{why}");
        // Nothing new: an empty delta.
        assert!(builder(&articles[..41]).delta_on(&base).unwrap().is_empty());
    }
}
