//! From articles to an index: count terms, weigh them, keep each article's
//! strongest, quantise, pack, as one file (`BuiltIndex::single`) or in
//! the cluster layout's files with related lists (`BuiltIndex::clustered`,
//! `build/clusters.rs`).

use std::collections::HashMap;

use crate::article::Article;
use crate::codec::{put_digit, put_vlq};
use crate::error::Error;
use crate::format::{Articles, FORMAT_NAME, FORMAT_VERSION, IndexFile, Latest, Listed, Scoring, Terms};
use crate::index::Index;
use crate::query::Query;
use crate::story::{Signature, fingerprint, group_stories};
use crate::text::{TermCounts, count_terms, url_key};
use crate::tokenize::{Language, Tokenizer};
use crate::weight::{self, Quantizer};

mod clusters;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod incremental;
mod latest;
#[cfg(not(target_arch = "wasm32"))]
mod prune;
pub use clusters::{ClusterTuning, ClusteredIndex};
#[cfg(not(target_arch = "wasm32"))]
pub use incremental::{Base, DeltaPlan, MAX_DELTA_SHARE, RECENT_READ_LIMIT};
#[cfg(not(target_arch = "wasm32"))]
pub use prune::{Pruned, record_replaced, remove_old_files};

/// Settings of a build. The defaults are the ones measured best for size and
/// relevance on the BBC corpus (BENCHMARKS.md).
#[derive(Clone, Debug, PartialEq)]
pub struct BuildOptions {
    pub language: Language,
    /// Words never indexed; the index carries them so that the browser
    /// drops the same words. Defaults to the language's usual list.
    pub stop_words: Vec<String>,
    /// How many body words a title or tag word counts as (1 to 10; higher
    /// makes headlines dominate).
    pub title_weight: f32,
    /// See `Scoring::idf_power`.
    pub idf_power: f32,
    /// Favours common terms when choosing which to keep: terms are ranked
    /// by weight times `df^common_term_bias` (0 ranks by weight alone).
    pub common_term_bias: f32,
    /// See `Scoring::query_terms`.
    pub query_terms: u32,
    /// How many terms the cluster layout's engine file lists as common
    /// (see `Scoring::common_df`): more, bigger engine file, better-picked
    /// query terms.
    pub common_terms: u32,
    /// See `Scoring::feedback_articles` and `feedback_weight`.
    pub feedback_articles: u32,
    pub feedback_weight: f32,
    /// Strongest terms kept per article (the main size/relevance dial: fewer
    /// terms, smaller index, weaker matches).
    pub terms_per_article: u32,
    /// Terms found in fewer articles are left out: a word in one article
    /// links it to nothing else in the archive.
    pub min_df: u32,
    /// Each term keeps at most this many postings, its heaviest (newest
    /// first among equals); 0 keeps all. In a very large archive it bounds
    /// what a query fetches per term, at some cost in relevance.
    pub max_postings_per_term: u32,
    /// Bits per stored weight (1 to 6: one base64 digit).
    pub weight_bits: u8,
    /// Extra hash bits over what the vocabulary needs, fixing how often two
    /// terms share a hash: about one term in `2^extra` does.
    pub extra_hash_bits: u8,
    /// Length of the snippet kept per article, in characters; 0 keeps none.
    pub snippet_chars: usize,
    /// Articles in these sections, or with any of these tags (compared
    /// case-insensitively), are never recommended: they get their own
    /// related list but are in no other article's, on either path.
    pub exclude_sections: Vec<String>,
    pub exclude_tags: Vec<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            language: Language::English,
            #[cfg(not(target_arch = "wasm32"))]
            stop_words: Language::English.default_stop_words(),
            // The browser never builds real indexes; wasm builds carry no lists.
            #[cfg(target_arch = "wasm32")]
            stop_words: Vec::new(),
            title_weight: 2.0,
            idf_power: 0.5,
            common_term_bias: 0.3,
            query_terms: 150,
            common_terms: 1000,
            feedback_articles: 10,
            feedback_weight: 3.0,
            terms_per_article: 30,
            min_df: 2,
            max_postings_per_term: 0,
            weight_bits: 2,
            extra_hash_bits: 8,
            snippet_chars: 0,
            exclude_sections: Vec::new(),
            exclude_tags: Vec::new(),
        }
    }
}

impl BuildOptions {
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |why: String| Err(Error::BadSettings(why));
        if !(self.title_weight.is_finite() && (0.1..=100.0).contains(&self.title_weight)) {
            return bad(format!("title weight {} is not between 0.1 and 100", self.title_weight));
        }
        if self.terms_per_article == 0 {
            return bad("terms per article must be at least 1".into());
        }
        if !(1..=6).contains(&self.weight_bits) {
            return bad(format!("weight bits {} is not between 1 and 6", self.weight_bits));
        }
        if self.extra_hash_bits > 24 {
            return bad(format!("extra hash bits {} is more than 24", self.extra_hash_bits));
        }
        Ok(())
    }
}

/// Collects articles, then writes the index in one go with `finish`.
pub struct IndexBuilder {
    options: BuildOptions,
    tokenizer: Tokenizer,
    /// A tokenizer per other language the articles are in
    /// (`Article::language`), each with its usual stop words.
    other_tokenizers: Vec<Tokenizer>,
    /// Warnings about articles (a language alike does not know), in order.
    notes: Vec<String>,
    articles: Vec<Article>,
    /// Every article's term counts, by full 64-bit hash until `build`.
    terms: TermTable,
    signatures: Vec<Signature>,
    snippets: Vec<Option<String>>,
    /// Per article: never to be recommended (`BuildOptions::exclude_sections`,
    /// `Article::recommend`).
    hidden: Vec<bool>,
    seen_urls: HashMap<String, usize>,
}

