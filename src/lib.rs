//! alike: "Related articles" for news sites, computed in the reader's
//! browser. This crate is the engine (tokenizer, TF-IDF weighting, the index
//! format, the query) and, on native targets, the `alike` command that
//! builds indexes. The browser runs the same engine compiled to WebAssembly
//! through the thin binding in `wasm.rs`.
//!
//! ```
//! use alike::{Article, BuildOptions, Index, IndexBuilder, QueryOptions};
//!
//! let mut builder = IndexBuilder::new(BuildOptions::default()).unwrap();
//! for (url, title) in [("/a", "Rates held"), ("/b", "Bank holds rates"), ("/c", "Cup final won")] {
//!     let article = Article { url: url.into(), title: title.into(), ..Article::default() };
//!     builder.add(article).unwrap();
//! }
//! let index = Index::from_json(&builder.finish().to_json()).unwrap();
//! let query = Article { url: "/a".into(), title: "Rates held".into(), ..Article::default() };
//! let related = index.recommend(&query, &QueryOptions::default()).unwrap();
//! assert_eq!(related[0].url, "/b");
//! ```

/// A message from its parts, text and whole numbers (`error::Part`):
/// `msg!("term ", term, " lists an article twice")`. Code the browser runs
/// builds its messages with it instead of `format!`, so that the wasm
/// carries no `core::fmt`.
macro_rules! msg {
    ($($part:expr),+ $(,)?) => {{
        let mut message = String::new();
        $(crate::error::Part::push_to(&$part, &mut message);)+
        message
    }};
}

mod article;
mod build;
mod case;
mod cell_file;
mod cluster;
mod cluster_file;
mod codec;
mod engine_file;
mod error;
pub mod extract;
mod format;
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // native tests write the files
mod golden;
mod index;
mod layout;
mod list_file;
mod manifest;
#[cfg(not(target_arch = "wasm32"))]
mod members;
mod query;
mod story;
mod text;
mod tokenize;
mod weight;
mod words;

#[cfg(not(target_arch = "wasm32"))]
pub mod input;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub use wasm::Engine;

pub use article::{Article, format_day, parse_day};
pub use build::{BuildOptions, BuiltIndex, DEFAULT_MIN_SCORE, IndexBuilder};
pub use error::Error;
pub use format::{
    Articles, FORMAT_NAME, FORMAT_VERSION, Header, IndexFile, Listed, Scoring, Terms, parse_checked,
};
// The browser's decoders, public for tests and fuzzing.
pub use format::{JsonValue, decode_article, decode_index, decode_options};
#[cfg(not(target_arch = "wasm32"))]
pub use format::{from_json, to_json};
pub use index::{Index, NeededFile};
pub use query::{MAX_K, QueryOptions, Related, Search, Step, Why};
pub use tokenize::{Language, Tokenizer};
// Layout 2 (`alike index --layout clusters`).
#[cfg(not(target_arch = "wasm32"))]
pub use build::{
    Base, DeltaPlan, MAX_DELTA_SHARE, Pruned, RECENT_READ_LIMIT, record_replaced, remove_old_files,
};
pub use build::{ClusterTuning, ClusteredIndex};
pub use cell_file::{CELL_FORMAT, CellFile, decode_cell_file};
pub use cluster_file::{CLUSTER_FORMAT, ClusterFile, decode_cluster_file};
pub use engine_file::{ENGINE_FORMAT, EngineFile, decode_engine_file, is_engine_file};
#[cfg(not(target_arch = "wasm32"))]
pub use layout::RECENT_BITS_MAX;
pub use layout::{FileRef, bucket_of_key, bucket_of_url};
pub use list_file::{LIST_FORMAT, ListFile};
pub use manifest::{
    ENGINE_FILES_VERSION, LAYOUT2_VERSION, Manifest, ManifestBase, ManifestLists, RecentLists,
};
