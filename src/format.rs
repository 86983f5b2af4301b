//! The index format: one serde type per kind of file, written by the
//! builder and read by the CLI and the browser alike. `docs/index-format.md`
//! describes it field by field.
//!
//! This module holds the single-file index (`IndexFile` with `articles`
//! and `terms`) and the parts the cluster layout's files share with it; the
//! cluster layout's own files have their own modules (`manifest`,
//! `engine_file`, `cluster_file`, `cell_file`, `list_file`).

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::error::Error;
use crate::query::QueryOptions;

/// The `format` of an index or manifest.
pub const FORMAT_NAME: &str = "alike-index";
/// The one format version this build reads and writes. Bump it whenever a
/// reader of the old version would misread the new one.
pub const FORMAT_VERSION: u32 = 1;

/// A single-file index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexFile {
    pub format: String,
    pub version: u32,
    pub language: String,
    /// Case-folded, sorted words that are never terms.
    pub stop_words: Vec<String>,
    /// The other languages its articles are in (`Articles::language`),
    /// each as its name followed by its stop words (case-folded, sorted);
    /// absent when all are in `language`. Lists of strings rather than
    /// objects: the browser engine already has their reader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Vec<String>>,
    pub scoring: Scoring,
    /// Every article (single file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub articles: Option<Articles>,
    /// Every term (single file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
    /// Whether the file has `shards`: a manifest of the term-shard layout
    /// (format version 1 in many files), which alike no longer writes or
    /// reads; `Index::from_file` refuses it with the rebuild hint.
    #[serde(rename = "shards", default, skip_serializing, deserialize_with = "present")]
    pub retired_shards: bool,
    /// The newest articles of each section, for the box's fallback
    /// (`QueryOptions::section_fallback`); absent when no dated article
    /// has a section. Old readers ignore it: they have no fallback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<Latest>,
}

/// `IndexFile::retired_shards`: true for any value, null included.
fn present<'de, D: serde::Deserializer<'de>>(value: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(value).map(|_| true)
}

/// The newest articles of each section (`IndexFile::latest`): the ids of
/// its newest dated articles that may be recommended, newest first, at
/// most `LATEST_PER_SECTION` (src/build/latest.rs), under the section's name as its first
/// article spells it (sections are compared trimmed and lower-cased).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub sections: Vec<String>,
    pub articles: Vec<Vec<u32>>,
}

/// Everything a query needs to weigh text exactly as the builder did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// frequency is known before any cluster is fetched (the engine file's
    /// `head`), and
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
    /// The article's language (a `Language` name), `null` for the index's
    /// default; absent when every article is in the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Vec<Option<String>>>,
    /// Body fingerprints (see `story`), 16 bits as three base64 digits
    /// each, high digit first.
    pub fingerprints: String,
    /// Articles that are one story (see `story`), as groups of two or more
    /// ids, each ascending, the groups in order of their first member, which
    /// leads the story. A cluster file lists its articles' groups cut down
    /// to the leader and the cluster's own members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<Vec<u32>>,
    /// Editors' picks ("pins", `Article::related`): per article that has
    /// any, its id followed by the ids of the articles to show first in its
    /// box, in order. Articles in order of id; a cluster file lists its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Vec<u32>>,
}

/// Terms and their postings, as base64 VLQ streams (see `codec`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    /// The terms named by hash (those of `head` not counted).
    pub count: u32,
    /// The terms named by their place in the engine file's head (common
    /// terms, whose hash and df the reader already holds): each place, as
    /// the gap from the previous one. Their postings come before the
    /// others'. Empty in a head, a single file and a version-2 file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub head: String,
    /// Per term, ascending: its hash, as the gap from the previous one.
    pub hashes: String,
    /// Per term: in how many articles it occurs (before pruning), rounded
    /// (see `weight::round_count`).
    pub df: String,
    /// Per term: how many postings it has (absent from a `head`).
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

