//! Every input committed under fuzz/ (the corpora libFuzzer grew and the
//! crash reproducers it found) through its target's check, on stable Rust:
//! an input that made a parser panic once must never do so again, and the
//! checks themselves must keep compiling as the crate changes (the fuzz
//! package is built only with nightly, by scripts/fuzz.sh).
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[path = "../fuzz/src/lib.rs"]
mod alike_fuzz;

/// Runs `check` on every file of fuzz/corpus/<target> and
/// fuzz/artifacts/<target>; fails naming each input that panicked.
fn every_input(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for kind in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else { continue };
        inputs.extend(entries.map(|entry| entry.expect("a readable fuzz folder").path()));
    }
    inputs.sort();
    // A corpus that moved would otherwise pass by checking nothing.
    assert!(
        inputs.len() >= 5,
        "fuzz/corpus/{target} holds {} inputs; expected its committed corpus",
        inputs.len()
    );
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("a readable fuzz input");
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} `{target}` inputs panic:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

#[test]
fn clusters_inputs() {
    every_input("clusters", alike_fuzz::clusters::run);
}

#[test]
fn feed_inputs() {
    every_input("feed", alike_fuzz::feed::run);
}

#[test]
fn html_inputs() {
    every_input("html", alike_fuzz::html::run);
}

#[test]
fn index_inputs() {
    every_input("index", alike_fuzz::index::run);
}

#[test]
fn jsonl_inputs() {
    every_input("jsonl", alike_fuzz::jsonl::run);
}

#[test]
fn page_tree_inputs() {
    every_input("page_tree", alike_fuzz::page_tree::run);
}

#[test]
fn tokenize_inputs() {
    every_input("tokenize", alike_fuzz::tokenize::run);
}
