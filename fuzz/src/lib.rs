//! What the input readers' fuzz targets share.
//!
//! `alike::input::read` takes a path (it picks the reader from the file's
//! extension), so each input is written to a file first. The file lives in
//! a folder of this process's own, reused for every input.

use std::path::PathBuf;

use alike::input::{InputError, Record};

/// Writes `bytes` to this process's `input.<extension>` and gives its path.
pub fn input_file(extension: &str, bytes: &[u8]) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("alike-fuzz-{}", std::process::id()));
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
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/golden/articles.jsonl");
    let records = alike::input::read(&path).expect("the golden articles are readable");
    records.map(|record| record.expect("every golden article reads").article).collect()
}
