//! The feed reader (src/input/feed.rs: RSS, Atom, JSON Feed through
//! feed-rs; src/input/wxr.rs for WordPress exports), through
//! `alike::input::read` on a `.feed` file (an extension that always means a
//! feed): any bytes give records or errors, never a panic.
//!
//! This target found that quick-xml 0.42, under feed-rs 3.0, panics on a
//! second XML declaration with an encoding ("set_encoding() called after
//! prefix buffer was drained"; `fuzz/artifacts/feed/`). The reader now
//! turns a panic inside the XML parser into an error
//! (`input::without_panics`), which this target checks on every input.

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    super::read_all("feed", data);
}
