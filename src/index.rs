//! The index: one serde type for the file (`IndexFile`, written by the
//! builder and read by the browser alike) and the decoded, queryable form
//! (`Index`). The format is documented in `docs/index-format.md`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::codec::{VarintReader, from_base64};
use crate::error::Error;
use crate::text::url_key;
use crate::tokenize::{Language, Tokenizer};
use crate::weight::{self, Quantizer};

/// The `format` field of every alike index.
pub const FORMAT_NAME: &str = "alike-index";
/// The one format version this build reads and writes. Bump it whenever a
/// reader of the old version would misread the new one.
pub const FORMAT_VERSION: u32 = 1;

/// An index file as it is stored: JSON, columns per field, postings packed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexFile {
    pub format: String,
    pub version: u32,
    pub language: String,
    /// Case-folded, sorted words that are never terms.
    pub stop_words: Vec<String>,
    pub scoring: Scoring,
    pub articles: Articles,
    pub terms: Terms,
}

/// Everything a query needs to weigh text exactly as the builder did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// How many body words one title (or tag) word counts as.
    pub title_weight: f32,
    /// Exponent applied to idf (see `weight::idf`).
    pub idf_power: f32,
    /// See `BuildOptions::common_term_bias`; queries are pruned alike.
    pub common_term_bias: f32,
    /// Pseudo-relevance feedback: the best `feedback_articles` first-round
    /// matches are added to the query with total weight `feedback_weight`,
    /// then the archive is scored again. 0 turns it off.
    pub feedback_articles: u32,
    pub feedback_weight: f32,
    /// Terms kept per article; queries are pruned the same way to spot
    /// near-duplicates.
    pub terms_per_article: u32,
    /// Significant bits of each term hash.
    pub hash_bits: u8,
    /// Bits per quantised weight, and the weight range they span.
    pub weight_bits: u8,
    pub weight_min: f32,
    pub weight_max: f32,
    /// Cosine of two articles' kept terms at and above which they count as
    /// the same story.
    pub duplicate_similarity: f32,
}

/// Display metadata, one column per field, one row per article. Optional
/// columns are left out when no article has a value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Articles {
    pub url: Vec<String>,
    pub title: Vec<String>,
    /// Days since 1970-01-01.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Vec<Option<i32>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Vec<Option<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Vec<Option<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Vec<Option<String>>>,
    /// Body fingerprints (see `text::fingerprint`), two bytes each, little
    /// endian, base64.
    pub fingerprints: String,
}

/// The vocabulary and postings, packed as base64 varints (see `codec`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub count: u32,
    /// Term hashes in ascending order, each as the gap from the previous one.
    pub hashes: String,
    /// For each term: in how many articles it occurs (before pruning).
    pub df: String,
    /// For each term: the number of postings, then per posting
    /// `(article gap << weight_bits) | weight level`.
    pub postings: String,
}

impl IndexFile {
    /// Parses an index's JSON text (native builds; the browser lets
    /// `JSON.parse` do this and hands over the parsed value).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<IndexFile, Error> {
        IndexFile::parse_checked(|| serde_json::from_str(json), || serde_json::from_str(json))
    }

    /// Runs a full parse and, only if that fails, a parse of the header,
    /// so that "not an index", "another version" and "corrupt" get their
    /// own messages whatever the serde format.
    pub fn parse_checked<E: std::fmt::Display>(
        full: impl FnOnce() -> Result<IndexFile, E>,
        header: impl FnOnce() -> Result<Header, E>,
    ) -> Result<IndexFile, Error> {
        match full() {
            Ok(file) => {
                file.check_header()?;
                Ok(file)
            }
            Err(parse_error) => match header() {
                Ok(Header { format: Some(format), version: Some(version) })
                    if format == FORMAT_NAME && version != FORMAT_VERSION =>
                {
                    Err(Error::UnsupportedVersion { found: version, supported: FORMAT_VERSION })
                }
                Ok(Header { format: Some(format), .. }) if format == FORMAT_NAME => {
                    Err(Error::CorruptIndex(parse_error.to_string()))
                }
                _ => Err(Error::NotAnIndex(parse_error.to_string())),
            },
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an IndexFile always serialises")
    }

    fn check_header(&self) -> Result<(), Error> {
        if self.format != FORMAT_NAME {
            return Err(Error::NotAnIndex(format!(
                "its `format` is {:?}, not {FORMAT_NAME:?}",
                self.format
            )));
        }
        if self.version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion {
                found: self.version,
                supported: FORMAT_VERSION,
            });
        }
        Ok(())
    }
}

