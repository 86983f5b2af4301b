//! Related articles for one article, in steps, so that the cluster layout
//! can fetch what a query needs (`Step::Need`: cell and cluster files, all
//! in the first phase) and a single file never waits:
//!
//! 1. **Terms.** The article's terms are weighed as the builder weighed the
//!    archive's; the strongest `Scoring::query_terms` of them (by weights
//!    known before fetching anything, see `pick_terms`) score articles.
//! 2. **Scores.** Their postings add up cosines. The best `FEEDBACK_POOL`
//!    are re-ranked by pseudo-relevance feedback: the best few vote for the
//!    pool members like themselves, measured over the query's own terms.
//!    This makes up for what pruning took from each article's vector. The
//!    query's own article and its copies abstain (they would only echo
//!    the query).
//! 3. **Walk.** The ranking is walked in batches, leaving out the article
//!    itself, excluded URLs, articles past the maximum age, and any story
//!    already chosen or the same as the query's (see `story`).

use serde::{Deserialize, Serialize};

use crate::article::{Article, parse_day};
use crate::error::Error;
use crate::format::Listed;
use crate::index::{ArticleRow, Index, NeededFile, Posting, TermTable};
use crate::story::fingerprint;
use crate::text::{TermCounts, count_terms, url_key};
use crate::tokenize::Language;
use crate::weight;

/// What to ask for. Everything but `k` is off by default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QueryOptions {
    /// How many related articles to return.
    pub k: usize,
    /// Leave out articles older than this many days before `today`.
    pub max_age_days: Option<u32>,
    /// Halve an article's score for every this many days of age, so that
    /// newer stories win close calls.
    pub half_life_days: Option<f32>,
    /// Multiply the score of articles in the query's own section by this
    /// (1.2 is a gentle nudge).
    pub section_boost: Option<f32>,
    /// Leave out articles scoring below this (0 to 1, see `Related::score`):
    /// the answer is shorter, or empty, rather than padded with weak
    /// matches. `None` is `DEFAULT_MIN_SCORE`; `Some(0.0)` keeps all.
    pub min_score: Option<f32>,
    /// The day ages are counted from, as `YYYY-MM-DD`; defaults to the
    /// query article's date.
    pub today: Option<String>,
    /// URLs never to return, besides the query article's own.
    pub exclude: Vec<String>,
    /// Sections never to return (compared trimmed and lower-cased).
    pub exclude_sections: Vec<String>,
    /// Return only articles published before the query article (its
    /// date, else the index's date for its URL): an archive's page never
    /// points forward. Undated articles are left out, and so is
    /// everything when the query article's date is unknown.
    pub only_older: bool,
    /// The page's language, as a BCP 47 tag (`fr-CA`) or name; defaults
    /// to the article's own (`Article::language`), else the index's default.
    /// The page is read with its stop words and stemmer, and only articles
    /// in it are returned, unless `any_language`.
    pub language: Option<String>,
    /// Return articles in every language the index holds.
    pub any_language: bool,
    /// Say why each result came (`Related::why`).
    pub explain: bool,
    /// When nothing is left (no match clears the minimum, or the filters
    /// leave none), return the newest articles of the query's section
    /// instead, marked `Related::fallback`: those the index lists as its
    /// section's newest (`IndexFile::latest`) that pass the same filters.
    /// An article with no section gets none.
    pub section_fallback: bool,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            k: 5,
            max_age_days: None,
            half_life_days: None,
            section_boost: None,
            min_score: None,
            today: None,
            exclude: Vec::new(),
            exclude_sections: Vec::new(),
            only_older: false,
            language: None,
            any_language: false,
            explain: false,
            section_fallback: false,
        }
    }
}

/// One recommended article, with what the box shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub url: String,
    pub title: String,
    /// How related, from 0 to 1: the cosine similarity with the query
    /// blended with the feedback votes (a weighted mean, see
    /// `add_feedback`), after any boosts.
    pub score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// An editor's pick for the query's article (`Article::related`): it
    /// comes first whatever its score, which is its first-round score (0
    /// if it had none).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// Why it came, when `QueryOptions::explain` asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Why>,
    /// One of the newest articles of the query's section, not a match
    /// (`QueryOptions::section_fallback`); its score is 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

/// Why a result came (`QueryOptions::explain`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Why {
    /// The shared terms that weigh most (`EXPLAINED_TERMS`), each as a word
    /// of the query's own text, with its part of the first-round score,
    /// strongest first.
    pub terms: Vec<(String, f32)>,
    /// The section boost, when the result is in the query's section.
    pub section_boost: Option<f32>,
    /// With a half-life: the result's age in days and the factor its
    /// score was multiplied by.
    pub age: Option<(u32, f32)>,
}

/// How many shared terms an explanation names.
pub const EXPLAINED_TERMS: usize = 5;

/// Largest `k` a query may ask for; more is never a "related" box.
pub const MAX_K: usize = 100;

/// The least score a query returns when its options name none
/// (`QueryOptions::min_score`). Measured (bench/similarity.mjs, and
/// `alike query` over BBC): no BBC article's five best score under 0.08
/// but 6 of 11,125; articles that share only a copyright line with the
/// archive (tests/fixtures/boilerplate.jsonl) score 0.074 at most; on Lee
/// et al.'s rated news pairs it drops 37 unrelated pairs of the 250 top
/// fives and 7 related ones. Stored lists carry these scores and are cut
/// at the same minimum (`build::DEFAULT_MIN_SCORE`).
pub const DEFAULT_MIN_SCORE: f32 = 0.08;

/// How many first-round candidates feedback re-ranks and boosts apply to.
/// Measured: 20 did as well as re-scoring the whole archive on the BBC
/// corpus; 30 leaves room for candidates that the walk drops.
const FEEDBACK_POOL: usize = 30;

/// How far down the ranking the walk may go looking for `k` articles that
/// pass the filters.
const WALK_LIMIT: usize = 200;

std::thread_local! {
    static SCORES: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What a query needs next.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Fetch these files, add them to the index, then step again.
    Need(Vec<NeededFile>),
    /// The answer.
    Done(Vec<Related>),
}

