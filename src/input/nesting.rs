//! A limit on how deeply a page's elements nest, applied before the page
//! is parsed.
//!
//! html5ever's tree builder is linear in the page's length times the depth
//! of its open elements: many start tags (`<div>`, `<p>`, `<article>`, ...)
//! look through the whole stack of open elements for a `<p>` to close. So
//! 20,000 nested `<div>`s took a minute to parse and 200,000 did not finish
//! in three. Browsers cap the depth of the tree they build (Blink at 512).
//! Here the cap is applied to the text: a quick scan follows the nesting of
//! start and end tags, and a tag that would open an element deeper than
//! [`MAX_NESTING`] is cut out (with its end tag), so its text is read as
//! plain text of the element at the limit. Pages within the limit, which
//! is every page written by people, come back unchanged, borrowed.
//!
//! The scan models the tree builder only as far as depth needs: void
//! elements, raw text (`<script>`, `<style>`, ...), comments, the end tags
//! that close what they match, and the start tags that close an open `<p>`,
//! `<li>`, `<dd>`, `<td>` and the like, so that pages which leave those
//! unclosed, as HTML allows, do not seem deep. Where it errs, it errs on a
//! page that is deep already.

use std::borrow::Cow;
use std::collections::HashMap;

/// The deepest element nesting read as such; deeper tags are cut out.
/// Real pages nest a few dozen levels; hostile ones, thousands.
pub const MAX_NESTING: usize = 256;

/// A page with its nesting limited, and how many tags were cut out.
pub struct Limited<'a> {
    pub html: Cow<'a, str>,
    pub cut_tags: usize,
}

/// The warning for a page or fragment that had `cut_tags` cut out.
pub fn cut_warning(cut_tags: usize) -> String {
    format!(
        "nests elements more than {MAX_NESTING} deep; the {cut_tags} tags deeper were left out and their \
         text read as plain text"
    )
}

/// The page with every tag nested deeper than [`MAX_NESTING`] cut out.
pub fn limit(html: &str) -> Limited<'_> {
    let mut scan = Scan::default();
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        at = scan.markup(bytes, start);
    }
    if scan.cuts.is_empty() {
        return Limited { html: Cow::Borrowed(html), cut_tags: 0 };
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for &(start, end) in &scan.cuts {
        out.push_str(&html[from..start]);
        // A space keeps the words on either side of a cut block apart.
        out.push(' ');
        from = end;
    }
    out.push_str(&html[from..]);
    Limited { html: Cow::Owned(out), cut_tags: scan.cuts.len() }
}

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] =
    &["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"];
/// Start tags that close an open `<p>` (the HTML standard's list).
const CLOSE_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "dd",
    "dt",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];
/// Elements that bound the search for an element to close.
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button", "svg",
    "math",
];
const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// The scan's model of the open elements, and what it has cut.
#[derive(Default)]
struct Scan {
    /// Names of the open elements, outermost first; never longer than
    /// `MAX_NESTING`, so no search through it costs more than that.
    open: Vec<String>,
    /// How many of each name are open, so that most searches are skipped.
    open_count: HashMap<String, usize>,
    /// How many start tags of each name were cut and await their end tag.
    cut_open: HashMap<String, usize>,
    /// Byte ranges of the tags cut out, in order.
    cuts: Vec<(usize, usize)>,
}