impl IndexBuilder {
    pub fn new(options: BuildOptions) -> Result<IndexBuilder, Error> {
        options.validate()?;
        Ok(IndexBuilder {
            tokenizer: Tokenizer::new(options.language, &options.stop_words)?,
            other_tokenizers: Vec::new(),
            notes: Vec::new(),
            options,
            articles: Vec::new(),
            terms: TermTable::default(),
            signatures: Vec::new(),
            snippets: Vec::new(),
            hidden: Vec::new(),
            seen_urls: HashMap::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Sets `BuildOptions::max_postings_per_term`, for when the archive's
    /// size is known only once it is read.
    pub fn limit_postings_per_term(&mut self, limit: u32) {
        self.options.max_postings_per_term = limit;
    }

    /// Adds one article, or says why it cannot be indexed (and leaves the
    /// builder as it was).
    pub fn add(&mut self, article: Article) -> Result<(), Error> {
        self.make_tokenizers(std::slice::from_ref(&article));
        let prepared = self.prepare(article)?;
        self.commit(prepared)
    }

    /// Adds many articles, reading them on every core, in order: the
    /// result is as if each was `add`ed in turn.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add_many(&mut self, articles: Vec<Article>) -> Vec<Result<(), Error>> {
        use rayon::prelude::*;
        self.make_tokenizers(&articles);
        let prepared: Vec<Result<Prepared, Error>> =
            articles.into_par_iter().map(|article| self.prepare(article)).collect();
        prepared.into_iter().map(|prepared| self.commit(prepared?)).collect()
    }

    /// What the builder noticed about articles it took anyway (a language
    /// it does not know, indexed as the default), for warnings.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Makes the tokenizers of the articles' other languages that this
    /// build can stem (`prepare` indexes the rest as the default).
    fn make_tokenizers(&mut self, articles: &[Article]) {
        for article in articles {
            let Some(language) = article.language.as_deref().and_then(Language::from_tag) else { continue };
            if language == self.options.language
                || self.other_tokenizers.iter().any(|t| t.language() == language)
            {
                continue;
            }
            #[cfg(not(target_arch = "wasm32"))]
            let stop_words = language.default_stop_words();
            #[cfg(target_arch = "wasm32")]
            let stop_words: Vec<String> = Vec::new();
            if let Ok(tokenizer) = Tokenizer::new(language, &stop_words) {
                self.other_tokenizers.push(tokenizer);
            }
        }
    }

    /// The tokenizer for the article's language, and a warning when that
    /// language is not one this build can index (the default is used).
    fn tokenizer_for(&self, article: &Article) -> (&Tokenizer, Option<String>) {
        let Some(tag) = article.language.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            return (&self.tokenizer, None);
        };
        let default = self.options.language;
        match Language::from_tag(tag) {
            Some(language) if language == default => (&self.tokenizer, None),
            Some(language) => match self.other_tokenizers.iter().find(|t| t.language() == language) {
                Some(tokenizer) => (tokenizer, None),
                None => (
                    &self.tokenizer,
                    Some(format!(
                        "article {}: this build of alike has no stemmer for {}; indexed as {}",
                        article.url.trim(),
                        language.name(),
                        default.name()
                    )),
                ),
            },
            None => (
                &self.tokenizer,
                Some(format!(
                    "article {}: language \"{tag}\" is not one alike knows; indexed as {}",
                    article.url.trim(),
                    default.name()
                )),
            ),
        }
    }

    /// Everything about one article that does not depend on the others:
    /// checks, term counts, signature, snippet.
    fn prepare(&self, mut article: Article) -> Result<Prepared, Error> {
        let bad = |why: String| Err(Error::BadArticle(why));
        article.url = article.url.trim().to_string();
        if article.url.is_empty() {
            return bad("the article has no url".into());
        }
        if article.title.trim().is_empty() && article.body.trim().is_empty() {
            return bad(format!("article {} has neither title nor text", article.url));
        }
        article.day()?;
        let (tokenizer, note) = self.tokenizer_for(&article);
        let (counts, signature) = count_terms(tokenizer, &article, self.options.title_weight);
        // Kept as the index records it: a language name, none for the default.
        let language = tokenizer.language();
        article.language = (language != self.options.language).then(|| language.name().to_string());
        // The body is done with once counted: keep its snippet only, so
        // that a large archive does not sit in memory whole.
        let snippet = snippet(&article.body, self.options.snippet_chars);
        let among =
            |list: &[String], value: &str| list.iter().any(|v| v.trim().eq_ignore_ascii_case(value.trim()));
        let hidden = !article.recommend
            || article.section.as_deref().is_some_and(|s| among(&self.options.exclude_sections, s))
            || article.tags.iter().any(|t| among(&self.options.exclude_tags, t));
        article.body = String::new();
        article.tags = Vec::new();
        Ok(Prepared { key: url_key(&article.url), article, counts, signature, snippet, hidden, note })
    }

    fn commit(&mut self, prepared: Prepared) -> Result<(), Error> {
        if let Some(first) = self.seen_urls.get(&prepared.key) {
            return Err(Error::BadArticle(format!(
                "article {} has the same url as article number {} ({})",
                prepared.article.url,
                first + 1,
                self.articles[*first].url
            )));
        }
        if prepared.counts.is_empty() {
            return Err(Error::BadArticle(format!(
                "article {} has no indexable words",
                prepared.article.url
            )));
        }
        self.seen_urls.insert(prepared.key, self.articles.len());
        self.notes.extend(prepared.note);
        self.terms.push(&prepared.counts);
        self.signatures.push(prepared.signature);
        self.snippets.push(prepared.snippet);
        self.hidden.push(prepared.hidden);
        self.articles.push(prepared.article);
        Ok(())
    }

    /// Every article's editors' picks (`Article::related`) that the index
    /// holds and may recommend, as `Articles::related` groups: the
    /// article's id, then its picks' in the editor's order. A URL the index
    /// does not hold, the article itself, an article never to be
    /// recommended and a repeat are left out.
    fn pins(&self) -> Vec<Vec<u32>> {
        let mut groups = Vec::new();
        for (a, article) in self.articles.iter().enumerate() {
            let mut group = vec![a as u32];
            for url in &article.related {
                if let Some(&b) = self.seen_urls.get(&url_key(url))
                    && b != a
                    && !self.hidden[b]
                    && !group.contains(&(b as u32))
                {
                    group.push(b as u32);
                }
            }
            if group.len() > 1 {
                groups.push(group);
            }
        }
        groups
    }

    /// The index as one file.
    pub fn finish(self) -> IndexFile {
        self.build().single()
    }

    /// Weighs, prunes and quantises every article's terms, ready to be cut
    /// into one file or the cluster layout's.
    pub fn build(self) -> BuiltIndex {
        let pins = self.pins();
        let options = &self.options;
        let article_count = self.articles.len() as u32;
        let hash_bits = hash_bits_for(self.terms.hashes.len(), options.extra_hash_bits);

        // Counts are keyed by 64-bit hashes; the index keeps fewer bits, and
        // terms that then collide are merged, exactly as queries will see them.
        let mut terms = self.terms;
        terms.truncate_hashes(hash_bits);
        let mut df_of = vec![0u32; terms.hashes.len()];
        for &id in &terms.ids {
            df_of[id as usize] += 1;
        }
        let mut df: HashMap<u64, u32> = terms.hashes.iter().copied().zip(df_of.iter().copied()).collect();

        // Each article's kept terms with their unit-vector weights. An
        // article never to be recommended keeps none: no query can reach
        // it, while its own terms still count in df and its own list.
        let hidden = &self.hidden;
        // Each term's idf once, not once an article it is in.
        let idf_of: Vec<f32> =
            df_of.iter().map(|&df| weight::idf(article_count, df, options.idf_power)).collect();
        let kept: Vec<Vec<(u64, f32)>> = par_map((0..terms.len()).collect(), |a| {
            if hidden[a] {
                return Vec::new();
            }
            let weights: Vec<(u64, f32)> = terms
                .id_counts(a)
                .map(|(id, count)| (terms.hashes[id as usize], weight::tf(count) * idf_of[id as usize]))
                .collect();
            strongest_terms(&weights, options.terms_per_article as usize, |hash, weight| {
                let df = df[&hash];
                (df >= options.min_df).then(|| keep_rank(weight, df, options.common_term_bias))
            })
        });

        let (weight_min, weight_max) = weight_range(&kept);
        let quantizer = Quantizer::new(weight_min, weight_max, options.weight_bits);
        let mut postings: Vec<(u64, u32, u32)> = kept
            .iter()
            .enumerate()
            .flat_map(|(article, terms)| {
                terms.iter().map(move |(hash, w)| (*hash, article as u32, quantizer.quantize(*w)))
            })
            .collect();
        drop(kept);
        postings.sort_unstable();
        if options.max_postings_per_term > 0 {
            let ties = tie_order(self.articles.iter().map(|a| a.url.as_str()));
            postings = strongest_postings(&postings, options.max_postings_per_term as usize, &ties);
        }
        // Every article's whole vector, for ranking the stored lists: the
        // build can afford what the browser cannot download.
        terms.weigh(|id| {
            let df = df_of[id as usize];
            (!weight::says_nothing(df, article_count)).then(|| idf_of[id as usize])
        });
        drop((df_of, idf_of));
        df.retain(|hash, _| postings.binary_search_by_key(hash, |p| p.0).is_ok());
        let common_df = common_df(&df, options.common_terms);
        let newest_time = self
            .articles
            .iter()
            .filter_map(|a| crate::article::parse_instant(a.date.as_deref()?.trim()))
            .max();
        let articles = metadata(&self.articles, self.snippets);
        let stories = group_stories(&self.signatures);

        BuiltIndex {
            scoring: Scoring {
                articles: article_count,
                title_weight: options.title_weight,
                idf_power: options.idf_power,
                query_terms: options.query_terms,
                common_df,
                feedback_articles: options.feedback_articles,
                feedback_weight: options.feedback_weight,
                hash_bits,
                weight_bits: options.weight_bits,
                weight_min,
                weight_max,
            },
            stop_words: self.tokenizer.stop_words().to_vec(),
            // The other languages some article is in, in a fixed order.
            languages: {
                let mut held: Vec<&Tokenizer> = self
                    .other_tokenizers
                    .iter()
                    .filter(|t| {
                        self.articles.iter().any(|a| a.language.as_deref() == Some(t.language().name()))
                    })
                    .collect();
                held.sort_by_key(|t| t.language());
                held.iter()
                    .map(|t| {
                        std::iter::once(t.language().name()).chain(t.stop_words().iter().map(String::as_str))
                    })
                    .map(|words| words.map(String::from).collect())
                    .collect()
            },
            latest: latest::newest_per_section(&articles, &self.hidden, &stories),
            newest_time,
            articles,
            fingerprints: self.signatures.iter().map(fingerprint).collect(),
            stories,
            pins,
            postings,
            df,
            terms,
            ranked: std::sync::Mutex::new(None),
            options: self.options,
        }
    }
}

/// 64-bit FNV-1a over bytes.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// One article, read and counted, waiting to join the builder.
struct Prepared {
    key: String,
    article: Article,
    counts: TermCounts,
    signature: Signature,
    snippet: Option<String>,
    hidden: bool,
    /// A warning about the article's language (`IndexBuilder::notes`).
    note: Option<String>,
}

/// Every article's related articles, as (article, score), best first.
type RankedLists = Vec<Vec<(u32, f32)>>;

/// Each article's candidates for its related list, as (article, whole-vector
/// cosine), and its nearest neighbours, sorted (`BuiltIndex::list_candidates`).
struct ListCandidates {
    cosines: Vec<Vec<(u32, f32)>>,
    neighbours: Vec<Vec<u32>>,
}

/// An index built but not yet cut into one file or many.
pub struct BuiltIndex {
    options: BuildOptions,
    scoring: Scoring,
    stop_words: Vec<String>,
    /// `IndexFile::languages`.
    languages: Vec<Vec<String>>,
    articles: Articles,
    fingerprints: Vec<u16>,
    stories: Vec<Vec<u32>>,
    /// Editors' picks, as `Articles::related` groups (`IndexBuilder::pins`).
    pins: Vec<Vec<u32>>,
    /// (term hash, article, weight level), sorted.
    postings: Vec<(u64, u32, u32)>,
    /// Of the terms that have postings.
    df: HashMap<u64, u32>,
    /// Every article's term counts, hashes cut to the index's bits (the
    /// queries that rank related lists start from them), and its whole
    /// TF-IDF vector (stored lists are scored with these).
    terms: TermTable,
    /// The newest articles of each section (`IndexFile::latest`).
    latest: Option<Latest>,
    /// The newest instant an article's date names (`article::parse_instant`).
    newest_time: Option<i64>,
    /// The related lists once ranked, and their length (`ranked_lists`).
    ranked: std::sync::Mutex<Option<(usize, RankedLists)>>,
}

impl BuiltIndex {
    /// Every language its articles are in: the default first.
    pub fn languages(&self) -> impl Iterator<Item = Language> + '_ {
        let others = self.languages.iter().filter_map(|l| Language::parse(l.first()?).ok());
        std::iter::once(self.options.language).chain(others)
    }

