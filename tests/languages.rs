#![cfg(not(target_arch = "wasm32"))]
//! Several languages in one index, through the real `alike` binary, on
//! `tests/fixtures/languages/articles.jsonl`: English (some with no
//! `language`, the index's default), French and Japanese articles on the
//! same two stories (a football derby, a central bank's rates). Each
//! article is read in its own language; a page gets links in its language
//! on both paths and in every layout, unless `--languages any`; and the
//! widget the CLI writes carries the stemmers the index needs.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{Run, alike, ok};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages/articles.jsonl")
}

fn fixture_lines() -> Vec<Value> {
    std::fs::read_to_string(fixture())
        .expect("the fixture")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect()
}

/// The fixture's language of a URL: its first path segment.
fn language_of(url: &str) -> &str {
    url.trim_start_matches('/').split('/').next().expect("a path")
}

/// `alike query`'s answers: (query URL, result URLs), in input order.
fn answers(run: &Run) -> Vec<(String, Vec<String>)> {
    run.stdout
        .lines()
        .map(|line| {
            let line: Value = serde_json::from_str(line).expect("JSON");
            let urls = line["related"]
                .as_array()
                .expect("related")
                .iter()
                .map(|r| r["url"].as_str().expect("url").to_string())
                .collect();
            (line["url"].as_str().expect("url").to_string(), urls)
        })
        .collect()
}

fn index(dir: &Path, layout: &str) -> String {
    let out = format!("{layout}/index.json");
    let fixture = fixture();
    ok(dir, &["index", fixture.to_str().expect("UTF-8 path"), "--layout", layout, "--out", &out]);
    out
}

fn query(dir: &Path, index: &str, input: &Path, flags: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut args = vec!["query", "--index", index, "--k", "5"];
    args.extend(flags);
    args.push(input.to_str().expect("UTF-8 path"));
    answers(&ok(dir, &args))
}

#[test]
fn each_page_gets_links_in_its_own_language_in_every_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    for layout in ["single", "clusters"] {
        let index = index(dir.path(), layout);
        let answers = query(dir.path(), &index, &fixture(), &[]);
        assert_eq!(answers.len(), fixture_lines().len());
        for (url, related) in &answers {
            let language = language_of(url);
            // Every story has three more articles in English and French, one in Japanese.
            let least = if language == "ja" { 1 } else { 3 };
            assert!(related.len() >= least, "{layout}: {url} got {related:?}");
            assert!(related.iter().all(|r| language_of(r) == language), "{layout}: {url} got {related:?}");
        }
        // The same story leads, in each language.
        let first = |url: &str| answers.iter().find(|a| a.0 == url).expect("answered").1[0].clone();
        assert_eq!(language_of(&first("/fr/sport/1.html")), "fr");
        assert!(first("/fr/sport/1.html").starts_with("/fr/sport/"), "{layout}");
        assert!(first("/en/business/1.html").starts_with("/en/business/"), "{layout}");
        assert!(first("/ja/keizai/1.html").starts_with("/ja/keizai/"), "{layout}");
    }
}

#[test]
fn languages_any_mixes_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = index(dir.path(), "single");
    let answers = query(dir.path(), &index, &fixture(), &["--languages", "any"]);
    let mixed = |url: &str| {
        let related = &answers.iter().find(|a| a.0 == url).expect("answered").1;
        related.iter().any(|r| language_of(r) != language_of(url))
    };
    // The derby story shares its names (Mbappé, Real Madrid, Bernabeu) across English and French.
    assert!(mixed("/en/sport/1.html"), "{answers:?}");
    assert!(mixed("/fr/sport/1.html"), "{answers:?}");
    let bad = alike(
        dir.path(),
        &["query", "--index", &index, "--languages", "some", fixture().to_str().expect("UTF-8")],
    );
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("--languages"), "{}", bad.stderr);
}

