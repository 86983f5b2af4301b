//! The widget `alike index` writes beside the index: the shim (two files), the
//! engine's glue and its WebAssembly, carried inside the binary, so that a
//! site owner needs no wasm or npm tooling, and so that the widget and the
//! index a binary writes are always of the same format version. They are
//! the builds that `scripts/build-wasm.sh` keeps in `www/dist/` (the test
//! command checks that they were built from these sources).
//!
//! The engine comes in two builds with the same glue: English only (the
//! default, and the smallest), and one with every Snowball stemmer, written
//! instead when the index holds articles in another language that has one
//! (README, "Several languages"). An engine without the stemmer an index
//! needs would refuse to load it.

use std::path::Path;

use alike::Language;
use anyhow::Result;

use crate::cli::output;

/// Each file by its path beside the index: where the shim looks for the
/// engine by default (`data-engine`, `pkg/alike.js` beside `alike.js`), and
/// the shim's second part, which it imports from beside itself where the
/// engine runs (`engine-path.js`).
const FILES: [(&str, &[u8]); 4] = [
    ("alike.js", include_bytes!("../../www/dist/alike.js")),
    ("engine-path.js", include_bytes!("../../www/dist/engine-path.js")),
    ("pkg/alike.js", include_bytes!("../../www/dist/pkg/alike.js")),
    (ENGINE, include_bytes!("../../www/dist/pkg/alike_bg.wasm")),
];

const ENGINE: &str = "pkg/alike_bg.wasm";

/// The engine with every stemmer, written as `ENGINE`.
const ALL_LANGUAGES_ENGINE: &[u8] = include_bytes!("../../www/dist/all-languages/alike_bg.wasm");

/// Whether an index in `languages` needs the engine with every stemmer:
/// the English build stems English only (Chinese, Japanese and Korean,
/// like `none`, need no stemmer).
pub fn needs_all_languages(mut languages: impl Iterator<Item = Language>) -> bool {
    languages.any(|language| language.has_stemmer() && language != Language::English)
}

/// Writes the widget into `dir`, each file whole or not at all, leaving
/// files that already hold these bytes untouched (their caches stay warm).
/// `all_languages` picks the engine (`needs_all_languages`). Returns how
/// many files it wrote.
pub fn write(dir: &Path, all_languages: bool) -> Result<usize> {
    let mut written = 0;
    for (name, bytes) in FILES {
        let bytes = if name == ENGINE && all_languages { ALL_LANGUAGES_ENGINE } else { bytes };
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        output::write_atomically(&path, bytes)?;
        written += 1;
    }
    Ok(written)
}

/// The widget's files, for the summary.
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(name, _)| *name)
}

/// The engine's gzipped size (glue and English wasm): what a reader
/// downloads to run it, for `--layout auto` to weigh.
pub fn engine_size() -> usize {
    FILES.iter().filter(|(name, _)| name.starts_with("pkg/")).map(|(_, bytes)| gzipped_size(bytes)).sum()
}

fn gzipped_size(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail").len()
}