    /// Terms with postings: the vocabulary the index holds.
    pub fn term_count(&self) -> usize {
        self.df.len()
    }

    /// A term's df as the index stores it (`weight::stored_count`).
    fn stored_df(&self, hash: u64) -> u32 {
        weight::stored_count(self.df[&hash], self.scoring.articles)
    }

    /// The index as one file.
    pub fn single(&self) -> IndexFile {
        self.single_of(&self.postings)
    }

    fn single_of(&self, postings: &[(u64, u32, u32)]) -> IndexFile {
        IndexFile {
            articles: Some(Articles {
                fingerprints: encode_fingerprints(&self.fingerprints),
                stories: self.stories.clone(),
                related: self.pins.clone(),
                ..self.articles.clone()
            }),
            terms: Some(encode_terms(postings, |hash| self.stored_df(hash), &[])),
            ..self.header()
        }
    }

    /// Every article's related articles, as (article, whole-vector
    /// cosine), best first by `list_score`.
    /// The engine's own first round over this index (pruned weights)
    /// proposes candidates; whole vectors rank them (`list_score`); the
    /// engine's walk leaves out the article, its copies and repeated
    /// stories.
    fn rank_lists(&self, index: &Index, k: usize) -> Vec<Vec<(u32, f32)>> {
        let candidates = self.list_candidates(index);
        self.walk_lists(index, k, candidates)
    }

    /// Ranks every article's related list of `k` now (`related_lists` and
    /// `clustered` then take them as ranked) and frees the term table, which
    /// only the ranking reads, as soon as the ranking is done with it: at
    /// 1,000,000 articles it holds gigabytes that the cluster and list files
    /// would otherwise be made beside. A later ranking for a longer `k` is a
    /// mistake of the caller's, and panics.
    pub fn rank_lists_then_free_terms(&mut self, k: usize) {
        let index = Index::from_file(self.list_ranking_file()).expect("a freshly built index decodes");
        let candidates = self.list_candidates(&index);
        self.terms.free();
        let lists = self.walk_lists(&index, k, candidates);
        *self.ranked.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((k, lists));
    }

    /// The first of `rank_lists`' two passes: each article's candidates
    /// with their whole-vector cosines, and its nearest neighbours.
    fn list_candidates(&self, index: &Index) -> ListCandidates {
        let keys = self.url_keys();
        let articles: Vec<usize> = (0..self.terms.len()).collect();
        let (cosines, neighbours): (Vec<Vec<_>>, Vec<Vec<u32>>) =
            par_map(articles, |a| self.candidate_row(index, &keys, a)).into_iter().unzip();
        ListCandidates { cosines, neighbours }
    }

    /// Every article's `url_key`, by id.
    fn url_keys(&self) -> Vec<String> {
        par_map(self.articles.url.iter().collect(), |url| url_key(url))
    }

    /// Article `a`'s row of the first pass (`list_candidates`): its
    /// candidates with their whole-vector cosines, and its nearest
    /// neighbours, sorted. `keys` are `url_keys`.
    fn candidate_row(&self, index: &Index, keys: &[String], a: usize) -> (Vec<(u32, f32)>, Vec<u32>) {
        assert!(
            !self.terms.freed(),
            "the related lists were ranked for a shorter length, and the terms freed"
        );
        // A list holds articles in its article's language only: the box
        // shows the page's language by default (`QueryOptions::any_language`
        // goes to the engine), so lists need not carry languages.
        let languages = self.articles.language.as_ref();
        let same_language = |b: u32| languages.is_none_or(|l| l[a] == l[b as usize]);
        // Two passes: every article's nearest neighbours by cosine first,
        // then each list scored with the neighbours the two share. The
        // first pass keeps each article's candidates and cosines for the
        // second (at 100,000 articles ranking them was most of the build).
        let counts = self.terms.counts(a);
        let query = Query {
            url: &self.articles.url[a],
            counts: &counts,
            fingerprint: self.fingerprints[a],
            section: self.articles.section.as_ref().and_then(|s| s[a].as_deref()),
        };
        let (candidates, own) = index.list_candidates(query, keys);
        let kept: Vec<u32> = candidates
            .into_iter()
            .map(|(b, _)| b)
            .filter(|b| !own.contains(b) && same_language(*b))
            .collect();
        let vectors = kept.iter().map(|&b| self.terms.vector(b as usize));
        let cosines = cosines_with(self.terms.vector(a), vectors);
        let mut cosines: Vec<(u32, f32)> = kept.into_iter().zip(cosines).collect();
        // Kept for every article: no spare capacity.
        cosines.shrink_to_fit();
        let mut scored = cosines.clone();
        scored.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut nearest: Vec<u32> =
            scored.iter().take(NEIGHBOURS).filter(|t| t.1 >= NEIGHBOUR_COSINE).map(|t| t.0).collect();
        nearest.sort_unstable();
        (cosines, nearest)
    }

    /// The second pass of `rank_lists`: each list ranked from its
    /// candidates and walked as the engine walks, `k` long.
    fn walk_lists(&self, index: &Index, k: usize, candidates: ListCandidates) -> RankedLists {
        let ListCandidates { cosines, neighbours } = candidates;
        par_map(cosines.into_iter().enumerate().collect(), |(a, cosines)| {
            self.walk_list(index, k, a, &cosines, &neighbours[a], |b| &neighbours[b as usize])
        })
    }

