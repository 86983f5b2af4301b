//! Text to index terms: the one pipeline both the index builder and the
//! browser run, so that a word on the page and the same word in the archive
//! always become the same term.
//!
//! The stages, in order (each rule is deliberate; `docs/index-format.md`
//! repeats them because they are part of the format):
//!
//! 1. **Links and addresses are dropped.** A whitespace-separated chunk that
//!    contains `://`, starts with `www.` or looks like an e-mail address says
//!    nothing about the topic and would otherwise shatter into `http`, `www`,
//!    `com` and friends.
//! 2. **Words by Unicode rules** (UAX #29 word boundaries). Hyphenated
//!    compounds become their parts (`high-speed` gives `high` and `speed`);
//!    apostrophes and decimal points inside a word keep it whole.
//! 3. **Scripts written without spaces** (Han, Hiragana, Katakana, Thai, Lao,
//!    Khmer, Myanmar) have no word boundaries to find, so each run of them
//!    yields overlapping bigrams of its segments (`经济增长` gives `经济`,
//!    `济增`, `增长`); a lone character stands for itself.
//! 4. **Case folding** with Unicode lower-casing.
//! 5. **Apostrophes**: `’` counts as `'`. English drops a possessive `'s`;
//!    French, Italian and Catalan keep what follows an elided article
//!    (`l'homme` gives `homme`); any apostrophe left is removed (`don't` is
//!    checked against the stop words first).
//! 6. **Numbers**: a four-digit number is kept (mostly years, which do place
//!    a story); every other token that starts with a digit (`76`, `1.13bn`,
//!    `2nd`) is dropped, as amounts, counts and ordinals say little about the
//!    topic. Words that merely contain digits (`mp3`, `g8`) are kept.
//! 7. **Stop words** of the language are dropped, and so are one-letter
//!    tokens.
//! 8. **Snowball stemming** for the language.

use std::borrow::Cow;

use crate::case;
use crate::error::Error;
use crate::words;
use pagefind_stem::Stemmer;

/// Declares the languages: enum variant, name (also the cargo feature that
/// compiles its Snowball stemmer in) and ISO 639-1 code; after the `;`,
/// languages that have no stemmer but are told apart in a mixed index.
macro_rules! languages {
    ($($variant:ident $name:literal $code:literal,)* ; $($plain:ident $plain_name:literal $plain_code:literal,)*) => {
        /// The languages alike can stem, and those it keeps words of as
        /// they are (after case folding): Chinese and Japanese, whose
        /// unspaced text becomes bigrams whatever the language, Korean, and
        /// `None` for any other language without a Snowball stemmer.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Language { $($variant,)* $($plain,)* None }

        const LANGUAGES: &[(Language, &str, &str)] = &[
            $((Language::$variant, $name, $code),)*
            $((Language::$plain, $plain_name, $plain_code),)*
            (Language::None, "none", ""),
        ];

        /// The language's stemmer, if this build has it: each is a cargo
        /// feature, so that a browser build can carry only the ones it needs.
        fn stemmer(language: Language) -> Result<Option<Stemmer>, Error> {
            match language {
                $(Language::$variant => {
                    #[cfg(feature = $name)]
                    return Ok(Some(Stemmer::create(pagefind_stem::Algorithm::$variant)));
                    #[cfg(not(feature = $name))]
                    return Err(Error::LanguageNotBuilt(language.name()));
                })*
                $(Language::$plain => Ok(None),)*
                Language::None => Ok(None),
            }
        }
    };
}

languages! {
    Arabic "arabic" "ar",
    Armenian "armenian" "hy",
    Basque "basque" "eu",
    Catalan "catalan" "ca",
    Danish "danish" "da",
    Dutch "dutch" "nl",
    English "english" "en",
    Esperanto "esperanto" "eo",
    Estonian "estonian" "et",
    Finnish "finnish" "fi",
    French "french" "fr",
    German "german" "de",
    Greek "greek" "el",
    Hindi "hindi" "hi",
    Hungarian "hungarian" "hu",
    Indonesian "indonesian" "id",
    Irish "irish" "ga",
    Italian "italian" "it",
    Lithuanian "lithuanian" "lt",
    Nepali "nepali" "ne",
    Norwegian "norwegian" "no",
    Polish "polish" "pl",
    Portuguese "portuguese" "pt",
    Romanian "romanian" "ro",
    Russian "russian" "ru",
    Serbian "serbian" "sr",
    Spanish "spanish" "es",
    Swedish "swedish" "sv",
    Tamil "tamil" "ta",
    Turkish "turkish" "tr",
    Yiddish "yiddish" "yi",
    ;
    Chinese "chinese" "zh",
    Japanese "japanese" "ja",
    Korean "korean" "ko",
}

