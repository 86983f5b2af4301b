//! WordPress exports (WXR: Tools → Export in the dashboard), an RSS 2.0
//! file with WordPress's own elements: each post's status and type, its
//! categories and tags, and its featured image as a reference to an
//! attachment item elsewhere in the file. Only published posts become
//! articles; pages, drafts, private and password-protected posts,
//! attachments and menu items do not.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{InputError, Location, Record};
use crate::Article;

/// Whether `head` (the start of an XML file) is a WordPress export: the
/// namespace WordPress declares on its root element.
pub fn is_wxr(head: &[u8]) -> bool {
    let head = &head[..head.len().min(4096)];
    head.windows(WP_NAMESPACE.len()).any(|window| window == WP_NAMESPACE)
}

const WP_NAMESPACE: &[u8] = b"wordpress.org/export/";

/// One `<item>` as the export has it.
#[derive(Default)]
struct Item {
    title: String,
    link: String,
    content: String,
    excerpt: String,
    id: String,
    date: String,
    date_gmt: String,
    status: String,
    post_type: String,
    password: String,
    attachment_url: String,
    section: Option<String>,
    tags: Vec<String>,
    thumbnail_id: Option<String>,
    /// Custom fields `alike_related` (URLs, one per line or comma-separated)
    /// and `alike_recommend` (`0`/`false`/`no` keeps the post out of boxes).
    related: Vec<String>,
    recommend: Option<String>,
    /// Polylang's `<category domain="language" nicename="fr">`.
    language: Option<String>,
    meta_key: String,
    meta_value: String,
}

impl Item {
    /// The field an element's text goes to, by the element's name.
    fn field(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "content:encoded" => &mut self.content,
            "excerpt:encoded" => &mut self.excerpt,
            "wp:post_id" => &mut self.id,
            "wp:post_date" => &mut self.date,
            "wp:post_date_gmt" => &mut self.date_gmt,
            "wp:status" => &mut self.status,
            "wp:post_type" => &mut self.post_type,
            "wp:post_password" => &mut self.password,
            "wp:attachment_url" => &mut self.attachment_url,
            "wp:meta_key" => &mut self.meta_key,
            "wp:meta_value" => &mut self.meta_value,
            _ => return None,
        })
    }

    fn is_published_post(&self) -> bool {
        self.post_type.trim() == "post" && self.status.trim() == "publish" && self.password.trim().is_empty()
    }
}

/// Reads a WordPress export's published posts, in the export's order.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Result<Record, InputError>>, InputError> {
    let (text, note) = super::charset::decode_xml(bytes);
    if let Some(note) = note {
        super::warn(&Location::file(path), note);
    }
    let (items, Channel { site, language }) =
        super::without_panics(|| items(text.as_bytes())).and_then(|parsed| parsed).map_err(|why| {
            InputError::new(
                Location::file(path),
                format!("is not a WordPress export that can be read: {why}"),
            )
        })?;
    let attachments: HashMap<&str, &str> = items
        .iter()
        .filter(|(_, item)| item.post_type.trim() == "attachment" && !item.attachment_url.trim().is_empty())
        .map(|(_, item)| (item.id.trim(), item.attachment_url.trim()))
        .collect();
    Ok(items
        .iter()
        .filter(|(_, item)| item.is_published_post())
        .map(|(number, item)| {
            let location = Location::at(path, format!("item {number}"));
            let mut article =
                article(item, &site, &attachments).map_err(|why| InputError::new(location.clone(), why))?;
            article.language =
                item.language.clone().or_else(|| Some(language.clone()).filter(|l| !l.is_empty()));
            Ok(Record { article, location })
        })
        .collect())
}

fn article(item: &Item, site: &str, attachments: &HashMap<&str, &str>) -> Result<Article, String> {
    let url = match item.link.trim() {
        "" if !site.is_empty() && !item.id.trim().is_empty() => {
            format!("{}/?p={}", site.trim_end_matches('/'), item.id.trim())
        }
        "" => return Err("post has no <link> and the export no site URL".into()),
        link => link.to_string(),
    };
    let html = if item.content.trim().is_empty() { &item.excerpt } else { &item.content };
    // WordPress stores paragraphs as blank lines, not <p>: make them blocks.
    let body = super::html_text(&without_shortcodes(html).replace("\n\n", "\n<p>\n"));
    // "0000-00-00 00:00:00" is WordPress for "never set"; the GMT date
    // first, as WordPress itself prefers it.
    // The GMT one names an instant (`lists.newest_time`: a page published
    // later the same day skips its list file); the local one, a day.
    let gmt = item.date_gmt.trim();
    let instant = gmt.get(..10).zip(gmt.get(11..)).map(|(day, time)| format!("{day}T{time}Z"));
    let date = instant.filter(|date| crate::article::parse_instant(date).is_some()).or_else(|| {
        [&item.date_gmt, &item.date]
            .into_iter()
            .map(|date| date.trim())
            .find(|date| date.len() >= 10 && date.is_char_boundary(10) && !date.starts_with("0000"))
            .map(|date| date[..10].to_string())
    });
    Ok(Article {
        url,
        title: super::html_text(&item.title),
        body,
        date,
        section: item.section.clone(),
        image: item
            .thumbnail_id
            .as_deref()
            .and_then(|id| attachments.get(id.trim()))
            .map(|url| url.to_string()),
        tags: item.tags.clone(),
        related: item.related.clone(),
        recommend: match item.recommend.as_deref() {
            None | Some("") => true,
            Some(flag) => crate::article::parse_flag(flag)
                .ok_or_else(|| format!("its alike_recommend custom field is {flag:?}; use true or false"))?,
        },
        language: None,
    })
}

