//! Spherical k-means of the articles' stored vectors, for the cluster
//! layout (`layout.rs`): articles alike in their terms share a cluster, and
//! a query reads only the clusters nearest to it (an inverted file by
//! cluster, as FAISS's IVF). Pure and deterministic: the seeds come from a
//! fixed generator, and ties go to the lower cluster.
//!
//! Vectors are sparse (term, weight) lists of unit length; centroids are
//! kept sparse too (an inverted table by term), so memory follows the
//! postings, not clusters times vocabulary.

use std::collections::HashMap;

/// How many articles a cluster holds on average: the design's measured
/// choice (32-70 articles a cluster cost the fewest bytes a query, and two
/// probes hold BBC's P@5 at 0.940).
pub const CLUSTER_SIZE: usize = 70;
/// Up to this many articles the index is one cluster: a query reads two
/// clusters (`build::clusters::PROBES`), so below two clusters' worth it reads every
/// article anyway, in one file. Past it the clusters bound what a page not
/// in the index reads: at 333 articles (BBC subsets, snippets of 160
/// characters as the demo's, `bench/small-sites.mjs`) one cluster made it
/// read 49.8 KB of index files, five 26.0 KB, where 500 articles in eight
/// read 29.5; P@5 0.8605 against 0.8537 (at 200: 0.792 and 0.785, 32.3
/// and 25.6 KB; three seeds each, which spread about ±0.01). Up to 350
/// (until 2026-12-03) the demo's own pages not in the index took 101 KB
/// with a 40 KB wasm, past issue 16's 80.
pub const ONE_CLUSTER_UP_TO: usize = 2 * CLUSTER_SIZE;
/// Lloyd rounds; the design's runs used 10.
pub const ROUNDS: usize = 10;

/// The number of clusters for `articles` articles, of `size` articles
/// each if given, else of `CLUSTER_SIZE` past `ONE_CLUSTER_UP_TO`.
pub fn clusters_for(articles: usize, size: Option<usize>) -> usize {
    match size {
        Some(size) => articles.div_ceil(size.max(1)).max(1),
        None if articles <= ONE_CLUSTER_UP_TO => 1,
        None => articles.div_ceil(CLUSTER_SIZE),
    }
}

/// Past this many articles the centroid table is two-level (`top_down`):
/// a flat table of ~70-article clusters outgrows the engine path's budget
/// (38.9 KB at 20,000 articles), and flat k-means grows with N × k.
pub const TWO_LEVEL_FROM: usize = 20_000;
/// Articles a cluster of a two-level table holds on average. Probe 16
/// (bench/layout2.mjs, the real wasm, on the bench's 100,000 articles and
/// its 1,000 spread queries; engine, cell and cluster files a query reads,
/// gzip -9, median): with 2 clusters read, clusters of 120, 150 and 200
/// cost 20.2, 24.1 and 29.3 KB of cluster files (45, 40, 45 cells, 4 read,
/// 64 terms: 46.0, 47.5, 49.5 KB in all, P@5 0.9942, 0.9944, 0.9942); 120
/// made 5,003 files with the 4,096 list files (`layout::bucket_bits`),
/// past the 5,000-file budget. The defaults (150, `CELLS_PER_ROOT`, 3
/// cells read, 48 terms, 6-bit weights) read 40.1 KB at P@5 0.9938 (0.9948 on 3,000
/// spread queries), against 52.7 KB at 0.9940 (0.9947) for the earlier
/// 200 in √k cells, 4 read, 64 terms.
pub const TWO_LEVEL_CLUSTER_SIZE: usize = 150;
/// Past 500,000 articles: 1,000,000 in clusters of 150 or 200 would take
/// 6,667 or 5,000 files beside 16,384 list files (`layout::bucket_bits`),
/// past the 20,000-file budget; clusters of 300 take 3,334.
pub const LARGE_CLUSTER_SIZE: usize = 300;
/// Cells of a two-level table: about `CELLS_PER_ROOT` × √clusters. The
/// engine file holds every cell's centroid and a query reads a few cell
/// files of clusters/cells centroids each, so the bytes are least near
/// √(cells read × clusters), not √clusters. Probe 16 (as above): 100,000
/// articles in clusters of 200, 4 cells read, 64 terms: 23 cells (√k)
/// 52.7 KB a query, 45 cells 49.5 KB (P@5 0.9940, 0.9942); in clusters of
/// 150, 3 read, 64 terms: 40 cells 44.2 KB, 60 cells 43.4 KB (0.9942,
/// 0.9940). At 1,000,000 (clusters of 300) 116 cells and 3,392 clusters
/// make 19,894 files with the 16,384 list files, within 20,000.
pub const CELLS_PER_ROOT: f64 = 2.0;

/// How an index is cut: `clusters` in all, in `cells` cells (0: a flat
/// table, no cells).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub clusters: usize,
    pub cells: usize,
}

