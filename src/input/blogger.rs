//! Blogger's exports: Atom feeds that hold, beside the blog's posts, its
//! template, its settings, its pages, drafts and readers' comments, each an
//! `<entry>`. Only published posts are articles. Blogger has written two
//! schemas:
//!
//! - the classic backup (Settings → Back up content): each entry's kind is
//!   a category of the scheme `http://schemas.google.com/g/2005#kind`
//!   (`…/kind#post`, `#comment`, `#page`, `#settings`, `#template`), drafts
//!   carry AtomPub's `<app:draft>yes</app:draft>`, posts an alternate link;
//! - the 2018 schema (Takeout's `feed.atom`): `<blogger:type>` (`POST`,
//!   `PAGE`, `COMMENT`), `<blogger:status>` (`LIVE`, `DRAFT`,
//!   `SCHEDULED`, `SOFT_TRASHED`) and the post's path on the blog,
//!   `<blogger:filename>/2014/06/story.html</blogger:filename>`, with no
//!   link at all: that path is the post's URL.
//!
//! feed-rs keeps the categories but drops Blogger's and AtomPub's elements,
//! so those are read from the entry's raw XML (`feed.rs` cuts it out).

use feed_rs::model::Entry;

/// The category scheme that gives a classic export's entry its kind, not
/// a label: never a section or tag.
pub const KIND_SCHEME: &str = "http://schemas.google.com/g/2005#kind";

/// Why the entry is not a published post, if it is not: its kind, else its
/// status. `raw` is the entry's XML with CDATA and comments blanked out.
pub fn why_not_a_post(entry: &Entry, raw: &str) -> Option<String> {
    // An author's <blogger:type> (BLOGGER, ANONYMOUS) is not the entry's.
    let raw = &super::feed::blank_out(raw, "<author", "</author>");
    let category_kind = entry
        .categories
        .iter()
        .find(|c| c.scheme.as_deref() == Some(KIND_SCHEME))
        .and_then(|c| c.term.rsplit_once('#'))
        .map(|(_, kind)| kind.to_string());
    let kind = category_kind.or_else(|| element(raw, "blogger:type")).map(|k| k.to_ascii_lowercase());
    match kind.as_deref() {
        None | Some("post") => {}
        Some("settings") => return Some("Blogger settings".into()),
        Some(kind) => return Some(format!("a Blogger {kind}")),
    }
    if let Some(status) = element(raw, "blogger:status").filter(|s| !s.eq_ignore_ascii_case("live")) {
        return Some(format!("not published (its blogger:status is {status})"));
    }
    element(raw, "app:draft")
        .is_some_and(|draft| draft.eq_ignore_ascii_case("yes"))
        .then(|| "not published (a draft)".into())
}

/// The post's path on the blog (2018 schema), for an entry with no link.
pub fn filename(raw: &str) -> Option<String> {
    element(raw, "blogger:filename").map(|path| path.replace("&amp;", "&")).filter(|p| p.starts_with('/'))
}

/// The trimmed text of the first `<name>` element (no attributes, no
/// markup inside, as Blogger writes them), if not empty.
fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let text = &xml[start..];
    let text = text[..text.find("</")?].trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn entry(inner: &str) -> (Entry, String) {
        let xml = format!(
            "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>\
             <entry><id>tag:blogger.com,1999:blog-1.post-2</id><title>T</title>{inner}</entry></feed>"
        );
        let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a feed");
        let raw = xml[xml.find("<entry>").expect("an entry")..].to_string();
        (feed.entries.into_iter().next().expect("one entry"), raw)
    }

    #[test]
    fn only_published_posts_are_articles() {
        let why = |inner: &str| {
            let (entry, raw) = entry(inner);
            why_not_a_post(&entry, &raw)
        };
        // The author's <blogger:type> says who wrote it, not what it is.
        let post = "<blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>";
        assert_eq!(
            why(&format!("<author><name>A</name><blogger:type>BLOGGER</blogger:type></author>{post}")),
            None
        );
        assert_eq!(why("<author><blogger:type>ANONYMOUS</blogger:type></author>"), None);
        assert_eq!(
            why("<blogger:type>POST</blogger:type><blogger:status>SCHEDULED</blogger:status>").as_deref(),
            Some("not published (its blogger:status is SCHEDULED)")
        );
        assert_eq!(why("<blogger:type>COMMENT</blogger:type>").as_deref(), Some("a Blogger comment"));
        let kind = |k: &str| {
            format!(
                "<category scheme='{KIND_SCHEME}' term='http://schemas.google.com/blogger/2008/kind#{k}'/>"
            )
        };
        assert_eq!(why(&kind("post")), None);
        assert_eq!(why(&kind("settings")).as_deref(), Some("Blogger settings"));
        let draft =
            "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>";
        assert_eq!(why(&format!("{}{draft}", kind("post"))).as_deref(), Some("not published (a draft)"));
        // Any Atom entry may be an AtomPub draft; a feed's ordinary entries are not.
        assert_eq!(why(draft).as_deref(), Some("not published (a draft)"));
        assert_eq!(why("<link rel='alternate' href='https://x.example/a'/>"), None);
        let (_, raw) = entry("<blogger:filename>/2014/06/a&amp;b.html</blogger:filename>");
        assert_eq!(filename(&raw).as_deref(), Some("/2014/06/a&b.html"));
        assert_eq!(filename("<blogger:filename>a.html</blogger:filename>"), None);
    }
}
