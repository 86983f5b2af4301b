//! What the builder and the query share about an article's text: its term
//! counts, and the key that says two URLs name the same article.

use crate::article::Article;
use crate::story::{Shingler, Signature};
use crate::tokenize::Tokenizer;
use crate::weight::term_hash;

/// Title-weighted term counts of one article, keyed by term hash, sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TermCounts(Vec<(u64, f32)>);

impl TermCounts {
    pub fn iter(&self) -> impl Iterator<Item = (u64, f32)> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The same counts with hashes cut to their top `bits` bits (of 64);
    /// terms that then share a hash are added together.
    pub fn truncate_hashes(mut self, bits: u8) -> TermCounts {
        let shift = 64 - u32::from(bits);
        let mut kept = 0;
        for i in 0..self.0.len() {
            let (hash, count) = self.0[i];
            let short = hash.checked_shr(shift).unwrap_or(0);
            // Sorted input stays sorted after a right shift, so equal short
            // hashes are neighbours; merge them in place.
            if kept > 0 && self.0[kept - 1].0 == short {
                self.0[kept - 1].1 += count;
            } else {
                self.0[kept] = (short, count);
                kept += 1;
            }
        }
        self.0.truncate(kept);
        self.0.shrink_to_fit();
        self
    }
}

/// How much of an article's body is read, in UTF-8 bytes: about 15,000
/// words, more than nearly every news story, where its strongest terms
/// come early. Past it a giant page (a 10 MB transcript, a pasted log)
/// would cost the reader's main thread seconds and the builder memory for
/// nothing; the builder and the browser cut at the same place, so both
/// count the same terms (the shim stops reading the page after as many
/// UTF-16 units, never fewer bytes).
pub const MAX_BODY_BYTES: usize = 100_000;

/// The start of `text` that is read: all of it up to `MAX_BODY_BYTES`,
/// else cut at the last whitespace at or before that byte (mid-character
/// never; mid-word only in a text with no whitespace at all).
pub fn readable_part(text: &str) -> &str {
    if text.len() <= MAX_BODY_BYTES {
        return text;
    }
    let mut end = MAX_BODY_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    }
}

/// Counts the terms of an article's title, tags and body, hashed with all 64
/// bits (title and tag words count `title_weight` times), and takes the
/// body's story signature in the same pass.
pub fn count_terms(tokenizer: &Tokenizer, article: &Article, title_weight: f32) -> (TermCounts, Signature) {
    // Every occurrence, then sorted and summed: no hash map, which keeps
    // the browser build smaller, and articles are only thousands of words.
    let mut occurrences: Vec<(u64, f32)> = Vec::new();
    let mut add = |text: &str, weight: f32, mut shingler: Option<&mut Shingler>| {
        tokenizer.for_each_term(text, |term| {
            let hash = term_hash(term, 64);
            occurrences.push((hash, weight));
            if let Some(shingler) = shingler.as_deref_mut() {
                shingler.push(hash);
            }
        });
    };
    add(&article.title, title_weight, None);
    for tag in &article.tags {
        add(tag, title_weight, None);
    }
    let mut shingler = Shingler::default();
    add(readable_part(&article.body), 1.0, Some(&mut shingler));
    occurrences.sort_unstable_by_key(|(hash, _)| *hash);
    // Merging neighbours in place and trimming: a builder keeps every
    // article's counts until the end, and spare capacity adds up.
    let counts = TermCounts(occurrences).truncate_hashes(64);
    (counts, shingler.signature())
}

/// What must match for two URLs to name the same article: the path and
/// query without scheme, host, fragment, trailing slash or tracking
/// parameters. Index URLs are often site-relative while the page's own URL
/// is absolute, so the host cannot take part.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let rest = match url.find("://") {
        Some(scheme_end) => &url[scheme_end + 3..],
        None => url.strip_prefix("//").unwrap_or(url),
    };
    let path_and_query = if url.contains("://") || url.starts_with("//") {
        rest.find(['/', '?']).map_or("", |start| &rest[start..])
    } else {
        rest
    };
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let mut key = path.trim_end_matches('/').to_string();
    if !key.starts_with('/') {
        key.insert(0, '/');
    }
    let kept: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|param| {
            let name = param.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(name.is_empty()
                || name.starts_with("utm_")
                || matches!(name.as_str(), "fbclid" | "gclid" | "ref"))
        })
        .collect();
    if !kept.is_empty() {
        key.push('?');
        key.push_str(&kept.join("&"));
    }
    percent_encode(&key)
}