/// A query under way. It borrows nothing, so that the index can take the
/// files it asks for between steps.
pub struct Search {
    k: usize,
    /// Keys (see `url_key`) of the query's URL and the excluded ones.
    excluded_urls: Vec<String>,
    fingerprint: u16,
    today: Option<i32>,
    max_age: Option<u32>,
    half_life: Option<f32>,
    section: Option<String>,
    section_boost: f32,
    min_score: f32,
    /// The editors' picks for the query's article, once found (`Phase::Pins`).
    pins: Vec<u32>,
    /// `QueryOptions::exclude_sections`, trimmed and lower-cased.
    excluded_sections: Vec<String>,
    only_older: bool,
    /// `QueryOptions::section_fallback`, and whether the answer is one.
    section_fallback: bool,
    fell_back: bool,
    /// The language results must be in (`None` inside: the index's
    /// default); `None`: any.
    only_language: Option<Option<Language>>,
    /// The query's article and language, kept only to explain the results
    /// (`QueryOptions::explain`).
    explained: Option<(Article, Option<Language>)>,
    /// The query article's day, from the article, else from its row in
    /// the index once seen (for `only_older`).
    published: Option<i32>,
    /// The picked terms: hash and title-weighted count.
    terms: Vec<(u64, f32)>,
    /// Squared length the unpicked terms add to the query vector.
    unpicked_length: f32,
    /// Whether terms in most articles (`weight::says_nothing`) take part;
    /// only the builder's list candidates want them.
    with_furniture: bool,
    /// The clusters the query reads (cluster layout only), nearest first,
    /// and their terms once loaded: the query scores with these alone.
    clusters: Vec<u32>,
    cluster_terms: Option<TermTable>,
    /// Clusters the routing held back (`NEXT_CLUSTER_AT`): read after all
    /// when the box comes out short.
    spare: Vec<u32>,
    /// Two-level tables: the cells the query reads first, and its terms
    /// (hash, count) for the second routing step once they are in.
    cells: Vec<u32>,
    route_counts: Vec<(u64, f32)>,
    phase: Phase,
}

/// `Step` before the chosen articles are looked up: (article, score).
enum Next {
    Need(Vec<NeededFile>),
    Done(Vec<(u32, f32)>),
}

/// What a query is made of: an article's URL, its title-weighted term
/// counts (hashes cut to the index's bits), fingerprint and section.
pub(crate) struct Query<'a> {
    pub url: &'a str,
    pub counts: &'a TermCounts,
    pub fingerprint: u16,
    pub section: Option<&'a str>,
}

enum Phase {
    Terms,
    Feedback {
        ranked: Vec<(u32, f32)>,
    },
    Boosts {
        ranked: Vec<(u32, f32)>,
    },
    Pins {
        ranked: Vec<(u32, f32)>,
    },
    Walk {
        ranked: Vec<(u32, f32)>,
        walked: usize,
        excluded_stories: Vec<u32>,
        chosen: Vec<(u32, f32)>,
    },
    /// Nothing was left: the newest of the query's section.
    Latest,
    Done,
}

impl Index {
    /// The candidates for an indexed article's stored list: the engine's
    /// first-round ranking (its `WALK_LIMIT` best by pruned weights), and
    /// which of them are the article itself or a copy of it. The index
    /// must be whole; the builder scores the candidates afresh. `keys[a]`
    /// is article `a`'s `url_key`: the builder computes each once, not once
    /// per list it is a candidate for.
    pub(crate) fn list_candidates(&self, query: Query<'_>, keys: &[String]) -> (Vec<(u32, f32)>, Vec<u32>) {
        let mut search = Search::counted(self, query, &QueryOptions::default(), None);
        // Candidates, not scores: every article a term reaches, furniture
        // included, since the builder scores them by whole vectors.
        search.with_furniture = true;
        let candidates = search.rank(self);
        // Each candidate's story, and whether it is the article or a copy.
        let rows: Vec<Option<(bool, u32)>> = candidates
            .iter()
            .map(|&(a, _)| {
                let row = self.article(a)?;
                let own = search.excluded_urls.contains(&keys[a as usize])
                    || (search.fingerprint != 0 && row.fingerprint() == search.fingerprint);
                Some((own, row.story()))
            })
            .collect();
        let own_stories: Vec<u32> = rows.iter().flatten().filter(|r| r.0).map(|r| r.1).collect();
        let own = candidates
            .iter()
            .zip(&rows)
            .filter(|(_, row)| row.is_some_and(|(own, story)| own || own_stories.contains(&story)))
            .map(|(&(a, _), _)| a)
            .collect();
        (candidates, own)
    }

    /// An indexed article's stored list from its candidates as the builder
    /// scored them (`ranked`, any order): the best `k` that the walk of any
    /// query keeps (not the article at `url`, nor a copy of it by its
    /// `fingerprint`, nor two of one story).
    pub(crate) fn walk_list(
        &self,
        url: &str,
        fingerprint: u16,
        k: usize,
        mut ranked: Vec<(u32, f32)>,
    ) -> Vec<(u32, f32)> {
        // `ranked` orders the list; the builder holds its minimum to the
        // pairs' cosines afterwards. The walk reads no terms: the query has
        // none (the article's were picked in `list_candidates`; picking
        // them again was most of the walk's time). Its section goes
        // unread too: no boost, no fallback.
        let options = QueryOptions { k, min_score: Some(0.0), ..QueryOptions::default() };
        let query = Query { url, counts: &TermCounts::default(), fingerprint, section: None };
        let mut search = Search::counted(self, query, &options, None);
        ranked.sort_unstable_by(by_score);
        search.phase = search.start_walk(ranked);
        match search.advance(self) {
            Ok(Next::Done(chosen)) => chosen,
            Ok(Next::Need(_)) | Err(_) => {
                unreachable!("a whole index needs no files and a new walk has not finished")
            }
        }
    }

