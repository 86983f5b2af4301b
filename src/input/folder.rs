//! A folder of HTML article pages, such as a static site's output, read
//! recursively: every `.html` and `.htm` file is one article (see `page.rs`).
//!
//! Pages are read in sorted path order, whatever order the file system
//! lists them in, so that the same folder always builds the same index.
//! Hidden files and folders (`.git`, `.drafts`) are skipped.
//!
//! Symbolic links are followed while they stay inside the folder, and
//! skipped with a warning when they lead out of it: an index's snippets
//! are published, and `passwd.html -> /etc/passwd` must not publish the
//! password file. A folder is read once, however many links lead to it,
//! which also stops links that loop; which of its paths names its pages is
//! the first in sorted order, so that it does not depend on how the file
//! system lists them.
//!
//! A page that names its own URL (`<link rel="canonical">`, `og:url`,
//! JSON-LD `url`) keeps it. Otherwise its URL is its path relative to the
//! folder, as a site-relative URL: `site/business/001.html` read as `site/`
//! is `/business/001.html`, and `site/business/rates/index.html` is
//! `/business/rates/`, since that is where web servers serve it. So point
//! alike at the folder your web server serves as `/`; a folder served
//! under a path (`/blog/`) is told from its pages' links (`served.rs`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{InputError, Location, ReadOptions, Record, page, served, warn};

/// One record per page; the outer error is for a folder that cannot be
/// listed at all.
pub fn read(root: &Path, options: &ReadOptions) -> Result<Vec<Result<Record, InputError>>, InputError> {
    let cannot_read =
        |e: std::io::Error| InputError::new(Location::file(root), format!("cannot be read: {e}"));
    let entries = std::fs::read_dir(root).map_err(cannot_read)?;
    let real_root = root.canonicalize().map_err(cannot_read)?;
    let mut walk = Walk {
        visited: HashSet::from([real_root.clone()]),
        real_root,
        pages: Vec::new(),
        errors: Vec::new(),
    };
    walk.folder(entries, root);
    let Walk { mut pages, errors, .. } = walk;
    pages.sort();
    let served = served::served(root, &pages, options.base_url.is_none());
    if let Some(prefix) = &served.prefix {
        let why = format!(
            "the pages' links say the site is served under {prefix}/ (as GitHub Pages serves a project \
             site), so pages without a canonical link are indexed as {prefix}/…; --base-url says otherwise"
        );
        warn(&Location::file(root), why);
    }
    if served.clean_urls {
        let why = "the pages' links name them without .html (/posts/story for posts/story.html, as Next.js \
                   and Astro link them and Vercel, Netlify and Cloudflare Pages serve them), so pages without \
                   a canonical link are indexed without it";
        warn(&Location::file(root), why);
    }
    let read: Vec<(Result<Record, InputError>, String)> = pages
        .into_iter()
        .map(|path| {
            let relative: Vec<String> = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let in_folder = relative.join("/");
            let site_path = site_url(&relative);
            let site_path = if served.clean_urls { served::clean_url(&site_path) } else { site_path };
            let url = match &served.prefix {
                Some(prefix) => format!("{prefix}{site_path}"),
                None => options.page_url(&site_path),
            };
            if let Some(glob) = options.exclude.iter().find(|glob| glob.matches(&in_folder)) {
                let why = format!("excluded by --exclude {}", glob.as_str());
                return (Err(InputError::not_an_article(Location::file(&path), why)), url);
            }
            // Pages --include names are articles, whatever they look like.
            let take = if options.include.iter().any(|glob| glob.matches(&in_folder)) {
                page::Take::Any
            } else {
                page::Take::Articles
            };
            let record = std::fs::read(&path)
                .map_err(|e| InputError::new(Location::file(&path), format!("cannot be read: {e}")))
                .and_then(|bytes| page::read(&path, &bytes, &url, take));
            (record, url)
        })
        .collect();
    let mut read = read;
    paths_for_local_urls(&mut read, root);
    let mut records = without_copies(read);
    records.extend(errors.into_iter().map(Err));
    Ok(records)
}

