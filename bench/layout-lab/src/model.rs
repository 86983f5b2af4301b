//! A corpus built into an alike index with alike's own builder, and what the
//! lab reads back from it: every article's kept terms and weight levels,
//! each term's stored df, and the query machinery that runs alike's real
//! engine over any subset of the articles (`Model::restricted`).

use std::collections::HashMap;

use alike::{
    Article, ArticleShardFile, BuildOptions, FORMAT_VERSION, Index, IndexBuilder, IndexFile, QueryOptions,
    Shard, ShardOptions, Step, TERM_SHARD_FORMAT, TermShardFile, Terms, Tokenizer,
};
use serde::Deserialize;

use crate::vlq::{Reader, put_digit, put_vlq};

#[derive(Clone, Debug, Deserialize)]
pub struct Record {
    pub url: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub label: String,
}

pub fn read_jsonl(path: &str, limit: usize) -> Vec<Record> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(limit)
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path} line {}: {e}", i + 1)))
        .collect()
}

pub fn article(record: &Record) -> Article {
    Article {
        url: record.url.clone(),
        title: record.title.clone(),
        body: record.body.clone(),
        ..Article::default()
    }
}

/// How a capped posting list breaks ties between postings of equal level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tie {
    /// alike today (`build::strongest_postings`): the later article first.
    NewestFirst,
    /// The earlier article first: a new article enters a full list only by
    /// outweighing a kept posting.
    OldestFirst,
    /// By a hash of the article's URL: a tie goes to new and old articles
    /// alike, in proportion, and stays with the same article from build to
    /// build.
    UrlHash,
}

/// Articles per article shard of the lab's query manifest (any size gives
/// the same answers; this one keeps each query's decoding small).
const LAB_ARTICLE_SHARD: u32 = 32;

pub struct Model {
    pub single: IndexFile,
    pub n: u32,
    pub hash_bits: u8,
    pub title_weight: f32,
    pub idf_power: f32,
    /// Weight of each level, as alike reads it back.
    pub level_weights: Vec<f32>,
    /// Stored (rounded) df of each term that has postings.
    pub df: HashMap<u64, u32>,
    /// Every article's kept terms: (hash, level), by hash.
    pub vectors: Vec<Vec<(u64, u8)>>,
    pub tokenizer: Tokenizer,
    /// A manifest with one term shard, for queries over subsets.
    manifest: IndexFile,
    article_shards: Vec<ArticleShardFile>,
    pub build_seconds: f64,
}

impl Model {
    pub fn build(records: Vec<Record>) -> Model {
        let started = std::time::Instant::now();
        let mut builder = IndexBuilder::new(BuildOptions::default()).expect("default options");
        for result in builder.add_many(records.iter().map(article).collect()) {
            result.expect("every corpus record is indexable");
        }
        let built = builder.build();
        let single = built.single();
        let one_shard = ShardOptions {
            article_shard_size: LAB_ARTICLE_SHARD,
            terms_per_shard: u32::MAX,
            related_lists: 0,
        };
        let sharded = built.sharded(&one_shard, None, None);
        let build_seconds = started.elapsed().as_secs_f64();
        let scoring = single.scoring.clone();
        let levels = 1u32 << scoring.weight_bits;
        let level_weights = (0..levels)
            .map(|l| {
                if levels == 1 || scoring.weight_max == scoring.weight_min {
                    scoring.weight_max
                } else {
                    scoring.weight_min
                        * (scoring.weight_max / scoring.weight_min).powf(l as f32 / (levels - 1) as f32)
                }
            })
            .collect();
        let (df, postings) = decode_terms(single.terms.as_ref().expect("a single file has terms"));
        let mut vectors = vec![Vec::new(); records.len()];
        for (hash, article, level) in postings {
            vectors[article as usize].push((hash, level));
        }
        let tokenizer = Tokenizer::new(alike::Language::English, &single.stop_words).expect("english");
        Model {
            n: scoring.articles,
            hash_bits: scoring.hash_bits,
            title_weight: scoring.title_weight,
            idf_power: scoring.idf_power,
            level_weights,
            df,
            vectors,
            tokenizer,
            manifest: sharded.manifest,
            article_shards: sharded.article_shards,
            single,
            build_seconds,
        }
    }

    /// Every posting, sorted by (hash, article).
    pub fn postings(&self) -> Vec<(u64, u32, u8)> {
        let mut all: Vec<(u64, u32, u8)> = self
            .vectors
            .iter()
            .enumerate()
            .flat_map(|(a, v)| v.iter().map(move |&(h, l)| (h, a as u32, l)))
            .collect();
        all.sort_unstable();
        all
    }

