//! Spherical k-means of the articles' stored vectors (kept terms, weights
//! as alike reads them back): the clustering an inverted file by cluster
//! (FAISS's IVF) would be built from.

use rayon::prelude::*;

use crate::model::Model;

pub struct Clustering {
    pub k: usize,
    /// Cluster of each article.
    pub assign: Vec<u32>,
    /// Each centroid's strongest `keep` terms, (hash, weight), by weight.
    pub centroids: Vec<Vec<(u64, f32)>>,
    pub seconds: f64,
}

impl Clustering {
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut members = vec![Vec::new(); self.k];
        for (a, &c) in self.assign.iter().enumerate() {
            if c == u32::MAX {
                continue; // not clustered (an article added later)
            }
            members[c as usize].push(a as u32);
        }
        members
    }

    /// The clusters nearest to a unit query vector, best first, by its dot
    /// product with each centroid's first `terms` terms (the table a
    /// manifest would carry).
    pub fn nearest(&self, query: &[(u64, f32)], terms: usize) -> Vec<u32> {
        let mut scores: Vec<(f32, u32)> = self
            .centroids
            .iter()
            .enumerate()
            .map(|(c, centroid)| (dot(&centroid[..terms.min(centroid.len())], query), c as u32))
            .collect();
        scores.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scores.into_iter().map(|s| s.1).collect()
    }
}

/// A small seeded generator, so that runs repeat.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Each article's stored vector as alike reads it back, unit length.
pub fn article_vector(model: &Model, article: u32) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> =
        model.vectors[article as usize].iter().map(|&(h, l)| (h, model.level_weights[l as usize])).collect();
    let norm = v.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
    v.iter_mut().for_each(|t| t.1 /= norm);
    v
}

/// Clusters `articles` (ids into the model) into `k` groups, `rounds` rounds
/// of Lloyd's iteration on the unit sphere; centroids keep `keep` terms.
pub fn cluster(model: &Model, articles: &[u32], k: usize, rounds: usize, keep: usize) -> Clustering {
    let vectors: Vec<Vec<(u64, f32)>> = articles.iter().map(|&a| article_vector(model, a)).collect();
    let mut clustering = cluster_vectors(&vectors, k, rounds, keep);
    // `assign` is by position in `articles`; give it by article id.
    let mut by_id = vec![u32::MAX; model.vectors.len()];
    for (i, &a) in articles.iter().enumerate() {
        by_id[a as usize] = clustering.assign[i];
    }
    clustering.assign = by_id;
    clustering
}