impl Scan {
    /// Reads the markup at `start` (a `<`); returns where to go on from.
    fn markup(&mut self, bytes: &[u8], start: usize) -> usize {
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            return find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            return find(bytes, start, b">").map_or(bytes.len(), |end| end + 1);
        }
        let end_tag = rest.starts_with(b"</");
        let name_at = start + if end_tag { 2 } else { 1 };
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            return start + 1;
        }
        let tag = Tag::read(bytes, name_at);
        if end_tag {
            self.end_tag(&tag.name, start, tag.end);
            tag.end
        } else {
            self.start_tag(&tag, start);
            if RAW_TEXT.contains(&tag.name.as_str()) {
                raw_text_end(bytes, tag.end, &tag.name)
            } else if tag.name == "plaintext" {
                bytes.len()
            } else {
                tag.end
            }
        }
    }

    fn start_tag(&mut self, tag: &Tag, start: usize) {
        let name = tag.name.as_str();
        let in_foreign = self.is_open("svg") || self.is_open("math");
        if VOID.contains(&name)
            || RAW_TEXT.contains(&name)
            || ["html", "head", "body", "plaintext"].contains(&name)
            || (tag.self_closing && in_foreign)
        {
            return;
        }
        self.close_implied(name);
        if self.open.len() >= MAX_NESTING {
            *self.cut_open.entry(tag.name.clone()).or_default() += 1;
            self.cuts.push((start, tag.end));
        } else {
            *self.open_count.entry(tag.name.clone()).or_default() += 1;
            self.open.push(tag.name.clone());
        }
    }

    fn end_tag(&mut self, name: &str, start: usize, end: usize) {
        // Cut elements are the innermost, so their end tags come first.
        if let Some(count) = self.cut_open.get_mut(name).filter(|count| **count > 0) {
            *count -= 1;
            self.cuts.push((start, end));
        } else if let Some(at) = self.find_open(name, &[]) {
            self.close_from(at);
        }
    }

    /// Closes what a start tag closes when it is left open: a `<p>` before
    /// a block, a `<li>` before the next, and so on.
    fn close_implied(&mut self, name: &str) {
        if CLOSE_P.contains(&name) {
            self.close("p", &[]);
        }
        match name {
            "li" => self.close("li", &["ul", "ol"]),
            "dd" | "dt" => {
                self.close("dd", &["dl"]);
                self.close("dt", &["dl"]);
            }
            "tr" => self.close("tr", &["tbody", "thead", "tfoot"]),
            "td" | "th" => {
                self.close("td", &["tr"]);
                self.close("th", &["tr"]);
            }
            "tbody" | "thead" | "tfoot" => {
                for section in ["tbody", "thead", "tfoot"] {
                    self.close(section, &[]);
                }
            }
            "a" | "nobr" | "button" => self.close(name, &[]),
            "option" | "optgroup" => {
                self.close_top("option");
                if name == "optgroup" {
                    self.close_top("optgroup");
                }
            }
            _ if HEADINGS.contains(&name) => {
                for heading in HEADINGS {
                    self.close_top(heading);
                }
            }
            _ => {}
        }
    }

    fn is_open(&self, name: &str) -> bool {
        self.open_count.get(name).is_some_and(|count| *count > 0)
    }

    /// Closes the innermost open `name` and what is inside it, unless an
    /// element of the scope or of `stops` comes first.
    fn close(&mut self, name: &str, stops: &[&str]) {
        if let Some(at) = self.find_open(name, stops) {
            self.close_from(at);
        }
    }

    fn close_top(&mut self, name: &str) {
        if self.open.last().is_some_and(|top| top == name) {
            self.close_from(self.open.len() - 1);
        }
    }

    fn find_open(&self, name: &str, stops: &[&str]) -> Option<usize> {
        if !self.is_open(name) {
            return None;
        }
        for (at, open) in self.open.iter().enumerate().rev() {
            if open == name {
                return Some(at);
            }
            if SCOPE.contains(&open.as_str()) || stops.contains(&open.as_str()) {
                return None;
            }
        }
        None
    }

    fn close_from(&mut self, at: usize) {
        for name in self.open.drain(at..) {
            if let Some(count) = self.open_count.get_mut(&name) {
                *count -= 1;
            }
        }
    }
}

/// A tag's name, lowercased, whether it ends in `/>`, and where it ends
/// (just after its `>`), read as the HTML tokenizer reads attributes, so
/// that a `>` in a quoted value does not end it.
struct Tag {
    name: String,
    self_closing: bool,
    end: usize,
}

