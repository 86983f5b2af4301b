//! Words by Unicode rules (UAX #29 word boundaries), as the tokenizer needs
//! them: the words of a text that hold a letter or digit, with their byte
//! offsets. The same words as `unicode_segmentation`'s
//! `unicode_word_indices` (the tests compare the two over every code point
//! and many mixed strings), from a table of a fifth of its size: the crate's
//! range tables were about 8 KB of the gzipped browser engine, and this one
//! is under 3 KB. `scripts/word-table.sh` writes the table from the crate's.

mod table;

// Word-break classes, as numbered in the table (0: any other character).
const A_LETTER: u8 = 1;
const HEBREW_LETTER: u8 = 2;
const NUMERIC: u8 = 3;
const KATAKANA: u8 = 4;
const EXTEND_NUM_LET: u8 = 5;
const MID_LETTER: u8 = 6;
const MID_NUM: u8 = 7;
const MID_NUM_LET: u8 = 8;
const SINGLE_QUOTE: u8 = 9;
const DOUBLE_QUOTE: u8 = 10;
const EXTEND: u8 = 11;
const FORMAT: u8 = 12;
const ZWJ: u8 = 13;
const CR: u8 = 14;
const LF: u8 = 15;
const NEWLINE: u8 = 16;
const REGIONAL_INDICATOR: u8 = 17;
const W_SEG_SPACE: u8 = 18;
/// Added to the class of an Extended_Pictographic character.
const PICTOGRAPHIC: u8 = 32;
/// Added to the class of a letter or digit (`char::is_alphanumeric`).
const ALPHANUMERIC: u8 = 64;

/// Whether `c` is a letter or digit, as `char::is_alphanumeric` says: from
/// the word table, whose runs this bit makes a seventh more, rather than
/// from the standard library's tables (2 KB of the wasm).
pub fn is_alphanumeric(c: char) -> bool {
    value(c) & ALPHANUMERIC != 0
}

/// The table's value for `c`: class, plus `PICTOGRAPHIC` and `ALPHANUMERIC`.
fn value(c: char) -> u8 {
    // A build reads every character of the archive, most of them ASCII:
    // walking the runs for each was a tenth of a build's time. The browser
    // reads one page, and keeps the bytes.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(value) = ASCII.with(|ascii| ascii.get(c as usize).copied()) {
        return value;
    }
    lookup(c)
}

/// `value` from the runs.
fn lookup(c: char) -> u8 {
    let c = c as u32;
    let (start, mut found, at) =
        CHECKPOINTS.with(|points| points[points.partition_point(|&(start, ..)| start <= c) - 1]);
    for (start, value) in (Runs { bytes: table::RUNS, at, start }).take(STEP - 1) {
        if start > c {
            break;
        }
        found = value;
    }
    found
}

/// Runs read per lookup at most: the checkpoints index every `STEP`th run.
const STEP: usize = 16;

/// Every `STEP`th run of the table: (first code point, value, offset in
/// `RUNS` of the next run). Built on first use rather than stored: as a
/// table it was 2.2 KB of the wasm (520 bytes gzip -9 with the code that
/// builds it), and it takes one pass over the 4 KB of runs.
fn build_checkpoints() -> Vec<(u32, u8, usize)> {
    let mut runs = Runs { bytes: table::RUNS, at: 0, start: 0 };
    let mut checkpoints = Vec::new();
    while let Some((start, value)) = runs.next() {
        checkpoints.push((start, value, runs.at));
        runs.by_ref().take(STEP - 1).for_each(drop);
    }
    checkpoints
}

std::thread_local! {
    static CHECKPOINTS: Vec<(u32, u8, usize)> = build_checkpoints();
}

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    /// Every ASCII character's `value`.
    static ASCII: [u8; 128] = std::array::from_fn(|c| lookup(char::from(c as u8)));
}

/// The table's runs from byte `at`, the previous run starting at `start`:
/// (first code point, value) each.
struct Runs {
    bytes: &'static [u8],
    at: usize,
    start: u32,
}

impl Iterator for Runs {
    type Item = (u32, u8);

    fn next(&mut self) -> Option<(u32, u8)> {
        // LEB128 distance from the previous run's start, then the run's value.
        let mut distance = 0;
        let mut shift = 0;
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            distance |= u32::from(byte & 127) << shift;
            shift += 7;
            if byte < 128 {
                break;
            }
        }
        let value = *self.bytes.get(self.at)?;
        self.at += 1;
        self.start += distance;
        Some((self.start, value))
    }
}

