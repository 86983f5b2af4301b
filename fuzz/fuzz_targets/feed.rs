//! The `feed` target: its check is `alike_fuzz::feed::run` (fuzz/src/feed.rs),
//! which `tests/fuzz_inputs.rs` also runs on the committed inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| alike_fuzz::feed::run(data));
