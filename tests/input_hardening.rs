//! Regression tests for hostile or unusual inputs, run through the real
//! binary: pipes, deeply nested pages, symbolic links out of a folder,
//! script URLs and characters that make text read differently.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Run, alike};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("writable temp dir");
    std::fs::write(&path, text).expect("writable temp dir");
    path
}

/// A column of an index's articles, as strings (missing values empty).
fn column(dir: &Path, name: &str) -> Vec<String> {
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).expect("an index"))
            .expect("JSON");
    let Some(values) = index["articles"][name].as_array() else { return Vec::new() };
    values.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
}

fn index(dir: &Path, inputs: &[&str]) -> Run {
    let mut args = vec!["index"];
    args.extend_from_slice(inputs);
    // Every page of a folder is read as an article: these tests are about
    // reading pages, not about telling articles from listings. One file:
    // `column` reads it.
    args.extend_from_slice(&["--out", "index.json", "--snippet-chars", "100000", "--include", "*"]);
    args.extend_from_slice(&["--layout", "single"]);
    alike(dir, &args)
}

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

// Defect 5: inputs that are not regular files lost their first 2,048 bytes.

/// The JSON Lines fixture is larger than the 2,048 bytes sniffed, and its
/// name-less pipe must be sniffed.
fn articles() -> Vec<u8> {
    let bytes = std::fs::read(fixture("news.jsonl")).expect("the fixture");
    assert!(bytes.len() > 4 * 2048);
    bytes
}

#[test]
fn a_pipe_on_stdin_is_read_whole() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_alike"))
        .args(["index", "/dev/stdin", "--out", "index.json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("alike runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    let writer = std::thread::spawn(move || stdin.write_all(&articles()));
    let output = child.wait_with_output().expect("alike runs");
    writer.join().expect("the writer ends").expect("the pipe takes every byte");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("indexed 45 articles"), "{stderr}");
}

#[test]
fn a_fifo_without_an_extension_is_read_whole() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let fifo = dir.path().join("articles");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        // Opening a FIFO to write waits for its reader: alike.
        std::thread::spawn(move || std::fs::write(fifo, articles()))
    };
    let child = Command::new(env!("CARGO_BIN_EXE_alike"))
        .args(["index", "articles", "--out", "index.json", "--snippet-chars", "100000"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("alike runs");
    writer.join().expect("the writer ends").expect("the FIFO takes every byte");
    // A reader that closes the FIFO after sniffing and opens it again (the
    // bug) would wait for another writer forever: offer it one with nothing
    // to say, so that the test fails rather than hangs. A reader that opens
    // it once never takes this, and the thread is left waiting, harmlessly.
    let fifo_again = fifo.clone();
    std::thread::spawn(move || std::fs::OpenOptions::new().write(true).open(fifo_again));
    let output = child.wait_with_output().expect("alike runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("indexed 45 articles"), "{stderr}");
}

#[test]
fn process_substitution_is_read_whole() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let script = format!(
        "exec {:?} index <(cat {:?}) --out index.json",
        env!("CARGO_BIN_EXE_alike"),
        fixture("news.jsonl")
    );
    let output =
        Command::new("bash").args(["-c", &script]).current_dir(dir.path()).output().expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("indexed 45 articles"), "{stderr}");
}

// Defect 6: deeply nested HTML took time growing with the square of the
// depth (200,000 nested divs did not finish in 180 s). The page is now cut
// to 256 levels before it is parsed: the warning's count of tags left out
// is the work not done, and the text below the limit is still read.

