//! The engine file of layout 2 (`e-<generation>.json`, see `layout.rs`):
//! what the engine needs before it can route a query. Scoring, stop words
//! and the common terms' df as in a version-1 manifest, plus the centroid
//! table: each cluster's size and its strongest terms, so that a query
//! fetches only the `probes` clusters nearest to it. Encoder, decoder and
//! the decoded table (`Routing`) sit side by side. Everything in it is
//! fixed by the base build: an incremental build keeps it byte for byte,
//! and what changes with each build is in the manifest (`with_manifest`).

use serde::{Deserialize, Serialize};

use crate::codec::{Reader, put_digit, put_vlq};
use crate::error::Error;
use crate::format::{
    Fields, JsonValue, Latest, Scoring, Terms, decode_scoring, decode_term_streams, float, list, text, whole,
};
use crate::index::{check_scoring, decode_terms};
use crate::layout::FileRef;
use crate::manifest::{ENGINE_FILES_VERSION, check_version};
use crate::weight::{self, Quantizer};

/// The `format` of an engine file.
pub const ENGINE_FORMAT: &str = "alike-engine";
/// Bits per centroid weight (16 levels on a log scale). 6 (one base64
/// digit's worth) until 2026-12-04; 4 routes as well (BBC through `alike
/// query`: P@5 0.9386 against 0.9390 flat, 0.9397 against 0.9398 in a
/// two-level table of 64 terms) and makes each table about a tenth smaller
/// gzipped (the bench's 100,000: its engine file and cell files 9.7%), as
/// the digits, nearly random, take four bits each where they took six.
const CENTROID_WEIGHT_BITS: u8 = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngineFile {
    pub format: String,
    pub version: u32,
    /// The build's generation: the cluster files' names carry it.
    pub generation: u32,
    pub language: String,
    pub stop_words: Vec<String>,
    /// As `IndexFile::languages`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Vec<String>>,
    pub scoring: Scoring,
    /// The common terms (`Scoring::common_df`): hashes and df only.
    pub head: Terms,
    pub clusters: Centroids,
    /// Not in the file: the manifest's `latest` (`Manifest::latest`),
    /// handed over with it (`with_manifest`; the shim's www/engine.js).
    #[serde(skip)]
    pub latest: Option<Latest>,
    /// Not in the file: the manifest's `delta`, the articles added since
    /// the base (absent after a full build), handed over as `latest` is.
    #[serde(skip)]
    pub delta: Option<Delta>,
}

/// The articles incremental builds added since the base, in *segments*
/// (`build/incremental.rs`): each segment is one build's (or a merge of
/// several), numbered after the base's (`scoring.articles`) and after the
/// older segments', group by group, each group in one delta file
/// (`layout::FileRef::Delta`, a cluster file whose `cluster` is the number
/// of clusters plus the segment's position times the groups plus the
/// group). A query reading a cluster also reads the delta files of the
/// cluster's group in every segment. The oldest segment is this struct's
/// own fields, the newer ones are in `newer`: an engine that knows no
/// `newer` reads the base and the oldest segment (stale, never wrong).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// The build that wrote the oldest segment's files: their names carry
    /// it (the base's files carry `EngineFile::generation`).
    pub generation: u32,
    /// Clusters per group, cluster `c` in group `c / group_clusters`
    /// (`cluster::delta_group_clusters`). 0 only in a two-level table
    /// whose groups are its cells (as builds before runs wrote them).
    pub group_clusters: u32,
    /// VLQ, per group: the oldest segment's number of articles.
    pub sizes: String,
    /// The newer segments' generations, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub newer: Vec<u32>,
    /// VLQ, per newer segment and group (segment by segment): its number
    /// of articles. (Numbers and a string rather than a list of objects:
    /// the wasm's decoder has readers for those already.)
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub newer_sizes: String,
}

impl Delta {
    /// Every segment's generation, oldest first.
    pub fn generations(&self) -> Vec<u32> {
        [vec![self.generation], self.newer.clone()].concat()
    }

    /// The newest segment's generation: what the build that wrote the
    /// manifest wrote its files under.
    pub fn newest(&self) -> u32 {
        self.newer.last().copied().unwrap_or(self.generation)
    }
}

