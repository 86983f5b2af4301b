//! RSS (0.9x, 1.0, 2.0), Atom and JSON Feed, through feed-rs. Each item is
//! one article:
//!
//! - url: the item's link (for Atom, its `alternate` link), else its guid
//!   or id when that is an http(s) URL;
//! - title: the item's title, as text;
//! - body: the full content (`content:encoded`, Atom `content`) if there is
//!   any, else the description or summary, HTML read as `html.rs` reads it,
//!   without a last paragraph that is WordPress's (Yoast) or Medium's
//!   footer ("The post X appeared first on Site.");
//! - date: published, else updated, as `YYYY-MM-DDTHH:MM:SSZ`. feed-rs
//!   reads the many date formats feeds use and drops the ones it cannot, so
//!   an unreadable date leaves the item undated rather than failing it;
//! - section: the first category; tags: all of them;
//! - related: the Atom entry's `<link rel="related">` URLs, in order (RSS
//!   has no such field);
//! - image: the first image `media:content` or image enclosure (feed-rs
//!   does not say which is which; both are full-size pictures the
//!   publisher chose), else the first `media:thumbnail`; a JSON Feed
//!   item's `image`, else its `banner_image`.
//!
//! Items are numbered from 1 in the order of the file and named as the
//! format names them: `feed.xml item 3`, `feed.atom entry 3`.

use std::path::Path;

use feed_rs::model::{Entry, Feed, FeedType, Text};

use super::{InputError, Location, Record, blogger, html};
use crate::Article;

/// One record per item; the outer error is for a file that is not a feed.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Result<Record, InputError>>, InputError> {
    // A WordPress export is RSS too, but its posts' status, type and
    // featured image are WordPress's own elements, which feed-rs drops.
    if super::wxr::is_wxr(bytes) {
        return super::wxr::parse(path, bytes);
    }
    // A Ghost export is JSON, told from its first bytes as the input's kind was.
    let head = &bytes[..bytes.len().min(2048)];
    if super::ghost::is_ghost(&String::from_utf8_lossy(head).to_ascii_lowercase()) {
        return super::ghost::parse(path, bytes);
    }
    // feed-rs reads the encoding from the XML declaration, so it gets the
    // raw bytes, not text.
    let feed: Feed = super::without_panics(|| feed_rs::parser::parse(bytes).map_err(|e| e.to_string()))
        .and_then(|parsed| parsed)
        .map_err(|e| {
            InputError::new(
                Location::file(path),
                format!("is not an RSS or Atom feed that alike can read ({e})"),
            )
        })?;
    let noun = if feed.feed_type == FeedType::Atom { "entry" } else { "item" };
    let xml = if feed.feed_type == FeedType::JSON { String::new() } else { raw_xml(bytes) };
    // Each item's raw XML, used only when the scan finds as many items as
    // feed-rs did: a feed it misreads loses what is read from it, not
    // correctness.
    let raw = raw_items(&xml, noun);
    let raw = if raw.len() == feed.entries.len() { raw } else { vec![""; feed.entries.len()] };
    let thumbnails = if feed.feed_type == FeedType::JSON {
        json_images(bytes)
    } else {
        raw.iter().map(|item| raw_thumbnail(item)).collect()
    };
    let thumbnails = if thumbnails.len() == feed.entries.len() { thumbnails } else { Vec::new() };
    Ok(feed
        .entries
        .iter()
        .zip(raw)
        .enumerate()
        .map(|(number, (entry, raw))| {
            let location = Location::at(path, format!("{noun} {}", number + 1));
            if let Some(why) = blogger::why_not_a_post(entry, raw) {
                return Err(InputError::not_an_article(location, why));
            }
            match article(entry, blogger::filename(raw), &location) {
                Ok(mut article) => {
                    // The entry's xml:lang, else the feed's <language> or xml:lang.
                    article.language = entry.language.clone().or_else(|| feed.language.clone());
                    if article.image.is_none() {
                        article.image = thumbnails.get(number).cloned().flatten();
                    }
                    Ok(Record { article, location })
                }
                Err(why) => Err(InputError::new(location, why)),
            }
        })
        .collect())
}