    /// Article `a`'s list of the second pass (`walk_lists`) from its row of
    /// the first (`cosines`, `nearest`) and its candidates' neighbours.
    fn walk_list<'n>(
        &self,
        index: &Index,
        k: usize,
        a: usize,
        cosines: &[(u32, f32)],
        nearest: &[u32],
        neighbours: impl Fn(u32) -> &'n [u32],
    ) -> Vec<(u32, f32)> {
        // Ranked by `list_score`, each entry keeps its whole-vector cosine:
        // the order uses the archive's clusters, the score is the pair's
        // similarity alone, on about the engine's scale (on BBC's top 5,
        // the same pairs score a median 1.17 times the engine's score).
        // The engine's own score of the pair was tried: the lists hold
        // many pairs the pruned engine scores low or not at all (430 of
        // BBC's 11,125 top-5 entries), and any minimum cut those.
        let others = cosines.iter().map(|&(b, _)| neighbours(b));
        let shared = shared_counts(nearest, others);
        let ranked = cosines
            .iter()
            .zip(shared)
            .map(|(&(b, cosine), shared)| (b, list_score(cosine, shared)))
            .collect();
        let cosine_of = |b: u32| cosines.iter().find(|t| t.0 == b).map_or(0.0, |t| t.1);
        index
            .walk_list(&self.articles.url[a], self.fingerprints[a], k, ranked)
            .into_iter()
            .map(|(b, _)| (b, cosine_of(b)))
            .collect()
    }

    /// Every article's URL and its `k` related articles as a box shows
    /// them, ranked afresh: what a template needs to render the box as
    /// plain links.
    /// Only articles scoring at least `min_score` are listed; the ranking
    /// is shared with the cluster layout's lists, not done twice.
    pub fn related_lists(&self, k: usize, min_score: f32) -> Vec<(String, Vec<Listed>)> {
        let index = Index::from_file(self.list_ranking_file()).expect("a freshly built index decodes");
        let listed = |(b, score): Entry| {
            listed_entry(index.article(b).expect("a whole index holds every article").listed(), score)
        };
        let ranked = self.ranked_lists(&index, k, min_score);
        // On every core: besides the time, each list is then made where the
        // ranking's freed memory is (a million articles' lists hold gigabytes).
        let urls = self.articles.url.iter();
        par_map(urls.zip(ranked).collect(), |(url, ranked)| {
            (url.clone(), ranked.into_iter().map(listed).collect())
        })
    }

    /// The index the lists are ranked over: the single file, with each
    /// term's `LIST_POSTINGS` heaviest postings past `LIST_POSTINGS_FROM`
    /// articles when the build kept them all (the cluster layout does: a
    /// query reads a few clusters, never a term's whole list). Candidates
    /// from every posting of a common term made a 100,000-article build
    /// rank each list over most of the archive (hours).
    fn list_ranking_file(&self) -> IndexFile {
        self.single_of(&self.list_ranking_postings())
    }

    /// The postings of `list_ranking_file`.
    fn list_ranking_postings(&self) -> std::borrow::Cow<'_, [(u64, u32, u32)]> {
        let uncapped = self.options.max_postings_per_term == 0;
        if !uncapped || self.terms.len() <= LIST_POSTINGS_FROM {
            return std::borrow::Cow::Borrowed(&self.postings);
        }
        let ties = tie_order(self.articles.url.iter().map(String::as_str));
        std::borrow::Cow::Owned(strongest_postings(&self.postings, LIST_POSTINGS, &ties))
    }

    /// `rank_lists`, done once per build for the longest `k` asked, each
    /// list cut at `k` and `min_score`: the first `k` of a longer walk are
    /// the walk for `k`. An article's pins (`Articles::related`) come
    /// first, unscored and not held to `min_score`; the ranked articles
    /// follow, leaving out the pins and their stories.
    fn ranked_lists(&self, index: &Index, k: usize, min_score: f32) -> Vec<Vec<Entry>> {
        let mut cache = self.ranked.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.as_ref().is_none_or(|(length, _)| *length < k) {
            *cache = Some((k, self.rank_lists(index, k)));
        }
        let (_, lists) = cache.as_ref().expect("ranked just now");
        let mut groups = self.pins.iter().peekable();
        lists
            .iter()
            .enumerate()
            .map(|(a, list)| {
                let pins = match groups.next_if(|group| group[0] as usize == a) {
                    Some(group) => &group[1..],
                    None => &[],
                };
                self.entries(index, pins, list, k, min_score)
            })
            .collect()
    }

    /// A ranked list (`rank_lists`) as stored: the article's pins (`pins`,
    /// of `Articles::related`) first, unscored and not held to
    /// `min_score`; the ranked articles follow, leaving out the pins and
    /// their stories, cut at `k` and `min_score`.
    fn entries(
        &self,
        index: &Index,
        pins: &[u32],
        list: &[(u32, f32)],
        k: usize,
        min_score: f32,
    ) -> Vec<Entry> {
        let story = |b: u32| index.article(b).expect("a whole index holds every article").story();
        let pins = &pins[..pins.len().min(k)];
        let pin_stories: Vec<u32> = pins.iter().map(|&p| story(p)).collect();
        let mut entries: Vec<Entry> = pins.iter().map(|&p| (p, None)).collect();
        entries.extend(
            list.iter()
                .filter(|&&(b, _)| !pin_stories.contains(&story(b)))
                .take(k - pins.len())
                // The unrounded score, as the engine holds it.
                .filter(|&&(_, score)| score >= min_score)
                .map(|&(b, score)| (b, Some(score))),
        );
        entries
    }

    /// The common terms (`Scoring::common_df`): hashes and df only.
    fn head(&self) -> Terms {
        let head: Vec<(u64, u32, u32)> =
            self.head_terms().into_iter().map(|(hash, _)| (hash, 0, 0)).collect();
        let mut head = encode_terms(&head, |hash| self.stored_df(hash), &[]);
        head.lengths.clear();
        head.articles.clear();
        head.weights.clear();
        head
    }

    /// The common terms as (hash, stored df), ascending: the engine file's
    /// head, which cluster files name their common terms by.
    pub(crate) fn head_terms(&self) -> Vec<(u64, u32)> {
        let common_df = self.scoring.common_df;
        let mut head: Vec<(u64, u32)> = self
            .df
            .iter()
            .filter(|t| *t.1 >= common_df)
            .map(|(&hash, _)| (hash, self.stored_df(hash)))
            .collect();
        head.sort_unstable();
        head
    }

    /// The newest publication day of its articles (`YYYY-MM-DD`), if any
    /// has a date: the manifest's `lists.newest`.
    pub(crate) fn newest_day(&self) -> Option<String> {
        self.articles.day.as_ref()?.iter().flatten().max().map(|&day| crate::article::format_day(day))
    }

    /// `ManifestLists::newest_time`.
    pub(crate) fn newest_time(&self) -> Option<String> {
        self.newest_time.map(crate::article::format_instant)
    }

    /// `ManifestLists::members`: a filter of every article's URL key, so
    /// of every page that has a list (and of those whose list is empty,
    /// which then look in vain, as without it).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn members(&self) -> Option<crate::members::Members> {
        crate::members::Members::of(self.articles.url.iter().map(|url| url_key(url)))
    }

    fn header(&self) -> IndexFile {
        IndexFile {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            language: self.options.language.name().to_string(),
            stop_words: self.stop_words.clone(),
            languages: self.languages.clone(),
            scoring: self.scoring.clone(),
            articles: None,
            terms: None,
            retired_shards: false,
            latest: self.latest.clone(),
        }
    }
}

/// Past this many articles, an index that keeps every posting ranks its
/// related lists over each term's `LIST_POSTINGS` heaviest
/// (`BuiltIndex::list_ranking_file`).
const LIST_POSTINGS_FROM: usize = 20_000;
const LIST_POSTINGS: usize = 128;

/// How many nearest neighbours (by whole-vector cosine) of each article
/// the stored lists' scores compare. Measured on the BBC corpus, P@5 of
/// the stored lists: 0.948 with 20, 0.955 with 50, 0.956 with 100.
const NEIGHBOURS: usize = 50;

/// A neighbour must have at least this cosine with the article: in a small
/// archive, or for an article like nothing else, the nearest 50 would
/// otherwise be nearly everyone, and every pair would share them all.
const NEIGHBOUR_COSINE: f32 = 0.05;

/// How related article `b` is to article `a` in a stored list: the mean
/// of their whole-vector cosine and the share of their `NEIGHBOURS`
/// nearest neighbours they have in common (shared-nearest-neighbour
/// similarity, which lets the archive's own clusters vote). Both halves
/// are between 0 and 1, and so is the score: it is graded, not scaled to
/// the best match, so that a text sharing only boilerplate with the
/// archive scores low against all of it (tests/fixtures/boilerplate.jsonl:
/// at most 0.05, where its real matches score 0.10 and up). Measured on
/// the BBC corpus, P@5 of the stored lists: 0.939 by cosine alone, 0.955
/// with the neighbours.
fn list_score(cosine: f32, shared: usize) -> f32 {
    (cosine + shared as f32 / NEIGHBOURS as f32) / 2.0
}

