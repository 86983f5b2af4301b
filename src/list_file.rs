//! A list file of layout 2 (`l/<bucket>-<generation>.json`, see
//! `layout.rs`): the related lists of the indexed pages whose URL keys fall
//! in its bucket (`layout::bucket_of_key`), keyed by URL key, each as the
//! box shows it (`format::Listed`). The shim reads them
//! (`www/lib/lists.js`); the engine never does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(not(target_arch = "wasm32"))]
use crate::error::Error;
use crate::format::Listed;

/// The `format` of a list file.
pub const LIST_FORMAT: &str = "alike-lists";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListFile {
    pub format: String,
    pub version: u32,
    pub bucket: u32,
    pub pages: BTreeMap<String, Vec<Listed>>,
}

impl ListFile {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<ListFile, Error> {
        crate::manifest::read_checked(json, LIST_FORMAT, "a list file")
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}