/// Makes the URLs of pages that name one on this machine (a development
/// build: `jekyll serve` writes `http://localhost:4000/…` into every page)
/// their paths, which the live site serves them at, and says so once: the
/// box must never link readers to the site owner's own machine.
fn paths_for_local_urls(read: &mut [(Result<Record, InputError>, String)], root: &Path) {
    let (mut count, mut first) = (0, None);
    for record in read.iter_mut().filter_map(|(record, _)| record.as_mut().ok()) {
        let article = &mut record.article;
        if let Some(path) = local_path(&article.url) {
            first.get_or_insert_with(|| article.url.clone());
            article.url = path;
            count += 1;
        }
        if let Some(path) = article.image.as_deref().and_then(local_path) {
            article.image = Some(path);
        }
        for pin in &mut article.related {
            if let Some(path) = local_path(pin) {
                *pin = path;
            }
        }
    }
    if let Some(first) = first {
        let pages = if count == 1 { "page names its" } else { "pages name their" };
        warn(
            &Location::file(root),
            format!(
                "{count} {pages} URL on this machine ({first}: a development build, as `jekyll serve` \
                 writes); their paths are indexed: build the site for production to index its own URLs"
            ),
        );
    }
}

/// The path and query of an http(s) URL on this machine.
fn local_path(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
    let host = parsed.host_str()?;
    let local =
        matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "0.0.0.0") || host.ends_with(".localhost");
    local.then(|| match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_string(),
    })
}

/// The records with copies passed over: pages whose canonical URL is
/// another page's, such as an AMP copy or a print version naming the
/// article. Of the pages of one URL, the one served there (`own_url`) is
/// read, else the first; without this the build would stop at the second
/// as a repeated URL.
fn without_copies(read: Vec<(Result<Record, InputError>, String)>) -> Vec<Result<Record, InputError>> {
    use crate::text::url_key;
    let mut by_url: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, (record, _)) in read.iter().enumerate() {
        if let Ok(record) = record {
            by_url.entry(url_key(&record.article.url)).or_default().push(i);
        }
    }
    let mut copy_of: Vec<Option<usize>> = vec![None; read.len()];
    for (key, pages) in by_url.into_iter().filter(|(_, pages)| pages.len() > 1) {
        let read_one = pages.iter().copied().find(|&i| url_key(&read[i].1) == key).unwrap_or(pages[0]);
        for i in pages.into_iter().filter(|&i| i != read_one) {
            copy_of[i] = Some(read_one);
        }
    }
    let kept: Vec<Option<Location>> =
        read.iter().map(|(record, _)| record.as_ref().ok().map(|record| record.location.clone())).collect();
    read.into_iter()
        .zip(copy_of)
        .map(|((record, _), copy_of)| match (record, copy_of) {
            (Ok(copy), Some(original)) => {
                let original = kept[original].as_ref().map(ToString::to_string).unwrap_or_default();
                let why = format!(
                    "a copy (its canonical URL, {}, is also that of {original}, which is read)",
                    copy.article.url
                );
                Err(InputError::not_an_article(copy.location, why))
            }
            (record, _) => record,
        })
        .collect()
}

/// What a walk through the folder has found so far.
struct Walk {
    /// The folder with every link in its path resolved.
    real_root: PathBuf,
    /// Folders read, by their real paths.
    visited: HashSet<PathBuf>,
    pages: Vec<PathBuf>,
    errors: Vec<InputError>,
}