thread_local! {
    /// `shared_counts`' set of one article's neighbours, a bit per
    /// article, all clear between calls.
    static MARKED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How many ids of `a` each list `others` yields has too (each a sorted
/// list of distinct ids, as neighbours are): `a` is marked once in a bit
/// set, and each other list's ids are looked up in it. A list is scored
/// against each of its 200 candidates' neighbours; a merge per pair, whose
/// branches go either way, took a third of the lists' ranking at 100,000.
fn shared_counts<'v>(a: &[u32], others: impl Iterator<Item = &'v [u32]>) -> Vec<usize> {
    MARKED.with_borrow_mut(|marked| {
        // Long enough for every id of `ids` (the last, as they are sorted).
        let fit = |ids: &[u32], marked: &mut Vec<u64>| {
            let reach = ids.last().map_or(0, |&id| id as usize / 64 + 1);
            if marked.len() < reach {
                marked.resize(reach, 0);
            }
        };
        fit(a, marked);
        for &id in a {
            marked[id as usize / 64] |= 1 << (id % 64);
        }
        let counts = others
            .map(|ids| {
                fit(ids, marked);
                ids.iter().map(|&id| (marked[id as usize / 64] >> (id % 64) & 1) as usize).sum()
            })
            .collect();
        for &id in a {
            marked[id as usize / 64] = 0;
        }
        counts
    })
}

/// One entry of a stored list: an article and its score, or `None` for
/// an editor's pick.
type Entry = (u32, Option<f32>);

/// A list entry as stored: a ranked article with its score in hundredths,
/// or a pin, marked and unscored.
fn listed_entry(listed: Listed, score: Option<f32>) -> Listed {
    match score {
        Some(score) => Listed { score: Some(list_score_stored(score)), ..listed },
        None => Listed { pinned: true, ..listed },
    }
}

/// A list score as stored: in hundredths.
fn list_score_stored(score: f32) -> f32 {
    (score * 100.0).round() / 100.0
}

/// Every article's terms in one flat table, side by side by term id (once
/// `truncate_hashes`: a term's rank among the archive's hashes, so id order
/// is hash order):
/// title-weighted counts, and whole TF-IDF vector weights once `weigh`ed.
/// A million articles hold about 200 million terms: 8 bytes each while
/// articles are read and 12 once weighed, where a count list and a vector
/// per article took 16 and 24 (and an allocation each).
#[derive(Default)]
pub(crate) struct TermTable {
    /// Article `a`'s terms are `starts[a]..starts[a + 1]`.
    starts: Vec<usize>,
    ids: Vec<u32>,
    counts: Vec<f32>,
    /// Unit-vector weights; 0 for a term the vector leaves out.
    weights: Vec<f32>,
    /// Each id's hash.
    hashes: Vec<u64>,
    /// Each 64-bit hash's id while articles are added.
    lookup: HashMap<u64, u32>,
    /// Whether the terms are gone (`free`): only the count of articles is left.
    freed: bool,
}

impl TermTable {
    /// Adds an article's counts (64-bit hashes) as the next article's.
    fn push(&mut self, counts: &TermCounts) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for (hash, count) in counts.iter() {
            let next = self.hashes.len() as u32;
            let id = *self.lookup.entry(hash).or_insert(next);
            if id == next {
                self.hashes.push(hash);
            }
            self.ids.push(id);
            self.counts.push(count);
        }
        self.starts.push(self.ids.len());
    }

    /// Cuts every hash to its top `bits` bits (of 64) and merges an
    /// article's terms that then share a hash, as `TermCounts::truncate_hashes`
    /// does, in place; ids become ranks among the cut hashes (id order is
    /// hash order) and the vectors' weights are made room for.
    fn truncate_hashes(&mut self, bits: u8) {
        self.lookup = HashMap::new();
        let shift = 64 - u32::from(bits);
        let short = |hash: u64| hash.checked_shr(shift).unwrap_or(0);
        let mut shorts: Vec<u64> = self.hashes.iter().map(|&hash| short(hash)).collect();
        shorts.sort_unstable();
        shorts.dedup();
        let new_id: Vec<u32> = self
            .hashes
            .iter()
            .map(|&hash| shorts.binary_search(&short(hash)).expect("every cut hash is listed") as u32)
            .collect();
        // Each article's terms are in the order of their 64-bit hashes, so
        // terms that collide are neighbours, added in the same order.
        let mut kept = 0;
        for a in 0..self.starts.len().saturating_sub(1) {
            let (start, end) = (self.starts[a], self.starts[a + 1]);
            self.starts[a] = kept;
            for i in start..end {
                let (id, count) = (new_id[self.ids[i] as usize], self.counts[i]);
                if kept > self.starts[a] && self.ids[kept - 1] == id {
                    self.counts[kept - 1] += count;
                } else {
                    self.ids[kept] = id;
                    self.counts[kept] = count;
                    kept += 1;
                }
            }
        }
        if let Some(last) = self.starts.last_mut() {
            *last = kept;
        }
        self.ids.truncate(kept);
        self.counts.truncate(kept);
        self.ids.shrink_to_fit();
        self.counts.shrink_to_fit();
        self.hashes = shorts;
        self.weights = vec![0.0; kept];
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Frees every article's terms (the bulk of the table), keeping how
    /// many articles there are.
    fn free(&mut self) {
        self.ids = Vec::new();
        self.counts = Vec::new();
        self.weights = Vec::new();
        self.lookup = HashMap::new();
        self.freed = true;
    }

    fn freed(&self) -> bool {
        self.freed
    }

    fn range(&self, a: usize) -> std::ops::Range<usize> {
        self.starts[a]..self.starts[a + 1]
    }

    /// Article `a`'s term ids, in id order.
    #[cfg(not(target_arch = "wasm32"))]
    fn ids_of(&self, a: usize) -> &[u32] {
        &self.ids[self.range(a)]
    }

    /// How many terms there are, and the id of a hash (id order is hash order).
    #[cfg(not(target_arch = "wasm32"))]
    fn hashes_len(&self) -> usize {
        self.hashes.len()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn id_of(&self, hash: u64) -> Option<u32> {
        self.hashes.binary_search(&hash).ok().map(|id| id as u32)
    }

    /// Article `a`'s (term id, count), in id order.
    fn id_counts(&self, a: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let range = self.range(a);
        self.ids[range.clone()].iter().copied().zip(self.counts[range].iter().copied())
    }

    /// Article `a`'s counts as a query takes them.
    fn counts(&self, a: usize) -> TermCounts {
        TermCounts::from_sorted(
            self.id_counts(a).map(|(id, count)| (self.hashes[id as usize], count)).collect(),
        )
    }

    /// Article `a`'s whole vector: term ids and weights (0 for a term left out).
    fn vector(&self, a: usize) -> (&[u32], &[f32]) {
        let range = self.range(a);
        (&self.ids[range.clone()], &self.weights[range])
    }

    /// Sets every article's whole TF-IDF vector, every term (rare ones
    /// too: they add to its length, as in any textbook cosine), as a unit
    /// vector. `idf` gives a term's idf, or `None` for a term left out.
    fn weigh(&mut self, idf: impl Fn(u32) -> Option<f32> + Sync + Send) {
        let mut rest = self.weights.as_mut_slice();
        let mut slices = Vec::with_capacity(self.starts.len() - 1);
        for pair in self.starts.windows(2) {
            let (slice, tail) = rest.split_at_mut(pair[1] - pair[0]);
            slices.push((pair[0], slice));
            rest = tail;
        }
        let (ids, counts) = (&self.ids, &self.counts);
        par_map(slices, |(start, weights)| {
            for (i, weight) in weights.iter_mut().enumerate() {
                *weight = idf(ids[start + i]).map_or(0.0, |idf| weight::tf(counts[start + i]) * idf);
            }
            let length = weight::norm(weights.iter().copied().filter(|&w| w != 0.0));
            if length > 0.0 {
                weights.iter_mut().for_each(|w| *w /= length);
            }
        });
    }
}

thread_local! {
    /// `cosines_with`'s dense copy of one vector, all zeros between calls.
    static DENSE: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `a`'s cosine with each vector `others` yields (term ids and weights),
/// each the very sum a merge of the two makes: `a` is spread once over a
/// dense array by term id, and each other vector's terms are looked up in
/// it, in id order, a term `a` lacks (or a weight of 0) adding zero
/// (weights are positive). A list's 200 candidates cost a lookup per
/// candidate term instead of a merge per pair.
fn cosines_with<'v>(a: (&[u32], &[f32]), others: impl Iterator<Item = (&'v [u32], &'v [f32])>) -> Vec<f32> {
    DENSE.with_borrow_mut(|dense| {
        // Long enough for every id of `ids` (the last, in id order).
        let fit = |ids: &[u32], dense: &mut Vec<f32>| {
            let reach = ids.last().map_or(0, |&id| id as usize + 1);
            if dense.len() < reach {
                dense.resize(reach, 0.0);
            }
        };
        fit(a.0, dense);
        for (&id, &w) in a.0.iter().zip(a.1) {
            dense[id as usize] = w;
        }
        let sums = others
            .map(|(ids, weights)| {
                fit(ids, dense);
                ids.iter().zip(weights).fold(0.0, |sum, (&id, &w)| sum + dense[id as usize] * w)
            })
            .collect();
        for &id in a.0 {
            dense[id as usize] = 0.0;
        }
        sums
    })
}

/// The least score a stored list keeps by default: the engine's own
/// (`query::DEFAULT_MIN_SCORE`), one minimum for both paths, since a list
/// entry's score (the pair's whole-vector cosine) is on about the engine's
/// scale. Measured on the BBC corpus's top 5: 22 of 2,225 lists shrink
/// (none to nothing), 5 of the 499 links to another label go and 26 to
/// the same (the engine: 5 boxes, 2 and 4 links). On
/// tests/fixtures/boilerplate.jsonl (short texts) the three articles that
/// share only a copyright line with the rest keep no link and are in no
/// list; 3 of the 45 real articles keep fewer than three (the engine path,
/// at the same minimum: 6).
pub const DEFAULT_MIN_SCORE: f32 = crate::query::DEFAULT_MIN_SCORE;

/// The df of the `count`th most common term (at least 2): terms this
/// common are listed in the cluster layout's engine file.
fn common_df(df: &HashMap<u64, u32>, count: u32) -> u32 {
    let mut dfs: Vec<u32> = df.values().copied().collect();
    dfs.sort_unstable_by(|a, b| b.cmp(a));
    dfs.get(count.saturating_sub(1) as usize).map_or(2, |&df| df.max(2))
}

/// The story groups (copies of one story, leader first) of each file's
/// range of rows, cut down to the leader and the members in the range:
/// all a query needs to know a story by its leader, and small however
/// often a story was told. Each cut takes time in its own rows, not in
/// every story: a million articles in 3,000 cluster files made a scan of
/// every story per file the build's longest step.
/// `groups` must be sorted, each group sorted (its leader first).
pub(crate) struct StoriesByRow<'a> {
    groups: &'a [Vec<u32>],
    /// (article, group) for every member of every group, by article.
    members: Vec<(u32, u32)>,
}

impl<'a> StoriesByRow<'a> {
    pub(crate) fn new(groups: &'a [Vec<u32>]) -> Self {
        let mut members: Vec<(u32, u32)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.iter().map(move |&a| (a, g as u32)))
            .collect();
        members.sort_unstable();
        StoriesByRow { groups, members }
    }

    /// The groups with a member in `rows`, in their order, each cut to
    /// its leader and its members in `rows`; a leader alone is left out.
    pub(crate) fn within(&self, rows: &std::ops::Range<usize>) -> Vec<Vec<u32>> {
        let from = self.members.partition_point(|m| (m.0 as usize) < rows.start);
        let to = self.members.partition_point(|m| (m.0 as usize) < rows.end);
        let mut touched: Vec<u32> = self.members[from..to].iter().map(|m| m.1).collect();
        touched.sort_unstable();
        touched.dedup();
        touched
            .into_iter()
            .filter_map(|g| {
                let group = &self.groups[g as usize];
                let start = group.partition_point(|&a| (a as usize) < rows.start);
                let end = group.partition_point(|&a| (a as usize) < rows.end);
                let mut cut = Vec::with_capacity(end - start + 1);
                if start > 0 {
                    cut.push(group[0]);
                }
                cut.extend_from_slice(&group[start..end]);
                (cut.len() > 1).then_some(cut)
            })
            .collect()
    }
}

