//! One HTML article page to an `Article`. Each field comes from the first
//! source that has it, most deliberate first:
//!
//! - url: `<link rel="canonical">`, `og:url`, JSON-LD `url`, else the
//!   page's own path as a site-relative URL (see `folder.rs`). Only
//!   http(s) and relative URLs are taken: a `javascript:` canonical link
//!   is passed over with a warning. A relative one, like an `alike:related`
//!   pin, resolves against the path of the page's `<base href>` if it has
//!   one, else against the page's own path;
//! - title: JSON-LD `headline`, `og:title`, the article's `<h1>`, `<title>`,
//!   without the text of any `<script>`, `<style>`, `<noscript>` or
//!   `<template>` in it;
//! - body: JSON-LD `articleBody` when it is the whole story, not a teaser
//!   (`extract::choose_body`), else the article's text (see `html.rs`);
//! - date: JSON-LD `datePublished`, `article:published_time`, a
//!   `<time datetime>` or an element marked as the publication date by
//!   microdata or microformats (`itemprop=datePublished`, the class
//!   `published` or `dt-published`, with a `content`, `title` or `value`);
//!   marked ones first. Values
//!   that are not ISO 8601 dates are passed over rather than failing the
//!   page: they are scraped, not written for alike;
//! - section: JSON-LD `articleSection`, `article:section`;
//! - tags: JSON-LD `keywords`, else the `article:tag`s;
//! - image: JSON-LD `image`, `og:image`, `twitter:image`, the first that
//!   is an http(s) or relative URL.
//!
//! Elements nested deeper than `nesting::MAX_NESTING` are read as plain
//! text, with a warning: parsing deeper nesting takes time that grows with
//! the square of the depth.

use std::path::Path;

use scraper::{ElementRef, Html};

use super::{InputError, Location, Record, charset, html, jsonld, nesting, page_kind, safety, warn};
use crate::{Article, extract, parse_day};

/// Which pages `read` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    /// The page, whatever it is: it was named as an article.
    Any,
    /// The page only if it is an article (see `page_kind.rs`): a page of a
    /// site folder, which holds listings and much else too.
    Articles,
}

/// Reads one page; `own_url` is its URL when the page does not say.
pub fn read(path: &Path, bytes: &[u8], own_url: &str, take: Take) -> Result<Record, InputError> {
    let location = Location::file(path);
    let text = charset::decode(bytes).map_err(|why| InputError::new(location.clone(), why))?;
    let limited = nesting::limit(&text);
    if limited.cut_tags > 0 {
        warn(&location, nesting::cut_warning(limited.cut_tags));
    }
    let document = Html::parse_document(&limited.html);
    let linked = jsonld::read(&document);
    if take == Take::Articles {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let own_path = super::served::path_of(own_url);
        let links_from = link_base(&document, own_path);
        let signals = page_kind::Signals {
            file_name: &file_name,
            own_path,
            links_from: &links_from,
            linked_article: linked.article.is_some(),
            linked_types: linked.types,
            og_type: Meta::of(&document).first("og:type"),
        };
        if let page_kind::Verdict::NotAnArticle(why) = page_kind::verdict(&document, &signals) {
            return Err(InputError::not_an_article(location, why));
        }
    }
    let mut notes = Vec::new();
    let (article, _) = read_article(&document, linked.article.unwrap_or_default(), own_url, &mut notes)
        .map_err(|why| InputError::new(location.clone(), why))?;
    for note in notes {
        warn(&location, note);
    }
    Ok(Record { article, location })
}

/// What `alike inspect` shows of a page: the article as `read` takes it,
/// and how its text was found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inspection {
    pub article: Article,
    /// The page's `<html lang>`, if it says.
    pub language: Option<String>,
    /// Where the text came from: "JSON-LD articleBody" or "the page".
    pub text_from: &'static str,
    /// The element(s) read, as `tag#id.class`.
    pub read: Vec<String>,
    /// Blocks left out, as `tag#id.class "first words"`, with why.
    pub left_out: Vec<(String, &'static str)>,
    /// What was passed over on the way (bad URLs), as `read` warns.
    pub notes: Vec<String>,
}