/// The centroid table. Articles are numbered cluster by cluster: cluster
/// `c` holds the `sizes[c]` articles after those of the clusters before it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Centroids {
    /// Number of clusters.
    pub count: u32,
    /// How many of the nearest clusters a query reads.
    pub probes: u32,
    /// VLQ, per cluster: its number of articles.
    pub sizes: String,
    /// Every term of any centroid: hashes (gaps) and df, as `Terms`.
    pub vocabulary: Terms,
    /// The range the weight levels span, on a log scale (as `Scoring`'s).
    pub weight_min: f32,
    pub weight_max: f32,
    /// VLQ, per centroid: its number of terms.
    pub lengths: String,
    /// VLQ, per centroid term, centroid by centroid: its position in the
    /// vocabulary, as the gap from the centroid's previous one.
    pub terms: String,
    /// Digits, per centroid term: its weight level (`CENTROID_WEIGHT_BITS`).
    pub weights: String,
    /// Two-level tables only (the engine file's, past
    /// `cluster::TWO_LEVEL_FROM` articles): VLQ, per entry (a cell), how
    /// many clusters it holds. Empty: the entries are the clusters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cells: String,
}

impl Centroids {
    /// Decodes and checks a table whose entries hold the articles from
    /// `articles.0` to `articles.1`, of which a query reads at most
    /// `max_probes`, its vocabulary's common terms named by their place
    /// in `head` (the engine file's); messages name its fields after `name`.
    pub(crate) fn decode(
        &self,
        scoring: &Scoring,
        articles: (u32, u32),
        max_probes: u32,
        name: &str,
        head: &[(u64, u32)],
    ) -> Result<Table, String> {
        let count = self.count as usize;
        if count == 0 {
            return Err(msg!(name, ".count is 0"));
        }
        if self.probes == 0 || self.probes > max_probes {
            return Err(msg!(name, ".probes is ", self.probes, ", not from 1 to ", max_probes));
        }
        let vocabulary = decode_terms(&self.vocabulary, scoring, &msg!(name, ".vocabulary"), head)?;
        let positive = |w: f32| w.is_finite() && w > 0.0 && w <= 1.0;
        if !(positive(self.weight_min) && positive(self.weight_max) && self.weight_min <= self.weight_max) {
            return Err(msg!(name, ".weight_min and weight_max are not a range within 0 to 1"));
        }
        let quantizer = Quantizer::new(self.weight_min, self.weight_max, CENTROID_WEIGHT_BITS);
        let mut sizes = Reader::new(name, ".sizes", &self.sizes);
        let mut starts = Vec::with_capacity(count.min(self.sizes.len()) + 1);
        starts.push(articles.0);
        for _ in 0..count {
            let size = sizes.vlq_u32()?;
            let end = starts[starts.len() - 1].checked_add(size).filter(|&end| end <= articles.1);
            starts.push(end.ok_or_else(|| msg!(name, ".sizes add up to more than its articles"))?);
        }
        sizes.finish()?;
        if starts[count] != articles.1 {
            return Err(msg!(name, ".sizes do not add up to its articles"));
        }
        let (mut lengths, mut terms, mut weights) = (
            Reader::new(name, ".lengths", &self.lengths),
            Reader::new(name, ".terms", &self.terms),
            Reader::new(name, ".weights", &self.weights),
        );
        let mut centroids = Vec::with_capacity(count.min(self.lengths.len()));
        for c in 0..count {
            let length = lengths.vlq_u32()? as usize;
            let mut row = Vec::with_capacity(length.min(vocabulary.hashes.len()));
            let mut position = 0u64;
            for i in 0..length {
                let gap = terms.vlq()?;
                if i > 0 && gap == 0 {
                    return Err(msg!(name, ": centroid ", c, " names a term twice"));
                }
                position += gap;
                if position >= vocabulary.hashes.len() as u64 {
                    return Err(msg!(name, ": centroid ", c, " names a term past the vocabulary"));
                }
                let level = u32::from(weights.digit()?);
                row.push((position as u32, quantizer.dequantize(level)));
            }
            centroids.push(row);
        }
        for stream in [&lengths, &terms, &weights] {
            stream.finish()?;
        }
        Ok(Table {
            starts,
            probes: self.probes as usize,
            hashes: vocabulary.hashes,
            df: vocabulary.df,
            centroids,
        })
    }
}

