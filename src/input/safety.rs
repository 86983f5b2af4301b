//! Checks every record passes, whatever reader it came from, so that what
//! a page's box shows cannot be turned against the page:
//!
//! - an article's URL must be an `http(s)` or relative URL: the box makes
//!   a link of it, and a `javascript:` or `data:` link runs or shows
//!   whatever the input says. A record with another URL is refused;
//! - an image URL likewise, but the image is only decoration, so a bad one
//!   is dropped with a warning and the article kept;
//! - NULs and the bidirectional override and isolate characters (U+202A to
//!   U+202E, U+2066 to U+2069) are removed from titles, URLs, sections and
//!   tags: they would make a title read differently from what it says, or
//!   a URL look like another. One warning a file says so.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{InputError, Record, warn};

/// The state of the checks over one input: which files have had their
/// warning about removed characters already.
#[derive(Default)]
pub struct Checks {
    warned: HashSet<PathBuf>,
}

impl Checks {
    /// The record, cleaned, or why it is refused.
    pub fn check(&mut self, record: Result<Record, InputError>) -> Result<Record, InputError> {
        let mut record = record?;
        let location = record.location.clone();
        let article = &mut record.article;
        let mut removed = strip(&mut article.url) | strip(&mut article.title);
        for field in [&mut article.section, &mut article.image].into_iter().flatten() {
            removed |= strip(field);
        }
        for tag in &mut article.tags {
            removed |= strip(tag);
        }
        article.tags.retain(|tag| !tag.trim().is_empty());
        if removed && self.warned.insert(location.path.clone()) {
            warn(
                &location,
                "removed NUL or bidirectional override characters from a title, URL, section or \
                 tag (warned once a file)",
            );
        }
        if !is_web_url(&article.url) {
            let why = format!(
                "has the URL {}, which is neither an http(s) nor a relative URL; the box links to \
                 it, so alike takes no other kind (javascript:, data:, ...)",
                shortened(&article.url)
            );
            return Err(InputError::new(location, why));
        }
        if let Some(image) = article.image.take_if(|image| !is_web_url(image)) {
            warn(
                &location,
                format!(
                    "left out the image {}: only http(s) and relative image URLs are kept",
                    shortened(&image)
                ),
            );
        }
        Ok(record)
    }
}

/// Whether a URL is `http(s)` or relative (no scheme at all), read as
/// browsers read it: spaces and control characters around it, and tabs
/// and line breaks within it, are ignored (`java\tscript:` is
/// `javascript:`).
pub fn is_web_url(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(scheme) => scheme == "http" || scheme == "https",
    }
}

/// The lowercased scheme of a URL, if it has one.
fn scheme(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || "+-.".contains(c)) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Characters removed from titles, URLs, sections and tags.
fn is_stripped(c: char) -> bool {
    matches!(c, '\0' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Removes the stripped characters; says whether there were any.
fn strip(text: &mut String) -> bool {
    if !text.contains(is_stripped) {
        return false;
    }
    text.retain(|c| !is_stripped(c));
    true
}

/// A URL for a message, quoted, cut short if long (`data:` URLs can be
/// megabytes).
fn shortened(url: &str) -> String {
    const SHOWN: usize = 60;
    match url.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{:?}...", &url[..at]),
        None => format!("{url:?}"),
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::Article;
    use crate::input::Location;

    fn record(url: &str, title: &str, image: Option<&str>) -> Result<Record, InputError> {
        let article = Article {
            url: url.into(),
            title: title.into(),
            body: "Body.".into(),
            image: image.map(String::from),
            ..Article::default()
        };
        Ok(Record { article, location: Location::at(Path::new("a.jsonl"), "line 1") })
    }

    #[test]
    fn only_http_and_relative_urls_are_web_urls() {
        for url in [
            "https://x.example/a",
            "HTTP://x.example",
            "/a/b",
            "a/b.html",
            "//cdn.example/i.jpg",
            "?q=1",
            "a:b/c",
        ] {
            assert_eq!(is_web_url(url), url != "a:b/c", "{url}");
        }
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "\u{1}data:text/html,x",
            "vbscript:x",
            "data:image/png;base64,AAAA",
        ] {
            assert!(!is_web_url(url), "{url}");
        }
    }

    #[test]
    fn script_urls_refuse_the_record() {
        let error = Checks::default().check(record("javascript:alert(1)", "T", None)).unwrap_err();
        assert_eq!(error.location.place, "line 1");
        assert!(error.message.contains("\"javascript:alert(1)\", which is neither an http(s)"), "{error}");
        let long = format!("data:text/html,{}", "x".repeat(10_000));
        let error = Checks::default().check(record(&long, "T", None)).unwrap_err();
        assert!(error.message.len() < 300, "the message quotes a long URL cut short");
    }

    #[test]
    fn script_images_are_dropped_and_the_article_kept() {
        let record =
            Checks::default().check(record("/a", "T", Some("data:image/svg+xml,<svg onload=x>"))).unwrap();
        assert_eq!(record.article.image, None);
        let record = Checks::default().check(Ok(record)).unwrap();
        assert_eq!(record.article.url, "/a");
    }

    #[test]
    fn nuls_and_bidi_overrides_are_removed() {
        let mut article =
            record("/a\u{0}b", "Rates \u{202E}dleh\u{202C} held\u{2066}", None).unwrap().article;
        article.tags = vec!["\u{2067}".into(), "ra\u{0}tes".into()];
        article.section = Some("Busi\u{202D}ness".into());
        let checked = Checks::default()
            .check(Ok(Record { article, location: Location::file(Path::new("p.html")) }))
            .unwrap()
            .article;
        assert_eq!(checked.url, "/ab");
        assert_eq!(checked.title, "Rates dleh held");
        assert_eq!(checked.tags, ["rates"]);
        assert_eq!(checked.section.as_deref(), Some("Business"));
    }
}