/// Shortcodes whose content is no text of the story: a caption (the page
/// reader leaves captions out too) and embedded media's URLs.
const SHORTCODES_WITHOUT_TEXT: &[&str] = &["caption", "wp_caption", "embed", "audio", "video", "playlist"];

/// Shortcodes that WordPress expands as it shows a post, in a bracket of
/// their own: `[gallery ids="1,2"]`, `[caption …]…[/caption]`. A post of the
/// classic editor has one for every captioned picture, which would open
/// its text and snippet. Left out are those with attributes (`name=…`),
/// closed ones (`[x]…[/x]`) and WordPress's own media shortcodes, keeping
/// the text of others' content (`[su_note]…[/su_note]`) but not of
/// captions and media; a bracket such as `[sic]` or `[1]` stays.
fn without_shortcodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some((name, closing, length)) = shortcode_at(rest) else {
            out.push('[');
            rest = &rest[1..];
            continue;
        };
        let close = format!("[/{name}]");
        let known =
            ["gallery", "embed", "audio", "video", "playlist", "caption", "wp_caption"].contains(&name);
        let tag = &rest[..length];
        let attributes = tag.contains('=');
        let closed = !closing && rest[length..].contains(&close);
        if !(closing || known || attributes || closed) {
            out.push('[');
            rest = &rest[1..];
            continue;
        }
        rest = &rest[length..];
        if closed && SHORTCODES_WITHOUT_TEXT.contains(&name) {
            let end = rest.find(&close).map_or(rest.len(), |at| at + close.len());
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// A shortcode's tag at the start of `text`: its name, whether it is a
/// closing tag, and its length up to and with its `]`.
fn shortcode_at(text: &str) -> Option<(&str, bool, usize)> {
    let inner = text.strip_prefix('[')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let name_end =
        inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let after = &inner[name_end..];
    let end = after.find([']', '[', '\n'])?;
    let ends_well = after[end..].starts_with(']') && (end == 0 || after.starts_with([' ', '/']));
    ends_well.then(|| (name, closing, text.len() - after.len() + end + 1))
}

/// What the export says of the whole site: its URL and `<language>`.
#[derive(Default)]
struct Channel {
    site: String,
    language: String,
}

/// Every item, numbered from 1 as a reader counts them, and the channel.
fn items(bytes: &[u8]) -> Result<(Vec<(usize, Item)>, Channel), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut site = Channel::default();
    let mut item: Option<Item> = None;
    // The open elements' names, and the category being read: (domain, text).
    let mut open: Vec<String> = Vec::new();
    let mut category: Option<(String, String)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("bad XML near byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                let name = start.name().as_ref().to_string();
                match name.as_str() {
                    "item" => item = Some(Item::default()),
                    "category" if item.is_some() => {
                        let mut domain = attribute(&start, "domain");
                        if domain == "language" {
                            // Polylang's slug (`fr`), not the language's display name.
                            domain = format!("language:{}", attribute(&start, "nicename"));
                        }
                        category = Some((domain, String::new()))
                    }
                    _ => {}
                }
                open.push(name);
            }
            Event::End(_) => {
                let name = open.pop().unwrap_or_default();
                match (name.as_str(), item.as_mut()) {
                    ("item", Some(_)) => {
                        if let Some(done) = item.take() {
                            items.push((items.len() + 1, done));
                        }
                    }
                    ("category", Some(current)) => {
                        if let Some((domain, text)) = category.take() {
                            // Term names are stored HTML-escaped: `News &amp; Views`.
                            let text = super::html::title_text(text.trim());
                            match domain.as_str() {
                                "category" if current.section.is_none() && !text.is_empty() => {
                                    current.section = Some(text)
                                }
                                "post_tag" if !text.is_empty() => current.tags.push(text),
                                slug if slug.starts_with("language:") && current.language.is_none() => {
                                    let slug = &slug["language:".len()..];
                                    current.language =
                                        Some(if slug.is_empty() { text } else { slug.to_string() })
                                }
                                _ => {}
                            }
                        }
                    }
                    ("wp:postmeta", Some(current)) => {
                        match current.meta_key.trim() {
                            "_thumbnail_id" => {
                                current.thumbnail_id = Some(current.meta_value.trim().to_string())
                            }
                            "alike_related" => current.related.extend(
                                current
                                    .meta_value
                                    .split([',', '\n'])
                                    .map(str::trim)
                                    .filter(|url| !url.is_empty())
                                    .map(String::from),
                            ),
                            "alike_recommend" => {
                                current.recommend = Some(current.meta_value.trim().to_string())
                            }
                            _ => {}
                        }
                        current.meta_key.clear();
                        current.meta_value.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(text) => append(&mut item, &mut category, &mut site, &open, &text.xml10_content()),
            Event::CData(data) => {
                let text = data.into_inner().into_owned();
                append(&mut item, &mut category, &mut site, &open, &text);
            }
            Event::GeneralRef(reference) => {
                let text = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match reference.into_inner().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                append(&mut item, &mut category, &mut site, &open, &text);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if item.is_some() {
        return Err("the file ends inside an <item>".into());
    }
    Ok((items, site))
}

/// Text goes to the innermost open element that has a home for it.
fn append(
    item: &mut Option<Item>,
    category: &mut Option<(String, String)>,
    site: &mut Channel,
    open: &[String],
    text: &str,
) {
    let Some(name) = open.last() else { return };
    match item {
        Some(_) if name == "category" => {
            if let Some((_, value)) = category.as_mut() {
                value.push_str(text);
            }
        }
        Some(current) => {
            if let Some(field) = current.field(name) {
                field.push_str(text);
            }
        }
        None if matches!(name.as_str(), "wp:base_blog_url" | "wp:base_site_url") && site.site.is_empty() => {
            site.site.push_str(text.trim());
        }
        None if name == "language" => site.language.push_str(text.trim()),
        None => {}
    }
}

fn attribute(start: &BytesStart<'_>, name: &str) -> String {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(items: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
             <wp:base_site_url>https://example.com</wp:base_site_url>{items}</channel></rss>"
        )
    }

    fn post(fields: &str) -> String {
        format!("<item><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>{fields}</item>")
    }

    #[test]
    fn entities_and_character_references_are_decoded() {
        let xml = export(&post(
            // WordPress keeps titles as HTML, so the XML holds them escaped twice.
            "<title>Q&amp;amp;A: caf&#233; &amp;lt;prices&amp;gt;</title><link>/qa</link>\
             <content:encoded>Tea &amp; cakes &#x263A;</content:encoded>",
        ));
        let records = parse(Path::new("wp.xml"), xml.as_bytes()).expect("reads");
        let article = &records[0].as_ref().expect("a post").article;
        assert_eq!(article.title, "Q&A: café <prices>");
        assert_eq!(article.body, "Tea & cakes ☺");
    }

    #[test]
    fn the_gmt_date_is_an_instant_the_local_one_a_day() {
        let date = |fields: &str| {
            let xml = export(&post(&format!(
                "<title>A</title><link>/a</link><content:encoded>Text.</content:encoded>{fields}"
            )));
            let records = parse(Path::new("wp.xml"), xml.as_bytes()).expect("reads");
            records[0].as_ref().expect("a post").article.date.clone()
        };
        let both = "<wp:post_date>2024-05-12 12:30:00</wp:post_date><wp:post_date_gmt>2024-05-12 10:30:00</wp:post_date_gmt>";
        assert_eq!(date(both).as_deref(), Some("2024-05-12T10:30:00Z"));
        let unset = "<wp:post_date>2024-05-12 12:30:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>";
        assert_eq!(date(unset).as_deref(), Some("2024-05-12"), "a draft's unset GMT date: the local day");
        assert_eq!(date("<wp:post_date_gmt>2024-05-12</wp:post_date_gmt>").as_deref(), Some("2024-05-12"));
        assert_eq!(date("").as_deref(), None);
    }

    #[test]
    fn category_and_tag_names_are_text() {
        // WordPress stores term names HTML-escaped and exports them so.
        let xml = export(&post(
            "<title>A</title><link>/a</link><content:encoded>Text.</content:encoded>\
             <category domain=\"category\" nicename=\"news-views\"><![CDATA[News &amp; Views]]></category>\
             <category domain=\"post_tag\" nicename=\"r-d\"><![CDATA[R&amp;D]]></category>",
        ));
        let records = parse(Path::new("wp.xml"), xml.as_bytes()).expect("reads");
        let article = &records[0].as_ref().expect("a post").article;
        assert_eq!(article.section.as_deref(), Some("News & Views"));
        assert_eq!(article.tags, ["R&D"]);
    }

    #[test]
    fn shortcodes_are_not_text() {
        let content = "[caption id=\"attachment_7\" align=\"alignnone\" width=\"300\"]<img src=\"x.jpg\"> Crowds at the bank[/caption]\
            The bank held rates [sic] at 5% [1].\n\n[embed]https://www.youtube.com/watch?v=1[/embed]\n\n\
            [su_note note_color=\"#eee\"]Economists agreed.[/su_note] [gallery ids=\"1,2,3\"][contact-form-7 id=\"9\" title=\"Contact\"]";
        let xml = export(&post(&format!(
            "<title>A</title><link>/a</link><content:encoded><![CDATA[{content}]]></content:encoded>"
        )));
        let records = parse(Path::new("wp.xml"), xml.as_bytes()).expect("reads");
        let article = &records[0].as_ref().expect("a post").article;
        assert_eq!(article.body, "The bank held rates [sic] at 5% [1].\n\nEconomists agreed.");
    }

    #[test]
    fn exports_in_a_legacy_encoding_or_with_stray_latin_bytes_are_read() {
        // `{e}` and friends stand for single windows-1252 bytes.
        let bytes = |xml: String| -> Vec<u8> {
            let mut out = xml.into_bytes();
            for (mark, byte) in [("{e}", 0xe9u8), ("{l}", 0x93), ("{r}", 0x94), ("{p}", 0xa3)] {
                while let Some(at) = out.windows(3).position(|w| w == mark.as_bytes()) {
                    out.splice(at..at + 3, [byte]);
                }
            }
            out
        };
        let item = post(
            "<title>Caf{e} {l}society{r}</title><link>/a</link><content:encoded>Tickets {p}20.</content:encoded>",
        );
        let declared = export(&item)
            .replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>");
        let records = parse(Path::new("wp.xml"), &bytes(declared)).expect("reads");
        let article = &records[0].as_ref().expect("a post").article;
        assert_eq!((article.title.as_str(), article.body.as_str()), ("Café “society”", "Tickets £20."));
        // A UTF-8 export of a database that holds some latin1 bytes.
        let mixed = export(&post(
            "<title>Café {e}</title><link>/b</link><content:encoded>Tickets £20.</content:encoded>",
        ));
        let records = parse(Path::new("wp.xml"), &bytes(mixed)).expect("reads");
        let article = &records[0].as_ref().expect("a post").article;
        assert_eq!((article.title.as_str(), article.body.as_str()), ("Café é", "Tickets £20."));
    }

    #[test]
    fn editorial_custom_fields_are_read() {
        let meta = |key: &str, value: &str| {
            format!(
                "<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:postmeta>"
            )
        };
        let items = [
            post(&format!(
                "<title>A</title><link>/a</link>{}{}",
                meta("alike_related", "/c, https://example.com/b\n/d"),
                meta("alike_recommend", "0")
            )),
            post("<title>B</title><link>/b</link>"),
            post(&format!("<title>C</title><link>/c</link>{}", meta("alike_recommend", "maybe"))),
        ];
        let records = parse(Path::new("wp.xml"), export(&items.concat()).as_bytes()).expect("reads");
        let a = &records[0].as_ref().expect("a post").article;
        assert_eq!(a.related, ["/c", "https://example.com/b", "/d"]);
        assert!(!a.recommend);
        assert!(records[1].as_ref().expect("a post").article.recommend);
        let error = records[2].as_ref().unwrap_err().to_string();
        assert!(error.contains("item 3") && error.contains("alike_recommend"), "{error}");
    }

    #[test]
    fn only_published_posts_are_articles() {
        let items = [
            post("<title>Yes</title><link>/yes</link>"),
            "<item><title>Page</title><wp:post_type>page</wp:post_type><wp:status>publish</wp:status></item>"
                .into(),
            "<item><title>Draft</title><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>"
                .into(),
            post("<title>Locked</title><wp:post_password>pw</wp:post_password>"),
        ];
        let records = parse(Path::new("wp.xml"), export(&items.concat()).as_bytes()).expect("reads");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].as_ref().expect("a post").location.place, "item 1");
    }

    #[test]
    fn a_cut_export_is_an_error_naming_the_file() {
        let xml = export(&post("<title>Cut"));
        let cut = &xml[..xml.find("Cut").expect("there") + 3];
        let error = parse(Path::new("wp.xml"), cut.as_bytes()).expect_err("refused");
        assert!(error.to_string().starts_with("wp.xml: is not a WordPress export"), "{error}");
    }

    #[test]
    fn wordpress_exports_are_told_from_other_feeds() {
        assert!(is_wxr(export("").as_bytes()));
        assert!(!is_wxr(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>"));
    }
}
