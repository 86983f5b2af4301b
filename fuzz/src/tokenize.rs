//! The tokenizer (src/tokenize.rs), in every language: any text gives
//! terms that are non-empty and hold no white space, the same each time.
//!
//! The first byte picks the language, the next (up to a newline) are extra
//! stop words, one per space, and the rest is the text.

use std::sync::OnceLock;

use alike::{Language, Tokenizer};

/// One tokenizer per language with its default stop words, built once:
/// building one per input would measure the stop-word sort, not the
/// tokenizer.
fn tokenizers() -> &'static [Tokenizer] {
    static TOKENIZERS: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    TOKENIZERS.get_or_init(|| {
        Language::names()
            .map(|name| {
                let language = Language::parse(name).expect("every listed language parses");
                Tokenizer::new(language, &language.default_stop_words())
                    .expect("this build has every stemmer")
            })
            .collect()
    })
}

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else { return };
    let Ok(rest) = std::str::from_utf8(rest) else { return };
    let all = tokenizers();
    let (stop_words, text) = rest.split_once('\n').unwrap_or(("", rest));
    let standard = &all[usize::from(choice) % all.len()];
    let custom;
    let tokenizer = if stop_words.is_empty() {
        standard
    } else {
        // Fuzzed stop words, as an index may carry any.
        let words: Vec<String> = stop_words.split(' ').map(str::to_string).collect();
        custom = Tokenizer::new(standard.language(), &words).expect("this build has every stemmer");
        &custom
    };
    let terms = tokenizer.terms(text);
    for term in &terms {
        assert!(!term.is_empty(), "an empty term from {text:?}");
        assert!(!term.chars().any(char::is_whitespace), "term {term:?} from {text:?} holds white space");
    }
    let mut count = 0;
    tokenizer.for_each_term(text, |_| count += 1);
    assert_eq!(count, terms.len(), "two passes over {text:?} gave different terms");
}