/// Reads one page as `read` does (whatever the page is), keeping what
/// `alike inspect` shows.
pub fn inspect(path: &Path, bytes: &[u8], own_url: &str) -> Result<Inspection, InputError> {
    let location = Location::file(path);
    let text = charset::decode(bytes).map_err(|why| InputError::new(location.clone(), why))?;
    let limited = nesting::limit(&text);
    let document = Html::parse_document(&limited.html);
    let linked = jsonld::read(&document).article.unwrap_or_default();
    let mut notes = Vec::new();
    if limited.cut_tags > 0 {
        notes.push(nesting::cut_warning(limited.cut_tags));
    }
    let (article, page) = read_article(&document, linked, own_url, &mut notes)
        .map_err(|why| InputError::new(location.clone(), why))?;
    let language =
        document.root_element().attr("lang").map(str::trim).filter(|l| !l.is_empty()).map(String::from);
    Ok(Inspection {
        text_from: if article.body == page.text { "the page" } else { "JSON-LD articleBody" },
        read: page.read.iter().map(|e| describe(*e)).collect(),
        left_out: page
            .left_out
            .iter()
            .map(|(e, why)| {
                let words: String = html::one_line(*e).chars().take(60).collect();
                (format!("{} {words:?}", describe(*e)), why.as_str())
            })
            .collect(),
        article,
        language,
        notes,
    })
}

/// `tag#id.class.class`, as a selector names an element.
fn describe(element: ElementRef<'_>) -> String {
    let mut out = element.value().name().to_string();
    if let Some(id) = element.attr("id").map(str::trim).filter(|id| !id.is_empty()) {
        out.push('#');
        out.push_str(id);
    }
    for class in element.value().classes().take(3) {
        out.push('.');
        out.push_str(class);
    }
    out
}

/// The URL of a page named on the command line rather than found in a
/// folder: its path as given, so that `alike index business/001.html` run
/// from the site's root names it `/business/001.html`, as the folder would.
pub fn file_url(path: &Path) -> String {
    let components: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    super::folder::site_url(&components)
}

/// The article of a page, or why there is none; `notes` gets what was
/// passed over on the way, for warnings.
fn read_article<'a>(
    document: &'a Html,
    linked: jsonld::LinkedArticle,
    own_url: &str,
    notes: &mut Vec<String>,
) -> Result<(Article, html::PageReading<'a>), String> {
    let meta = Meta::of(document);
    let document_title =
        first_named(document.root_element(), "title").map(|t| without_markup(html::one_line(t)));
    let headline = linked.headline.as_deref().map(html::title_text);
    let known_title = headline.clone().or_else(|| meta.first("og:title")).or_else(|| document_title.clone());
    let page = html::read_page(document, known_title.as_deref().unwrap_or(""));
    let root = page.read.first().copied();

    let body = extract::choose_body(linked.body.as_deref(), &page.text);
    if body.is_empty() {
        return Err("has no article text".into());
    }

    let urls = [
        ("canonical link", canonical(document)),
        ("og:url", meta.first("og:url")),
        ("JSON-LD url", linked.url),
    ];
    let links_from = link_base(document, own_url);
    let url =
        web_url(urls, notes).map(|url| resolve(&links_from, &url)).unwrap_or_else(|| own_url.to_string());

    let title = headline
        .or_else(|| meta.first("og:title").map(without_markup))
        .or_else(|| root.and_then(|root| first_named(root, "h1")).map(html::one_line))
        .or(document_title)
        .filter(|t| !t.is_empty())
        .unwrap_or_default();

    let date = [linked.date_published, meta.first("article:published_time")]
        .into_iter()
        .flatten()
        .chain(time_datetimes(document, root))
        .map(|d| d.trim().to_string())
        .find(|d| parse_day(d).is_some());

    let mut tags = linked.keywords;
    if tags.is_empty() {
        for tag in meta.all("article:tag") {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }

    let recommend = match meta.first("alike:recommend") {
        None => true,
        Some(flag) => crate::article::parse_flag(&flag)
            .ok_or_else(|| format!("its alike:recommend meta tag says {flag:?}; use true or false"))?,
    };
    let related = meta.all("alike:related").map(|related| resolve(&links_from, &related)).collect();
    let article = Article {
        url,
        title,
        body,
        date,
        section: linked.section.or_else(|| meta.first("article:section")),
        image: web_url(
            std::iter::once(("JSON-LD image", linked.image)).chain(
                ["og:image", "og:image:url", "og:image:secure_url", "twitter:image"]
                    .into_iter()
                    .map(|key| (key, meta.first(key))),
            ),
            notes,
        ),
        tags,
        related,
        recommend,
        language: language_of(document, linked.language),
    };
    Ok((article, page))
}

/// The page's language: JSON-LD `inLanguage`, else `<html lang>`, else
/// `<meta http-equiv="content-language">` (its first tag), as written.
fn language_of(document: &Html, linked: Option<String>) -> Option<String> {
    let nonempty = |value: &str| Some(value.trim()).filter(|v| !v.is_empty()).map(String::from);
    linked
        .and_then(|l| nonempty(&l))
        .or_else(|| document.root_element().attr("lang").and_then(nonempty))
        .or_else(|| {
            let selector = scraper::Selector::parse("meta[http-equiv]").ok()?;
            document
                .select(&selector)
                .find(|m| {
                    m.attr("http-equiv").is_some_and(|e| e.trim().eq_ignore_ascii_case("content-language"))
                })
                .and_then(|m| m.attr("content"))
                .and_then(|content| nonempty(content.split(',').next().unwrap_or_default()))
        })
}

/// The first of the named URLs that is http(s) or relative; each other
/// one met on the way is noted.
fn web_url<'a>(
    urls: impl IntoIterator<Item = (&'a str, Option<String>)>,
    notes: &mut Vec<String>,
) -> Option<String> {
    for (name, url) in urls {
        let Some(url) = url else { continue };
        if safety::is_web_url(&url) {
            return Some(url);
        }
        let shown: String = url.chars().take(60).collect();
        notes.push(format!("passed over the {name} {shown:?}: only http(s) and relative URLs are taken"));
    }
    None
}

/// A title read from text that may hold markup (a `<title>`'s text is not
/// parsed as HTML, an `og:title` is an attribute value): a `<script>` in
/// it is left out, a `<template>` it names is kept (`html::title_text`).
fn without_markup(title: String) -> String {
    if title.contains(['<', '&']) { html::title_text(&title) } else { title }
}

/// `<meta property|name=... content=...>` pairs, keys lowercased.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn of(document: &Html) -> Meta {
        let pairs = document
            .root_element()
            .descendent_elements()
            .filter(|e| e.value().name() == "meta")
            .filter_map(|e| {
                let key = e.attr("property").or_else(|| e.attr("name")).or_else(|| e.attr("itemprop"))?;
                let content = crate::text::collapse(e.attr("content")?);
                (!content.is_empty()).then(|| (key.trim().to_ascii_lowercase(), content))
            })
            .collect();
        Meta(pairs)
    }

    fn first(&self, key: &str) -> Option<String> {
        self.all(key).next()
    }

    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = String> + 'a {
        self.0.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone())
    }
}

