//! From articles to an `IndexFile`: count terms, weigh them, keep each
//! article's strongest, quantise, pack.

use std::collections::HashMap;

use crate::article::Article;
use crate::codec::{put_digit, put_vlq};
use crate::error::Error;
use crate::index::{Articles, FORMAT_NAME, FORMAT_VERSION, IndexFile, Scoring, Terms};
use crate::story::{Signature, fingerprint, group_stories};
use crate::text::{TermCounts, count_terms, url_key};
use crate::tokenize::{Language, Tokenizer};
use crate::weight::{self, Quantizer};

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
    /// See `Scoring::feedback_articles` and `feedback_weight`.
    pub feedback_articles: u32,
    pub feedback_weight: f32,
    /// Strongest terms kept per article (the main size/relevance dial: fewer
    /// terms, smaller index, weaker matches).
    pub terms_per_article: u32,
    /// Terms found in fewer articles are left out: a word in one article
    /// links it to nothing else in the archive.
    pub min_df: u32,
    /// Bits per stored weight (1 to 6: one base64 digit).
    pub weight_bits: u8,
    /// Extra hash bits over what the vocabulary needs, fixing how often two
    /// terms share a hash: about one term in `2^extra` does.
    pub extra_hash_bits: u8,
    /// Length of the snippet kept per article, in characters; 0 keeps none.
    pub snippet_chars: usize,
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
            query_terms: 80,
            feedback_articles: 10,
            feedback_weight: 2.0,
            terms_per_article: 30,
            min_df: 2,
            weight_bits: 2,
            extra_hash_bits: 8,
            snippet_chars: 0,
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
    articles: Vec<Article>,
    counts: Vec<TermCounts>,
    signatures: Vec<Signature>,
    seen_urls: HashMap<String, usize>,
}

