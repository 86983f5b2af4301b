//! The `page_tree` target: its check is `alike_fuzz::page_tree::run` (fuzz/src/page_tree.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::page_tree::run(data));
