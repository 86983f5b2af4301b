//! The browser binding: converts values and errors, nothing else. All the
//! logic it calls is the engine's, tested natively.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Article, Index, IndexFile, QueryOptions};

/// A loaded index, ready to answer queries.
#[wasm_bindgen]
pub struct Engine {
    index: Index,
}

#[wasm_bindgen]
impl Engine {
    /// Loads an index: the file `alike index` wrote, parsed by `JSON.parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(index: JsValue) -> Result<Engine, JsError> {
        let file = crate::parse_checked(
            crate::FORMAT_NAME,
            || serde_wasm_bindgen::from_value(index.clone()),
            || serde_wasm_bindgen::from_value(index.clone()),
        )?;
        Ok(Engine { index: Index::from_file(file)? })
    }

    /// Related articles for `article` (`{url, title, body, date?, section?}`),
    /// as plain objects `{url, title, score, date?, section?, image?, snippet?}`.
    /// `options` is `{k?, maxAgeDays?, halfLifeDays?, sectionBoost?, today?, exclude?}`.
    pub fn recommend(&self, article: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let article: Article = from_js("article", article)?;
        let options: QueryOptions = if options.is_undefined() || options.is_null() {
            QueryOptions::default()
        } else {
            from_js("options", options)?
        };
        let related = self.index.recommend(&article, &options)?;
        Ok(related.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
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

fn from_js<T: serde::de::DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}