    /// The single file with each term's postings capped at `limit`, ties
    /// broken by `tie`: an index alike's engine can load and query.
    pub fn capped(&self, limit: usize, tie: Tie) -> IndexFile {
        let mut kept = Vec::new();
        for term in self.postings().chunk_by(|a, b| a.0 == b.0) {
            let mut term = term.to_vec();
            if term.len() > limit {
                self.sort_for_cap(&mut term, tie);
                term.truncate(limit);
                term.sort_unstable();
            }
            kept.extend(term);
        }
        IndexFile { terms: Some(encode_terms(&kept, &self.df)), ..self.single.clone() }
    }

    /// One term's postings, heaviest first, ties broken by `tie`.
    pub fn sort_for_cap(&self, term: &mut [(u64, u32, u8)], tie: Tie) {
        match tie {
            Tie::NewestFirst => term.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1))),
            Tie::OldestFirst => term.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1))),
            Tie::UrlHash => {
                let urls = &self.single.articles.as_ref().expect("a single file has articles").url;
                let key = |a: u32| (crate::files::fnv1a32(&urls[a as usize]), a);
                term.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(key(a.1).cmp(&key(b.1))))
            }
        }
    }

    /// alike's engine answering `record` (k = 5, no options) from an index
    /// that holds every article but whose postings are only those of
    /// `members` (ascending): what a layout that fetches only those
    /// articles' vectors would rank. `None`: every article.
    pub fn restricted(&self, record: &Record, members: Option<&[u32]>, k: usize) -> Vec<String> {
        let mut index = Index::from_file(self.manifest.clone()).expect("the lab's manifest loads");
        let options = QueryOptions { k, ..QueryOptions::default() };
        let mut search = index.search(&article(record), &options).expect("a query starts");
        loop {
            match search.step(&index).expect("a query steps") {
                Step::Done(related) => return related.into_iter().map(|r| r.url).collect(),
                Step::Need(shards) => {
                    for shard in shards {
                        match shard {
                            Shard::Terms { .. } => {
                                let file = self.term_shard(members);
                                index.add_term_shard(&shard, file).expect("term shard")
                            }
                            Shard::Articles { shard: s, .. } => index
                                .add_article_shard(&shard, self.article_shards[s as usize].clone())
                                .expect("article shard"),
                        }
                    }
                }
            }
        }
    }

    fn term_shard(&self, members: Option<&[u32]>) -> TermShardFile {
        let mut postings: Vec<(u64, u32, u8)> = match members {
            Some(members) => members
                .iter()
                .flat_map(|&a| self.vectors[a as usize].iter().map(move |&(h, l)| (h, a, l)))
                .collect(),
            None => self.postings(),
        };
        postings.sort_unstable();
        TermShardFile {
            format: TERM_SHARD_FORMAT.to_string(),
            version: FORMAT_VERSION,
            shard: 0,
            terms: encode_terms(&postings, &self.df),
        }
    }

    /// The query vector of a page's text as alike weighs it (title words
    /// count `title_weight`, sublinear tf, the index's idf), over the terms
    /// the index holds, unit length: what routes a query to clusters.
    pub fn query_vector(&self, record: &Record) -> Vec<(u64, f32)> {
        let mut counts: HashMap<u64, f32> = HashMap::new();
        let bits = self.hash_bits;
        let mut add = |text: &str, weight: f32| {
            self.tokenizer.for_each_term(text, |term| {
                *counts.entry(fnv64(term) >> (64 - bits)).or_default() += weight;
            })
        };
        add(&record.title, self.title_weight);
        add(&record.body, 1.0);
        let mut vector: Vec<(u64, f32)> = counts
            .into_iter()
            .filter_map(|(h, c)| {
                let df = *self.df.get(&h)?;
                Some((h, tf(c) * idf(self.n, df, self.idf_power)))
            })
            .collect();
        let norm = vector.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        vector.iter_mut().for_each(|t| t.1 /= norm);
        vector.sort_unstable_by_key(|t| t.0);
        vector
    }
}

/// Each term's stored df, and every posting as (hash, article, level).
type Decoded = (HashMap<u64, u32>, Vec<(u64, u32, u8)>);

fn decode_terms(terms: &Terms) -> Decoded {
    let (mut hashes, mut dfs, mut lengths) =
        (Reader::new(&terms.hashes), Reader::new(&terms.df), Reader::new(&terms.lengths));
    let (mut articles, mut weights) = (Reader::new(&terms.articles), Reader::new(&terms.weights));
    let mut df = HashMap::new();
    let mut postings = Vec::new();
    let mut hash = 0;
    for _ in 0..terms.count {
        hash += hashes.vlq();
        df.insert(hash, dfs.vlq() as u32);
        let mut article = 0;
        for _ in 0..lengths.vlq() {
            article += articles.vlq() as u32;
            postings.push((hash, article, weights.digit()));
        }
    }
    assert!(hashes.done() && articles.done() && weights.done(), "the terms were read whole");
    (df, postings)
}

