//! The feed reader (src/input/feed.rs: RSS, Atom, JSON Feed through
//! feed-rs), through `alike::input::read` on a `.feed` file (an extension
//! that always means a feed): any bytes give records or errors, never a
//! panic.
//!
//! Known panic, not yet fixed: a second XML declaration with an encoding
//! (`<?xml version="1.0" encoding="ISO-8859-1"?>` inside the document)
//! makes quick-xml 0.42, under feed-rs 3.0, panic with "set_encoding()
//! called after prefix buffer was drained"
//! (`fuzz/artifacts/feed/panic-second-xml-declaration-min.xml`). Inputs
//! with more than one `<?xml` are passed over until the reader guards
//! against it, so that the fuzzer looks for other bugs instead of finding
//! this one again at once. `ALIKE_FUZZ_FEED_ALL=1` fuzzes them too.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn all_inputs() -> bool {
    static ALL: OnceLock<bool> = OnceLock::new();
    *ALL.get_or_init(|| std::env::var_os("ALIKE_FUZZ_FEED_ALL").is_some_and(|v| v == "1"))
}

fn has_two_xml_declarations(data: &[u8]) -> bool {
    data.windows(5).filter(|window| window == b"<?xml").nth(1).is_some()
}

fuzz_target!(|data: &[u8]| {
    if !all_inputs() && has_two_xml_declarations(data) {
        return;
    }
    alike_fuzz::read_all("feed", data);
});
