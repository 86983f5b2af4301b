//! Where a site folder is served: at the root of its host, or under a
//! path, as GitHub Pages serves a project site (`https://user.github.io/blog/`).
//!
//! A page that does not name its own URL gets its path in the folder, which
//! is its URL only when the folder is served at the root. Under `/blog/`,
//! the box would link to `/posts/story/` where the page is
//! `/blog/posts/story/`, and no page would find its own related list. The
//! generators prefix every link they write with the site's path (Hugo's
//! `relURL`, Jekyll's `relative_url`, Eleventy's `url` filter), so the
//! pages say where they are served: when their root-relative links name
//! files of the folder only once a first segment `/blog` is taken off them,
//! the folder is served under `/blog`; links that name the folder's files
//! as they are say the root, so the first must outnumber the second twice
//! over. The folder may have a `blog/` of its own (a project site named
//! `blog` with a section `blog`: `/blog/blog/story/`). `--base-url`
//! overrules this.
//!
//! The links also say whether pages are served without their `.html`:
//! Next.js (`output: 'export'`) and Astro (`build.format: 'file'`) write
//! `posts/story.html` and link it as `/posts/story`, where Vercel, Netlify
//! and Cloudflare Pages serve it (Cloudflare redirects `story.html` there).
//! When links name pages that way twice as often as by their `.html` file
//! name, a page's URL is its path without `.html`, as readers see it and
//! the template looks it up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Pages whose links are read, spread over the folder's sorted pages.
const SAMPLED_PAGES: usize = 24;
/// Distinct links looked up, at most.
const SAMPLED_LINKS: usize = 400;
/// Links that must name a file only under the prefix before it is taken.
const LEAST_EVIDENCE: usize = 3;

/// How a folder is served, as its pages' links tell.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Served {
    /// The path it is served under (`/blog`), if not the root.
    pub prefix: Option<String>,
    /// Whether its pages are served without `.html` (`/posts/story`).
    pub clean_urls: bool,
}

/// How the folder at `root` is served, from its pages' links; `prefix` is
/// looked for only when `find_prefix` (`--base-url` says it otherwise).
pub fn served(root: &Path, pages: &[PathBuf], find_prefix: bool) -> Served {
    let step = pages.len().div_ceil(SAMPLED_PAGES).max(1);
    let mut links = BTreeSet::new();
    for page in pages.iter().step_by(step) {
        let Ok(bytes) = std::fs::read(page) else { continue };
        for link in root_relative_links(&String::from_utf8_lossy(&bytes)) {
            if links.len() == SAMPLED_LINKS {
                break;
            }
            links.insert(link);
        }
    }
    let prefix = if find_prefix { prefix(root, &links) } else { None };
    let (mut clean, mut with_html) = (0, 0);
    for link in &links {
        let link = match &prefix {
            Some(prefix) => match link.strip_prefix(prefix.as_str()).filter(|rest| rest.starts_with('/')) {
                Some(rest) => rest,
                None => continue,
            },
            None => link.as_str(),
        };
        let relative = decode(link.trim_start_matches('/'));
        let named = root.join(&relative);
        if named.is_file() && is_html_file(&relative) {
            with_html += 1;
        } else if !named.exists() && !link.ends_with('/') && root.join(format!("{relative}.html")).is_file() {
            clean += 1;
        }
    }
    Served { prefix, clean_urls: clean >= LEAST_EVIDENCE && clean > 2 * with_html }
}

/// A page's URL as served without `.html`: `/posts/story.html` is
/// `/posts/story`; a folder's URL (`/posts/`) stays.
pub fn clean_url(url: &str) -> String {
    let last = url.rsplit('/').next().unwrap_or_default();
    match last.len().checked_sub(5) {
        Some(cut) if last.is_char_boundary(cut) && last[cut..].eq_ignore_ascii_case(".html") && cut > 0 => {
            url[..url.len() - 5].to_string()
        }
        _ => url.to_string(),
    }
}

/// Whether a file name is a page's other than a folder's `index.html`.
fn is_html_file(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
    name.ends_with(".html") && name != "index.html"
}

