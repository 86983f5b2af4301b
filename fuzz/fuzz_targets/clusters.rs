//! The `clusters` target: its check is `alike_fuzz::clusters::run` (fuzz/src/clusters.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::clusters::run(data));
