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
