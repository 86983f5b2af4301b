//! The feed reader (src/input/feed.rs: RSS, Atom, JSON Feed through
//! feed-rs), through `alike::input::read` on a `.feed` file (an extension
//! that always means a feed): any bytes give records or errors, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    alike_fuzz::read_all("feed", data);
});
