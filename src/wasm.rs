//! The browser binding: converts values and errors, nothing else. All the
//! logic it calls is the engine's, tested natively.
//!
//! A query runs in steps (a single-file index answers the first): `start`
//! and `resume` return `{need: [paths]}` until they return `{related:
//! [...]}`; the caller fetches each path (relative to the manifest), hands
//! it over with `add`, or reports it lost with `lose`.
//!
//! Values cross as `JSON.parse` made them and are read member by member
//! through `Reflect.get` by the hand-written decoders of `format`; answers
//! go back as plain objects built with `Reflect.set`. No serde: its
//! machinery, one copy per type, was about half of the WebAssembly.

use wasm_bindgen::prelude::*;

use crate::cell_file::decode_cell_file;
use crate::cluster_file::decode_cluster_file;
use crate::engine_file::{decode_engine_file, is_engine_file};
use crate::format::{JsonValue, decode_article, decode_index, decode_options};
use crate::{Index, NeededFile, Related, Search, Step};

// The few JS built-ins the binding needs, declared here rather than taken
// from js-sys: its versions catch exceptions, which these cannot throw on
// what `JSON.parse` makes and which costs glue on every page.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn get_member(target: &JsValue, key: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn get_item(target: &JsValue, index: u32) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set_member(target: &JsValue, key: &str, value: &JsValue) -> bool;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set_item(target: &JsValue, index: u32, value: &JsValue) -> bool;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> bool;
    /// `Object()`: a new plain object, as `{}` makes.
    #[wasm_bindgen(js_name = Object)]
    fn object() -> JsValue;
    /// `Array()`: a new empty array.
    #[wasm_bindgen(js_name = Array)]
    fn empty_array() -> JsValue;
}

// A free-list allocator instead of the standard dlmalloc: about 2 KB less
// gzipped, and measured as fast on the BBC sample's 333 queries (its free
// blocks merge, so the list stays short for the engine's short-lived
// strings).
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// A loaded index, ready to answer queries.
#[wasm_bindgen]
pub struct Engine {
    index: Index,
    search: Option<Search>,
    /// The files the current step asked for, by path.
    pending: Vec<NeededFile>,
}

#[wasm_bindgen]
impl Engine {
    /// Loads a single-file index or the cluster layout's engine file, as
    /// parsed by `JSON.parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(index: JsValue) -> Result<Engine, JsError> {
        let index = if is_engine_file(&index) {
            Index::from_engine_file(decode_engine_file(&index).map_err(js)?).map_err(js)?
        } else {
            Index::from_file(decode_index(&index).map_err(js)?).map_err(js)?
        };
        Ok(Engine { index, search: None, pending: Vec::new() })
    }

    /// Starts a query and takes its first step: `article` is `{url, title,
    /// body, date?, section?}`, `options` `{k?, maxAgeDays?, halfLifeDays?,
    /// sectionBoost?, today?, exclude?}`. A single file answers at once
    /// (`{related: [...]}`, plain objects `{url, title, score, date?,
    /// section?, image?, snippet?}`). No `recommend` beside it: that was a
    /// second copy of the query's code in the wasm (407 bytes gzip -9).
    pub fn start(&mut self, article: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let (article, options) =
            (decode_article(&article).map_err(js)?, decode_options(&options).map_err(js)?);
        let search = self.index.search(&article, &options).map_err(js)?;
        self.search = Some(search);
        self.resume()
    }

    /// Takes the query's next step, once the files it needed are added or lost.
    pub fn resume(&mut self) -> Result<JsValue, JsError> {
        let search = self.search.as_mut().ok_or_else(|| JsError::new("no query is under way; call start"))?;
        let step = object();
        match search.step(&self.index).map_err(js)? {
            Step::Need(shards) => {
                let paths = array(shards.iter().map(|shard| JsValue::from_str(shard.path())));
                set_member(&step, "need", &paths);
                self.pending = shards;
            }
            Step::Done(related) => {
                self.search = None;
                set_member(&step, "related", &results(&related));
            }
        }
        Ok(step)
    }

    /// Adds the file fetched from `path` (relative to the manifest), as
    /// parsed by `JSON.parse`.
    pub fn add(&mut self, path: &str, shard: JsValue) -> Result<(), JsError> {
        let Some(wanted) = self.pending.iter().find(|s| s.path() == path) else {
            let mut message = String::from("the query did not ask for ");
            message.push_str(path);
            return Err(JsError::new(&message));
        };
        match wanted {
            NeededFile::Cluster { .. } => {
                self.index.add_cluster(wanted, decode_cluster_file(&shard).map_err(js)?).map_err(js)?
            }
            NeededFile::Cell { .. } => {
                self.index.add_cell(wanted, decode_cell_file(&shard).map_err(js)?).map_err(js)?
            }
        }
        Ok(())
    }

    /// Goes on without the file at `path`, which could not be fetched.
    pub fn lose(&mut self, path: &str) {
        if let Some(shard) = self.pending.iter().find(|s| s.path() == path) {
            self.index.give_up(shard);
        }
    }

    /// Whether the index comes in many files (the cluster layout; then use `start`).
    #[wasm_bindgen(getter)]
    pub fn sharded(&self) -> bool {
        self.index.is_multi_file()
    }

    /// Number of articles in the index.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.index.len()
    }
}

