//! Related articles for one article: weigh its terms as the builder weighed
//! the archive's, add up scores through the postings, then walk the ranking
//! leaving out the article itself and any repeat of a story already shown.

use serde::{Deserialize, Serialize};

use crate::article::{Article, format_day};
use crate::build::{keep_rank, strongest_terms};
use crate::error::Error;
use crate::index::Index;
use crate::text::{TermCounts, count_terms, url_key};
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

impl Index {
    /// The `options.k` articles most like `article`, best first.
    pub fn recommend(&self, article: &Article, options: &QueryOptions) -> Result<Vec<Related>, Error> {
        let filters = Filters::new(self, article, options)?;
        let (counts, query_print) = count_terms(&self.tokenizer, article, self.scoring.title_weight);
        let query = self.query_vector(&counts);
        let mut scores = vec![0f32; self.len()];
        for &(term, weight) in &query {
            for posting in self.postings_of(term as usize) {
                scores[posting.article as usize] += weight * posting.weight;
            }
        }
        if let Ok(pool) = std::env::var("ALIKE_POOL") {
            let pool: usize = pool.parse().unwrap();
            let mut best: Vec<(u32, f32)> = scores.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(a, s)| (a as u32, *s)).collect();
            best.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(pool);
            let fb: Vec<u32> = best.iter().filter(|(a, _)| !filters.is_excluded(*a as usize)).take(self.scoring.feedback_articles as usize).map(|x| x.0).collect();
            let share = self.scoring.feedback_weight / self.scoring.feedback_articles.max(1) as f32;
            let mut fresh = vec![0f32; scores.len()];
            for &(c, s) in &best {
                let extra: f32 = fb.iter().map(|&j| dot(&self.article_vectors[j as usize], &self.article_vectors[c as usize])).sum();
                fresh[c as usize] = s + share * extra;
            }
            scores = fresh;
        } else {
        self.add_feedback(&mut scores, &filters);
        }
        let mut ranked: Vec<(u32, f32)> = scores
            .iter()
            .enumerate()
            .filter(|(_, score)| **score > 0.0)
            .filter_map(|(article, score)| {
                filters.adjust(self, article, *score).map(|s| (article as u32, s))
            })
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        let query_kept = self.kept_vector(&query);
        let same_print = |a: u32, b: u16| b != 0 && self.fingerprints[a as usize] == b;
        let threshold = self.scoring.duplicate_similarity;
        let mut chosen: Vec<u32> = Vec::with_capacity(options.k);
        let mut related = Vec::with_capacity(options.k);
        for (article, score) in ranked {
            if chosen.len() == options.k {
                break;
            }
            let vector = &self.article_vectors[article as usize];
            let same_story = filters.is_excluded(article as usize)
                || same_print(article, query_print)
                || same_story_similarity(&query_kept, vector) >= threshold
                || chosen.iter().any(|&other| {
                    same_print(article, self.fingerprints[other as usize])
                        || same_story_similarity(&self.article_vectors[other as usize], vector) >= threshold
                });
            if !same_story {
                chosen.push(article);
                related.push(self.related(article as usize, score));
            }
        }
        Ok(related)
    }

    /// Pseudo-relevance feedback: the best first-round articles vote for
    /// articles like themselves, which fills in what pruning took from the
    /// index.
    fn add_feedback(&self, scores: &mut [f32], filters: &Filters) {
        let (count, weight) = (self.scoring.feedback_articles as usize, self.scoring.feedback_weight);
        if count == 0 || weight == 0.0 {
            return;
        }
        let mut best: Vec<(u32, f32)> = scores
            .iter()
            .enumerate()
            .filter(|&(article, score)| *score > 0.0 && !filters.is_excluded(article))
            .map(|(article, score)| (article as u32, *score))
            .collect();
        let top = count.min(best.len());
        if top == 0 {
            return;
        }
        best.select_nth_unstable_by(top - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let share = weight / count as f32;
        let mut extra = vec![0f32; scores.len()];
        for &(article, _) in &best[..top] {
            for &(term, w) in &self.article_vectors[article as usize] {
                for posting in self.postings_of(term as usize) {
                    extra[posting.article as usize] += share * w * posting.weight;
                }
            }
        }
        scores.iter_mut().zip(extra).for_each(|(score, extra)| *score += extra);
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
        vector
    }

    /// The query pruned as the builder prunes articles, for comparing with
    /// their kept terms; sorted by term id.
    fn kept_vector(&self, query: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let weights: Vec<(u64, f32)> = query.iter().map(|&(t, w)| (u64::from(t), w)).collect();
        let bias = self.scoring.common_term_bias;
        let kept = strongest_terms(&weights, self.scoring.terms_per_article as usize, |term, w| {
            Some(keep_rank(w, self.term_df[term as usize], bias))
        });
        let mut kept: Vec<(u32, f32)> = kept.into_iter().map(|(t, w)| (t as u32, w)).collect();
        kept.sort_unstable_by_key(|(t, _)| *t);
        kept
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

/// Fewest kept terms two articles must share before their cosine may call
/// them the same story; short texts agree on a few words by chance.
const MIN_SHARED_TERMS: usize = 8;

/// Cosine of two kept-term unit vectors sorted by term id, or 0 when they
/// share too few terms to judge.
fn same_story_similarity(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum, mut shared) = (0, 0, 0.0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    if shared < MIN_SHARED_TERMS { 0.0 } else { sum }
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
        if let Some(h) = options.half_life_days.filter(|h| !(h.is_finite() && *h > 0.0)) {
            return bad(format!("the half-life is {h} days, but must be a positive number"));
        }
        if let Some(b) = options.section_boost.filter(|b| !(b.is_finite() && *b > 0.0)) {
            return bad(format!("the section boost is {b}, but must be a positive number"));
        }
        let today = match options.today.as_deref() {
            Some(day) => Some(crate::article::parse_day(day).ok_or_else(|| {
                Error::BadSettings(format!("today {day:?} is not a date such as 2005-03-01"))
            })?),
            None => article.day()?,
        };
        let uses_age = options.max_age_days.is_some() || options.half_life_days.is_some();
        if uses_age && today.is_none() {
            return bad(
                "a maximum age or half-life needs a reference day: give the article a date or set today".into(),
            );
        }
        let excluded: Vec<u32> = options
            .exclude
            .iter()
            .chain([&article.url])
            .filter_map(|url| index.article_by_url.get(&url_key(url)).copied())
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

    fn is_excluded(&self, article: usize) -> bool {
        self.excluded.contains(&(article as u32))
    }

    /// The candidate's score after boosts, or `None` if it is filtered out.
    fn adjust(&self, index: &Index, article: usize, score: f32) -> Option<f32> {
        let mut score = score;
        if let Some(today) = self.today {
            let day = index.articles.day.as_ref().and_then(|days| days[article]);
            // Undated articles pass: their age is unknown, not old.
            if let Some(age) = day.map(|day| (today - day).max(0)) {
                if self.max_age.is_some_and(|max| age as u32 > max) {
                    return None;
                }
                if let Some(half_life) = self.half_life {
                    score *= 0.5f32.powf(age as f32 / half_life);
                }
            }
        }
        if let (Some(wanted), Some(sections)) = (&self.section, &index.articles.section) {
            if sections[article].as_deref() == Some(wanted.as_str()) {
                score *= self.section_boost;
            }
        }
        Some(score)
    }
}

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => { sum += a[i].1 * b[j].1; i += 1; j += 1; }
        }
    }
    sum
}