/// The two fields every version of the format keeps, read first when a
/// file fails to parse.
#[derive(Deserialize)]
pub struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// An index decoded for querying.
pub struct Index {
    pub(crate) tokenizer: Tokenizer,
    pub(crate) scoring: Scoring,
    pub(crate) articles: Articles,
    /// Sorted term hashes; a term's position is its id.
    pub(crate) term_hashes: Vec<u64>,
    pub(crate) term_idf: Vec<f32>,
    pub(crate) term_df: Vec<u32>,
    /// Postings of term `t` are `postings[term_starts[t]..term_starts[t + 1]]`.
    pub(crate) term_starts: Vec<u32>,
    pub(crate) postings: Vec<Posting>,
    /// Each article's kept terms as a unit vector (term id, weight), for
    /// telling near-duplicates apart.
    pub(crate) article_vectors: Vec<Vec<(u32, f32)>>,
    pub(crate) fingerprints: Vec<u16>,
    /// Article id by `url_key`, to leave out the page being read.
    pub(crate) article_by_url: HashMap<String, u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Posting {
    pub article: u32,
    pub weight: f32,
}

impl Index {
    /// Parses and decodes an index file's text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<Index, Error> {
        Index::from_file(IndexFile::from_json(json)?)
    }

    /// Decodes an index, checking every count and reference, so that a
    /// damaged or hostile file fails here with a message instead of
    /// misbehaving later.
    pub fn from_file(file: IndexFile) -> Result<Index, Error> {
        file.check_header()?;
        let corrupt = Error::CorruptIndex;
        let language = Language::parse(&file.language)?;
        let scoring = file.scoring;
        check_scoring(&scoring).map_err(corrupt)?;
        let count = file.articles.url.len();
        check_columns(&file.articles, count).map_err(corrupt)?;
        let article_count = u32::try_from(count)
            .map_err(|_| corrupt("more articles than this reader can hold".into()))?;

        let quantizer = Quantizer::new(scoring.weight_min, scoring.weight_max, scoring.weight_bits);
        let terms = &file.terms;
        let hashes = from_base64("terms.hashes", &terms.hashes).map_err(corrupt)?;
        let dfs = from_base64("terms.df", &terms.df).map_err(corrupt)?;
        let packed = from_base64("terms.postings", &terms.postings).map_err(corrupt)?;
        let mut hashes = VarintReader::new("terms.hashes", &hashes);
        let mut dfs = VarintReader::new("terms.df", &dfs);
        let mut packed = VarintReader::new("terms.postings", &packed);

        let term_count = terms.count as usize;
        // Capacity from the data's own size, not from a count that may lie.
        let mut term_hashes = Vec::with_capacity(term_count.min(hashes_len_hint(&terms.hashes)));
        let mut term_idf = Vec::with_capacity(term_hashes.capacity());
        let mut term_df = Vec::with_capacity(term_hashes.capacity());
        let mut term_starts = vec![0u32];
        let mut postings = Vec::new();
        let hash_limit = if scoring.hash_bits == 64 { u64::MAX } else { (1u64 << scoring.hash_bits) - 1 };
        let level_mask = (1u64 << scoring.weight_bits) - 1;
        let mut hash = 0u64;
        for term in 0..term_count {
            let gap = hashes.next().map_err(corrupt)?;
            if term > 0 && gap == 0 {
                return Err(corrupt(format!("term {term} repeats the previous term's hash")));
            }
            hash = hash
                .checked_add(gap)
                .filter(|h| *h <= hash_limit)
                .ok_or_else(|| corrupt(format!("term {term}'s hash is out of range")))?;
            let df = dfs.next_u32().map_err(corrupt)?;
            let listed = packed.next_u32().map_err(corrupt)?;
            if df == 0 || df > article_count || listed == 0 || listed > df {
                return Err(corrupt(format!(
                    "term {term} claims {listed} postings and a frequency of {df} among {count} articles"
                )));
            }
            let mut article: u64 = 0;
            for position in 0..listed {
                let value = packed.next().map_err(corrupt)?;
                let gap = value >> scoring.weight_bits;
                if position > 0 && gap == 0 {
                    return Err(corrupt(format!("term {term} lists an article twice")));
                }
                article += gap;
                if article >= count as u64 {
                    return Err(corrupt(format!("term {term} points past the last article")));
                }
                postings.push(Posting {
                    article: article as u32,
                    weight: quantizer.dequantize((value & level_mask) as u32),
                });
            }
            term_hashes.push(hash);
            term_idf.push(weight::idf(article_count, df, scoring.idf_power));
            term_df.push(df);
            term_starts.push(postings.len() as u32);
        }
        hashes.finish().map_err(corrupt)?;
        dfs.finish().map_err(corrupt)?;
        packed.finish().map_err(corrupt)?;

        let fingerprints = from_base64("articles.fingerprints", &file.articles.fingerprints).map_err(corrupt)?;
        if fingerprints.len() != 2 * count {
            return Err(corrupt(format!(
                "articles.fingerprints holds {} bytes, not two for each of {count} articles",
                fingerprints.len()
            )));
        }
        let fingerprints = fingerprints.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        let article_vectors = article_vectors(count, &term_starts, &postings);
        let mut article_by_url = HashMap::with_capacity(count);
        for (article, url) in file.articles.url.iter().enumerate() {
            // The first of two equal keys wins, as it would in a list.
            article_by_url.entry(url_key(url)).or_insert(article as u32);
        }
        Ok(Index {
            tokenizer: Tokenizer::new(language, &file.stop_words)?,
            scoring,
            articles: file.articles,
            term_hashes,
            term_idf,
            term_df,
            term_starts,
            postings,
            article_vectors,
            fingerprints,
            article_by_url,
        })
    }