/// The shape for `articles` articles: clusters of `size` articles if
/// given, in `cells` cells if given (0 or 1: flat), else flat up to
/// `TWO_LEVEL_FROM` articles and two-level past it, about `CELLS_PER_ROOT`
/// × √clusters cells (the cell files and the engine file's table then
/// grow alike).
pub fn shape(articles: usize, size: Option<usize>, cells: Option<usize>) -> Shape {
    let two_level = cells.map_or(articles > TWO_LEVEL_FROM, |cells| cells > 1);
    if !two_level {
        return Shape { clusters: clusters_for(articles, size), cells: 0 };
    }
    let size = size.unwrap_or(if articles > 500_000 { LARGE_CLUSTER_SIZE } else { TWO_LEVEL_CLUSTER_SIZE });
    let clusters = articles.div_ceil(size.max(1)).max(1);
    let cells =
        cells.unwrap_or((CELLS_PER_ROOT * (clusters as f64).sqrt()).ceil() as usize).clamp(1, clusters);
    Shape { clusters, cells }
}

/// A sparse unit vector: (term, weight), sorted by term.
pub type Vector = Vec<(u64, f32)>;

/// One cell of a two-level clustering: its centroid and its clusters
/// (centroid, members ascending), none of them empty.
pub struct Cell {
    pub centroid: Vector,
    pub clusters: Vec<(Vector, Vec<u32>)>,
}

/// A two-level clustering, top-down (as the design measured): the vectors
/// into `cells` cells, then each cell's members into its share of
/// `clusters` (at least one), so that every cluster lies inside one cell.
/// Its cost follows N × (cells + clusters a cell), not N × clusters.
pub fn top_down(vectors: &[Vec<(u64, f32)>], cells: usize, clusters: usize, rounds: usize) -> Vec<Cell> {
    let top = cluster(vectors, cells, rounds);
    let total = vectors.len().max(1);
    top.members()
        .into_iter()
        .zip(top.centroids)
        .filter(|(members, _)| !members.is_empty())
        .map(|(members, centroid)| {
            let share = (clusters * members.len()).div_ceil(total).max(1);
            let part: Vec<Vec<(u64, f32)>> = members.iter().map(|&v| vectors[v as usize].clone()).collect();
            let inner = cluster(&part, share, rounds);
            let clusters = inner
                .members()
                .into_iter()
                .zip(inner.centroids)
                .filter(|(m, _)| !m.is_empty())
                .map(|(m, c)| (c, m.into_iter().map(|i| members[i as usize]).collect()))
                .collect();
            Cell { centroid, clusters }
        })
        .collect()
}

/// A clustering: the cluster of each vector, and each centroid as (term,
/// weight) sorted by term, unit length.
pub struct Clustering {
    pub assign: Vec<u32>,
    pub centroids: Vec<Vec<(u64, f32)>>,
}

impl Clustering {
    /// Members of each cluster, ascending.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut members = vec![Vec::new(); self.centroids.len()];
        for (v, &c) in self.assign.iter().enumerate() {
            members[c as usize].push(v as u32);
        }
        members
    }
}

/// A small seeded generator, so that a build repeats.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.below_u64(n as u64) as usize
    }

    fn below_u64(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 16) % n
    }
}

/// Clusters unit sparse vectors (each sorted by term) into `k` groups
/// (fewer if there are fewer vectors), `rounds` rounds of Lloyd's
/// iteration on the unit sphere. An empty vector joins cluster 0.
pub fn cluster(vectors: &[Vec<(u64, f32)>], k: usize, rounds: usize) -> Clustering {
    clustering(vectors, k, rounds, None)
}

/// How far past the mean a flat table's cluster may grow (`balanced`): a
/// tenth. On the demo's sample (333 articles, five clusters) k-means alone
/// made clusters of 4.7-15.4 KB gzipped; capped, 6.4-12.3.
pub const BALANCE: f32 = 1.1;
/// Rounds of capped assignment after Lloyd's (`balanced`).
const BALANCE_ROUNDS: usize = 3;

/// `cluster`, then the sizes evened out: a cluster takes more than `slack`
/// × the mean (`BALANCE`) only of vectors whose two nearest are both full.
/// A page not in the index reads whole cluster files, and the larger a
/// cluster the more such pages land in it, so what a page reads goes as
/// the sum of the sizes' squares: least when they are even. Each round,
/// the vectors in order of how much they prefer their nearest centroid to
/// the next (the surest first) take the nearest if it has room, else the
/// next; then the centroids move to their members.
///
/// Never further than the second: a query reads its two nearest clusters
/// (`build::clusters::PROBES`), so a vector stays in one its own text
/// routes to (sent to any cluster with room, BBC's 2,225 articles at new
/// URLs found 0.762 of an exhaustive search's top 5, against 0.779 as
/// k-means leaves them and 0.791 so, in the corpus's order). Over three
/// random orders of BBC subsets of 200-2,225 articles (`bench/small-sites.mjs`)
/// the share found moves by -0.015 to +0.008 and P@5 by -0.002 to +0.005,
/// for 0.5-1.6 KB less read on average and 1.6-5.8 KB less at the 90th
/// percentile: smaller clusters trade the same way (of 50 articles: 4.5-5.3
/// KB for 0.04-0.05 of that share), so this is a point on that front that
/// takes most off the largest reads.
pub fn balanced(vectors: &[Vec<(u64, f32)>], k: usize, rounds: usize, slack: f32) -> Clustering {
    clustering(vectors, k, rounds, Some(slack))
}