    /// Why the indexed article at `url` came up for `article`: the terms
    /// the two share in the index, each as the first word of `article`'s
    /// own text that gives it (the index holds hashes only), with its part
    /// of the first-round score, strongest first, at most `limit`. The
    /// files a query for `article` needed must be loaded (as after
    /// `recommend_loading`); anything not loaded counts as not shared.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn explain(&self, article: &Article, url: &str, limit: usize) -> Vec<(String, f32)> {
        let key = url_key(url);
        let Some(id) =
            (0..self.len() as u32).find(|&a| self.article(a).is_some_and(|r| url_key(r.url()) == key))
        else {
            return Vec::new();
        };
        let language = article.language.as_deref().and_then(Language::from_tag);
        self.shared_words(article, language, id, limit)
    }

    /// `explain` for the article numbered `id`, `article` read in `language`.
    pub(crate) fn shared_words(
        &self,
        article: &Article,
        language: Option<Language>,
        id: u32,
        limit: usize,
    ) -> Vec<(String, f32)> {
        let bits = self.scoring.hash_bits;
        let tokenizer = self.tokenizer_of(language);
        let (counts, _) = count_terms(tokenizer, article, self.scoring.title_weight);
        let counts = counts.truncate_hashes(bits);
        let articles = self.scoring.articles;
        let unknown_idf = weight::idf(articles + 1, 1, self.scoring.idf_power);
        let weighed: Vec<(u64, f32, Option<&[Posting]>)> = counts
            .iter()
            .map(|(hash, count)| match self.term_near(hash, id) {
                // Furniture takes no part in the score (see `Search::vector`).
                Some((df, _)) if weight::says_nothing(df, articles) => (hash, 0.0, None),
                Some((df, postings)) => (
                    hash,
                    weight::tf(count) * weight::idf(articles, df, self.scoring.idf_power),
                    Some(postings),
                ),
                None => (hash, weight::tf(count) * unknown_idf, None),
            })
            .collect();
        let length = weight::norm(weighed.iter().map(|t| t.1));
        let mut shared: Vec<(u64, f32)> = weighed
            .iter()
            .filter_map(|&(hash, w, postings)| {
                let posting = postings?.iter().find(|p| p.article == id)?;
                Some((hash, w / length * posting.weight))
            })
            .collect();
        // The strongest `limit`, picked one by one: a sort would be one
        // more sort in the browser engine, for five items.
        let mut strongest = Vec::with_capacity(limit);
        while strongest.len() < limit {
            let Some(best) = (0..shared.len()).reduce(|a, b| {
                let (x, y) = (shared[a], shared[b]);
                if y.1 > x.1 || (y.1 == x.1 && y.0 < x.0) { b } else { a }
            }) else {
                break;
            };
            strongest.push(shared.swap_remove(best));
        }
        let shared = strongest;
        // The words: each text word, tokenized alone, gives the terms it
        // stands for.
        let mut words: Vec<(u64, String)> = Vec::new();
        let texts = [article.title.as_str(), article.body.as_str()]
            .into_iter()
            .chain(article.tags.iter().map(String::as_str));
        for word in texts.flat_map(str::split_whitespace) {
            // Folded with the engine's own table: `to_lowercase` would add
            // the standard library's to the browser engine.
            let word =
                crate::tokenize::fold_case(word.trim_matches(|c: char| !crate::words::is_alphanumeric(c)));
            tokenizer.for_each_term(&word, |term| {
                let hash = weight::term_hash(term, 64) >> (64 - u32::from(bits));
                if shared.iter().any(|s| s.0 == hash) && !words.iter().any(|w| w.0 == hash) {
                    words.push((hash, word.clone()));
                }
            });
        }
        shared
            .into_iter()
            .map(|(hash, part)| {
                let word = words.iter().find(|w| w.0 == hash).map_or_else(String::new, |w| w.1.clone());
                (word, part)
            })
            .collect()
    }

    /// Starts a query for `article`; see `Search::step`.
    pub fn search(&self, article: &Article, options: &QueryOptions) -> Result<Search, Error> {
        Search::new(self, article, options)
    }

    /// The related articles of `article` in an index that has everything
    /// it needs loaded (a single file, say).
    pub fn recommend(&self, article: &Article, options: &QueryOptions) -> Result<Vec<Related>, Error> {
        match self.search(article, options)?.step(self)? {
            Step::Done(related) => Ok(related),
            Step::Need(shards) => Err(Error::BadSettings(msg!(
                "the index is in many files and this query needs ",
                shards.len(),
                " of them that are not loaded; \
                 query it in steps, fetching the files each step asks for"
            ))),
        }
    }

    /// The related articles of `article`, fetching files with `load` as
    /// the query needs them.
    pub fn recommend_loading(
        &mut self,
        article: &Article,
        options: &QueryOptions,
        mut load: impl FnMut(&mut Index, &NeededFile) -> Result<(), Error>,
    ) -> Result<Vec<Related>, Error> {
        let mut search = self.search(article, options)?;
        loop {
            match search.step(self)? {
                Step::Done(related) => return Ok(related),
                Step::Need(shards) => {
                    for shard in &shards {
                        load(self, shard)?;
                    }
                }
            }
        }
    }
}

impl Search {
    fn new(index: &Index, article: &Article, options: &QueryOptions) -> Result<Search, Error> {
        let bad = |why: &str| Err(Error::BadSettings(why.to_string()));
        if options.k == 0 || options.k > MAX_K {
            return Err(Error::BadSettings(msg!("k is ", options.k, ", but must be from 1 to ", MAX_K)));
        }
        // The messages leave values out: see `index::check_scoring`.
        let positive = |value: Option<f32>| value.is_none_or(|v| v.is_finite() && v > 0.0);
        if !positive(options.half_life_days) {
            return bad("the half-life must be a positive number of days");
        }
        if !positive(options.section_boost) {
            return bad("the section boost must be a positive number");
        }
        if options.min_score.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
            return bad("the minimum score must be a number from 0 to 1");
        }
        let today = match options.today.as_deref() {
            Some(day) => Some(parse_day(day).ok_or_else(|| {
                Error::BadSettings(msg!("today \"", day, "\" is not a date such as 2005-03-01"))
            })?),
            None => article.day()?,
        };
        if (options.max_age_days.is_some() || options.half_life_days.is_some()) && today.is_none() {
            return bad(
                "a maximum age or half-life needs a reference day: give the article a date or set today",
            );
        }