    pub fn len(&self) -> usize {
        self.articles.url.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn term_count(&self) -> usize {
        self.term_hashes.len()
    }

    pub fn language(&self) -> Language {
        self.tokenizer.language()
    }

    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// The id of a term's hash, if the index has it.
    pub(crate) fn term_id(&self, hash: u64) -> Option<usize> {
        self.term_hashes.binary_search(&hash).ok()
    }

    pub(crate) fn postings_of(&self, term: usize) -> &[Posting] {
        &self.postings[self.term_starts[term] as usize..self.term_starts[term + 1] as usize]
    }
}

/// A base64 string of `n` characters holds at most `3n/4` varints.
fn hashes_len_hint(base64: &str) -> usize {
    base64.len() / 4 * 3 + 3
}

fn check_scoring(scoring: &Scoring) -> Result<(), String> {
    let Scoring { title_weight, idf_power, feedback_weight, hash_bits, weight_bits, weight_min, weight_max, duplicate_similarity, .. } =
        *scoring;
    if !(scoring.common_term_bias.is_finite() && (0.0..=10.0).contains(&scoring.common_term_bias)) {
        return Err(format!("scoring.common_term_bias is {}, not a number between 0 and 10", scoring.common_term_bias));
    }
    for (name, value) in [("title_weight", title_weight), ("idf_power", idf_power)] {
        if !(value.is_finite() && value > 0.0 && value <= 100.0) {
            return Err(format!("scoring.{name} is {value}, not a number between 0 and 100"));
        }
    }
    if !(feedback_weight.is_finite() && (0.0..=100.0).contains(&feedback_weight)) {
        return Err(format!("scoring.feedback_weight is {feedback_weight}, not a number between 0 and 100"));
    }
    if !(1..=64).contains(&hash_bits) {
        return Err(format!("scoring.hash_bits is {hash_bits}, not between 1 and 64"));
    }
    if !(1..=16).contains(&weight_bits) {
        return Err(format!("scoring.weight_bits is {weight_bits}, not between 1 and 16"));
    }
    if !(weight_min.is_finite() && weight_max.is_finite() && weight_min > 0.0 && weight_max >= weight_min) {
        return Err(format!("scoring weight range {weight_min}..{weight_max} is not a positive range"));
    }
    if !(0.0..=1.0).contains(&duplicate_similarity) {
        return Err(format!("scoring.duplicate_similarity is {duplicate_similarity}, not between 0 and 1"));
    }
    Ok(())
}

fn check_columns(articles: &Articles, count: usize) -> Result<(), String> {
    let lengths = [
        ("title", Some(articles.title.len())),
        ("day", articles.day.as_ref().map(Vec::len)),
        ("section", articles.section.as_ref().map(Vec::len)),
        ("image", articles.image.as_ref().map(Vec::len)),
        ("snippet", articles.snippet.as_ref().map(Vec::len)),
    ];
    for (name, length) in lengths {
        if let Some(length) = length.filter(|l| *l != count) {
            return Err(format!("articles.{name} has {length} entries but articles.url has {count}"));
        }
    }
    Ok(())
}

/// Inverts the postings into per-article unit vectors.
fn article_vectors(count: usize, term_starts: &[u32], postings: &[Posting]) -> Vec<Vec<(u32, f32)>> {
    let mut vectors = vec![Vec::new(); count];
    for term in 0..term_starts.len() - 1 {
        for posting in &postings[term_starts[term] as usize..term_starts[term + 1] as usize] {
            vectors[posting.article as usize].push((term as u32, posting.weight));
        }
    }
    for vector in &mut vectors {
        let length = weight::norm(vector.iter().map(|(_, w)| *w));
        if length > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= length);
        }
    }
    vectors
}
