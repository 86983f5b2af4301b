//! The index: one serde type for the file (`IndexFile`, written by the
//! builder and read by the browser alike) and the decoded, queryable form
//! (`Index`). The format is documented in `docs/index-format.md`.

use serde::{Deserialize, Serialize};

use crate::codec::Reader;
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
    /// The query's strongest terms that score articles (0: all). Fewer
    /// terms, fewer shards to fetch in a sharded index; measured, 80 scored
    /// as well as all on the BBC corpus.
    pub query_terms: u32,
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
    /// Body fingerprints (see `text::Fingerprinter`), 16 bits as three
    /// base64 digits each, high digit first.
    pub fingerprints: String,
    /// Articles that are one story (see `story`), as groups of two or
    /// more ids, each sorted, in order of their first member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<Vec<u32>>,
}

/// The vocabulary and its postings, as base64 VLQ streams (see `codec`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub count: u32,
    /// Per term, ascending: its hash, as the gap from the previous one.
    pub hashes: String,
    /// Per term: in how many articles it occurs (before pruning).
    pub df: String,
    /// Per term: how many postings it has.
    pub lengths: String,
    /// Per posting, term by term, ascending: the article id, as the gap
    /// from the term's previous posting (the first gap is the id).
    pub articles: String,
    /// Per posting: its weight level, one character.
    pub weights: String,
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
                "its `format` is \"{}\", not \"{FORMAT_NAME}\"",
                self.format
            )));
        }
        if self.version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion { found: self.version, supported: FORMAT_VERSION });
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
    /// Postings of term `t` are `postings[term_starts[t]..term_starts[t + 1]]`.
    pub(crate) term_starts: Vec<u32>,
    pub(crate) postings: Vec<Posting>,
    /// Each article's kept terms as a unit vector (term id, weight), for
    /// telling near-duplicates apart.
    pub(crate) article_vectors: Vec<Vec<(u32, f32)>>,
    pub(crate) fingerprints: Vec<u16>,
    /// The first article of each article's story (itself if it stands alone).
    pub(crate) story_of: Vec<u32>,
    /// Article id by `url_key`, to leave out the page being read.
    /// `(url_key, article)` sorted by key; the first article wins a tie.
    pub(crate) article_by_url: Vec<(String, u32)>,
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
        let article_count =
            u32::try_from(count).map_err(|_| corrupt("more articles than this reader can hold".into()))?;

        let table = decode_terms(&file.terms, &scoring, article_count).map_err(corrupt)?;
        let fingerprints = decode_fingerprints(&file.articles.fingerprints, count).map_err(corrupt)?;
        let TermTable { hashes: term_hashes, df: term_df, starts: term_starts, postings } = table;
        let term_idf = term_df.iter().map(|&df| weight::idf(article_count, df, scoring.idf_power)).collect();
        let story_of = decode_stories(&file.articles.stories, count).map_err(corrupt)?;
        let article_vectors = article_vectors(count, &term_starts, &postings);
        let mut article_by_url: Vec<(String, u32)> =
            file.articles.url.iter().enumerate().map(|(a, url)| (url_key(url), a as u32)).collect();
        article_by_url.sort_unstable();
        Ok(Index {
            tokenizer: Tokenizer::new(language, &file.stop_words)?,
            scoring,
            articles: file.articles,
            term_hashes,
            term_idf,
            term_starts,
            postings,
            article_vectors,
            fingerprints,
            story_of,
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

    /// The article whose URL names the same page as `url`, if any.
    pub(crate) fn article_by_url(&self, url: &str) -> Option<u32> {
        let key = url_key(url);
        let first = self.article_by_url.partition_point(|(k, _)| *k < key);
        self.article_by_url.get(first).filter(|(k, _)| *k == key).map(|(_, a)| *a)
    }

    pub(crate) fn postings_of(&self, term: usize) -> &[Posting] {
        &self.postings[self.term_starts[term] as usize..self.term_starts[term + 1] as usize]
    }
}

/// Decoded `Terms`: hashes, document frequencies, and each term's postings
/// as `postings[starts[t]..starts[t + 1]]`.
pub(crate) struct TermTable {
    pub hashes: Vec<u64>,
    pub df: Vec<u32>,
    pub starts: Vec<u32>,
    pub postings: Vec<Posting>,
}

/// Decodes `Terms`, checking every count and reference against the index.
pub(crate) fn decode_terms(
    terms: &Terms,
    scoring: &Scoring,
    article_count: u32,
) -> Result<TermTable, String> {
    let quantizer = Quantizer::new(scoring.weight_min, scoring.weight_max, scoring.weight_bits);
    let mut hashes_in = Reader::new("terms.hashes", &terms.hashes);
    let mut df_in = Reader::new("terms.df", &terms.df);
    let mut lengths_in = Reader::new("terms.lengths", &terms.lengths);
    let mut articles_in = Reader::new("terms.articles", &terms.articles);
    let mut weights_in = Reader::new("terms.weights", &terms.weights);
    // Capacities from the data's own size, never from a count that may lie.
    let mut table = TermTable {
        hashes: Vec::with_capacity(terms.hashes.len().min(terms.count as usize)),
        df: Vec::with_capacity(terms.df.len().min(terms.count as usize)),
        starts: vec![0],
        postings: Vec::with_capacity(terms.weights.len()),
    };
    let hash_limit = u64::MAX >> (64 - u32::from(scoring.hash_bits));
    let levels = 1u32 << scoring.weight_bits;
    let mut hash = 0u64;
    for term in 0..terms.count {
        let gap = hashes_in.vlq()?;
        if term > 0 && gap == 0 {
            return Err(format!("term {term} repeats the previous term's hash"));
        }
        hash = hash
            .checked_add(gap)
            .filter(|h| *h <= hash_limit)
            .ok_or_else(|| format!("term {term}'s hash is out of range"))?;
        let df = df_in.vlq_u32()?;
        let length = lengths_in.vlq_u32()?;
        if df == 0 || df > article_count || length == 0 || length > df {
            return Err(format!(
                "term {term} claims {length} postings and a frequency of {df} among {article_count} articles"
            ));
        }
        let mut article: u64 = 0;
        for position in 0..length {
            let gap = articles_in.vlq()?;
            if position > 0 && gap == 0 {
                return Err(format!("term {term} lists an article twice"));
            }
            article += gap;
            if article >= u64::from(article_count) {
                return Err(format!("term {term} points past the last article"));
            }
            let level = u32::from(weights_in.digit()?);
            if level >= levels {
                return Err(format!("term {term} has a weight level of {level}, above the top level"));
            }
            table.postings.push(Posting { article: article as u32, weight: quantizer.dequantize(level) });
        }
        table.hashes.push(hash);
        table.df.push(df);
        table.starts.push(table.postings.len() as u32);
    }
    for stream in [&hashes_in, &df_in, &lengths_in, &articles_in, &weights_in] {
        stream.finish()?;
    }
    Ok(table)
}

/// Each article's story leader, from the groups, checking that they are
/// sorted groups of real, distinct articles.
fn decode_stories(groups: &[Vec<u32>], count: usize) -> Result<Vec<u32>, String> {
    let mut story_of: Vec<u32> = (0..count as u32).collect();
    for group in groups {
        let sorted = group.windows(2).all(|pair| pair[0] < pair[1]);
        let leader = *group.first().unwrap_or(&0);
        if group.len() < 2 || !sorted || group.iter().any(|&a| a as usize >= count) {
            return Err(format!(
                "articles.stories has a group that is not two or more ascending article ids (led by {leader})"
            ));
        }
        for &article in group {
            if story_of[article as usize] != article {
                return Err(format!("article {article} is in two story groups"));
            }
            story_of[article as usize] = leader;
        }
    }
    Ok(story_of)
}

fn decode_fingerprints(text: &str, count: usize) -> Result<Vec<u16>, String> {
    if text.len() != 3 * count {
        return Err(format!(
            "articles.fingerprints has {} characters, not three for each of {count} articles",
            text.len()
        ));
    }
    let mut reader = Reader::new("articles.fingerprints", text);
    (0..count)
        .map(|_| {
            let high = u32::from(reader.digit()?);
            let value = (high << 12) | (u32::from(reader.digit()?) << 6) | u32::from(reader.digit()?);
            u16::try_from(value).map_err(|_| "articles.fingerprints holds a value above 16 bits".to_string())
        })
        .collect()
}

fn check_scoring(scoring: &Scoring) -> Result<(), String> {
    // Messages name the field but not its value: printing floats would
    // pull float formatting into the browser build for one error message.
    let number = |name: &str, value: f32, low: f32, high: f32| {
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(())
        } else {
            Err(format!(
                "scoring.{name} is not a number from {low} to {high}",
                low = low as u32,
                high = high as u32
            ))
        }
    };
    number("title_weight", scoring.title_weight, f32::MIN_POSITIVE, 100.0)?;
    number("idf_power", scoring.idf_power, f32::MIN_POSITIVE, 100.0)?;
    number("common_term_bias", scoring.common_term_bias, 0.0, 10.0)?;
    number("feedback_weight", scoring.feedback_weight, 0.0, 100.0)?;
    number("weight_min", scoring.weight_min, f32::MIN_POSITIVE, 1.0)?;
    number("weight_max", scoring.weight_max, scoring.weight_min, 1.0)?;
    if !(1..=64).contains(&scoring.hash_bits) {
        return Err(format!("scoring.hash_bits is {}, not from 1 to 64", scoring.hash_bits));
    }
    if !(1..=6).contains(&scoring.weight_bits) {
        return Err(format!("scoring.weight_bits is {}, not from 1 to 6", scoring.weight_bits));
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
