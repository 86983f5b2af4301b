//! The `jsonl` target: its check is `alike_fuzz::jsonl::run` (fuzz/src/jsonl.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::jsonl::run(data));
