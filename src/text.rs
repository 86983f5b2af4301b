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

    /// Counts already keyed and sorted by hash, as `iter` gave them.
    pub(crate) fn from_sorted(counts: Vec<(u64, f32)>) -> TermCounts {
        debug_assert!(counts.windows(2).all(|pair| pair[0].0 < pair[1].0));
        TermCounts(counts)
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
    // By weight too, so that the sums below add in one order whatever the
    // sort's algorithm (the browser's std sorts with its small one).
    occurrences.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // Merging neighbours in place and trimming: a builder keeps every
    // article's counts until the end, and spare capacity adds up.
    let counts = TermCounts(occurrences).truncate_hashes(64);
    (counts, shingler.signature())
}

/// What must match for two URLs to name the same article: the path and
/// query without scheme, host, fragment, trailing slash or tracking
/// parameters. Index URLs are often site-relative while the page's own URL
/// is absolute, so the host cannot take part.
///
/// The path and query are what a browser's URL parser (WHATWG) makes of
/// them, since the shim takes its keys from `new URL(href).pathname` and
/// `.search`: tabs and newlines removed, `\` read as `/`, `.` and `..`
/// segments resolved, and the characters browsers escape escaped (in paths
/// also `^` and `|`, which only some browsers escape). A URL
/// without a scheme or host is read relative to the site's root, and one
/// with a special scheme but no `//` (`http:a/b`) as a page of that scheme
/// would read it: relative. A last segment `index.html` or `index.htm`
/// (exactly so: lower case, unescaped) names its folder, as servers serve it.
/// `tests/fixtures/url-keys.json` holds the cases
/// that the shim is checked against in a browser.
pub fn url_key(url: &str) -> String {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let url = url.split('#').next().unwrap_or("");
    let rest = path_and_query(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut key = resolve_path(path);
    let path = key.trim_end_matches('/');
    // A folder's index page is the folder: servers answer `/posts/x/` with
    // `/posts/x/index.html`, and a reader may open either.
    let folder = path.strip_suffix("/index.html").or_else(|| path.strip_suffix("/index.htm"));
    let end = folder.map_or(path, |folder| folder.trim_end_matches('/')).len();
    key.truncate(end.max(1));
    let mut separator = '?';
    for param in query.split('&').filter(|param| !is_tracking(param.split('=').next().unwrap_or(""))) {
        key.push(separator);
        key.push_str(&percent_encode(param, in_query_set));
        separator = '&';
    }
    key
}

/// The path and query of a URL: what follows the host of an absolute or
/// scheme-relative URL, the whole of a relative one.
fn path_and_query(url: &str) -> &str {
    let is_slash = |c: char| c == '/' || c == '\\';
    let after_scheme = scheme_end(url).map(|end| &url[end + 1..]);
    let rest = after_scheme.unwrap_or(url);
    let mut leading = rest.chars().take_while(|&c| is_slash(c));
    if leading.nth(1).is_none() {
        // One slash or none: a path, also after a scheme (`http:a/b`).
        return rest;
    }
    let authority = rest.trim_start_matches(is_slash);
    let host_end = authority.find(['/', '\\', '?']).unwrap_or(authority.len());
    &authority[host_end..]
}

/// Where a URL's scheme ends (its `:`), for the schemes whose URLs have a
/// host and whose paths take `\` for `/`: the ones articles live at.
fn scheme_end(url: &str) -> Option<usize> {
    let end = url.find(':')?;
    let scheme = url[..end].to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "ws" | "wss" | "ftp").then_some(end)
}

/// A path as the URL parser leaves it: starting with `/`, segments split at
/// `/` and `\`, escaped, `.` and `..` (also as `%2e`) resolved; a relative
/// path is taken from the root.
fn resolve_path(path: &str) -> String {
    let path = path.strip_prefix(['/', '\\']).unwrap_or(path);
    let mut segments: Vec<String> = Vec::new();
    let mut parts = path.split(['/', '\\']).peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        let segment = percent_encode(part, in_path_set);
        if is_dot_dot(&segment) {
            segments.pop();
            if last {
                segments.push(String::new());
            }
        } else if is_dot(&segment) {
            if last {
                segments.push(String::new());
            }
        } else {
            segments.push(segment);
        }
    }
    let mut resolved = String::from("/");
    push_joined(&mut resolved, &segments, '/');
    resolved
}

/// The words of `text` with one space between them: runs of whitespace,
/// line breaks included, as single spaces. By hand, not `collect` and
/// `join`: each type `join` is used on is a copy of its own in the wasm.
pub(crate) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `parts` joined by `separator`, onto `out`. By hand, as `collapse`.
fn push_joined(out: &mut String, parts: &[String], separator: char) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(part);
    }
}

fn is_dot(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

fn is_dot_dot(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().as_str(), ".." | ".%2e" | "%2e." | "%2e%2e")
}

/// Query parameters that name a campaign or referrer, not the article.
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.is_empty() || name.starts_with("utm_") || matches!(name.as_str(), "fbclid" | "gclid" | "ref")
}

