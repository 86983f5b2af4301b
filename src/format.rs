//! The index format: one serde type per kind of file, written by the
//! builder and read by the CLI and the browser alike. `docs/index-format.md`
//! describes it field by field.
//!
//! An index is either one file holding everything (`IndexFile` with
//! `articles` and `terms`), or a manifest (`IndexFile` with `shards`) beside
//! immutable term shards (`TermShardFile`) and article shards
//! (`ArticleShardFile`), of which a query fetches only the few it needs.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The `format` of an index or manifest.
pub const FORMAT_NAME: &str = "alike-index";
/// The `format` of a term shard and of an article shard.
pub const TERM_SHARD_FORMAT: &str = "alike-terms";
pub const ARTICLE_SHARD_FORMAT: &str = "alike-articles";
/// The `format` of a list shard.
pub const LIST_SHARD_FORMAT: &str = "alike-lists";
/// The one format version this build reads and writes. Bump it whenever a
/// reader of the old version would misread the new one.
pub const FORMAT_VERSION: u32 = 1;

/// A single-file index, or the manifest of a sharded one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexFile {
    pub format: String,
    pub version: u32,
    pub language: String,
    /// Case-folded, sorted words that are never terms.
    pub stop_words: Vec<String>,
    pub scoring: Scoring,
    /// Every article (single file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub articles: Option<Articles>,
    /// Every term (single file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
    /// Where the articles and terms are (sharded only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<Shards>,
}

/// Everything a query needs to weigh text exactly as the builder did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// Articles in the index.
    pub articles: u32,
    /// How many body words one title (or tag) word counts as.
    pub title_weight: f32,
    /// Exponent applied to idf (see `weight::idf`).
    pub idf_power: f32,
    /// How many of the query's terms score articles (see `query`).
    pub query_terms: u32,
    /// Terms in at least this many articles are "common": their document
    /// frequency is known before any shard is fetched (`Shards::head`), and
    /// every other term is guessed rarer when picking the query's terms.
    pub common_df: u32,
    /// Pseudo-relevance feedback: the best `feedback_articles` first-round
    /// matches vote, with total weight `feedback_weight`, for the articles
    /// like themselves. 0 turns it off.
    pub feedback_articles: u32,
    pub feedback_weight: f32,
    /// Significant bits of each term hash.
    pub hash_bits: u8,
    /// Bits per quantised weight, and the weight range they span.
    pub weight_bits: u8,
    pub weight_min: f32,
    pub weight_max: f32,
}

/// Display metadata and story data, one column per field, one row per
/// article. Optional columns are left out when no article has a value.
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
    /// Body fingerprints (see `story`), 16 bits as three base64 digits
    /// each, high digit first.
    pub fingerprints: String,
    /// Articles that are one story (see `story`), as groups of two or more
    /// ids, each ascending, the groups in order of their first member, which
    /// leads the story. A shard lists its articles' groups cut down to the
    /// leader and the shard's own members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<Vec<u32>>,
}

/// Terms and their postings, as base64 VLQ streams (see `codec`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub count: u32,
    /// Per term, ascending: its hash, as the gap from the previous one.
    pub hashes: String,
    /// Per term: in how many articles it occurs (before pruning), rounded
    /// (see `weight::round_count`).
    pub df: String,
    /// Per term: how many postings it has (absent from `Shards::head`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lengths: String,
    /// Per posting, term by term, ascending: the article id, as the gap
    /// from the term's previous posting (the first gap is the id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub articles: String,
    /// Per posting: its weight level, one character.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub weights: String,
}

/// Where a sharded index keeps its articles and terms.
///
/// Shard files never change once written: a shard that a rebuild changes
/// is written under a new name, `t/<shard>-<version>.json` for terms and
/// `a/<shard>-<version>.json` for articles (both numbers in lower-case
/// hexadecimal), where the version is the generation of the build that last
/// changed it. Shards can so be cached forever, a rebuild writes only the
/// ones that changed, and the manifest pays about a character per shard
/// (less after gzip, as most versions repeat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shards {
    /// This build's generation: one more than the previous build's, or, for
    /// a build from scratch, a hash of its contents (so that builds from
    /// scratch never reuse each other's names).
    pub generation: u32,
    /// Articles per article shard: article `i` is in shard `i / size`.
    pub article_shard_size: u32,
    /// Per article shard, VLQ: `generation - version`.
    pub article_versions: String,
    /// A term is in shard `hash >> (hash_bits - term_shard_bits)`.
    pub term_shard_bits: u8,
    /// Per term shard, VLQ: 0 for a shard without terms, else
    /// `1 + generation - version`.
    pub term_versions: String,
    /// The common terms (`Scoring::common_df`): hashes and df only.
    pub head: Terms,
    /// Where each indexed article's related list is, if the build ranked
    /// them (see `Lists`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<Lists>,
}