/// One article of a related list: what the box shows of it, and how
/// related it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub url: String,
    pub title: String,
    /// How related, from 0 to 1 in hundredths (see `build::list_score`),
    /// so that a reader can hold a list to a minimum score. Rounded, so
    /// that the small drift of every rebuild rarely changes a stored list;
    /// absent from lists of builds before scores were stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// An editor's pick (`Article::related`), not ranked: it comes first
    /// and has no score.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
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
        return Err(Error::NotAnIndex(msg!(what, " has `format` \"", format, "\", not \"", expected, "\"")));
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
    parse_checked(format, || serde_json::from_str(json), || serde_json::from_str(json)).map_err(|error| {
        match error {
            Error::NotAnIndex(why) => {
                damaged(json, format, "the file").map_or(Error::NotAnIndex(why), Error::CorruptIndex)
            }
            other => other,
        }
    })
}

/// Why JSON text that does not parse is a file of kind `format` damaged
/// (most often cut short: a copy or an upload that stopped, a full disk),
/// or None when it is not one: it starts as alike writes that kind's
/// files, `format` first. Such a file is corrupt (`Error::CorruptIndex`),
/// not "not an alike index", whose advice (point to the file `alike index`
/// wrote) would mislead. `what` names the file in the reason.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn damaged(json: &str, format: &str, what: &str) -> Option<String> {
    let error = serde_json::from_str::<serde::de::IgnoredAny>(json).err()?;
    let named = json.trim_start().strip_prefix('{')?.trim_start().strip_prefix("\"format\"")?;
    let named = named.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    // Cut within the name itself, or after it.
    let whole = msg!(format, "\"");
    (whole.starts_with(named) || named.starts_with(&whole)).then(|| {
        let how = if error.is_eof() { " is cut short: " } else { " does not parse: " };
        msg!(what, how, error.to_string())
    })
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

// The browser's decoder. The browser hands over what `JSON.parse` made of a
// file, and reading it through serde (serde-wasm-bindgen) cost about half
// of the WebAssembly: a copy of serde's machinery per type, and float
// formatting for its error messages. These hand-written readers take the
// same files and refuse the same broken ones with the same three kinds of
// error: another format (`Error::NotAnIndex`), another version
// (`Error::UnsupportedVersion`) or corrupt (`Error::CorruptIndex`). The CLI
// keeps serde (`from_json`); tests check that both read every file alike.

/// A value as `JSON.parse` returns it, as the decoders below read it: a
/// JS value in the browser, `serde_json::Value` in tests. Nothing here can
/// loop or recurse: every reader walks a fixed shape.
pub trait JsonValue: Sized {
    /// Whether this is an object (not an array, not null).
    fn is_object(&self) -> bool;
    /// The member `name` of an object; `None` if it is absent or null, or
    /// if this is not an object.
    fn member(&self, name: &str) -> Option<Self>;
    /// Null (or, in JS, undefined).
    fn is_null(&self) -> bool;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    /// The length of an array; `None` if this is not one.
    fn length(&self) -> Option<u32>;
    /// Item `index` (below `length`) of an array.
    fn item(&self, index: u32) -> Self;
}

/// Reads an index or a manifest.
pub fn decode_index<V: JsonValue>(value: &V) -> Result<IndexFile, Error> {
    let version = check_format(value, FORMAT_NAME)?;
    let fields = Fields::new(value, "");
    let file = IndexFile {
        format: FORMAT_NAME.to_string(),
        version,
        language: fields.get("language", text),
        stop_words: fields.get("stop_words", |v| list(v, text)),
        languages: fields.optional("languages", |v| list(v, |l| list(l, text))).unwrap_or_default(),
        scoring: fields.get_object("scoring", decode_scoring),
        articles: fields.optional_object("articles", |v| decode_columns(v, "articles.")),
        terms: fields.optional_object("terms", |v| decode_term_streams(v, "terms.")),
        retired_shards: value.member("shards").is_some(),
        latest: fields.optional_object("latest", decode_latest),
    };
    fields.done(file).map_err(Error::CorruptIndex)
}