/// Characters that attach to what precedes them (rule WB4).
fn is_ignorable(class: u8) -> bool {
    matches!(class, EXTEND | FORMAT | ZWJ)
}

fn is_line_break(class: u8) -> bool {
    matches!(class, CR | LF | NEWLINE)
}

fn is_ah_letter(class: u8) -> bool {
    matches!(class, A_LETTER | HEBREW_LETTER)
}

fn is_mid_num_let_q(class: u8) -> bool {
    matches!(class, MID_NUM_LET | SINGLE_QUOTE)
}

/// Calls `emit(start, word)` for every word of `text` that holds a letter
/// or digit, in order.
pub fn for_each_word<'a>(text: &'a str, mut emit: impl FnMut(usize, &'a str)) {
    // (byte offset, class, Extended_Pictographic, alphanumeric) of each character.
    let chars: Vec<(usize, u8, bool, bool)> = text
        .char_indices()
        .map(|(at, c)| {
            let v = value(c);
            (at, v & !(PICTOGRAPHIC | ALPHANUMERIC), v & PICTOGRAPHIC != 0, v & ALPHANUMERIC != 0)
        })
        .collect();
    let mut start = 0;
    for i in 1..=chars.len() {
        if i < chars.len() && !breaks_before(&chars, i) {
            continue;
        }
        let end = chars.get(i).map_or(text.len(), |c| c.0);
        if chars[start..i].iter().any(|c| c.3) {
            emit(chars[start].0, &text[chars[start].0..end]);
        }
        start = i;
    }
}

