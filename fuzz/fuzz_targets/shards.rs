//! The shard decoders: any JSON text as a term shard, an article shard or a
//! list shard of a real sharded index (built once from the golden
//! fixture's articles) is decoded or refused, never a panic; and a shard
//! the index takes must not make a query over it panic.
//!
//! The first byte picks the kind of shard; the rest is its JSON text.
//! With `ALIKE_FUZZ_WRITE_SEEDS=<folder>` set, the first run writes the
//! real index's manifest and shards there as seeds (FUZZING.md).
#![no_main]

use std::sync::OnceLock;

use alike::{
    ARTICLE_SHARD_FORMAT, Article, ArticleShardFile, BuildOptions, Index, IndexBuilder, IndexFile,
    LIST_SHARD_FORMAT, ListShardFile, QueryOptions, Shard, ShardOptions, TERM_SHARD_FORMAT, TermShardFile,
    from_json, to_json,
};
use libfuzzer_sys::fuzz_target;

struct Golden {
    articles: Vec<Article>,
    manifest: IndexFile,
    term_shards: Vec<TermShardFile>,
    article_shards: Vec<ArticleShardFile>,
}

/// Small shards, so that the few golden articles make many of them.
const SHARDING: ShardOptions =
    ShardOptions { article_shard_size: 4, terms_per_shard: 8, related_lists: 3, min_score: 0.0 };

fn golden() -> &'static Golden {
    static GOLDEN: OnceLock<Golden> = OnceLock::new();
    GOLDEN.get_or_init(|| {
        let articles = alike_fuzz::golden_articles();
        let mut builder = IndexBuilder::new(BuildOptions::default()).expect("default options are valid");
        for article in &articles {
            builder.add(article.clone()).expect("the golden articles index");
        }
        let sharded = builder.build().sharded(&SHARDING, None, None);
        if let Some(folder) = std::env::var_os("ALIKE_FUZZ_WRITE_SEEDS") {
            write_seeds(std::path::Path::new(&folder), &sharded);
        }
        Golden {
            articles,
            manifest: sharded.manifest,
            term_shards: sharded.term_shards,
            article_shards: sharded.article_shards,
        }
    })
}

/// The manifest as `index-manifest.json` (a seed for the `index` target),
/// and each shard as a seed of this target: its kind's byte, then its JSON.
fn write_seeds(folder: &std::path::Path, sharded: &alike::ShardedIndex) {
    std::fs::create_dir_all(folder).expect("the seed folder is writable");
    let write = |name: String, bytes: Vec<u8>| std::fs::write(folder.join(name), bytes).expect("writable");
    write("index-manifest.json".into(), to_json(&sharded.manifest).into_bytes());
    let seed = |kind: u8, json: String| [vec![kind], json.into_bytes()].concat();
    for (i, file) in sharded.term_shards.iter().enumerate() {
        write(format!("terms-{i}"), seed(0, to_json(file)));
    }
    for (i, file) in sharded.article_shards.iter().enumerate() {
        write(format!("articles-{i}"), seed(1, to_json(file)));
    }
    for (i, file) in sharded.list_shards.iter().enumerate() {
        write(format!("lists-{i}"), seed(2, to_json(file)));
    }
}

/// Runs a query over the index, serving the real shards it asks for.
fn query(golden: &Golden, mut index: Index, article: &Article) {
    let answer = index.recommend_loading(article, &QueryOptions::default(), |index, wanted| {
        match wanted {
            Shard::Terms { shard, .. } => match golden.term_shards.iter().find(|f| f.shard == *shard) {
                Some(file) => index.add_term_shard(wanted, file.clone())?,
                None => index.give_up(wanted),
            },
            Shard::Articles { shard, .. } => match golden.article_shards.iter().find(|f| f.shard == *shard) {
                Some(file) => index.add_article_shard(wanted, file.clone())?,
                None => index.give_up(wanted),
            },
            // A version-1 index never asks for a cluster file.
            Shard::Cluster { .. } | Shard::Cell { .. } => index.give_up(wanted),
        }
        Ok(())
    });
    if let Ok(related) = answer {
        assert!(related.len() <= QueryOptions::default().k, "more answers than asked for");
        for answer in &related {
            assert!(answer.score.is_finite(), "a score that is not a number: {answer:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let Ok(json) = std::str::from_utf8(rest) else { return };
    let golden = golden();
    let article = &golden.articles[data.len() % golden.articles.len()];
    match kind % 3 {
        0 => {
            let Ok(file) = from_json::<TermShardFile>(TERM_SHARD_FORMAT, json) else { return };
            let mut index = Index::from_file(golden.manifest.clone()).expect("the golden manifest decodes");
            let wanted = Shard::Terms { shard: file.shard, path: "fuzzed.json".into() };
            if index.add_term_shard(&wanted, file).is_ok() {
                query(golden, index, article);
            }
        }
        1 => {
            let Ok(file) = from_json::<ArticleShardFile>(ARTICLE_SHARD_FORMAT, json) else { return };
            let mut index = Index::from_file(golden.manifest.clone()).expect("the golden manifest decodes");
            let wanted = Shard::Articles { shard: file.shard, path: "fuzzed.json".into() };
            if index.add_article_shard(&wanted, file).is_ok() {
                query(golden, index, article);
            }
        }
        _ => {
            // The engine never reads list shards (the shim does); the CLI
            // parses them when it rebuilds, as here.
            if let Ok(file) = from_json::<ListShardFile>(LIST_SHARD_FORMAT, json) {
                std::hint::black_box(file.pages.len());
            }
        }
    }
});