        // The page's language: a tag alike does not know reads as the default.
        let tag = options.language.as_deref().or(article.language.as_deref());
        let language = tag.and_then(Language::from_tag).filter(|l| *l != index.language());
        let tokenizer = index.tokenizer_of(language);
        let (counts, signature) = count_terms(tokenizer, article, index.scoring.title_weight);
        let counts = counts.truncate_hashes(index.scoring.hash_bits);
        let section = article.section.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let query =
            Query { url: &article.url, counts: &counts, fingerprint: fingerprint(&signature), section };
        let mut search = Search::counted(index, query, options, today);
        search.published = article.day()?;
        if options.explain {
            search.explained = Some((article.clone(), language));
        }
        if !options.any_language && !index.other_tokenizers.is_empty() {
            search.only_language = Some(language);
        }
        Ok(search)
    }

    /// A query from what the builder already knows of an indexed article.
    fn counted(index: &Index, query: Query<'_>, options: &QueryOptions, today: Option<i32>) -> Search {
        let (terms, unpicked_length) = pick_terms(index, query.counts.iter().collect());
        let counts: Vec<(u64, f32)> = query.counts.iter().collect();
        let (cells, clusters, spare) = index.route(&counts);
        Search {
            k: options.k,
            excluded_urls: options
                .exclude
                .iter()
                .map(String::as_str)
                .chain([query.url])
                .map(url_key)
                .collect(),
            fingerprint: query.fingerprint,
            today,
            max_age: options.max_age_days,
            half_life: options.half_life_days,
            section: query.section.map(str::to_string),
            section_boost: options.section_boost.unwrap_or(1.0),
            min_score: options.min_score.unwrap_or(DEFAULT_MIN_SCORE),
            pins: Vec::new(),
            excluded_sections: options.exclude_sections.iter().map(|s| lowered(s)).collect(),
            only_older: options.only_older,
            section_fallback: options.section_fallback,
            fell_back: false,
            only_language: None,
            explained: None,
            published: None,
            terms,
            unpicked_length,
            with_furniture: false,
            route_counts: if cells.is_empty() { Vec::new() } else { counts },
            cells,
            clusters,
            cluster_terms: None,
            spare,
            phase: Phase::Terms,
        }
    }

    /// Takes the query one step further: either the files it needs next,
    /// or the answer.
    pub fn step(&mut self, index: &Index) -> Result<Step, Error> {
        Ok(match self.advance(index)? {
            Next::Need(shards) => Step::Need(shards),
            Next::Done(chosen) => Step::Done(
                chosen
                    .iter()
                    .map(|&(a, score)| Related {
                        pinned: self.pins.contains(&a),
                        fallback: self.fell_back,
                        why: self
                            .explained
                            .as_ref()
                            .map(|(article, language)| self.why(index, article, *language, a)),
                        ..related(index, a, score)
                    })
                    .collect(),
            ),
        })
    }

    fn advance(&mut self, index: &Index) -> Result<Next, Error> {
        loop {
            let phase = std::mem::replace(&mut self.phase, Phase::Done);
            self.phase = match phase {
                Phase::Terms => {
                    let cells = index.missing_cells(&self.cells);
                    if !cells.is_empty() {
                        self.phase = Phase::Terms;
                        return Ok(Next::Need(cells));
                    }
                    if !self.cells.is_empty() && self.clusters.is_empty() {
                        (self.clusters, self.spare) = index.route_in_cells(&self.cells, &self.route_counts);
                    }
                    let clusters = index.missing_clusters(&self.clusters);
                    if !clusters.is_empty() {
                        self.phase = Phase::Terms;
                        return Ok(Next::Need(clusters));
                    }
                    if index.is_clustered() {
                        // Its own clusters' terms alone (none if every file
                        // it routed to was lost).
                        self.cluster_terms = Some(index.cluster_terms(&self.clusters));
                    }
                    Phase::Feedback { ranked: self.rank(index) }
                }
                Phase::Feedback { mut ranked } => {
                    // The voters' metadata tells the query's own article (and
                    // its copies) apart: it must not vote, or it would only
                    // echo the query.
                    let voters = (index.scoring.feedback_articles as usize + 1).min(ranked.len());
                    let own_stories: Vec<u32> = ranked[..voters]
                        .iter()
                        .filter_map(|&(a, _)| index.article(a))
                        .filter(|row| self.excluded_urls.contains(&url_key(row.url())))
                        .map(|row| row.story())
                        .collect();
                    // A voter whose row is not loaded (its cluster file
                    // lost) is taken for what it almost surely is: another
                    // article.
                    let abstaining: Vec<u32> = ranked[..voters]
                        .iter()
                        .filter(|&&(a, _)| {
                            index.article(a).is_some_and(|row| {
                                own_stories.contains(&row.story())
                                    || (self.fingerprint != 0 && row.fingerprint() == self.fingerprint)
                            })
                        })
                        .map(|&(a, _)| a)
                        .collect();
                    let pool = FEEDBACK_POOL.min(ranked.len());
                    let (pool_part, rest) = ranked.split_at_mut(pool);
                    add_feedback(index, pool_part, rest, &self.vector(index).0, &abstaining);
                    ranked[..pool].sort_unstable_by(by_score);
                    // The minimum is one of similarity: held here, before
                    // age and section weigh, which reorder but do not make
                    // a weak match a strong one (nor a strong one weak).
                    ranked.retain(|&(_, score)| score >= self.min_score);
                    if self.half_life.is_some() || self.section_boost != 1.0 {
                        Phase::Boosts { ranked }
                    } else {
                        self.find_pins(index, ranked)
                    }
                }
                Phase::Boosts { mut ranked } => {
                    let pool = FEEDBACK_POOL.min(ranked.len());
                    for (article, score) in &mut ranked[..pool] {
                        if let Some(row) = index.article(*article) {
                            *score = self.boost(&row, *score);
                        }
                    }
                    ranked[..pool].sort_unstable_by(by_score);
                    self.find_pins(index, ranked)
                }
                Phase::Pins { ranked } => {
                    // Picks in clusters the query did not read: their files
                    // first (a two-level table's cell, then the cluster).
                    let missing = index.missing_rows(&self.pins);
                    if !missing.is_empty() {
                        self.phase = Phase::Pins { ranked };
                        return Ok(Next::Need(missing));
                    }
                    // Excluded URLs and the filters win over pins; so does a
                    // pick whose file could not be had.
                    let pins = std::mem::take(&mut self.pins);
                    self.pins = pins
                        .into_iter()
                        .filter(|&p| {
                            index.article(p).is_some_and(|row| {
                                !self.excluded_urls.contains(&url_key(row.url())) && self.passes_filters(&row)
                            })
                        })
                        .collect();
                    let chosen: Vec<(u32, f32)> = self
                        .pins
                        .iter()
                        .map(|&p| (p, ranked.iter().find(|&&(a, _)| a == p).map_or(0.0, |&(_, s)| s)))
                        .collect();
                    if chosen.len() == self.k {
                        return Ok(Next::Done(chosen));
                    }
                    Phase::Walk { ranked, walked: 0, excluded_stories: Vec::new(), chosen }
                }
                Phase::Walk { ranked, walked, mut excluded_stories, mut chosen } => {
                    let batch = &ranked[walked..ranked.len().min(walked + self.k + 4)];
                    // Articles whose cluster file was lost are passed over.
                    let rows: Vec<Option<ArticleRow<'_>>> =
                        batch.iter().map(|&(a, _)| index.article(a)).collect();
                    // The query's own article (and excluded ones) take their
                    // whole story with them; it is nearly always in the
                    // first batch, as nothing matches a text like itself.
                    let own = self.excluded_urls.last().cloned().unwrap_or_default();
                    for row in
                        rows.iter().flatten().filter(|row| self.excluded_urls.contains(&url_key(row.url())))
                    {
                        excluded_stories.push(row.story());
                        if self.published.is_none() && url_key(row.url()) == own {
                            self.published = row.day();
                        }
                    }
                    for (&(article, score), row) in batch.iter().zip(&rows) {
                        if chosen.len() == self.k {
                            break;
                        }
                        let Some(row) = row else { continue };
                        let story = row.story();
                        let repeat = excluded_stories.contains(&story)
                            || (self.fingerprint != 0 && row.fingerprint() == self.fingerprint)
                            || chosen
                                .iter()
                                .any(|&(other, _)| index.article(other).is_some_and(|o| o.story() == story));
                        let too_old =
                            self.max_age.is_some_and(|max| self.age(row).is_some_and(|age| age > max));
                        if !(repeat || too_old) && self.passes_filters(row) {
                            chosen.push((article, score));
                        }
                    }
                    let walked = walked + batch.len();
                    if chosen.len() < self.k && walked == ranked.len() && !self.spare.is_empty() {
                        // Short: the clusters held back after all, and the
                        // query ranked again over every cluster it read.
                        for cluster in index.with_deltas(std::mem::take(&mut self.spare)) {
                            if !self.clusters.contains(&cluster) {
                                self.clusters.push(cluster);
                            }
                        }
                        Phase::Terms
                    } else if chosen.is_empty() && walked == ranked.len() && self.section_fallback {
                        Phase::Latest
                    } else if chosen.len() == self.k || walked == ranked.len() {
                        return Ok(Next::Done(chosen));
                    } else {
                        Phase::Walk { ranked, walked, excluded_stories, chosen }
                    }
                }
                Phase::Latest => {
                    let section = self.section.as_deref().map(lowered).unwrap_or_default();
                    let newest: Vec<(u32, f32)> =
                        index.latest_of(&section).iter().map(|&a| (a, 0.0)).collect();
                    // The page itself, its copies, excluded URLs and
                    // whatever the filters leave out stay out here too.
                    let chosen: Vec<(u32, f32)> = newest
                        .into_iter()
                        .filter(|&(a, _)| {
                            index.article(a).is_some_and(|row| {
                                let own = self.excluded_urls.contains(&url_key(row.url()))
                                    || (self.fingerprint != 0 && row.fingerprint() == self.fingerprint);
                                let too_old = self
                                    .max_age
                                    .is_some_and(|max| self.age(&row).is_some_and(|age| age > max));
                                !(own || too_old) && self.passes_filters(&row)
                            })
                        })
                        .take(self.k)
                        .collect();
                    self.fell_back = !chosen.is_empty();
                    return Ok(Next::Done(chosen));
                }
                Phase::Done => return Err(Error::BadSettings("this query has already finished".into())),
            };
        }
    }

    /// The query's article's editors' picks, if the index holds the
    /// article and its row is loaded (a single file always; the cluster
    /// layout when the query read the article's cluster, as a text nearly
    /// always routes to its own), at most `k`; then the walk,
    /// which starts from them (`Phase::Pins`).
    fn find_pins(&mut self, index: &Index, ranked: Vec<(u32, f32)>) -> Phase {
        // The query's own URL key is the last of the excluded ones.
        if let Some((own, pins)) = self.excluded_urls.last().and_then(|key| index.pins_of(key)) {
            self.published = self.published.or_else(|| index.article(own).and_then(|row| row.day()));
            self.pins = pins;
            self.pins.truncate(self.k);
        }
        if self.pins.is_empty() { self.start_walk(ranked) } else { Phase::Pins { ranked } }
    }

    /// Whether an article passes `exclude_sections` and `only_older`.
    fn passes_filters(&self, row: &ArticleRow<'_>) -> bool {
        let section_out = !self.excluded_sections.is_empty()
            && row.section().is_some_and(|s| self.excluded_sections.contains(&lowered(s)));
        let newer =
            self.only_older && !matches!((row.day(), self.published), (Some(day), Some(page)) if day < page);
        let other_language =
            self.only_language.is_some_and(|only| row.language() != only.map(Language::name));
        !(section_out || newer || other_language)
    }

    fn start_walk(&self, ranked: Vec<(u32, f32)>) -> Phase {
        Phase::Walk { ranked, walked: 0, excluded_stories: Vec::new(), chosen: Vec::with_capacity(self.k) }
    }

    /// The picked terms found in the index, as (weight, postings), and the
    /// length of the whole query vector.
    fn vector<'a>(&'a self, index: &'a Index) -> (Vec<(f32, &'a [Posting])>, f32) {
        let articles = index.scoring.articles;
        let unknown_idf = weight::idf(articles + 1, 1, index.scoring.idf_power);
        let mut length = self.unpicked_length;
        let mut vector = Vec::with_capacity(self.terms.len());
        for &(hash, count) in &self.terms {
            let term = match &self.cluster_terms {
                Some(table) => table.get(hash),
                None => index.term(hash),
            };
            match term {
                // Furniture (a copyright line, the site's name): left out
                // of the score and of the query's length alike.
                Some((df, _)) if !self.with_furniture && weight::says_nothing(df, articles) => {}
                Some((df, postings)) => {
                    let w = weight::tf(count) * weight::idf(articles, df, index.scoring.idf_power);
                    length += w * w;
                    vector.push((w, postings));
                }
                None => length += (weight::tf(count) * unknown_idf).powi(2),
            }
        }
        (vector, length.sqrt())
    }

    /// Scores articles through the picked terms' postings: the ranking,
    /// best first, at most `WALK_LIMIT` deep.
    fn rank(&self, index: &Index) -> Vec<(u32, f32)> {
        let (vector, length) = self.vector(index);
        // One score per article, kept between queries and zeroed after
        // each: the builder runs a query per article, and clearing or
        // scanning a million scores each time would cost more than the
        // query.
        let mut ranked = SCORES.with_borrow_mut(|scores| {
            scores.resize(index.len(), 0.0);
            let mut touched = Vec::new();
            for (w, postings) in &vector {
                // The very product `w / length * weight` makes, its division
                // done once per term: the compiler kept it in the loop, the
                // builder's hottest (one query per article).
                let scale = w / length;
                for posting in *postings {
                    let score = &mut scores[posting.article as usize];
                    if *score == 0.0 {
                        touched.push(posting.article);
                    }
                    *score += scale * posting.weight;
                }
            }
            let mut ranked = Vec::with_capacity(touched.len());
            for article in touched {
                let score = std::mem::take(&mut scores[article as usize]);
                if score > 0.0 {
                    ranked.push((article, score));
                }
            }
            ranked
        });
        let keep = WALK_LIMIT.min(ranked.len());
        // The browser's build sorts the lot and keeps the top: the same
        // order (`by_score` is total), without a selection algorithm's code
        // in the wasm (884 bytes gzipped).
        // Natively, the top is picked first and only it is sorted: the
        // builder ranks a query per article, each reaching thousands.
        #[cfg(not(target_arch = "wasm32"))]
        if keep > 0 && keep < ranked.len() {
            ranked.select_nth_unstable_by(keep - 1, by_score);
            ranked.truncate(keep);
        }
        ranked.sort_unstable_by(by_score);
        ranked.truncate(keep);
        ranked
    }

    fn age(&self, row: &ArticleRow<'_>) -> Option<u32> {
        Some((self.today? - row.day()?).max(0) as u32)
    }

    /// Why article `a` came: the words it shares with `article` and the
    /// factors `boost` applied.
    fn why(&self, index: &Index, article: &Article, language: Option<Language>, a: u32) -> Why {
        let row = index.article(a).expect("chosen articles are loaded");
        let boosted =
            self.section_boost != 1.0 && self.section.is_some() && row.section() == self.section.as_deref();
        Why {
            terms: index.shared_words(article, language, a, EXPLAINED_TERMS),
            section_boost: boosted.then_some(self.section_boost),
            age: self
                .half_life
                .zip(self.age(&row))
                .map(|(half_life, age)| (age, 0.5f32.powf(age as f32 / half_life))),
        }
    }

    fn boost(&self, row: &ArticleRow<'_>, mut score: f32) -> f32 {
        if let (Some(half_life), Some(age)) = (self.half_life, self.age(row)) {
            score *= weight::pow(0.5, age as f32 / half_life);
        }
        if self.section.is_some() && row.section() == self.section.as_deref() {
            score *= self.section_boost;
        }
        score
    }
}