/// One decoded centroid table: the engine file's (clusters, or cells of a
/// two-level table) or a cell file's (its clusters).
pub(crate) struct Table {
    /// First article of each entry, and one past the last: `count + 1`.
    pub starts: Vec<u32>,
    pub probes: usize,
    /// Vocabulary hashes, ascending, and their df.
    pub hashes: Vec<u64>,
    pub df: Vec<u32>,
    /// Per centroid: (vocabulary position, weight).
    pub centroids: Vec<Vec<(u32, f32)>>,
}

impl Table {
    /// Every centroid's score for a query of (hash, title-weighted count)
    /// terms: the dot product of the query's TF-IDF weights with the
    /// centroid's terms.
    fn scores(&self, counts: &[(u64, f32)], scoring: &Scoring) -> Vec<f32> {
        let mut query = vec![0f32; self.hashes.len()];
        for &(hash, count) in counts {
            if let Ok(at) = self.hashes.binary_search(&hash) {
                query[at] = weight::tf(count) * weight::idf(scoring.articles, self.df[at], scoring.idf_power);
            }
        }
        self.centroids.iter().map(|terms| terms.iter().map(|&(t, w)| query[t as usize] * w).sum()).collect()
    }

    /// The entry holding `article`.
    fn entry_of(&self, article: u32) -> usize {
        self.starts.partition_point(|&start| start <= article).saturating_sub(1)
    }
}

/// A query reads its nearest cluster, and each next one (up to the table's
/// `probes`) only if it scores at least this share of the nearest's: where
/// one cluster is far the nearest, the page's neighbours are in it, and the
/// second's file would cost as much again for little (FAISS's IVF reads a
/// fixed `nprobe`; this is the usual adaptive kind). The ones held back are
/// read after all when the box comes out short (`Search::advance`): as
/// many short and empty boxes as reading every probe (BBC: 17 of 2,225
/// short, none empty; the sample at clusters of 40: 25 and 3 of 329, the
/// same with and without). On BBC subsets of 200 to
/// 2,225 articles (three random orders a size, the demo's 160-character
/// snippets, `bench/small-sites.mjs`), against always two: what a page not
/// in the index reads fell 2.7-5.1 KB on average (the median at 333 from
/// 26.0 to 16.9 KB), P@5 moved -0.0002 to +0.004, the share of an
/// exhaustive search's top 5 found -0.011 to -0.022. Without the read
/// after all, at 0.5, 0.65, 0.7, 0.75, 0.8: at 333 the mean 23.2, 20.5,
/// 19.7, 18.9, 18.2 KB against 25.7, the top 5 found 0.902, 0.890, 0.883,
/// 0.869, 0.858 against 0.906 (measured 2026-12-04). Cells are always
/// read as many as `probes` says: their files are small and a wrong cell
/// loses its clusters.
pub const NEXT_CLUSTER_AT: f32 = 0.65;

/// The `take` highest of (score, id), highest first, ties to the lower id,
/// in two: those scoring at least `share` of the first's, and the others.
fn best(mut scored: Vec<(f32, u32)>, take: usize, share: f32) -> (Vec<u32>, Vec<u32>) {
    scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(take);
    // Scores are sums of positive weights: the first is at least its share.
    let floor = scored.first().map_or(0.0, |s| s.0 * share);
    let near = scored.iter().take_while(|s| s.0 >= floor).count();
    let mut read: Vec<u32> = scored.into_iter().map(|s| s.1).collect();
    let spare = read.split_off(near);
    (read, spare)
}

/// What routes a query. Flat: the engine file's table is the clusters'.
/// Two-level (past `cluster::TWO_LEVEL_FROM` articles): its entries are
/// cells, each cell's clusters are in a cell file (`CellFile`), and a query
/// reads its nearest cells, then its nearest clusters among theirs.
pub(crate) struct Routing {
    pub generation: u32,
    /// The delta's groups (`Delta`), if any.
    pub delta: Option<DeltaRouting>,
    pub top: Table,
    /// Two-level: the first cluster of each cell, and one past the last.
    pub cell_clusters: Option<Vec<u32>>,
    /// Two-level: each cell's table once its file is in.
    pub cells: Vec<Option<Table>>,
    /// Two-level: the cells whose file could not be had.
    pub lost_cells: Vec<u32>,
    /// `NEXT_CLUSTER_AT`; 0 (every probe) for tests that read every cluster.
    pub next_cluster_at: f32,
}

