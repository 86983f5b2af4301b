//! The `html` target: its check is `alike_fuzz::html::run` (fuzz/src/html.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::html::run(data));