/// The path the folder is served under (`/blog`), if its pages' `links`
/// say it is not the root.
fn prefix(root: &Path, links: &BTreeSet<String>) -> Option<String> {
    let mut direct = 0;
    let mut under: BTreeMap<&str, usize> = BTreeMap::new();
    for link in links {
        if names_a_file(root, link) {
            direct += 1;
        } else if let Some((first, rest)) = split_first(link)
            && names_a_file(root, rest)
        {
            *under.entry(first).or_default() += 1;
        }
    }
    let (first, count) =
        under.into_iter().max_by_key(|(first, count)| (*count, std::cmp::Reverse(*first)))?;
    (count >= LEAST_EVIDENCE && count > 2 * direct).then(|| format!("/{first}"))
}

/// `/blog/posts/x/` as `("blog", "/posts/x/")`.
fn split_first(link: &str) -> Option<(&str, &str)> {
    let rest = link.strip_prefix('/')?;
    let end = rest.find('/').unwrap_or(rest.len());
    let first = &rest[..end];
    (!first.is_empty()).then(|| (first, if end == rest.len() { "/" } else { &rest[end..] }))
}

/// Whether a site path names a file of the folder, as a static server
/// serves it: the file, a folder's `index.html`, or a page without its
/// `.html`.
fn names_a_file(root: &Path, link: &str) -> bool {
    let relative = decode(link.trim_start_matches('/'));
    if relative.split('/').any(|part| part == "..") {
        return false;
    }
    let path = root.join(&relative);
    path.is_file()
        || path.join("index.html").is_file()
        || path.join("index.htm").is_file()
        || (!link.ends_with('/') && root.join(format!("{relative}.html")).is_file())
}

/// The root-relative URLs (`/blog/posts/`, not `//cdn.example/x`) of
/// `href` and `src` attributes, as paths: no query, no fragment. A relative
/// one (`posts/`) counts under the page's `<base href>`, if it has one of a
/// path or of a URL on any host, as old Hugo themes write
/// (`https://user.github.io/blog/`). Read from the raw HTML, which is
/// enough for links a generator wrote.
fn root_relative_links(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut values = Vec::new();
    let mut base = None;
    for name in ["href=", "src="] {
        for (at, _) in lower.match_indices(name) {
            let before = lower[..at].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let value = &html[at + name.len()..];
            let (value, ends) = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => (&value[1..], vec![quote]),
                _ => (value, vec![' ', '>', '\t', '\n']),
            };
            let end = value.find(|c| ends.contains(&c) || c == '?' || c == '#').unwrap_or(value.len());
            let value = value[..end].trim();
            if base.is_none() && lower[..at].trim_end().ends_with("<base") {
                base = Some(path_of(value).to_string());
            } else {
                values.push(value);
            }
        }
    }
    let base = base.filter(|base| base.starts_with('/') && base.ends_with('/'));
    let mut links = Vec::new();
    for value in values {
        if value.contains('\\') || value.starts_with("//") {
            continue;
        }
        if value.starts_with('/') {
            links.push(value.to_string());
        } else if let Some(base) = &base
            && !value.is_empty()
            && !value.contains(':')
        {
            links.push(format!("{base}{value}"));
        }
    }
    links
}

/// The path of an http(s) URL, or the value itself.
pub(super) fn path_of(value: &str) -> &str {
    let Some(rest) = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://")) else {
        return value;
    };
    rest.find('/').map_or("/", |start| &rest[start..])
}

