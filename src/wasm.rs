//! The browser binding: converts values and errors, nothing else. All the
//! logic it calls is the engine's, tested natively.
//!
//! A single-file index answers `recommend` at once. A sharded one answers
//! in steps: `start` and `resume` return `{need: [paths]}` until they
//! return `{related: [...]}`; the caller fetches each path (relative to the
//! manifest), hands it over with `add`, or reports it lost with `lose`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{
    ARTICLE_SHARD_FORMAT, FORMAT_NAME, Header, Index, QueryOptions, Search, Shard, Step, TERM_SHARD_FORMAT,
    parse_checked,
};

/// A loaded index, ready to answer queries.
#[wasm_bindgen]
pub struct Engine {
    index: Index,
    search: Option<Search>,
    /// The shards the current step asked for, by path.
    pending: Vec<Shard>,
}

#[wasm_bindgen]
impl Engine {
    /// Loads an index or a sharded index's manifest, as parsed by `JSON.parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(index: JsValue) -> Result<Engine, JsError> {
        let file = parse_checked(FORMAT_NAME, || from_value(&index), || from_value(&index))?;
        Ok(Engine { index: Index::from_file(file)?, search: None, pending: Vec::new() })
    }

    /// Related articles for `article` (`{url, title, body, date?, section?}`)
    /// from a single-file index, as plain objects
    /// `{url, title, score, date?, section?, image?, snippet?}`. `options` is
    /// `{k?, maxAgeDays?, halfLifeDays?, sectionBoost?, today?, exclude?}`.
    pub fn recommend(&self, article: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let related = self.index.recommend(&from_js("article", article)?, &options_from(options)?)?;
        to_js(&related)
    }

    /// Starts a query (same arguments as `recommend`) and takes its first step.
    pub fn start(&mut self, article: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let search = self.index.search(&from_js("article", article)?, &options_from(options)?)?;
        self.search = Some(search);
        self.resume()
    }

    /// Takes the query's next step, once the shards it needed are added or lost.
    pub fn resume(&mut self) -> Result<JsValue, JsError> {
        let search = self.search.as_mut().ok_or_else(|| JsError::new("no query is under way; call start"))?;
        match search.step(&self.index)? {
            Step::Need(shards) => {
                let paths: Vec<&str> = shards.iter().map(Shard::path).collect();
                let step = to_js(&NeedStep { need: paths })?;
                self.pending = shards;
                Ok(step)
            }
            Step::Done(related) => {
                self.search = None;
                to_js(&DoneStep { related })
            }
        }
    }

    /// Adds the shard fetched from `path` (relative to the manifest), as
    /// parsed by `JSON.parse`.
    pub fn add(&mut self, path: &str, shard: JsValue) -> Result<(), JsError> {
        let Some(wanted) = self.pending.iter().find(|s| s.path() == path) else {
            return Err(JsError::new(&format!("the query did not ask for {path}")));
        };
        match wanted {
            Shard::Terms { .. } => {
                let file =
                    parse_checked(TERM_SHARD_FORMAT, || from_value(&shard), || from_value::<Header>(&shard))?;
                self.index.add_term_shard(wanted, file)?;
            }
            Shard::Articles { .. } => {
                let file = parse_checked(
                    ARTICLE_SHARD_FORMAT,
                    || from_value(&shard),
                    || from_value::<Header>(&shard),
                )?;
                self.index.add_article_shard(wanted, file)?;
            }
        }
        Ok(())
    }

    /// Goes on without the shard at `path`, which could not be fetched.
    pub fn lose(&mut self, path: &str) {
        if let Some(shard) = self.pending.iter().find(|s| s.path() == path) {
            self.index.give_up(shard);
        }
    }

    /// Whether the index comes in shards (then use `start`).
    #[wasm_bindgen(getter)]
    pub fn sharded(&self) -> bool {
        self.index.is_sharded()
    }

    /// Number of articles in the index.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.index.len()
    }

    /// The language the index was built for.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.index.language().name().to_string()
    }
}

#[derive(Serialize)]
struct NeedStep<'a> {
    need: Vec<&'a str>,
}

#[derive(Serialize)]
struct DoneStep {
    related: Vec<crate::Related>,
}

fn options_from(options: JsValue) -> Result<QueryOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        Ok(QueryOptions::default())
    } else {
        from_js("options", options)
    }
}

fn from_value<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, serde_wasm_bindgen::Error> {
    serde_wasm_bindgen::from_value(value.clone())
}

fn from_js<T: serde::de::DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