impl IndexBuilder {
    pub fn new(options: BuildOptions) -> Result<IndexBuilder, Error> {
        options.validate()?;
        Ok(IndexBuilder {
            tokenizer: Tokenizer::new(options.language, &options.stop_words)?,
            options,
            articles: Vec::new(),
            counts: Vec::new(),
            signatures: Vec::new(),
            seen_urls: HashMap::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Adds one article, or says why it cannot be indexed (and leaves the
    /// builder as it was).
    pub fn add(&mut self, mut article: Article) -> Result<(), Error> {
        let bad = |why: String| Err(Error::BadArticle(why));
        article.url = article.url.trim().to_string();
        if article.url.is_empty() {
            return bad("the article has no url".into());
        }
        if article.title.trim().is_empty() && article.body.trim().is_empty() {
            return bad(format!("article {} has neither title nor text", article.url));
        }
        article.day()?;
        let key = url_key(&article.url);
        if let Some(first) = self.seen_urls.get(&key) {
            return bad(format!(
                "article {} has the same url as article number {} ({})",
                article.url,
                first + 1,
                self.articles[*first].url
            ));
        }
        let (counts, signature) = count_terms(&self.tokenizer, &article, self.options.title_weight);
        if counts.is_empty() {
            return bad(format!("article {} has no indexable words", article.url));
        }
        self.seen_urls.insert(key, self.articles.len());
        self.counts.push(counts);
        self.signatures.push(signature);
        self.articles.push(article);
        Ok(())
    }

    pub fn finish(self) -> IndexFile {
        let options = &self.options;
        let article_count = self.articles.len() as u32;
        let hash_bits = hash_bits_for(&self.counts, options.extra_hash_bits);

        // Counts are keyed by 64-bit hashes; the index keeps fewer bits, and
        // terms that then collide are merged, exactly as queries will see them.
        let counts: Vec<TermCounts> =
            self.counts.iter().map(|counts| counts.truncate_hashes(hash_bits)).collect();
        let mut df: HashMap<u64, u32> = HashMap::new();
        for counts in &counts {
            for (hash, _) in counts.iter() {
                *df.entry(hash).or_default() += 1;
            }
        }

        // Each article's kept terms with their unit-vector weights.
        let kept: Vec<Vec<(u64, f32)>> = counts
            .iter()
            .map(|counts| {
                let weights: Vec<(u64, f32)> = counts
                    .iter()
                    .map(|(hash, count)| {
                        (hash, weight::tf(count) * weight::idf(article_count, df[&hash], options.idf_power))
                    })
                    .collect();
                strongest_terms(&weights, options.terms_per_article as usize, |hash, weight| {
                    let df = df[&hash];
                    (df >= options.min_df).then(|| keep_rank(weight, df, options.common_term_bias))
                })
            })
            .collect();

        let (weight_min, weight_max) =
            kept.iter().flatten().fold((f32::INFINITY, 0f32), |(lo, hi), (_, w)| (lo.min(*w), hi.max(*w)));
        let (weight_min, weight_max) = if weight_max > 0.0 { (weight_min, weight_max) } else { (1.0, 1.0) };
        let quantizer = Quantizer::new(weight_min, weight_max, options.weight_bits);

        let mut postings: Vec<(u64, u32, u32)> = kept
            .iter()
            .enumerate()
            .flat_map(|(article, terms)| {
                terms.iter().map(move |(hash, w)| (*hash, article as u32, quantizer.quantize(*w)))
            })
            .collect();
        postings.sort_unstable();

        let terms = encode_terms(&postings, |hash| df[&hash]);
        IndexFile {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            language: options.language.name().to_string(),
            stop_words: self.tokenizer.stop_words().to_vec(),
            scoring: Scoring {
                title_weight: options.title_weight,
                idf_power: options.idf_power,
                common_term_bias: options.common_term_bias,
                query_terms: options.query_terms,
                feedback_articles: options.feedback_articles,
                feedback_weight: options.feedback_weight,
                terms_per_article: options.terms_per_article,
                hash_bits,
                weight_bits: options.weight_bits,
                weight_min,
                weight_max,
            },
            articles: Articles {
                fingerprints: encode_fingerprints(&self.signatures),
                stories: group_stories(&self.signatures),
                ..metadata(&self.articles, options.snippet_chars)
            },
            terms,
        }
    }
}

/// Packs postings sorted by (term hash, article) into `Terms`.
pub(crate) fn encode_terms(postings: &[(u64, u32, u32)], df: impl Fn(u64) -> u32) -> Terms {
    let mut terms = Terms {
        count: 0,
        hashes: String::new(),
        df: String::new(),
        lengths: String::new(),
        articles: String::new(),
        weights: String::new(),
    };
    let mut previous_hash = 0;
    for group in postings.chunk_by(|a, b| a.0 == b.0) {
        let hash = group[0].0;
        put_vlq(&mut terms.hashes, hash - previous_hash);
        previous_hash = hash;
        put_vlq(&mut terms.df, u64::from(df(hash)));
        put_vlq(&mut terms.lengths, group.len() as u64);
        let mut previous_article = 0;
        for &(_, article, level) in group {
            put_vlq(&mut terms.articles, u64::from(article - previous_article));
            put_digit(&mut terms.weights, level as u8);
            previous_article = article;
        }
        terms.count += 1;
    }
    terms
}

fn encode_fingerprints(signatures: &[Signature]) -> String {
    let mut text = String::with_capacity(3 * signatures.len());
    for print in signatures.iter().map(fingerprint) {
        for shift in [12, 6, 0] {
            put_digit(&mut text, ((print >> shift) & 63) as u8);
        }
    }
    text
}

/// Enough bits that the distinct terms spread thinly over the hash space.
fn hash_bits_for(counts: &[TermCounts], extra: u8) -> u8 {
    let mut distinct: Vec<u64> = counts.iter().flat_map(|c| c.iter().map(|(h, _)| h)).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let needed = 64 - (distinct.len().max(1) as u64).leading_zeros() as u8;
    (needed + extra).clamp(8, 64)
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
    ranked.into_iter().map(|(_, hash, w)| (hash, w / length)).collect()
}

fn metadata(articles: &[Article], snippet_chars: usize) -> Articles {
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
        snippet: if snippet_chars == 0 {
            None
        } else {
            column(articles, |a| snippet(&a.body, snippet_chars))
        },
        fingerprints: String::new(),
        stories: Vec::new(),
    }
}

/// The start of `body`, cut at a word boundary, with an ellipsis if cut.
fn snippet(body: &str, max_chars: usize) -> Option<String> {
    let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
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
mod tests {
    use super::*;

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
    }

    #[test]
    fn ineligible_terms_are_skipped() {
        let kept = strongest_terms(&[(1, 3.0), (2, 4.0)], 5, |h, w| (h != 2).then_some(w));
        assert_eq!(kept.iter().map(|k| k.0).collect::<Vec<_>>(), [1]);
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