impl Language {
    /// Parses a language name (`english`) or ISO 639-1 code (`en`), in any case.
    pub fn parse(name: &str) -> Result<Language, Error> {
        let wanted = name.trim().to_ascii_lowercase();
        LANGUAGES
            .iter()
            .find(|(_, long, code)| *long == wanted || (!code.is_empty() && *code == wanted))
            .map(|(language, ..)| *language)
            .ok_or_else(|| Error::UnknownLanguage(name.to_string()))
    }

    /// The language of a BCP 47 tag as pages and feeds write it (`fr`,
    /// `fr-CA`, `pt_BR`, `zh-Hant-TW`, `FR`), or a language name
    /// (`french`): its primary subtag, by ISO 639-1 code or name (with
    /// `nb`/`nn` as Norwegian). `None` when alike has no such language,
    /// and for `none`, which is no language a page can be in.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let tag = tag.trim();
        // Byte searches and `parse`, which the browser engine has anyway:
        // every byte of code counts there.
        let primary = &tag[..tag.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(tag.len())];
        let norwegian = primary.eq_ignore_ascii_case("nb") || primary.eq_ignore_ascii_case("nn");
        Language::parse(if norwegian { "no" } else { primary }).ok().filter(|l| *l != Language::None)
    }

    /// Whether the language has a Snowball stemmer, which a browser build
    /// carries only when compiled in (see `scripts/build-wasm.sh`).
    pub fn has_stemmer(self) -> bool {
        !matches!(self, Language::Chinese | Language::Japanese | Language::Korean | Language::None)
    }

    /// The name recorded in the index (`english`).
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// Every language name `parse` accepts, for help texts and errors.
    pub fn names() -> impl Iterator<Item = &'static str> {
        LANGUAGES.iter().map(|entry| entry.1)
    }

    /// The usual stop words of the language (Snowball's lists as NLTK
    /// ships them, else stopwords-iso), for the builder; the index carries
    /// them to the browser, so the widget needs no lists of its own.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn default_stop_words(self) -> Vec<String> {
        let code = self.entry().2;
        // Chinese and Japanese text becomes bigrams, which stop words
        // never filter (see `Tokenizer::for_each_term`): carry none.
        if matches!(code, "" | "zh" | "ja") {
            return Vec::new();
        }
        stop_words::lookup(code).unwrap_or(&[]).iter().map(|w| w.to_string()).collect()
    }

    fn entry(self) -> &'static (Language, &'static str, &'static str) {
        LANGUAGES.iter().find(|entry| entry.0 == self).expect("every Language has a row in LANGUAGES")
    }
}

/// Turns text into terms for one language. Build it once and reuse it: it
/// holds the stemmer and a sorted stop-word list.
pub struct Tokenizer {
    language: Language,
    stemmer: Option<Stemmer>,
    stop_words: Vec<String>,
}

impl Tokenizer {
    /// A tokenizer for `language` that drops `stop_words` (compared after
    /// case folding). Fails if this build lacks the language's stemmer.
    pub fn new(language: Language, stop_words: &[String]) -> Result<Tokenizer, Error> {
        let mut stop_words: Vec<String> = stop_words.iter().map(|w| fold_case(w.trim())).collect();
        stop_words.sort_unstable();
        stop_words.dedup();
        Ok(Tokenizer { language, stemmer: stemmer(language)?, stop_words })
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The stop words, case-folded and sorted.
    pub fn stop_words(&self) -> &[String] {
        &self.stop_words
    }

    /// Calls `emit` with every term of `text`, in order, repeats included.
    pub fn for_each_term(&self, text: &str, mut emit: impl FnMut(&str)) {
        self.each_term(text, &mut emit);
    }

    /// `for_each_term` for any caller: one copy of the pipeline in the
    /// browser engine however many callers it has (a copy is about 3 KB).
    #[inline(never)]
    fn each_term(&self, text: &str, mut emit: &mut dyn FnMut(&str)) {
        let mut run = UnspacedRun::default();
        for chunk in text.split_whitespace() {
            if looks_like_address(chunk) {
                run.flush(&mut emit);
                continue;
            }
            let mut expected_start = 0;
            words::for_each_word(chunk, |start, word| {
                if is_unspaced_word(word) {
                    if start != expected_start {
                        run.flush(&mut emit);
                    }
                    run.push(word);
                    expected_start = start + word.len();
                    return;
                }
                run.flush(&mut emit);
                if let Some(term) = self.term(word) {
                    emit(&term);
                }
            });
            // A space ends a run too: unspaced scripts put spaces between phrases.
            run.flush(&mut emit);
        }
        run.flush(&mut emit);
    }

    /// Every term of `text` as owned strings; handy in tests and tools.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |term| out.push(term.to_string()));
        out
    }