fn clustering(vectors: &[Vec<(u64, f32)>], k: usize, rounds: usize, slack: Option<f32>) -> Clustering {
    let k = k.min(vectors.len()).max(1);
    // Dense term ids, so that the inverted table is a plain vector.
    let mut terms: Vec<u64> = vectors.iter().flat_map(|v| v.iter().map(|t| t.0)).collect();
    terms.sort_unstable();
    terms.dedup();
    let id = |hash: u64| terms.binary_search(&hash).expect("a term of these vectors") as u32;
    let dense: Vec<Vec<(u32, f32)>> =
        vectors.iter().map(|v| v.iter().map(|&(h, w)| (id(h), w)).collect()).collect();
    let mut random = Lcg(0x0061_6c69_6b65);
    let candidates: Vec<usize> = (0..dense.len()).filter(|&v| !dense[v].is_empty()).collect();
    let seeds = seeds(&dense, &candidates, k, terms.len(), &mut random);
    let mut centroids: Vec<Vec<(u32, f32)>> = seeds.iter().map(|&v| dense[v].clone()).collect();
    centroids.resize(k, Vec::new());
    let (mut assign, mut centroids) = lloyd(&dense, centroids, terms.len(), rounds, &candidates, &mut random);
    if let Some(slack) = slack {
        (assign, centroids) = even_out(&dense, centroids, terms.len(), slack);
    }
    let centroids =
        centroids.into_iter().map(|c| c.into_iter().map(|(t, w)| (terms[t as usize], w)).collect()).collect();
    Clustering { assign, centroids }
}

/// Up to `rounds` rounds of Lloyd's iteration from `centroids` (over
/// term ids below `dim`): each vector joins its nearest centroid, each
/// centroid moves to its members' mean direction, and an empty one restarts
/// at a vector of `candidates` drawn by `random`. Returns the last
/// assignment and its members' centroids.
fn lloyd(
    vectors: &[Vec<(u32, f32)>],
    mut centroids: Vec<Vec<(u32, f32)>>,
    dim: usize,
    rounds: usize,
    candidates: &[usize],
    random: &mut Lcg,
) -> (Vec<u32>, Vec<Vec<(u32, f32)>>) {
    let k = centroids.len();
    let mut assign = assign_all(vectors, &centroids, dim);
    for _ in 0..rounds.max(1) {
        centroids = centres(vectors, &assign, k);
        let mut restarted = false;
        for centroid in centroids.iter_mut().filter(|c| c.is_empty()) {
            if !candidates.is_empty() {
                *centroid = vectors[candidates[random.below(candidates.len())]].clone();
                restarted = true;
            }
        }
        let next = assign_all(vectors, &centroids, dim);
        // Settled: with no vector moved (and no cluster restarted, so no
        // draw), the same members make the same centroids and every
        // further round would repeat this one: stopping gives the same
        // output as running them.
        let settled = !restarted && next == assign;
        assign = next;
        if settled {
            break;
        }
    }
    let centroids = centres(vectors, &assign, k);
    (assign, centroids)
}

/// `BALANCE_ROUNDS` rounds of capped assignment (`balanced`) from
/// `centroids`: returns the last assignment and its members' centroids.
fn even_out(
    vectors: &[Vec<(u32, f32)>],
    mut centroids: Vec<Vec<(u32, f32)>>,
    dim: usize,
    slack: f32,
) -> (Vec<u32>, Vec<Vec<(u32, f32)>>) {
    let (n, k) = (vectors.len(), centroids.len());
    // At least the mean.
    let room = ((n as f32 * slack / k as f32).ceil() as usize).max(n.div_ceil(k));
    let mut assign: Vec<u32> = Vec::new();
    for _ in 0..BALANCE_ROUNDS {
        // Each vector's nearest two and how much nearer the first is.
        let by_term = by_term(&centroids, dim);
        let nearest_two: Vec<(usize, usize, f32)> =
            crate::build::par_map(vectors.iter().collect(), |vector| {
                let scores = scores(vector, &by_term, k);
                // A second that shares no term with the vector is no
                // neighbour (an empty centroid, as twins leave): never moved
                // there. The margin stays the distance to it all the same,
                // so such a vector counts as sure and keeps its place.
                let (first, second) = two_nearest(&scores);
                let margin = scores[first] - second.map_or(0.0, |s| scores[s]);
                (first, second.filter(|&s| scores[s] > 0.0).unwrap_or(first), margin)
            });
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| nearest_two[b].2.total_cmp(&nearest_two[a].2).then(a.cmp(&b)));
        let mut size = vec![0usize; k];
        let mut next = vec![0u32; n];
        for v in order {
            // The nearest if it has room, else the second if that has, else
            // the nearest all the same: a query reads two clusters, so an
            // article in either of its two is read by queries of its text.
            let (first, second, _) = nearest_two[v];
            let c = if size[first] < room || size[second] >= room { first } else { second };
            size[c] += 1;
            next[v] = c as u32;
        }
        let settled = next == assign;
        assign = next;
        centroids = centres(vectors, &assign, k);
        if settled {
            break;
        }
    }
    (assign, centroids)
}

