#![cfg(not(target_arch = "wasm32"))]
//! Round-trip properties over generated corpora, degenerate ones included
//! (one article, all alike, a word in every article, empty titles, huge and
//! tiny bodies, every script): whatever the builder writes, in either
//! layout, goes through JSON, loads, answers a query for every article, and
//! ranks the same as one file when the cluster layout has one cluster.

use std::collections::HashMap;

use alike::{
    Article, BuildOptions, BuiltIndex, CellFile, ClusterFile, EngineFile, Error, Index, IndexBuilder,
    Language, Manifest, NeededFile, QueryOptions, Related,
};
use proptest::prelude::*;

/// Words from several scripts, few enough that articles share them.
const WORDS: &[&str] = &[
    "market",
    "shares",
    "bank",
    "election",
    "minister",
    "film",
    "award",
    "match",
    "goal",
    "phone",
    "software",
    "growth",
    "rates",
    "vote",
    "actor",
    "league",
    "network",
    "trade",
    "budget",
    "tax",
    "рынок",
    "банк",
    "выборы",
    "αγορά",
    "τράπεζα",
    "市场",
    "银行",
    "选举",
    "電影",
    "سوق",
    "بنك",
    "ตลาด",
    "ธนาคาร",
    "🙂",
    "the",
    "and",
    "of",
    "a",
    "42",
    "2005",
];

/// What every article of a corpus may end with: the boilerplate line that
/// puts a word in every article (issue 11's first defect).
const BOILERPLATE: &str = "Copyright Zanzibar Gazette.";

fn text(words: &[usize]) -> String {
    words.iter().map(|&w| WORDS[w % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Debug)]
struct Corpus {
    articles: Vec<Article>,
    language: Language,
}

fn article_strategy() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, u8)> {
    // Bodies from nothing to a few thousand words; titles may be empty.
    let body = prop_oneof![
        4 => prop::collection::vec(0..WORDS.len(), 1..60),
        1 => prop::collection::vec(0..WORDS.len(), 0..2),
        1 => prop::collection::vec(0..WORDS.len(), 2000..4000),
    ];
    (prop::collection::vec(0..WORDS.len(), 0..6), body, 0..3u8)
}

fn corpus_strategy() -> impl Strategy<Value = Corpus> {
    let shape = prop_oneof![
        3 => Just("varied"),
        1 => Just("identical"),
        1 => Just("boilerplate"),
        1 => Just("one"),
    ];
    let language = prop_oneof![Just(Language::English), Just(Language::None)];
    (shape, prop::collection::vec(article_strategy(), 1..40), language).prop_map(|(shape, raw, language)| {
        let raw = if shape == "one" { raw[..1].to_vec() } else { raw };
        let articles = raw
            .iter()
            .enumerate()
            .map(|(i, (title, body, section))| {
                let (title, body) = if shape == "identical" { (&raw[0].0, &raw[0].1) } else { (title, body) };
                let mut body = text(body);
                if shape == "boilerplate" {
                    body.push(' ');
                    body.push_str(BOILERPLATE);
                }
                Article {
                    url: format!("/news/{i}.html"),
                    title: text(title),
                    body,
                    date: Some(format!("2005-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                    section: Some(["business", "politics", "tech"][*section as usize].to_string()),
                    ..Article::default()
                }
            })
            .collect();
        Corpus { articles, language }
    })
}

/// The corpus built, or None when the builder takes none of its articles
/// (all empty, say): then there is no index to check.
fn build(corpus: &Corpus) -> Option<(BuiltIndex, Vec<Article>)> {
    let options = BuildOptions {
        language: corpus.language,
        stop_words: corpus.language.default_stop_words(),
        ..BuildOptions::default()
    };
    let mut builder = IndexBuilder::new(options).expect("default options are valid");
    let mut taken = Vec::new();
    for article in &corpus.articles {
        if builder.add(article.clone()).is_ok() {
            taken.push(article.clone());
        }
    }
    (!builder.is_empty()).then(|| (builder.build(), taken))
}

/// The cluster layout in memory, as files by path, and its engine file
/// loaded from JSON.
struct Clustered {
    index: Index,
    files: HashMap<String, String>,
}

/// `cluster_size`: articles per cluster (`None`: the default; `ONE`: one
/// cluster).
fn clustered(built: &BuiltIndex, cluster_size: Option<usize>) -> Clustered {
    let clustered = built.clustered(5, alike::DEFAULT_MIN_SCORE, cluster_size, None);
    let files: HashMap<String, String> = clustered.files().into_iter().collect();
    let manifest = Manifest::from_json(&clustered.manifest.to_json()).expect("the manifest it wrote loads");
    let engine = EngineFile::from_json(&files[&manifest.engine]).expect("the engine file it wrote loads");
    let index = Index::from_engine_file(engine.with_manifest(&manifest)).expect("the engine file decodes");
    Clustered { index, files }
}

fn query_clustered(clustered: &mut Clustered, article: &Article, options: &QueryOptions) -> Vec<Related> {
    let files = &clustered.files;
    clustered
        .index
        .recommend_loading(article, options, |index, file| {
            let json = files.get(file.path()).expect("every file the engine file names was written");
            match file {
                NeededFile::Cluster { .. } => index.add_cluster(file, ClusterFile::from_json(json)?),
                NeededFile::Cell { .. } => index.add_cell(file, CellFile::from_json(json)?),
            }
        })
        .expect("the cluster layout answers")
}

/// Articles per cluster that make one cluster of any corpus here.
const ONE: usize = 1 << 20;

fn check(corpus: &Corpus) -> Result<(), TestCaseError> {
    let Some((built, taken)) = build(corpus) else { return Ok(()) };
    let single = Index::from_json(&built.single().to_json());
    let single =
        single.map_err(|e: Error| TestCaseError::fail(format!("the single file does not load: {e}")))?;
    let mut one_cluster = clustered(&built, Some(ONE));
    let mut clusters = clustered(&built, Some(3));
    let options = QueryOptions { k: 5, ..QueryOptions::default() };
    for article in &taken {
        let from_single = single
            .recommend(article, &options)
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", article.url)))?;
        let from_cluster = query_clustered(&mut one_cluster, article, &options);
        prop_assert!(from_single.iter().all(|r| r.url != article.url), "{} lists itself", article.url);
        prop_assert_eq!(&from_single, &from_cluster, "{} ranks differently in one cluster", &article.url);
        let from_clusters = query_clustered(&mut clusters, article, &options);
        prop_assert!(from_clusters.iter().all(|r| r.url != article.url), "{} lists itself", article.url);
        prop_assert!(from_clusters.len() <= 5);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_index_loads_and_one_cluster_ranks_as_one_file(corpus in corpus_strategy()) {
        check(&corpus)?;
    }
}

/// The corpora that found the first defect, fixed rather than generated.
#[test]
fn a_word_in_every_article_still_loads() {
    for count in [1, 2, 9, 10, 17, 333] {
        let articles = (0..count)
            .map(|i| Article {
                url: format!("/{i}"),
                title: format!("story {}", WORDS[i % 20]),
                body: format!("{} {}", text(&[i, i * 7, i * 13]), BOILERPLATE),
                ..Article::default()
            })
            .collect();
        check(&Corpus { articles, language: Language::English }).expect("loads and answers");
    }
}
