//! The JSON Lines reader (src/input/jsonl.rs), through `alike::input::read`
//! on a `.jsonl` file: any bytes give records or errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    alike_fuzz::read_all("jsonl", data);
});