#[test]
fn deeply_nested_pages_are_cut_with_one_warning_and_their_text_read() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let divs = 200_000;
    let articles = 20_000;
    write(
        dir.path(),
        "site/divs.html",
        page("", &format!("{}<p>deepest words</p>{}", "<div>".repeat(divs), "</div>".repeat(divs))),
    );
    write(
        dir.path(),
        "site/articles.html",
        page(
            "<title>Nested</title>",
            &format!(
                "{}<p>innermost story</p>{}",
                "<article><p>s</p>".repeat(articles),
                "</article>".repeat(articles)
            ),
        ),
    );
    let run = index(dir.path(), &["site"]);
    run.assert_ok();
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains("nests elements more than 256 deep")).collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    let cut = |name: &str, count: usize| {
        let expected =
            format!("{name}: nests elements more than 256 deep; the {count} tags deeper were left out");
        assert!(warnings.iter().any(|w| w.contains(&expected)), "{expected}\n{warnings:?}");
    };
    // Each cut element loses its start and its end tag. `html` and `body`
    // are not counted, so `div`s from the 257th on are cut, and the `<p>`
    // inside the last.
    cut("divs.html", 2 * (divs - 256) + 2);
    // Likewise each article from the 257th on with its `<p>`, the `<p>` of
    // the 256th, which would be the 257th level, and the innermost `<p>`.
    cut("articles.html", 4 * (articles - 256) + 2 + 2);
    let snippets = column(dir.path(), "snippet");
    assert!(snippets.iter().any(|s| s.contains("deepest words")), "{snippets:?}");
    assert!(snippets.iter().any(|s| s.contains("innermost story")), "the text past the limit is kept");
}

#[test]
fn deeply_nested_html_in_json_lines_and_feeds_is_cut_with_a_warning_naming_the_record() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let deep = format!("{}<p>deepest words</p>{}", "<div>".repeat(300), "</div>".repeat(300));
    let line = serde_json::json!({"url": "/a", "title": "Deep", "html": deep});
    write(dir.path(), "a.jsonl", format!("{{\"url\":\"/b\",\"title\":\"Flat\"}}\n{line}\n"));
    let item = format!(
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>F</title>\
         <item><title>Deep</title><link>https://x.example/c</link><content:encoded><![CDATA[{deep}]]></content:encoded></item>\
         </channel></rss>"
    );
    write(dir.path(), "feed.rss", item);
    let run = index(dir.path(), &["a.jsonl", "feed.rss"]);
    run.assert_ok();
    for place in ["a.jsonl line 2", "feed.rss item 1"] {
        // 300 - 256 divs and the `<p>`, each a start and an end tag.
        let warning =
            format!("alike: warning: {place}: nests elements more than 256 deep; the 90 tags deeper");
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    assert_eq!(run.stderr.matches("nests elements").count(), 2, "{}", run.stderr);
    assert!(column(dir.path(), "snippet").iter().filter(|s| s.contains("deepest words")).count() == 2);
}

// Defect 7: a folder's symbolic links led out of it.

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_a_folder_are_skipped_with_a_warning() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("a temp dir");
    let outside = write(dir.path(), "private/secret.txt", "root:SECRET-PASSWORD-LINE");
    write(
        dir.path(),
        "private/pages/other.html",
        page("", "<article><p>An OUTSIDE-PAGE story.</p></article>"),
    );
    let site = dir.path().join("site");
    write(&site, "news/1.html", page("", "<article><p>The first story, inside.</p></article>"));
    write(
        &site,
        ".shared/kept.html",
        page("", "<article><p>A shared story reached by a link.</p></article>"),
    );
    symlink(&outside, site.join("passwd.html")).expect("a link");
    symlink(dir.path().join("private/pages"), site.join("elsewhere")).expect("a link");
    symlink("news/1.html", site.join("latest.html")).expect("a link");
    symlink(".shared", site.join("shared")).expect("a link");
    symlink("..", site.join("news/up")).expect("a link that loops");

    let run = index(dir.path(), &["site"]);
    run.assert_ok();
    let snippets = column(dir.path(), "snippet").join("\n");
    assert!(!snippets.contains("SECRET") && !snippets.contains("OUTSIDE-PAGE"), "{snippets}");
    for link in ["site/passwd.html", "site/elsewhere"] {
        let warning = format!("alike: warning: {link}: skipped this symbolic link: it points to ");
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("site/news/up: skipped this symbolic link: it leads to the folder"),
        "{}",
        run.stderr
    );
    let mut urls = column(dir.path(), "url");
    urls.sort();
    assert_eq!(urls, ["/latest.html", "/news/1.html", "/shared/kept.html"], "links inside are followed");
}