/// Reads `latest` (in an index, a manifest or an engine file).
pub(crate) fn decode_latest<V: JsonValue>(value: &V) -> Result<Latest, String> {
    let fields = Fields::new(value, "latest.");
    let latest = Latest {
        sections: fields.get("sections", |v| list(v, text)),
        articles: fields.get("articles", |v| list(v, |l| list(l, whole))),
    };
    fields.done(latest)
}

/// Reads the article a query is for (`{url, title, body, date?, section?,
/// image?, tags?}`; what is missing is empty).
pub fn decode_article<V: JsonValue>(value: &V) -> Result<Article, Error> {
    let fields = Fields::new(value, "");
    let read = || {
        if !value.is_object() {
            return Err("it is not an object".to_string());
        }
        let article = Article {
            url: fields.optional("url", text).unwrap_or_default(),
            title: fields.optional("title", text).unwrap_or_default(),
            body: fields.optional("body", text).unwrap_or_default(),
            date: fields.optional("date", text),
            section: fields.optional("section", text),
            image: fields.optional("image", text),
            tags: fields.optional("tags", |v| list(v, text)).unwrap_or_default(),
            ..Article::default()
        };
        fields.done(article)
    };
    read().map_err(|why| Error::BadArticle(msg!("bad article: ", why)))
}

/// Reads query options (`{k?, maxAgeDays?, halfLifeDays?, sectionBoost?,
/// minScore?, today?, exclude?, excludeSections?, onlyOlder?, language?,
/// languages?, explain?, fallback?}`); null or
/// undefined means the defaults. `onlyOlder` is a number, 1 for yes (the
/// shim's boolean, sent as a number the decoder already reads).
pub fn decode_options<V: JsonValue>(value: &V) -> Result<QueryOptions, Error> {
    let fields = Fields::new(value, "");
    let read = || {
        if value.is_null() {
            return Ok(QueryOptions::default());
        }
        if !value.is_object() {
            return Err("they are not an object".to_string());
        }
        let options = QueryOptions {
            k: fields.optional("k", whole).map_or(QueryOptions::default().k, |k| k as usize),
            max_age_days: fields.optional("maxAgeDays", whole),
            half_life_days: fields.optional("halfLifeDays", float),
            section_boost: fields.optional("sectionBoost", float),
            min_score: fields.optional("minScore", float),
            today: fields.optional("today", text),
            exclude: fields.optional("exclude", |v| list(v, text)).unwrap_or_default(),
            exclude_sections: fields.optional("excludeSections", |v| list(v, text)).unwrap_or_default(),
            only_older: fields.optional("onlyOlder", whole).is_some_and(|yes| yes == 1),
            language: fields.optional("language", text),
            any_language: fields.optional("languages", text).is_some_and(|any| any == "any"),
            explain: fields.optional("explain", whole).is_some_and(|yes| yes == 1),
            section_fallback: match fields.optional("fallback", text).as_deref() {
                None | Some("none") => false,
                Some("section") => true,
                Some(_) => {
                    fields.fail("`fallback` is neither \"section\" nor \"none\"".to_string());
                    false
                }
            },
        };
        fields.done(options)
    };
    read().map_err(|why| Error::BadSettings(msg!("bad options: ", why)))
}

/// Checks `format` and `version` before anything else, as `parse_checked`
/// does after a failed parse: another format is not an index at all, and
/// another version is another version however the rest looks.
fn check_format<V: JsonValue>(value: &V, expected: &str) -> Result<u32, Error> {
    let format = value.member("format").and_then(|v| v.string());
    crate::manifest::check_format_name(format.as_deref(), expected)?;
    let fields = Fields::new(value, "");
    let version = fields.get("version", whole);
    let version = fields.done(version).map_err(Error::CorruptIndex)?;
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
    }
    Ok(version)
}