impl Tag {
    fn read(bytes: &[u8], name_at: usize) -> Tag {
        let is_space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
        let mut at = name_at;
        while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'/' && bytes[at] != b'>' {
            at += 1;
        }
        let name = String::from_utf8_lossy(&bytes[name_at..at]).to_ascii_lowercase();
        let done = |self_closing, end| Tag { name: name.clone(), self_closing, end };
        loop {
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            match bytes.get(at) {
                None => return done(false, bytes.len()),
                Some(b'>') => return done(false, at + 1),
                Some(b'/') if bytes.get(at + 1) == Some(&b'>') => return done(true, at + 2),
                Some(b'/') => {
                    at += 1;
                    continue;
                }
                Some(_) => {}
            }
            // An attribute's name (its first character may be `=`), then
            // perhaps `=` and a value.
            at += 1;
            while at < bytes.len() && !is_space(bytes[at]) && !b"/>=".contains(&bytes[at]) {
                at += 1;
            }
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            if bytes.get(at) != Some(&b'=') {
                continue;
            }
            at += 1;
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    at = find(bytes, at + 1, &[quote]).map_or(bytes.len(), |end| end + 1);
                }
                _ => {
                    while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                        at += 1;
                    }
                }
            }
        }
    }
}

/// Where the raw text of a `name` element that starts at `from` ends: at
/// its end tag, matched without regard to case.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = find(bytes, at, b"</") {
        let name_end = found + 2 + name.len();
        let matches = bytes.get(found + 2..name_end).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let ends = bytes
            .get(name_end)
            .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'));
        if matches && ends {
            return found;
        }
        at = found + 2;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| from + at)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use scraper::Html;

    use super::*;

    /// The depth of the deepest element of a parsed page.
    fn depth(html: &str) -> usize {
        let document = Html::parse_document(html);
        document.root_element().descendent_elements().map(|e| e.ancestors().count()).max().unwrap_or(0)
    }

    #[test]
    fn pages_within_the_limit_are_unchanged() {
        let pages = [
            "<!doctype html><html><head><title>a<b</title><script>if (a<b) x='</div>';</script></head>\
             <body><div class='a>b'><p>One<p>Two<ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><td>3</table>\
             <svg><path d='M0'/><g/></svg><!-- <div><div> --></div></body></html>",
            &"<p>paragraph left open".repeat(2000),
            &"<li>item".repeat(2000),
            &"<div>wide</div>".repeat(2000),
        ];
        for page in pages {
            let limited = limit(page);
            assert!(matches!(limited.html, Cow::Borrowed(_)), "{}", &page[..60.min(page.len())]);
            assert_eq!(limited.cut_tags, 0);
        }
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_and_its_text_kept() {
        let n = 2000;
        let page = format!(
            "<html><body>{}deep text{}<p>after</p></body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        assert!(depth(&page) > n, "without the limit the parser nests every div");
        let limited = limit(&page);
        assert_eq!(limited.cut_tags, 2 * (n - MAX_NESTING));
        assert!(depth(&limited.html) <= MAX_NESTING + 2, "html and body above the limit");
        let text: String = Html::parse_document(&limited.html).root_element().text().collect();
        assert!(text.contains("deep text") && text.contains("after"), "{text}");
    }

    #[test]
    fn unclosed_inline_elements_count_as_the_parser_counts_them() {
        let page = format!("<html><body>{}x</body></html>", "<font><b>".repeat(1000));
        let limited = limit(&page);
        assert!(limited.cut_tags > 0);
        assert!(depth(&limited.html) <= MAX_NESTING + 2);
    }

    #[test]
    fn deep_scripts_stay_scripts() {
        let page = format!("{}<script>var hidden = '<div>';</script>text", "<span>".repeat(MAX_NESTING + 10));
        let limited = limit(&page);
        assert!(limited.html.contains("<script>var hidden = '<div>';</script>"));
        assert_eq!(limited.cut_tags, 10);
    }
}
