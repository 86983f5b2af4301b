//! The `index` target: its check is `alike_fuzz::index::run` (fuzz/src/index.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::index::run(data));