/// Spherical k-means of unit sparse vectors (hash, weight).
pub fn cluster_vectors(sparse: &[Vec<(u64, f32)>], k: usize, rounds: usize, keep: usize) -> Clustering {
    let started = std::time::Instant::now();
    let mut hashes: Vec<u64> = sparse.iter().flat_map(|v| v.iter().map(|t| t.0)).collect();
    hashes.sort_unstable();
    hashes.dedup();
    let dim = hashes.len();
    let id = |h: u64| hashes.binary_search(&h).expect("a term of these vectors") as u32;
    let vectors: Vec<Vec<(u32, f32)>> =
        sparse.iter().map(|v| v.iter().map(|&(h, w)| (id(h), w)).collect()).collect();
    let k = k.min(vectors.len()).max(1);
    let mut random = Lcg::new(k as u64);
    let mut centroids = vec![0f32; k * dim];
    for c in 0..k {
        for &(t, w) in &vectors[random.below(vectors.len())] {
            centroids[c * dim + t as usize] = w;
        }
    }
    let mut assign = vec![0u32; vectors.len()];
    for _ in 0..rounds {
        assign = vectors
            .par_iter()
            .map(|v| {
                let mut best = (f32::MIN, 0u32);
                for c in 0..k {
                    let row = &centroids[c * dim..(c + 1) * dim];
                    let dot: f32 = v.iter().map(|&(t, w)| w * row[t as usize]).sum();
                    if dot > best.0 {
                        best = (dot, c as u32);
                    }
                }
                best.1
            })
            .collect();
        centroids.iter_mut().for_each(|x| *x = 0.0);
        let mut sizes = vec![0usize; k];
        for (v, &c) in vectors.iter().zip(&assign) {
            sizes[c as usize] += 1;
            for &(t, w) in v {
                centroids[c as usize * dim + t as usize] += w;
            }
        }
        for c in 0..k {
            let row = &mut centroids[c * dim..(c + 1) * dim];
            if sizes[c] == 0 {
                // An empty cluster restarts at a random article.
                for &(t, w) in &vectors[random.below(vectors.len())] {
                    row[t as usize] = w;
                }
                continue;
            }
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
    let centroids = (0..k)
        .map(|c| {
            let row = &centroids[c * dim..(c + 1) * dim];
            let mut terms: Vec<(u64, f32)> =
                row.iter().enumerate().filter(|t| *t.1 > 0.0).map(|(t, &w)| (hashes[t], w)).collect();
            terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            terms.truncate(keep);
            terms
        })
        .collect();
    Clustering { k, assign, centroids, seconds: started.elapsed().as_secs_f64() }
}

/// A two-level table for large archives: the fine centroids grouped by a
/// k-means of their own into `coarse` cells. The manifest carries the
/// coarse table; each cell's fine centroids are one file.
pub struct TwoLevel {
    pub coarse: Clustering,
    /// Fine centroids of each coarse cell.
    pub cells: Vec<Vec<u32>>,
}

impl TwoLevel {
    pub fn new(fine: &Clustering, coarse: usize, rounds: usize) -> TwoLevel {
        let coarse = cluster_vectors(&fine.centroids, coarse, rounds, 256);
        let mut cells = vec![Vec::new(); coarse.k];
        for (f, &c) in coarse.assign.iter().enumerate() {
            cells[c as usize].push(f as u32);
        }
        TwoLevel { coarse, cells }
    }

    /// The `probes` nearest fine clusters among those of the `cells`
    /// nearest coarse cells, and the cells read.
    pub fn nearest(
        &self,
        fine: &Clustering,
        query: &[(u64, f32)],
        terms: usize,
        cells: usize,
        probes: usize,
    ) -> (Vec<u32>, Vec<u32>) {
        let read: Vec<u32> = self.coarse.nearest(query, terms).into_iter().take(cells).collect();
        let mut scored: Vec<(f32, u32)> = read
            .iter()
            .flat_map(|&c| self.cells[c as usize].iter().copied())
            .map(|f| {
                (dot(&fine.centroids[f as usize][..terms.min(fine.centroids[f as usize].len())], query), f)
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        (scored.into_iter().take(probes).map(|s| s.1).collect(), read)
    }
}

fn dot(centroid: &[(u64, f32)], query: &[(u64, f32)]) -> f32 {
    centroid
        .iter()
        .filter_map(|&(h, w)| query.binary_search_by_key(&h, |t| t.0).ok().map(|i| w * query[i].1))
        .sum()
}

/// A centroid's strongest terms: (hash, weight).
type Centroid = Vec<(u64, f32)>;

/// Splits every cluster of more than `limit` members by a k-means of its
/// own members into pieces of about `limit / 2`, so that no cluster file
/// is far past the target size.
pub fn split_large(model: &Model, clustering: Clustering, limit: usize, rounds: usize) -> Clustering {
    let started = std::time::Instant::now();
    let mut members = clustering.members();
    let mut centroids = clustering.centroids;
    let mut i = 0;
    while i < members.len() {
        if members[i].len() <= limit {
            i += 1;
            continue;
        }
        let ids = members[i].clone();
        let vectors: Vec<Vec<(u64, f32)>> = ids.iter().map(|&a| article_vector(model, a)).collect();
        let pieces = ids.len().div_ceil((limit / 2).max(1)).max(2);
        let sub = cluster_vectors(&vectors, pieces, rounds, 256);
        let mut groups = vec![Vec::new(); sub.k];
        for (j, &p) in sub.assign.iter().enumerate() {
            groups[p as usize].push(ids[j]);
        }
        let mut kept: Vec<(Vec<u32>, Centroid)> =
            groups.into_iter().zip(sub.centroids).filter(|(g, _)| !g.is_empty()).collect();
        if kept.len() < 2 {
            i += 1; // identical vectors: nothing to split
            continue;
        }
        let (first, centroid) = kept.remove(0);
        members[i] = first;
        centroids[i] = centroid;
        for (group, centroid) in kept {
            members.push(group);
            centroids.push(centroid);
        }
    }
    let mut assign = vec![u32::MAX; model.vectors.len()];
    for (c, group) in members.iter().enumerate() {
        for &a in group {
            assign[a as usize] = c as u32;
        }
    }
    Clustering {
        k: members.len(),
        assign,
        centroids,
        seconds: clustering.seconds + started.elapsed().as_secs_f64(),
    }
}

/// A two-level table built top-down: the articles clustered into `coarse`
/// cells, then each cell's articles into its share of `fine` clusters, so
/// that every fine cluster lies inside one cell by construction (the
/// bottom-up `TwoLevel::new` groups finished clusters instead).
pub fn top_down(
    model: &Model,
    articles: &[u32],
    coarse: usize,
    fine: usize,
    rounds: usize,
) -> (Clustering, TwoLevel) {
    let started = std::time::Instant::now();
    let top = cluster(model, articles, coarse, rounds, 256);
    let mut assign = vec![u32::MAX; model.vectors.len()];
    let mut centroids = Vec::new();
    let mut cells = Vec::new();
    for cell in top.members() {
        let k = ((fine as f64 * cell.len() as f64 / articles.len() as f64).round() as usize).max(1);
        let sub = cluster(model, &cell, k, rounds, 256);
        let mut ids = Vec::new();
        for (j, group) in sub.members().into_iter().enumerate() {
            if group.is_empty() {
                continue;
            }
            let id = centroids.len() as u32;
            for a in group {
                assign[a as usize] = id;
            }
            centroids.push(sub.centroids[j].clone());
            ids.push(id);
        }
        cells.push(ids);
    }
    let fine = Clustering { k: centroids.len(), assign, centroids, seconds: started.elapsed().as_secs_f64() };
    (fine, TwoLevel { coarse: top, cells })
}
