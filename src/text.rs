//! What the builder and the query share about an article's text: its term
//! counts, and the key that says two URLs name the same article.

use std::collections::HashMap;

use crate::article::Article;
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

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The same counts with hashes cut to their top `bits` bits (of 64);
    /// terms that then share a hash are added together.
    pub fn truncate_hashes(&self, bits: u8) -> TermCounts {
        let shift = 64 - u32::from(bits);
        let mut merged: Vec<(u64, f32)> = Vec::with_capacity(self.0.len());
        for &(hash, count) in &self.0 {
            let short = hash.checked_shr(shift).unwrap_or(0);
            match merged.last_mut() {
                // Sorted input stays sorted after a right shift, so equal
                // short hashes are neighbours.
                Some((last, total)) if *last == short => *total += count,
                _ => merged.push((short, count)),
            }
        }
        TermCounts(merged)
    }
}

/// Counts the terms of an article's title, tags and body, hashed with all 64
/// bits (title and tag words count `title_weight` times), and takes the
/// body's fingerprint in the same pass.
pub fn count_terms(tokenizer: &Tokenizer, article: &Article, title_weight: f32) -> (TermCounts, u16) {
    let mut counts: HashMap<u64, f32> = HashMap::new();
    let mut add = |text: &str, weight: f32, mut also: Option<&mut Fingerprinter>| {
        tokenizer.for_each_term(text, |term| {
            let hash = term_hash(term, 64);
            *counts.entry(hash).or_default() += weight;
            if let Some(fingerprint) = also.as_deref_mut() {
                fingerprint.push(hash);
            }
        });
    };
    add(&article.title, title_weight, None);
    for tag in &article.tags {
        add(tag, title_weight, None);
    }
    let mut fingerprint = Fingerprinter::new();
    add(&article.body, 1.0, Some(&mut fingerprint));
    let mut counts: Vec<(u64, f32)> = counts.into_iter().collect();
    counts.sort_unstable_by_key(|(hash, _)| *hash);
    (TermCounts(counts), fingerprint.finish())
}

/// Builds the body fingerprint: a 16-bit MinHash of four-term shingles.
/// Two articles with the same fingerprint are the same story: identical
/// bodies always agree, lightly edited ones agree about as often as their
/// shingles overlap, unrelated ones once in 65,535. It reads the body only,
/// so a new headline does not hide a copy, and terms only, so spacing, case
/// and punctuation do not either. 0 means "no body".
#[derive(Clone, Copy, Debug)]
struct Fingerprinter {
    window: [u64; 4],
    terms: usize,
    smallest: u64,
}

impl Fingerprinter {
    fn new() -> Self {
        Fingerprinter { window: [0; 4], terms: 0, smallest: u64::MAX }
    }

    fn push(&mut self, term: u64) {
        self.window.rotate_left(1);
        self.window[3] = term;
        self.terms += 1;
        if self.terms >= 4 {
            self.smallest = self.smallest.min(shingle_hash(&self.window));
        }
    }

    fn finish(&self) -> u16 {
        let smallest = match self.terms {
            0 => return 0,
            // A body shorter than a shingle is one shingle.
            n @ 1..=3 => shingle_hash(&self.window[4 - n..]),
            _ => self.smallest,
        };
        ((smallest >> 48) as u16).max(1)
    }
}

fn shingle_hash(terms: &[u64]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in terms.iter().flat_map(|term| term.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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
            !(name.is_empty() || name.starts_with("utm_") || matches!(name.as_str(), "fbclid" | "gclid" | "ref"))
        })
        .collect();
    if !kept.is_empty() {
        key.push('?');
        key.push_str(&kept.join("&"));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::Language;

    #[test]
    fn title_words_count_more() {
        let tokenizer = Tokenizer::new(Language::English, &Language::English.default_stop_words()).unwrap();
        let article = Article {
            title: "Markets".into(),
            body: "markets rally".into(),
            ..Article::default()
        };
        let (counts, _) = count_terms(&tokenizer, &article, 3.0);
        let market = term_hash("market", 64);
        assert_eq!(counts.iter().find(|(h, _)| *h == market).unwrap().1, 4.0);
        assert_eq!(counts.iter().count(), 2);
    }

    #[test]
    fn fingerprints_see_through_headlines_and_spacing() {
        let tokenizer = Tokenizer::new(Language::English, &Language::English.default_stop_words()).unwrap();
        let fingerprint = |tokenizer: &Tokenizer, body: &str| {
            let article = Article { title: "Any headline".into(), body: body.into(), ..Article::default() };
            count_terms(tokenizer, &article, 2.0).1
        };
        let body = "Jennifer Capriati has withdrawn from the Australian Open with a shoulder injury, organisers said.";
        let same = "JENNIFER CAPRIATI has  withdrawn from the Australian Open with a shoulder injury - organisers said";
        assert_eq!(fingerprint(&tokenizer, body), fingerprint(&tokenizer, same));
        assert_ne!(fingerprint(&tokenizer, body), 0);
        let other = "The Bank of England has held interest rates at 4.75% for the sixth month running.";
        assert_ne!(fingerprint(&tokenizer, body), fingerprint(&tokenizer, other));
        assert_eq!(fingerprint(&tokenizer, ""), 0);
        assert_eq!(fingerprint(&tokenizer, "the and of"), 0);
    }

    #[test]
    fn truncated_hashes_merge() {
        let counts = TermCounts(vec![(0x10 << 56, 1.0), ((0x10 << 56) + 5, 2.0), (0x20 << 56, 1.0)]);
        assert_eq!(counts.truncate_hashes(8), TermCounts(vec![(0x10, 3.0), (0x20, 1.0)]));
        assert_eq!(counts.truncate_hashes(64), counts);
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
}
