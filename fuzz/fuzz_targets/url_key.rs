//! URL keys (`url_key` in src/text.rs): any text gives a key that starts
//! with `/`, has no fragment and nothing a browser would escape, and its
//! list shard is in range.
//!
//! Idempotence (`url_key(url_key(x)) == url_key(x)`) does NOT hold for the
//! current rules: a key whose path or query holds `://`, or whose path
//! starts with `//`, reads as an absolute URL the second time (see
//! FUZZING.md). It is checked only with `ALIKE_FUZZ_URL_IDEMPOTENT=1` set,
//! for when url_key follows the WHATWG rules.
//!
//! `url_key` is private to the crate. src/text.rs is compiled here as it
//! stands, with the two crate items it names from outside its own small
//! dependencies (story.rs and weight.rs) taken from alike's public API.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod article {
    pub use alike::Article;
}
#[allow(dead_code)]
mod tokenize {
    pub use alike::Tokenizer;
}
#[path = "../../src/story.rs"]
#[allow(dead_code)]
mod story;
#[path = "../../src/text.rs"]
#[allow(dead_code)]
mod text;
#[path = "../../src/weight.rs"]
#[allow(dead_code)]
mod weight;

use text::{list_bucket_of, url_key};

fn check_idempotence() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ALIKE_FUZZ_URL_IDEMPOTENT").is_some_and(|v| v == "1"))
}

/// What a browser's URL parser escapes in a path or query (see
/// `percent_encode` in src/text.rs): none of it may be left in a key.
fn needs_escape(byte: u8) -> bool {
    byte <= b' ' || byte >= 0x7f || matches!(byte, b'"' | b'<' | b'>' | b'`')
}

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else { return };
    let key = url_key(url);
    assert!(key.starts_with('/'), "{url:?} gave the key {key:?}, not a path");
    assert!(!key.contains('#'), "{url:?} gave the key {key:?}, with a fragment");
    assert!(!key.bytes().any(needs_escape), "{url:?} gave the key {key:?}, with unescaped bytes");
    assert!(key.len() <= 3 * (url.len() + 1), "{url:?} gave the key {key:?}, longer than escaping explains");
    for bits in [0, 1, 8, 24, 31, 32] {
        let shard = list_bucket_of(&key, bits);
        assert!(u64::from(shard) < 1u64 << bits, "{key:?} went to list shard {shard} of {bits} bits");
    }
    if check_idempotence() {
        let again = url_key(&key);
        assert_eq!(again, key, "url_key is not idempotent on {url:?}");
    }
});