/// The entry as an article; `path` is its URL when it has no link (a
/// Blogger export's post).
fn article(entry: &Entry, path: Option<String>, location: &Location) -> Result<Article, String> {
    let title = entry.title.as_ref().map(title_of).unwrap_or_default();
    let url = link(entry).or(path).ok_or_else(|| {
        let named = if title.is_empty() { String::new() } else { format!(" ({title:?})") };
        format!("has no link{named}, and its guid or id is not a URL either")
    })?;
    let content = entry.content.as_ref().and_then(|content| {
        let body = content.body.as_deref()?;
        let plain = content.content_type.to_string().starts_with("text/plain");
        Some(if plain { plain_text(body) } else { html::fragment_text_at(body, location) })
    });
    let body = content
        .filter(|body| !body.is_empty())
        .or_else(|| entry.summary.as_ref().map(text_of))
        .map(without_footer)
        .unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        return Err(format!("{url} has no title and no description or content"));
    }
    let mut tags: Vec<String> = Vec::new();
    for category in entry.categories.iter().filter(|c| c.scheme.as_deref() != Some(blogger::KIND_SCHEME)) {
        let term = crate::text::collapse(&category.term);
        if !term.is_empty() && !tags.contains(&term) {
            tags.push(term);
        }
    }
    Ok(Article {
        url,
        title,
        body,
        date: entry.published.or(entry.updated).map(iso_date),
        section: tags.first().cloned(),
        image: image(entry),
        tags,
        related: entry
            .links
            .iter()
            .filter(|l| l.rel.as_deref() == Some("related"))
            .map(|l| l.href.trim().to_string())
            .filter(|href| !href.is_empty())
            .collect(),
        recommend: true,
        language: None,
    })
}

/// The alternate HTML link, else any alternate link, else a guid or id
/// that is a URL (RSS guids with `isPermaLink` are the item's address).
fn link(entry: &Entry) -> Option<String> {
    let alternate = |l: &&feed_rs::model::Link| l.rel.as_deref().is_none_or(|rel| rel == "alternate");
    let html = |l: &&feed_rs::model::Link| l.media_type.as_deref().is_none_or(|t| t.contains("html"));
    entry
        .links
        .iter()
        .filter(alternate)
        .find(html)
        .or_else(|| entry.links.iter().find(alternate))
        .map(|l| l.href.trim().to_string())
        .filter(|href| !href.is_empty())
        .or_else(|| {
            let id = entry.id.trim();
            let is_url = id.starts_with("http://") || id.starts_with("https://");
            is_url.then(|| id.to_string())
        })
}

fn text_of(text: &Text) -> String {
    if text.content_type.to_string().starts_with("text/plain") {
        plain_text(&text.content)
    } else {
        html::fragment_text(&text.content)
    }
}

/// A title as text on one line. An HTML title (Atom `type="html"` or
/// `"xhtml"`) is read as HTML once: what it then says is text, so that
/// "Using <code>&lt;dialog&gt;</code>" keeps its `<dialog>`. A plain one
/// (RSS, Atom `type="text"`) is text by the specs, but feeds often escape
/// titles twice or put markup in them: `html::title_text` reads it.
fn title_of(text: &Text) -> String {
    if text.content_type.to_string().starts_with("text/plain") {
        return html::title_text(&text.content);
    }
    let title = html::inline_text(&text.content);
    // Entities left after one reading were escaped twice.
    if title.contains('&') { html::title_text(&title) } else { title }
}