fn slice_articles(articles: &Articles, rows: std::ops::Range<usize>) -> Articles {
    let slice = |column: &Option<Vec<Option<String>>>| column.as_ref().map(|c| c[rows.clone()].to_vec());
    Articles {
        url: articles.url[rows.clone()].to_vec(),
        title: articles.title[rows.clone()].to_vec(),
        day: articles.day.as_ref().map(|c| c[rows.clone()].to_vec()),
        section: slice(&articles.section),
        image: slice(&articles.image),
        snippet: slice(&articles.snippet),
        language: slice(&articles.language),
        fingerprints: String::new(),
        stories: Vec::new(),
        related: Vec::new(),
    }
}

/// Packs postings sorted by (term hash, article) into `Terms`, with each
/// term's df as `df` gives it. A term of `head` (the engine file's, as
/// (hash, df) ascending) with that df is named by its place there, its
/// postings first: a cluster file's common terms then cost a character or
/// two rather than a hash and a df (about 15% of a cluster file gzipped).
pub(crate) fn encode_terms(
    postings: &[(u64, u32, u32)],
    df: impl Fn(u64) -> u32,
    head: &[(u64, u32)],
) -> Terms {
    let mut terms = Terms::default();
    let place = |hash: u64, df: u32| head.binary_search(&(hash, df)).ok();
    let groups = || postings.chunk_by(|a, b| a.0 == b.0);
    let put_postings = |terms: &mut Terms, group: &[(u64, u32, u32)]| {
        put_vlq(&mut terms.lengths, group.len() as u64);
        let mut previous_article = 0;
        for &(_, article, level) in group {
            put_vlq(&mut terms.articles, u64::from(article - previous_article));
            put_digit(&mut terms.weights, level as u8);
            previous_article = article;
        }
    };
    let mut previous_place = 0;
    for group in groups() {
        if let Some(place) = place(group[0].0, df(group[0].0)) {
            put_vlq(&mut terms.head, (place - previous_place) as u64);
            previous_place = place;
            put_postings(&mut terms, group);
        }
    }
    let mut previous_hash = 0;
    for group in groups() {
        let (hash, df) = (group[0].0, df(group[0].0));
        if place(hash, df).is_none() {
            put_vlq(&mut terms.hashes, hash - previous_hash);
            previous_hash = hash;
            put_vlq(&mut terms.df, u64::from(df));
            put_postings(&mut terms, group);
            terms.count += 1;
        }
    }
    terms
}

fn encode_fingerprints(fingerprints: &[u16]) -> String {
    let mut text = String::with_capacity(3 * fingerprints.len());
    for &print in fingerprints {
        for shift in [12, 6, 0] {
            put_digit(&mut text, ((print >> shift) & 63) as u8);
        }
    }
    text
}

/// Enough bits that the distinct terms spread thinly over the hash space.
fn hash_bits_for(distinct: usize, extra: u8) -> u8 {
    let needed = 64 - (distinct.max(1) as u64).leading_zeros() as u8;
    (needed + extra).clamp(8, 64)
}

/// The range the weight levels span: from the 0.01st to the 99.99th
/// percentile of the kept weights (the few outside are clamped), widened to
/// whole quarter powers of two so that a rebuild with a few more articles
/// almost always keeps it, and quantises the old articles alike.
fn weight_range(kept: &[Vec<(u64, f32)>]) -> (f32, f32) {
    let mut weights: Vec<f32> = kept.iter().flatten().map(|(_, w)| *w).filter(|w| *w > 0.0).collect();
    if weights.is_empty() {
        return (1.0, 1.0);
    }
    weights.sort_unstable_by(f32::total_cmp);
    let at = |fraction: f32| weights[((weights.len() - 1) as f32 * fraction) as usize];
    let (low, high) = (at(0.0001), at(0.9999));
    let low = 2f32.powf((4.0 * low.log2()).floor() / 4.0);
    let high = 2f32.powf((4.0 * high.log2()).ceil() / 4.0).min(1.0);
    (low.min(high), high)
}

/// `items.map(f)`, in order, on every core where there are several.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn par_map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync + Send) -> Vec<U> {
    use rayon::prelude::*;
    items.into_par_iter().map(f).collect()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn par_map<T, U>(items: Vec<T>, f: impl Fn(T) -> U) -> Vec<U> {
    items.into_iter().map(f).collect()
}

/// Each term's `limit` heaviest postings, still sorted by term and article.
/// Among equal weights (quantised: a common term's list is mostly ties)
/// the article with the lower `ties[article]` goes first: a hash of its URL
/// (`tie_order`), not its place in the archive. Breaking ties by place
/// handed each rebuild's new articles every tie of every common term, and
/// so a place in far more related lists than their share (100,000
/// articles: 1% new joined 79% of the old lists).
fn strongest_postings(postings: &[(u64, u32, u32)], limit: usize, ties: &[u32]) -> Vec<(u64, u32, u32)> {
    let mut kept = Vec::with_capacity(postings.len());
    for term in postings.chunk_by(|a, b| a.0 == b.0) {
        let mut term = term.to_vec();
        if term.len() > limit {
            term.sort_unstable_by(|a, b| {
                b.2.cmp(&a.2).then(ties[a.1 as usize].cmp(&ties[b.1 as usize])).then(a.1.cmp(&b.1))
            });
            term.truncate(limit);
            term.sort_unstable();
        }
        kept.extend(term);
    }
    kept
}

/// Each article's rank among equals in `strongest_postings`: the 32-bit
/// FNV-1a hash of its URL key, the same whichever articles came before it.
fn tie_order<'a>(urls: impl Iterator<Item = &'a str>) -> Vec<u32> {
    urls.map(|url| crate::text::list_bucket_of(&crate::text::url_key(url), 32)).collect()
}

/// How strongly a term claims a place among an article's kept terms.
pub(crate) fn keep_rank(weight: f32, df: u32, common_term_bias: f32) -> f32 {
    weight * (df as f32).powf(common_term_bias)
}

/// The `limit` terms that `rank` puts first (it returns `None` for terms
/// not to keep), as a unit vector: renormalising after pruning measured
/// better than keeping each term's share of the unpruned vector. Ties break
/// on the hash so that builds are reproducible.
pub(crate) fn strongest_terms(
    weights: &[(u64, f32)],
    limit: usize,
    rank: impl Fn(u64, f32) -> Option<f32>,
) -> Vec<(u64, f32)> {
    let mut ranked: Vec<(f32, u64, f32)> =
        weights.iter().filter_map(|&(hash, w)| Some((rank(hash, w)?, hash, w))).collect();
    ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.truncate(limit);
    let length = weight::norm(ranked.iter().map(|r| r.2));
    // A new vector of the kept terms alone: collected from `ranked`, it
    // would keep `ranked`'s allocation, one for every term of the article
    // (at 100,000 articles, 350 MB where the kept terms take 50).
    let mut kept = Vec::with_capacity(ranked.len());
    kept.extend(ranked.iter().map(|&(_, hash, w)| (hash, w / length)));
    kept
}

fn metadata(articles: &[Article], snippets: Vec<Option<String>>) -> Articles {
    fn column<T>(articles: &[Article], value: impl Fn(&Article) -> Option<T>) -> Option<Vec<Option<T>>> {
        let values: Vec<Option<T>> = articles.iter().map(value).collect();
        values.iter().any(Option::is_some).then_some(values)
    }
    let text = |value: &Option<String>| {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
    };
    Articles {
        url: articles.iter().map(|a| a.url.clone()).collect(),
        title: articles.iter().map(|a| a.title.trim().to_string()).collect(),
        day: column(articles, |a| a.day().ok().flatten()),
        section: column(articles, |a| text(&a.section)),
        image: column(articles, |a| text(&a.image)),
        snippet: snippets.iter().any(Option::is_some).then_some(snippets),
        language: column(articles, |a| a.language.clone()),
        fingerprints: String::new(),
        stories: Vec::new(),
        related: Vec::new(),
    }
}