/// A decoded `Delta`.
pub(crate) struct DeltaRouting {
    /// Per segment, oldest first.
    pub generations: Vec<u32>,
    pub group_clusters: u32,
    /// Groups per segment.
    pub groups: usize,
    /// First article of each segment's each group (segment by segment;
    /// the first is the base's count), and one past the last.
    pub starts: Vec<u32>,
}

impl Routing {
    /// Files a query may ask for as clusters: the clusters, then the
    /// delta's groups.
    pub fn slots(&self) -> usize {
        self.clusters() + self.delta.as_ref().map_or(0, |d| d.starts.len() - 1)
    }

    /// Articles in the index, the delta's too.
    pub fn articles(&self) -> u32 {
        match &self.delta {
            Some(delta) => delta.starts[delta.starts.len() - 1],
            None => self.base_articles(),
        }
    }

    /// Articles in the base (ids below it are the base's).
    fn base_articles(&self) -> u32 {
        self.top.starts[self.top.starts.len() - 1]
    }

    /// The delta group of a cluster.
    fn group_of(&self, cluster: u32) -> u32 {
        match (&self.cell_clusters, &self.delta) {
            (_, Some(delta)) if delta.group_clusters > 0 => cluster / delta.group_clusters,
            (Some(first), Some(_)) => (first.partition_point(|&f| f <= cluster) - 1) as u32,
            _ => 0,
        }
    }

    /// `clusters`, then the delta files of their groups that hold
    /// articles, oldest segment first.
    pub fn with_deltas(&self, mut clusters: Vec<u32>) -> Vec<u32> {
        let Some(delta) = &self.delta else { return clusters };
        let base = self.clusters() as u32;
        let groups: Vec<u32> = clusters.iter().map(|&c| self.group_of(c)).collect();
        // Segment by segment, group by group.
        for at in 0..delta.starts.len() - 1 {
            let slot = base + at as u32;
            let group = (at % delta.groups.max(1)) as u32;
            if delta.starts[at] < delta.starts[at + 1] && groups.contains(&group) && !clusters.contains(&slot)
            {
                clusters.push(slot);
            }
        }
        clusters
    }

    /// Clusters in the index.
    pub fn clusters(&self) -> usize {
        match &self.cell_clusters {
            Some(first) => first[first.len() - 1] as usize,
            None => self.top.centroids.len(),
        }
    }

    pub fn is_two_level(&self) -> bool {
        self.cell_clusters.is_some()
    }

    pub fn path(&self, cluster: u32) -> String {
        let base = self.clusters() as u32;
        match &self.delta {
            Some(delta) if cluster >= base => {
                let at = (cluster - base) as usize;
                let generation = delta.generations[at / delta.groups.max(1)];
                FileRef::Delta { group: (at % delta.groups.max(1)) as u32, generation }.path()
            }
            _ => FileRef::Cluster { cluster, generation: self.generation }.path(),
        }
    }

    pub fn cell_path(&self, cell: u32) -> String {
        FileRef::Cell { cell, generation: self.generation }.path()
    }

    /// A cluster's articles (first, one past the last), once known: a
    /// two-level table knows them when the cluster's cell is in.
    pub fn cluster_range(&self, cluster: usize) -> Option<(u32, u32)> {
        if let Some(delta) = &self.delta
            && cluster >= self.clusters()
        {
            let group = cluster - self.clusters();
            return Some((*delta.starts.get(group)?, *delta.starts.get(group + 1)?));
        }
        match &self.cell_clusters {
            None => Some((*self.top.starts.get(cluster)?, *self.top.starts.get(cluster + 1)?)),
            Some(first) => {
                let cell = first.partition_point(|&f| f as usize <= cluster).checked_sub(1)?;
                let table = self.cells.get(cell)?.as_ref()?;
                let at = cluster - first[cell] as usize;
                Some((*table.starts.get(at)?, *table.starts.get(at + 1)?))
            }
        }
    }

    /// A two-level table's cell of a base article (its cluster is known
    /// once the cell is in: `cluster_of`); None when flat, or past the base.
    pub fn cell_of(&self, article: u32) -> Option<u32> {
        (self.cell_clusters.is_some() && article < self.base_articles())
            .then(|| self.top.entry_of(article) as u32)
    }