/// Escapes the bytes of `text` that `escape` names as `%XX` (UTF-8, upper
/// case hex), keeping escapes already there, as browsers do: a key made
/// from the index's `/café` then matches one made from the page's
/// `/caf%C3%A9`.
fn percent_encode(text: &str, escape: fn(u8) -> bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        // Both sets hold every byte of a non-ASCII character: what is left is ASCII.
        if escape(byte) {
            out.extend([
                '%',
                char::from(HEX[usize::from(byte >> 4)]),
                char::from(HEX[usize::from(byte & 15)]),
            ]);
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

/// The path percent-encode set (WHATWG URL): controls, space, non-ASCII and
/// `"#<>?`{}`; and `^|`, which Chromium escapes in paths and the standard
/// does not (yet): the shim escapes them after any browser's parser too.
fn in_path_set(byte: u8) -> bool {
    (in_query_set(byte) && byte != b'\'') || matches!(byte, b'?' | b'`' | b'{' | b'}' | b'^' | b'|')
}

/// The special-query percent-encode set (WHATWG URL): controls, space,
/// non-ASCII and `"#<>'`.
fn in_query_set(byte: u8) -> bool {
    byte <= b' ' || byte >= 0x7f || matches!(byte, b'"' | b'#' | b'<' | b'>' | b'\'')
}

/// The list bucket of a page (`layout::bucket_of_key`): the top `bits` bits of
/// the 32-bit FNV-1a hash of its URL key, simple enough for the shim to
/// compute without the engine.
pub fn list_bucket_of(key: &str, bits: u8) -> u32 {
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
    fn a_url_in_the_query_does_not_hide_the_path() {
        // Found by fuzzing the earlier url_key: the query's scheme was taken
        // for the URL's, and a site-relative URL lost its path.
        let key = "/redirect?to=https://example.com/story";
        assert_eq!(url_key("/redirect?to=https://example.com/story"), key);
        assert_eq!(url_key("https://site.example/redirect?to=https://example.com/story"), key);
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
    fn url_keys_read_a_folder_index_page_as_its_folder() {
        for (url, key) in [
            ("https://example.com/posts/x/index.html", "/posts/x"),
            ("/posts/x/index.htm", "/posts/x"),
            ("/posts/x/index.html?id=7&utm_source=y#top", "/posts/x?id=7"),
            ("/posts/x//index.html/", "/posts/x"),
            ("/index.html", "/"),
            ("https://example.com/index.htm", "/"),
            // Only that name, as the last segment.
            ("/posts/x/Index.html", "/posts/x/Index.html"),
            ("/posts/x/index.html5", "/posts/x/index.html5"),
            ("/posts/x/myindex.html", "/posts/x/myindex.html"),
            ("/posts/%69ndex.html", "/posts/%69ndex.html"),
            ("/index.html/x", "/index.html/x"),
            ("/posts/x/index.php", "/posts/x/index.php"),
        ] {
            assert_eq!(url_key(url), key, "{url}");
        }
    }

    #[test]
    fn url_keys_escape_as_browsers_do() {
        // `new URL("https://example.com/café/a b?q=ü").pathname + search`
        assert_eq!(url_key("/café/a b?q=ü"), "/caf%C3%A9/a%20b?q=%C3%BC");
        assert_eq!(url_key("https://example.com/caf%C3%A9/a%20b?q=%C3%BC"), "/caf%C3%A9/a%20b?q=%C3%BC");
    }

    #[test]
    fn url_keys_follow_the_url_parser() {
        // As `new URL(url, "https://example.com/").pathname + .search` gives them.
        for (url, key) in [
            ("/a/./b/../c.html", "/a/c.html"),
            ("/a/%2E%2e/b", "/b"),
            ("\\\\evil.example\\a\\b.html", "/a/b.html"),
            ("/\\evil.example/a.html", "/a.html"),
            ("/news/\t2024/\nstory\r.html", "/news/2024/story.html"),
            ("/{id}/x?{id}", "/%7Bid%7D/x?{id}"),
            ("/a?b='c'", "/a?b=%27c%27"),
            ("https://example.com/a/b/../../../c", "/c"),
            ("/a/..?q=1", "/?q=1"),
            ("/caf%c3%a9/%zz", "/caf%c3%a9/%zz"),
        ] {
            assert_eq!(url_key(url), key, "{url:?}");
        }
    }

    /// Inputs of `tests/fixtures/url-keys.json`, each rule and its edges. A
    /// relative one is read from a page at the site's root (the e2e test's).
    /// Only URLs a browser parses alike on any page of the site: no
    /// `http:path` (what it means depends on the page's scheme), no empty
    /// host, no bad port.
    const VECTOR_URLS: &[&str] = &[
        // Scheme, host, fragment, trailing slashes and tracking parameters go.
        "/business/001.html",
        "https://news.example.com/business/001.html",
        "http://news.example.com/business/001.html#comments",
        "//news.example.com/business/001.html?utm_source=x&fbclid=y",
        "business/001.html",
        "https://example.com/story/",
        "https://example.com/story///",
        "https://example.com",
        "https://example.com?",
        "http://example.com?q=1",
        "http://example.com#top",
        "/",
        "/article?id=7&utm_medium=rss",
        "/article?utm_campaign=a&id=7&gclid=z&ref=home&REF=x&Utm_Term=q&FBCLID=1",
        "/article?id=7&&x=1&=v&ref",
        "/article?reference=1&refx=2&utm=3&gclid_x=4",
        "/article?%75tm_source=x",
        "/a?x=1#frag?y=2",
        "/a#?q=1",
        "https://example.com/a/b/?utm_source=x",
        "http://user:pass@example.com:8080/a/b?x=1",
        "http://[::1]:8080/x/",
        "HTTPS://EXAMPLE.COM/Path/Case.HTML",
        "https:///example.com/a",
        "///example.com/a/b",
        // Tabs, newlines and outer controls and spaces vanish; inner controls are escaped.
        "/news/\t2024/\nstory\r.html",
        "  https://example.com/a  ",
        "\u{1}/a/b\u{1f}",
        "ht\ttps://exa\nmple.com/x?y\t=1",
        "/a\u{0}b",
        "/a\u{7f}b?c\u{7f}d",
        "/\u{a0}x\u{a0}",
        // A backslash is a slash, in the host's end and in the path.
        "\\\\evil.example\\a\\b.html",
        "/\\evil.example/a.html",
        "\\/evil.example/x",
        "https://example.com\\a\\b.html",
        "https:\\\\example.com\\x",
        "/a\\b/..\\c",
        "x\\y",
        "/a/b\\",
        "/a?b=\\c",
        // Dot segments, also escaped, resolve; look-alikes stay.
        "/a/./b/../c.html",
        "https://example.com/a/b/../../../c",
        "/a/b/.",
        "/a/b/..",
        "/a/..?q=1",
        "/a/%2e/b",
        "/a/%2E%2e/b",
        "/a/.%2E/b",
        "/a/%2e./b",
        "/a/b/%2E",
        "/a/.../b",
        "/a/..%2f/b",
        "/a%2e/b",
        "/a/%2e%2e%2fb",
        "../a.html",
        "./a.html",
        "/a/.//b",
        "/.hidden/..foo/.x./x..",
        "/a/./?utm_source=x",
        // A folder's index page is the folder; only that exact last segment.
        "/posts/x/index.html",
        "https://example.com/posts/x/index.htm?id=7&utm_source=y#top",
        "/posts/x//index.html/",
        "/index.html",
        "index.htm",
        "/posts/x/Index.html",
        "/posts/x/myindex.html",
        "/posts/x/index.html5",
        "/posts/%69ndex.html",
        "/index.html/x",
        "/a/index.html/..",
        "/a/index.html?",
        // The path escapes controls, space, non-ASCII and "#<>?`{}^|; the query "#<>' and those, not {}`^|.
        "/café/a b?q=ü",
        "/caf%C3%A9/a%20b?q=%C3%BC",
        "/caf%c3%a9",
        "/{id}/x?{id}",
        "/a\"b<c>d`e",
        "/a^b|c~d[e]@f$g!h*i(j)k+l",
        "/a%5eb^c%7Cd|e",
        "/it's/a'b?c'd",
        "/a;b=c/d,e:f",
        "/%",
        "/a%zz/%2f/%2F",
        "/日本/記事?語=値",
        "/emoji/😀?e=😀",
        "/a b/c d/",
        "/a?b='c'",
        "/a?q=\"x\" <y>",
        "/a?q=`x`&r={y}|z^",
        "/a?q=a+b&r=c%20d",
        "/a?q=%",
        "/a?q=1?2/3",
        "/search?q=caf%C3%A9&utm_source=x",
        "/a?b=%27&c='",
    ];

    /// The URL keys the shim must compute too (tests/e2e/url-keys.test.mjs
    /// checks it in Chromium). Regenerate after a deliberate change with
    /// `ALIKE_BLESS=1 cargo test --lib url_key_vectors`, and review the diff.
    #[test]
    fn url_key_vectors_match_the_fixture() {
        // One vector a line, `url` before `key`.
        let json = |text: &str| serde_json::to_string(text).unwrap();
        let lines: Vec<String> = VECTOR_URLS
            .iter()
            .map(|url| format!("  {{\"url\": {}, \"key\": {}}}", json(url), json(&url_key(url))))
            .collect();
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        crate::golden::check(
            "tests/fixtures/url-keys.json",
            &text,
            "url_key_vectors",
            " and check the shim with `node --test tests/e2e/url-keys.test.mjs`",
        );
    }

    #[test]
    fn list_buckets_take_the_top_bits_of_fnv1a() {
        // Known values, computed in JavaScript as the shim does.
        assert_eq!(list_bucket_of("/business/001.html", 32), 0x0437_d917);
        assert_eq!(list_bucket_of("/business/001.html", 8), 0x04);
        assert_eq!(list_bucket_of("/business/001.html", 0), 0);
        assert_eq!(list_bucket_of("", 32), 0x811c_9dc5);
        assert_eq!(list_bucket_of("a", 32), 0xe40c_292c);
    }
}
