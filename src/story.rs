//! Telling a repeat of a story (republished, lightly edited, under another
//! URL or headline) from a related story, so that a reader never sees the
//! same story twice.
//!
//! The builder has every article's whole text, so it decides: it takes a
//! MinHash signature of each body's four-term shingles, finds articles whose
//! signatures mostly agree (bodies sharing about half their shingles or
//! more) and records them as one story in the index. A query for an article
//! in the index looks its story up by URL. A page that is not in the index
//! yet is compared through a 16-bit fingerprint (one MinHash), which every
//! article carries: identical bodies always agree, edited ones about as
//! often as their shingles overlap, unrelated ones once in 65,535.
//!
//! Bodies only, so that a new headline does not hide a copy; terms only, so
//! that spacing, case and punctuation do not either.

use std::collections::HashMap;

/// MinHashes per signature.
const SIGNATURE_SIZE: usize = 16;
/// Signature positions that must agree for two bodies to be one story:
/// about half their shingles shared. Related stories that quote each other
/// share a few percent.
const SAME_STORY_AGREEMENT: usize = 8;
/// Signature positions per locality-sensitive hashing band: bodies sharing
/// half their shingles meet in some band with probability 1 - (1 - 0.5^2)^8,
/// about 0.9; a quarter, about 0.4, and they are then checked in full.
const BAND_SIZE: usize = 2;
const SHINGLE_TERMS: usize = 4;
/// Buckets up to this size are checked pair by pair; larger ones against
/// their first member only.
const PAIRWISE_BUCKET: usize = 32;

/// Collects the shingles of a body, one term hash at a time.
#[derive(Clone, Debug)]
pub struct Shingler {
    window: [u64; SHINGLE_TERMS],
    terms: usize,
    minima: [u64; SIGNATURE_SIZE],
}

/// The MinHash signature of a body; `None` for a body without terms.
pub type Signature = Option<[u64; SIGNATURE_SIZE]>;

impl Default for Shingler {
    fn default() -> Self {
        Shingler { window: [0; SHINGLE_TERMS], terms: 0, minima: [u64::MAX; SIGNATURE_SIZE] }
    }
}

impl Shingler {
    pub fn push(&mut self, term: u64) {
        self.window.rotate_left(1);
        self.window[SHINGLE_TERMS - 1] = term;
        self.terms += 1;
        if self.terms >= SHINGLE_TERMS {
            self.add_shingle(shingle_hash(&self.window));
        }
    }

    pub fn signature(mut self) -> Signature {
        match self.terms {
            0 => None,
            // A body shorter than a shingle is one shingle.
            n if n < SHINGLE_TERMS => {
                let hash = shingle_hash(&self.window[SHINGLE_TERMS - n..]);
                self.add_shingle(hash);
                Some(self.minima)
            }
            _ => Some(self.minima),
        }
    }

    fn add_shingle(&mut self, hash: u64) {
        for (position, minimum) in self.minima.iter_mut().enumerate() {
            *minimum = (*minimum).min(permute(hash, position));
        }
    }
}

/// The 16-bit fingerprint stored for every article; 0 means "no body".
pub fn fingerprint(signature: &Signature) -> u16 {
    match signature {
        None => 0,
        // A real minimum that folds to 0 takes 1 instead.
        Some(minima) => ((minima[0] >> 48) as u16).max(1),
    }
}

/// Groups the articles whose signatures say they are one story. Each group
/// is sorted and has at least two members; groups are in order of their
/// first member.
pub fn group_stories(signatures: &[Signature]) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..signatures.len() as u32).collect();
    // Sorted (band key, article) pairs: a run of equal keys is a bucket.
    // Far lighter than a map of lists when there are millions of articles.
    let mut keys: Vec<(u64, u32)> = signatures
        .iter()
        .enumerate()
        .filter_map(|(article, signature)| Some((article as u32, signature.as_ref()?)))
        .flat_map(|(article, minima)| {
            minima.chunks(BAND_SIZE).enumerate().map(move |(band, rows)| {
                let mut key = [band as u64; BAND_SIZE + 1];
                key[1..].copy_from_slice(rows);
                (shingle_hash(&key), article)
            })
        })
        .collect();
    keys.sort_unstable();
    let buckets = keys.chunk_by(|a, b| a.0 == b.0).map(|run| run.iter().map(|k| k.1).collect::<Vec<u32>>());
    let alike =
        |a: u32, b: u32| agreement(&signatures[a as usize], &signatures[b as usize]) >= SAME_STORY_AGREEMENT;
    let mut join = |a: u32, b: u32| {
        if !alike(a, b) {
            return;
        }
        let (root_a, root_b) = (find(&mut parent, a), find(&mut parent, b));
        // Each must be like the other's leader too, so that stories do not
        // chain: A like B, B like C, and so on to an unrelated Z.
        if root_a != root_b && alike(a, root_b) && alike(b, root_a) {
            // The smaller id leads, so that groups do not depend on order.
            parent[root_a.max(root_b) as usize] = root_a.min(root_b);
        }
    };
    for members in buckets.filter(|members| members.len() > 1) {
        if members.len() <= PAIRWISE_BUCKET {
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    join(a, b);
                }
            }
        } else {
            // A band value this common is boilerplate more often than one
            // story told many times; comparing every pair would take time
            // and memory growing with the square of its size.
            for &b in &members[1..] {
                join(members[0], b);
            }
        }
    }
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for article in 0..signatures.len() as u32 {
        let root = find(&mut parent, article);
        groups.entry(root).or_default().push(article);
    }
    let mut groups: Vec<Vec<u32>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    groups
}