#[test]
fn the_page_language_decides_the_stemmer_and_the_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = index(dir.path(), "single");
    // A French text not in the index, with no language of its own: the
    // index's default (English) reads it and answers in English; said to be
    // French (a BCP 47 tag with a region), it gets French links.
    let page = dir.path().join("page.jsonl");
    let text = "L'attaquant du Real Madrid a marqué un penalty et l'entraîneur a salué ses défenseurs avant le match de coupe.";
    std::fs::write(
        &page,
        serde_json::json!({"url": "/new.html", "title": "Le derby", "body": text}).to_string(),
    )
    .expect("write");
    let default = &query(dir.path(), &index, &page, &[])[0].1;
    assert!(default.iter().all(|r| language_of(r) == "en"), "{default:?}");
    let french = &query(dir.path(), &index, &page, &["--language", "fr-CA"])[0].1;
    let all_french = |related: &[String]| {
        !related.is_empty()
            && related[0].starts_with("/fr/sport/")
            && related.iter().all(|r| language_of(r) == "fr")
    };
    assert!(all_french(french), "{french:?}");

    // --explain reads the words in the same language.
    let run = ok(
        dir.path(),
        &["query", "--index", &index, "--language", "fr-CA", "--explain", page.to_str().expect("UTF-8")],
    );
    let line: Value = serde_json::from_str(run.stdout.lines().next().expect("a line")).expect("JSON");
    for why in line["why"].as_array().expect("why") {
        let words: Vec<&str> =
            why["terms"].as_array().expect("terms").iter().map(|t| t[0].as_str().expect("word")).collect();
        assert!(
            !words.is_empty()
                && words.iter().all(|w| format!("le derby {}", text.to_lowercase()).contains(w)),
            "{words:?}"
        );
    }

    // An HTML page says its language with <html lang>.
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        format!(
            "<!doctype html><html lang=\"fr-FR\"><head><title>Le derby</title></head>\
             <body><article><h1>Le derby</h1><p>{text}</p><p>{text}</p></article></body></html>"
        ),
    )
    .expect("write");
    let from_html = &query(dir.path(), &index, &html, &[])[0].1;
    assert!(all_french(from_html), "{from_html:?}");
    // JSON-LD inLanguage wins over <html lang>.
    let linked = std::fs::read_to_string(&html).expect("read").replace(
        "<title>",
        r#"<script type="application/ld+json">{"@type":"NewsArticle","inLanguage":"en"}</script><title>"#,
    );
    std::fs::write(&html, linked).expect("write");
    let from_linked = &query(dir.path(), &index, &html, &[])[0].1;
    assert!(from_linked.iter().all(|r| language_of(r) == "en"), "{from_linked:?}");
}

#[test]
fn feeds_unknown_tags_and_the_index_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An RSS feed in French (its channel's <language>), an article in a
    // language alike does not know, and the fixture.
    let feed = dir.path().join("feed.rss");
    std::fs::write(
        &feed,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Sport</title><link>https://example.com/</link>\
         <language>fr-fr</language><description>d</description>\
         <item><title>Mbappé et le Real Madrid</title><link>https://example.com/fr/sport/9.html</link>\
         <description>L'attaquant du Real Madrid a marqué deux buts dans le derby.</description></item>\
         </channel></rss>",
    )
    .expect("write");
    let odd = dir.path().join("odd.jsonl");
    std::fs::write(
        &odd,
        r#"{"url": "/tlh/1.html", "title": "Derby", "body": "Real Madrid derby", "language": "tlh"}"#,
    )
    .expect("write");
    let fixture = fixture();
    let run = ok(
        dir.path(),
        &[
            "index",
            fixture.to_str().expect("UTF-8"),
            "feed.rss",
            "odd.jsonl",
            "--out",
            "i/index.json",
            "--layout",
            "single",
        ],
    );
    assert!(
        run.stderr.contains(
            "warning: article /tlh/1.html: language \"tlh\" is not one alike knows; indexed as english"
        ),
        "{}",
        run.stderr
    );
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("i/index.json")).expect("read"))
            .expect("JSON");
    assert_eq!(index["language"], "english");
    let names: Vec<&str> = index["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .map(|l| l[0].as_str().expect("name"))
        .collect();
    // Each other language: its name, then its stop words.
    assert_eq!(names, ["french", "japanese"]);
    let french = index["languages"][0].as_array().expect("a list");
    assert!(french[1..].iter().any(|w| w == "les"), "French stop words travel");
    assert_eq!(index["languages"][1].as_array().expect("a list").len(), 1, "Japanese needs no stop words");
    let urls = index["articles"]["url"].as_array().expect("urls");
    let column = index["articles"]["language"].as_array().expect("the language column");
    assert_eq!(urls.len(), column.len());
    for (url, language) in urls.iter().zip(column) {
        let url = url.as_str().expect("url");
        let expected = match language_of(url.trim_start_matches("https://example.com")) {
            "fr" => Value::from("french"),
            "ja" => Value::from("japanese"),
            _ => Value::Null,
        };
        assert_eq!(language, &expected, "{url}");
    }
}