/// The start of `body`, cut at a word boundary, with an ellipsis if cut;
/// none when `max_chars` is 0.
fn snippet(body: &str, max_chars: usize) -> Option<String> {
    if max_chars == 0 {
        return None;
    }
    let text = crate::text::collapse(body);
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= max_chars {
        return Some(text);
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    Some(format!("{}…", cut.trim_end_matches(|c: char| c.is_ascii_punctuation())))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    /// What `StoriesByRow::within` must give, the plain way: every story
    /// scanned, each cut down to its leader and its members in `rows`.
    fn stories_within(groups: &[Vec<u32>], rows: &std::ops::Range<usize>) -> Vec<Vec<u32>> {
        groups
            .iter()
            .filter_map(|group| {
                let mut cut: Vec<u32> =
                    group.iter().copied().filter(|&a| rows.contains(&(a as usize))).collect();
                if cut.is_empty() {
                    return None;
                }
                if cut[0] != group[0] {
                    cut.insert(0, group[0]);
                }
                // A leader alone here needs no group: it stands for itself.
                (cut.len() > 1).then_some(cut)
            })
            .collect()
    }

    #[test]
    fn stories_by_row_cut_as_stories_within() {
        let mut seed = 11u64;
        let mut next = move |n: u32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32 % n
        };
        // 200 articles, some in one of 30 sorted stories.
        let mut groups: Vec<Vec<u32>> = vec![Vec::new(); 30];
        for a in 0..200 {
            if next(3) == 0 {
                groups[next(30) as usize].push(a);
            }
        }
        groups.retain(|g| g.len() > 1);
        groups.sort_unstable();
        let by_row = StoriesByRow::new(&groups);
        let mut first = 0;
        while first < 200 {
            let rows = first..(first + 1 + next(25) as usize).min(200);
            assert_eq!(by_row.within(&rows), stories_within(&groups, &rows), "{rows:?}");
            first = rows.end;
        }
        assert_eq!(by_row.within(&(0..200)), groups);
    }

    /// Terms of the head are named by their place there and decode to the
    /// table the same terms named by hash give; a term whose df is not the
    /// head's keeps its hash; a place past the head, a place twice, or a
    /// term named both ways is refused.
    #[test]
    fn head_terms_are_named_by_their_place() {
        use crate::index::decode_terms;
        let scoring = news_built().scoring;
        let postings = [(5u64, 0u32, 1u32), (5, 2, 0), (9, 1, 2), (12, 0, 3), (40, 3, 1), (41, 2, 2)];
        let df = |hash: u64| (hash % 7 + 1) as u32;
        let head = [(5, df(5)), (12, df(12)), (30, 2), (40, df(40) + 1)];
        let plain = encode_terms(&postings, df, &[]);
        let named = encode_terms(&postings, df, &head);
        assert_eq!(
            (named.head.as_str(), named.count, plain.count),
            ("AB", 3, 5),
            "5 and 12 by place, not 40"
        );
        assert!(named.hashes.len() < plain.hashes.len() && named.df.len() < plain.df.len());
        let decoded = decode_terms(&named, &scoring, "terms", &head).unwrap();
        assert_eq!(decoded, decode_terms(&plain, &scoring, "terms", &[]).unwrap());
        assert_eq!(decoded.hashes, [5, 9, 12, 40, 41], "ascending, as lookups need");
        let refused =
            |terms: Terms, head: &[(u64, u32)]| decode_terms(&terms, &scoring, "terms", head).unwrap_err();
        let past = refused(Terms { head: "AE".into(), ..named.clone() }, &head);
        assert!(past.contains("head term 1 is past the engine file's head"), "{past}");
        let twice = refused(Terms { head: "AA".into(), ..named.clone() }, &head);
        assert!(twice.contains("repeats the previous one"), "{twice}");
        let both = refused(named.clone(), &[(5, df(5)), (9, df(9))]);
        assert!(both.contains("also named by its place in the head"), "{both}");
        assert!(refused(named, &[]).contains("past the engine file's head"), "a head the reader lacks");
    }

    /// The stored lists are the whole-vector ranking (`list_score`), worked
    /// out here the long way: every pair's cosine, every article's
    /// neighbours, every pair's score, best first; each entry scored by its
    /// cosine and held to the minimum by it.
    fn news_built() -> BuiltIndex {
        let mut builder = IndexBuilder::new(BuildOptions::default()).expect("defaults");
        for line in include_str!("../tests/fixtures/news.jsonl").lines() {
            builder.add(serde_json::from_str(line).expect("a fixture article")).expect("an article");
        }
        builder.build()
    }

    /// Ranking first and freeing the terms (what a full CLI build in
    /// clusters does) changes no list and no file: the same lists for the
    /// same `k` and any shorter one, and the same cluster layout.
    #[test]
    fn ranking_then_freeing_the_terms_changes_nothing() {
        let plain = news_built();
        let mut freed = news_built();
        freed.rank_lists_then_free_terms(10);
        assert!(freed.terms.freed() && freed.terms.ids.is_empty() && freed.terms.weights.is_empty());
        for k in [10, 3] {
            assert_eq!(freed.related_lists(k, 0.1), plain.related_lists(k, 0.1), "k {k}");
        }
        let (a, b) = (plain.clustered(10, 0.1, Some(8), None), freed.clustered(10, 0.1, Some(8), None));
        assert_eq!(a.manifest, b.manifest);
        assert_eq!(a.files(), b.files());
    }

    #[test]
    #[should_panic(expected = "terms freed")]
    fn a_longer_ranking_after_the_terms_are_freed_is_refused() {
        let mut built = news_built();
        built.rank_lists_then_free_terms(5);
        built.related_lists(10, 0.0);
    }

    #[test]
    fn each_list_is_the_whole_vector_ranking() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/news.jsonl"))
            .expect("the fixture");
        let mut builder = IndexBuilder::new(BuildOptions::default()).expect("defaults");
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            let field = |name: &str| value[name].as_str().map(str::to_string);
            builder
                .add(Article {
                    url: field("url").expect("url"),
                    title: field("title").unwrap_or_default(),
                    body: field("body").unwrap_or_default(),
                    ..Article::default()
                })
                .expect("an article");
        }
        let built = builder.build();
        let n = built.terms.len();
        let vectors: Vec<Vec<(u32, f32)>> = (0..n).map(|a| pairs(built.terms.vector(a))).collect();
        let cos = |a: usize, b: usize| cosine(&vectors[a], &vectors[b]);
        let neighbours: Vec<Vec<u32>> = (0..n)
            .map(|a| {
                let mut others: Vec<(u32, f32)> =
                    (0..n).filter(|&b| b != a).map(|b| (b as u32, cos(a, b))).filter(|t| t.1 > 0.0).collect();
                others.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                let mut near: Vec<u32> =
                    others.iter().take(NEIGHBOURS).filter(|t| t.1 >= NEIGHBOUR_COSINE).map(|t| t.0).collect();
                near.sort_unstable();
                near
            })
            .collect();
        let index = Index::from_file(built.single()).expect("decodes");
        for min_score in [0.0, DEFAULT_MIN_SCORE] {
            let lists = built.ranked_lists(&index, 5, min_score);
            for a in 0..n {
                let mut expected: Vec<(u32, f32)> = (0..n)
                    .filter(|&b| b != a && cos(a, b) > 0.0)
                    .map(|b| {
                        let shared = neighbours[a].iter().filter(|n| neighbours[b].binary_search(n).is_ok());
                        (b as u32, list_score(cos(a, b), shared.count()))
                    })
                    .collect();
                expected.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                expected.truncate(5);
                // Ranked by `list_score`, scored and cut by the cosine.
                let expected: Vec<Entry> = expected
                    .into_iter()
                    .map(|(b, _)| (b, cos(a, b as usize)))
                    .filter(|t| t.1 >= min_score)
                    .map(|(b, s)| (b, Some(s)))
                    .collect();
                assert_eq!(lists[a], expected, "article {a}, minimum {min_score}");
            }
            // Uncut, nearly every list is full (the test is not vacuous);
            // this fixture's short texts score low, and the minimum cuts.
            let full = lists.iter().filter(|l| l.len() == 5).count();
            if min_score == 0.0 {
                assert!(full > n * 3 / 4, "only {full} of {n} lists have five articles");
            } else {
                let cut = lists.iter().filter(|l| l.len() < 5).count();
                assert!(cut > 0, "the minimum cut nothing");
            }
        }
    }

    #[test]
    fn snippets_cut_at_words() {
        assert_eq!(snippet("One two three four", 100).unwrap(), "One two three four");
        assert_eq!(snippet("One two three, four", 15).unwrap(), "One two three…");
        assert_eq!(snippet("   ", 10), None);
    }

    #[test]
    fn strongest_terms_are_a_unit_vector() {
        let weights = [(1, 3.0), (2, 4.0), (3, 0.0001)];
        let kept = strongest_terms(&weights, 2, |_, w| Some(w));
        assert_eq!(kept, [(2, 0.8), (1, 0.6)]);
        // Every article's kept terms are held through the build: no room
        // for the terms left out.
        let many: Vec<(u64, f32)> = (1..=200).map(|h| (h, h as f32)).collect();
        assert_eq!(strongest_terms(&many, 30, |_, w| Some(w)).capacity(), 30);
    }

    #[test]
    fn ineligible_terms_are_skipped() {
        let kept = strongest_terms(&[(1, 3.0), (2, 4.0)], 5, |h, w| (h != 2).then_some(w));
        assert_eq!(kept.iter().map(|k| k.0).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_term_keeps_its_heaviest_postings() {
        let postings = [(1, 0, 1), (1, 1, 3), (1, 2, 3), (1, 3, 0), (2, 0, 0)];
        let ties = [0, 0, 0, 0];
        assert_eq!(strongest_postings(&postings, 2, &ties), [(1, 1, 3), (1, 2, 3), (2, 0, 0)]);
        // Among equals, the lower tie rank, then the lower article.
        assert_eq!(strongest_postings(&postings, 1, &ties), [(1, 1, 3), (2, 0, 0)]);
        assert_eq!(strongest_postings(&postings, 1, &[0, 9, 1, 0]), [(1, 2, 3), (2, 0, 0)]);
        assert_eq!(strongest_postings(&postings, 10, &ties), postings);
    }

    /// The dot product of two vectors in term order (the cosine of unit
    /// ones), by a merge of the two: what `cosines_with` must sum.
    fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    #[test]
    fn dense_cosines_are_the_merged_sums() {
        // Pseudo-random sparse unit vectors over 300 term ids.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        let vectors: Vec<Vec<(u32, f32)>> = (0..40)
            .map(|_| {
                let mut ids: Vec<u32> = (0..next() % 60).map(|_| next() % 300).collect();
                ids.sort_unstable();
                ids.dedup();
                let mut vector: Vec<(u32, f32)> =
                    ids.into_iter().map(|id| (id, (next() % 1000 + 1) as f32 / 997.0)).collect();
                let length = weight::norm(vector.iter().map(|t| t.1));
                vector.iter_mut().for_each(|t| t.1 /= length);
                vector
            })
            .collect();
        let split = |v: &Vec<(u32, f32)>| -> (Vec<u32>, Vec<f32>) { v.iter().copied().unzip() };
        let columns: Vec<(Vec<u32>, Vec<f32>)> = vectors.iter().map(split).collect();
        for a in &vectors {
            let a_columns = split(a);
            let dense = cosines_with(
                (&a_columns.0, &a_columns.1),
                columns.iter().map(|(ids, weights)| (ids.as_slice(), weights.as_slice())),
            );
            let merged: Vec<f32> = vectors.iter().map(|b| cosine(a, b)).collect();
            assert_eq!(
                dense.iter().map(|c| c.to_bits()).collect::<Vec<_>>(),
                merged.iter().map(|c| c.to_bits()).collect::<Vec<_>>()
            );
        }
        assert!(vectors.iter().any(|v| v.is_empty()) && vectors.iter().any(|v| v.len() > 20));
    }

    /// A vector's terms of nonzero weight, as (id, weight).
    fn pairs((ids, weights): (&[u32], &[f32])) -> Vec<(u32, f32)> {
        ids.iter().copied().zip(weights.iter().copied()).filter(|t| t.1 != 0.0).collect()
    }

    /// The whole vector as a list per article (before `TermTable`): the
    /// terms `term` keeps, with their ids, as a unit vector.
    fn full_vector(counts: &TermCounts, term: impl Fn(u64) -> Option<(u32, f32)>) -> Vec<(u32, f32)> {
        let mut vector: Vec<(u32, f32)> = counts
            .iter()
            .filter_map(|(hash, count)| {
                let (id, idf) = term(hash)?;
                Some((id, weight::tf(count) * idf))
            })
            .collect();
        let length = weight::norm(vector.iter().map(|t| t.1));
        if length > 0.0 {
            vector.iter_mut().for_each(|t| t.1 /= length);
        }
        vector
    }

    /// The flat table gives back each article's counts and the vectors a
    /// list per article made, to the bit, and the dense cosines over its
    /// columns (zero weights included) are the merged sums of those lists.
    #[test]
    fn the_term_table_holds_what_lists_per_article_held() {
        let mut seed = 11u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        let vocabulary: Vec<u64> = (0..200u64).map(|i| i * 7919 + 3).collect();
        let counts: Vec<TermCounts> = (0..50)
            .map(|_| {
                let mut hashes: Vec<u64> =
                    (0..next() % 40).map(|_| vocabulary[(next() % 200) as usize]).collect();
                hashes.sort_unstable();
                hashes.dedup();
                TermCounts::from_sorted(
                    hashes.into_iter().map(|h| (h, (next() % 9 + 1) as f32 / 2.0)).collect(),
                )
            })
            .collect();
        let mut used: Vec<u64> = counts.iter().flat_map(|c| c.iter().map(|t| t.0)).collect();
        used.sort_unstable();
        used.dedup();
        let id = |hash: u64| used.binary_search(&hash).unwrap() as u32;
        // Every seventh term left out, as `weight::says_nothing` leaves some.
        let idf = |id: u32| (!id.is_multiple_of(7)).then(|| 1.0 + (id % 13) as f32 / 5.0);
        let mut table = TermTable::default();
        for counts in &counts {
            table.push(counts);
        }
        table.truncate_hashes(64);
        assert_eq!(table.hashes, used);
        table.weigh(idf);
        assert_eq!(table.len(), counts.len());
        let old: Vec<Vec<(u32, f32)>> =
            counts.iter().map(|c| full_vector(c, |hash| idf(id(hash)).map(|f| (id(hash), f)))).collect();
        for (a, counts) in counts.iter().enumerate() {
            assert_eq!(&table.counts(a), counts);
            let (ids, weights) = table.vector(a);
            assert_eq!(ids.len(), counts.iter().count());
            let bits = |v: &[(u32, f32)]| v.iter().map(|t| (t.0, t.1.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&pairs((ids, weights))), bits(&old[a]), "article {a}");
            let dense = cosines_with(table.vector(a), (0..table.len()).map(|b| table.vector(b)));
            let merged: Vec<f32> = old.iter().map(|b| cosine(&old[a], b)).collect();
            assert_eq!(
                dense.iter().map(|c| c.to_bits()).collect::<Vec<_>>(),
                merged.iter().map(|c| c.to_bits()).collect::<Vec<_>>()
            );
        }
        assert!(counts.iter().any(|c| c.is_empty()) && old.iter().any(|v| v.len() > 20));
        assert!(old.iter().zip(&counts).any(|(v, c)| v.len() < c.iter().count()), "no term was left out");
    }

    /// Hashes cut in the table merge colliding terms as `TermCounts` does,
    /// with the same sums to the bit.
    #[test]
    fn the_term_table_cuts_hashes_as_term_counts_do() {
        let mut seed = 5u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed
        };
        let counts: Vec<TermCounts> = (0..60)
            .map(|_| {
                let mut hashes: Vec<u64> = (0..next() % 50).map(|_| next()).collect();
                hashes.sort_unstable();
                hashes.dedup();
                TermCounts::from_sorted(hashes.into_iter().map(|h| (h, (h % 7 + 1) as f32 / 3.0)).collect())
            })
            .collect();
        for bits in [64, 12, 6] {
            let mut table = TermTable::default();
            counts.iter().for_each(|c| table.push(c));
            table.truncate_hashes(bits);
            let cut: Vec<TermCounts> = counts.iter().map(|c| c.clone().truncate_hashes(bits)).collect();
            let mut hashes: Vec<u64> = cut.iter().flat_map(|c| c.iter().map(|t| t.0)).collect();
            hashes.sort_unstable();
            hashes.dedup();
            assert_eq!(table.hashes, hashes, "{bits} bits");
            for (a, cut) in cut.iter().enumerate() {
                let bits_of = |c: &TermCounts| c.iter().map(|t| (t.0, t.1.to_bits())).collect::<Vec<_>>();
                assert_eq!(bits_of(&table.counts(a)), bits_of(cut), "article {a}, {bits} bits");
            }
            let merged = cut.iter().zip(&counts).filter(|(c, o)| c.iter().count() < o.iter().count()).count();
            assert!(bits == 64 || merged > 0, "no terms collided at {bits} bits");
        }
    }

    #[test]
    fn shared_neighbours_are_counted_against_one_set() {
        let lists: [&[u32]; 6] = [
            &[],
            &[3],
            &[1, 3, 5, 9],
            &[2, 3, 4, 9, 10],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            &[63, 64, 200],
        ];
        for a in lists {
            let expected: Vec<usize> =
                lists.iter().map(|b| a.iter().filter(|n| b.binary_search(n).is_ok()).count()).collect();
            assert_eq!(shared_counts(a, lists.into_iter()), expected, "{a:?}");
        }
        // The set is clear again after each call.
        assert_eq!(shared_counts(&[], lists.into_iter()), [0; 6]);
    }

    /// A common term whose postings all weigh the same: articles added
    /// after 1,000 others get about their share of the capped list, not
    /// every place a tie frees (the old rule, newest first, gave them all
    /// 10 of 128 places, whatever their share).
    #[test]
    fn new_articles_win_ties_in_proportion() {
        let urls: Vec<String> = (0..1_010).map(|i| format!("/news/{i:04}.html")).collect();
        let ties = tie_order(urls.iter().map(String::as_str));
        let postings: Vec<(u64, u32, u32)> = (0..1_010).map(|a| (7, a, 5)).collect();
        let before = strongest_postings(&postings[..1_000], 128, &ties[..1_000]);
        let after = strongest_postings(&postings, 128, &ties);
        let new = after.iter().filter(|p| p.1 >= 1_000).count();
        // Expected 10 × 128 / 1,010 ≈ 1.3.
        assert!(new <= 4, "{new} of 10 new articles took a place");
        // Old articles keep their places but for the ones the new took.
        let kept = after.iter().filter(|p| before.contains(p)).count();
        assert_eq!(kept, 128 - new);
    }

    #[test]
    fn the_weight_range_covers_the_bulk_in_quarter_octaves() {
        let kept: Vec<Vec<(u64, f32)>> = (1..=1000).map(|i| vec![(0, i as f32 / 1000.0)]).collect();
        let (low, high) = weight_range(&kept);
        assert!(low <= 0.001 && low > 0.001 / 1.2, "{low}");
        assert!((high - 1.0).abs() < 1e-6, "{high}");
        assert!(((4.0 * low.log2()).round() - 4.0 * low.log2()).abs() < 1e-4, "a quarter octave: {low}");
        assert_eq!(weight_range(&[]), (1.0, 1.0));
    }

    #[test]
    fn bad_settings_are_refused() {
        for options in [
            BuildOptions { terms_per_article: 0, ..BuildOptions::default() },
            BuildOptions { weight_bits: 9, ..BuildOptions::default() },
            BuildOptions { title_weight: f32::NAN, ..BuildOptions::default() },
        ] {
            assert!(matches!(IndexBuilder::new(options), Err(Error::BadSettings(_))));
        }
    }
}