/// Every indexed article's related articles, ranked at build time by the
/// very query the browser would run on its text, and kept in list shards
/// keyed by URL. A reader of an indexed article fetches the manifest and
/// one small list shard, and needs no engine; the engine runs for pages
/// the index does not hold and for queries with options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lists {
    /// Related articles per list (fewer where fewer are related).
    pub length: u32,
    /// A page is in list shard `fnv1a32(url_key) >> (32 - shard_bits)`.
    pub shard_bits: u8,
    /// Per list shard, VLQ: 0 for a shard without pages, else `1 +
    /// generation - version`.
    pub versions: String,
}

/// One term shard: the terms whose hashes start with its number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermShardFile {
    pub format: String,
    pub version: u32,
    pub shard: u32,
    pub terms: Terms,
}

/// One article shard: `Shards::article_shard_size` articles from `first`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleShardFile {
    pub format: String,
    pub version: u32,
    pub shard: u32,
    pub first: u32,
    pub articles: Articles,
}

/// One list shard: the related lists of the pages whose URL keys hash to
/// its number, keyed by URL key (see `text::url_key`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListShardFile {
    pub format: String,
    pub version: u32,
    pub shard: u32,
    pub pages: std::collections::BTreeMap<String, Vec<Listed>>,
}

/// One article of a related list: what the box shows of it. No score: the
/// order is the ranking, and a score would change with every rebuild (any
/// new article shifts some document frequency a little), rewriting nearly
/// every list shard whose lists did not change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub url: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// The two fields every file of every version keeps, read first when a
/// file fails to parse, to tell "another version" from "corrupt".
#[derive(Deserialize)]
pub struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// Runs a full parse and, only if that fails, a parse of the header, so
/// that "not alike's", "another version" and "corrupt" get their own
/// messages whatever the serde format (JSON text natively, JS values in the
/// browser).
pub fn parse_checked<T, E: std::fmt::Display>(
    format: &str,
    full: impl FnOnce() -> Result<T, E>,
    header: impl FnOnce() -> Result<Header, E>,
) -> Result<T, Error> {
    let parse_error = match full() {
        Ok(file) => return Ok(file),
        Err(error) => error,
    };
    match header() {
        Ok(Header { format: Some(found), version: Some(version) })
            if found == format && version != FORMAT_VERSION =>
        {
            Err(Error::UnsupportedVersion { found: version, supported: FORMAT_VERSION })
        }
        Ok(Header { format: Some(found), .. }) if found == format => {
            Err(Error::CorruptIndex(parse_error.to_string()))
        }
        _ => Err(Error::NotAnIndex(parse_error.to_string())),
    }
}

/// Checks a parsed file's `format` and `version`.
pub fn check_header(what: &str, format: &str, version: u32, expected: &str) -> Result<(), Error> {
    if format != expected {
        return Err(Error::NotAnIndex(format!("{what} has `format` \"{format}\", not \"{expected}\"")));
    }
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
    }
    Ok(())
}

/// Parses JSON text natively; the browser lets `JSON.parse` do it and hands
/// over the value.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_json<T: serde::de::DeserializeOwned>(format: &str, json: &str) -> Result<T, Error> {
    parse_checked(format, || serde_json::from_str(json), || serde_json::from_str(json))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn to_json<T: Serialize>(file: &T) -> String {
    serde_json::to_string(file).expect("index files always serialise")
}

#[cfg(not(target_arch = "wasm32"))]
impl IndexFile {
    /// Parses an index or manifest from JSON text.
    pub fn from_json(json: &str) -> Result<IndexFile, Error> {
        from_json(FORMAT_NAME, json)
    }

    pub fn to_json(&self) -> String {
        to_json(self)
    }
}
