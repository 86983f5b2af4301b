#![cfg(target_arch = "wasm32")]
//! The browser binding in a real browser (`wasm-pack test --headless --chrome`):
//! the exported `Engine`, given JS values as the shim gives them (the index as
//! `JSON.parse` returns it, articles and options as plain objects), on a small
//! index built here with the pure-Rust `IndexBuilder`. Expected rankings come
//! from the engine's core (`Index::recommend`), so these tests check what the
//! binding adds: the conversions in and out, and errors as JS `Error`s.

use alike::{Article, BuildOptions, Engine, Index, IndexBuilder, IndexFile, QueryOptions};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// url, title, body, date, section
const ARTICLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "/business/rates.html",
        "Bank holds interest rates",
        "The central bank held interest rates at four percent as inflation eased and lending slowed.",
        "2005-03-01",
        "business",
    ),
    (
        "/business/lending.html",
        "Lending slows as rates bite",
        "Mortgage lending slowed for a third month as interest rates and inflation weighed on borrowers.",
        "2005-02-20",
        "business",
    ),
    (
        "/business/inflation.html",
        "Inflation eases again",
        "Inflation eased for the second month, giving the central bank room to hold interest rates.",
        "2004-06-15",
        "business",
    ),
    (
        "/sport/final.html",
        "Cup final goes to penalties",
        "The cup final went to penalties after extra time, and the goalkeeper saved twice in the shootout.",
        "2005-03-02",
        "sport",
    ),
    (
        "/sport/keeper.html",
        "Goalkeeper signs new deal",
        "The goalkeeper who saved two penalties in the cup final signed a new three year deal.",
        "2005-03-05",
        "sport",
    ),
    (
        "/sport/extra.html",
        "Extra time rules change",
        "Football rules on extra time and penalties will change next season, the association said.",
        "2005-01-10",
        "sport",
    ),
];

// wasm builds carry no stop-word lists (the CLI builds real indexes), so the test names its own.
const STOP_WORDS: &[&str] = &[
    "a", "after", "and", "as", "at", "for", "in", "new", "next", "of", "on", "the", "to", "two", "who",
    "will",
];

fn index_file() -> IndexFile {
    let options = BuildOptions {
        snippet_chars: 40,
        stop_words: STOP_WORDS.iter().map(|w| w.to_string()).collect(),
        ..BuildOptions::default()
    };
    let mut builder = IndexBuilder::new(options).expect("the options are valid");
    for (url, title, body, date, section) in ARTICLES {
        let article = Article {
            url: url.to_string(),
            title: title.to_string(),
            body: body.to_string(),
            date: Some(date.to_string()),
            section: Some(section.to_string()),
            image: Some(format!("/img{url}.jpg")),
            ..Article::default()
        };
        builder.add(article).expect("the test articles are valid");
    }
    builder.finish()
}

/// The index as the shim hands it over: the file's text through `JSON.parse`.
fn index_js() -> JsValue {
    js(&serde_json::to_string(&index_file()).expect("an index serialises"))
}

fn engine() -> Engine {
    Engine::new(index_js()).map_err(JsValue::from).expect("the index loads")
}

/// A JS value from JSON text, as the shim builds its arguments.
fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON is valid")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("an object")
}

fn text(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

fn recommend(engine: &Engine, article: &str, options: &str) -> Vec<JsValue> {
    let options = if options.is_empty() { JsValue::UNDEFINED } else { js(options) };
    let results = engine.recommend(js(article), options).map_err(JsValue::from).expect("a query");
    assert!(Array::is_array(&results), "results are an array");
    Array::from(&results).iter().collect()
}

fn urls(results: &[JsValue]) -> Vec<String> {
    results.iter().map(|r| text(r, "url").expect("url is a string")).collect()
}

/// What the engine's core returns for the same query, without the binding.
fn core(article: &str, options: &str) -> Vec<String> {
    let index = Index::from_file(index_file()).expect("the index loads");
    let article: Article = serde_json::from_str(article).expect("test JSON is an article");
    let options: QueryOptions = if options.is_empty() {
        QueryOptions::default()
    } else {
        serde_json::from_str(options).expect("test JSON is options")
    };
    index.recommend(&article, &options).expect("a query").into_iter().map(|r| r.url).collect()
}

/// What JS sees of a failed call: the message of the `Error` it throws.
fn message<T>(result: Result<T, JsError>) -> String {
    let error = JsValue::from(result.err().expect("the call fails"));
    assert!(error.is_instance_of::<js_sys::Error>(), "errors reach JS as Error objects: {error:?}");
    error.unchecked_into::<js_sys::Error>().message().into()
}

const RATES: &str = r#"{"url": "https://news.example/business/rates.html", "title": "Bank holds interest rates",
    "body": "The central bank held interest rates at four percent as inflation eased and lending slowed.",
    "date": "2005-03-01", "section": "business"}"#;
const FINAL: &str = r#"{"url": "/sport/final.html", "title": "Cup final goes to penalties",
    "body": "The cup final went to penalties after extra time, and the goalkeeper saved twice in the shootout.",
    "date": "2005-03-02", "section": "sport"}"#;

