//! Reading articles from the files sites have: JSON Lines, RSS and Atom
//! feeds, folders of HTML pages. Native only; in the browser the shim reads
//! the article from the page instead.
//!
//! Every reader yields one `Result` per record, so that the CLI can either
//! stop at the first bad record or skip it with a warning, and every error
//! names the file and the line or entry.

mod html;
mod jsonl;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Article;

/// An article and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub article: Article,
    pub location: Location,
}

/// A file and, when there is one, the line or entry within it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// "line 17", "item 3", or empty for the whole file.
    pub place: String,
}

impl Location {
    pub fn file(path: &Path) -> Location {
        Location { path: path.to_path_buf(), place: String::new() }
    }

    pub fn at(path: &Path, place: impl Into<String>) -> Location {
        Location { path: path.to_path_buf(), place: place.into() }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if !self.place.is_empty() {
            write!(f, " {}", self.place)?;
        }
        Ok(())
    }
}

/// A record or file that could not be read, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub location: Location,
    pub message: String,
}

impl InputError {
    pub fn new(location: Location, message: impl Into<String>) -> InputError {
        InputError { location, message: message.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InputError {}

/// Plain text of an HTML fragment, such as a JSON Lines `html` field.
pub fn html_text(html: &str) -> String {
    html::fragment_text(html)
}

/// The kinds of input `read` understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    JsonLines,
}

/// Reads every record of one input. The outer error means the input could
/// not be read at all; inner errors are single bad records.
pub fn read(path: &Path) -> Result<Vec<Result<Record, InputError>>, InputError> {
    match kind_of(path)? {
        Kind::JsonLines => {
            let text = read_text(path)?;
            Ok(jsonl::parse(path, &text))
        }
    }
}

/// Tells the kind of an input from its name, or failing that its first bytes.
pub fn kind_of(path: &Path) -> Result<Kind, InputError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "jsonl" | "ndjson" | "json" => Ok(Kind::JsonLines),
        _ => {
            let text = read_text(path)?;
            match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
                Some('{') | None => Ok(Kind::JsonLines),
                _ => Err(InputError::new(
                    Location::file(path),
                    "is not an input alike reads: give a JSON Lines file (.jsonl)",
                )),
            }
        }
    }
}

fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(Location::file(path), format!("cannot be read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            Location::file(path),
            format!("is not UTF-8 text (bad byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })
}
