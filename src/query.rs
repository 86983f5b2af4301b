//! Related articles for one article: weigh its terms as the builder weighed
//! the archive's, add up scores through the postings, then walk the ranking
//! leaving out the article itself and any repeat of a story already shown.

use serde::{Deserialize, Serialize};

use crate::article::{Article, format_day};
use crate::error::Error;
use crate::index::Index;
use crate::story::fingerprint;
use crate::text::{TermCounts, count_terms};
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
    /// The day ages are counted from, as `YYYY-MM-DD`; defaults to the
    /// query article's date.
    pub today: Option<String>,
    /// URLs never to return, besides the query article's own.
    pub exclude: Vec<String>,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            k: 5,
            max_age_days: None,
            half_life_days: None,
            section_boost: None,
            today: None,
            exclude: Vec::new(),
        }
    }
}

/// One recommended article, with what the box shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub url: String,
    pub title: String,
    /// How related: the cosine similarity with the query plus what
    /// feedback added, after any boosts. Comparable within one index only.
    pub score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// Largest `k` a query may ask for; more is never a "related" box.
pub const MAX_K: usize = 100;

/// How many first-round candidates feedback re-ranks. Measured: 20 did as
/// well as re-scoring the whole archive on the BBC corpus; 30 leaves room
/// for candidates that filters or same-story checks drop.
const FEEDBACK_POOL: usize = 30;

impl Index {
    /// The `options.k` articles most like `article`, best first.
    ///
    /// 1. The query's strongest terms score every article through the
    ///    postings (cosine of unit vectors).
    /// 2. Feedback: the best `feedback_articles` of the top `FEEDBACK_POOL`
    ///    vote for the pool members like themselves, which makes up for
    ///    what pruning took from each article's vector.
    /// 3. Age and section options drop or reweigh candidates.
    /// 4. The ranking is walked, leaving out the article itself and any
    ///    story already chosen or the same as the query (see `story`).
    pub fn recommend(&self, article: &Article, options: &QueryOptions) -> Result<Vec<Related>, Error> {
        let filters = Filters::new(self, article, options)?;
        let (counts, signature) = count_terms(&self.tokenizer, article, self.scoring.title_weight);
        let query_print = fingerprint(&signature);
        let query = self.query_vector(&counts);

        let mut scores = vec![0f32; self.len()];
        for &(term, weight) in &query {
            for posting in self.postings_of(term as usize) {
                scores[posting.article as usize] += weight * posting.weight;
            }
        }
        let mut candidates: Vec<(u32, f32)> = scores
            .iter()
            .enumerate()
            .filter(|&(article, score)| *score > 0.0 && filters.admits(self, article))
            .map(|(article, score)| (article as u32, *score))
            .collect();
        let pool = FEEDBACK_POOL.min(candidates.len());
        if pool > 0 && pool < candidates.len() {
            candidates.select_nth_unstable_by(pool - 1, by_score);
        }
        let (pool, rest) = candidates.split_at_mut(pool);
        self.add_feedback(pool);
        for (article, score) in pool.iter_mut().chain(rest.iter_mut()) {
            *score = filters.boost(self, *article as usize, *score);
        }
        pool.sort_unstable_by(by_score);

        // A story is shown once, and never the query's own: its group when
        // the query is in the index, its fingerprint when it is new.
        let mut chosen: Vec<u32> = Vec::with_capacity(options.k);
        let walk = |ranked: &[(u32, f32)], chosen: &mut Vec<u32>| {
            for &(article, _) in ranked {
                if chosen.len() == options.k {
                    return;
                }
                let story = self.story_of[article as usize];
                let repeat = (query_print != 0 && self.fingerprints[article as usize] == query_print)
                    || chosen.iter().any(|&other| self.story_of[other as usize] == story);
                if !repeat {
                    chosen.push(article);
                }
            }
        };
        walk(pool, &mut chosen);
        if chosen.len() < options.k {
            // Rarely needed: the pool ran dry of new stories.
            rest.sort_unstable_by(by_score);
            walk(rest, &mut chosen);
        }
        let score_of =
            |article: u32| pool.iter().chain(rest.iter()).find(|c| c.0 == article).map_or(0.0, |c| c.1);
        Ok(chosen.iter().map(|&a| self.related(a as usize, score_of(a))).collect())
    }

    /// Pseudo-relevance feedback within the pool: each member gains the
    /// similarity of its kept terms to those of the best few other members,
    /// each vote weighed by the voter's own score. Scores are first scaled
    /// to the best one, so that feedback weighs the same whether the query
    /// shares many words with the archive or few.
    fn add_feedback(&self, pool: &mut [(u32, f32)]) {
        let voters = (self.scoring.feedback_articles as usize).min(pool.len());
        let best = pool.iter().map(|c| c.1).fold(0f32, f32::max);
        if voters == 0 || best <= 0.0 {
            return;
        }
        pool.iter_mut().for_each(|c| c.1 /= best);
        pool.sort_unstable_by(by_score);
        let share = self.scoring.feedback_weight / self.scoring.feedback_articles as f32;
        let votes: Vec<f32> = pool
            .iter()
            .map(|&(member, _)| {
                let vector = &self.article_vectors[member as usize];
                pool[..voters]
                    .iter()
                    .filter(|voter| voter.0 != member)
                    .map(|&(voter, weight)| weight * dot(&self.article_vectors[voter as usize], vector))
                    .sum::<f32>()
            })
            .collect();
        for ((_, score), vote) in pool.iter_mut().zip(votes) {
            *score += share * vote;
        }
    }

