//! An article as the engine sees it: the same shape whether it comes from a
//! JSON Lines file, a feed, an HTML page or the page the reader is on.

use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// Absolute or site-relative URL; it identifies the article.
    pub url: String,
    pub title: String,
    /// Plain text of the article.
    pub body: String,
    /// Publication date, ISO 8601 (`2005-03-01` or `2005-03-01T10:00:00Z`).
    pub date: Option<String>,
    /// Section or category, as the site names it (`business`).
    pub section: Option<String>,
    /// URL of the article's lead image.
    pub image: Option<String>,
    /// Editorial tags; they weigh like title words.
    pub tags: Vec<String>,
    /// URLs an editor picked as related: shown first, in this order, where
    /// the index holds them ("pins").
    pub related: Vec<String>,
    /// False: never shown in any box (the article still gets its own).
    pub recommend: bool,
    /// Its language as the source gives it: a BCP 47 tag (`fr-CA`) or a
    /// name (`french`); `None` is the index's default language.
    pub language: Option<String>,
}

impl Default for Article {
    fn default() -> Self {
        Article {
            url: String::new(),
            title: String::new(),
            body: String::new(),
            date: None,
            section: None,
            image: None,
            tags: Vec::new(),
            related: Vec::new(),
            recommend: true,
            language: None,
        }
    }
}

impl Article {
    /// Day number of `date`, or an error naming the bad value.
    pub fn day(&self) -> Result<Option<i32>, Error> {
        match self.date.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(date) => parse_day(date).map(Some).ok_or_else(|| {
                Error::BadArticle(msg!("date \"", date, "\" is not an ISO 8601 date such as 2005-03-01"))
            }),
        }
    }
}