    /// The cluster holding `article` (None if its cell is not in).
    pub fn cluster_of(&self, article: u32) -> Option<usize> {
        if let Some(delta) = &self.delta
            && article >= delta.starts[0]
        {
            let group = delta.starts.partition_point(|&start| start <= article) - 1;
            return (group + 1 < delta.starts.len()).then_some(self.clusters() + group);
        }
        let entry = self.top.entry_of(article);
        match &self.cell_clusters {
            None => Some(entry),
            Some(first) => Some(first[entry] as usize + self.cells[entry].as_ref()?.entry_of(article)),
        }
    }

    /// The first step of a query of (hash, title-weighted count) terms:
    /// the `probes` nearest entries of the engine file's table, nearest
    /// first (ties: the lower one), clusters past the nearest only as
    /// `NEXT_CLUSTER_AT` says. Clusters when flat, cells when
    /// two-level (then `route_in_cells` picks the clusters). Also the
    /// clusters held back.
    pub fn route(&self, counts: &[(u64, f32)], scoring: &Scoring) -> (Vec<u32>, Vec<u32>) {
        let scores = self.top.scores(counts, scoring);
        let share = if self.cell_clusters.is_some() { 0.0 } else { self.next_cluster_at };
        best(scores.into_iter().zip(0..).collect(), self.top.probes, share)
    }

    /// The second step of a two-level table: the nearest clusters among
    /// those of `cells` whose files are in, at most as many as their
    /// `probes` say (every cell file carries the same: clusters a query
    /// reads in all), past the nearest only as `NEXT_CLUSTER_AT` says; and
    /// those held back.
    pub fn route_in_cells(
        &self,
        cells: &[u32],
        counts: &[(u64, f32)],
        scoring: &Scoring,
    ) -> (Vec<u32>, Vec<u32>) {
        let Some(first) = &self.cell_clusters else { return (Vec::new(), Vec::new()) };
        let mut scored = Vec::new();
        let mut probes = 0;
        for &cell in cells {
            let Some(table) = &self.cells[cell as usize] else { continue };
            probes = probes.max(table.probes);
            let scores = table.scores(counts, scoring);
            scored.extend(scores.into_iter().zip(first[cell as usize]..));
        }
        best(scored, probes, self.next_cluster_at)
    }
}

impl EngineFile {
    /// The centroid table from each cluster's size and its centroid terms
    /// (hash, weight; any order), the vocabulary's df given by `df`, its
    /// common terms named by their place in the engine file's `head`
    /// (hash, df; ascending).
    pub fn centroids(
        sizes: &[u32],
        centroids: &[Vec<(u64, f32)>],
        probes: u32,
        df: impl Fn(u64) -> u32,
        head: &[(u64, u32)],
    ) -> Centroids {
        let mut vocabulary: Vec<(u64, u32, u32)> =
            centroids.iter().flatten().map(|&(hash, _)| (hash, 0, 0)).collect();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        let mut vocabulary_terms = crate::build::encode_terms(&vocabulary, df, head);
        vocabulary_terms.lengths.clear();
        vocabulary_terms.articles.clear();
        vocabulary_terms.weights.clear();
        let weights = centroids.iter().flatten().map(|t| t.1).filter(|&w| w > 0.0);
        let (weight_min, weight_max) =
            weights.fold((f32::MAX, f32::MIN_POSITIVE), |(low, high), w| (low.min(w), high.max(w)));
        let weight_min = weight_min.min(weight_max);
        let quantizer = Quantizer::new(weight_min, weight_max, CENTROID_WEIGHT_BITS);
        let mut table = Centroids {
            count: sizes.len() as u32,
            probes,
            sizes: String::new(),
            vocabulary: vocabulary_terms,
            weight_min,
            weight_max,
            lengths: String::new(),
            terms: String::new(),
            weights: String::new(),
            cells: String::new(),
        };
        for &size in sizes {
            put_vlq(&mut table.sizes, u64::from(size));
        }
        for centroid in centroids {
            let mut row: Vec<(usize, f32)> = centroid
                .iter()
                .map(|&(hash, w)| (vocabulary.binary_search_by_key(&hash, |t| t.0).expect("in it"), w))
                .collect();
            row.sort_unstable_by_key(|t| t.0);
            put_vlq(&mut table.lengths, row.len() as u64);
            let mut previous = 0;
            for (position, w) in row {
                put_vlq(&mut table.terms, (position - previous) as u64);
                previous = position;
                put_digit(&mut table.weights, quantizer.quantize(w) as u8);
            }
        }
        table
    }