/// The query's terms to score with: the `query_terms` strongest by weights
/// known before fetching anything. A common term's df is known (in a single
/// file, or the manifest's head); any other is taken to be in half as many
/// articles as the rarest common one. Both forms of an index pick the same
/// terms this way. Returns the picked terms (hash, count) in hash order and
/// the squared length the others add to the query vector.
fn pick_terms(index: &Index, counts: Vec<(u64, f32)>) -> (Vec<(u64, f32)>, f32) {
    let scoring = &index.scoring;
    let rare_df = (scoring.common_df / 2).max(1).min(scoring.articles.max(1));
    let mut weighed: Vec<(u64, f32, f32)> = counts
        .into_iter()
        .map(|(hash, count)| {
            let df = index.known_df(hash).filter(|&df| df >= scoring.common_df).unwrap_or(rare_df);
            (hash, count, weight::tf(count) * weight::idf(scoring.articles, df, scoring.idf_power))
        })
        .collect();
    weighed.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let limit = match scoring.query_terms as usize {
        0 => weighed.len(),
        limit => limit.min(weighed.len()),
    };
    let unpicked_length = weighed[limit..].iter().map(|t| t.2 * t.2).sum();
    let mut picked: Vec<(u64, f32)> = weighed[..limit].iter().map(|t| (t.0, t.1)).collect();
    picked.sort_unstable_by_key(|t| t.0);
    (picked, unpicked_length)
}