/// A feed's date as articles carry it: ISO 8601, in UTC.
pub(super) fn iso_date(date: chrono::DateTime<chrono::Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The text without the footer some publishers' feeds end every item with,
/// when its last paragraph has one of these shapes: WordPress's (Yoast SEO)
/// "The post X appeared first on Site." and Medium's "X was originally
/// published in Pub on Medium, where people are continuing the
/// conversation…". The same words on every item would make them all alike.
fn without_footer(text: String) -> String {
    let Some((before, last)) = text.rsplit_once("\n\n") else {
        return text;
    };
    let yoast = last.starts_with("The post ") && last.contains(" appeared first on ") && last.ends_with('.');
    let medium = last.contains(" was originally published in ")
        && last.contains(" on Medium, where people are continuing the conversation");
    if yoast || medium { before.to_string() } else { text }
}

/// Plain text tidied like HTML text: paragraphs apart, spaces collapsed.
fn plain_text(text: &str) -> String {
    text.split("\n\n").map(crate::text::collapse).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn image(entry: &Entry) -> Option<String> {
    let contents = entry.media.iter().flat_map(|m| &m.content);
    let is_image = |content: &&feed_rs::model::MediaContent| {
        let url = content.url.as_ref().map(|u| u.path().to_ascii_lowercase()).unwrap_or_default();
        match &content.content_type {
            Some(kind) => kind.to_string().starts_with("image/"),
            None => [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"].iter().any(|e| url.ends_with(e)),
        }
    };
    let media_image = contents.clone().filter(is_image).find_map(|c| c.url.as_ref().map(|u| u.to_string()));
    let thumbnail = || {
        entry
            .media
            .iter()
            .flat_map(|m| &m.thumbnails)
            .map(|t| t.image.uri.trim().to_string())
            .find(|uri| !uri.is_empty())
    };
    media_image.or_else(thumbnail)
}

/// The feed's XML with CDATA sections and comments blanked out, so that
/// markup quoted in them is not taken for elements.
fn raw_xml(bytes: &[u8]) -> String {
    blank_out(&blank_out(&String::from_utf8_lossy(bytes), "<![CDATA[", "]]>"), "<!--", "-->")
}

/// Each item's (`noun`: `item` or `entry`) raw XML, from its start tag to
/// the next item's.
fn raw_items<'a>(xml: &'a str, noun: &str) -> Vec<&'a str> {
    let open = format!("<{noun}");
    let starts: Vec<usize> = xml
        .match_indices(&open)
        .map(|(at, _)| at)
        .filter(|at| xml[at + open.len()..].starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace()))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| &xml[start..starts.get(i + 1).copied().unwrap_or(xml.len())])
        .collect()
}

