//! The index decoder: any JSON text, through `IndexFile::from_json` and
//! `Index::from_file`, is an index or an error, never a panic; and an index
//! that decodes answers a query without panicking. (A manifest of the
//! retired term-shard layout is refused with the rebuild hint.)

use std::sync::OnceLock;

use alike::{Article, Index, IndexFile, QueryOptions};

fn queries() -> &'static [Article] {
    static QUERIES: OnceLock<Vec<Article>> = OnceLock::new();
    QUERIES.get_or_init(super::golden_articles)
}

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    let Ok(json) = std::str::from_utf8(data) else { return };
    let Ok(file) = IndexFile::from_json(json) else { return };
    let Ok(index) = Index::from_file(file) else { return };
    std::hint::black_box((index.len(), index.term_count(), index.is_multi_file()));
    let queries = queries();
    let query = &queries[data.len() % queries.len()];
    let related = index.recommend(query, &QueryOptions::default());
    if let Ok(related) = related {
        assert!(related.len() <= QueryOptions::default().k, "more answers than asked for");
        for answer in &related {
            assert!(answer.score.is_finite(), "a score that is not a number: {answer:?}");
        }
    }
}