    /// The query's unit vector over the index's terms, as (term id, weight).
    /// Terms the index lacks still lengthen the vector, weighed as words of
    /// a single article: a page that shares two words with the archive and
    /// has a hundred of its own is not a perfect match for anything.
    fn query_vector(&self, counts: &TermCounts) -> Vec<(u32, f32)> {
        let counts = counts.truncate_hashes(self.scoring.hash_bits);
        let unknown_idf = weight::idf(self.len() as u32 + 1, 1, self.scoring.idf_power);
        let mut length = 0.0;
        let mut vector: Vec<(u32, f32)> = Vec::with_capacity(counts.len());
        for (hash, count) in counts.iter() {
            let term = self.term_id(hash);
            let w = weight::tf(count) * term.map_or(unknown_idf, |t| self.term_idf[t]);
            length += w * w;
            if let Some(term) = term {
                vector.push((term as u32, w));
            }
        }
        let length = length.sqrt();
        vector.iter_mut().for_each(|(_, w)| *w /= length);
        let limit = self.scoring.query_terms as usize;
        if limit > 0 && vector.len() > limit {
            vector.sort_unstable_by(by_score);
            vector.truncate(limit);
            vector.sort_unstable_by_key(|(term, _)| *term);
        }
        vector
    }

    fn related(&self, article: usize, score: f32) -> Related {
        let a = &self.articles;
        let cell = |column: &Option<Vec<Option<String>>>| column.as_ref().and_then(|c| c[article].clone());
        Related {
            url: a.url[article].clone(),
            title: a.title[article].clone(),
            score,
            date: a.day.as_ref().and_then(|days| days[article]).map(format_day),
            section: cell(&a.section),
            image: cell(&a.image),
            snippet: cell(&a.snippet),
        }
    }
}

/// Dot product of two sparse vectors sorted by term id.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
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

/// Best score first; equal scores in article order, so rankings repeat.
fn by_score(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The per-query rules that drop or reweigh candidates.
struct Filters {
    /// Articles never to return: the query itself and `exclude`.
    excluded: Vec<u32>,
    today: Option<i32>,
    max_age: Option<u32>,
    half_life: Option<f32>,
    section: Option<String>,
    section_boost: f32,
}

impl Filters {
    fn new(index: &Index, article: &Article, options: &QueryOptions) -> Result<Filters, Error> {
        let bad = |why: String| Err(Error::BadSettings(why));
        if options.k == 0 || options.k > MAX_K {
            return bad(format!("k is {}, but must be between 1 and {MAX_K}", options.k));
        }
        // The messages leave the value out: see `check_scoring`.
        let positive = |value: Option<f32>| value.is_none_or(|v| v.is_finite() && v > 0.0);
        if !positive(options.half_life_days) {
            return bad("the half-life must be a positive number of days".into());
        }
        if !positive(options.section_boost) {
            return bad("the section boost must be a positive number".into());
        }
        let today = match options.today.as_deref() {
            Some(day) => Some(crate::article::parse_day(day).ok_or_else(|| {
                Error::BadSettings(format!("today \"{day}\" is not a date such as 2005-03-01"))
            })?),
            None => article.day()?,
        };
        let uses_age = options.max_age_days.is_some() || options.half_life_days.is_some();
        if uses_age && today.is_none() {
            return bad(
                "a maximum age or half-life needs a reference day: give the article a date or set today"
                    .into(),
            );
        }
        // An excluded article takes the rest of its story with it.
        let stories: Vec<u32> = options
            .exclude
            .iter()
            .chain([&article.url])
            .filter_map(|url| index.article_by_url(url))
            .map(|article| index.story_of[article as usize])
            .collect();
        let excluded: Vec<u32> = (0..index.len() as u32)
            .filter(|&article| stories.contains(&index.story_of[article as usize]))
            .collect();
        Ok(Filters {
            excluded,
            today,
            max_age: options.max_age_days,
            half_life: options.half_life_days,
            section: article.section.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            section_boost: options.section_boost.unwrap_or(1.0),
        })
    }

    /// Whether the candidate may be shown at all: not the query itself nor
    /// excluded, and not older than the maximum age. Undated articles pass:
    /// their age is unknown, not old.
    fn admits(&self, index: &Index, article: usize) -> bool {
        if self.excluded.contains(&(article as u32)) {
            return false;
        }
        match (self.max_age, self.age_of(index, article)) {
            (Some(max), Some(age)) => age <= max,
            _ => true,
        }
    }

    /// The score after the half-life and section boost.
    fn boost(&self, index: &Index, article: usize, mut score: f32) -> f32 {
        if let (Some(half_life), Some(age)) = (self.half_life, self.age_of(index, article)) {
            score *= 0.5f32.powf(age as f32 / half_life);
        }
        if let (Some(wanted), Some(sections)) = (&self.section, &index.articles.section) {
            if sections[article].as_deref() == Some(wanted.as_str()) {
                score *= self.section_boost;
            }
        }
        score
    }

    /// Days between the article and `today`; articles dated later count as new.
    fn age_of(&self, index: &Index, article: usize) -> Option<u32> {
        let day = index.articles.day.as_ref()?[article]?;
        Some((self.today? - day).max(0) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuildOptions, IndexBuilder};

    fn article(url: &str, title: &str, body: &str) -> Article {
        Article { url: url.into(), title: title.into(), body: body.into(), ..Article::default() }
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

    #[test]
    fn sparse_dot_products_by_hand() {
        let a = [(1, 0.6), (2, 0.8)];
        let b = [(2, 0.5), (3, 0.5)];
        assert!((dot(&a, &b) - 0.4).abs() < 1e-6);
    }
}
