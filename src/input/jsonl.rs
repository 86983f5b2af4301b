//! JSON Lines: one article a line, as `{"url": ..., "title": ..., "body": ...}`.
//! Fields alike does not know (a `label`, say) are ignored. Where `body` and
//! `html` are both absent, the text is taken from the names other exports
//! give it: `text` (plain text), then `content` (HTML, or WordPress's REST
//! shape `{"rendered": ...}`), so that an export is not indexed by its
//! titles alone without a word. A `date` is ISO 8601, or RFC 2822 as feeds
//! write dates (exports made from feeds keep them), read as feeds' are.
//!
//! WordPress's REST API (`/wp-json/wp/v2/posts`, a post a line with
//! `jq -c '.[]'`) is read as it comes: `link` is the URL when there is no
//! `url`, `title` may be `{"rendered": "HTML"}`, and tags that are numbers
//! (term ids, which name nothing) are left out.

use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;

use super::{InputError, Location, Record};
use crate::Article;

#[derive(Deserialize)]
struct Line {
    url: Option<String>,
    /// WordPress's REST name for the URL, read only without `url`.
    link: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    title: Option<Title>,
    body: Option<String>,
    html: Option<String>,
    /// Other exports' names for the text, read only without `body` and `html`.
    text: Option<String>,
    content: Option<serde_json::Value>,
    date: Option<String>,
    section: Option<String>,
    image: Option<String>,
    #[serde(default)]
    tags: Vec<serde_json::Value>,
    /// Editor's picks: URLs shown first in the article's box.
    #[serde(default)]
    related: Vec<String>,
    /// `false`: never shown in any box.
    recommend: Option<bool>,
    /// A BCP 47 tag or language name; else the index's default.
    language: Option<String>,
}

/// A title: text, or WordPress's REST shape `{"rendered": "HTML"}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Title {
    Text(String),
    Rendered { rendered: String },
}

/// The records of a JSON Lines file, read a line at a time, so that an
/// archive of any size streams through. Blank lines are skipped.
pub fn read<R: BufRead + 'static>(
    path: &Path,
    reader: R,
) -> impl Iterator<Item = Result<Record, InputError>> + use<R> {
    let path = path.to_path_buf();
    reader.split(b'\n').enumerate().filter_map(move |(number, line)| {
        let location = Location::at(&path, format!("line {}", number + 1));
        let line = match line {
            Ok(line) => line,
            Err(e) => return Some(Err(InputError::new(location, format!("cannot be read: {e}")))),
        };
        let line = match String::from_utf8(line) {
            Ok(line) => line,
            Err(e) => {
                let why = format!(
                    "is not UTF-8 text (bad byte at offset {} of the line); convert the file to UTF-8, e.g. with iconv",
                    e.utf8_error().valid_up_to()
                );
                return Some(Err(InputError::new(location, why)));
            }
        };
        (!line.trim().is_empty()).then(|| parse_line(location, &line))
    })
}

fn parse_line(location: Location, line: &str) -> Result<Record, InputError> {
    let line = line.trim_start_matches('\u{feff}');
    if let Some(found) = not_an_object(line) {
        return Err(InputError::new(location, format!("expected an object, found {found}")));
    }
    let parsed: Line =
        serde_json::from_str(line).map_err(|e| InputError::new(location.clone(), describe(&e, line)))?;
    let article = to_article(parsed, &location).map_err(|m| InputError::new(location.clone(), m))?;
    Ok(Record { article, location })
}

/// What a line holds if it is JSON but not an object. serde would read an
/// array into the fields in their order, so that `["/a", 1, "Title", ...]`
/// became an article.
fn not_an_object(line: &str) -> Option<&'static str> {
    if line.trim_start().starts_with('{') {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(line).ok()? {
        serde_json::Value::Array(_) => Some("an array"),
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::Bool(_) => Some("a boolean"),
        serde_json::Value::Null => Some("null"),
        serde_json::Value::Object(_) => None,
    }
}

fn describe(error: &serde_json::Error, line: &str) -> String {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof => format!("is not valid JSON ({error})"),
        Category::Data => match wrong_field(line) {
            Some(why) => format!("has a field of the wrong type: {why}"),
            None => format!("has a field of the wrong type ({error})"),
        },
        Category::Io => error.to_string(),
    }
}