/// An editorial yes/no as sites write it (`alike:recommend` meta tags,
/// WordPress custom fields): `true`/`false`, `yes`/`no`, `1`/`0`, any case.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// Days since 1970-01-01 of an ISO 8601 date or date-time; the time of day
/// and the offset are ignored, since "related" cares about days, not hours.
pub fn parse_day(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    if bytes.len() > 10 && !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i32> {
        let part = text.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date-time that names
/// its offset in the form every browser's `Date.parse` reads
/// (`2005-03-01T10:00:00+01:00`, `2005-03-01T10:00Z`), rounded up to the
/// second; none for a date alone, a local time, or another form (the
/// shim's `instant` in www/lib/lists.js takes the same).
/// The manifest's `lists.newest_time` is the newest of these: a page whose
/// own instant is later was published after the build (`format_instant`).
pub fn parse_instant(text: &str) -> Option<i64> {
    let day = i64::from(parse_day(text)?);
    if text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let rest = text.get(11..)?.as_bytes();
    let two = |at: usize| -> Option<i64> {
        let digits = rest.get(at..at + 2)?;
        digits.iter().all(u8::is_ascii_digit).then(|| i64::from((digits[0] - b'0') * 10 + digits[1] - b'0'))
    };
    let (hour, minute) = (two(0)?, two(3)?);
    if rest.get(2) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    let mut at = 5;
    let mut second = 0;
    if rest.get(at) == Some(&b':') {
        second = two(at + 1).filter(|&s| s <= 60)?;
        at += 3;
        if rest.get(at) == Some(&b'.') {
            let digits = rest[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            // A fraction counts as the next second: never before the article.
            second += i64::from(rest[at + 1..at + 1 + digits].iter().any(|&b| b != b'0'));
            at += 1 + digits;
        }
    }
    let offset = match rest.get(at..)? {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (two(at + 1)?, two(at + 4)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    Some(day * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of an instant; the inverse of [`parse_instant`]
/// for whole seconds in UTC.
pub fn format_instant(seconds: i64) -> String {
    let day = seconds.div_euclid(86_400);
    let time = seconds.rem_euclid(86_400);
    let mut text = format_day(day as i32);
    for (separator, value) in [('T', time / 3600), (':', time / 60 % 60), (':', time % 60)] {
        text.push(separator);
        crate::error::push_digits(&mut text, value as u64, 10, 2);
    }
    text.push('Z');
    text
}

/// `YYYY-MM-DD` of a day number; the inverse of [`parse_day`].
pub fn format_day(day: i32) -> String {
    let (year, month, day) = civil_from_days(day);
    // By hand, not `format!`: see `error::Part`.
    let mut text = String::with_capacity(10);
    // `{year:04}` counts a minus sign in the width.
    if year < 0 {
        text.push('-');
    }
    let digits = |text: &mut String, value: i32, width| {
        crate::error::push_digits(text, u64::from(value.unsigned_abs()), 10, width)
    };
    digits(&mut text, year, if year < 0 { 3 } else { 4 });
    text.push('-');
    digits(&mut text, month, 2);
    text.push('-');
    digits(&mut text, day, 2);
    text
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-calendar algorithms (public domain), which need no
// table and no time-zone database: http://howardhinnant.github.io/date_algorithms.html
fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i32) -> (i32, i32, i32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn instants_are_date_times_that_name_their_offset() {
        assert_eq!(parse_instant("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_instant("1970-01-02T01:02:03Z"), Some(86_400 + 3723));
        assert_eq!(parse_instant("2005-03-01T10:00:00+01:00"), parse_instant("2005-03-01T09:00:00Z"));
        assert_eq!(parse_instant("2005-03-01T10:00-05:00"), parse_instant("2005-03-01T15:00:00Z"));
        assert_eq!(parse_instant("2005-03-01T00:30:00+02:00"), parse_instant("2005-02-28T22:30:00Z"));
        // A fraction counts as the next second, never before the article.
        assert_eq!(parse_instant("2005-03-01T10:00:00.250Z"), parse_instant("2005-03-01T10:00:01Z"));
        assert_eq!(parse_instant("2005-03-01T10:00:00.000Z"), parse_instant("2005-03-01T10:00:00Z"));
        for none in [
            "2005-03-01",
            "2005-03-01T10:00:00",
            "2005-03-01T10:00",
            "2005-03-01T24:00:00Z",
            "2005-03-01T10:60Z",
            "2005-03-01T10:00:00.Z",
            "2005-03-01T10:00:00+1",
            "2005-03-01T10:00:00+01:0",
            "2005-03-01T10:00:00+0100",
            "2005-03-01T10:00:00+01",
            "2005-03-01 10:00:00Z",
            "2005-03-01t10:00:00z",
            "2005-03-01T10:00:00 GMT",
            "2005-03-01T1:00:00Z",
            "2005-03-01T10:00:00+24:00",
            "2005-02-30T10:00:00Z",
        ] {
            assert_eq!(parse_instant(none), None, "{none}");
        }
        for seconds in [0, 59, 86_399, 1_111_111_111, -1, -86_401, 4_102_444_799] {
            assert_eq!(parse_instant(&format_instant(seconds)), Some(seconds), "{seconds}");
        }
        assert_eq!(format_instant(1_733_140_800), "2024-12-02T12:00:00Z");
    }

    /// Dates whose instant the shim's `instant` (www/lib/lists.js) must
    /// read as `parse_instant` does (tests/e2e/layout-vectors.test.mjs):
    /// milliseconds, or null for none (the shim keeps a fraction that the
    /// build rounds up to the second).
    #[test]
    fn instant_vectors_match_the_fixture() {
        let dates = [
            "2005-03-01T10:00:00Z",
            "2005-03-01T10:00:00+01:00",
            "2005-03-01T10:00-05:00",
            "2005-03-01T00:30:00+02:00",
            "2005-03-01T10:00:00.250Z",
            "2026-12-02T23:59:59.000Z",
            " 2026-12-02T12:00:00-03:30 ",
            "1969-12-31T23:59:59Z",
            "2005-03-01T10:00+0100",
            "2005-03-01 10:00-05:00",
            "2026-12-02t23:59:59z",
            "2005-03-01",
            "2005-03-01T10:00:00",
            "2005-03-01T10:00",
            "2005-03-01T10:00:00+1",
            "2005-03-01T10:00:00+01:0",
            "2005-03-01T10:00:00 GMT",
            "2005-03-01T1:00:00Z",
            "2005-03-01T10:00:00.Z",
        ];
        let lines: Vec<String> = dates
            .iter()
            .map(|date| {
                let ms = parse_instant(date.trim()).map_or("null".to_string(), |s| (s * 1000).to_string());
                format!("  {{ \"date\": {}, \"ms\": {ms} }}", serde_json::to_string(date).unwrap())
            })
            .collect();
        crate::golden::check(
            "tests/fixtures/instant-vectors.json",
            &format!("[\n{}\n]\n", lines.join(",\n")),
            "instant_vectors",
            " and check the shim's module with `node --test tests/e2e/layout-vectors.test.mjs`",
        );
    }

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("1970-01-02T23:59:59Z"), Some(1));
        assert_eq!(parse_day("2005-03-01 10:00"), Some(12843));
        assert_eq!(parse_day("1969-12-31"), Some(-1));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in ["", "2005", "2005-13-01", "2005-02-29", "01/03/2005", "2005-03-01x", "２００５-03-01"]
        {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(parse_day("2004-02-29"), Some(12477));
    }

    #[test]
    fn formats_back() {
        for day in [-1000, -1, 0, 12843, 12477, 20000, 100_000] {
            assert_eq!(parse_day(&format_day(day)), Some(day));
        }
    }

    #[test]
    fn bad_dates_name_the_value() {
        let article = Article { date: Some("next tuesday".into()), ..Article::default() };
        assert!(article.day().unwrap_err().to_string().contains("next tuesday"));
    }
}