    /// One UAX #29 word to a term, or `None` when it should not be indexed.
    fn term(&self, word: &str) -> Option<String> {
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            let is_year = word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit());
            return is_year.then(|| word.to_string());
        }
        let lower = fold_case(word);
        if self.is_stop_word(&lower) {
            return None;
        }
        let bare = self.strip_apostrophes(&lower);
        // A word without apostrophes comes back borrowed, as it was, and was
        // looked up above: one binary search a word, not two (a build's).
        let stripped = matches!(bare, Cow::Owned(_));
        if bare.chars().nth(1).is_none() || (stripped && self.is_stop_word(&bare)) {
            return None;
        }
        let stem = match &self.stemmer {
            Some(stemmer) => stemmer.stem(&bare).into_owned(),
            None => bare.into_owned(),
        };
        (!stem.is_empty()).then_some(stem)
    }

    fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.binary_search_by(|w| w.as_str().cmp(word)).is_ok()
    }

    fn strip_apostrophes<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if !word.contains('\'') {
            return Cow::Borrowed(word);
        }
        let word = match self.language {
            Language::English => word.strip_suffix("'s").or_else(|| word.strip_suffix('\'')).unwrap_or(word),
            // Elided articles and prepositions: l'homme, dell'anno, d'una.
            // (A byte search: `rfind` costs the wasm its reverse memchr.)
            Language::French | Language::Italian | Language::Catalan => {
                word.bytes().rposition(|b| b == b'\'').map_or(word, |at| &word[at + 1..])
            }
            _ => word,
        };
        // By hand: `str::replace` is a general pattern search in the wasm.
        let mut bare = String::with_capacity(word.len());
        for c in word.chars().filter(|&c| c != '\'') {
            bare.push(c);
        }
        Cow::Owned(bare)
    }
}

/// Lower-cases with an ASCII fast path, and makes typographic apostrophes
/// plain so that `AOL’s` and `AOL's` agree.
pub(crate) fn fold_case(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(word.len());
    for c in word.chars() {
        let c = if matches!(c, '\u{2019}' | '\u{02BC}') { '\'' } else { c };
        case::lower(c, |l| folded.push(l));
    }
    folded
}

fn looks_like_address(chunk: &str) -> bool {
    // A byte search rather than `contains("://")`, whose general substring
    // search costs the browser engine a kilobyte.
    if chunk.as_bytes().windows(3).any(|w| w == b"://")
        || chunk.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    match chunk.find('@') {
        Some(at) => chunk[at + 1..].contains('.'),
        None => false,
    }
}

/// True when the word is in a script written without spaces between words.
fn is_unspaced_word(word: &str) -> bool {
    word.chars().next().is_some_and(is_unspaced_char)
}

pub(crate) fn is_unspaced_char(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF  // CJK extensions B and later
    )
}

/// Consecutive segments of an unspaced script, waiting to become bigrams.
#[derive(Default)]
struct UnspacedRun {
    segments: Vec<String>,
}

impl UnspacedRun {
    fn push(&mut self, segment: &str) {
        // Lower-cased character by character: unspaced scripts have no case,
        // and a word joined to them by `_` gets no final-sigma rule.
        let mut lower = String::with_capacity(segment.len());
        for c in segment.chars() {
            case::lower(c, |l| lower.push(l));
        }
        self.segments.push(lower);
    }

