//! The article a page describes in its JSON-LD (schema.org `NewsArticle`
//! and kin), which news CMSs write for search engines and which is the
//! page's most reliable metadata when present.

use scraper::Html;
use serde_json::Value;

/// What alike uses of a schema.org article. Text fields are as written,
/// apart from surrounding whitespace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkedArticle {
    pub headline: Option<String>,
    pub body: Option<String>,
    pub date_published: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    pub section: Option<String>,
    pub keywords: Vec<String>,
    /// `inLanguage`, as written (a BCP 47 tag, or a `Language` node's name).
    pub language: Option<String>,
}

/// What the page's JSON-LD says, from one parse of each script.
#[derive(Debug, Default)]
pub struct LinkedData {
    /// The first article node, looking inside arrays, `@graph` and other
    /// nodes (`mainEntity`).
    pub article: Option<LinkedArticle>,
    /// The `@type`s of the top-level nodes (and of their `@graph`s): what
    /// the page says it is.
    pub types: Vec<String>,
}

/// Reads the page's `application/ld+json` scripts. Scripts that are not
/// valid JSON are passed over: sites ship broken JSON-LD often enough, and
/// the page has other metadata.
pub fn read(document: &Html) -> LinkedData {
    let mut data = LinkedData::default();
    for value in scripts(document) {
        if data.article.is_none() {
            data.article = find_article(&value, 0).map(linked_article);
        }
        let nodes: Vec<&Value> = match &value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(node) => match node.get("@graph") {
                Some(Value::Array(graph)) => graph.iter().chain(std::iter::once(&value)).collect(),
                _ => vec![&value],
            },
            _ => Vec::new(),
        };
        for node in nodes {
            if let Value::Object(node) = node {
                data.types.extend(strings(node.get("@type")));
            }
        }
    }
    data
}

/// The parsed JSON of every `application/ld+json` script in the page.
fn scripts(document: &Html) -> impl Iterator<Item = Value> + '_ {
    document
        .root_element()
        .descendent_elements()
        .filter(|e| {
            e.value().name() == "script"
                && e.attr("type")
                    .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("application/ld+json"))
        })
        .filter_map(|script| parse(&script.text().collect::<String>()))
}

/// Parses a script's JSON, tolerating the HTML comment or CDATA wrapper
/// old templates put around it and raw line breaks inside strings.
fn parse(script: &str) -> Option<Value> {
    let mut text = script.trim();
    for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.trim_end().strip_suffix(close)) {
            text = inner.trim();
        }
    }
    let text = text.replace(['\n', '\r', '\t'], " ");
    serde_json::from_str(&text).ok()
}

/// Nodes nest a few levels at most; a limit keeps hostile input shallow.
const MAX_DEPTH: usize = 32;

fn find_article(value: &Value, depth: usize) -> Option<&serde_json::Map<String, Value>> {
    if depth > MAX_DEPTH {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|item| find_article(item, depth + 1)),
        Value::Object(node) if is_article(node) => Some(node),
        Value::Object(node) => node.values().find_map(|child| find_article(child, depth + 1)),
        _ => None,
    }
}

/// `NewsArticle`, `Article`, `BlogPosting`, `ReportageNewsArticle` and the
/// rest of schema.org's article types, however the type is prefixed.
fn is_article(node: &serde_json::Map<String, Value>) -> bool {
    strings(node.get("@type")).iter().any(|kind| {
        let name = kind.rsplit(['/', ':', '#']).next().unwrap_or(kind);
        name.ends_with("Article") || name.ends_with("BlogPosting")
    })
}

fn linked_article(node: &serde_json::Map<String, Value>) -> LinkedArticle {
    let first = |keys: &[&str]| keys.iter().find_map(|key| strings(node.get(*key)).into_iter().next());
    let mut keywords = Vec::new();
    for keyword in strings(node.get("keywords")).iter().flat_map(|k| k.split(',')) {
        let keyword = keyword.trim();
        if !keyword.is_empty() && !keywords.iter().any(|k: &String| k == keyword) {
            keywords.push(keyword.to_string());
        }
    }
    LinkedArticle {
        headline: first(&["headline", "name"]),
        body: first(&["articleBody", "text"]),
        date_published: first(&["datePublished", "dateCreated"]),
        url: first(&["url", "mainEntityOfPage"]),
        image: first(&["image", "thumbnailUrl"]),
        section: first(&["articleSection"]),
        keywords,
        language: first(&["inLanguage"]).or_else(|| {
            let node = node.get("inLanguage")?.as_object()?;
            node.get("alternateName").or_else(|| node.get("name"))?.as_str().map(String::from)
        }),
    }
}

