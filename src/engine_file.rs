//! The engine file of layout 2 (`e-<generation>.json`, see `layout.rs`):
//! what the engine needs before it can route a query. Scoring, stop words
//! and the common terms' df as in a version-1 manifest, plus the centroid
//! table: each cluster's size and its strongest terms, so that a query
//! fetches only the `probes` clusters nearest to it. Encoder, decoder and
//! the decoded table (`Routing`) sit side by side.

use serde::{Deserialize, Serialize};

use crate::codec::{Reader, put_digit, put_vlq};
use crate::error::Error;
use crate::format::{
    Fields, JsonValue, Scoring, Terms, decode_scoring, decode_term_streams, float, list, text, whole,
};
use crate::index::decode_terms;
use crate::layout::FileRef;
use crate::manifest::{LAYOUT2_VERSION, check_version};
use crate::weight::{self, Quantizer};

/// The `format` of an engine file.
pub const ENGINE_FORMAT: &str = "alike-engine";
/// Bits per centroid weight: one base64 digit.
const CENTROID_WEIGHT_BITS: u8 = 6;

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
}

/// The centroid table. Articles are numbered cluster by cluster: cluster
/// `c` holds the `sizes[c]` articles after those of the clusters before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Digits, per centroid term: its weight level (6 bits).
    pub weights: String,
}

/// What routes a query: the decoded centroid table.
pub(crate) struct Routing {
    /// First article of each cluster, and one past the last: `count + 1`.
    pub starts: Vec<u32>,
    pub probes: usize,
    pub generation: u32,
    /// Vocabulary hashes, ascending, and their df.
    pub hashes: Vec<u64>,
    pub df: Vec<u32>,
    /// Per centroid: (vocabulary position, weight).
    pub centroids: Vec<Vec<(u32, f32)>>,
}