/// A JS value as `format`'s decoders read it.
impl JsonValue for JsValue {
    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !is_array(self)
    }

    fn member(&self, name: &str) -> Option<JsValue> {
        if !JsValue::is_object(self) {
            return None;
        }
        Some(get_member(self, name)).filter(|value| !JsonValue::is_null(value))
    }

    fn is_null(&self) -> bool {
        JsValue::is_null(self) || self.is_undefined()
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn length(&self) -> Option<u32> {
        if !is_array(self) {
            return None;
        }
        get_member(self, "length").as_f64().map(|n| n as u32)
    }

    fn item(&self, index: u32) -> JsValue {
        get_item(self, index)
    }
}

/// An error as the console shows it: `Error::message`, not `to_string`,
/// which would bring `core::fmt` back into the wasm.
fn js(error: crate::Error) -> JsError {
    JsError::new(&error.message())
}

fn array(items: impl Iterator<Item = JsValue>) -> JsValue {
    let array = empty_array();
    for (i, item) in items.enumerate() {
        set_item(&array, i as u32, &item);
    }
    array
}

/// The answer as the shim reads it: `{url, title, score, date?, section?,
/// image?, snippet?, pinned?, fallback?, why?}` each, the optional members absent when empty.
fn results(related: &[Related]) -> JsValue {
    array(related.iter().map(|r| {
        let result = object();
        set_member(&result, "url", &JsValue::from_str(&r.url));
        set_member(&result, "title", &JsValue::from_str(&r.title));
        set_member(&result, "score", &JsValue::from_f64(f64::from(r.score)));
        let optional =
            [("date", &r.date), ("section", &r.section), ("image", &r.image), ("snippet", &r.snippet)];
        for (name, value) in optional {
            if let Some(value) = value {
                set_member(&result, name, &JsValue::from_str(value));
            }
        }
        if r.pinned {
            set_member(&result, "pinned", &JsValue::TRUE);
        }
        if r.fallback {
            set_member(&result, "fallback", &JsValue::TRUE);
        }
        // `explain`: {terms: [[word, part]], sectionBoost?, age?: [days, factor]}.
        if let Some(why) = &r.why {
            let pair = |a: JsValue, b: f32| array([a, JsValue::from_f64(f64::from(b))].into_iter());
            let explained = object();
            let terms = why.terms.iter().map(|(word, part)| pair(JsValue::from_str(word), *part));
            set_member(&explained, "terms", &array(terms));
            if let Some(boost) = why.section_boost {
                set_member(&explained, "sectionBoost", &JsValue::from_f64(f64::from(boost)));
            }
            if let Some((days, factor)) = why.age {
                set_member(&explained, "age", &pair(JsValue::from_f64(f64::from(days)), factor));
            }
            set_member(&result, "why", &explained);
        }
        result
    }))
}

/// Reads a page's article by the engine's rules (`extract.rs`), as the CLI
/// reads it: `tree` is the page in `extract::Tree::decode`'s wire format,
/// `title` its title from metadata, `linked` its JSON-LD `articleBody`.
/// Returns `{text, linked, read: [node], leftOut: [[node, why]]}`, nodes
/// numbered as in `tree`.
#[wasm_bindgen(js_name = readPage)]
pub fn read_page(tree: &str, title: &str, linked: Option<String>) -> JsValue {
    let reading = crate::extract::read(&crate::extract::Tree::decode(tree), title);
    let text = crate::extract::choose_body(linked.as_deref(), &reading.text);
    let answer = object();
    set_member(&answer, "linked", &JsValue::from_bool(text != reading.text));
    set_member(&answer, "text", &JsValue::from_str(&text));
    set_member(&answer, "read", &array(reading.read.iter().map(|&i| JsValue::from_f64(i as f64))));
    let left_out = reading
        .left_out
        .iter()
        .map(|&(i, why)| array([JsValue::from_f64(i as f64), JsValue::from_str(why.as_str())].into_iter()));
    set_member(&answer, "leftOut", &array(left_out));
    answer
}