/// k-means++ seeding for the cosine: each seed is drawn among the
/// non-empty vectors with odds in proportion to how unlike the seeds so
/// far they are (1 - their best dot product with one), so that the seeds
/// spread over the topics instead of piling into the largest.
fn seeds(
    vectors: &[Vec<(u32, f32)>],
    candidates: &[usize],
    k: usize,
    dim: usize,
    random: &mut Lcg,
) -> Vec<usize> {
    let mut seeds = Vec::with_capacity(k);
    if candidates.is_empty() {
        return seeds;
    }
    let mut likeness = vec![0f32; candidates.len()];
    let mut seed = candidates[random.below(candidates.len())];
    let mut row = vec![0f32; dim];
    while seeds.len() < k.min(candidates.len()) {
        seeds.push(seed);
        for &(t, w) in &vectors[seed] {
            row[t as usize] = w;
        }
        // Each candidate's dot product with the new seed, on every core.
        let seed_row = &row;
        let chunks = candidates.chunks(SEED_CHUNK).zip(likeness.chunks_mut(SEED_CHUNK)).collect();
        crate::build::par_map(chunks, |(chunk, likeness): (&[usize], &mut [f32])| {
            for (&v, like) in chunk.iter().zip(likeness) {
                let dot: f32 = vectors[v].iter().map(|&(t, w)| w * seed_row[t as usize]).sum();
                *like = like.max(dot);
            }
        });
        for &(t, _) in &vectors[seed] {
            row[t as usize] = 0.0;
        }
        // Odds in whole units, so that the draw is the same on every machine.
        let odds: Vec<u64> = likeness.iter().map(|&l| ((1.0 - l).max(0.0) * 1e6) as u64).collect();
        let total: u64 = odds.iter().sum();
        if total == 0 {
            break; // every vector is a seed's twin
        }
        let mut draw = random.below_u64(total);
        let mut pick = 0;
        while draw >= odds[pick] {
            draw -= odds[pick];
            pick += 1;
        }
        seed = candidates[pick];
    }
    seeds
}

/// Candidates a task of the seeding's parallel pass takes.
const SEED_CHUNK: usize = 4096;

/// Each vector's nearest centroid by dot product (ties: the lower one).
fn assign_all(vectors: &[Vec<(u32, f32)>], centroids: &[Vec<(u32, f32)>], dim: usize) -> Vec<u32> {
    let by_term = by_term(centroids, dim);
    crate::build::par_map(vectors.iter().collect(), |vector| {
        nearest(&scores(vector, &by_term, centroids.len()))
    })
}

/// The centroids inverted by term (of `dim`): (cluster, weight) lists, so
/// that a vector meets only the centroids it shares a term with.
fn by_term(centroids: &[Vec<(u32, f32)>], dim: usize) -> Vec<Vec<(u32, f32)>> {
    let mut by_term: Vec<Vec<(u32, f32)>> = vec![Vec::new(); dim];
    for (c, centroid) in centroids.iter().enumerate() {
        for &(t, w) in centroid {
            by_term[t as usize].push((c as u32, w));
        }
    }
    by_term
}

/// `vector`'s dot product with each of the `k` centroids of `by_term`.
fn scores(vector: &[(u32, f32)], by_term: &[Vec<(u32, f32)>], k: usize) -> Vec<f32> {
    let mut scores = vec![0f32; k];
    for &(t, w) in vector {
        for &(c, cw) in &by_term[t as usize] {
            scores[c as usize] += w * cw;
        }
    }
    scores
}

/// The index of the highest score, the lowest index on ties.
pub fn nearest(scores: &[f32]) -> u32 {
    let mut best = 0;
    for (c, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = c;
        }
    }
    best as u32
}

/// The indexes of the highest score and of the highest of the others (the
/// lowest index on ties; none with one score).
fn two_nearest(scores: &[f32]) -> (usize, Option<usize>) {
    let first = nearest(scores) as usize;
    let second = (0..scores.len()).filter(|&c| c != first).fold(None, |best: Option<usize>, c| {
        if best.is_none_or(|b| scores[c] > scores[b]) { Some(c) } else { best }
    });
    (first, second)
}

/// The unit mean direction of each cluster's members, sorted by term.
fn centres(vectors: &[Vec<(u32, f32)>], assign: &[u32], k: usize) -> Vec<Vec<(u32, f32)>> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
    for (v, &c) in assign.iter().enumerate() {
        members[c as usize].push(v as u32);
    }
    // Cluster by cluster on every core, each summed in its members' order.
    crate::build::par_map(members, |members| {
        unit_sum(members.iter().flat_map(|&v| vectors[v as usize].iter().copied()).collect())
    })
}

/// The sum of the weighted terms in `part` (any order), one entry a term,
/// sorted by term and scaled to unit length.
fn unit_sum(mut part: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    part.sort_unstable_by_key(|t| t.0);
    let mut sum: Vec<(u32, f32)> = Vec::new();
    for (t, w) in part {
        match sum.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => sum.push((t, w)),
        }
    }
    let norm = crate::weight::norm(sum.iter().map(|t| t.1));
    if norm > 0.0 {
        sum.iter_mut().for_each(|t| t.1 /= norm);
    }
    sum
}

