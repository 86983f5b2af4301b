//! A Ghost export (Settings → Advanced → Import/Export → Export content):
//! one JSON document, `{"db": [{"meta": {…}, "data": {"posts": […],
//! "tags": […], "posts_tags": […], "settings": […]}}]}`. Each published,
//! public post is one article:
//!
//! - url: `/{slug}/`, where Ghost's default routes serve it (the export
//!   does not hold the site's address; `--base-url` does not apply, as to
//!   any input but a folder);
//! - title; body: `html`, read as HTML; date: `published_at`;
//! - section: the primary tag (the first by `sort_order`), tags: all of
//!   them but internal tags (`#newsletter`, which readers never see);
//! - image: `feature_image`, with Ghost's placeholder for its own address,
//!   `__GHOST_URL__`, as the site's root;
//! - language: the site's `locale` setting.
//!
//! Pages, drafts, scheduled posts and posts for members only are passed
//! over, saying why: a members' post's text would be published in the
//! index's snippets and terms.
//!
//! Exports of Ghost 0.x and 1.x (still what old blogs hold, and the import
//! format migration tools write) differ: ids are numbers, a page is
//! `"page": 1` (or `true`) rather than `"type": "page"`, the picture is
//! `image` in 0.x, and dates are milliseconds since 1970.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{InputError, Location, Record};
use crate::Article;

/// Whether a JSON document's first bytes are a Ghost export's.
pub fn is_ghost(head: &str) -> bool {
    head.contains("\"db\"") && head.contains("\"exported_on\"")
}

/// One record per post; the outer error is for a file that is not a Ghost
/// export.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Result<Record, InputError>>, InputError> {
    let not_ghost = |why: String| {
        InputError::new(Location::file(path), format!("is not a Ghost export that can be read: {why}"))
    };
    let document: Value = serde_json::from_slice(bytes).map_err(|e| not_ghost(e.to_string()))?;
    let data = &document["db"][0]["data"];
    let posts = data["posts"].as_array().ok_or_else(|| not_ghost("it has no db[0].data.posts".into()))?;
    let tags: HashMap<String, &str> = array(&data["tags"])
        .filter(|tag| tag["visibility"].as_str() != Some("internal"))
        .filter_map(|tag| Some((id(&tag["id"])?, tag["name"].as_str()?)))
        .filter(|(_, name)| !name.starts_with('#'))
        .collect();
    let mut post_tags: HashMap<String, Vec<(i64, &str)>> = HashMap::new();
    for link in array(&data["posts_tags"]) {
        if let (Some(post), Some(name)) =
            (id(&link["post_id"]), id(&link["tag_id"]).and_then(|t| tags.get(&t)))
        {
            post_tags.entry(post).or_default().push((link["sort_order"].as_i64().unwrap_or(0), name));
        }
    }
    let locale = array(&data["settings"])
        .find(|setting| setting["key"].as_str() == Some("locale"))
        .and_then(|setting| setting["value"].as_str())
        .filter(|locale| !locale.is_empty())
        .map(String::from);
    Ok(posts
        .iter()
        .enumerate()
        .map(|(number, post)| {
            let location = Location::at(path, format!("post {}", number + 1));
            if let Some(why) = why_not_an_article(post) {
                return Err(InputError::not_an_article(location, why));
            }
            let mut tags = id(&post["id"]).and_then(|post| post_tags.remove(&post)).unwrap_or_default();
            tags.sort_by_key(|(order, _)| *order);
            let tags: Vec<String> = tags.into_iter().map(|(_, name)| crate::text::collapse(name)).collect();
            let article =
                article(post, tags, locale.clone()).map_err(|why| InputError::new(location.clone(), why))?;
            Ok(Record { article, location })
        })
        .collect())
}