/// A path with its `%XX` escapes decoded, as the file system names it.
fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut pages = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("writable");
            std::fs::write(&path, text).expect("writable");
            if name.ends_with(".html") {
                pages.push(path);
            }
        }
        pages.sort();
        (dir, pages)
    }

    const MENU: &str = r#"<a href="/blog/">Home</a> <a href='/blog/posts/'>Posts</a> <link href=/blog/css/site.css rel=stylesheet>"#;

    #[test]
    fn links_under_a_path_that_is_no_folder_say_the_site_is_served_there() {
        let story = format!("{MENU}<a href=\"/blog/posts/caf%C3%A9.html?x=1#top\">Café</a>");
        let (dir, pages) = site(&[
            ("index.html", MENU),
            ("posts/index.html", MENU),
            ("posts/café.html", &story),
            ("css/site.css", "p {}"),
        ]);
        assert_eq!(served(dir.path(), &pages, true).prefix.as_deref(), Some("/blog"));
    }

    #[test]
    fn a_project_site_may_have_a_section_of_its_own_name() {
        let menu = r#"<a href="/blog/">Home</a> <a href="/blog/blog/">Blog</a> <a href="/blog/blog/a/">A</a> <a href="/blog/blog/b/">B</a>"#;
        let (dir, pages) = site(&[
            ("index.html", menu),
            ("blog/index.html", menu),
            ("blog/a/index.html", menu),
            ("blog/b/index.html", menu),
        ]);
        assert_eq!(served(dir.path(), &pages, true).prefix.as_deref(), Some("/blog"));
    }

    #[test]
    fn links_that_name_files_as_they_are_say_the_root() {
        let menu = r#"<a href="/">Home</a> <a href="/posts/">Posts</a> <a href="/posts/a.html">A</a> <a href="/about/">x</a>"#;
        let (dir, pages) = site(&[("index.html", menu), ("posts/index.html", menu), ("posts/a.html", menu)]);
        assert_eq!(served(dir.path(), &pages, true).prefix, None);
        // A folder with a `blog/` of its own whose links name it is served at the root.
        let menu = r#"<a href="/">Home</a> <a href="/blog/">Blog</a> <a href="/blog/a.html">A</a> <a href="/blog/b.html">B</a>"#;
        let (dir, pages) = site(&[
            ("index.html", menu),
            ("blog/index.html", menu),
            ("blog/a.html", menu),
            ("blog/b.html", menu),
        ]);
        assert_eq!(served(dir.path(), &pages, true).prefix, None);
        // Too few links to tell, or none: the root.
        let (dir, pages) = site(&[("index.html", r#"<a href="/blog/">Home</a>"#), ("a.html", "text")]);
        assert_eq!(served(dir.path(), &pages, true).prefix, None);
    }

    #[test]
    fn links_that_leave_out_html_say_pages_are_served_without_it() {
        // Next.js under a basePath: `/blog/posts/a` for posts/a.html.
        let menu = r#"<a href="/blog">Home</a> <a href="/blog/about">About</a> <a href="/blog/posts/a">A</a> <a href="/blog/posts/b">B</a> <script src="/blog/_next/x.js"></script>"#;
        let files = [
            ("index.html", menu),
            ("about.html", menu),
            ("posts/a.html", menu),
            ("posts/b.html", menu),
            ("_next/x.js", ""),
        ];
        let (dir, pages) = site(&files);
        assert_eq!(
            served(dir.path(), &pages, true),
            Served { prefix: Some("/blog".into()), clean_urls: true }
        );
        // Links that name the files as they are: served with .html.
        let menu = r#"<a href="/">Home</a> <a href="/about.html">About</a> <a href="/posts/a.html">A</a> <a href="/posts/b">B</a>"#;
        let (dir, pages) = site(&[
            ("index.html", menu),
            ("about.html", menu),
            ("posts/a.html", menu),
            ("posts/b.html", menu),
        ]);
        assert_eq!(served(dir.path(), &pages, true), Served::default());
        // Folders' index pages (Hugo, Jekyll, Eleventy) say nothing of it.
        let menu = r#"<a href="/">Home</a> <a href="/posts/a/">A</a> <a href="/posts/b/">B</a> <a href="/posts/c">C</a>"#;
        let (dir, pages) = site(&[
            ("index.html", menu),
            ("posts/a/index.html", menu),
            ("posts/b/index.html", menu),
            ("posts/c/index.html", menu),
        ]);
        assert_eq!(served(dir.path(), &pages, true), Served::default());
        assert_eq!(clean_url("/posts/a.html"), "/posts/a");
        assert_eq!(clean_url("https://x.example/a.HTML"), "https://x.example/a");
        assert_eq!(clean_url("/posts/"), "/posts/");
        assert_eq!(clean_url("/.html"), "/.html");
        assert_eq!(clean_url("/a.htm"), "/a.htm");
    }

    #[test]
    fn only_root_relative_attribute_values_are_links() {
        let html = r#"<a href="/a/">x</a><a data-href="/b/"><img src='/c.png'><a href=//cdn.example/d><a href=e/><script src=/f.js></script><a href="/g/?q#h">"#;
        assert_eq!(root_relative_links(html), ["/a/", "/g/", "/c.png", "/f.js"]);
        let html = r#"<base href="https://user.github.io/blog/"><a href="posts/a/">a</a><a href="mailto:x@y">m</a><img src="/logo.png">"#;
        assert_eq!(root_relative_links(html), ["/blog/posts/a/", "/logo.png"]);
        assert_eq!(split_first("/blog"), Some(("blog", "/")));
        assert_eq!(decode("/caf%C3%A9%2"), "/café%2");
    }
}