fn canonical(document: &Html) -> Option<String> {
    document
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().name() == "link")
        .filter(|e| {
            e.attr("rel")
                .is_some_and(|rel| rel.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")))
        })
        .find_map(|e| e.attr("href").map(str::trim).filter(|href| !href.is_empty()).map(String::from))
}

fn first_named<'a>(root: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    root.descendent_elements().find(|e| e.value().name() == name)
}

/// Dates of `<time datetime>` elements and of other elements marked as the
/// publication date: the marked ones first, then those in the article,
/// then the rest of the page's.
fn time_datetimes(document: &Html, root: Option<ElementRef<'_>>) -> Vec<String> {
    // Marked as the publication date: HTML's old `pubdate`, microdata's
    // `itemprop=datePublished` (often a <meta> or <span> with `content`),
    // and the microformats' `published` / `dt-published` class (hAtom's
    // `<abbr class="published" title="2004-05-05T00:00:00">`, as Pelican
    // writes it).
    let times = |scope: ElementRef<'_>| -> Vec<(bool, String)> {
        scope
            .descendent_elements()
            .filter_map(|e| {
                let published = e.attr("pubdate").is_some()
                    || e.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                    || e.value().classes().any(|c| c == "published" || c == "dt-published");
                let date = match e.value().name() {
                    "time" => e.attr("datetime"),
                    _ if published => {
                        ["datetime", "content", "title", "value"].iter().find_map(|a| e.attr(a))
                    }
                    _ => None,
                };
                date.map(|d| (published, d.to_string()))
            })
            .collect()
    };
    let all = times(document.root_element());
    let in_article = root.map(times).unwrap_or_default();
    let marked = all.iter().filter(|(published, _)| *published);
    marked.chain(&in_article).chain(&all).map(|(_, d)| d.clone()).collect()
}

