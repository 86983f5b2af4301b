//! Reading articles from the files sites have: JSON Lines, RSS and Atom
//! feeds, HTML article pages and folders of them. Native only; in the
//! browser the shim reads the article from the page instead.
//!
//! Every reader yields one `Result` per record, so that the CLI can either
//! stop at the first bad record or skip it with a warning, and every error
//! names the file and the line or entry. The outer `Result` of [`read`] is
//! for inputs that cannot be read at all: a missing file, a file that is not
//! a feed, an input with no records in it.
//!
//! Every record then passes the checks of `safety.rs` (only http(s) and
//! relative URLs; no NULs or bidi overrides in what the box shows), and
//! every HTML page or fragment the nesting limit of `nesting.rs`. What is
//! left out or cut short on the way is warned about on standard error.

mod blogger;
mod charset;
mod feed;
mod folder;
mod ghost;
mod glob;
mod html;
mod jsonl;
mod jsonld;
mod nesting;
mod page;
mod page_kind;
mod safety;
mod served;
mod wxr;

use std::fmt;
use std::io::Read;
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
    /// "line 17", "item 3", "entry 3", or empty for the whole file.
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

/// A record or file that could not be read, and where; or a page of a
/// site folder that was passed over because it is not an article.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub location: Location,
    pub message: String,
    /// A page left out by rule (`page_kind.rs`, `--include`/`--exclude`),
    /// not a failure: the CLI counts these and never stops for one.
    pub not_an_article: bool,
}

impl InputError {
    pub fn new(location: Location, message: impl Into<String>) -> InputError {
        InputError { location, message: message.into(), not_an_article: false }
    }

    pub fn not_an_article(location: Location, why: impl Into<String>) -> InputError {
        InputError { location, message: why.into(), not_an_article: true }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InputError {}

/// Runs a dependency's parser, turning a panic inside it into an error
/// message: quick-xml 0.42, under feed-rs and in `wxr.rs`, panics on a
/// second XML declaration naming another encoding (found by fuzzing;
/// `fuzz/artifacts/feed/`), and no input may stop a build like that. The
/// panic's own report is kept off the terminal: the error says it.
pub(crate) fn without_panics<T>(parse: impl FnOnce() -> T) -> Result<T, String> {
    use std::cell::Cell;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let loud = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                loud(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    QUIET.with(|quiet| quiet.set(false));
    result.map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        format!("the XML parser failed: {what}")
    })
}

/// Plain text of an HTML fragment, such as a JSON Lines `html` field or a
/// feed item's content: paragraphs kept apart by blank lines, scripts,
/// share bars and link lists left out (see `html.rs` for the rules).
pub fn html_text(html: &str) -> String {
    html::fragment_text(html)
}

pub use page::Inspection;

/// What `alike inspect` shows of one HTML page: the article as `read`
/// takes it, the element(s) its text came from, and the blocks left out.
pub fn inspect(path: &Path) -> Result<Inspection, InputError> {
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(Location::file(path), format!("cannot be read: {e}")))?;
    page::inspect(path, &bytes, &page::file_url(path))
}

/// The kinds of input `read` understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One JSON object a line.
    JsonLines,
    /// RSS 0.9x, 1.0 or 2.0, Atom, or JSON Feed.
    Feed,
    /// One HTML article page.
    HtmlPage,
    /// A folder of HTML article pages, read recursively.
    HtmlFolder,
}

pub use glob::Glob;

/// How to read a site's folder of pages.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Pages read as articles whatever they look like.
    pub include: Vec<Glob>,
    /// Pages never read.
    pub exclude: Vec<Glob>,
    /// The site's URL, before the paths of pages that do not name their own
    /// URL (`https://example.com/blog/`); without it those URLs are
    /// site-relative (`/2024/05/story/`).
    pub base_url: Option<String>,
}

impl ReadOptions {
    /// The URL of a page that does not name its own, from its site path.
    fn page_url(&self, site_path: &str) -> String {
        match &self.base_url {
            Some(base) => format!("{}/{}", base.trim_end_matches('/'), site_path.trim_start_matches('/')),
            None => site_path.to_string(),
        }
    }
}

/// Reads every record of one input. The outer error means the input could
/// not be read at all; inner errors are single bad records.
pub fn read(path: &Path) -> Result<Records, InputError> {
    read_with(path, &ReadOptions::default())
}