pub(crate) fn decode_scoring<V: JsonValue>(value: &V) -> Result<Scoring, String> {
    let fields = Fields::new(value, "scoring.");
    let scoring = Scoring {
        articles: fields.get("articles", whole),
        title_weight: fields.get("title_weight", float),
        idf_power: fields.get("idf_power", float),
        query_terms: fields.get("query_terms", whole),
        common_df: fields.get("common_df", whole),
        feedback_articles: fields.get("feedback_articles", whole),
        feedback_weight: fields.get("feedback_weight", float),
        hash_bits: fields.get("hash_bits", byte),
        weight_bits: fields.get("weight_bits", byte),
        weight_min: fields.get("weight_min", float),
        weight_max: fields.get("weight_max", float),
    };
    fields.done(scoring)
}

pub(crate) fn decode_columns<V: JsonValue>(value: &V, path: &'static str) -> Result<Articles, String> {
    let fields = Fields::new(value, path);
    let optional_texts = |v: &V| list(v, |item| nullable(item, text));
    let articles = Articles {
        url: fields.get("url", |v| list(v, text)),
        title: fields.get("title", |v| list(v, text)),
        day: fields.optional("day", |v| list(v, |item| nullable(item, day))),
        section: fields.optional("section", optional_texts),
        image: fields.optional("image", optional_texts),
        snippet: fields.optional("snippet", optional_texts),
        language: fields.optional("language", optional_texts),
        fingerprints: fields.get("fingerprints", text),
        stories: fields.optional("stories", |v| list(v, |group| list(group, whole))).unwrap_or_default(),
        related: fields.optional("related", |v| list(v, |group| list(group, whole))).unwrap_or_default(),
    };
    fields.done(articles)
}

pub(crate) fn decode_term_streams<V: JsonValue>(value: &V, path: &'static str) -> Result<Terms, String> {
    let fields = Fields::new(value, path);
    let terms = Terms {
        count: fields.get("count", whole),
        head: fields.optional("head", text).unwrap_or_default(),
        hashes: fields.get("hashes", text),
        df: fields.get("df", text),
        lengths: fields.optional("lengths", text).unwrap_or_default(),
        articles: fields.optional("articles", text).unwrap_or_default(),
        weights: fields.optional("weights", text).unwrap_or_default(),
    };
    fields.done(terms)
}

/// What is wrong with a value, said after its name (`is not a string`).
pub(crate) type Complaint = &'static str;

/// Reads one value. Plain function pointers rather than generic closures:
/// one copy of each reader per type read, not per call site, which keeps
/// the browser's code small.
pub(crate) type Read<V, T> = fn(&V) -> Result<T, Complaint>;

/// The members of one object, named in messages after `path`
/// (`scoring.` + `articles`). A member that is wrong is complained about
/// and read as its type's default, and reading goes on: the decoders then
/// build their structs in one straight line, without an exit (and the
/// drops of what was read before it) at every member, which was a third of
/// their code in the wasm. `done` hands over the first complaint, the one
/// an early exit would have given.
pub(crate) struct Fields<'a, V> {
    value: &'a V,
    path: &'static str,
    complaint: std::cell::Cell<Option<String>>,
}

impl<'a, V: JsonValue> Fields<'a, V> {
    pub fn new(value: &'a V, path: &'static str) -> Self {
        Fields { value, path, complaint: std::cell::Cell::new(None) }
    }

    /// A member that must be there.
    pub fn get<T: Default>(&self, name: &str, read: Read<V, T>) -> T {
        match self.value.member(name) {
            Some(value) => self.read(name, &value, read).unwrap_or_default(),
            None => {
                self.complain(name, "is missing");
                T::default()
            }
        }
    }

    /// A member that may be absent or null.
    pub fn optional<T>(&self, name: &str, read: Read<V, T>) -> Option<T> {
        let value = self.value.member(name)?;
        self.read(name, &value, read)
    }

    fn read<T>(&self, name: &str, value: &V, read: Read<V, T>) -> Option<T> {
        read(value).map_err(|complaint| self.complain(name, complaint)).ok()
    }

    /// An object that must be there, read by `read` (whose messages name
    /// its own members).
    pub fn get_object<T: Default>(&self, name: &str, read: fn(&V) -> Result<T, String>) -> T {
        match self.object(name) {
            Some(value) => read(&value).map_err(|why| self.fail(why)).unwrap_or_default(),
            None => {
                self.complain(name, "is missing");
                T::default()
            }
        }
    }

