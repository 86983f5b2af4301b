//! The cluster layout's decoders: any JSON text as the engine file, a
//! cluster file or a list file of a real cluster index (built once from the
//! golden fixture's articles) is decoded or refused, never a panic; and a
//! file the index takes must not make a query over it panic.
//!
//! The first byte picks the kind of file; the rest is its JSON text.
//! With `ALIKE_FUZZ_WRITE_SEEDS=<folder>` set, the first run writes the
//! real index's files there as seeds (FUZZING.md).

use std::sync::OnceLock;

use alike::{
    Article, BuildOptions, ClusterFile, ClusteredIndex, EngineFile, Index, IndexBuilder, ListFile,
    NeededFile, QueryOptions,
};

/// Small clusters, so that the few golden articles make several of them.
const CLUSTER_SIZE: usize = 4;

struct Golden {
    articles: Vec<Article>,
    index: ClusteredIndex,
}

fn golden() -> &'static Golden {
    static GOLDEN: OnceLock<Golden> = OnceLock::new();
    GOLDEN.get_or_init(|| {
        let articles = super::golden_articles();
        let mut builder = IndexBuilder::new(BuildOptions::default()).expect("default options are valid");
        for article in &articles {
            builder.add(article.clone()).expect("the golden articles index");
        }
        let index = builder.build().clustered(3, 0.0, Some(CLUSTER_SIZE), None);
        if let Some(folder) = std::env::var_os("ALIKE_FUZZ_WRITE_SEEDS") {
            write_seeds(std::path::Path::new(&folder), &index);
        }
        Golden { articles, index }
    })
}

/// Each file as a seed: its kind's byte, then its JSON.
fn write_seeds(folder: &std::path::Path, index: &ClusteredIndex) {
    std::fs::create_dir_all(folder).expect("the seed folder is writable");
    let write = |name: String, bytes: Vec<u8>| std::fs::write(folder.join(name), bytes).expect("writable");
    let seed = |kind: u8, json: String| [vec![kind], json.into_bytes()].concat();
    write("engine".into(), seed(0, index.engine.to_json()));
    for file in &index.clusters {
        write(format!("cluster-{}", file.cluster), seed(1, file.to_json()));
    }
    for file in &index.lists {
        write(format!("lists-{}", file.bucket), seed(2, file.to_json()));
    }
}

fn engine(golden: &Golden) -> EngineFile {
    golden.index.engine.clone()
}

/// Runs a query over the index, serving the real cluster files it asks for.
fn query(golden: &Golden, mut index: Index, article: &Article) {
    let answer = index.recommend_loading(article, &QueryOptions::default(), |index, wanted| {
        match wanted {
            NeededFile::Cluster { cluster, .. } => {
                match golden.index.clusters.iter().find(|f| f.cluster == *cluster) {
                    Some(file) => index.add_cluster(wanted, file.clone())?,
                    None => index.give_up(wanted),
                }
            }
            // A flat table (the golden index's) never asks for a cell file.
            NeededFile::Cell { .. } => index.give_up(wanted),
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

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else { return };
    let Ok(json) = std::str::from_utf8(rest) else { return };
    let golden = golden();
    let article = &golden.articles[data.len() % golden.articles.len()];
    match kind % 3 {
        0 => {
            let Ok(file) = EngineFile::from_json(json) else { return };
            if let Ok(index) = Index::from_engine_file(file) {
                // Its cluster files are the golden index's: a fuzzed table
                // routes to them or to none.
                query(golden, index, article);
            }
        }
        1 => {
            let Ok(file) = ClusterFile::from_json(json) else { return };
            let mut index = Index::from_engine_file(engine(golden)).expect("the golden engine file decodes");
            let wanted = NeededFile::Cluster { cluster: file.cluster, path: "fuzzed.json".into() };
            if index.add_cluster(&wanted, file).is_ok() {
                query(golden, index, article);
            }
        }
        _ => {
            // The engine never reads list files (the shim does); the CLI
            // parses them when it builds incrementally, as here.
            if let Ok(file) = ListFile::from_json(json) {
                std::hint::black_box((file.pages.len(), file.patches.len()));
            }
        }
    }
}
