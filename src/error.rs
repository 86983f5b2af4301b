//! The engine's errors. Messages are whole sentences that say what to do,
//! because they reach people unchanged: in a terminal from the CLI and in the
//! browser console from the widget.

use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// The index file is not JSON, or not an alike index at all.
    NotAnIndex(String),
    /// The index was written by a version of alike this one cannot read.
    UnsupportedVersion { found: u32, supported: u32 },
    /// The index parses but its contents contradict each other.
    CorruptIndex(String),
    /// A language name that no stemmer answers to.
    UnknownLanguage(String),
    /// A language this build was compiled without.
    LanguageNotBuilt(&'static str),
    /// An article or query that cannot be used as given.
    BadArticle(String),
    /// Build or query settings out of range.
    BadSettings(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotAnIndex(why) => {
                write!(f, "this is not an alike index ({why}); point to the file `alike index` wrote")
            }
            Error::UnsupportedVersion { found, supported } if found < supported => write!(
                f,
                "this index was written by an earlier alike (format version {found}); \
                 rebuild it with `alike index`"
            ),
            Error::UnsupportedVersion { found, supported } => write!(
                f,
                "the index has format version {found} but this alike reads version {supported}; \
                 rebuild the index with the `alike index` that matches this widget"
            ),
            Error::CorruptIndex(why) => {
                write!(f, "the index is corrupt ({why}); rebuild it with `alike index`")
            }
            Error::UnknownLanguage(name) => {
                // Written name by name: `join` would ship its own copy of
                // string joining to the browser (899 bytes of wasm).
                write!(f, "unknown language \"{name}\"; use one of: ")?;
                for (i, known) in crate::Language::names().enumerate() {
                    f.write_str(if i == 0 { "" } else { ", " })?;
                    f.write_str(known)?;
                }
                Ok(())
            }
            Error::LanguageNotBuilt(name) => write!(
                f,
                "this build of alike has no stemmer for {name}; rebuild it with the cargo feature \"{name}\" (or \"all-languages\")"
            ),
            Error::BadArticle(why) => write!(f, "{why}"),
            Error::BadSettings(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {}