/// What the page's relative links resolve against: the path of its first
/// `<base href>` (itself resolved against the page; of a URL on any host, as
/// `served.rs` reads it: `https://user.github.io/blog/` is `/blog/`), else
/// the page's own URL.
fn link_base(document: &Html, own_url: &str) -> String {
    let href = document
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().name() == "base")
        .find_map(|e| e.attr("href"))
        .map(|href| href.trim().split(['?', '#']).next().unwrap_or(""))
        .filter(|href| !href.is_empty());
    let Some(href) = href else {
        return own_url.to_string();
    };
    let after_host = |rest: &str| rest.find('/').map_or("/", |start| &rest[start..]).to_string();
    match href.split_once("://") {
        Some((_, rest)) => after_host(rest),
        None => match href.strip_prefix("//") {
            Some(rest) => after_host(rest),
            None => resolve(own_url, href),
        },
    }
}

/// A link as written in the page, made site-relative or absolute: `001.html`
/// on `/business/` is `/business/001.html`.
pub(super) fn resolve(base: &str, href: &str) -> String {
    let href = href.trim();
    if href.starts_with('/') || href.contains("://") {
        return href.to_string();
    }
    let directory = &base[..base.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = directory.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let trailing = if href.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn article(text: &str, own_url: &str) -> Result<Article, String> {
        let document = Html::parse_document(text);
        let linked = jsonld::read(&document).article.unwrap_or_default();
        read_article(&document, linked, own_url, &mut Vec::new()).map(|(article, _)| article)
    }

    #[test]
    fn json_ld_comes_first() {
        let article = article(
            r#"<html><head><title>Wrong | Site</title>
            <meta property="og:title" content="Also wrong"><meta property="og:image" content="/og.jpg">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Fish &amp; chips","articleBody":"Para one.\n\nPara two.",
              "datePublished":"2005-03-01","articleSection":"Food","keywords":["fish","chips"],"image":"/ld.jpg"}</script>
            </head><body><article><p>Page text</p></article></body></html>"#,
            "/food/1.html",
        )
        .unwrap();
        assert_eq!(
            article,
            Article {
                url: "/food/1.html".into(),
                title: "Fish & chips".into(),
                body: "Para one.\n\nPara two.".into(),
                date: Some("2005-03-01".into()),
                section: Some("Food".into()),
                image: Some("/ld.jpg".into()),
                tags: vec!["fish".into(), "chips".into()],
                ..Article::default()
            }
        );
    }

    #[test]
    fn open_graph_and_markup_fill_in() {
        let article = article(
            r#"<html><head><title>Page title | Site</title><link rel="canonical" href="https://news.example.com/a/b">
            <meta property="og:url" content="https://news.example.com/og">
            <meta property="og:title" content="OG title"><meta property="og:image" content="https://img.example.com/1.jpg">
            <meta property="article:published_time" content="2005-03-02T09:00:00+01:00">
            <meta property="article:section" content="Business">
            <meta property="article:tag" content="rates"><meta property="article:tag" content="banks"><meta property="article:tag" content="rates">
            </head><body><article><h1>H1 title</h1><p>Text.</p></article></body></html>"#,
            "/x.html",
        )
        .unwrap();
        assert_eq!(article.url, "https://news.example.com/a/b");
        assert_eq!(article.title, "OG title");
        assert_eq!(article.body, "Text.");
        assert_eq!(article.date.as_deref(), Some("2005-03-02T09:00:00+01:00"));
        assert_eq!(article.section.as_deref(), Some("Business"));
        assert_eq!(article.image.as_deref(), Some("https://img.example.com/1.jpg"));
        assert_eq!(article.tags, ["rates", "banks"]);
    }

    #[test]
    fn bare_pages_use_h1_title_time_and_their_own_url() {
        let article = article(
            r#"<html><head><title>Page title | Site</title></head><body><time datetime="10:00">10am</time>
            <article><h1> The  headline </h1><p>By X, <time datetime="2005-03-03">3 March</time></p><p>Text.</p></article></body></html>"#,
            "/business/7.html",
        )
        .unwrap();
        assert_eq!(article.url, "/business/7.html");
        assert_eq!(article.title, "The headline");
        assert_eq!(article.date.as_deref(), Some("2005-03-03"));
        assert_eq!(article.section, None);
        let article = self::article("<title>Only a title</title><p>Text.</p>", "/t.html").unwrap();
        assert_eq!(article.title, "Only a title");
    }

    #[test]
    fn a_marked_publication_time_wins() {
        let article = article(
            r#"<article><p>Updated <time datetime="2005-04-01">1 April</time></p><p>Published <time itemprop="datePublished" datetime="2005-03-01">1 March</time></p></article>"#,
            "/a",
        )
        .unwrap();
        assert_eq!(article.date.as_deref(), Some("2005-03-01"));
    }

    #[test]
    fn a_publication_date_marked_by_microformat_or_microdata_is_read_off_any_element() {
        let story = "<p>The story, long enough to be read as the article's text here.</p>";
        for marked in [
            r#"<abbr class="published" title="2004-05-05T00:00:00+00:00">Wed 05 May 2004</abbr>"#,
            r#"<data class="dt-published" value="2004-05-05">5 May</data>"#,
            r#"<meta itemprop="datePublished" content="2004-05-05">"#,
            r#"<span class="entry-date published" datetime="2004-05-05">5 May</span>"#,
        ] {
            let page = format!(
                r#"<article>{story}<footer>{marked} <time datetime="2009-01-01">edited</time></footer></article>"#
            );
            assert_eq!(
                article(&page, "/a").unwrap().date.as_deref().map(|d| &d[..10]),
                Some("2004-05-05"),
                "{marked}"
            );
        }
        // An element that is not marked gives no date by its title.
        let page = format!(r#"<article>{story}<abbr title="2004-05-05">then</abbr></article>"#);
        assert_eq!(article(&page, "/a").unwrap().date, None);
    }

    #[test]
    fn pages_without_text_are_bad_records() {
        let error = read(
            Path::new("site/about.html"),
            b"<html><body><nav><a href=/>Home</a></nav></body></html>",
            "/about.html",
            Take::Any,
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "site/about.html: has no article text");
        let error =
            read(Path::new("site/old.html"), b"<meta charset=utf-8><p>caf\xE9</p>", "/old.html", Take::Any)
                .unwrap_err();
        assert!(error.to_string().starts_with("site/old.html: is not UTF-8 text"), "{error}");
    }

    #[test]
    fn editorial_meta_tags_are_read() {
        let page = r#"<html><head><title>A</title>
            <meta name="alike:related" content="../sport/1.html">
            <meta name="alike:related" content="https://news.example.com/business/2.html">
            <meta name="alike:recommend" content="false"></head><body><p>Text.</p></body></html>"#;
        let read = article(page, "/business/7.html").unwrap();
        assert_eq!(read.related, ["/sport/1.html", "https://news.example.com/business/2.html"]);
        assert!(!read.recommend);
        let plain = article("<title>B</title><p>Text.</p>", "/b.html").unwrap();
        assert!(plain.related.is_empty() && plain.recommend);
        let bad = article(r#"<meta name="alike:recommend" content="never"><p>Text.</p>"#, "/c.html");
        assert!(bad.unwrap_err().contains("alike:recommend"));
    }

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(resolve("/business/7.html", "8.html"), "/business/8.html");
        assert_eq!(resolve("/business/7.html", "../sport/1.html"), "/sport/1.html");
        assert_eq!(resolve("/business/", "./story/"), "/business/story/");
        assert_eq!(resolve("/b/7.html", "https://x.example/a"), "https://x.example/a");
        assert_eq!(resolve("/b/7.html", "/a"), "/a");
    }

    #[test]
    fn relative_links_resolve_against_the_base_href() {
        let base =
            |head: &str| link_base(&Html::parse_document(&format!("<head>{head}</head>")), "/news/7.html");
        assert_eq!(base(""), "/news/7.html");
        assert_eq!(base(r#"<base target="_blank">"#), "/news/7.html");
        assert_eq!(base(r#"<base target="_top"><base href="/blog/">"#), "/blog/");
        assert_eq!(base(r#"<base href="https://user.github.io/blog/?x#y">"#), "/blog/");
        assert_eq!(base(r#"<base href="//cdn.example">"#), "/");
        assert_eq!(base(r#"<base href="../story/">"#), "/story/");
        assert_eq!(resolve(&base(r#"<base href="/blog/">"#), "posts/a/"), "/blog/posts/a/");
    }

    #[test]
    fn pages_named_on_the_command_line_use_their_path() {
        assert_eq!(file_url(Path::new("business/001.html")), "/business/001.html");
        assert_eq!(file_url(Path::new("./business/index.html")), "/business/");
    }
}