/// An id as the export writes it: a string (Ghost 2 on), a number before.
fn id(value: &Value) -> Option<String> {
    match value {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().map(Vec::as_slice).unwrap_or_default().iter()
}

/// Why a post is not a public article, if it is not.
fn why_not_an_article(post: &Value) -> Option<String> {
    let field = |name: &str| post[name].as_str().unwrap_or_default();
    if !matches!(field("type"), "" | "post") {
        return Some(format!("a Ghost {}", field("type")));
    }
    // Ghost 0.x and 1.x: a flag, 1 or true.
    if post["page"].as_bool() == Some(true) || post["page"].as_i64() == Some(1) {
        return Some("a Ghost page".into());
    }
    if field("status") != "published" {
        return Some(format!("not published (its status is {})", field("status")));
    }
    if !matches!(field("visibility"), "" | "public") {
        let why = "its text would be published in the index";
        return Some(format!("for members only (its visibility is {}: {why})", field("visibility")));
    }
    None
}

fn article(post: &Value, tags: Vec<String>, language: Option<String>) -> Result<Article, String> {
    let text = |name: &str| post[name].as_str().map(str::trim).filter(|s| !s.is_empty());
    let slug = text("slug").ok_or("has no \"slug\", which is its URL")?;
    let html = text("html").unwrap_or_default().replace("__GHOST_URL__", "");
    Ok(Article {
        url: format!("/{slug}/"),
        title: super::html_text(text("title").unwrap_or_default()),
        body: super::html_text(&html),
        date: published(&post["published_at"]),
        section: tags.first().cloned(),
        image: text("feature_image")
            .or_else(|| text("image"))
            .map(|image| image.replace("__GHOST_URL__", "")),
        tags,
        related: Vec::new(),
        recommend: true,
        language,
    })
}

/// A post's date: ISO 8601 (Ghost 1 on), or milliseconds since 1970 (0.x).
/// A text that is neither is kept as it is, for the date reader to judge.
fn published(value: &Value) -> Option<String> {
    if let Some(ms) = value.as_i64() {
        return chrono::DateTime::from_timestamp_millis(ms).map(super::feed::iso_date);
    }
    let date = value.as_str().map(str::trim).filter(|s| !s.is_empty())?;
    Some(match chrono::DateTime::parse_from_rfc3339(date) {
        Ok(date) => super::feed::iso_date(date.to_utc()),
        Err(_) => date.to_string(),
    })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_ghost_export_is_the_outer_error() {
        let error = parse(Path::new("g.json"), br#"{"db": [{"meta": {"exported_on": 1}}]}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "g.json: is not a Ghost export that can be read: it has no db[0].data.posts"
        );
        let post = r#"{"db": [{"meta": {"exported_on": 1}, "data": {"posts": [{"title": "T", "status": "published", "html": "<p>x</p>"}]}}]}"#;
        let records = parse(Path::new("g.json"), post.as_bytes()).unwrap();
        let error = records[0].as_ref().unwrap_err();
        assert_eq!(error.to_string(), "g.json post 1: has no \"slug\", which is its URL");
        assert!(is_ghost(
            r#"{"db":[{"meta":{"exported_on":1706000000000,"version":"5.75.2"},"data":{"posts":["#
        ));
        assert!(!is_ghost(r#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#));
    }

    #[test]
    fn a_ghost_0x_export_has_number_ids_a_page_flag_an_image_and_dates_in_milliseconds() {
        let export = r#"{"db": [{"meta": {"exported_on": 1399905282000, "version": "003"}, "data": {
            "posts": [
                {"id": 1, "title": "Welcome", "slug": "welcome", "html": "<p>A post.</p>", "image": "/content/images/a.jpg",
                 "page": 0, "status": "published", "published_at": 1399905282000},
                {"id": 2, "title": "About", "slug": "about", "html": "<p>Us.</p>", "page": 1, "status": "published"},
                {"id": 3, "title": "Contact", "slug": "contact", "html": "<p>Mail.</p>", "page": true, "status": "published"}
            ],
            "tags": [{"id": 7, "name": "News"}, {"id": 8, "name": "Getting Started"}],
            "posts_tags": [{"post_id": 1, "tag_id": 8, "sort_order": 1}, {"post_id": 1, "tag_id": 7, "sort_order": 0}]}}]}"#;
        let records = parse(Path::new("g.json"), export.as_bytes()).unwrap();
        let post = &records[0].as_ref().unwrap().article;
        assert_eq!(post.url, "/welcome/");
        assert_eq!(post.date.as_deref(), Some("2014-05-12T14:34:42Z"));
        assert_eq!(post.image.as_deref(), Some("/content/images/a.jpg"));
        assert_eq!(post.tags, ["News", "Getting Started"]);
        assert_eq!(post.section.as_deref(), Some("News"));
        for page in &records[1..] {
            assert!(
                page.as_ref().unwrap_err().to_string().ends_with("a Ghost page"),
                "{:?}",
                page.as_ref().err()
            );
        }
    }
}