/// Which field of a line has the wrong type, and what it is: serde's
/// message gives a column, not the field's name.
fn wrong_field(line: &str) -> Option<String> {
    use serde_json::Value;
    let Value::Object(fields) = serde_json::from_str::<Value>(line).ok()? else { return None };
    let kind = |value: &Value| match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    let texts = ["url", "link", "body", "html", "text", "date", "section", "image", "language"];
    for (name, value) in &fields {
        let expected = match name.as_str() {
            name if texts.contains(&name) => "text",
            "tags" | "related" => "a list",
            "recommend" => "a boolean",
            "title" if !value.is_object() => "text",
            _ => continue,
        };
        let fits = value.is_null()
            || match expected {
                "text" => value.is_string(),
                "a list" => {
                    value.as_array().is_some_and(|items| name == "tags" || items.iter().all(Value::is_string))
                }
                _ => value.is_boolean(),
            };
        if !fits {
            let what = if expected == "a list" { "a list of text" } else { expected };
            return Some(format!("{name:?} is {} where {what} is expected", kind(value)));
        }
    }
    None
}

fn to_article(line: Line, location: &Location) -> Result<Article, String> {
    let id = line.id.as_ref().map(|id| match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let url = line.url.or(line.link).filter(|u| !u.trim().is_empty()).ok_or_else(|| match &id {
        Some(id) => format!("article {id} has no \"url\""),
        None => "has no \"url\"".to_string(),
    })?;
    let content_html = match &line.content {
        Some(serde_json::Value::String(html)) => Some(html.as_str()),
        Some(serde_json::Value::Object(wordpress)) => wordpress.get("rendered").and_then(|r| r.as_str()),
        _ => None,
    };
    let body = match (line.body, line.html, line.text) {
        (Some(body), _, _) => body,
        (None, Some(html), _) => super::html::fragment_text_at(&html, location),
        (None, None, Some(text)) => text,
        (None, None, None) => {
            content_html.map_or_else(String::new, |html| super::html::fragment_text_at(html, location))
        }
    };
    let title = match line.title {
        Some(Title::Text(title)) => title,
        Some(Title::Rendered { rendered }) => super::html::title_text(&rendered),
        None => String::new(),
    };
    if title.trim().is_empty() && body.trim().is_empty() {
        return Err(format!("article {url} has no \"title\" and no \"body\" or \"html\""));
    }
    Ok(Article {
        url,
        title,
        body,
        date: line.date.map(date_as_feeds_give_it),
        section: line.section,
        image: line.image,
        tags: line.tags.into_iter().filter_map(|tag| tag.as_str().map(String::from)).collect(),
        related: line.related,
        recommend: line.recommend.unwrap_or(true),
        language: line.language,
    })
}

/// A date that is not ISO 8601 but RFC 2822 (`Tue, 01 Mar 2005 10:00:00
/// GMT`), as feeds write them and so exports made from feeds, made ISO 8601
/// as the feed reader makes it (in UTC). Anything else is left as it is, for
/// the article's check to refuse with its message.
fn date_as_feeds_give_it(date: String) -> String {
    if crate::parse_day(&date).is_some() {
        return date;
    }
    match chrono::DateTime::parse_from_rfc2822(date.trim()) {
        Ok(time) => super::feed::iso_date(time.to_utc()),
        Err(_) => date,
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Vec<Result<Record, InputError>> {
        read(Path::new("a.jsonl"), std::io::Cursor::new(text.as_bytes().to_vec())).collect()
    }

    #[test]
    fn reads_articles_and_ignores_unknown_fields() {
        let records = parse_str(
            "{\"url\":\"/a\",\"title\":\"T\",\"body\":\"B\",\"label\":\"x\",\"tags\":[\"t1\"],\"date\":\"2005-01-02\"}\n\n{\"url\":\"/b\",\"title\":\"U\"}\n",
        );
        assert_eq!(records.len(), 2);
        let first = records[0].as_ref().unwrap();
        assert_eq!(first.article.url, "/a");
        assert_eq!(first.article.tags, ["t1"]);
        assert_eq!(first.location.to_string(), "a.jsonl line 1");
        assert_eq!(records[1].as_ref().unwrap().location.place, "line 3");
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named() {
        let error = |line: &str| parse_str(line).remove(0).unwrap_err().message;
        assert_eq!(
            error(r#"{"url": "/a", "title": "T", "tags": "markets"}"#),
            "has a field of the wrong type: \"tags\" is text where a list of text is expected"
        );
        assert_eq!(
            error(r#"{"url": "/a", "title": "T", "related": [1, 2]}"#),
            "has a field of the wrong type: \"related\" is a list where a list of text is expected"
        );
        assert_eq!(
            error(r#"{"link": ["/a"], "title": "T"}"#),
            "has a field of the wrong type: \"link\" is a list where text is expected"
        );
        // Tags that are numbers (WordPress's term ids) are left out, not an error.
        let record =
            parse_str(r#"{"link": "/a", "title": {"rendered": "A &amp; B"}, "tags": [5, "x"]}"#).remove(0);
        let article = record.unwrap().article;
        assert_eq!(
            (article.url.as_str(), article.title.as_str(), article.tags),
            ("/a", "A & B", vec!["x".to_string()])
        );
    }

    #[test]
    fn dates_as_feeds_write_them_are_read_as_feeds_are() {
        let date_of = |date: &str| {
            let line = serde_json::json!({"url": "/a", "title": "T", "date": date}).to_string();
            parse_str(&line).remove(0).unwrap().article.date.unwrap()
        };
        assert_eq!(date_of("Tue, 01 Mar 2005 10:00:00 GMT"), "2005-03-01T10:00:00Z");
        assert_eq!(date_of("Tue, 1 Mar 2005 23:30:00 -0500"), "2005-03-02T04:30:00Z");
        assert_eq!(date_of(" 01 Mar 2005 10:00 +0000 "), "2005-03-01T10:00:00Z");
        // ISO 8601 stays as written; anything else too, for the article's
        // check to refuse with its message.
        for date in
            ["2005-03-01", "2005-03-01T10:00:00+02:00", "next tuesday", "Tue, 31 Feb 2005 10:00:00 GMT"]
        {
            assert_eq!(date_of(date), date);
        }
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let records = parse_str(
            "{\"url\":\"/a\",\"title\":\"T\"}\n{not json\n{\"title\":\"T\"}\n{\"url\":\"/c\"}\n{\"url\":5}\n",
        );
        let errors: Vec<String> =
            records.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("a.jsonl line 2: is not valid JSON"), "{}", errors[0]);
        assert!(errors[1].starts_with("a.jsonl line 3: has no \"url\""), "{}", errors[1]);
        assert!(errors[2].contains("line 4") && errors[2].contains("no \"title\""), "{}", errors[2]);
        assert!(errors[3].contains("line 5") && errors[3].contains("wrong type"), "{}", errors[3]);
    }

    #[test]
    fn lines_that_are_not_objects_are_errors() {
        let records = parse_str(
            "[\"/a\",null,\"Title\",\"Body\",null,null,null,null,[]]\n\"/b\"\n42\ntrue\nnull\n{\"url\":\"/c\",\"title\":\"T\"}\n",
        );
        let errors: Vec<String> =
            records.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
        assert_eq!(
            errors,
            [
                "a.jsonl line 1: expected an object, found an array",
                "a.jsonl line 2: expected an object, found a string",
                "a.jsonl line 3: expected an object, found a number",
                "a.jsonl line 4: expected an object, found a boolean",
                "a.jsonl line 5: expected an object, found null",
            ]
        );
        assert_eq!(records[5].as_ref().unwrap().article.url, "/c");
    }

    #[test]
    fn other_exports_names_for_the_text_are_read() {
        let records = parse_str(concat!(
            "{\"url\":\"/a\",\"title\":\"T\",\"text\":\"Plain words\"}\n",
            "{\"url\":\"/b\",\"title\":\"T\",\"content\":\"<p>Some <b>HTML</b></p>\"}\n",
            "{\"url\":\"/c\",\"title\":\"T\",\"content\":{\"rendered\":\"<p>From WordPress</p>\"}}\n",
            "{\"url\":\"/d\",\"title\":\"T\",\"body\":\"Body wins\",\"text\":\"not this\",\"content\":\"nor this\"}\n",
            "{\"url\":\"/e\",\"title\":\"T\",\"html\":\"<p>Html next</p>\",\"text\":\"not this\"}\n",
            "{\"url\":\"/f\",\"title\":\"T\",\"content\":7}\n",
        ));
        let bodies: Vec<String> =
            records.iter().map(|r| r.as_ref().unwrap().article.body.trim().to_string()).collect();
        assert_eq!(bodies, ["Plain words", "Some HTML", "From WordPress", "Body wins", "Html next", ""]);
    }

    #[test]
    fn editorial_fields_are_read() {
        let records = parse_str(
            "{\"url\":\"/a\",\"title\":\"T\",\"related\":[\"/c\",\"/b\"],\"recommend\":false}\n{\"url\":\"/b\",\"title\":\"U\"}\n{\"url\":\"/c\",\"title\":\"V\",\"recommend\":\"no\"}\n",
        );
        let a = &records[0].as_ref().unwrap().article;
        assert_eq!(
            (a.related.as_slice(), a.recommend),
            (["/c".to_string(), "/b".to_string()].as_slice(), false)
        );
        let b = &records[1].as_ref().unwrap().article;
        assert!(b.related.is_empty() && b.recommend);
        let error = records[2].as_ref().unwrap_err().to_string();
        assert!(error.contains("line 3") && error.contains("wrong type"), "{error}");
    }

    #[test]
    fn a_missing_url_names_the_id_when_there_is_one() {
        let records = parse_str("{\"id\":\"business-007\",\"title\":\"T\"}");
        let error = records[0].as_ref().unwrap_err().to_string();
        assert!(error.contains("business-007"), "{error}");
    }
}