/// Pseudo-relevance feedback within the pool: each member gains the
/// similarity, over the query's terms, of its weights to those of the best
/// `feedback_articles` other members that do not abstain, each vote weighed
/// by the voter's score; `rest` (the ranking past the pool) gets no votes
/// but is divided alike, so that scores stay comparable.
fn add_feedback(
    index: &Index,
    pool: &mut [(u32, f32)],
    rest: &mut [(u32, f32)],
    vector: &[(f32, &[Posting])],
    abstaining: &[u32],
) {
    let scoring = &index.scoring;
    let voters: Vec<usize> = (0..pool.len())
        .filter(|&i| !abstaining.contains(&pool[i].0))
        .take(scoring.feedback_articles as usize)
        .collect();
    let best = voters.first().map_or(0.0, |&i| pool[i].1);
    if voters.is_empty() || best <= 0.0 || scoring.feedback_weight == 0.0 {
        return;
    }
    // Each member's weights on the query's terms, one row per member.
    let mut members: Vec<(u32, usize)> = pool.iter().enumerate().map(|(i, c)| (c.0, i)).collect();
    members.sort_unstable();
    let mut weights = vec![0f32; pool.len() * vector.len()];
    for (t, (_, postings)) in vector.iter().enumerate() {
        // Both lists are in article order: one pass over each.
        let mut member = members.iter().peekable();
        for posting in *postings {
            while member.next_if(|m| m.0 < posting.article).is_some() {}
            match member.peek() {
                Some(&&(article, row)) if article == posting.article => {
                    weights[row * vector.len() + t] = posting.weight;
                }
                Some(_) => {}
                None => break,
            }
        }
    }
    let row = |i: usize| &weights[i * vector.len()..(i + 1) * vector.len()];
    let share = scoring.feedback_weight / scoring.feedback_articles as f32;
    // The votes' total weight, by which every score is divided: a score
    // becomes a weighted mean of the article's similarity to the query and
    // to the voters, graded like a cosine (a weak query's best match scores
    // low), and the order is as if divided by anything else.
    let total = 1.0 + share * voters.iter().map(|&j| pool[j].1).sum::<f32>();
    let votes: Vec<f32> = (0..pool.len())
        .map(|i| {
            voters
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| pool[j].1 * row(j).iter().zip(row(i)).map(|(a, b)| a * b).sum::<f32>())
                .sum()
        })
        .collect();
    for ((_, score), vote) in pool.iter_mut().zip(votes) {
        *score = (*score + share * vote) / total;
    }
    for (_, score) in rest {
        *score /= total;
    }
}

fn related(index: &Index, article: u32, score: f32) -> Related {
    let Listed { url, title, date, section, image, snippet, .. } =
        index.article(article).expect("chosen articles are loaded").listed();
    Related { url, title, score, date, section, image, snippet, pinned: false, why: None, fallback: false }
}

/// A section name as filters compare it: trimmed and lower-cased with the
/// engine's own table (`case.rs`; `str::to_lowercase` would bring the
/// standard library's, some 4 KB more of wasm).
pub(crate) fn lowered(section: &str) -> String {
    let mut out = String::with_capacity(section.len());
    for c in section.trim().chars() {
        crate::case::lower(c, |l| out.push(l));
    }
    out
}

