//! Files that tests write and then hold the code to: the vectors the shim's
//! JavaScript is tested against (URL keys, file layout, list patches) and
//! tables made from the standard library. After a deliberate change,
//! `ALIKE_BLESS=1 cargo test --lib NAME` rewrites one; review the diff.

use std::path::Path;

/// Fails unless the file at `path` (from the crate root) holds `text`, and
/// writes it first when `ALIKE_BLESS` is set. `test` is the test's name
/// (for the command that rewrites it); `then`, what else to run after.
pub(crate) fn check(path: &str, text: &str, test: &str, then: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("ALIKE_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == text,
        "{} differs from what the code computes; if the change is deliberate, regenerate it with \
         `ALIKE_BLESS=1 cargo test --lib {test}`{then}",
        path.display()
    );
}