    pub fn optional_object<T>(&self, name: &str, read: fn(&V) -> Result<T, String>) -> Option<T> {
        read(&self.object(name)?).map_err(|why| self.fail(why)).ok()
    }

    /// The member `name` if it is there; refused if it is not an object.
    fn object(&self, name: &str) -> Option<V> {
        let value = self.value.member(name)?;
        if value.is_object() {
            return Some(value);
        }
        self.complain(name, "is not an object");
        None
    }

    /// "`scoring.articles` is missing": written once here rather than in
    /// every copy of the generic readers above (one per type read).
    #[inline(never)]
    fn complain(&self, name: &str, complaint: Complaint) {
        self.fail(msg!("`", self.path, name, "` ", complaint));
    }

    /// Keeps `why` unless a complaint came before it.
    pub fn fail(&self, why: String) {
        let first = self.complaint.take();
        self.complaint.set(first.or(Some(why)));
    }

    /// What was read, or the first complaint.
    pub fn done<T>(self, read: T) -> Result<T, String> {
        match self.complaint.into_inner() {
            None => Ok(read),
            Some(why) => Err(why),
        }
    }
}

pub(crate) fn text<V: JsonValue>(value: &V) -> Result<String, Complaint> {
    value.string().ok_or("is not a string")
}

pub(crate) fn whole<V: JsonValue>(value: &V) -> Result<u32, Complaint> {
    match value.number() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        _ => Err("is not a whole number from 0 to 4294967295"),
    }
}

pub(crate) fn byte<V: JsonValue>(value: &V) -> Result<u8, Complaint> {
    match value.number() {
        Some(n) if n.fract() == 0.0 && (0.0..=255.0).contains(&n) => Ok(n as u8),
        _ => Err("is not a whole number from 0 to 255"),
    }
}

/// A day number (days since 1970-01-01, maybe before).
fn day<V: JsonValue>(value: &V) -> Result<i32, Complaint> {
    match value.number() {
        Some(n) if n.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n) => {
            Ok(n as i32)
        }
        _ => Err("holds a day that is not a whole number"),
    }
}

/// A number, kept as `f32` as serde keeps it (`as`: a huge one becomes
/// infinite, which the engine's checks refuse).
pub(crate) fn float<V: JsonValue>(value: &V) -> Result<f32, Complaint> {
    value.number().map(|n| n as f32).ok_or("is not a number")
}

fn nullable<V: JsonValue, T>(value: &V, read: Read<V, T>) -> Result<Option<T>, Complaint> {
    if value.is_null() { Ok(None) } else { read(value).map(Some) }
}