/// Postings sorted by (hash, article) as the format's `terms`.
pub fn encode_terms(postings: &[(u64, u32, u8)], df: &HashMap<u64, u32>) -> Terms {
    let mut terms = Terms::default();
    let mut previous_hash = 0;
    for group in postings.chunk_by(|a, b| a.0 == b.0) {
        let hash = group[0].0;
        put_vlq(&mut terms.hashes, hash - previous_hash);
        previous_hash = hash;
        put_vlq(&mut terms.df, u64::from(df[&hash]));
        put_vlq(&mut terms.lengths, group.len() as u64);
        let mut previous_article = 0;
        for &(_, article, level) in group {
            put_vlq(&mut terms.articles, u64::from(article - previous_article));
            put_digit(&mut terms.weights, level);
            previous_article = article;
        }
        terms.count += 1;
    }
    terms
}

pub fn fnv64(term: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in term.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn tf(count: f32) -> f32 {
    if count >= 1.0 { 1.0 + count.ln() } else { count }
}

/// `docs/index-format.md`: counts rounded to the nearest quarter power of two past 8.
fn round_count(count: u32) -> u32 {
    if count <= 8 {
        return count;
    }
    let q = (4.0 * f64::from(count).log2() + 0.5).floor();
    (2f64.powf(q / 4.0).round() as u32).max(9)
}

fn idf(articles: u32, df: u32, power: f32) -> f32 {
    let (n, df) = (round_count(articles) as f32, round_count(df) as f32);
    (((1.0 + n) / (1.0 + df)).ln() + 1.0).powf(power)
}

/// Today's layout (term-hash shards, article shards of 4) of the same
/// build, with each file's gzipped size: the baseline.
pub struct Baseline {
    pub manifest: IndexFile,
    pub manifest_gz: usize,
    pub terms: HashMap<u32, (TermShardFile, usize)>,
    pub articles: HashMap<u32, (ArticleShardFile, usize)>,
}

impl Baseline {
    pub fn files(&self) -> usize {
        1 + self.terms.len() + self.articles.len()
    }
    pub fn largest(&self) -> usize {
        self.terms.values().map(|f| f.1).chain(self.articles.values().map(|f| f.1)).max().unwrap_or(0)
    }
    pub fn total_gz(&self) -> usize {
        self.manifest_gz
            + self.terms.values().map(|f| f.1).sum::<usize>()
            + self.articles.values().map(|f| f.1).sum::<usize>()
    }

    /// alike's engine path for one page: (requests, gzipped bytes, rounds)
    /// of index files, the manifest included.
    pub fn query(&self, record: &Record) -> (usize, usize, usize) {
        let mut index = Index::from_file(self.manifest.clone()).expect("the manifest loads");
        let mut search = index.search(&article(record), &QueryOptions::default()).expect("a query starts");
        let (mut requests, mut bytes, mut rounds) = (1, self.manifest_gz, 1);
        loop {
            match search.step(&index).expect("a query steps") {
                Step::Done(_) => return (requests, bytes, rounds),
                Step::Need(shards) => {
                    rounds += 1;
                    for shard in shards {
                        requests += 1;
                        match shard {
                            Shard::Terms { shard: s, .. } => {
                                let (file, size) = &self.terms[&s];
                                bytes += size;
                                index.add_term_shard(&shard, file.clone()).expect("term shard");
                            }
                            Shard::Articles { shard: s, .. } => {
                                let (file, size) = &self.articles[&s];
                                bytes += size;
                                index.add_article_shard(&shard, file.clone()).expect("article shard");
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Builds `records` once more and cuts it as `alike index --layout sharded`
/// would (no lists: they are measured apart).
pub fn baseline(records: &[Record], cap: Option<u32>) -> Baseline {
    use rayon::prelude::*;
    let mut builder = IndexBuilder::new(BuildOptions::default()).expect("default options");
    if let Some(cap) = cap {
        builder.limit_postings_per_term(cap);
    }
    for result in builder.add_many(records.iter().map(article).collect()) {
        result.expect("indexable");
    }
    let built = builder.build();
    let sharded = built.sharded(&ShardOptions { related_lists: 0, ..ShardOptions::default() }, None, None);
    let terms = sharded
        .term_shards
        .into_par_iter()
        .map(|f| {
            let size = crate::gzip::gz(alike::to_json(&f).as_bytes());
            (f.shard, (f, size))
        })
        .collect();
    let articles = sharded
        .article_shards
        .into_par_iter()
        .map(|f| {
            let size = crate::gzip::gz(alike::to_json(&f).as_bytes());
            (f.shard, (f, size))
        })
        .collect();
    let manifest_gz = crate::gzip::gz(alike::to_json(&sharded.manifest).as_bytes());
    Baseline { manifest: sharded.manifest, manifest_gz, terms, articles }
}

impl Model {
    /// The manifest a clustered layout would start from: the header and
    /// the common terms' df (`shards.head`), no shard versions.
    pub fn single_manifest(&self) -> IndexFile {
        let mut manifest = self.manifest.clone();
        if let Some(shards) = manifest.shards.as_mut() {
            shards.article_versions.clear();
            shards.term_versions.clear();
        }
        manifest
    }
}