impl Walk {
    fn folder(&mut self, entries: std::fs::ReadDir, folder: &Path) {
        let mut listed = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => listed.push(entry),
                Err(e) => {
                    let error = InputError::new(Location::file(folder), format!("cannot be listed: {e}"));
                    self.errors.push(error);
                }
            }
        }
        listed.sort_by_key(std::fs::DirEntry::file_name);
        for entry in listed {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_symlink() {
                self.link(path);
            } else if kind.is_dir() {
                let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                self.enter(path, real);
            } else if kind.is_file() && is_page(&path) {
                self.pages.push(path);
            }
        }
    }

    /// Follows a link that stays inside the folder to a page or folder.
    fn link(&mut self, path: PathBuf) {
        let skipped =
            |why: String| warn(&Location::file(&path), format!("skipped this symbolic link: {why}"));
        let (real, metadata) = match path.canonicalize().and_then(|real| Ok((real.clone(), real.metadata()?)))
        {
            Ok(found) => found,
            Err(e) => {
                skipped(format!("what it points to cannot be read ({e})"));
                return;
            }
        };
        let wanted = metadata.is_dir() || (metadata.is_file() && is_page(&path));
        if !wanted {
            return;
        }
        if !real.starts_with(&self.real_root) {
            skipped(format!(
                "it points to {}, outside the folder {}; copy what it points to into the folder to index it",
                real.display(),
                self.real_root.display()
            ));
        } else if metadata.is_dir() {
            if self.visited.contains(&real) {
                skipped(format!("it leads to the folder {}, which is read already", real.display()));
            } else {
                self.enter(path, real);
            }
        } else {
            self.pages.push(path);
        }
    }

    fn enter(&mut self, path: PathBuf, real: PathBuf) {
        if !self.visited.insert(real) {
            return;
        }
        match std::fs::read_dir(&path) {
            Ok(entries) => self.folder(entries, &path),
            Err(e) => {
                self.errors.push(InputError::new(Location::file(&path), format!("cannot be read: {e}")))
            }
        }
    }
}

fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The site-relative URL of a page from its path's parts: percent-encoded
/// as browsers show it, `index.html` as its folder.
pub fn site_url(parts: &[String]) -> String {
    let mut parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let folder = parts.last().is_some_and(|last| {
        last.eq_ignore_ascii_case("index.html") || last.eq_ignore_ascii_case("index.htm")
    });
    if folder {
        parts.pop();
    }
    let mut url = String::new();
    for part in parts {
        url.push('/');
        for byte in part.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                url.push(char::from(byte));
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    if folder || url.is_empty() {
        url.push('/');
    }
    url
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::input::Glob;

    fn parts(path: &str) -> Vec<String> {
        path.split('/').map(String::from).collect()
    }

    #[test]
    fn urls_are_site_relative_paths() {
        assert_eq!(site_url(&parts("business/001.html")), "/business/001.html");
        assert_eq!(site_url(&parts("business/rates/index.html")), "/business/rates/");
        assert_eq!(site_url(&parts("index.htm")), "/");
        assert_eq!(site_url(&parts("news/café au lait.html")), "/news/caf%C3%A9%20au%20lait.html");
    }

    #[test]
    fn reads_pages_in_sorted_order_skipping_hidden_and_other_files() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let page = |text: &str| format!("<html><body><article><p>{text}</p></article></body></html>");
        let files = [
            ("b/2.html", page("two")),
            ("a.htm", page("one")),
            ("b/1.HTML", page("b one")),
            (".drafts/x.html", page("draft")),
            ("b/.hidden.html", page("hidden")),
            ("style.css", "p {}".to_string()),
            ("b/about.html", "<nav><a href=/>Home</a></nav>".to_string()),
        ];
        for (name, text) in files.iter().rev() {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        // Every page taken as an article: the test is about the walk.
        let every_page = ReadOptions { include: vec![Glob::new("*").unwrap()], ..ReadOptions::default() };
        let records = read(dir.path(), &every_page).unwrap();
        let urls: Vec<String> = records
            .iter()
            .map(|r| match r {
                Ok(record) => format!("{} {}", record.article.url, record.article.body),
                Err(error) => error.message.clone(),
            })
            .collect();
        assert_eq!(urls, ["/a.htm one", "/b/1.HTML b one", "/b/2.html two", "has no article text"]);
        let error = records[3].as_ref().unwrap_err();
        assert_eq!(error.location.path, dir.path().join("b/about.html"));
    }

    #[test]
    fn a_missing_folder_is_the_outer_error() {
        let error = read(Path::new("no/such/folder"), &ReadOptions::default()).unwrap_err();
        assert!(error.to_string().starts_with("no/such/folder: cannot be read"), "{error}");
    }
}
