//! Relevance of alike on a labelled corpus: builds an index (label dropped),
//! queries every article with its own text, and reports P@5 by label, the
//! lists that contain their own query or a copy of it, and the index size.
//!
//!     cargo run --release --example relevance -- ../shared/corpora/bbc-news.jsonl [key=value ...]
//!
//! Keys: terms, bits, title, min_df, dup, extra_hash, k.

#![allow(clippy::unwrap_used)] // a measuring tool: failing loudly is the point

use std::collections::HashMap;
use std::io::{BufRead, Write};

use alike::{Article, BuildOptions, Index, IndexBuilder, QueryOptions};

#[derive(serde::Deserialize)]
struct Labelled {
    url: String,
    title: String,
    body: String,
    label: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: relevance CORPUS.jsonl [key=value ...]");
    let mut options = BuildOptions::default();
    let mut k = 5;
    let mut every = 1;
    for arg in args {
        let (key, value) = arg.split_once('=').expect("arguments are key=value");
        match key {
            "terms" => options.terms_per_article = value.parse().unwrap(),
            "bits" => options.weight_bits = value.parse().unwrap(),
            "title" => options.title_weight = value.parse().unwrap(),
            "min_df" => options.min_df = value.parse().unwrap(),
            "extra_hash" => options.extra_hash_bits = value.parse().unwrap(),
            "idf" => options.idf_power = value.parse().unwrap(),
            "bias" => options.common_term_bias = value.parse().unwrap(),
            "fb" => options.feedback_articles = value.parse().unwrap(),
            "fbw" => options.feedback_weight = value.parse().unwrap(),
            "common" => options.common_terms = value.parse().unwrap(),
            "qterms" => options.query_terms = value.parse().unwrap(),
            "k" => k = value.parse().unwrap(),
            "every" => every = value.parse().unwrap(),
            "postings" => options.max_postings_per_term = value.parse().unwrap(),
            _ => panic!("unknown key {key}"),
        }
    }
    let file = std::fs::File::open(&path).expect("corpus");
    let corpus: Vec<Labelled> = std::io::BufReader::new(file)
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    let articles: Vec<Article> = corpus
        .iter()
        .map(|a| Article {
            url: a.url.clone(),
            title: a.title.clone(),
            body: a.body.clone(),
            ..Article::default()
        })
        .collect();

    let started = std::time::Instant::now();
    let mut builder = IndexBuilder::new(options.clone()).unwrap();
    for article in &articles {
        builder.add(article.clone()).unwrap();
    }
    let json = builder.finish().to_json();
    let build_seconds = started.elapsed().as_secs_f64();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(json.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap().len();
    if let Ok(path) = std::env::var("ALIKE_SAVE") {
        std::fs::write(path, &json).unwrap();
    }
    let index = Index::from_json(&json).unwrap();

    let label_of: HashMap<&str, &str> = corpus.iter().map(|a| (a.url.as_str(), a.label.as_str())).collect();
    let body_of: HashMap<&str, &str> = corpus.iter().map(|a| (a.url.as_str(), a.body.as_str())).collect();
    let query = QueryOptions { k, ..QueryOptions::default() };
    let (mut hits, mut slots, mut with_self, mut with_copy, mut short) = (0, 0, 0, 0, 0);
    let started = std::time::Instant::now();
    for (article, labelled) in articles.iter().zip(&corpus).step_by(every) {
        let related = index.recommend(article, &query).unwrap();
        if related.len() < k {
            short += 1;
        }
        slots += k;
        hits += related.iter().filter(|r| label_of[r.url.as_str()] == labelled.label).count();
        with_self += usize::from(related.iter().any(|r| r.url == labelled.url));
        with_copy += usize::from(related.iter().any(|r| body_of[r.url.as_str()] == labelled.body));
        if std::env::var("SHOW_COPIES").is_ok() {
            for r in related.iter().filter(|r| body_of[r.url.as_str()] == labelled.body) {
                eprintln!(
                    "copy: {} ({}) -> {} ({}) score {:.3}",
                    labelled.url, labelled.title, r.url, r.title, r.score
                );
            }
        }
    }
    let query_seconds = started.elapsed().as_secs_f64();
    println!(
        "P@{k}={:.4} self={with_self} copies={with_copy} short_lists={short} terms={} bytes={} gzip={} build={:.2}s queries={:.2}s {:?}",
        hits as f64 / slots as f64,
        index.term_count(),
        json.len(),
        gzipped,
        build_seconds,
        query_seconds,
        options
    );
}