// Defect 14a: a JSON Lines line that is an array was read as an article.

#[test]
fn a_json_lines_array_is_not_an_article() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write(
        dir.path(),
        "a.jsonl",
        "{\"url\":\"/a\",\"title\":\"Rates held\"}\n[\"/b\",null,\"Title\",\"Body text\",null,null,null,null,[]]\n",
    );
    let run = index(dir.path(), &["a.jsonl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("a.jsonl line 2: expected an object, found an array"), "{}", run.stderr);
}

// Defect 14b: script text in a headline became part of the title.

#[test]
fn script_text_is_not_part_of_a_title() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write(
        dir.path(),
        "site/a.html",
        page(
            "",
            "<article><h1>Rates <script>alert('h1')</script>held<style>h1{}</style></h1><p>Story a.</p></article>",
        ),
    );
    write(
        dir.path(),
        "site/b.html",
        page(
            "<title>Markets <script>alert('title')</script>calm</title>",
            "<article><p>Story b.</p></article>",
        ),
    );
    write(
        dir.path(),
        "site/c.html",
        page(
            "<meta property=\"og:title\" content=\"Banks <noscript>x</noscript><template>y</template>merge\">",
            "<article><p>Story c.</p></article>",
        ),
    );
    index(dir.path(), &["site"]).assert_ok();
    assert_eq!(column(dir.path(), "title"), ["Rates held", "Markets calm", "Banks merge"]);
}

// Field 12, defect 2: a title naming an HTML element ("Why the <template>
// element") lost the element's name and all that followed it, in pages'
// titles, JSON-LD headlines and feeds' titles alike.

#[test]
fn titles_that_name_an_element_keep_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let story = "<article><p>Templates hold markup the browser parses but does not render.</p></article>";
    write(
        dir.path(),
        "site/a.html",
        page("<title>Why the &lt;template&gt; element beats innerHTML</title>", story),
    );
    write(
        dir.path(),
        "site/b.html",
        page("<meta property=\"og:title\" content=\"Styling the &lt;dialog&gt; backdrop\">", story),
    );
    write(
        dir.path(),
        "site/c.html",
        page(
            r#"<script type="application/ld+json">{"@type":"BlogPosting","headline":"When a < b, sort by <code>b</code>"}</script>"#,
            story,
        ),
    );
    index(dir.path(), &["site"]).assert_ok();
    assert_eq!(
        column(dir.path(), "title"),
        [
            "Why the <template> element beats innerHTML",
            "Styling the <dialog> backdrop",
            "When a < b, sort by b"
        ]
    );
    write(
        dir.path(),
        "feed.atom",
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
           <entry><title type="html">Using &lt;code&gt;&amp;lt;slot&amp;gt;&lt;/code&gt; in components</title><id>urn:1</id>
             <link href="https://x.example/1"/><summary>Slots take children from the page.</summary></entry>
           <entry><title>The &lt;picture&gt; element</title><id>urn:2</id>
             <link href="https://x.example/2"/><summary>Art direction with sources.</summary></entry></feed>"#,
    );
    index(dir.path(), &["feed.atom"]).assert_ok();
    assert_eq!(column(dir.path(), "title"), ["Using <slot> in components", "The <picture> element"]);
}

// Defects 14c and 14d: script URLs became links.

#[test]
fn script_canonical_urls_fall_back_to_the_page_path() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write(
        dir.path(),
        "site/news/a.html",
        page(
            "<link rel=canonical href=\"java\tscript:alert(document.cookie)\">\
             <meta property=\"og:url\" content=\" JaVaScRiPt:alert(1)\">\
             <meta property=\"og:image\" content=\"data:image/svg+xml,<svg onload=alert(1)>\">\
             <meta name=\"twitter:image\" content=\"/img/a.jpg\">",
            "<article><h1>Title</h1><p>Story.</p></article>",
        ),
    );
    write(
        dir.path(),
        "site/news/b.html",
        page("<link rel=canonical href=\"vbscript:msgbox\">", "<article><p>Story b.</p></article>"),
    );
    let run = index(dir.path(), &["site"]);
    run.assert_ok();
    assert_eq!(column(dir.path(), "url"), ["/news/a.html", "/news/b.html"]);
    assert_eq!(column(dir.path(), "image"), ["/img/a.jpg", ""]);
    assert!(
        run.stderr.contains("site/news/a.html: passed over the canonical link \"java\\tscript:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("site/news/a.html: passed over the og:url \"JaVaScRiPt:"), "{}", run.stderr);
    assert!(run.stderr.contains("passed over the og:image \"data:"), "{}", run.stderr);
}

