//! The fuzz targets' checks, one module a target, and what they share.
//!
//! Each `fuzz_targets/<name>.rs` hands libFuzzer's input to `<name>::run`.
//! The checks live here, not in the target files, so that the main crate's
//! `tests/fuzz_inputs.rs` compiles them (this file is its module
//! `alike_fuzz`) and runs every committed corpus and crash input through
//! them on stable Rust: a check that no longer builds, or an input that
//! panics again, fails `cargo test`. (`codec` and `url_key` compile private
//! files of the crate with `#[path]` and stay in their target files.)
//!
//! `alike::input::read` takes a path (it picks the reader from the file's
//! extension), so each input is written to a file first. The file lives in
//! a folder of this process and thread's own, reused for every input.

use std::path::PathBuf;

pub mod clusters;
pub mod feed;
pub mod html;
pub mod index;
pub mod jsonl;
pub mod page_tree;
pub mod tokenize;

use alike::input::{InputError, Record};

/// Writes `bytes` to this process's `input.<extension>` and gives its path.
pub fn input_file(extension: &str, bytes: &[u8]) -> PathBuf {
    // Tests run checks on several threads of one process.
    let thread =
        format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let folder = std::env::temp_dir().join(format!("alike-fuzz-{}-{thread}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("the temp folder is writable");
    let path = folder.join(format!("input.{extension}"));
    std::fs::write(&path, bytes).expect("the temp folder is writable");
    path
}

/// Reads every record of `bytes` as a file named `input.<extension>`,
/// checking what every reader promises: each error names the file, and
/// each article has a URL.
pub fn read_all(extension: &str, bytes: &[u8]) -> Vec<Result<Record, InputError>> {
    let path = input_file(extension, bytes);
    let records: Vec<Result<Record, InputError>> = match alike::input::read(&path) {
        Ok(records) => records.collect(),
        Err(error) => vec![Err(error)],
    };
    for record in &records {
        match record {
            Ok(record) => {
                assert_eq!(record.location.path, path, "a record from elsewhere");
                assert!(!record.article.url.trim().is_empty(), "an article without a URL: {record:?}");
            }
            Err(error) => assert_eq!(error.location.path, path, "an error naming another file: {error}"),
        }
    }
    records
}

/// The golden fixture's articles (tests/fixtures/golden/articles.jsonl):
/// queries for the index targets, and the content of their seeds.
pub fn golden_articles() -> Vec<alike::Article> {
    // The package is fuzz/ when fuzzing, the main crate in its tests.
    let package = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = if package.ends_with("fuzz") { package.join("..") } else { package.to_path_buf() };
    let path = root.join("tests/fixtures/golden/articles.jsonl");
    let records = alike::input::read(&path).expect("the golden articles are readable");
    records.map(|record| record.expect("every golden article reads").article).collect()
}