/// A list, every item read by `item`; an item's complaint is the list's.
pub(crate) fn list<V: JsonValue, T>(value: &V, item: Read<V, T>) -> Result<Vec<T>, Complaint> {
    let length = value.length().ok_or("is not a list")?;
    // A plain loop: `collect` into a `Result` costs more code in each copy
    // of this function (one per type read). Item by item: no list of them
    // all to build and drop first.
    let mut read = Vec::with_capacity(length as usize);
    for i in 0..length {
        read.push(item(&value.item(i)).map_err(|_| "has an item of the wrong kind")?);
    }
    Ok(read)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::{BuildOptions, BuiltIndex, IndexBuilder};

    /// `serde_json::Value` read as the browser's JS values are.
    impl JsonValue for Value {
        fn is_object(&self) -> bool {
            self.is_object()
        }

        fn member(&self, name: &str) -> Option<Value> {
            self.get(name).filter(|v| !v.is_null()).cloned()
        }

        fn is_null(&self) -> bool {
            self.is_null()
        }

        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_string)
        }

        fn number(&self) -> Option<f64> {
            self.as_f64()
        }

        fn length(&self) -> Option<u32> {
            self.as_array().map(|items| items.len() as u32)
        }

        fn item(&self, index: u32) -> Value {
            self[index as usize].clone()
        }
    }

    const BODY: &str = "The central bank held interest rates as inflation eased and lending slowed again.";

    fn built() -> BuiltIndex {
        let mut builder = IndexBuilder::new(BuildOptions::default()).unwrap();
        let articles = [
            ("/rates", "Bank holds rates", BODY, Some("2005-03-01"), Some("business")),
            ("/rates-copy", "Bank holds rates again", BODY, Some("2005-03-02"), None),
            (
                "/cup",
                "Cup final goes to penalties",
                "The cup final went to penalties after extra time.",
                None,
                Some("sport"),
            ),
        ];
        for (url, title, body, date, section) in articles {
            let article = Article {
                url: url.into(),
                title: title.into(),
                body: body.into(),
                date: date.map(str::to_string),
                section: section.map(str::to_string),
                image: Some(format!("{url}.jpg")),
                related: if url == "/rates" { vec!["/cup".into()] } else { Vec::new() },
                ..Article::default()
            };
            builder.add(article).unwrap();
        }
        builder.build()
    }

    fn value<T: Serialize>(file: &T) -> Value {
        serde_json::from_str(&to_json(file)).unwrap()
    }

    fn single() -> Value {
        value(&built().single())
    }

    #[test]
    fn reads_every_kind_of_file_as_serde_does() {
        let built = built();
        let file = built.single();
        assert!(file.articles.as_ref().unwrap().stories.len() == 1, "the copy makes a story");
        assert_eq!(file.articles.as_ref().unwrap().related, [[0, 2]], "/rates pins /cup");
        assert_eq!(decode_index(&value(&file)).unwrap(), file);
    }

    #[test]
    fn what_is_not_an_index_is_refused_as_such() {
        for not_an_index in [json!("the file's text"), json!([1, 2]), json!({"hello": "world"}), json!(null)]
        {
            let error = decode_index(&not_an_index).unwrap_err();
            assert!(matches!(error, Error::NotAnIndex(_)), "{not_an_index}: {error}");
        }
        let mut shard = single();
        shard["format"] = json!("alike-terms");
        let said = decode_index(&shard).unwrap_err().to_string();
        assert!(said.contains("not an alike index") && said.contains("alike-terms"), "{said}");
    }

    /// A file cut short (an upload that stopped) is corrupt, wherever the
    /// cut falls after its `format` begins, and so is one damaged; text
    /// that is not alike's, or is another kind's, cut short or whole, is not
    /// an index.
    #[test]
    fn a_file_cut_short_is_corrupt_not_another_kind() {
        let json = to_json(&built().single());
        for cut in [12, 20, 30, json.len() / 2, json.len() - 1] {
            let error = IndexFile::from_json(&json[..cut]).unwrap_err();
            let said = error.to_string();
            assert!(matches!(error, Error::CorruptIndex(_)), "cut at {cut}: {said}");
            assert!(said.contains("the file is cut short: EOF while parsing"), "{said}");
        }
        // Cut within a number: not the end of the text to serde.
        let number = json.find(":0.").expect("a fraction") + 3;
        let said = IndexFile::from_json(&json[..number]).unwrap_err().to_string();
        assert!(said.starts_with("the index is corrupt (the file does not parse: invalid number"), "{said}");
        let spaced = json.replacen("{\"format\":", "{\n  \"format\" : ", 1);
        assert!(matches!(IndexFile::from_json(&spaced[..40]), Err(Error::CorruptIndex(_))));
        let broken = json.replacen(",\"version\"", ",,\"version\"", 1);
        assert!(matches!(IndexFile::from_json(&broken), Err(Error::CorruptIndex(_))));
        for other in
            ["", "  ", "{", "{\"format\":", "{\"format\":\"alike-lists\",\"ver", "{\"title\":\"a", "[1, 2"]
        {
            let error = IndexFile::from_json(other).unwrap_err();
            assert!(matches!(error, Error::NotAnIndex(_)), "{other:?}: {error}");
        }
    }

    #[test]
    fn another_version_is_refused_whatever_the_rest_holds() {
        for rest in [single(), json!({"format": FORMAT_NAME})] {
            let mut file = rest;
            file["version"] = json!(99);
            let error = decode_index(&file).unwrap_err();
            assert!(
                matches!(error, Error::UnsupportedVersion { found: 99, supported: FORMAT_VERSION }),
                "{error}"
            );
        }
    }

    /// Each change to a good index, and a word the refusal must name.
    #[test]
    fn corrupt_and_truncated_indexes_are_refused_naming_the_field() {
        let cases: &[(&str, Value, &str)] = &[
            ("/version", json!("1"), "`version` is not a whole number"),
            ("/language", json!(7), "`language` is not a string"),
            ("/stop_words", json!("the"), "`stop_words` is not a list"),
            ("/stop_words", json!(["the", 7]), "`stop_words` has an item"),
            ("/scoring", json!(3), "`scoring` is not an object"),
            ("/scoring/articles", json!(-1), "`scoring.articles` is not a whole number"),
            ("/scoring/articles", json!(2.5), "`scoring.articles` is not a whole number"),
            ("/scoring/articles", json!(1e10), "`scoring.articles` is not a whole number"),
            ("/scoring/hash_bits", json!(256), "`scoring.hash_bits` is not a whole number from 0 to 255"),
            ("/scoring/idf_power", json!("0.5"), "`scoring.idf_power` is not a number"),
            ("/articles/url", json!({}), "`articles.url` is not a list"),
            ("/articles/title/0", json!(null), "`articles.title` has an item"),
            ("/articles/day/0", json!(1.5), "`articles.day` has an item"),
            ("/articles/section", json!([1, null, null]), "`articles.section` has an item"),
            ("/articles/stories", json!([[0, "1"]]), "`articles.stories` has an item"),
            ("/articles/related", json!([[0, "2"]]), "`articles.related` has an item"),
            ("/terms/count", json!(null), "`terms.count` is missing"),
            ("/terms/weights", json!(12), "`terms.weights` is not a string"),
        ];
        for (at, replacement, expected) in cases {
            let mut file = single();
            *file.pointer_mut(at).unwrap() = replacement.clone();
            let error = decode_index(&file).unwrap_err();
            let said = error.to_string();
            assert!(matches!(error, Error::CorruptIndex(_)) && said.contains(expected), "{at}: {said}");
        }
        // Pins that name no article, or the wrong one, fail when decoded.
        for (related, expected) in [
            (json!([[0]]), "articles.related has a group that is not"),
            (json!([[0, 3]]), "articles.related has a group that is not"),
            (json!([[0, 0]]), "articles.related has a group that is not"),
            (json!([[0, 2, 2]]), "articles.related has a group that is not"),
            (json!([[1, 2], [0, 2]]), "articles.related has a group that is not"),
            (json!([[]]), "articles.related has a group that is not"),
        ] {
            let mut file = single();
            *file.pointer_mut("/articles/related").unwrap() = related;
            let said = crate::Index::from_file(decode_index(&file).unwrap()).err().unwrap().to_string();
            assert!(said.contains("corrupt") && said.contains(expected), "{said}");
        }
        // Truncated: whole members missing, as when a file is cut short and mended.
        for (object, member, expected) in [
            ("", "language", "`language` is missing"),
            ("", "version", "`version` is missing"),
            ("/scoring", "weight_max", "`scoring.weight_max` is missing"),
            ("/articles", "fingerprints", "`articles.fingerprints` is missing"),
            ("/terms", "hashes", "`terms.hashes` is missing"),
        ] {
            let mut file = single();
            file.pointer_mut(object).unwrap().as_object_mut().unwrap().remove(member);
            let said = decode_index(&file).unwrap_err().to_string();
            assert!(said.contains("corrupt") && said.contains(expected), "{member}: {said}");
        }
    }

    /// A manifest of the retired term-shard layout (format version 1 with
    /// `shards`, as alike wrote it until session 10) is refused by both
    /// readers with the rebuild hint, whatever its `shards` holds.
    #[test]
    fn a_term_shard_manifest_gets_the_rebuild_hint() {
        let mut manifest = single();
        let object = manifest.as_object_mut().unwrap();
        object.remove("articles");
        object.remove("terms");
        for shards in [json!({"generation": 1, "term_shard_bits": 3, "head": {}}), json!({})] {
            manifest["shards"] = shards;
            let native = IndexFile::from_json(&manifest.to_string()).and_then(crate::Index::from_file);
            let browser = decode_index(&manifest).and_then(crate::Index::from_file);
            for error in [native.err().unwrap(), browser.err().unwrap()] {
                assert!(matches!(error, Error::UnsupportedVersion { found: 1, .. }), "{error}");
                let said = error.to_string();
                assert!(said.contains("written by an earlier alike (format version 1)"), "{said}");
                assert!(said.contains("rebuild it with `alike index`"), "{said}");
            }
        }
        // A single file keeps version 1 and loads.
        assert!(crate::Index::from_file(decode_index(&single()).unwrap()).is_ok());
    }

    #[test]
    fn articles_and_options_read_as_the_shim_sends_them() {
        let article = decode_article(&json!({"url": "/a", "title": "T", "body": "B", "date": "2005-03-01",
            "section": null, "tags": ["x"], "unknown": 1}))
        .unwrap();
        let expected = Article {
            url: "/a".into(),
            title: "T".into(),
            body: "B".into(),
            date: Some("2005-03-01".into()),
            section: None,
            image: None,
            tags: vec!["x".into()],
            ..Article::default()
        };
        assert_eq!(article, expected);
        assert_eq!(decode_article(&json!({})).unwrap(), Article::default());

        let options = decode_options(&json!({"k": 3, "maxAgeDays": 30, "halfLifeDays": 0.5,
            "sectionBoost": 1.2, "minScore": 0.1, "today": "2005-03-11", "exclude": ["/b"],
            "excludeSections": ["Sport"], "onlyOlder": 1, "language": "fr-CA", "languages": "any",
            "fallback": "section"}))
        .unwrap();
        let expected = QueryOptions {
            k: 3,
            max_age_days: Some(30),
            half_life_days: Some(0.5),
            section_boost: Some(1.2),
            min_score: Some(0.1),
            today: Some("2005-03-11".into()),
            exclude: vec!["/b".into()],
            exclude_sections: vec!["Sport".into()],
            only_older: true,
            language: Some("fr-CA".into()),
            any_language: true,
            explain: false,
            section_fallback: true,
        };
        assert_eq!(options, expected);
        let bad = decode_options(&json!({"fallback": "latest"})).unwrap_err().to_string();
        assert!(bad.contains("`fallback` is neither"), "{bad}");
        assert_eq!(decode_options(&json!(null)).unwrap(), QueryOptions::default());
        assert_eq!(decode_options(&json!({})).unwrap(), QueryOptions::default());
    }

    #[test]
    fn bad_articles_and_options_are_refused_with_sentences() {
        for (article, expected) in [
            (json!("text"), "bad article: it is not an object"),
            (json!(["/a"]), "bad article: it is not an object"),
            (json!({"title": 7}), "bad article: `title` is not a string"),
            (json!({"tags": "x"}), "bad article: `tags` is not a list"),
        ] {
            let error = decode_article(&article).unwrap_err();
            assert!(matches!(error, Error::BadArticle(_)) && error.to_string() == expected, "{error}");
        }
        for (options, expected) in [
            (json!(5), "bad options: they are not an object"),
            (json!({"k": 2.5}), "bad options: `k` is not a whole number"),
            (json!({"maxAgeDays": -3}), "bad options: `maxAgeDays` is not a whole number"),
            (json!({"halfLifeDays": "3"}), "bad options: `halfLifeDays` is not a number"),
            (json!({"exclude": [1]}), "bad options: `exclude` has an item"),
        ] {
            let error = decode_options(&options).unwrap_err();
            assert!(
                matches!(error, Error::BadSettings(_)) && error.to_string().starts_with(expected),
                "{error}"
            );
        }
    }
}