#[test]
fn script_article_urls_are_refused_and_script_images_dropped() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write(
        dir.path(),
        "a.jsonl",
        "{\"url\":\"/a\",\"title\":\"Rates held\",\"image\":\"javascript:alert(1)\"}\n\
         {\"url\":\"javascript:alert(1)\",\"title\":\"Click me\"}\n\
         {\"url\":\"data:text/html,<script>alert(1)</script>\",\"title\":\"Me too\"}\n",
    );
    let run = index(dir.path(), &["a.jsonl"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("a.jsonl line 2: has the URL \"javascript:alert(1)\", which is neither an http(s) nor a relative URL"),
        "{}",
        run.stderr
    );
    let run = index(dir.path(), &["a.jsonl", "--skip-bad"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("a.jsonl line 1: left out the image \"javascript:alert(1)\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("skipped a.jsonl line 3: has the URL \"data:text/html"), "{}", run.stderr);
    assert_eq!(column(dir.path(), "url"), ["/a"]);
    assert!(column(dir.path(), "image").iter().all(String::is_empty));

    let feed = "<rss version=\"2.0\"><channel><title>F</title>\
                <item><title>Bad</title><link>javascript:alert(1)</link><description>x</description></item>\
                <item><title>Good</title><link>https://news.example.com/good</link><description>y</description></item>\
                </channel></rss>";
    write(dir.path(), "feed.rss", feed);
    let run = index(dir.path(), &["feed.rss"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("feed.rss item 1: has the URL \"javascript:alert(1)\""), "{}", run.stderr);
}

// Defect 14e: NULs and bidi overrides made text read differently.

#[test]
fn nuls_and_bidi_overrides_are_stripped_with_one_warning_a_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write(
        dir.path(),
        "a.jsonl",
        "{\"url\":\"/a\\u0000\",\"title\":\"Rates \\u202eheld\\u202c\",\"section\":\"Busi\\u2066ness\",\"tags\":[\"\\u2067\",\"banks\"]}\n\
         {\"url\":\"/b\",\"title\":\"Markets\\u0000 calm\"}\n",
    );
    let run = index(dir.path(), &["a.jsonl"]);
    run.assert_ok();
    assert_eq!(column(dir.path(), "url"), ["/a", "/b"]);
    assert_eq!(column(dir.path(), "title"), ["Rates held", "Markets calm"]);
    assert_eq!(column(dir.path(), "section")[0], "Business");
    let warnings = run.stderr.matches("removed NUL or bidirectional override characters").count();
    assert_eq!(warnings, 1, "{}", run.stderr);
}

// Issue 12: a charset label cut by the 1,024-byte prescan window is no
// label, not an unknown charset.

#[test]
fn a_charset_declaration_across_byte_1024_is_no_declaration() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let before = "<!doctype html><html><head><!-- ";
    let meta = "<meta charset=\"utf-8\">";
    // The window ends inside `utf-8`, after `ut`.
    let cut = meta.find("utf").expect("a label") + 2;
    let padding = "x".repeat(1024 - before.len() - " -->".len() - cut);
    let text = format!(
        "{before}{padding} -->{meta}<title>Caf\u{e9} society</title></head><body><article><p>Caf\u{e9} story.</p></article></body></html>"
    );
    assert_eq!(&text.as_bytes()[1024 - 2..1024], b"ut");
    write(dir.path(), "page.html", text);
    let run = index(dir.path(), &["page.html"]);
    run.assert_ok();
    assert_eq!(column(dir.path(), "title"), ["Caf\u{e9} society"]);
}