/// Escapes what a browser's URL parser escapes in every path and query
/// (non-ASCII, controls, space, `"`, `<`, `>`, backtick), so that a key made
/// from the index's `/café` matches one made from the page's `/caf%C3%A9`.
fn percent_encode(text: &str) -> String {
    if !text.bytes().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for byte in text.bytes() {
        if needs_escape(byte) {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(byte as char);
        }
    }
    out
}

fn needs_escape(byte: u8) -> bool {
    byte <= b' ' || byte >= 0x7f || matches!(byte, b'"' | b'<' | b'>' | b'`')
}

/// The list shard of a page (see `format::Lists`): the top `bits` bits of
/// the 32-bit FNV-1a hash of its URL key, simple enough for the shim to
/// compute without the engine.
pub fn list_shard_of(key: &str, bits: u8) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash.checked_shr(32 - u32::from(bits)).unwrap_or(0)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::tokenize::Language;

    #[test]
    fn only_the_start_of_a_giant_body_is_read() {
        let short = "a short story";
        assert_eq!(readable_part(short), short);
        let words = "word ".repeat(MAX_BODY_BYTES); // five times the limit
        let head = readable_part(&words);
        assert!(head.len() <= MAX_BODY_BYTES && head.len() > MAX_BODY_BYTES - 6, "{}", head.len());
        assert!(head.ends_with("word"), "cut at whitespace");
        // Multi-byte characters are never split, even with no whitespace.
        let wide = "é".repeat(MAX_BODY_BYTES);
        let head = readable_part(&wide);
        assert!(head.len() <= MAX_BODY_BYTES && head.chars().all(|c| c == 'é'));
        // Terms past the limit are not counted.
        let tokenizer = Tokenizer::new(Language::English, &[]).expect("tokenizer");
        let article = Article { body: format!("{words} zanzibar"), ..Article::default() };
        let (counts, _) = count_terms(&tokenizer, &article, 2.0);
        assert!(!counts.iter().any(|(hash, _)| hash == term_hash("zanzibar", 64)));
    }

    #[test]
    fn title_words_count_more() {
        let tokenizer = Tokenizer::new(Language::English, &Language::English.default_stop_words()).unwrap();
        let article = Article { title: "Markets".into(), body: "markets rally".into(), ..Article::default() };
        let (counts, _) = count_terms(&tokenizer, &article, 3.0);
        let market = term_hash("market", 64);
        assert_eq!(counts.iter().find(|(h, _)| *h == market).unwrap().1, 4.0);
        assert_eq!(counts.iter().count(), 2);
    }

    #[test]
    fn truncated_hashes_merge() {
        let counts = TermCounts(vec![(0x10 << 56, 1.0), ((0x10 << 56) + 5, 2.0), (0x20 << 56, 1.0)]);
        assert_eq!(counts.clone().truncate_hashes(8), TermCounts(vec![(0x10, 3.0), (0x20, 1.0)]));
        assert_eq!(counts.clone().truncate_hashes(64), counts);
    }

    #[test]
    fn url_keys_ignore_host_scheme_and_noise() {
        let key = "/business/001.html";
        for url in [
            "/business/001.html",
            "https://news.example.com/business/001.html",
            "http://news.example.com/business/001.html#comments",
            "//news.example.com/business/001.html?utm_source=x&fbclid=y",
            "business/001.html",
        ] {
            assert_eq!(url_key(url), key, "{url}");
        }
        assert_eq!(url_key("https://example.com/story/"), "/story");
        assert_eq!(url_key("https://example.com"), "/");
        assert_eq!(url_key("/article?id=7&utm_medium=rss"), "/article?id=7");
        assert_ne!(url_key("/article?id=7"), url_key("/article?id=8"));
    }

    #[test]
    fn url_keys_escape_as_browsers_do() {
        // `new URL("https://example.com/café/a b?q=ü").pathname + search`
        assert_eq!(url_key("/café/a b?q=ü"), "/caf%C3%A9/a%20b?q=%C3%BC");
        assert_eq!(url_key("https://example.com/caf%C3%A9/a%20b?q=%C3%BC"), "/caf%C3%A9/a%20b?q=%C3%BC");
    }

    #[test]
    fn list_shards_take_the_top_bits_of_fnv1a() {
        // Known values, computed in JavaScript as the shim does.
        assert_eq!(list_shard_of("/business/001.html", 32), 0x0437_d917);
        assert_eq!(list_shard_of("/business/001.html", 8), 0x04);
        assert_eq!(list_shard_of("/business/001.html", 0), 0);
        assert_eq!(list_shard_of("", 32), 0x811c_9dc5);
        assert_eq!(list_shard_of("a", 32), 0xe40c_292c);
    }
}