/// The non-empty strings of a value: itself, its items, or the `url`,
/// `contentUrl` or `@id` of objects (as `image` and `mainEntityOfPage`
/// are often written).
fn strings(value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
    };
    match value {
        Some(Value::String(s)) => push(s),
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => push(s),
                    Value::Object(o) => {
                        if let Some(s) = object_url(o) {
                            push(s)
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Object(o)) => {
            if let Some(s) = object_url(o) {
                push(s)
            }
        }
        _ => {}
    }
    out
}

fn object_url(object: &serde_json::Map<String, Value>) -> Option<&str> {
    ["url", "contentUrl", "@id"].iter().find_map(|key| object.get(*key).and_then(Value::as_str))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn find_in(scripts: &str) -> Option<LinkedArticle> {
        read(&Html::parse_document(&format!("<html><head>{scripts}</head><body></body></html>"))).article
    }

    #[test]
    fn reads_a_news_article() {
        let article = find_in(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"Rates held","articleBody":"The bank held rates.","datePublished":"2005-03-01T10:00:00Z",
            "url":"https://news.example.com/business/rates","image":["https://img.example.com/a.jpg"],
            "articleSection":["Business","Economy"],"keywords":"rates, banks,rates"}</script>"#,
        )
        .unwrap();
        assert_eq!(
            article,
            LinkedArticle {
                headline: Some("Rates held".into()),
                body: Some("The bank held rates.".into()),
                date_published: Some("2005-03-01T10:00:00Z".into()),
                url: Some("https://news.example.com/business/rates".into()),
                image: Some("https://img.example.com/a.jpg".into()),
                section: Some("Business".into()),
                keywords: vec!["rates".into(), "banks".into()],
                language: None,
            }
        );
    }

    #[test]
    fn finds_articles_in_graphs_arrays_and_main_entities() {
        let graph = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Site"},
            {"@type":["ReportageNewsArticle"],"headline":"In a graph","image":{"@type":"ImageObject","url":"/i.jpg"}}]}</script>"#;
        let article = find_in(graph).unwrap();
        assert_eq!(article.headline.as_deref(), Some("In a graph"));
        assert_eq!(article.image.as_deref(), Some("/i.jpg"));

        let array = r#"<script type="application/ld+json">[{"@type":"Organization","name":"Org"},{"@type":"BlogPosting","headline":"Post","keywords":["a","b"]}]</script>"#;
        assert_eq!(find_in(array).unwrap().keywords, ["a", "b"]);

        let nested = r#"<script type="application/ld+json">{"@type":"WebPage","mainEntity":{"@type":"schema:Article","headline":"Nested","mainEntityOfPage":{"@id":"https://x.example/n"}}}</script>"#;
        let article = find_in(nested).unwrap();
        assert_eq!(article.url.as_deref(), Some("https://x.example/n"));
    }

    #[test]
    fn one_read_gives_the_article_and_every_top_level_type() {
        let data = read(&Html::parse_document(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"First"}]}</script>
            <script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":"Article","headline":"Second"}]</script>"#,
        ));
        assert_eq!(data.article.unwrap().headline.as_deref(), Some("First"));
        assert_eq!(data.types, ["WebPage", "NewsArticle", "BreadcrumbList", "Article"]);
    }

    #[test]
    fn broken_scripts_are_passed_over_and_wrapped_ones_read() {
        let scripts = r#"<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
            <script type="application/ld+json"><!-- {"@type":"NewsArticle","headline":"Second
            line"} --></script>"#;
        let headline = find_in(scripts).unwrap().headline.unwrap();
        assert_eq!(headline.split_whitespace().collect::<Vec<_>>(), ["Second", "line"]);
        assert_eq!(find_in(r#"<script type="application/ld+json">{"@type":"WebSite"}</script>"#), None);
        assert_eq!(find_in(r#"<script>{"@type":"NewsArticle"}</script>"#), None);
    }
}
