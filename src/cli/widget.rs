//! The widget `alike index` writes beside the index: the shim, the
//! engine's glue and its WebAssembly, carried inside the binary, so that a
//! site owner needs no wasm or npm tooling, and so that the widget and the
//! index a binary writes are always of the same format version. They are
//! the English build that `scripts/build-wasm.sh` keeps in `www/dist/`
//! (the test command checks that it was built from these sources).

use std::path::Path;

use anyhow::Result;

use crate::cli::output;

/// Each file by its path beside the index: where the shim looks for the
/// engine by default (`data-engine`, `pkg/alike.js` beside `alike.js`).
const FILES: [(&str, &[u8]); 3] = [
    ("alike.js", include_bytes!("../../www/dist/alike.js")),
    ("pkg/alike.js", include_bytes!("../../www/dist/pkg/alike.js")),
    ("pkg/alike_bg.wasm", include_bytes!("../../www/dist/pkg/alike_bg.wasm")),
];

/// Writes the widget into `dir`, each file whole or not at all, leaving
/// files that already hold these bytes untouched (their caches stay warm).
/// Returns how many files it wrote.
pub fn write(dir: &Path) -> Result<usize> {
    let mut written = 0;
    for (name, bytes) in FILES {
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