/// The item's first `media:thumbnail` URL, found in its raw XML. feed-rs
/// keeps a thumbnail only when the item also has a `media:content`, and
/// many feeds (the BBC's among them) have only the thumbnail.
fn raw_thumbnail(item: &str) -> Option<String> {
    let tag = &item[item.find("<media:thumbnail")?..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let value = &tag[tag.find("url=")? + 4..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &value[1..];
    let url = &value[..value.find(quote)?];
    let url = url.replace("&amp;", "&").trim().to_string();
    (!url.is_empty()).then_some(url)
}

/// Each JSON Feed item's `image`, else its `banner_image`, which feed-rs
/// does not keep.
fn json_images(bytes: &[u8]) -> Vec<Option<String>> {
    let Ok(feed) = serde_json::from_slice::<serde_json::Value>(bytes) else { return Vec::new() };
    let items = feed["items"].as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|item| {
            ["image", "banner_image"]
                .iter()
                .filter_map(|key| item[key].as_str().map(str::trim))
                .find(|url| !url.is_empty())
                .map(String::from)
        })
        .collect()
}

/// The text with every `open`...`close` section replaced by spaces, so
/// that markup quoted inside CDATA or comments is not taken for elements.
pub(super) fn blank_out(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(close).map_or(rest.len(), |e| start + e + close.len());
        out.extend(std::iter::repeat_n(' ', rest[start..end].chars().count()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn parse_str(name: &str, xml: &str) -> Vec<Result<Record, InputError>> {
        parse(Path::new(name), xml.as_bytes()).unwrap()
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>News</title><link>https://news.example.com/</link>
<item>
  <title>Rates held &amp; markets calm</title>
  <link>https://news.example.com/business/rates</link>
  <description>&lt;p&gt;Short summary.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The bank held rates.</p><p><strong>Read more:</strong> <a href="/x">Other story</a></p><p>Markets were calm.</p>]]></content:encoded>
  <pubDate>Tue, 01 Mar 2005 10:00:00 GMT</pubDate>
  <category>Business</category><category>Economy</category><category>Business</category>
  <media:content url="https://img.example.com/rates.jpg" type="image/jpeg"/>
</item>
<item>
  <title>Only a summary</title>
  <guid isPermaLink="true">https://news.example.com/sport/cup</guid>
  <description>Cup final won.</description>
  <enclosure url="https://img.example.com/cup.png" type="image/png" length="100"/>
</item>
<item><title>No link here</title><guid isPermaLink="false">tag-42</guid><description>x</description></item>
<item><link>https://news.example.com/empty</link></item>
<item><title>Thumbnail</title><link>https://news.example.com/t</link><media:thumbnail url="https://img.example.com/t.jpg"/>
  <pubDate>not a date</pubDate></item>
</channel></rss>"#;

    #[test]
    fn reads_rss_items() {
        let records = parse_str("feed.xml", RSS);
        assert_eq!(records.len(), 5);
        let first = &records[0].as_ref().unwrap().article;
        assert_eq!(
            first,
            &Article {
                url: "https://news.example.com/business/rates".into(),
                title: "Rates held & markets calm".into(),
                body: "The bank held rates.\n\nMarkets were calm.".into(),
                date: Some("2005-03-01T10:00:00Z".into()),
                section: Some("Business".into()),
                image: Some("https://img.example.com/rates.jpg".into()),
                tags: vec!["Business".into(), "Economy".into()],
                ..Article::default()
            }
        );
        let second = &records[1].as_ref().unwrap().article;
        assert_eq!(second.url, "https://news.example.com/sport/cup");
        assert_eq!(second.body, "Cup final won.");
        assert_eq!(second.image.as_deref(), Some("https://img.example.com/cup.png"));
        assert_eq!(second.date, None);
        let fifth = &records[4].as_ref().unwrap().article;
        assert_eq!(fifth.image.as_deref(), Some("https://img.example.com/t.jpg"));
        assert_eq!(fifth.date, None);
    }

    #[test]
    fn publishers_feed_footers_are_left_out() {
        let item = |n: u32, content: &str| {
            format!(
                "<item><title>T{n}</title><link>https://x.example/{n}</link><content:encoded><![CDATA[{content}]]></content:encoded></item>"
            )
        };
        let yoast = r#"<p>The bank held rates.</p><p>The post <a href="https://x.example/1">Rates held</a> appeared first on <a href="https://x.example">The Daily</a>.</p>"#;
        let medium = r#"<p>The bank held rates.</p><hr><p><a href="https://medium.com/p/1">Rates held</a> was originally published in <a href="https://medium.com/daily">The Daily</a> on Medium, where people are continuing the conversation by highlighting and responding to this story.</p>"#;
        // Not a footer: not the last paragraph, or the only one, or another shape.
        let middle = r#"<p>The post office appeared first on the list.</p><p>Then the bank.</p>"#;
        let only =
            r#"<p>The post <a href="/1">Rates held</a> appeared first on <a href="/">The Daily</a>.</p>"#;
        let other =
            r#"<p>The bank held rates.</p><p>The post we wrote appeared first on Monday, then it moved</p>"#;
        let items: String =
            [yoast, medium, middle, only, other].iter().enumerate().map(|(i, c)| item(i as u32, c)).collect();
        let xml = format!(
            r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>N</title>{items}</channel></rss>"#
        );
        let bodies: Vec<String> =
            parse_str("feed.xml", &xml).into_iter().map(|r| r.unwrap().article.body).collect();
        assert_eq!(
            bodies,
            [
                "The bank held rates.",
                "The bank held rates.",
                "The post office appeared first on the list.\n\nThen the bank.",
                "The post Rates held appeared first on The Daily.",
                "The bank held rates.\n\nThe post we wrote appeared first on Monday, then it moved",
            ]
        );
    }

    #[test]
    fn bad_items_name_their_number_and_problem() {
        let records = parse_str("feed.xml", RSS);
        let third = records[2].as_ref().unwrap_err().to_string();
        assert_eq!(
            third,
            "feed.xml item 3: has no link (\"No link here\"), and its guid or id is not a URL either"
        );
        let fourth = records[3].as_ref().unwrap_err().to_string();
        assert_eq!(
            fourth,
            "feed.xml item 4: https://news.example.com/empty has no title and no description or content"
        );
    }

    #[test]
    fn reads_atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <title>News</title><id>urn:news</id><updated>2005-03-02T00:00:00Z</updated>
  <entry>
    <title type="html">Cup &lt;em&gt;final&lt;/em&gt; won</title>
    <link rel="self" href="https://news.example.com/api/1"/>
    <link rel="alternate" type="text/html" href="https://news.example.com/sport/cup"/>
    <link rel="related" href="https://news.example.com/sport/cup-preview"/>
    <link rel="related" href="/sport/semi"/>
    <id>urn:uuid:1</id>
    <updated>2005-03-02T12:00:00Z</updated>
    <summary>Summary only.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full text.</p><p>Second.</p></div></content>
    <category term="sport" label="Sport"/>
    <media:thumbnail url="https://img.example.com/cup.jpg"/>
  </entry>
  <entry>
    <title>Id as link</title><id>https://news.example.com/sport/2</id>
    <published>2005-03-01T08:00:00-05:00</published><updated>2005-03-05T00:00:00Z</updated>
    <summary type="text">Plain   text
    summary.</summary>
  </entry>
  <entry><title>No link</title><id>urn:uuid:3</id><summary>x</summary></entry>
</feed>"#;
        let records = parse_str("news.atom", atom);
        let first = &records[0].as_ref().unwrap().article;
        assert_eq!(first.url, "https://news.example.com/sport/cup");
        assert_eq!(first.title, "Cup final won");
        assert_eq!(first.body, "Full text.\n\nSecond.");
        assert_eq!(first.date.as_deref(), Some("2005-03-02T12:00:00Z"));
        assert_eq!(first.section.as_deref(), Some("sport"));
        assert_eq!(first.image.as_deref(), Some("https://img.example.com/cup.jpg"));
        assert_eq!(first.related, ["https://news.example.com/sport/cup-preview", "/sport/semi"]);
        let second = &records[1].as_ref().unwrap().article;
        assert_eq!(second.url, "https://news.example.com/sport/2");
        assert_eq!(second.body, "Plain text summary.");
        assert_eq!(second.date.as_deref(), Some("2005-03-01T13:00:00Z"));
        let third = records[2].as_ref().unwrap_err().to_string();
        assert!(third.starts_with("news.atom entry 3: has no link"), "{third}");
    }

    #[test]
    fn titles_escaped_twice_are_decoded() {
        let xml = "<rss version=\"2.0\"><channel><title>F</title><item><title>Fish &amp;amp; chips &lt;b&gt;now&lt;/b&gt; AT&amp;T &amp;lt;3</title>\
                   <link>https://x.example/1</link></item></channel></rss>";
        let records = parse_str("f.rss", xml);
        assert_eq!(records[0].as_ref().unwrap().article.title, "Fish & chips now AT&T <3");
    }

    #[test]
    fn titles_naming_tags_keep_them() {
        // A plain title (RSS, Atom type="text") is text: only inline
        // formatting closed in it is markup. An HTML one is read once.
        let rss = "<rss version=\"2.0\"><channel><title>F</title>\
                   <item><title>Why the &lt;template&gt; element beats innerHTML</title><link>https://x.example/1</link></item>\
                   <item><title>Using &lt;code&gt; in a title, a &lt; b&lt;br/&gt;c</title><link>https://x.example/2</link></item>\
                   </channel></rss>";
        let titles: Vec<String> =
            parse_str("f.rss", rss).into_iter().map(|r| r.unwrap().article.title).collect();
        assert_eq!(
            titles,
            ["Why the <template> element beats innerHTML", "Using <code> in a title, a < b c"]
        );
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
            <entry><title type="html">Using &lt;code&gt;&amp;lt;dialog&amp;gt;&lt;/code&gt; for modals</title><id>urn:1</id><link href="https://x.example/e"/></entry>
            <entry><title type="text">The &lt;slot&gt; element</title><id>urn:2</id><link href="https://x.example/f"/></entry>
            <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An &lt;em&gt; in <em>xhtml</em></div></title><id>urn:3</id><link href="https://x.example/g"/></entry>
            </feed>"#;
        let titles: Vec<String> =
            parse_str("f.atom", atom).into_iter().map(|r| r.unwrap().article.title).collect();
        assert_eq!(titles, ["Using <dialog> for modals", "The <slot> element", "An <em> in xhtml"]);
    }

    #[test]
    fn json_feed_items_keep_their_image() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"F","items":[
            {"id":"1","url":"https://x.example/a","title":"A","content_text":"Text a.","image":"https://x.example/a.jpg"},
            {"id":"2","url":"https://x.example/b","title":"B","content_text":"Text b.","banner_image":"/b.png"},
            {"id":"3","url":"https://x.example/c","title":"C","content_text":"Text c."}]}"#;
        let images: Vec<Option<String>> =
            parse_str("feed.json", json).into_iter().map(|r| r.unwrap().article.image).collect();
        assert_eq!(images, [Some("https://x.example/a.jpg".into()), Some("/b.png".into()), None]);
    }

    #[test]
    fn thumbnails_are_found_in_the_raw_feed_outside_cdata() {
        let xml = "<rss><channel><item><description><![CDATA[<item><media:thumbnail url='/no.jpg'/>]]></description>\
                   <media:thumbnail width=\"1\" url=\"https://i.example/a.jpg?w=1&amp;h=2\"/></item><items/>\
                   <item><!-- <media:thumbnail url=\"/no.jpg\"/> --></item></channel></rss>";
        let xml = raw_xml(xml.as_bytes());
        let thumbnails: Vec<Option<String>> =
            raw_items(&xml, "item").into_iter().map(raw_thumbnail).collect();
        assert_eq!(thumbnails, [Some("https://i.example/a.jpg?w=1&h=2".to_string()), None]);
    }

    #[test]
    fn feeds_in_legacy_encodings_are_decoded() {
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>F</title>\
                    <item><title>Caf\xe9 society</title><link>https://x.example/1</link><description>Tickets \xa320.</description></item></channel></rss>";
        let records = parse(Path::new("latin1.rss"), xml).unwrap();
        let article = &records[0].as_ref().unwrap().article;
        assert_eq!((article.title.as_str(), article.body.as_str()), ("Café society", "Tickets £20."));
    }

    #[test]
    fn what_is_not_a_feed_is_the_outer_error() {
        let error = parse(
            Path::new("sitemap.xml"),
            b"<?xml version=\"1.0\"?><urlset><url><loc>/a</loc></url></urlset>",
        )
        .unwrap_err();
        assert!(error.to_string().starts_with("sitemap.xml: is not an RSS or Atom feed"), "{error}");
        let error =
            parse(Path::new("broken.xml"), b"<rss version=\"2.0\"><channel><item><title>x</item></rss>")
                .unwrap_err();
        assert!(error.to_string().starts_with("broken.xml: is not an RSS or Atom feed"), "{error}");
    }

    #[test]
    fn a_second_xml_declaration_is_an_error_not_a_panic() {
        // What fuzzing found: quick-xml panics on it under feed-rs.
        let bytes =
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>x</title>\n\
            <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n</channel></rss>\n";
        let error = parse(Path::new("feed.xml"), bytes).expect_err("refused");
        assert!(error.to_string().starts_with("feed.xml: is not an RSS or Atom feed"), "{error}");
    }
}