fn agreement(a: &Signature, b: &Signature) -> usize {
    match (a, b) {
        (Some(a), Some(b)) => a.iter().zip(b).filter(|(x, y)| x == y).count(),
        _ => 0,
    }
}

fn find(parent: &mut [u32], mut article: u32) -> u32 {
    while parent[article as usize] != article {
        let grandparent = parent[parent[article as usize] as usize];
        parent[article as usize] = grandparent;
        article = grandparent;
    }
    article
}

fn shingle_hash(terms: &[u64]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in terms.iter().flat_map(|term| term.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// One of `SIGNATURE_SIZE` fixed permutations of the hash space
/// (splitmix64's finaliser over the hash and the position).
fn permute(hash: u64, position: usize) -> u64 {
    let mut z = hash ^ (position as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::tokenize::{Language, Tokenizer};
    use crate::weight::term_hash;

    fn signature(body: &str) -> Signature {
        let tokenizer = Tokenizer::new(Language::English, &Language::English.default_stop_words()).unwrap();
        let mut shingler = Shingler::default();
        tokenizer.for_each_term(body, |term| shingler.push(term_hash(term, 64)));
        shingler.signature()
    }

    const STORY: &str = "Jennifer Capriati has withdrawn from the Australian Open with a shoulder injury, \
        organisers said. The American, a two-time champion in Melbourne, picked up the injury in \
        Philadelphia in November and had to pull out of an exhibition match. Last year's champion \
        Justine Henin-Hardenne and runner-up Kim Clijsters will also be absent from the draw.";

    #[test]
    fn spacing_case_and_punctuation_do_not_matter() {
        let same = STORY.to_uppercase().replace(", ", " - ").replace(' ', "  ");
        assert_eq!(signature(STORY), signature(&same));
        assert_ne!(fingerprint(&signature(STORY)), 0);
        assert_eq!(fingerprint(&signature("")), 0);
        assert_eq!(fingerprint(&signature("the and of")), 0);
    }

    #[test]
    fn copies_and_light_edits_group_related_stories_do_not() {
        let edited =
            STORY.replace("in November", "late last year").replace("organisers said", "officials said");
        let related = "Kim Clijsters says her wrist injury will keep her out of the Australian Open in \
            Melbourne, leaving the women's draw without last year's runner-up. The Belgian had hoped to \
            return in January after surgery but doctors advised more rest.";
        let signatures =
            [signature(STORY), signature(related), signature(&edited), signature(STORY), None, None];
        assert_eq!(group_stories(&signatures), [vec![0, 2, 3]]);
    }

    #[test]
    fn a_story_told_many_times_is_one_group_and_stays_cheap() {
        let copies: Vec<Signature> = (0..5000).map(|_| signature(STORY)).collect();
        let groups = group_stories(&copies);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].len(), 5000);
    }

    #[test]
    fn stories_do_not_chain() {
        // Each text shares half its paragraphs with the next, none with the
        // one after: neighbours may group, but not the whole chain.
        let paragraphs: Vec<String> = (0..12)
            .map(|i| {
                format!("Paragraph {i} tells of thing{i} and place{i} with person{i} and event{i} daily.")
            })
            .collect();
        let texts: Vec<String> = (0..10).map(|i| paragraphs[i..i + 2].join(" ")).collect();
        let signatures: Vec<Signature> = texts.iter().map(|t| signature(t)).collect();
        let groups = group_stories(&signatures);
        assert!(groups.iter().all(|g| g.len() <= 3), "{groups:?}");
    }

    #[test]
    fn a_short_body_is_one_shingle() {
        assert!(signature("rates held").is_some());
        assert_eq!(signature("rates held"), signature("Rates, held!"));
        assert_ne!(signature("rates held"), signature("rates cut"));
    }
}