/// As [`read`], with options for folders of pages.
pub fn read_with(path: &Path, options: &ReadOptions) -> Result<Records, InputError> {
    let (kind, mut records) = open(path, options)?;
    // An input with no records at all is a mistake, not a quiet nothing.
    let Some(first) = records.next() else {
        let what = match kind {
            Kind::JsonLines => "has no articles in it (it is empty)",
            Kind::Feed => "has no items in it",
            Kind::HtmlPage => "has no article in it",
            Kind::HtmlFolder => "has no .html or .htm pages in it",
        };
        return Err(InputError::new(Location::file(path), what));
    };
    let mut checks = safety::Checks::default();
    Ok(Box::new(std::iter::once(first).chain(records).map(move |record| checks.check(record))))
}

/// The records of one input, in order, each read or failed on its own.
pub type Records = Box<dyn Iterator<Item = Result<Record, InputError>>>;

/// The kind of an input and its records. A file is opened once and read
/// from start to end, so that pipes (`/dev/stdin`, `<(...)`, FIFOs) work
/// as files do: the first bytes, when the kind must be told from them, are
/// peeked and then read again from memory, never lost.
fn open(path: &Path, options: &ReadOptions) -> Result<(Kind, Records), InputError> {
    if std::fs::metadata(path).map_err(|e| cannot_read(path, e))?.is_dir() {
        return Ok((Kind::HtmlFolder, Box::new(folder::read(path, options)?.into_iter())));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot_read(path, e))?;
    let (kind, reader) = kind_and_reader(path, file)?;
    let records: Records = match kind {
        Kind::JsonLines => Box::new(jsonl::read(path, reader)),
        Kind::Feed => Box::new(feed::parse(path, &read_all(path, reader)?)?.into_iter()),
        // A file is never a folder; both arms read it as one page.
        Kind::HtmlPage | Kind::HtmlFolder => {
            let bytes = read_all(path, reader)?;
            Box::new(std::iter::once(page::read(
                path,
                &bytes,
                &options.page_url(&page::file_url(path)),
                page::Take::Any,
            )))
        }
    };
    Ok((kind, records))
}

/// A reader of a whole file, its peeked head put back in front.
type Reader = std::io::BufReader<std::io::Chain<std::io::Cursor<Vec<u8>>, std::fs::File>>;

/// How many bytes are looked at to tell a file's kind: enough for an XML
/// declaration, a stylesheet instruction and a comment or two before the
/// root element.
const SNIFF_BYTES: u64 = 2048;

/// Tells the kind of an input from its name, or failing that its first
/// bytes. On a pipe those bytes are then gone: [`read`] tells the kind
/// itself and keeps them.
pub fn kind_of(path: &Path) -> Result<Kind, InputError> {
    if std::fs::metadata(path).map_err(|e| cannot_read(path, e))?.is_dir() {
        return Ok(Kind::HtmlFolder);
    }
    let file = std::fs::File::open(path).map_err(|e| cannot_read(path, e))?;
    kind_and_reader(path, file).map(|(kind, _)| kind)
}

/// The kind of a file, and a reader of all of it: the bytes read to sniff
/// the kind are chained back in front of the rest.
fn kind_and_reader(path: &Path, mut file: std::fs::File) -> Result<(Kind, Reader), InputError> {
    let extension =
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let by_name = match extension.as_str() {
        "jsonl" | "ndjson" => Some(Kind::JsonLines),
        "xml" | "rss" | "atom" | "feed" | "rdf" => Some(Kind::Feed),
        "html" | "htm" | "xhtml" => Some(Kind::HtmlPage),
        _ => None,
    };
    let mut head = Vec::new();
    if by_name.is_none() {
        // Stops at SNIFF_BYTES or the end, however the bytes trickle in
        // from a pipe.
        (&mut file).take(SNIFF_BYTES).read_to_end(&mut head).map_err(|e| cannot_read(path, e))?;
    }
    let sniffed = || sniff(&String::from_utf8_lossy(&head));
    let kind = match (by_name, extension.as_str()) {
        (Some(kind), _) => kind,
        // A JSON Feed or a Ghost export is one JSON document, not a line
        // per article.
        (None, "json") if sniffed() == Some(Kind::Feed) => Kind::Feed,
        (None, "json") => Kind::JsonLines,
        (None, _) => sniffed().ok_or_else(|| {
            InputError::new(
                Location::file(path),
                "is not an input alike reads: give a JSON Lines file (.jsonl), an RSS or Atom \
                 feed (.xml), HTML pages (.html) or a folder of them",
            )
        })?,
    };
    Ok((kind, std::io::BufReader::new(std::io::Cursor::new(head).chain(file))))
}

