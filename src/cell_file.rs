//! A cell file of layout 2 (`k/<cell>-<generation>.json`, see `layout.rs`):
//! past `cluster::TWO_LEVEL_FROM` articles the engine file's table routes a
//! query to cells, and each cell's file holds the centroid table of its
//! own clusters (`engine_file::Centroids`, the same encoding), so that the
//! engine file stays small at any archive size. A cell's clusters are the
//! run of cluster numbers from `first_cluster`; its articles the run of ids
//! the engine file's table gives the cell.

use serde::{Deserialize, Serialize};

use crate::engine_file::{Centroids, decode_centroids};
use crate::error::Error;
use crate::format::{Fields, JsonValue, whole};
use crate::manifest::{ENGINE_FILES_VERSION, check_version};

/// The `format` of a cell file.
pub const CELL_FORMAT: &str = "alike-cell";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellFile {
    pub format: String,
    pub version: u32,
    pub cell: u32,
    /// The number of its first cluster.
    pub first_cluster: u32,
    /// Its clusters' centroids; `probes` is how many of the clusters of
    /// the cells a query reads it takes.
    pub clusters: Centroids,
}

impl CellFile {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<CellFile, Error> {
        crate::manifest::read_checked(json, CELL_FORMAT, "a cell file")
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// The browser's decoder of a cell file (see `format::decode_index`).
pub fn decode_cell_file<V: JsonValue>(value: &V) -> Result<CellFile, Error> {
    let format = value.member("format").and_then(|v| v.string());
    let version = value.member("version").and_then(|v| v.number()).map(|n| n as u64);
    check_version(format.as_deref(), version, CELL_FORMAT)?;
    let fields = Fields::new(value, "");
    let file = CellFile {
        format: CELL_FORMAT.to_string(),
        version: ENGINE_FILES_VERSION,
        cell: fields.get("cell", whole),
        first_cluster: fields.get("first_cluster", whole),
        clusters: fields.get_object("clusters", decode_centroids),
    };
    fields.done(file).map_err(Error::CorruptIndex)
}