/// A centroid's strongest `keep` terms, sorted by term: what the engine
/// file carries to route queries.
pub fn strongest(centroid: &[(u64, f32)], keep: usize) -> Vec<(u64, f32)> {
    let mut terms = centroid.to_vec();
    terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.truncate(keep);
    terms.sort_unstable_by_key(|t| t.0);
    terms
}

/// Flat tables: clusters per delta group, about the square root of the
/// clusters (6 groups of 6 at 32 clusters, 17 of 17 at 285), so that a
/// delta file holds a useful share of the new articles and a query,
/// reading two clusters, reads at most two delta files (one when they are
/// of one group: `in_groups`).
pub fn group_clusters(clusters: u32) -> u32 {
    (f64::from(clusters).sqrt().ceil() as u32).max(1)
}

/// Clusters per delta group of a table of `clusters` in `cells` cells (0:
/// flat, `group_clusters`): in a two-level table, runs of about a quarter
/// of a cell (clusters are numbered cell by cell, so a run lies in one or
/// two neighbouring cells). A group of a whole cell (about 29 clusters at
/// 1,000,000 articles) made a page not in the index read 858 new articles
/// of delta files, median, at 5% since the base, against about 590 in its
/// two clusters; runs of 8 read 250 in 1.91 files a segment instead of
/// 1.56, runs of 4 130 in 1.97 but 806 files a segment
/// (`bench/delta-groups.mjs`, BENCHMARKS.md `delta-groups-synthetic-1m`).
#[cfg(not(target_arch = "wasm32"))] // incremental builds only
pub fn delta_group_clusters(clusters: u32, cells: u32) -> u32 {
    if cells == 0 {
        return group_clusters(clusters);
    }
    (f64::from(clusters) / f64::from(cells) / 4.0).ceil().max(1.0) as u32
}

/// How often two clusters of a flat table (`centroids`, sorted by term)
/// are an article's (of `vectors`, sorted by term) two nearest: the pairs
/// a query of its text reads together, by cluster.
pub fn read_together(vectors: &[Vector], centroids: &[Vector]) -> Vec<Vec<f32>> {
    let k = centroids.len();
    let mut together = vec![vec![0.0f32; k]; k];
    if k < 2 {
        return together;
    }
    // The centroids' terms numbered densely (`by_term`); a vector's other terms meet none.
    let mut ids: HashMap<u64, u32> = HashMap::new();
    let dense: Vec<Vec<(u32, f32)>> = centroids
        .iter()
        .map(|centroid| {
            let mut id = |term| {
                let next = ids.len() as u32;
                *ids.entry(term).or_insert(next)
            };
            centroid.iter().map(|&(term, w)| (id(term), w)).collect()
        })
        .collect();
    let by_term = by_term(&dense, ids.len());
    let pairs = crate::build::par_map(vectors.iter().collect(), |vector: &Vector| {
        let vector: Vec<(u32, f32)> =
            vector.iter().filter_map(|(term, w)| Some((*ids.get(term)?, *w))).collect();
        let scores = scores(&vector, &by_term, k);
        let (first, second) = two_nearest(&scores);
        second.filter(|&second| scores[second] > 0.0).map(|second| (first, second))
    });
    for (a, b) in pairs.into_iter().flatten() {
        together[a][b] += 1.0;
        together[b][a] += 1.0;
    }
    together
}

