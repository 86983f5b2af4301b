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
    let tags: HashMap<&str, &str> = array(&data["tags"])
        .filter(|tag| tag["visibility"].as_str() != Some("internal"))
        .filter_map(|tag| Some((tag["id"].as_str()?, tag["name"].as_str()?)))
        .filter(|(_, name)| !name.starts_with('#'))
        .collect();
    let mut post_tags: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
    for link in array(&data["posts_tags"]) {
        if let (Some(post), Some(name)) =
            (link["post_id"].as_str(), link["tag_id"].as_str().and_then(|t| tags.get(t)))
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
            let mut tags = post_tags.remove(post["id"].as_str().unwrap_or_default()).unwrap_or_default();
            tags.sort_by_key(|(order, _)| *order);
            let tags: Vec<String> = tags.into_iter().map(|(_, name)| crate::text::collapse(name)).collect();
            let article =
                article(post, tags, locale.clone()).map_err(|why| InputError::new(location.clone(), why))?;
            Ok(Record { article, location })
        })
        .collect())
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
        date: text("published_at").map(|date| match chrono::DateTime::parse_from_rfc3339(date) {
            Ok(date) => super::feed::iso_date(date.to_utc()),
            Err(_) => date.to_string(),
        }),
        section: tags.first().cloned(),
        image: text("feature_image").map(|image| image.replace("__GHOST_URL__", "")),
        tags,
        related: Vec::new(),
        recommend: true,
        language,
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
}
