//! A cluster file of layout 2 (`c/<cluster>-<generation>.json`, see
//! `layout.rs`): one cluster's articles, as the format's article records
//! (`format::Articles`, the same columns and encoder as every other
//! layout), and their postings, every one of them (no cap: a query ranks a
//! cluster's members exactly as a whole index would). Articles are
//! numbered cluster by cluster (`engine_file::Centroids`), so a cluster is
//! the run of ids from `first`; its postings name them from 0.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::format::{Articles, Fields, JsonValue, Terms, decode_columns, decode_term_streams, whole};
use crate::manifest::{ENGINE_FILES_VERSION, check_version};

/// The `format` of a cluster file.
pub const CLUSTER_FORMAT: &str = "alike-cluster";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterFile {
    pub format: String,
    pub version: u32,
    pub cluster: u32,
    /// The id of its first article.
    pub first: u32,
    /// Its articles, in id order; `stories` cut down to each group's leader
    /// and the cluster's own members (ids across the whole index).
    pub articles: Articles,
    /// Its members' terms: per posting the article as its position in the
    /// cluster (gaps, as in `Terms`), df across the whole index.
    pub terms: Terms,
}

impl ClusterFile {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<ClusterFile, Error> {
        crate::manifest::read_checked(json, CLUSTER_FORMAT, "a cluster file")
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        crate::format::to_json(self)
    }
}

/// The browser's decoder of a cluster file (see `format::decode_index`).
pub fn decode_cluster_file<V: JsonValue>(value: &V) -> Result<ClusterFile, Error> {
    let format = value.member("format").and_then(|v| v.string());
    let version = value.member("version").and_then(|v| v.number()).map(|n| n as u64);
    check_version(format.as_deref(), version, CLUSTER_FORMAT)?;
    let fields = Fields::new(value, "");
    let file = ClusterFile {
        format: CLUSTER_FORMAT.to_string(),
        version: ENGINE_FILES_VERSION,
        cluster: fields.get("cluster", whole),
        first: fields.get("first", whole),
        articles: fields.get_object("articles", |v| decode_columns(v, "articles.")),
        terms: fields.get_object("terms", |v| decode_term_streams(v, "terms.")),
    };
    fields.done(file).map_err(Error::CorruptIndex)
}