/// An order of `near.len()` clusters in which each run of `size` (a delta
/// group, `group_clusters`) holds clusters near one another by `near`
/// (symmetric; `read_together`): a query reads its two nearest clusters
/// and, after incremental builds, their groups' delta files in every
/// segment, one file a segment when the two share a group. Greedy, as
/// average linkage with a size cap: each run starts from the two nearest
/// clusters left and takes the one nearest to its members in all until full.
pub fn in_groups(near: &[Vec<f32>], size: usize) -> Vec<u32> {
    let k = near.len();
    if size <= 1 || k <= size {
        return (0..k as u32).collect();
    }
    let mut left: Vec<u32> = (0..k as u32).collect();
    let mut order = Vec::with_capacity(k);
    while !left.is_empty() {
        let mut run = Vec::with_capacity(size);
        let mut best = (f32::NEG_INFINITY, 0, 0);
        for (x, &a) in left.iter().enumerate() {
            for (y, &b) in left.iter().enumerate().skip(x + 1) {
                let s = near[a as usize][b as usize];
                if s > best.0 {
                    best = (s, x, y);
                }
            }
        }
        if left.len() == 1 {
            run.push(left.remove(0));
        } else {
            run.push(left.remove(best.2));
            run.push(left.remove(best.1));
        }
        let mut sums: Vec<f32> =
            left.iter().map(|&c| run.iter().map(|&r| near[r as usize][c as usize]).sum()).collect();
        while run.len() < size && !left.is_empty() {
            let at = (0..left.len()).fold(0, |m, i| if sums[i] > sums[m] { i } else { m });
            let taken = left.remove(at);
            sums.remove(at);
            for (sum, &c) in sums.iter_mut().zip(&left) {
                *sum += near[taken as usize][c as usize];
            }
            run.push(taken);
        }
        run.sort_unstable();
        order.extend(run);
    }
    order
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn unit(terms: &[(u64, f32)]) -> Vec<(u64, f32)> {
        let norm = crate::weight::norm(terms.iter().map(|t| t.1));
        terms.iter().map(|&(h, w)| (h, w / norm)).collect()
    }

    #[test]
    fn delta_groups_are_about_the_root_of_a_flat_table_and_a_quarter_of_a_cell() {
        assert_eq!((group_clusters(32), group_clusters(285), group_clusters(1)), (6, 17, 1));
        assert_eq!(delta_group_clusters(285, 0), 17);
        // 1,000,000 articles (3,222 clusters in 113 cells), 100,000 (667 in 52).
        assert_eq!(delta_group_clusters(3_222, 113), 8);
        assert_eq!(delta_group_clusters(667, 52), 4);
        assert_eq!(delta_group_clusters(3, 3), 1);
    }

    /// Two topics (terms 1-3 and 7-9), three articles each, interleaved.
    fn two_topics() -> Vec<Vec<(u64, f32)>> {
        vec![
            unit(&[(1, 1.0), (2, 0.5)]),
            unit(&[(7, 1.0), (8, 0.4)]),
            unit(&[(2, 1.0), (3, 0.3)]),
            unit(&[(8, 1.0), (9, 0.6)]),
            unit(&[(1, 0.7), (3, 0.9)]),
            unit(&[(7, 0.2), (9, 1.0)]),
        ]
    }

    #[test]
    fn finds_the_topics() {
        let clustering = cluster(&two_topics(), 2, ROUNDS);
        let mut members = clustering.members();
        members.sort();
        assert_eq!(members, vec![vec![0, 2, 4], vec![1, 3, 5]]);
        for centroid in &clustering.centroids {
            let length = crate::weight::norm(centroid.iter().map(|t| t.1));
            assert!((length - 1.0).abs() < 1e-5);
            assert!(centroid.windows(2).all(|p| p[0].0 < p[1].0));
        }
    }

    #[test]
    fn is_deterministic() {
        let vectors: Vec<Vec<(u64, f32)>> =
            (0..200u64).map(|i| unit(&[(i % 17, 1.0), (i % 5 + 100, 0.5), (i % 3 + 200, 0.25)])).collect();
        let a = cluster(&vectors, 9, ROUNDS);
        let b = cluster(&vectors, 9, ROUNDS);
        assert_eq!(a.assign, b.assign);
        assert_eq!(a.centroids, b.centroids);
        assert_eq!(a.centroids.len(), 9);
    }

    /// The clustering as written before its rounds stopped once settled
    /// and its seeding and sums ran on every core: every round, one core.
    fn every_round_on_one_core(vectors: &[Vec<(u64, f32)>], k: usize, rounds: usize) -> Clustering {
        let k = k.min(vectors.len()).max(1);
        let mut terms: Vec<u64> = vectors.iter().flat_map(|v| v.iter().map(|t| t.0)).collect();
        terms.sort_unstable();
        terms.dedup();
        let id = |hash: u64| terms.binary_search(&hash).unwrap() as u32;
        let dense: Vec<Vec<(u32, f32)>> =
            vectors.iter().map(|v| v.iter().map(|&(h, w)| (id(h), w)).collect()).collect();
        let centres = |assign: &[u32]| -> Vec<Vec<(u32, f32)>> {
            let mut parts: Vec<Vec<(u32, f32)>> = vec![Vec::new(); k];
            for (vector, &c) in dense.iter().zip(assign) {
                parts[c as usize].extend_from_slice(vector);
            }
            // The sums themselves did not change: the same helper.
            parts.into_iter().map(unit_sum).collect()
        };
        let mut random = Lcg(0x0061_6c69_6b65);
        let candidates: Vec<usize> = (0..dense.len()).filter(|&v| !dense[v].is_empty()).collect();
        // k-means++ seeds, one candidate after another.
        let mut seeds = Vec::new();
        let mut likeness = vec![0f32; candidates.len()];
        let mut seed = candidates[random.below(candidates.len())];
        let mut row = vec![0f32; terms.len()];
        while seeds.len() < k.min(candidates.len()) {
            seeds.push(seed);
            for &(t, w) in &dense[seed] {
                row[t as usize] = w;
            }
            for (i, &v) in candidates.iter().enumerate() {
                let dot: f32 = dense[v].iter().map(|&(t, w)| w * row[t as usize]).sum();
                likeness[i] = likeness[i].max(dot);
            }
            for &(t, _) in &dense[seed] {
                row[t as usize] = 0.0;
            }
            let odds: Vec<u64> = likeness.iter().map(|&l| ((1.0 - l).max(0.0) * 1e6) as u64).collect();
            let total: u64 = odds.iter().sum();
            if total == 0 {
                break;
            }
            let mut draw = random.below_u64(total);
            let mut pick = 0;
            while draw >= odds[pick] {
                draw -= odds[pick];
                pick += 1;
            }
            seed = candidates[pick];
        }
        let mut centroids: Vec<Vec<(u32, f32)>> = seeds.iter().map(|&v| dense[v].clone()).collect();
        centroids.resize(k, Vec::new());
        let mut assign = vec![0u32; dense.len()];
        for _ in 0..rounds.max(1) {
            assign = assign_all(&dense, &centroids, terms.len());
            centroids = centres(&assign);
            for centroid in centroids.iter_mut().filter(|c| c.is_empty()) {
                *centroid = dense[candidates[random.below(candidates.len())]].clone();
            }
        }
        assign = assign_all(&dense, &centroids, terms.len());
        let centroids = centres(&assign)
            .into_iter()
            .map(|c| c.into_iter().map(|(t, w)| (terms[t as usize], w)).collect())
            .collect();
        Clustering { assign, centroids }
    }

    #[test]
    fn stopping_once_settled_and_every_core_give_every_rounds_output() {
        // Seeded vectors of a few topics, with overlap, some settling
        // early, some not within the rounds; more candidates than a
        // seeding chunk, so the parallel pass splits.
        let mut random = Lcg(7);
        for (n, k, topics) in [(300, 5, 4), (9000, 40, 12), (2000, 60, 30), (50, 50, 3)] {
            let vectors: Vec<Vec<(u64, f32)>> = (0..n)
                .map(|_| {
                    let topic = random.below(topics) as u64 * 100;
                    let shared = (10_000 + random.below(30) as u64, 0.5);
                    let mut terms: Vec<(u64, f32)> = (0..6)
                        .map(|_| (topic + random.below(40) as u64, 1.0 + random.below(4) as f32))
                        .chain([shared])
                        .collect();
                    terms.sort_unstable_by_key(|t| t.0);
                    terms.dedup_by_key(|t| t.0);
                    unit(&terms)
                })
                .collect();
            for rounds in [1, ROUNDS, 30] {
                let (now, before) =
                    (cluster(&vectors, k, rounds), every_round_on_one_core(&vectors, k, rounds));
                assert_eq!(now.assign, before.assign, "{n} vectors, k {k}, {rounds} rounds");
                assert_eq!(now.centroids, before.centroids, "{n} vectors, k {k}, {rounds} rounds");
            }
        }
    }

    #[test]
    fn balanced_clusters_even_out_and_keep_narrow_topics_whole() {
        // One broad topic of 120 vectors, three narrow ones of 10.
        let mut random = Lcg(3);
        let vectors: Vec<Vec<(u64, f32)>> = [(120, 60), (10, 12), (10, 12), (10, 12)]
            .iter()
            .enumerate()
            .flat_map(|(topic, &(n, width))| std::iter::repeat_n((topic as u64 * 100, width), n))
            .map(|(topic, width)| {
                let mut terms: Vec<(u64, f32)> = (0..5)
                    .map(|_| (topic + random.below(width) as u64, 1.0 + random.below(3) as f32))
                    .collect();
                terms.sort_unstable_by_key(|t| t.0);
                terms.dedup_by_key(|t| t.0);
                unit(&terms)
            })
            .collect();
        let sizes = |c: &Clustering| c.members().iter().map(Vec::len).collect::<Vec<_>>();
        let squares = |c: &Clustering| sizes(c).iter().map(|n| n * n).sum::<usize>();
        for k in [4, 6, 8] {
            let (loose, even) = (cluster(&vectors, k, ROUNDS), balanced(&vectors, k, ROUNDS, BALANCE));
            let (before, after) = (sizes(&loose), sizes(&even));
            assert_eq!(after.iter().sum::<usize>(), 150);
            assert!(squares(&even) < squares(&loose), "k {k}: {before:?} -> {after:?}");
            assert!(after.iter().max() <= before.iter().max(), "k {k}: {before:?} -> {after:?}");
            // Where the broad topic's clusters have room for it (k 4: 42 a
            // cluster, k 6: 28), none holds more than 1.1 × the mean; at
            // k 8 its vectors whose two nearest are both full stay.
            let room = (150.0 * BALANCE / k as f32).ceil() as usize;
            if k < 8 {
                assert!(after.iter().all(|&n| n <= room), "k {k}: {before:?} -> {after:?}");
            }
            // The narrow topics keep together.
            for topic in 0..3 {
                let first = 120 + topic * 10;
                assert!(
                    (first..first + 10).all(|v| even.assign[v] == even.assign[first]),
                    "k {k}: topic {topic}"
                );
            }
        }
        // Deterministic, and k-means' own where its sizes are even already.
        let even = balanced(&vectors, 6, ROUNDS, BALANCE);
        assert_eq!(balanced(&vectors, 6, ROUNDS, BALANCE).assign, even.assign);
        assert_eq!(
            balanced(&two_topics(), 2, ROUNDS, BALANCE).assign,
            cluster(&two_topics(), 2, ROUNDS).assign
        );
        assert_eq!(balanced(&vectors, 1, ROUNDS, BALANCE).assign, vec![0; 150]);
    }

    #[test]
    fn balancing_sends_no_vector_to_a_centroid_it_shares_no_term_with() {
        // Twins (one story filed 300 times) leave k-means one centroid and
        // the others empty: the overflow must not go to an empty one.
        let twin = unit(&[(1, 1.0), (2, 2.0), (3, 1.0)]);
        let twins = vec![twin; 300];
        for k in [2, 4] {
            let even = balanced(&twins, k, ROUNDS, BALANCE);
            assert!(even.assign.iter().all(|&c| c == even.assign[0]), "k {k}");
        }
        // Twins beside a topic they share no term with, at k 2: the twins'
        // cluster is past its room, and the other is no place for them.
        let mut random = Lcg(11);
        let mut vectors = vec![unit(&[(1, 1.0), (2, 2.0), (3, 1.0)]); 150];
        vectors.extend((0..50).map(|_| {
            let mut terms: Vec<(u64, f32)> =
                (0..5).map(|_| (100 + random.below(30) as u64, 1.0 + random.below(3) as f32)).collect();
            terms.sort_unstable_by_key(|t| t.0);
            terms.dedup_by_key(|t| t.0);
            unit(&terms)
        }));
        let even = balanced(&vectors, 2, ROUNDS, BALANCE);
        assert!(even.assign[..150].iter().all(|&c| c == even.assign[0]));
        assert!(even.assign[150..].iter().all(|&c| c != even.assign[0]));
    }

    #[test]
    fn a_vector_joins_the_nearest_centroid() {
        let clustering = cluster(&two_topics(), 2, ROUNDS);
        let topic_of = |v: usize| clustering.assign[v];
        // Each centroid is nearest to its own members.
        for (v, vector) in two_topics().iter().enumerate() {
            let scores: Vec<f32> = clustering
                .centroids
                .iter()
                .map(|c| {
                    vector.iter().filter_map(|&(h, w)| c.iter().find(|t| t.0 == h).map(|t| t.1 * w)).sum()
                })
                .collect();
            assert_eq!(nearest(&scores), topic_of(v));
        }
    }

    #[test]
    fn small_inputs_and_empty_vectors() {
        let one = cluster(&[unit(&[(4, 1.0)])], 5, ROUNDS);
        assert_eq!(one.assign, vec![0]);
        assert_eq!(one.centroids.len(), 1);
        let with_empty = cluster(&[Vec::new(), unit(&[(4, 1.0)]), unit(&[(5, 1.0)])], 2, ROUNDS);
        assert_eq!(with_empty.assign[0], 0, "an empty vector joins cluster 0");
        assert_eq!(nearest(&[0.5, 0.5, 0.2]), 0);
        assert_eq!((clusters_for(140, None), clusters_for(141, None)), (1, 3));
        assert_eq!(clusters_for(333, None), 5);
        assert_eq!(clusters_for(2225, None), 32);
        assert_eq!(clusters_for(333, Some(40)), 9);
        assert_eq!(clusters_for(0, Some(40)), 1);
    }

    #[test]
    fn top_down_puts_each_vector_in_one_cluster_of_one_cell() {
        let vectors: Vec<Vec<(u64, f32)>> =
            (0..300u64).map(|i| unit(&[(i % 7, 1.0), (i % 11 + 100, 0.5), (i % 13 + 200, 0.25)])).collect();
        let cells = top_down(&vectors, 4, 20, ROUNDS);
        assert!(cells.len() <= 4 && cells.len() >= 2, "{} cells", cells.len());
        let mut seen: Vec<u32> =
            cells.iter().flat_map(|c| c.clusters.iter().flat_map(|k| k.1.clone())).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..300).collect::<Vec<u32>>());
        let clusters: usize = cells.iter().map(|c| c.clusters.len()).sum();
        assert!((16..=24).contains(&clusters), "{clusters} clusters");
        assert!(cells.iter().all(|c| c.clusters.iter().all(|k| !k.1.is_empty())));
        // Deterministic.
        let again = top_down(&vectors, 4, 20, ROUNDS);
        let members = |cells: &[Cell]| -> Vec<Vec<u32>> {
            cells.iter().flat_map(|c| c.clusters.iter().map(|k| k.1.clone())).collect()
        };
        assert_eq!(members(&cells), members(&again));
    }

    #[test]
    fn shapes_by_archive_size() {
        assert_eq!(shape(140, None, None), Shape { clusters: 1, cells: 0 });
        assert_eq!(shape(333, None, None), Shape { clusters: 5, cells: 0 });
        assert_eq!(shape(20_000, None, None), Shape { clusters: 286, cells: 0 });
        assert_eq!(shape(100_000, None, None), Shape { clusters: 667, cells: 52 });
        assert_eq!(shape(1_000_000, None, None), Shape { clusters: 3334, cells: 116 });
        assert_eq!(shape(333, Some(10), Some(4)), Shape { clusters: 34, cells: 4 });
        assert_eq!(shape(333, Some(10), Some(1)), Shape { clusters: 34, cells: 0 });
    }

    #[test]
    fn keeps_the_strongest_terms_sorted_by_term() {
        assert_eq!(strongest(&[(1, 0.1), (2, 0.9), (3, 0.5)], 2), vec![(2, 0.9), (3, 0.5)]);
    }
}