impl Routing {
    pub fn clusters(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn path(&self, cluster: u32) -> String {
        FileRef::Cluster { cluster, generation: self.generation }.path()
    }

    /// The cluster holding `article`.
    pub fn cluster_of(&self, article: u32) -> usize {
        self.starts.partition_point(|&start| start <= article).saturating_sub(1)
    }

    /// The `probes` clusters nearest to a query of (hash, title-weighted
    /// count) terms, nearest first (ties: the lower cluster): by the dot
    /// product of the query's TF-IDF weights with each centroid's terms.
    pub fn route(&self, counts: impl Iterator<Item = (u64, f32)>, scoring: &Scoring) -> Vec<u32> {
        let mut query = vec![0f32; self.hashes.len()];
        for (hash, count) in counts {
            if let Ok(at) = self.hashes.binary_search(&hash) {
                query[at] = weight::tf(count) * weight::idf(scoring.articles, self.df[at], scoring.idf_power);
            }
        }
        let mut scored: Vec<(f32, u32)> = self
            .centroids
            .iter()
            .enumerate()
            .map(|(c, terms)| (terms.iter().map(|&(t, w)| query[t as usize] * w).sum(), c as u32))
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(self.probes).map(|s| s.1).collect()
    }
}

impl EngineFile {
    /// The centroid table from each cluster's size and its centroid terms
    /// (hash, weight; any order), the vocabulary's df given by `df`.
    pub fn centroids(
        sizes: &[u32],
        centroids: &[Vec<(u64, f32)>],
        probes: u32,
        df: impl Fn(u64) -> u32,
    ) -> Centroids {
        let mut vocabulary: Vec<(u64, u32, u32)> =
            centroids.iter().flatten().map(|&(hash, _)| (hash, 0, 0)).collect();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        let mut vocabulary_terms = crate::build::encode_terms(&vocabulary, df);
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

    /// Decodes and checks the centroid table.
    pub(crate) fn routing(&self) -> Result<Routing, String> {
        let table = &self.clusters;
        let count = table.count as usize;
        if count == 0 {
            return Err("clusters.count is 0".into());
        }
        if table.probes == 0 || table.probes > table.count {
            return Err(format!("clusters.probes is {}, not from 1 to {count}", table.probes));
        }
        let vocabulary = decode_terms(&table.vocabulary, &self.scoring, "clusters.vocabulary")?;
        let positive = |w: f32| w.is_finite() && w > 0.0 && w <= 1.0;
        if !(positive(table.weight_min) && positive(table.weight_max) && table.weight_min <= table.weight_max)
        {
            return Err("clusters.weight_min and weight_max are not a range within 0 to 1".into());
        }
        let quantizer = Quantizer::new(table.weight_min, table.weight_max, CENTROID_WEIGHT_BITS);
        let mut sizes = Reader::new("clusters.sizes", &table.sizes);
        let mut starts = Vec::with_capacity(count.min(table.sizes.len()) + 1);
        starts.push(0u32);
        for _ in 0..count {
            let size = sizes.vlq_u32()?;
            let end = starts[starts.len() - 1].checked_add(size).filter(|&end| end <= self.scoring.articles);
            starts.push(end.ok_or("clusters.sizes add up to more than scoring.articles")?);
        }
        sizes.finish()?;
        if starts[count] != self.scoring.articles {
            return Err("clusters.sizes do not add up to scoring.articles".into());
        }
        let (mut lengths, mut terms, mut weights) = (
            Reader::new("clusters.lengths", &table.lengths),
            Reader::new("clusters.terms", &table.terms),
            Reader::new("clusters.weights", &table.weights),
        );
        let mut centroids = Vec::with_capacity(count.min(table.lengths.len()));
        for c in 0..count {
            let length = lengths.vlq_u32()? as usize;
            let mut row = Vec::with_capacity(length.min(vocabulary.hashes.len()));
            let mut position = 0u64;
            for i in 0..length {
                let gap = terms.vlq()?;
                if i > 0 && gap == 0 {
                    return Err(format!("centroid {c} names a term twice"));
                }
                position += gap;
                if position >= vocabulary.hashes.len() as u64 {
                    return Err(format!("centroid {c} names a term past the vocabulary"));
                }
                let level = u32::from(weights.digit()?);
                row.push((position as u32, quantizer.dequantize(level)));
            }
            centroids.push(row);
        }
        for stream in [&lengths, &terms, &weights] {
            stream.finish()?;
        }
        Ok(Routing {
            starts,
            probes: table.probes as usize,
            generation: self.generation,
            hashes: vocabulary.hashes,
            df: vocabulary.df,
            centroids,
        })
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<EngineFile, Error> {
        crate::manifest::read_checked(json, ENGINE_FORMAT, "the engine file")
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

/// The browser's decoder of an engine file (see `format::decode_index`).
pub fn decode_engine_file<V: JsonValue>(value: &V) -> Result<EngineFile, Error> {
    let format = value.member("format").and_then(|v| v.string());
    let version = value.member("version").and_then(|v| v.number()).map(|n| n as u64);
    check_version(format.as_deref(), version, ENGINE_FORMAT)?;
    let fields = Fields { value, path: "" };
    let read = || {
        Ok(EngineFile {
            format: ENGINE_FORMAT.to_string(),
            version: LAYOUT2_VERSION,
            generation: fields.get("generation", whole)?,
            language: fields.get("language", text)?,
            stop_words: fields.get("stop_words", |v| list(v, text))?,
            languages: fields.optional("languages", |v| list(v, |l| list(l, text)))?.unwrap_or_default(),
            scoring: fields.get_object("scoring", decode_scoring)?,
            head: fields.get_object("head", |v| decode_term_streams(v, "head."))?,
            clusters: fields.get_object("clusters", |value| {
                let fields = Fields { value, path: "clusters." };
                Ok(Centroids {
                    count: fields.get("count", whole)?,
                    probes: fields.get("probes", whole)?,
                    sizes: fields.get("sizes", text)?,
                    vocabulary: fields
                        .get_object("vocabulary", |v| decode_term_streams(v, "clusters.vocabulary."))?,
                    weight_min: fields.get("weight_min", float)?,
                    weight_max: fields.get("weight_max", float)?,
                    lengths: fields.get("lengths", text)?,
                    terms: fields.get("terms", text)?,
                    weights: fields.get("weights", text)?,
                })
            })?,
        })
    };
    read().map_err(Error::CorruptIndex)
}