/// Whether UAX #29 puts a word boundary before `chars[i]` (0 < i < len).
fn breaks_before(chars: &[(usize, u8, bool, bool)], i: usize) -> bool {
    let class = |j: usize| chars[j].1;
    let before = class(i - 1);
    let here = class(i);
    // WB3-WB3d: line breaks, emoji joined by ZWJ, runs of spaces.
    if before == CR && here == LF {
        return false;
    }
    if is_line_break(before) || is_line_break(here) {
        return true;
    }
    if before == ZWJ && chars[i].2 {
        return false;
    }
    if before == W_SEG_SPACE && here == W_SEG_SPACE {
        return false;
    }
    // WB4: extenders belong to what they follow, and are otherwise not there.
    if is_ignorable(here) {
        return false;
    }
    // The character the rules see before `j`, skipping extenders: none
    // when they follow the text's start or a line break, which they do not
    // attach to.
    let previous = |j: usize| -> Option<usize> {
        let mut k = j.checked_sub(1)?;
        while is_ignorable(class(k)) {
            k = k.checked_sub(1)?;
        }
        (!is_line_break(class(k)) || k + 1 == j).then_some(k)
    };
    let next = |j: usize| (j + 1..chars.len()).map(class).find(|&c| !is_ignorable(c));
    let Some(left) = previous(i) else { return true };
    let left_class = class(left);
    let left_left = previous(left).map(class);
    let after = next(i);
    // unicode_segmentation's quirk, kept so that terms stay as they were: a
    // letter or digit and a separator also join when what follows the
    // separator is an emoji after a ZWJ (`a:` ZWJ 😀 is one word).
    let emoji_follows = {
        let j = (i + 1..chars.len()).find(|&j| !is_ignorable(class(j)));
        j.is_some_and(|j| j > i + 1 && chars[j].2 && class(j - 1) == ZWJ)
    };
    let after = |test: fn(u8) -> bool| emoji_follows || after.is_some_and(test);
    let is = |class: Option<u8>, test: fn(u8) -> bool| class.is_some_and(test);
    let mid_letter = |c: u8| c == MID_LETTER || is_mid_num_let_q(c);
    let mid_num = |c: u8| c == MID_NUM || is_mid_num_let_q(c);
    let joined = match (left_class, here) {
        // WB5-WB7c: letters, with apostrophes and such between them.
        (l, h) if is_ah_letter(l) && is_ah_letter(h) => true,
        (l, h) if is_ah_letter(l) && mid_letter(h) && after(is_ah_letter) => true,
        (l, h) if mid_letter(l) && is_ah_letter(h) && is(left_left, is_ah_letter) => true,
        (HEBREW_LETTER, SINGLE_QUOTE) => true,
        (HEBREW_LETTER, DOUBLE_QUOTE) => after(|c| c == HEBREW_LETTER),
        (DOUBLE_QUOTE, HEBREW_LETTER) => left_left == Some(HEBREW_LETTER),
        // WB8-WB12: numbers, with letters and with separators between digits.
        (NUMERIC, NUMERIC) => true,
        (l, NUMERIC) if is_ah_letter(l) => true,
        (NUMERIC, h) if is_ah_letter(h) => true,
        (l, NUMERIC) if mid_num(l) => left_left == Some(NUMERIC),
        (NUMERIC, h) if mid_num(h) => after(|c| c == NUMERIC),
        // WB13-WB13b: katakana, and underscores and such joining words.
        (KATAKANA, KATAKANA) => true,
        (A_LETTER | HEBREW_LETTER | NUMERIC | KATAKANA | EXTEND_NUM_LET, EXTEND_NUM_LET) => true,
        (EXTEND_NUM_LET, A_LETTER | HEBREW_LETTER | NUMERIC | KATAKANA) => true,
        // WB15-WB16: flags are pairs of regional indicators.
        (REGIONAL_INDICATOR, REGIONAL_INDICATOR) => {
            let mut run = 1;
            let mut k = left;
            while let Some(p) = previous(k).filter(|&p| class(p) == REGIONAL_INDICATOR) {
                run += 1;
                k = p;
            }
            run % 2 == 1
        }
        _ => false,
    };
    !joined
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn ours(text: &str) -> Vec<(usize, &str)> {
        let mut words = Vec::new();
        for_each_word(text, |at, word| words.push((at, word)));
        words
    }

    fn theirs(text: &str) -> Vec<(usize, &str)> {
        text.unicode_word_indices().collect()
    }

    #[track_caller]
    fn same(text: &str) {
        assert_eq!(
            ours(text),
            theirs(text),
            "{text:?} {:x?}",
            text.chars().map(u32::from).collect::<Vec<_>>()
        );
    }

    /// One character of each class (and Extended_Pictographic ones), for
    /// sequences that exercise every rule.
    const SAMPLES: &[char] = &[
        'a',
        'é',
        'א',
        'ב',
        '1',
        '٣',
        'カ',
        '_',
        ':',
        '·',
        ',',
        ';',
        '.',
        '\'',
        '"',
        '\u{301}',
        '\u{200d}',
        '\u{ad}',
        '\r',
        '\n',
        '\u{b}',
        '\u{1F1E6}',
        '\u{1F1E7}',
        ' ',
        '\u{3000}',
        '\u{1F600}',
        '\u{a9}',
        '!',
        '中',
        'ก',
        '\u{2019}',
        '\u{FE0F}',
        'Σ',
        '\u{E0020}',
    ];

    #[test]
    fn every_code_point_is_alphanumeric_as_the_standard_library_says() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn every_code_point_is_classed_as_unicode_segmentation_does() {
        // Probes that tell each class from the others by what it joins.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for probe in [
                [Some('a'), Some(c), Some('a')],
                [Some('1'), Some(c), Some('1')],
                [Some('א'), Some(c), Some('א')],
                [Some('カ'), Some(c), None],
                [Some('\u{200d}'), Some(c), None],
                [Some(c), Some(c), Some(c)],
                [Some('\r'), Some(c), Some('_')],
            ] {
                same(&probe.iter().flatten().collect::<String>());
            }
        }
    }

    #[test]
    fn every_sequence_of_up_to_four_samples_splits_as_unicode_segmentation_does() {
        let n = SAMPLES.len();
        let mut text = String::new();
        for length in 1..=4u32 {
            for mut k in 0..n.pow(length) {
                text.clear();
                for _ in 0..length {
                    text.push(SAMPLES[k % n]);
                    k /= n;
                }
                same(&text);
            }
        }
    }

    #[test]
    fn text_splits_as_unicode_segmentation_does() {
        for text in [
            "The U.S. economy grew 3.5% in 2004, the Fed's chair said: \"high-speed\" growth",
            "l'économie, dell'anno; D’Alembert’s 1,000.5 e-mail a_b_c __init__",
            "经济增长 日本の経済 ประเทศไทย Россия 🇬🇧🇫🇷🇩 👩‍👩‍👧 ﷽ קפה\"ו a\u{301}\u{301}b",
            "\u{301}a \r\n\u{301} \u{200d}\u{1F600} x\u{200d}\u{1F600}y a:\u{301}\u{200d}\u{1F600}b 1,\u{200d}\u{a9}2",
        ] {
            same(text);
        }
    }
}