/// The kind of input that starts with `head`, if it looks like one.
fn sniff(head: &str) -> Option<Kind> {
    let text = head.trim_start_matches('\u{feff}').trim_start();
    if text.is_empty() {
        return Some(Kind::JsonLines);
    }
    let lower = text.to_ascii_lowercase();
    if lower.starts_with('{') {
        // A JSON Feed and a Ghost export are one JSON document each.
        let document = lower.contains("jsonfeed.org/version") || ghost::is_ghost(&lower);
        return Some(if document { Kind::Feed } else { Kind::JsonLines });
    }
    if !lower.starts_with('<') {
        return None;
    }
    if ["<rss", "<feed", "<rdf:rdf"].iter().any(|root| lower.contains(root)) {
        Some(Kind::Feed)
    } else if ["<!doctype html", "<html"].iter().any(|root| lower.contains(root)) {
        Some(Kind::HtmlPage)
    } else {
        None
    }
}

fn read_all(path: &Path, mut reader: impl Read) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| cannot_read(path, e))?;
    Ok(bytes)
}

fn cannot_read(path: &Path, error: std::io::Error) -> InputError {
    InputError::new(Location::file(path), format!("cannot be read: {error}"))
}

/// Prints a warning about an input that is read anyway, with something
/// left out or cut short. Reading is native only and the CLI its one
/// caller, so the warning goes straight to standard error, worded as the
/// CLI's own warnings are.
pub(crate) fn warn(location: &Location, message: impl fmt::Display) {
    eprintln!("alike: warning: {location}: {message}");
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn sniffs_kinds_from_first_bytes() {
        assert_eq!(sniff("{\"url\": \"/a\"}"), Some(Kind::JsonLines));
        assert_eq!(sniff(""), Some(Kind::JsonLines));
        assert_eq!(sniff("{\"version\": \"https://jsonfeed.org/version/1.1\"}"), Some(Kind::Feed));
        assert_eq!(sniff("\u{feff}<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"), Some(Kind::Feed));
        assert_eq!(
            sniff("<?xml version=\"1.0\"?><!-- hi --><feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Some(Kind::Feed)
        );
        assert_eq!(sniff("<?xml version=\"1.0\"?><rdf:RDF>"), Some(Kind::Feed));
        assert_eq!(sniff("<!DOCTYPE html><html lang=en>"), Some(Kind::HtmlPage));
        assert_eq!(sniff("<?xml version=\"1.0\"?><urlset>"), None);
        assert_eq!(sniff("url,title\n/a,T"), None);
    }

    #[test]
    fn kinds_come_from_extensions_then_content() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("writable temp dir");
            path
        };
        assert_eq!(kind_of(&write("a.jsonl", "")), Ok(Kind::JsonLines));
        assert_eq!(kind_of(&write("a.RSS", "")), Ok(Kind::Feed));
        assert_eq!(kind_of(&write("a.htm", "")), Ok(Kind::HtmlPage));
        assert_eq!(kind_of(&write("a.json", "{\"url\":\"/a\"}")), Ok(Kind::JsonLines));
        assert_eq!(
            kind_of(&write("feed.json", "{\"version\":\"https://jsonfeed.org/version/1\"}")),
            Ok(Kind::Feed)
        );
        assert_eq!(kind_of(&write("feed", "<rss version=\"2.0\"><channel/></rss>")), Ok(Kind::Feed));
        assert_eq!(kind_of(dir.path()), Ok(Kind::HtmlFolder));
        let error = kind_of(&write("a.csv", "url,title")).expect_err("CSV is not an input");
        assert!(error.to_string().contains("a.csv: is not an input alike reads"), "{error}");
        let error = kind_of(&dir.path().join("missing.jsonl")).expect_err("no such file");
        assert!(error.to_string().contains("missing.jsonl: cannot be read"), "{error}");
    }

    #[test]
    fn empty_inputs_are_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("empty.jsonl");
        std::fs::write(&path, "\n  \n").expect("writable temp dir");
        let Err(error) = read(&path) else { panic!("nothing to read") };
        assert!(error.to_string().ends_with("empty.jsonl: has no articles in it (it is empty)"), "{error}");
        let Err(error) = read(dir.path()) else { panic!("no pages") };
        assert!(error.to_string().contains("has no .html or .htm pages"), "{error}");
    }
}