/// Best score first; equal scores in article order, so rankings repeat.
fn by_score(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::{BuildOptions, IndexBuilder};

    fn article(url: &str, title: &str, body: &str) -> Article {
        Article { url: url.into(), title: title.into(), body: body.into(), ..Article::default() }
    }

    /// An article titled "News", filed in `section` and dated `date`.
    fn filed(url: &str, body: &str, section: &str, date: &str) -> Article {
        Article { section: Some(section.into()), date: Some(date.into()), ..article(url, "News", body) }
    }

    const RATES: &str = "The central bank held interest rates steady as inflation eased and the economy \
        slowed, economists said, with mortgage lenders and savers watching the bank's next move on rates.";
    const RATES_TOO: &str = "Economists expect the central bank to cut interest rates next month after \
        inflation fell again and the economy slowed, leaving mortgage lenders and savers waiting.";
    const FOOTBALL: &str = "The striker scored twice as the league leaders won the cup match, the manager \
        praised the defence and the goalkeeper saved a late penalty in front of the home fans.";
    const FOOTBALL_TOO: &str = "A late penalty save by the goalkeeper sealed the cup win for the league \
        leaders, and the manager said the striker and the defence had earned the fans' praise.";

    fn index(articles: &[Article]) -> Index {
        let mut builder = IndexBuilder::new(BuildOptions::default()).unwrap();
        for a in articles {
            builder.add(a.clone()).unwrap();
        }
        Index::from_json(&builder.finish().to_json()).unwrap()
    }

    fn urls(related: &[Related]) -> Vec<&str> {
        related.iter().map(|r| r.url.as_str()).collect()
    }

    fn corpus() -> Vec<Article> {
        vec![
            article("/rates-1", "Bank holds interest rates", RATES),
            article("/rates-2", "Rate cut expected as inflation falls", RATES_TOO),
            article("/cup-1", "Leaders win cup match", FOOTBALL),
            article("/cup-2", "Penalty save seals cup win", FOOTBALL_TOO),
        ]
    }

    #[test]
    fn the_related_story_comes_first_and_the_query_never_comes_back() {
        let index = index(&corpus());
        let related = index.recommend(&corpus()[0], &QueryOptions::default()).unwrap();
        assert_eq!(urls(&related)[0], "/rates-2");
        assert!(!urls(&related).contains(&"/rates-1"));
        assert!(related.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn the_query_is_recognised_by_an_absolute_url_too() {
        let index = index(&corpus());
        let query = article("https://example.com/rates-1#top", "Bank holds interest rates", RATES);
        let related = index.recommend(&query, &QueryOptions::default()).unwrap();
        assert!(!urls(&related).contains(&"/rates-1"));
    }

    #[test]
    fn a_republished_copy_is_never_shown_nor_two_copies_of_one_story() {
        let mut articles = corpus();
        articles.push(article("/rates-copy", "Rates on hold at the central bank", RATES));
        articles.push(article("/cup-copy", "Cup joy for the leaders", FOOTBALL));
        let index = index(&articles);
        let related = index.recommend(&articles[0], &QueryOptions::default()).unwrap();
        assert!(!urls(&related).contains(&"/rates-copy"), "{:?}", urls(&related));
        let cups = urls(&related).iter().filter(|u| ["/cup-1", "/cup-copy"].contains(u)).count();
        assert!(cups <= 1, "{:?}", urls(&related));
    }

    #[test]
    fn pins_come_first_in_order_and_unpinnable_ones_are_dropped() {
        let mut articles = corpus();
        articles[0].related =
            vec!["/cup-2".into(), "https://example.com/nowhere".into(), "/rates-1".into(), "/cup-1/".into()];
        articles.push(Article { recommend: false, ..article("/rates-3", "Rates on hold", RATES_TOO) });
        articles[0].related.push("/rates-3".into());
        let index = index(&articles);
        let related = index.recommend(&articles[0], &QueryOptions::default()).unwrap();
        // Unknown URLs, the article itself and an article never to be
        // recommended are dropped; the ranking follows the pins.
        assert_eq!(urls(&related), ["/cup-2", "/cup-1", "/rates-2"]);
        assert_eq!(related.iter().map(|r| r.pinned).collect::<Vec<_>>(), [true, true, false]);
        // k cuts the pins too, and excluded URLs win over them.
        let one = QueryOptions { k: 1, ..QueryOptions::default() };
        assert_eq!(urls(&index.recommend(&articles[0], &one).unwrap()), ["/cup-2"]);
        let exclude = QueryOptions { exclude: vec!["/cup-2".into()], ..QueryOptions::default() };
        assert_eq!(urls(&index.recommend(&articles[0], &exclude).unwrap()), ["/cup-1", "/rates-2"]);
        // A minimum score holds the ranking back, never the pins.
        let strict = QueryOptions { min_score: Some(1.0), ..QueryOptions::default() };
        assert_eq!(urls(&index.recommend(&articles[0], &strict).unwrap()), ["/cup-2", "/cup-1"]);
        // Another article's pins are its own.
        assert!(index.recommend(&articles[1], &QueryOptions::default()).unwrap().iter().all(|r| !r.pinned));
    }

    #[test]
    fn an_article_not_to_recommend_is_never_returned() {
        let mut articles = corpus();
        articles[1].recommend = false;
        let index = index(&articles);
        for query in [&articles[0], &articles[2], &article("/new", "Rates", RATES_TOO)] {
            let related = index.recommend(query, &QueryOptions::default()).unwrap();
            assert!(!urls(&related).contains(&"/rates-2"), "{:?}", urls(&related));
        }
        // It still has related articles of its own.
        let own = index.recommend(&articles[1], &QueryOptions::default()).unwrap();
        assert_eq!(urls(&own)[0], "/rates-1");
    }

    #[test]
    fn excluded_sections_and_newer_articles_are_left_out() {
        let mut articles = vec![
            filed("/a/rates-1", RATES, "Business", "2005-03-10"),
            filed("/a/rates-2", RATES_TOO, "Money", "2005-03-09"),
            filed(
                "/a/rates-3",
                "Interest rates will rise, the central bank said, as inflation returned and mortgage \
                 lenders braced for the economy to slow.",
                "Business",
                "2005-03-11",
            ),
            filed("/a/cup-1", FOOTBALL, "Sport", "2005-03-01"),
            article(
                "/a/undated",
                "Rates",
                "Savers cheered as the central bank left interest rates alone and inflation eased, \
                 though economists warned that mortgage costs may climb.",
            ),
        ];
        articles[0].related = vec!["/a/rates-3".into(), "/a/cup-1".into()];
        let index = index(&articles);
        let all = index.recommend(&articles[0], &QueryOptions::default()).unwrap();
        assert_eq!(urls(&all)[..2], ["/a/rates-3", "/a/cup-1"]);
        assert!(urls(&all).contains(&"/a/rates-2") && urls(&all).contains(&"/a/undated"));

        let sections = QueryOptions {
            exclude_sections: vec![" money ".into(), "SPORT".into()],
            ..QueryOptions::default()
        };
        let shown = index.recommend(&articles[0], &sections).unwrap();
        assert!(urls(&shown).iter().all(|u| !["/a/rates-2", "/a/cup-1"].contains(u)), "{:?}", urls(&shown));
        assert_eq!(urls(&shown)[0], "/a/rates-3", "a pin outside the excluded sections stays");

        // Older only: the newer pin and the undated article go too.
        let older = QueryOptions { only_older: true, ..QueryOptions::default() };
        assert_eq!(urls(&index.recommend(&articles[0], &older).unwrap()), ["/a/cup-1", "/a/rates-2"]);
        // A page without a date of its own is dated by the index.
        let undated_page = Article { date: None, ..articles[0].clone() };
        assert_eq!(urls(&index.recommend(&undated_page, &older).unwrap()), ["/a/cup-1", "/a/rates-2"]);
        // A page the index does not know, without a date: nothing can be shown older.
        let stranger = article("/b/new", "Rates", RATES);
        assert!(index.recommend(&stranger, &older).unwrap().is_empty());
    }

    #[test]
    fn with_nothing_left_the_section_fallback_gives_the_newest_of_the_section() {
        let mut articles = vec![
            filed("/a/rates-1", RATES, "Business", "2005-03-10"),
            filed("/a/rates-2", RATES_TOO, "business", "2005-03-09"),
            filed("/a/cup-1", FOOTBALL, "Sport", "2005-03-12"),
            filed("/a/hidden", RATES, "Business", "2005-03-14"),
            filed(
                "/a/newest",
                "Shares in the carmaker rose after it reported record sales.",
                "Business",
                "2005-03-13",
            ),
        ];
        articles[3].recommend = false;
        let index = index(&articles);
        // A page about something else: no match clears the minimum.
        let page = Article {
            section: Some("BUSINESS ".into()),
            date: Some("2005-03-11".into()),
            ..article("/b/page", "Tulips", "A gardener's notes on planting tulip bulbs in autumn soil.")
        };
        assert!(index.recommend(&page, &QueryOptions::default()).unwrap().is_empty());
        let fallback = QueryOptions { section_fallback: true, ..QueryOptions::default() };
        let latest = index.recommend(&page, &fallback).unwrap();
        // Newest first, the unrecommended article left out, scores 0, marked.
        assert_eq!(urls(&latest), ["/a/newest", "/a/rates-1", "/a/rates-2"]);
        assert!(latest.iter().all(|r| r.fallback && r.score == 0.0 && !r.pinned));
        // The filters hold: only older leaves out the newer.
        let older = QueryOptions { only_older: true, ..fallback.clone() };
        assert_eq!(urls(&index.recommend(&page, &older).unwrap()), ["/a/rates-1", "/a/rates-2"]);
        let out = QueryOptions { exclude_sections: vec!["business".into()], ..fallback.clone() };
        assert!(index.recommend(&page, &out).unwrap().is_empty());
        // The page itself never: an indexed page whose matches are all cut.
        let strict = QueryOptions { min_score: Some(1.0), k: 2, ..fallback.clone() };
        assert_eq!(urls(&index.recommend(&articles[0], &strict).unwrap()), ["/a/newest", "/a/rates-2"]);
        // A page with a match gets its matches, none marked; one with no section gets nothing.
        assert!(index.recommend(&articles[0], &fallback).unwrap().iter().all(|r| !r.fallback));
        let unfiled = Article { section: None, ..page.clone() };
        assert!(index.recommend(&unfiled, &fallback).unwrap().is_empty());
    }

    #[test]
    fn explain_names_the_shared_words_only_when_asked() {
        let index = index(&corpus());
        let query = article("/q", "Interest rates", RATES);
        let plain = index.recommend(&query, &QueryOptions::default()).unwrap();
        assert!(!plain.is_empty() && plain.iter().all(|r| r.why.is_none()));
        let explained =
            index.recommend(&query, &QueryOptions { explain: true, ..QueryOptions::default() }).unwrap();
        assert_eq!(urls(&plain), urls(&explained));
        let text = format!("interest rates {}", RATES.to_lowercase());
        for r in &explained {
            let why = r.why.as_ref().expect("explained");
            assert!(!why.terms.is_empty(), "{}", r.url);
            assert!(
                why.terms.iter().all(|(word, part)| text.contains(word.as_str()) && *part > 0.0),
                "{why:?}"
            );
            assert!(why.terms.windows(2).all(|pair| pair[0].1 >= pair[1].1), "{why:?}");
            assert_eq!((why.section_boost, why.age), (None, None));
        }
    }

    #[test]
    fn k_limits_the_list() {
        let index = index(&corpus());
        let options = QueryOptions { k: 1, ..QueryOptions::default() };
        assert_eq!(index.recommend(&corpus()[0], &options).unwrap().len(), 1);
        for k in [0, MAX_K + 1] {
            let options = QueryOptions { k, ..QueryOptions::default() };
            assert!(matches!(index.recommend(&corpus()[0], &options), Err(Error::BadSettings(_))));
        }
    }

    #[test]
    fn a_minimum_score_shortens_the_answer() {
        let index = index(&corpus());
        let every = QueryOptions { min_score: Some(0.0), ..QueryOptions::default() };
        let all = index.recommend(&corpus()[0], &every).unwrap();
        assert!(all.iter().all(|r| (0.0..=1.0).contains(&r.score)), "graded: {all:?}");
        // Without a minimum, the default one applies.
        let default = index.recommend(&corpus()[0], &QueryOptions::default()).unwrap();
        assert!(default.iter().all(|r| r.score >= DEFAULT_MIN_SCORE), "{default:?}");
        assert_eq!(default.len(), all.iter().filter(|r| r.score >= DEFAULT_MIN_SCORE).count());
        let cut = all[0].score.midpoint(all[all.len() - 1].score);
        let options = QueryOptions { min_score: Some(cut), ..QueryOptions::default() };
        let strong = index.recommend(&corpus()[0], &options).unwrap();
        assert!(!strong.is_empty() && strong.len() < all.len(), "{strong:?}");
        assert!(strong.iter().all(|r| r.score >= cut));
        let options = QueryOptions { min_score: Some(1.5), ..QueryOptions::default() };
        assert!(matches!(index.recommend(&corpus()[0], &options), Err(Error::BadSettings(_))));
    }

    #[test]
    fn text_unlike_anything_finds_nothing() {
        let index = index(&corpus());
        let query = article("/new", "Quantum chromodynamics", "Gluons bind quarks inside protons.");
        assert!(index.recommend(&query, &QueryOptions::default()).unwrap().is_empty());
    }

    fn dated() -> Vec<Article> {
        let mut articles = corpus();
        for (a, date) in articles.iter_mut().zip(["2005-03-01", "2005-01-01", "2005-02-27", "2005-02-01"]) {
            a.date = Some(date.into());
            a.section = Some(if a.url.starts_with("/rates") { "business" } else { "sport" }.into());
        }
        articles
    }

    #[test]
    fn max_age_drops_old_articles_but_not_undated_ones() {
        let mut articles = dated();
        let recent = "Savers and mortgage lenders say the bank's interest rates decision shows inflation \
            and the slowing economy worry the central bank, economists said.";
        articles.push(Article {
            date: Some("2005-02-27".into()),
            ..article("/rates-3", "Rates worry savers", recent)
        });
        let outlook = "Mortgage lenders and savers expect the central bank to keep interest rates \
            on hold until inflation and the economy settle, economists said.";
        articles.push(article("/undated", "Rates outlook", outlook));
        let index = index(&articles);
        let everything = index.recommend(&articles[0], &QueryOptions::default()).unwrap();
        assert!(urls(&everything).contains(&"/rates-2"), "{:?}", urls(&everything));
        let options = QueryOptions { max_age_days: Some(10), ..QueryOptions::default() };
        let related = index.recommend(&articles[0], &options).unwrap();
        assert!(!urls(&related).contains(&"/rates-2"), "58 days old: {:?}", urls(&related));
        assert!(urls(&related).contains(&"/rates-3"), "2 days old: {:?}", urls(&related));
        assert!(urls(&related).contains(&"/undated"), "{:?}", urls(&related));
    }

    #[test]
    fn ages_need_a_reference_day() {
        let index = index(&dated());
        let options = QueryOptions { max_age_days: Some(10), ..QueryOptions::default() };
        let undated_query = article("/q", "Interest rates", RATES);
        assert!(matches!(index.recommend(&undated_query, &options), Err(Error::BadSettings(_))));
        let options = QueryOptions { today: Some("2005-03-02".into()), ..options };
        assert!(index.recommend(&undated_query, &options).is_ok());
        let options = QueryOptions { today: Some("yesterday".into()), ..options };
        assert!(index.recommend(&undated_query, &options).unwrap_err().to_string().contains("yesterday"));
    }

    #[test]
    fn half_life_and_section_boost_reweigh() {
        let index = index(&dated());
        let query = &dated()[0];
        let plain = index.recommend(query, &QueryOptions::default()).unwrap();
        let score = |related: &[Related], url: &str| related.iter().find(|r| r.url == url).map(|r| r.score);
        let halved = index
            .recommend(query, &QueryOptions { half_life_days: Some(58.0), ..QueryOptions::default() })
            .unwrap();
        let (before, after) = (score(&plain, "/rates-2").unwrap(), score(&halved, "/rates-2").unwrap());
        assert!((after / before - 0.5).abs() < 0.01, "{before} -> {after}");
        let boosted = index
            .recommend(query, &QueryOptions { section_boost: Some(2.0), ..QueryOptions::default() })
            .unwrap();
        let (before, after) = (score(&plain, "/rates-2").unwrap(), score(&boosted, "/rates-2").unwrap());
        assert!((after / before - 2.0).abs() < 0.01, "{before} -> {after}");
        if let (Some(before), Some(after)) = (score(&plain, "/cup-1"), score(&boosted, "/cup-1")) {
            assert_eq!(before, after, "other sections keep their score");
        }
    }

    #[test]
    fn short_texts_sharing_a_word_are_not_the_same_story() {
        let articles = vec![
            article("/a", "Cup final won", ""),
            article("/b", "Cup final lost", ""),
            article("/c", "Rates held", ""),
        ];
        let index = index(&articles);
        let related = index.recommend(&articles[0], &QueryOptions::default()).unwrap();
        assert_eq!(urls(&related), ["/b"]);
    }
}