    /// The head's terms as (hash, df), ascending, which the engine's files
    /// name common terms by (`Terms::head`). First, the scoring is checked:
    /// the decoders trust it (the `clusters` fuzz target found the
    /// quantizer's panic on a file with no weight range).
    pub(crate) fn head_terms(&self) -> Result<Vec<(u64, u32)>, String> {
        check_scoring(&self.scoring)?;
        let head = decode_terms(&self.head, &self.scoring, "head", &[])?;
        Ok(head.hashes.into_iter().zip(head.df).collect())
    }

    /// Decodes and checks the centroid table (and, two-level, how many
    /// clusters each cell holds); `head` is `head_terms`' answer, which
    /// checked the scoring first.
    pub(crate) fn routing(&self, head: &[(u64, u32)]) -> Result<Routing, String> {
        let articles = (0, self.scoring.articles);
        let top = self.clusters.decode(&self.scoring, articles, self.clusters.count, "clusters", head)?;
        let cell_clusters = if self.clusters.cells.is_empty() {
            None
        } else {
            let mut counts = Reader::new("clusters.cells", "", &self.clusters.cells);
            let mut first = vec![0u32];
            for cell in 0..top.centroids.len() {
                let count = counts.vlq_u32()?;
                let sizes = top.starts[cell + 1] - top.starts[cell];
                if count == 0 || count > sizes.max(1) {
                    return Err(msg!(
                        "clusters.cells gives cell ",
                        cell,
                        " ",
                        count,
                        " clusters for ",
                        sizes,
                        " articles"
                    ));
                }
                first.push(first[cell] + count);
            }
            counts.finish()?;
            Some(first)
        };
        let cells =
            if cell_clusters.is_some() { top.centroids.iter().map(|_| None).collect() } else { Vec::new() };
        let mut routing = Routing {
            generation: self.generation,
            delta: None,
            top,
            cell_clusters,
            cells,
            lost_cells: Vec::new(),
            next_cluster_at: NEXT_CLUSTER_AT,
        };
        if let Some(delta) = &self.delta {
            // As many groups as the clusters make in runs of
            // `group_clusters`, or (0) as a two-level table's cells.
            let clusters = routing.clusters() as u32;
            let groups = match (&routing.cell_clusters, delta.group_clusters) {
                (Some(_), 0) => routing.top.centroids.len() as u32,
                (_, size @ 1..) => clusters.div_ceil(size),
                (None, 0) => return Err("delta.group_clusters does not fit the table".into()),
            };
            // (Two segments of one generation would name one file twice:
            // its `cluster` fits one slot only, and the other is refused.)
            let mut starts = vec![self.scoring.articles];
            let mut generations = vec![delta.generation];
            generations.extend(&delta.newer);
            for (field, sizes, segments) in [
                ("delta.sizes", &delta.sizes, 1),
                ("delta.newer_sizes", &delta.newer_sizes, delta.newer.len()),
            ] {
                let mut sizes = Reader::new(field, "", sizes);
                for _ in 0..groups as usize * segments {
                    let size = sizes.vlq_u32()?;
                    let end = starts[starts.len() - 1]
                        .checked_add(size)
                        .filter(|&end| end - self.scoring.articles <= self.scoring.articles)
                        .ok_or("delta.sizes add up to more than the base")?;
                    starts.push(end);
                }
                sizes.finish()?;
            }
            routing.delta = Some(DeltaRouting {
                generations,
                group_clusters: delta.group_clusters,
                groups: groups as usize,
                starts,
            });
        }
        Ok(routing)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<EngineFile, Error> {
        crate::manifest::read_checked(json, ENGINE_FORMAT, "the engine file")
    }

    /// The engine file with what the manifest holds for the engine: each
    /// section's newest articles and the delta. The engine file is the
    /// base build's, kept through incremental builds; these change with
    /// every build, so they live in the one file every build rewrites.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_manifest(self, manifest: &crate::manifest::Manifest) -> EngineFile {
        EngineFile { latest: manifest.latest.clone(), delta: manifest.delta.clone(), ..self }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// Whether a value as `JSON.parse` made it is an engine file (the browser
/// hands the engine either a version-1 index or this).
pub fn is_engine_file<V: JsonValue>(value: &V) -> bool {
    value.member("format").and_then(|v| v.string()).as_deref() == Some(ENGINE_FORMAT)
}

/// The browser's decoder of an engine file (see `format::decode_index`),
/// given with the manifest's `latest` and `delta` as members of its own
/// (www/engine.js hands it over so; `EngineFile::with_manifest`).
pub fn decode_engine_file<V: JsonValue>(value: &V) -> Result<EngineFile, Error> {
    let format = value.member("format").and_then(|v| v.string());
    let version = value.member("version").and_then(|v| v.number()).map(|n| n as u64);
    check_version(format.as_deref(), version, ENGINE_FORMAT)?;
    let fields = Fields::new(value, "");
    let file = EngineFile {
        format: ENGINE_FORMAT.to_string(),
        version: ENGINE_FILES_VERSION,
        generation: fields.get("generation", whole),
        language: fields.get("language", text),
        stop_words: fields.get("stop_words", |v| list(v, text)),
        languages: fields.optional("languages", |v| list(v, |l| list(l, text))).unwrap_or_default(),
        scoring: fields.get_object("scoring", decode_scoring),
        head: fields.get_object("head", |v| decode_term_streams(v, "head.")),
        clusters: fields.get_object("clusters", decode_centroids),
        latest: fields.optional_object("latest", crate::format::decode_latest),
        delta: fields.optional_object("delta", |value| {
            let fields = Fields::new(value, "delta.");
            let delta = Delta {
                generation: fields.get("generation", whole),
                group_clusters: fields.get("group_clusters", whole),
                sizes: fields.get("sizes", text),
                newer: fields.optional("newer", |v| list(v, whole)).unwrap_or_default(),
                newer_sizes: fields.optional("newer_sizes", text).unwrap_or_default(),
            };
            fields.done(delta)
        }),
    };
    fields.done(file).map_err(Error::CorruptIndex)
}

/// The browser's decoder of a centroid table (`clusters`, in an engine
/// file and in a cell file).
pub(crate) fn decode_centroids<V: JsonValue>(value: &V) -> Result<Centroids, String> {
    let fields = Fields::new(value, "clusters.");
    let centroids = Centroids {
        count: fields.get("count", whole),
        probes: fields.get("probes", whole),
        sizes: fields.get("sizes", text),
        vocabulary: fields.get_object("vocabulary", |v| decode_term_streams(v, "clusters.vocabulary.")),
        weight_min: fields.get("weight_min", float),
        weight_max: fields.get("weight_max", float),
        lengths: fields.get("lengths", text),
        terms: fields.get("terms", text),
        weights: fields.get("weights", text),
        cells: fields.optional("cells", text).unwrap_or_default(),
    };
    fields.done(centroids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_the_next_cluster_only_when_it_is_nearly_as_near() {
        let scored = |scores: &[f32]| scores.iter().copied().zip(0..).collect::<Vec<_>>();
        // Far the nearest: that one alone, the next held back.
        assert_eq!(best(scored(&[0.1, 0.9, 0.3]), 2, NEXT_CLUSTER_AT), (vec![1], vec![2]));
        // The second at two thirds of the nearest or more: both, nearest first.
        assert_eq!(best(scored(&[0.6, 0.9, 0.3]), 2, NEXT_CLUSTER_AT), (vec![1, 0], vec![]));
        // Never more than `take`; ties to the lower id.
        assert_eq!(best(scored(&[0.9, 0.9, 0.9]), 2, NEXT_CLUSTER_AT), (vec![0, 1], vec![]));
        // Cells (share 0) take as many as `take` says, however far.
        assert_eq!(best(scored(&[0.0, 0.9, 0.1, 0.2]), 3, 0.0), (vec![1, 3, 2], vec![]));
        // A query that shares no term with any centroid reads `take`.
        assert_eq!(best(scored(&[0.0, 0.0, 0.0]), 2, NEXT_CLUSTER_AT), (vec![0, 1], vec![]));
        assert_eq!(best(Vec::new(), 2, NEXT_CLUSTER_AT), (Vec::new(), Vec::new()));
    }
}
