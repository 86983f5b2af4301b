//! The newest articles of each section (`format::Latest`), which the box
//! shows instead of nothing when asked to (`QueryOptions::section_fallback`).
//! A few ids per section in the index, the manifest or the engine file: the
//! engine then fetches their rows as it fetches any result's.

use crate::format::{Articles, Latest};
use crate::query::lowered;

/// How many of each section's newest articles the index lists: enough for
/// a box of ten once the page itself and a filter or two have taken theirs.
pub const LATEST_PER_SECTION: usize = 12;

/// Each section's newest dated articles that may be recommended (not
/// `hidden`), one per story (`stories`, as `Articles::stories`), newest
/// first (the later id first on one day); `None` when no dated article has
/// a section. Sections are told apart trimmed and lower-cased, as filters
/// compare them, and named as their first article spells them.
pub(crate) fn newest_per_section(
    articles: &Articles,
    hidden: &[bool],
    stories: &[Vec<u32>],
) -> Option<Latest> {
    let (Some(days), Some(sections)) = (&articles.day, &articles.section) else { return None };
    let story_of = |a: u32| stories.iter().position(|group| group.contains(&a));
    let mut dated: Vec<(i32, u32)> = (0..days.len() as u32)
        .filter(|&a| !hidden[a as usize] && sections[a as usize].is_some())
        .filter_map(|a| Some((days[a as usize]?, a)))
        .collect();
    dated.sort_unstable_by(|x, y| y.cmp(x));
    let mut latest = Latest::default();
    let mut keys: Vec<String> = Vec::new();
    let mut seen_stories: Vec<Vec<usize>> = Vec::new();
    for (_, a) in dated {
        let name = sections[a as usize].as_deref().unwrap_or_default();
        let key = lowered(name);
        let at = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            keys.push(key);
            latest.sections.push(name.to_string());
            latest.articles.push(Vec::new());
            seen_stories.push(Vec::new());
            keys.len() - 1
        });
        if latest.articles[at].len() == LATEST_PER_SECTION {
            continue;
        }
        if let Some(story) = story_of(a) {
            if seen_stories[at].contains(&story) {
                continue;
            }
            seen_stories[at].push(story);
        }
        latest.articles[at].push(a);
    }
    (!latest.sections.is_empty()).then_some(latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(days: &[Option<i32>], sections: &[Option<&str>]) -> Articles {
        Articles {
            url: days.iter().enumerate().map(|(i, _)| format!("/{i}")).collect(),
            title: days.iter().map(|_| String::new()).collect(),
            day: Some(days.to_vec()),
            section: Some(sections.iter().map(|s| s.map(String::from)).collect()),
            image: None,
            snippet: None,
            language: None,
            fingerprints: String::new(),
            stories: Vec::new(),
            related: Vec::new(),
        }
    }

    #[test]
    fn newest_first_per_section_without_hidden_undated_or_repeated_stories() {
        let table = articles(
            &[Some(1), Some(5), Some(3), None, Some(9), Some(7), Some(4)],
            &[Some("News"), Some("news "), Some("Sport"), Some("News"), Some("News"), Some("Sport"), None],
        );
        let hidden = [false, false, false, false, true, false, false];
        // Articles 0 and 1 are one story: only the newer one is listed.
        let latest = newest_per_section(&table, &hidden, &[vec![0, 1]]).unwrap();
        // Sections in order of their newest article.
        assert_eq!(latest.sections, ["Sport", "news "]);
        assert_eq!(latest.articles, [vec![5, 2], vec![1]]);
    }

    #[test]
    fn at_most_a_few_per_section_and_none_without_sections() {
        let many = LATEST_PER_SECTION + 3;
        let days: Vec<Option<i32>> = (0..many as i32).map(Some).collect();
        let table = articles(&days, &vec![Some("World"); many]);
        let latest = newest_per_section(&table, &vec![false; many], &[]).unwrap();
        assert_eq!(latest.articles[0].len(), LATEST_PER_SECTION);
        assert_eq!(latest.articles[0][0], many as u32 - 1);
        assert_eq!(newest_per_section(&articles(&days, &vec![None; many]), &vec![false; many], &[]), None);
    }
}