    fn flush(&mut self, emit: &mut impl FnMut(&str)) {
        match self.segments.as_slice() {
            [] => {}
            [only] => emit(only),
            many => {
                let mut bigram = String::new();
                for pair in many.windows(2) {
                    bigram.clear();
                    bigram.push_str(&pair[0]);
                    bigram.push_str(&pair[1]);
                    emit(&bigram);
                }
            }
        }
        self.segments.clear();
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn tokenizer(language: Language) -> Tokenizer {
        Tokenizer::new(language, &language.default_stop_words()).unwrap()
    }

    fn english(text: &str) -> Vec<String> {
        tokenizer(Language::English).terms(text)
    }

    #[test]
    fn stems_and_drops_stop_words() {
        assert_eq!(english("The markets were rising quickly"), ["market", "rise", "quick"]);
    }

    #[test]
    fn folds_case_and_typographic_apostrophes() {
        assert_eq!(english("AOL’s profits"), english("aol's PROFITS"));
        assert_eq!(english("AOL's"), ["aol"]);
    }

    #[test]
    fn contractions_that_are_stop_words_go() {
        assert_eq!(english("don't isn't won't"), Vec::<String>::new());
        // Stop words only once their apostrophes go: looked up again.
        assert_eq!(english("there's whom'"), Vec::<String>::new());
    }

    #[test]
    fn hyphenated_compounds_split() {
        assert_eq!(english("high-speed broadband"), ["high", "speed", "broadband"]);
    }

    #[test]
    fn years_stay_other_numbers_go() {
        assert_eq!(
            english("In 2004 profits rose 76% to $1.13bn, 2nd best"),
            ["2004", "profit", "rose", "best"]
        );
    }

    #[test]
    fn letter_led_alphanumerics_stay() {
        assert_eq!(english("mp3 players at the g8"), ["mp3", "player", "g8"]);
    }

    #[test]
    fn urls_and_emails_are_dropped() {
        assert_eq!(
            english("Read http://news.bbc.co.uk/story.html or www.example.com, mail ed@bbc.co.uk today"),
            ["read", "mail", "today"]
        );
    }

    #[test]
    fn single_letters_go() {
        assert_eq!(english("S Korea"), ["korea"]);
    }

    #[test]
    fn french_elision_keeps_the_word() {
        let french = tokenizer(Language::French);
        assert_eq!(french.terms("l'économie"), french.terms("économie"));
        assert!(!french.terms("l'économie").is_empty());
    }

    #[test]
    fn han_text_gives_bigrams() {
        assert_eq!(english("经济增长"), ["经济", "济增", "增长"]);
    }

    #[test]
    fn a_lone_han_character_stands_for_itself() {
        assert_eq!(english("中 market"), ["中", "market"]);
    }

    #[test]
    fn runs_break_at_spaces_and_latin_words() {
        assert_eq!(english("日本 経済 Sony 新製品"), ["日本", "経済", "soni", "新製", "製品"]);
    }

    #[test]
    fn thai_gives_bigrams() {
        let terms = english("ประเทศไทย");
        assert!(terms.len() >= 2, "{terms:?}");
        assert!(terms.iter().all(|t| t.chars().count() >= 2), "{terms:?}");
    }

    #[test]
    fn language_none_keeps_words_unstemmed() {
        assert_eq!(tokenizer(Language::None).terms("The Running dogs"), ["the", "running", "dogs"]);
    }

    #[test]
    fn languages_parse_by_name_or_code() {
        assert_eq!(Language::parse("EN").unwrap(), Language::English);
        assert_eq!(Language::parse("german").unwrap(), Language::German);
        assert_eq!(Language::parse("none").unwrap(), Language::None);
        let err = Language::parse("klingon").unwrap_err().to_string();
        assert!(err.contains("klingon") && err.contains("english"), "{err}");
    }

    #[test]
    fn stop_words_come_from_the_caller() {
        let custom = Tokenizer::new(Language::English, &["Market".to_string()]).unwrap();
        assert_eq!(custom.terms("the market rallied"), ["the", "ralli"]);
    }

    #[test]
    fn every_language_has_a_stemmer_in_a_full_build() {
        for name in Language::names() {
            let language = Language::parse(name).unwrap();
            assert!(Tokenizer::new(language, &[]).is_ok(), "{name}");
        }
        assert!(!Language::English.default_stop_words().is_empty());
    }

    #[test]
    fn every_language_round_trips_by_name() {
        for name in Language::names() {
            assert_eq!(Language::parse(name).unwrap().name(), name);
        }
    }

    #[test]
    fn bcp47_tags_name_their_language() {
        let cases = [
            ("fr", Language::French),
            ("fr-CA", Language::French),
            ("FR-ca", Language::French),
            (" en-GB ", Language::English),
            ("pt_BR", Language::Portuguese),
            ("zh-Hant-TW", Language::Chinese),
            ("ja", Language::Japanese),
            ("ko-KR", Language::Korean),
            ("nb-NO", Language::Norwegian),
            ("nn", Language::Norwegian),
            ("german", Language::German),
        ];
        for (tag, language) in cases {
            assert_eq!(Language::from_tag(tag), Some(language), "{tag}");
        }
        for tag in ["", "x-klingon", "tlh", "none", "-fr", "en-", "zz-ZZ"] {
            let found = Language::from_tag(tag);
            assert!(found.is_none() || tag == "en-", "{tag}: {found:?}");
        }
        assert_eq!(Language::from_tag("en-"), Some(Language::English));
    }

    #[test]
    fn every_code_with_any_region_or_script_is_its_language() {
        for name in Language::names().filter(|n| *n != "none") {
            let language = Language::parse(name).unwrap();
            let code = language.entry().2;
            for tag in
                [code.to_string(), code.to_uppercase(), format!("{code}-XY"), format!("{code}_Latn-419")]
            {
                assert_eq!(Language::from_tag(&tag), Some(language), "{tag}");
            }
            assert_eq!(Language::from_tag(name), Some(language));
        }
    }

    #[test]
    fn cjk_languages_have_no_stemmer_and_bigram_their_text() {
        for language in [Language::Chinese, Language::Japanese] {
            assert!(!language.has_stemmer());
            assert!(language.default_stop_words().is_empty());
            assert_eq!(tokenizer(language).terms("経済成長"), ["経済", "済成", "成長"]);
        }
        assert!(Language::French.has_stemmer());
    }
}