#[wasm_bindgen_test]
fn loads_an_index_and_reports_its_size_and_language() {
    let engine = engine();
    assert_eq!(engine.size(), ARTICLES.len());
    assert_eq!(engine.language(), "english");
}

#[wasm_bindgen_test]
fn recommends_as_the_core_does_in_plain_objects() {
    let engine = engine();
    let results = recommend(&engine, RATES, r#"{"k": 2}"#);
    assert_eq!(urls(&results), core(RATES, r#"{"k": 2}"#));
    assert_eq!(results.len(), 2);
    // The page itself is left out, though its URL is absolute and the index's relative.
    assert!(!urls(&results).contains(&"/business/rates.html".to_string()));

    let plain = Object::get_prototype_of(&Object::new().into());
    let mut previous = f64::INFINITY;
    for result in &results {
        assert_eq!(Object::get_prototype_of(result), plain, "a plain object, not a Map");
        let url = text(result, "url").expect("a url");
        let (_, title, body, date, section) =
            ARTICLES.iter().find(|a| a.0 == url).expect("an indexed article");
        assert_eq!(text(result, "title").as_deref(), Some(*title));
        assert_eq!(text(result, "date").as_deref(), Some(*date));
        assert_eq!(text(result, "section").as_deref(), Some(*section));
        assert_eq!(text(result, "image"), Some(format!("/img{url}.jpg")));
        let snippet = text(result, "snippet").expect("a snippet");
        assert!(body.starts_with(snippet.trim_end_matches('…')), "{snippet}");
        let score = get(result, "score").as_f64().expect("a numeric score");
        assert!(score > 0.0 && score <= previous, "scores are positive, best first");
        previous = score;
    }
}

#[wasm_bindgen_test]
fn default_options_exclusions_and_age_limits() {
    let engine = engine();
    let all = urls(&recommend(&engine, FINAL, ""));
    assert_eq!(all, core(FINAL, ""));
    assert!(!all.is_empty());

    let options = r#"{"k": 5, "exclude": ["https://news.example/sport/keeper.html"]}"#;
    let excluded = urls(&recommend(&engine, FINAL, options));
    assert_eq!(excluded, core(FINAL, options));
    assert!(
        all.contains(&"/sport/keeper.html".to_string())
            && !excluded.contains(&"/sport/keeper.html".to_string())
    );

    let options = r#"{"maxAgeDays": 30, "today": "2005-03-11"}"#;
    let recent = recommend(&engine, FINAL, options);
    assert_eq!(urls(&recent), core(FINAL, options));
    assert!(recent.len() < all.len(), "the limit left something out");
    for result in &recent {
        assert!(text(result, "date").expect("a date").as_str() >= "2005-02-09", "older than 30 days");
    }
}

#[wasm_bindgen_test]
fn an_unrelated_article_gets_nothing() {
    let engine = engine();
    let quokka = r#"{"url": "/x", "title": "Quokka census", "body": "Rangers counted quokka colonies on the island."}"#;
    assert_eq!(urls(&recommend(&engine, quokka, "null")), Vec::<String>::new());
}

#[wasm_bindgen_test]
fn bad_indexes_are_errors_that_say_what_is_wrong() {
    let other_version = index_js();
    Reflect::set(&other_version, &"version".into(), &JsValue::from(99)).expect("an object");
    let said = message(Engine::new(other_version));
    assert!(said.contains("version 99") && said.contains("rebuild"), "{said}");

    let said = message(Engine::new(js(r#"{"hello": "world"}"#)));
    assert!(said.contains("not an alike index"), "{said}");

    // One URL fewer than titles.
    let corrupt = index_js();
    let articles = get(&corrupt, "articles");
    get(&articles, "url").unchecked_into::<Array>().shift();
    let said = message(Engine::new(corrupt));
    assert!(said.contains("corrupt"), "{said}");

    // The text of the file instead of the parsed file.
    let said = message(Engine::new(JsValue::from_str(
        &serde_json::to_string(&index_file()).expect("an index serialises"),
    )));
    assert!(said.contains("not an alike index"), "{said}");
}

#[wasm_bindgen_test]
fn bad_queries_are_errors_that_say_what_is_wrong() {
    let engine = engine();
    let article = || js(r#"{"url": "/x", "title": "Rates", "body": "interest rates"}"#);
    let said = message(engine.recommend(article(), js(r#"{"k": 0}"#)));
    assert!(said.contains("k is 0"), "{said}");
    let said = message(engine.recommend(article(), js(r#"{"maxAgeDays": 3}"#)));
    assert!(said.contains("reference day"), "{said}");
    let said = message(engine.recommend(article(), js(r#"{"today": "next tuesday"}"#)));
    assert!(said.contains("next tuesday"), "{said}");
    let said = message(engine.recommend(js(r#"{"title": 7}"#), JsValue::UNDEFINED));
    assert!(said.starts_with("bad article"), "{said}");
}
