#![cfg(not(target_arch = "wasm32"))]
//! Round-trip properties over generated corpora, degenerate ones included
//! (one article, all alike, a word in every article, empty titles, huge and
//! tiny bodies, every script): whatever the builder writes, in either
//! layout, goes through JSON, loads, answers a query for every article, and
//! ranks the same in both layouts.

use std::collections::HashMap;

use alike::{
    ARTICLE_SHARD_FORMAT, Article, BuildOptions, BuiltIndex, Error, Index, IndexBuilder, Language,
    QueryOptions, Related, Shard, ShardOptions, TERM_SHARD_FORMAT, from_json, to_json,
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

/// A sharded index in memory, as files by path, and its manifest loaded
/// from JSON.
struct Sharded {
    index: Index,
    files: HashMap<String, String>,
}

fn sharded(built: &BuiltIndex) -> Sharded {
    let options = ShardOptions {
        article_shard_size: 3,
        terms_per_shard: 2,
        related_lists: 5,
        ..ShardOptions::default()
    };
    let sharded = built.sharded(&options, None, None);
    let mut files = HashMap::new();
    for (i, shard) in sharded.term_shards.iter().enumerate() {
        files.insert(sharded.term_shard_path(i), to_json(shard));
    }
    for (i, shard) in sharded.article_shards.iter().enumerate() {
        files.insert(sharded.article_shard_path(i), to_json(shard));
    }
    let index = Index::from_json(&sharded.manifest.to_json()).expect("the manifest it wrote loads");
    Sharded { index, files }
}

fn query_sharded(sharded: &mut Sharded, article: &Article, options: &QueryOptions) -> Vec<Related> {
    let files = &sharded.files;
    sharded
        .index
        .recommend_loading(article, options, |index, shard| {
            let json = files.get(shard.path()).expect("every shard the manifest names was written");
            match shard {
                Shard::Terms { .. } => index.add_term_shard(shard, from_json(TERM_SHARD_FORMAT, json)?),
                Shard::Articles { .. } => {
                    index.add_article_shard(shard, from_json(ARTICLE_SHARD_FORMAT, json)?)
                }
                Shard::Cluster { .. } | Shard::Cell { .. } => {
                    unreachable!("a version-1 index names no cluster or cell files")
                }
            }
        })
        .expect("the sharded index answers")
}

fn check(corpus: &Corpus) -> Result<(), TestCaseError> {
    let Some((built, taken)) = build(corpus) else { return Ok(()) };
    let single = Index::from_json(&built.single().to_json());
    let single =
        single.map_err(|e: Error| TestCaseError::fail(format!("the single file does not load: {e}")))?;
    let mut sharded = sharded(&built);
    let options = QueryOptions { k: 5, ..QueryOptions::default() };
    for article in &taken {
        let from_single = single
            .recommend(article, &options)
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", article.url)))?;
        let from_shards = query_sharded(&mut sharded, article, &options);
        prop_assert!(from_single.iter().all(|r| r.url != article.url), "{} lists itself", article.url);
        prop_assert_eq!(&from_single, &from_shards, "{} ranks differently in the two layouts", &article.url);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_index_loads_and_ranks_the_same_in_both_layouts(corpus in corpus_strategy()) {
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