#[test]
fn an_index_in_one_language_has_no_language_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let english: Vec<String> = fixture_lines()
        .into_iter()
        .filter(|a| language_of(a["url"].as_str().expect("url")) == "en")
        .map(|a| a.to_string())
        .collect();
    std::fs::write(dir.path().join("en.jsonl"), english.join("\n")).expect("write");
    ok(dir.path(), &["index", "en.jsonl", "--out", "en/index.json"]);
    let text = std::fs::read_to_string(dir.path().join("en/index.json")).expect("read");
    let index: Value = serde_json::from_str(&text).expect("JSON");
    assert!(index.get("languages").is_none() && index["articles"].get("language").is_none(), "{text}");
}

#[test]
fn the_widget_carries_the_stemmers_the_index_needs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english = std::fs::read(root.join("www/dist/pkg/alike_bg.wasm")).expect("the English engine");
    let every =
        std::fs::read(root.join("www/dist/all-languages/alike_bg.wasm")).expect("the all-languages engine");
    assert_ne!(english, every);
    let lines = fixture_lines();
    let write = |name: &str, keep: &dyn Fn(&str) -> bool| {
        let kept: Vec<String> = lines
            .iter()
            .filter(|a| keep(language_of(a["url"].as_str().expect("url"))))
            .map(|a| a.to_string())
            .collect();
        std::fs::write(dir.path().join(name), kept.join("\n")).expect("write");
    };
    // English and Japanese (no stemmer): the English engine.
    write("en-ja.jsonl", &|l| l != "fr");
    let run = ok(dir.path(), &["index", "en-ja.jsonl", "--out", "a/index.json"]);
    assert!(!run.stderr.contains("every stemmer"), "{}", run.stderr);
    assert!(std::fs::read(dir.path().join("a/pkg/alike_bg.wasm")).expect("engine") == english);
    // With French: the engine with every stemmer, and back again on a rebuild without.
    let run = ok(dir.path(), &["index", fixture().to_str().expect("UTF-8"), "--out", "a/index.json"]);
    assert!(run.stderr.contains("every stemmer"), "{}", run.stderr);
    assert!(std::fs::read(dir.path().join("a/pkg/alike_bg.wasm")).expect("engine") == every);
    ok(dir.path(), &["index", "en-ja.jsonl", "--out", "a/index.json"]);
    assert!(std::fs::read(dir.path().join("a/pkg/alike_bg.wasm")).expect("engine") == english);
    // French alone, as the default language: the English engine cannot stem it.
    write("fr.jsonl", &|l| l == "fr");
    ok(dir.path(), &["index", "fr.jsonl", "--language", "french", "--out", "b/index.json"]);
    assert!(std::fs::read(dir.path().join("b/pkg/alike_bg.wasm")).expect("engine") == every);
}
