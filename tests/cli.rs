#![cfg(not(target_arch = "wasm32"))]
//! The `alike` command as people run it: the real binary, in a temporary
//! folder, on the kinds of file sites have (fixtures in `tests/fixtures/`,
//! made by `make_fixtures.py` from the BBC sample). Each test asserts on
//! what a user would see: exit codes, the index's contents, `alike query`'s
//! answers, and error messages that name the file, the line or item, and
//! what is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{Run, alike};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn fixture_str(name: &str) -> String {
    fixture(name).to_str().expect("the repository path is UTF-8").to_string()
}

/// The first `n` articles of news.jsonl as built pages hold them: the title,
/// and the body's paragraphs as `<p>` elements.
fn news_stories(n: usize) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixture("news.jsonl")).expect("the fixture");
    text.lines()
        .take(n)
        .map(|line| {
            let a: Value = serde_json::from_str(line).expect("JSON");
            let title = a["title"].as_str().expect("a title").to_string();
            let body =
                a["body"].as_str().expect("a body").split("\n\n").map(|p| format!("<p>{p}</p>")).collect();
            (title, body)
        })
        .collect()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder in the temp dir");
    }
    std::fs::write(&path, text).expect("a file in the temp dir");
    name.to_string()
}

/// A column of the index's `articles`, as strings ("" for none).
fn column(index: &Value, name: &str) -> Vec<String> {
    let count = index["articles"]["url"].as_array().expect("articles.url is a list").len();
    match index["articles"][name].as_array() {
        Some(values) => values.iter().map(|v| v.as_str().unwrap_or("").to_string()).collect(),
        None => vec![String::new(); count],
    }
}

/// `alike query`'s output: url to related urls, with every line checked
/// for the invariants the widget relies on.
fn related_by_url(stdout: &str, k: usize) -> BTreeMap<String, Vec<Value>> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        let line: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        let url = line["url"].as_str().expect("each line has a url").to_string();
        let related = line["related"].as_array().expect("each line has a related list").clone();
        assert!(!related.is_empty() && related.len() <= k, "{url} has {} related articles", related.len());
        let scores: Vec<f64> = related.iter().map(|r| r["score"].as_f64().expect("a score")).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{url}: scores not best first: {scores:?}");
        let urls: Vec<&str> = related.iter().map(|r| r["url"].as_str().expect("a related url")).collect();
        assert!(!urls.contains(&url.as_str()), "{url} recommends itself: {urls:?}");
        assert_eq!(urls.iter().collect::<BTreeSet<_>>().len(), urls.len(), "{url} lists an article twice");
        out.insert(url, related);
    }
    out
}

/// Indexes `input` and queries every article of it against the index, with
/// the answers checked: each article gets related articles, never itself,
/// and mostly from its own section (three sections, so chance is a third).
fn index_and_query(input: &str, expected_count: usize) -> (Value, BTreeMap<String, Vec<Value>>) {
    let dir = temp_dir();
    // The fixtures' images are on another host (img.example.com); these
    // tests are about reading them, so every origin is allowed.
    // One file, whose columns the checks below read.
    let args = [
        "index",
        input,
        "--out",
        "index.json",
        "--layout",
        "single",
        "--snippet-chars",
        "100000",
        "--image-origins",
        "*",
    ];
    let run = alike(dir.path(), &args);
    run.assert_ok();
    assert!(run.stdout.is_empty(), "index prints its summary on stderr, not stdout: {}", run.stdout);
    assert!(run.stderr.contains(&format!("indexed {expected_count} articles")), "{}", run.stderr);
    let index = read_json(&dir.path().join("index.json"));
    assert_eq!(index["format"], "alike-index");
    assert_eq!(index["version"], alike::FORMAT_VERSION);
    assert_eq!(column(&index, "url").len(), expected_count);

    let run = alike(dir.path(), &["query", "--index", "index.json", "--k", "3", input]);
    run.assert_ok();
    let related = related_by_url(&run.stdout, 3);
    assert_eq!(related.len(), expected_count, "one line per article");

    let section: BTreeMap<String, String> =
        column(&index, "url").into_iter().zip(column(&index, "section")).collect();
    let (mut same, mut all) = (0, 0);
    for (url, list) in &related {
        let own = &section[url];
        assert!(!own.is_empty(), "{url} has no section");
        for item in list {
            let other = item["url"].as_str().expect("a url");
            assert!(section.contains_key(other), "{url} recommends {other}, which is not in the index");
            assert_eq!(
                item["section"].as_str(),
                Some(section[other].as_str()),
                "the box shows the article's own section"
            );
            same += usize::from(&section[other] == own);
            all += 1;
        }
    }
    assert!(same * 10 >= all * 6, "only {same} of {all} related articles share the query's section");
    (index, related)
}

#[test]
fn json_lines_index_and_query() {
    let (index, related) = index_and_query(&fixture_str("news.jsonl"), 45);
    let urls = column(&index, "url");
    assert_eq!(urls[0], "/business/001.html", "articles keep the file's order");
    assert_eq!(column(&index, "title")[0], "Ad sales boost Time Warner profit");
    let days = index["articles"]["day"].as_array().expect("dated articles have a day column");
    assert!(days.iter().all(Value::is_i64), "every article is dated");
    // The Time Warner story's closest relatives are other business stories.
    let first: Vec<&str> =
        related["/business/001.html"].iter().map(|r| r["url"].as_str().unwrap_or("")).collect();
    assert!(first.iter().all(|u| u.starts_with("/business/")), "{first:?}");
}

#[test]
fn wordpress_export_index_and_query() {
    // Published posts only: not the draft, the page, the private post, the
    // password-protected one or the attachments.
    let (index, _) = index_and_query(&fixture_str("wordpress.xml"), 12);
    let urls = column(&index, "url");
    assert_eq!(urls[0], "https://news.example.com/2004/05/021/", "the post's permalink");
    assert_eq!(urls[3], "https://news.example.com/?p=103", "no <link>: the short link");
    let titles = column(&index, "title");
    assert_eq!(titles[0], "Blair backs 'pre-election budget'");
    let sections: BTreeSet<String> = column(&index, "section").into_iter().collect();
    assert_eq!(sections, ["Politics", "Sport", "Tech"].map(String::from).into(), "categories");
    let images = column(&index, "image");
    assert_eq!(images[0], "https://news.example.com/wp-content/uploads/2005/021.jpg", "featured image");
    assert_eq!(images[1], "", "no featured image");
    let snippets = column(&index, "snippet");
    assert!(snippets[0].starts_with("Tony Blair has backed"), "{}", snippets[0]);
    assert!(!snippets.iter().any(|s| s.contains("CDATA") || s.contains("<p>")), "{snippets:?}");
    let days = index["articles"]["day"].as_array().expect("days");
    assert!(days.iter().all(Value::is_i64), "every post is dated: {days:?}");
}

#[test]
fn related_data_for_templates_is_what_the_lists_hold() {
    let dir = temp_dir();
    let input = fixture_str("news.jsonl");
    // Every match (the default minimum leaves a short text or two without a list).
    let args = [
        "index",
        &input,
        "--out",
        "site/index.json",
        "--layout",
        "clusters",
        "--related-lists",
        "4",
        "--min-score",
        "0",
    ];
    alike(dir.path(), &[&args[..], &["--related-data", "data/related.json"]].concat()).assert_ok();
    let data = read_json(&dir.path().join("data/related.json"));
    let data = data.as_object().expect("an object keyed by path");
    assert_eq!(data.len(), 45, "one list per article");
    let manifest = read_json(&dir.path().join("site/index.json"));
    let mut stored = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path().join("site/l")).expect("list files") {
        let file = read_json(&entry.expect("a file").path());
        for (key, list) in file["pages"].as_object().expect("pages") {
            stored.insert(key.clone(), list.clone());
        }
    }
    assert_eq!(stored.len(), 45, "{manifest}");
    for (path, list) in data {
        assert!(path.starts_with('/'), "{path}");
        let list = list.as_array().expect("a list");
        assert!(!list.is_empty() && list.len() <= 4, "{path}: {list:?}");
        assert!(
            list.iter().all(|entry| entry["url"] != path.as_str() && entry["title"].is_string()),
            "{path}"
        );
        // The same answer as the list the cluster layout stores for the
        // page (these paths are their own URL keys).
        assert_eq!(stored.get(path.as_str()), Some(&Value::Array(list.clone())), "{path}");
    }
}

/// The term-shard layout is retired: asking for it is an error that names
/// the layout to use, and writes nothing; a manifest it wrote (format
/// version 1 with `shards`) is refused with the rebuild hint.
#[test]
fn the_retired_sharded_layout_is_refused_clearly() {
    let dir = temp_dir();
    let input = fixture_str("news.jsonl");
    let run = alike(dir.path(), &["index", &input, "--out", "site/index.json", "--layout", "sharded"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--layout sharded") && run.stderr.contains("use --layout clusters"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("site").exists(), "nothing is written");
    // The flags that only the sharded layout read are gone.
    for flag in ["--articles-per-shard", "--terms-per-shard", "--remove-old-shards"] {
        let run = alike(dir.path(), &["index", &input, "--out", "site/index.json", flag]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(run.stderr.contains(flag), "{flag}: {}", run.stderr);
    }

    // A manifest as the term-shard layout wrote it: a single file's header with `shards`.
    alike(dir.path(), &["index", &input, "--out", "single.json", "--layout", "single", "--no-widget"])
        .assert_ok();
    let mut old = read_json(&dir.path().join("single.json"));
    let object = old.as_object_mut().expect("an object");
    object.remove("articles");
    object.remove("terms");
    object.insert("shards".into(), serde_json::json!({"generation": 7, "term_shard_bits": 4}));
    std::fs::write(dir.path().join("old.json"), old.to_string()).expect("write");
    let run = alike(dir.path(), &["query", "--index", "old.json", &input]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("written by an earlier alike (format version 1)"), "{}", run.stderr);
    assert!(run.stderr.contains("rebuild it with `alike index`"), "{}", run.stderr);
}

#[test]
fn the_widget_is_written_beside_the_index_from_inside_the_binary() {
    let dir = temp_dir();
    let input = fixture_str("news.jsonl");
    let run = alike(dir.path(), &["index", &input, "--out", "public/alike/index.json"]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "the widget (alike.js, engine-path.js, pkg/alike.js, pkg/alike_bg.wasm): 4 files written"
        ),
        "{}",
        run.stderr
    );
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/dist");
    for name in ["alike.js", "engine-path.js", "pkg/alike.js", "pkg/alike_bg.wasm"] {
        let written = std::fs::read(dir.path().join("public/alike").join(name)).expect("written");
        assert!(written == std::fs::read(dist.join(name)).expect("www/dist"), "{name} is www/dist's");
    }
    let wasm = std::fs::read(dir.path().join("public/alike/pkg/alike_bg.wasm")).expect("the wasm");
    assert_eq!(&wasm[..4], b"\0asm", "a WebAssembly module");
    // Unchanged files are left alone; --no-widget writes none.
    let run = alike(dir.path(), &["index", &input, "--out", "public/alike/index.json"]);
    assert!(run.stderr.contains(": 0 files written"), "{}", run.stderr);
    alike(dir.path(), &["index", &input, "--out", "bare/index.json", "--no-widget", "--layout", "single"])
        .assert_ok();
    let names: Vec<String> = std::fs::read_dir(dir.path().join("bare"))
        .expect("bare/")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["index.json"]);
}

#[test]
fn out_may_name_the_index_s_folder() {
    let dir = temp_dir();
    let input = fixture_str("news.jsonl");
    // A folder, new or existing, holds the manifest as index.json beside the
    // widget (which looks for it there), in either layout; `query` reads it so.
    for (out, layout) in [("public/alike", "single"), ("static/alike/", "clusters")] {
        let run = alike(dir.path(), &["index", &input, "--out", out, "--layout", layout]);
        run.assert_ok();
        let folder = dir.path().join(out);
        assert!(
            run.stderr.contains(&format!("into {}", Path::new(out).join("index.json").display())),
            "{}",
            run.stderr
        );
        assert!(read_json(&folder.join("index.json"))["format"] == "alike-index", "{out}: the manifest");
        assert!(folder.join("alike.js").is_file(), "{out}: the widget beside it");
        let query = alike(dir.path(), &["query", "--index", out, &input]);
        query.assert_ok();
    }
    // Built again into the folder that now exists: the same index, up to date.
    let run = alike(dir.path(), &["index", &input, "--out", "static/alike", "--layout", "clusters"]);
    assert!(run.stderr.contains("is up to date"), "{}", run.stderr);
    // A file without an extension that exists stays the index's file.
    alike(dir.path(), &["index", &input, "--out", "plain", "--layout", "single", "--no-widget"]).assert_ok();
    std::fs::rename(dir.path().join("plain/index.json"), dir.path().join("bare")).expect("moved");
    let run = alike(dir.path(), &["index", &input, "--out", "bare", "--layout", "single", "--no-widget"]);
    run.assert_ok();
    assert!(dir.path().join("bare").is_file(), "{}", run.stderr);
}

#[test]
fn a_built_site_gives_its_article_pages_and_passes_over_the_rest() {
    let dir = temp_dir();
    let lines: Vec<Value> = std::fs::read_to_string(fixture("news.jsonl"))
        .expect("the fixture")
        .lines()
        .take(6)
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    let layout = |head: &str, main: &str| {
        format!(
            "<!doctype html><html><head><title>Site</title>{head}</head><body><header><nav>\
             <a href='/'>Home</a> <a href='/tags/'>Tags</a></nav></header>{main}<footer>© Site</footer></body></html>"
        )
    };
    let paragraphs = |a: &Value| {
        a["body"].as_str().expect("a body").split("\n\n").map(|p| format!("<p>{p}</p>")).collect::<String>()
    };
    let mut teasers = String::new();
    for (i, a) in lines.iter().enumerate() {
        let title = a["title"].as_str().expect("a title");
        // Hugo-like pages say what they are; Eleventy-like ones do not.
        let head = if i % 2 == 0 { "<meta property='og:type' content='article'>" } else { "" };
        let main = format!("<main><article><h1>{title}</h1>{}</article></main>", paragraphs(a));
        write(dir.path(), &format!("public/2005/story-{i}/index.html"), layout(head, &main));
        let summary: String =
            a["body"].as_str().expect("a body").split_whitespace().take(70).collect::<Vec<_>>().join(" ");
        teasers.push_str(&format!(
            "<article><h2><a href='/2005/story-{i}/'>{title}</a></h2><p>{summary}</p></article>"
        ));
    }
    write(dir.path(), "public/index.html", layout("<meta property='og:type' content='website'>", &teasers));
    write(dir.path(), "public/page/2/index.html", layout("", &format!("<main>{teasers}</main>")));
    let tag_list = "<main><h1>Tag: markets</h1><p>Stories about markets, shares and the economy.</p><ul><li><a href='/2005/story-0/'>One</a></li><li><a href='/2005/story-1/'>Two</a></li></ul></main>";
    write(dir.path(), "public/tags/markets/index.html", layout("", tag_list));
    write(dir.path(), "public/404.html", layout("", "<main><h1>Page not found</h1><p>Sorry.</p></main>"));
    let search =
        "<main><h2><a href='/a/'>A</a></h2><h2><a href='/b/'>B</a></h2><h2><a href='/c/'>C</a></h2></main>";
    write(dir.path(), "public/search/index.html", layout("", search));

    let run =
        alike(dir.path(), &["index", "public", "--out", "public/alike/index.json", "--layout", "single"]);
    run.assert_ok();
    assert!(run.stderr.contains("indexed 6 articles"), "{}", run.stderr);
    // Each reason whole: "og:type is website" was counted as "og".
    let reasons = "passed over 5 pages that are not articles (2 a listing, 1 a 404 page, 1 og:type is website, 1 too little text for an article), listed by --verbose";
    assert!(run.stderr.contains(reasons), "{}", run.stderr);
    let index = read_json(&dir.path().join("public/alike/index.json"));
    let urls = column(&index, "url");
    assert_eq!(urls, (0..6).map(|i| format!("/2005/story-{i}/")).collect::<Vec<_>>());

    // --verbose names each page and why; --exclude and --include overrule
    // the rule; --base-url makes the paths' URLs absolute.
    let args = ["index", "public", "--out", "out/index.json", "--layout", "single", "--verbose", "--exclude"];
    let args = [&args[..], &["2005/story-5/**"]].concat();
    let args = [&args[..], &["--include", "tags/**", "--base-url", "https://example.com/blog/"]].concat();
    let run = alike(dir.path(), &args);
    run.assert_ok();
    for (page, why) in [
        ("public/index.html", "og:type is website"),
        ("public/page/2/index.html", "a listing"),
        ("public/404.html", "a 404 page"),
        ("public/search/index.html", "a listing: 3 headings link to other pages"),
        ("public/2005/story-5/index.html", "excluded by --exclude 2005/story-5/**"),
    ] {
        let line = format!("alike: passed over {page}: {why}");
        assert!(run.stderr.contains(&line), "{line} in:\n{}", run.stderr);
    }
    let urls = column(&read_json(&dir.path().join("out/index.json")), "url");
    assert!(urls.contains(&"https://example.com/blog/tags/markets/".to_string()), "{urls:?}");
    assert!(urls.contains(&"https://example.com/blog/2005/story-0/".to_string()), "{urls:?}");
    assert_eq!(urls.len(), 6, "5 stories and the included tag page: {urls:?}");
}

// Field 12, defect 1: a site served under a path, as GitHub Pages serves a
// project site (https://user.github.io/blog/), built without canonical
// links: its pages were indexed at their paths in the folder (/posts/a/),
// so every link in the box was a 404 and no page found its own list.
#[test]
fn a_site_served_under_a_path_is_indexed_at_the_urls_its_links_give() {
    let dir = temp_dir();
    let stories = news_stories(4);
    // What Hugo's relURL, Jekyll's relative_url and Eleventy's url filter
    // write under a base path: every link starts with it.
    let layout = |main: &str| {
        format!(
            "<!doctype html><html><head><title>Blog</title><link rel=stylesheet href=\"/blog/css/site.css\"></head>\
             <body><header><a href=\"/blog/\">Home</a> <a href=\"/blog/posts/\">Posts</a></header>{main}\
             <script type=module src=\"/blog/alike/alike.js\" data-index=\"/blog/alike/index.json\"></script></body></html>"
        )
    };
    let mut list = String::new();
    for (i, (title, body)) in stories.iter().enumerate() {
        write(
            dir.path(),
            &format!("public/posts/story-{i}.html"),
            layout(&format!("<article><h1>{title}</h1>{body}</article>")),
        );
        list.push_str(&format!("<li><a href=\"/blog/posts/story-{i}.html\">{title}</a></li>"));
    }
    write(dir.path(), "public/index.html", layout(&format!("<ul>{list}</ul>")));
    write(dir.path(), "public/posts/index.html", layout(&format!("<ul>{list}</ul>")));
    write(dir.path(), "public/css/site.css", "body {}");

    let run = alike(
        dir.path(),
        &["index", "public", "--out", "public/alike/index.json", "--related-data", "related.json"],
    );
    run.assert_ok();
    assert!(
        run.stderr.contains("public: the pages' links say the site is served under /blog/"),
        "{}",
        run.stderr
    );
    let urls: Vec<String> = (0..4).map(|i| format!("/blog/posts/story-{i}.html")).collect();
    let query =
        alike(dir.path(), &["query", "--index", "public/alike/index.json", "public/posts/story-0.html"]);
    query.assert_ok();
    let related: Value = serde_json::from_str(query.stdout.trim()).expect("a JSON line");
    assert!(
        related["related"][0]["url"].as_str().is_some_and(|url| urls.contains(&url.to_string())),
        "{related}"
    );
    let data = read_json(&dir.path().join("related.json"));
    let keys: Vec<&String> = data.as_object().expect("an object").keys().collect();
    assert_eq!(keys, urls.iter().collect::<Vec<_>>());

    // --base-url says where the site is, and is taken as it is.
    let run = alike(
        dir.path(),
        &[
            "index",
            "public",
            "--out",
            "out/index.json",
            "--layout",
            "single",
            "--base-url",
            "https://example.com/",
        ],
    );
    run.assert_ok();
    assert!(!run.stderr.contains("served under"), "{}", run.stderr);
    let urls = column(&read_json(&dir.path().join("out/index.json")), "url");
    assert_eq!(urls, (0..4).map(|i| format!("https://example.com/posts/story-{i}.html")).collect::<Vec<_>>());
}

// Field 14: Next.js (`output: 'export'`) and Astro (`build.format: 'file'`)
// write `posts/story.html` and link it as `/posts/story`, which is where
// Vercel, Netlify and Cloudflare Pages serve it (Cloudflare redirects the
// `.html` URL there). Indexed at `/posts/story.html`, no page found its
// stored list and `--related-data`'s keys missed the template's paths.
#[test]
fn a_site_that_links_its_pages_without_html_is_indexed_at_those_urls() {
    let dir = temp_dir();
    let stories = news_stories(4);
    let layout = |main: &str| {
        format!(
            "<!doctype html><html><head><title>Blog</title><script src=\"/_next/static/chunks/main.js\" defer></script></head>\
             <body><div id=\"__next\"><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav>{main}</div></body></html>"
        )
    };
    let mut list = String::new();
    for (i, (title, body)) in stories.iter().enumerate() {
        let next = (i + 1) % stories.len();
        write(
            dir.path(),
            &format!("out/posts/story-{i}.html"),
            layout(&format!(
                "<article><h1>{title}</h1>{body}</article><a href=\"/posts/story-{next}\">Next</a>"
            )),
        );
        list.push_str(&format!("<li><a href=\"/posts/story-{i}\">{title}</a></li>"));
    }
    write(dir.path(), "out/index.html", layout(&format!("<ul>{list}</ul>")));
    write(dir.path(), "out/about.html", layout("<p>A blog.</p>"));
    write(dir.path(), "out/_next/static/chunks/main.js", "");

    let run = alike(
        dir.path(),
        &["index", "out", "--out", "out/alike/index.json", "--related-data", "related.json", "--no-widget"],
    );
    run.assert_ok();
    assert!(run.stderr.contains("out: the pages' links name them without .html"), "{}", run.stderr);
    let data = read_json(&dir.path().join("related.json"));
    let keys: Vec<&String> = data.as_object().expect("an object").keys().collect();
    let urls: Vec<String> = (0..4).map(|i| format!("/posts/story-{i}")).collect();
    assert_eq!(keys, urls.iter().collect::<Vec<_>>());
    let linked = data["/posts/story-0"][0]["url"].as_str().expect("a related article");
    assert!(urls.contains(&linked.to_string()), "{linked}");

    // A site that links its pages with .html keeps it.
    let linked_with_html = std::fs::read_to_string(dir.path().join("out/index.html")).expect("the page");
    let with_html = linked_with_html.replace("\">", ".html\">").replace("/.html", "/");
    write(dir.path(), "out/index.html", with_html);
    for i in 0..4 {
        let path = dir.path().join(format!("out/posts/story-{i}.html"));
        let page = std::fs::read_to_string(&path).expect("the page");
        write(dir.path(), &format!("out/posts/story-{i}.html"), page.replace("\">Next", ".html\">Next"));
    }
    let run = alike(dir.path(), &["index", "out", "--out", "single/index.json", "--layout", "single"]);
    run.assert_ok();
    assert!(!run.stderr.contains("without .html"), "{}", run.stderr);
    let urls = column(&read_json(&dir.path().join("single/index.json")), "url");
    assert_eq!(urls, (0..4).map(|i| format!("/posts/story-{i}.html")).collect::<Vec<_>>());
}

// Field 14: `alike inspect pages/*.html | head` (or `alike query … | head`)
// ended with "alike: Broken pipe (os error 32)" and exit code 1, as if the
// command had failed when the reader had only stopped reading.
#[test]
fn output_cut_short_by_its_reader_is_no_error() {
    use std::io::Read;
    let dir = temp_dir();
    let (title, body) = &news_stories(1)[0];
    write(
        dir.path(),
        "story.html",
        format!("<title>{title}</title><article><h1>{title}</h1>{body}</article>"),
    );
    // Far more output than a pipe holds, so that alike writes after `head` has gone.
    let pages = vec!["story.html"; 500];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_alike"))
        .arg("inspect")
        .args(&pages)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("alike starts");
    let mut head = [0u8; 100];
    child.stdout.take().expect("stdout").read_exact(&mut head).expect("the first lines");
    let output = child.wait_with_output().expect("alike ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

// Field 14: a multilingual site (Hugo's /en/, /ja/ with `<html lang>`):
// Japanese has no spaces between words, so each paragraph counted as one
// word and every Japanese article was passed over as "too little text".
#[test]
fn a_multilingual_site_indexes_its_articles_in_every_script() {
    let dir = temp_dir();
    let layout = |lang: &str, title: &str, paragraphs: &[&str]| {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<!doctype html><html lang=\"{lang}\"><head><title>{title}</title></head><body><nav>\
             <a href=\"/en/\">English</a> <a href=\"/ja/\">日本語</a></nav><main><article><h1>{title}</h1>{body}</article></main></body></html>"
        )
    };
    for (i, (title, body)) in news_stories(3).iter().enumerate() {
        write(dir.path(), &format!("public/en/posts/{i}/index.html"), layout("en", title, &[body]));
    }
    let japanese = [
        (
            "日銀が金利を据え置き",
            [
                "日本銀行は十八日、金融政策決定会合で短期金利の誘導目標を据え置くことを決めた。物価の上昇は続いているものの、賃金の伸びが力強さを欠いているとして、追加の利上げは見送った。",
                "市場では年内の利上げを予想する声が多かったが、総裁は記者会見で海外経済の不確実性が高いと述べた。円相場は発表後に一時下落した。",
            ],
        ),
        (
            "円安で輸出企業の利益が増加",
            [
                "円安が続くなか、自動車や電機などの輸出企業の決算が好調だ。大手の自動車会社は今年度の営業利益の見通しを上方修正した。",
                "一方で、輸入品の価格が上がり、食品やエネルギーの値上げが家計を圧迫している。専門家は、金利の差が縮まらない限り円安の流れは変わりにくいと指摘している。",
            ],
        ),
        (
            "サッカー日本代表がアジア杯で優勝",
            [
                "サッカーのアジアカップ決勝が行われ、日本代表が二対一で逆転勝ちし、三大会ぶりの優勝を果たした。",
                "決勝点を決めたのは途中出場の若手フォワードで、監督は試合後、選手たちの粘り強さをたたえた。スタジアムには多くのサポーターが詰めかけた。",
            ],
        ),
    ];
    for (i, (title, paragraphs)) in japanese.iter().enumerate() {
        write(dir.path(), &format!("public/ja/posts/{i}/index.html"), layout("ja", title, paragraphs));
    }
    let run = alike(dir.path(), &["index", "public", "--out", "out/index.json", "--layout", "single"]);
    run.assert_ok();
    assert!(run.stderr.contains("indexed 6 articles"), "{}", run.stderr);
    let index = read_json(&dir.path().join("out/index.json"));
    let urls = column(&index, "url");
    assert!(urls.contains(&"/ja/posts/0/".to_string()), "{urls:?}");
    // The Japanese article's box holds Japanese articles only, best first.
    let query = alike(dir.path(), &["query", "--index", "out/index.json", "public/ja/posts/0/index.html"]);
    query.assert_ok();
    let related: Value = serde_json::from_str(query.stdout.trim()).expect("a JSON line");
    let related: Vec<&str> =
        related["related"].as_array().expect("a list").iter().filter_map(|r| r["url"].as_str()).collect();
    assert!(!related.is_empty() && related.iter().all(|url| url.starts_with("/ja/")), "{related:?}");
}

// Field 12: `jekyll serve` writes _site/ with every canonical link on
// http://localhost:4000; indexed as it was, every box on the live site
// linked to the site owner's own machine.
#[test]
fn urls_of_a_development_build_on_localhost_become_paths() {
    let dir = temp_dir();
    let stories = news_stories(3);
    for (i, (title, body)) in stories.iter().enumerate() {
        let host = if i == 2 { "127.0.0.1:8080" } else { "localhost:4000" };
        write(
            dir.path(),
            &format!("_site/2024/story-{i}/index.html"),
            format!(
                "<!doctype html><html><head><title>{title}</title><meta property=og:type content=article>\
                 <link rel=canonical href=\"http://{host}/2024/story-{i}/\"><meta property=og:image content=\"http://{host}/img/{i}.jpg\">\
                 </head><body><article><h1>{title}</h1>{body}</article></body></html>"
            ),
        );
    }
    let run = alike(dir.path(), &["index", "_site", "--out", "index.json", "--layout", "single"]);
    run.assert_ok();
    let warning = "_site: 3 pages name their URL on this machine (http://localhost:4000/2024/story-0/: a development build, as `jekyll serve` writes); their paths are indexed";
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    let index = read_json(&dir.path().join("index.json"));
    assert_eq!(column(&index, "url"), ["/2024/story-0/", "/2024/story-1/", "/2024/story-2/"]);
    assert_eq!(column(&index, "image"), ["/img/0.jpg", "/img/1.jpg", "/img/2.jpg"]);
}

// Field 12, defect 5: an AMP copy (or a print version) names the article
// as its canonical URL, so the folder held two pages of one URL and the
// build stopped at the second ("has the same url as article number 1"),
// after indexing the copy in the article's place.
#[test]
fn copies_that_name_an_article_as_canonical_are_passed_over() {
    let dir = temp_dir();
    let stories = news_stories(3);
    for (i, (title, body)) in stories.iter().enumerate() {
        let page = |html: &str, extra: &str| {
            format!(
                "<!doctype html><html{html}><head><title>{title}</title><meta property=og:type content=article>\
                 <link rel=canonical href=\"https://news.example.com/2024/story-{i}/\">{extra}</head>\
                 <body><article><h1>{title}</h1>{body}</article></body></html>"
            )
        };
        let amp = format!("<link rel=amphtml href=\"/2024/story-{i}/amp/\">");
        write(dir.path(), &format!("site/2024/story-{i}/index.html"), page("", &amp));
        // Sorted first, so read first: the copy must not win.
        write(dir.path(), &format!("site/2024/story-{i}/amp/index.html"), page(" amp", ""));
    }
    // Two copies and no page at the URL: the first in the folder is read.
    write(
        dir.path(),
        "site/print/story-0.html",
        std::fs::read(dir.path().join("site/2024/story-0/index.html")).expect("a page"),
    );

    let run = alike(dir.path(), &["index", "site", "--out", "index.json", "--layout", "single", "--verbose"]);
    run.assert_ok();
    assert!(run.stderr.contains("indexed 3 articles"), "{}", run.stderr);
    for copy in
        ["site/2024/story-0/amp/index.html", "site/print/story-0.html", "site/2024/story-2/amp/index.html"]
    {
        let line = format!(
            "alike: passed over {copy}: a copy (its canonical URL, https://news.example.com/2024/story-{}/, is also that of site/",
            if copy.contains("story-2") { 2 } else { 0 }
        );
        assert!(run.stderr.contains(&line), "{line} in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("passed over 4 pages that are not articles (4 a copy)"), "{}", run.stderr);
    let index = read_json(&dir.path().join("index.json"));
    let urls: Vec<String> = (0..3).map(|i| format!("https://news.example.com/2024/story-{i}/")).collect();
    assert_eq!(column(&index, "url"), urls);
}

#[test]
fn rss_feed_index_and_query() {
    let (index, _) = index_and_query(&fixture_str("feed.rss"), 15);
    let urls = column(&index, "url");
    assert!(urls.iter().all(|u| u.starts_with("https://news.example.com/")), "items' links: {urls:?}");
    assert_eq!(urls[0], "https://news.example.com/politics/001.html");
    let images = column(&index, "image");
    // media:thumbnail alone, media:content, image enclosure, in turn.
    assert_eq!(images[0], "https://img.example.com/politics/001.jpg");
    assert_eq!(images[1], "https://img.example.com/politics/002-large.jpg");
    assert_eq!(images[2], "https://img.example.com/politics/003.png");
    let sections: BTreeSet<String> = column(&index, "section").into_iter().collect();
    assert_eq!(sections, ["business", "entertainment", "politics"].map(String::from).into());
    // content:encoded, not the one-paragraph description, without the
    // pasted "Read more" link or the share links.
    for snippet in column(&index, "snippet") {
        assert!(snippet.matches(". ").count() >= 3, "the full content is read: {snippet}");
        for furniture in ["Read more", "Share on Facebook", "Tweet this"] {
            assert!(!snippet.contains(furniture), "{furniture:?} in {snippet}");
        }
    }
}

#[test]
fn atom_feed_index_and_query() {
    let (index, _) = index_and_query(&fixture_str("feed.atom"), 15);
    let urls = column(&index, "url");
    assert_eq!(urls[0], "https://news.example.com/tech/021.html", "the alternate link, not the replies feed");
    assert!(urls.iter().all(|u| !u.ends_with(".atom")), "{urls:?}");
    for snippet in column(&index, "snippet") {
        assert!(!snippet.contains("Email this"), "feedflare links are dropped: {snippet}");
    }
    let titles = column(&index, "title");
    assert!(titles.iter().all(|t| !t.contains('&') && !t.contains('<')), "titles are decoded: {titles:?}");
}

// Field 14: Blogger's exports are Atom, but hold the blog's template,
// settings, pages, drafts and readers' comments beside its posts. The
// classic backup (kind categories) stopped at its template ("has no
// link"); the 2018 one (Takeout's feed.atom: blogger:type, blogger:status,
// blogger:filename and no links) had nothing to index.
#[test]
fn a_blogger_export_gives_its_published_posts() {
    for (file, posts) in [
        (
            "blogger.xml",
            [
                "http://gardennotes.blogspot.com/2014/06/tomatoes-in-cold-greenhouse.html",
                "http://gardennotes.blogspot.com/2014/07/making-compost.html",
            ],
        ),
        (
            "blogger-takeout.atom",
            ["/2014/06/tomatoes-in-cold-greenhouse.html", "/2014/07/making-compost.html"],
        ),
    ] {
        let dir = temp_dir();
        let run = alike(
            dir.path(),
            &["index", &fixture_str(file), "--out", "index.json", "--layout", "single", "--no-widget"],
        );
        run.assert_ok();
        assert!(run.stderr.contains("indexed 2 articles"), "{file}: {}", run.stderr);
        assert!(run.stderr.contains("a Blogger comment"), "{file}: {}", run.stderr);
        let index = read_json(&dir.path().join("index.json"));
        assert_eq!(column(&index, "url"), posts, "{file}");
        // Blogger's kind category is no section; the post's first label is.
        assert_eq!(column(&index, "section"), ["tomatoes", "compost"], "{file}");
        assert_eq!(column(&index, "title")[0], "Tomatoes in a cold greenhouse", "{file}");
    }
}

// Field 14: Ghost (Settings → Advanced → Import/Export) exports one JSON
// document; it was read as JSON Lines and stopped at "line 1: has no url".
#[test]
fn a_ghost_export_gives_its_published_public_posts() {
    let dir = temp_dir();
    let run = alike(
        dir.path(),
        &["index", &fixture_str("ghost.json"), "--out", "index.json", "--layout", "single", "--no-widget"],
    );
    run.assert_ok();
    assert!(run.stderr.contains("indexed 6 articles"), "{}", run.stderr);
    // The page, the draft, the scheduled post and the members' post are
    // passed over, saying why: a members' post's text must not be published.
    for why in ["1 a Ghost page", "2 not published", "1 for members only"] {
        assert!(run.stderr.contains(why), "{why}: {}", run.stderr);
    }
    let index = read_json(&dir.path().join("index.json"));
    let urls: Vec<String> = (1..=6).map(|i| format!("/business-00{i}/")).collect();
    assert_eq!(column(&index, "url"), urls);
    // The primary tag is the section; internal tags (#newsletter) are left out.
    assert_eq!(column(&index, "section")[..2], ["Business", "Sport"]);
    assert_eq!(index["articles"]["day"][0], json!(19723), "2024-01-01, days since 1970");
    // Ghost writes its own URL as a placeholder, which is the site's root.
    assert_eq!(column(&index, "image")[0], "/content/images/2024/01/story-0.jpg");
}

#[test]
fn html_folder_index_and_query() {
    let (index, _) = index_and_query(&fixture_str("site"), 15);
    let urls = column(&index, "url");
    assert_eq!(
        urls,
        [
            // Canonical links where the page has one; else the page's path.
            "https://news.example.com/business/031",
            "https://news.example.com/business/032",
            "https://news.example.com/business/033",
            "https://news.example.com/business/034",
            "https://news.example.com/business/035",
            "/sport/032.html",
            "/sport/033.html",
            "/sport/034.html",
            "/sport/035.html",
            "/sport/036.html",
            "/tech/031/",
            "/tech/032/",
            "/tech/033/",
            "/tech/034/",
            "/tech/035/",
        ],
        "sorted, without the hidden .drafts page"
    );
    let titles = column(&index, "title");
    assert_eq!(
        titles[0], "Irish markets reach all-time high",
        "from JSON-LD, not the <title> with the site name"
    );
    assert_eq!(titles[5], "Bekele sets sights on world mark", "from the <h1>");
    assert!(titles.iter().all(|t| !t.contains("Daily Example") && !t.contains("Blog")), "{titles:?}");
    let images = column(&index, "image");
    assert_eq!(images[0], "https://img.example.com/031-16x9.jpg", "JSON-LD image before og:image");
    assert_eq!(images[10], "/images/031.png");

    let snippets = column(&index, "snippet");
    assert!(snippets[0].starts_with("Irish shares have risen to a record high"), "{}", snippets[0]);
    assert!(snippets[5].contains("Tickets cost £20."), "the windows-1252 page is decoded: {}", snippets[5]);
    let furniture = [
        "zebra",
        "Facebook",
        "Twitter",
        "Read more",
        "ALSO READ",
        "Lire aussi",
        "Advertisement",
        "Most read",
        "morning briefing",
        "Sign up",
        "Copyright",
        "Getty",
        "Printable",
        "Digg",
        "Win a holiday",
        "See also",
        "Previous post",
        "Skip to content",
        "Topics:",
        "More from this section",
        "Post comment",
        "JavaScript",
        "Front page",
        "Staff Reporter",
    ];
    for (url, snippet) in urls.iter().zip(&snippets) {
        assert!(snippet.len() > 300, "{url} has its article text: {snippet}");
        for word in furniture {
            assert!(
                !snippet.contains(word),
                "{url}: {word:?} is page furniture, not article text: {snippet}"
            );
        }
    }
}

#[test]
fn single_html_pages_and_json_feeds_are_inputs_too() {
    let dir = temp_dir();
    write(
        dir.path(),
        "news/one.html",
        "<html><head><title>Rates held</title></head><body><article><p>The bank held rates at 4.75%.</p></article></body></html>",
    );
    write(
        dir.path(),
        "news/two.htm",
        "<html><head><title>Rates rise</title></head><body><article><p>The bank raised rates to 5%.</p></article></body></html>",
    );
    write(
        dir.path(),
        "feed.json",
        json!({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [
            {"id": "1", "url": "https://x.example/bank", "title": "Bank rates", "content_text": "The bank and its rates."}
        ]})
        .to_string(),
    );
    alike(
        dir.path(),
        &["index", "news/one.html", "news/two.htm", "feed.json", "--out", "index.json", "--layout", "single"],
    )
    .assert_ok();
    let urls = column(&read_json(&dir.path().join("index.json")), "url");
    assert_eq!(urls, ["/news/one.html", "/news/two.htm", "https://x.example/bank"]);
}

/// Byte-identical output for the same input is what lets sites cache the
/// index and diff it in version control.
#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = temp_dir();
    for input in ["news.jsonl", "feed.rss", "feed.atom", "site"] {
        let input = fixture_str(input);
        alike(dir.path(), &["index", &input, "--out", "a.json", "--snippet-chars", "80"]).assert_ok();
        alike(dir.path(), &["index", &input, "--out", "b.json", "--snippet-chars", "80"]).assert_ok();
        let a = std::fs::read(dir.path().join("a.json")).expect("first index");
        let b = std::fs::read(dir.path().join("b.json")).expect("second index");
        assert!(a == b, "indexing {input} twice gave different files");
    }
}

#[test]
fn a_folder_builds_the_same_whatever_order_its_files_were_written_in() {
    let dir = temp_dir();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![fixture("site")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("the site fixture") {
            let path = entry.expect("an entry").path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files.reverse();
    for file in &files {
        let relative = file.strip_prefix(fixture("site")).expect("inside the fixture");
        write(
            dir.path(),
            &format!("copy/{}", relative.display()),
            std::fs::read(file).expect("a fixture file"),
        );
    }
    alike(dir.path(), &["index", &fixture_str("site"), "--out", "a.json"]).assert_ok();
    alike(dir.path(), &["index", "copy", "--out", "b.json"]).assert_ok();
    let a = std::fs::read(dir.path().join("a.json")).expect("first index");
    let b = std::fs::read(dir.path().join("b.json")).expect("second index");
    assert!(a == b, "the copy written in reverse order gave another index");
}

/// Reordering the articles reorders the index's rows, but the vocabulary,
/// the rows themselves and what each article is related to stay the same.
#[test]
fn article_order_changes_only_the_order() {
    let dir = temp_dir();
    let text = std::fs::read_to_string(fixture("news.jsonl")).expect("the fixture");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    write(dir.path(), "reversed.jsonl", lines.join("\n"));
    let news = fixture_str("news.jsonl");
    let single = ["--layout", "single", "--snippet-chars", "80"];
    alike(dir.path(), &[&["index", &news, "--out", "a.json"][..], &single].concat()).assert_ok();
    alike(dir.path(), &[&["index", "reversed.jsonl", "--out", "b.json"][..], &single].concat()).assert_ok();
    let (a, b) = (read_json(&dir.path().join("a.json")), read_json(&dir.path().join("b.json")));
    assert_ne!(a["articles"]["url"], b["articles"]["url"], "the rows did move");
    for key in ["format", "version", "language", "scoring"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    for key in ["count", "hashes", "df"] {
        assert_eq!(a["terms"][key], b["terms"][key], "terms.{key}");
    }
    let rows = |index: &Value| -> BTreeSet<Vec<String>> {
        let columns = ["url", "title", "section", "snippet"].map(|c| column(index, c));
        let days = index["articles"]["day"].as_array().expect("a day column").clone();
        (0..columns[0].len())
            .map(|i| {
                let mut row: Vec<String> = columns.iter().map(|c| c[i].clone()).collect();
                row.push(days[i].to_string());
                row
            })
            .collect()
    };
    assert_eq!(rows(&a), rows(&b));

    let urls = |run: Run| -> BTreeMap<String, Vec<String>> {
        related_by_url(&run.assert_ok().stdout, 3)
            .into_iter()
            .map(|(url, list)| {
                (url, list.iter().map(|r| r["url"].as_str().unwrap_or("").to_string()).collect())
            })
            .collect()
    };
    let from_a = urls(alike(dir.path(), &["query", "--index", "a.json", "--k", "3", &news]));
    let from_b = urls(alike(dir.path(), &["query", "--index", "b.json", "--k", "3", &news]));
    let differing: Vec<&String> = from_a.keys().filter(|url| from_a[*url] != from_b[*url]).collect();
    // Equal scores may be ordered by position; allow for a rare tie.
    assert!(differing.len() <= 2, "related lists changed with article order for {differing:?}");
}

/// The golden index was built once by `alike index` and committed; this
/// alike must go on loading it and giving the same answers. If it fails:
/// - after a deliberate change to the index format, bump `FORMAT_VERSION`
///   (old indexes must be refused, not misread) and regenerate;
/// - after a deliberate change to scoring, regenerate.
///
/// Regenerate with `ALIKE_BLESS=1 cargo test --test cli golden`, which
/// rebuilds `tests/fixtures/golden/index.json` from `articles.jsonl` and
/// records the answers in `query.jsonl`; review the diff before committing.
#[test]
fn golden_index_still_loads_and_answers_the_same() {
    let golden = fixture("golden");
    let query = |dir: &Path| {
        alike(
            dir,
            &["query", "--index", "index.json", "--k", "3", "--section-boost", "1.2", "articles.jsonl"],
        )
    };
    if std::env::var_os("ALIKE_BLESS").is_some() {
        alike(
            &golden,
            &[
                "index",
                "articles.jsonl",
                "--out",
                "index.json",
                "--snippet-chars",
                "60",
                // The golden articles' images are on another host: keep them.
                "--image-origins",
                "*",
                "--no-widget",
                "--quiet",
            ],
        )
        .assert_ok();
        let run = query(&golden);
        std::fs::write(golden.join("query.jsonl"), &run.assert_ok().stdout).expect("writable fixtures");
    }
    let index = read_json(&golden.join("index.json"));
    assert_eq!(
        index["version"],
        alike::FORMAT_VERSION,
        "the golden index is of another format version; see this test's comment"
    );
    let expected = std::fs::read_to_string(golden.join("query.jsonl")).expect("the golden answers");
    let run = query(&golden);
    run.assert_ok();
    assert!(
        run.stdout == expected,
        "the golden index answers differently; see this test's comment\nexpected:\n{expected}\ngot:\n{}",
        run.stdout
    );
    // The golden answers are themselves sane.
    let related = related_by_url(&expected, 3);
    assert_eq!(related.len(), 12);
    assert!(
        column(&index, "image").iter().any(|i| !i.is_empty())
            && column(&index, "snippet").iter().all(|s| !s.is_empty())
    );
}

/// Every key path of an index's JSON with the kinds of value found there:
/// what a reader of the format depends on.
fn shape(value: &Value, path: &str, out: &mut BTreeSet<String>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(items) => {
            for item in items {
                shape(item, &format!("{path}[]"), out);
            }
            "array"
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                shape(field, &format!("{path}.{key}"), out);
            }
            "object"
        }
    };
    out.insert(format!("{path}: {kind}"));
}

/// A reader of one format version must never be handed another format
/// under the same number: it would call it corrupt, or misread it. So if a
/// fresh build differs in shape from the golden index while the version is
/// the same, the format changed without a bump. Bump `FORMAT_VERSION` and
/// regenerate the golden index (see the test above).
#[test]
fn a_format_change_bumps_the_format_version() {
    let dir = temp_dir();
    let articles = fixture_str("golden/articles.jsonl");
    let args = ["index", &articles, "--out", "index.json", "--snippet-chars", "60", "--image-origins", "*"];
    alike(dir.path(), &args).assert_ok();
    let fresh = read_json(&dir.path().join("index.json"));
    let golden = read_json(&fixture("golden/index.json"));
    if fresh["version"] == golden["version"] {
        let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
        shape(&fresh, "", &mut a);
        shape(&golden, "", &mut b);
        let added: Vec<&String> = a.difference(&b).collect();
        let removed: Vec<&String> = b.difference(&a).collect();
        assert!(
            added.is_empty() && removed.is_empty(),
            "the index format changed but its version ({}) did not: bump FORMAT_VERSION and regenerate the \
             golden index\nnew: {added:?}\ngone: {removed:?}",
            fresh["version"]
        );
    }
}

#[test]
fn age_options_filter_by_date() {
    let dir = temp_dir();
    let news = fixture_str("news.jsonl");
    alike(dir.path(), &["index", &news, "--out", "index.json"]).assert_ok();
    let run = alike(
        dir.path(),
        &["query", "--index", "index.json", "--max-age-days", "90", "--today", "2005-06-30", &news],
    );
    let text = std::fs::read_to_string(&news).expect("the fixture");
    let mut seen = 0;
    for line in run.assert_ok().stdout.lines() {
        let line: Value = serde_json::from_str(line).expect("a JSON line");
        for item in line["related"].as_array().expect("a list") {
            let date = item["date"].as_str().expect("dated articles show their date");
            // Older than 90 days before "today" is out; newer ones stay.
            assert!(date >= "2005-04-01", "{date} is older than 90 days before 2005-06-30");
            seen += 1;
        }
    }
    assert!(
        seen > 0 && text.contains("\"date\": \"2004-"),
        "the window leaves some articles in and some out"
    );
}

// Bad input: exit code 1, and a message naming the file, the place in it and
// the problem; no index is written.

/// Runs `alike index` on files written into a temp dir and checks it fails
/// as a user should be told.
fn index_fails(files: &[(&str, &[u8])], inputs: &[&str], expected: &[&str]) -> Run {
    let dir = temp_dir();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    let mut args = vec!["index", "--out", "index.json"];
    args.extend(inputs);
    let run = alike(dir.path(), &args);
    assert_eq!(run.code, 1, "exit code; stderr: {}", run.stderr);
    assert!(run.stderr.starts_with("alike: "), "{}", run.stderr);
    for part in expected {
        assert!(run.stderr.contains(part), "{part:?} not in: {}", run.stderr);
    }
    assert!(!dir.path().join("index.json").exists(), "a failed build wrote an index");
    run
}

const GOOD: &str = "{\"url\": \"/a\", \"title\": \"Bank holds rates\", \"body\": \"The bank held rates.\"}\n\
                    {\"url\": \"/b\", \"title\": \"Bank raises rates\", \"body\": \"The bank raised rates.\"}\n";

fn with_good(bad: &str) -> Vec<u8> {
    format!("{GOOD}{bad}\n").into_bytes()
}

#[test]
fn a_malformed_json_line() {
    let run = index_fails(
        &[("a.jsonl", &with_good("{\"url\": \"/c\", \"title\": \"Cut off"))],
        &["a.jsonl"],
        &["a.jsonl line 3: is not valid JSON"],
    );
    assert!(run.stderr.contains("--skip-bad"), "record errors suggest --skip-bad: {}", run.stderr);
}

#[test]
fn a_missing_url() {
    index_fails(
        &[("a.jsonl", &with_good("{\"title\": \"No url\", \"body\": \"Text.\"}"))],
        &["a.jsonl"],
        &["a.jsonl line 3: has no \"url\""],
    );
}

#[test]
fn missing_text() {
    index_fails(
        &[("a.jsonl", &with_good("{\"url\": \"/c\"}"))],
        &["a.jsonl"],
        &["a.jsonl line 3:", "/c", "no \"title\" and no \"body\""],
    );
}

#[test]
fn a_field_of_the_wrong_type() {
    index_fails(
        &[("a.jsonl", &with_good("{\"url\": \"/c\", \"title\": 42}"))],
        &["a.jsonl"],
        &["a.jsonl line 3: has a field of the wrong type: \"title\" is a number where text is expected"],
    );
}

// Field 14: WordPress's REST API (`/wp-json/wp/v2/posts`, one post a line
// with `jq -c '.[]'`) gives `link`, `title: {"rendered": …}` and tags as
// numbers; the build stopped at "has a field of the wrong type (invalid
// type: map, expected a string at line 1 column 178)", naming no field.
#[test]
fn wordpress_rest_posts_as_json_lines_are_read() {
    let dir = temp_dir();
    let mut lines = String::new();
    for (i, (title, body)) in news_stories(2).iter().enumerate() {
        let post = json!({
            "id": 10 + i, "date": "2024-01-02T10:00:00", "slug": format!("s{i}"), "status": "publish",
            "link": format!("https://wp.example/2024/01/s{i}/"),
            "title": {"rendered": format!("{} &#8211; &#8220;update&#8221;", title.replace('\'', "&#8217;"))},
            "content": {"rendered": body, "protected": false}, "categories": [3], "tags": [5, 6],
        });
        lines.push_str(&format!("{post}\n"));
    }
    write(dir.path(), "posts.jsonl", lines);
    let run = alike(dir.path(), &["index", "posts.jsonl", "--out", "index.json", "--layout", "single"]);
    run.assert_ok();
    let index = read_json(&dir.path().join("index.json"));
    assert_eq!(column(&index, "url"), ["https://wp.example/2024/01/s0/", "https://wp.example/2024/01/s1/"]);
    let (title, _) = &news_stories(1)[0];
    assert_eq!(column(&index, "title")[0], format!("{title} – “update”"));
}

#[test]
fn a_duplicate_url() {
    index_fails(
        &[("a.jsonl", &with_good("{\"url\": \"https://news.example.com/a/\", \"title\": \"Again\"}"))],
        &["a.jsonl"],
        &["a.jsonl line 3:", "same url as article number 1 (/a)"],
    );
}

#[test]
fn a_bad_date() {
    index_fails(
        &[("a.jsonl", &with_good("{\"url\": \"/c\", \"title\": \"T\", \"date\": \"next tuesday\"}"))],
        &["a.jsonl"],
        &["a.jsonl line 3:", "\"next tuesday\" is not an ISO 8601 date"],
    );
}

#[test]
fn a_missing_input() {
    index_fails(
        &[("a.jsonl", GOOD.as_bytes())],
        &["a.jsonl", "missing.jsonl"],
        &["missing.jsonl: cannot be read"],
    );
}

#[test]
fn xml_that_is_not_a_feed() {
    let sitemap = b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>/a</loc></url></urlset>";
    index_fails(
        &[("sitemap.xml", sitemap)],
        &["sitemap.xml"],
        &["sitemap.xml: is not an RSS or Atom feed", "no root element"],
    );
}

#[test]
fn a_broken_feed() {
    let broken = b"<rss version=\"2.0\"><channel><item><title>Cut off</item></channel></rss>";
    index_fails(
        &[("feed.rss", broken)],
        &["feed.rss"],
        &["feed.rss: is not an RSS or Atom feed", "unable to parse"],
    );
}

#[test]
fn a_feed_item_without_a_link() {
    let feed = b"<rss version=\"2.0\"><channel><title>F</title>\
        <item><title>Good</title><link>https://x.example/1</link><description>Bank rates.</description></item>\
        <item><title>No link</title><description>Bank rates.</description></item></channel></rss>";
    index_fails(&[("feed.rss", feed)], &["feed.rss"], &["feed.rss item 2: has no link (\"No link\")"]);
}

#[test]
fn a_page_without_article_text() {
    let dir = temp_dir();
    write(dir.path(), "site/news/a.html", "<article><p>The bank held rates.</p></article>");
    write(
        dir.path(),
        "site/about.html",
        "<html><body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav></body></html>",
    );
    // In a folder, pages too short for an article are passed over, and
    // with none left the build says why and what to do.
    let run = alike(dir.path(), &["index", "site", "--out", "index.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no articles to index"), "{}", run.stderr);
    assert!(run.stderr.contains("passed over 2 pages that are not articles"), "{}", run.stderr);
    assert!(run.stderr.contains("use --include"), "{}", run.stderr);
    // A page named as an article, or taken by --include, must have text.
    for args in [&["site/about.html"][..], &["site", "--include", "about.html"]] {
        let run = alike(dir.path(), &[&["index", "--out", "index.json"][..], args].concat());
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("site/about.html: has no article text"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn an_empty_input() {
    index_fails(&[("empty.jsonl", b"")], &["empty.jsonl"], &["empty.jsonl: has no articles in it"]);
    index_fails(
        &[("empty.rss", b"<rss version=\"2.0\"><channel><title>F</title></channel></rss>")],
        &["empty.rss"],
        &["empty.rss: has no items"],
    );
}

#[test]
fn a_folder_without_pages() {
    index_fails(&[("site/style.css", b"p {}")], &["site"], &["site: has no .html or .htm pages"]);
}

#[test]
fn a_file_that_is_not_utf8() {
    let latin1 = b"{\"url\": \"/a\", \"title\": \"Caf\xe9 society\"}\n";
    index_fails(
        &[("latin1.jsonl", latin1)],
        &["latin1.jsonl"],
        &["latin1.jsonl line 1: is not UTF-8 text (bad byte at offset 27 of the line)", "iconv"],
    );
    // A page that says it is UTF-8 and is not; one that says nothing is
    // read as windows-1252, as browsers read it.
    let page = b"<html><head><meta charset=utf-8></head><body><article><p>Caf\xe9 society</p></article></body></html>";
    index_fails(&[("page.html", page)], &["page.html"], &["page.html: is not UTF-8 text", "<meta charset>"]);
    let dir = temp_dir();
    let undeclared =
        b"<html><body><article><h1>Caf\xe9 society</h1><p>The caf\xe9 opened.</p></article></body></html>";
    write(dir.path(), "old.html", undeclared);
    alike(dir.path(), &["index", "old.html", "--out", "index.json", "--layout", "single"]).assert_ok();
    assert_eq!(column(&read_json(&dir.path().join("index.json")), "title"), ["Café society"]);
    let feed = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>F</title>\
        <item><title>Caf\xe9</title><link>https://x.example/1</link></item></channel></rss>";
    index_fails(&[("feed.rss", feed)], &["feed.rss"], &["feed.rss: is not an RSS or Atom feed", "UTF-8"]);
}

#[test]
fn a_file_of_another_kind() {
    index_fails(
        &[("articles.csv", b"url,title\n/a,Rates held\n")],
        &["articles.csv"],
        &["articles.csv: is not an input alike reads"],
    );
}

#[test]
fn an_unknown_language() {
    // A usage error (exit 2), like every option value out of range.
    let dir = temp_dir();
    write(dir.path(), "a.jsonl", GOOD);
    let run = alike(dir.path(), &["index", "a.jsonl", "--out", "index.json", "--language", "klingon"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("unknown language \"klingon\"; use one of: arabic"), "{}", run.stderr);
    assert!(!dir.path().join("index.json").exists());
}

#[test]
fn skip_bad_warns_once_per_bad_record_and_counts_them() {
    let dir = temp_dir();
    let mut text = std::fs::read_to_string(fixture("news.jsonl")).expect("the fixture");
    let bad = [
        "{\"url\": \"/x\", \"title\": \"Cut off",
        "{\"title\": \"No url\", \"body\": \"Text.\"}",
        "{\"url\": \"/y\", \"title\": \"T\", \"date\": \"next tuesday\"}",
        "{\"url\": \"/business/001.html\", \"title\": \"Repeat\"}",
    ];
    for line in bad {
        text.push_str(line);
        text.push('\n');
    }
    write(dir.path(), "news.jsonl", text);
    let run = alike(
        dir.path(),
        &["index", "news.jsonl", "--out", "index.json", "--skip-bad", "--layout", "single"],
    );
    run.assert_ok();
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.starts_with("alike: warning: skipped")).collect();
    assert_eq!(warnings.len(), 4, "{}", run.stderr);
    for (warning, line) in warnings.iter().zip(46..) {
        assert!(warning.contains(&format!("news.jsonl line {line}:")), "{warning}");
    }
    assert!(
        run.stderr.contains("indexed 45 articles") && run.stderr.contains("skipped 4 bad records"),
        "{}",
        run.stderr
    );
    assert_eq!(column(&read_json(&dir.path().join("index.json")), "url").len(), 45);

    // Bad pages in a folder, and bad items in a feed, likewise.
    write(dir.path(), "site/a.html", "<article><p>The bank held rates.</p></article>");
    write(dir.path(), "site/b.html", "<article><p>The bank raised rates.</p></article>");
    write(dir.path(), "site/about.html", "<nav><a href='/'>Home</a></nav>");
    let run = alike(dir.path(), &["index", "site", "--out", "site.json", "--skip-bad", "--include", "*"]);
    run.assert_ok();
    assert!(run.stderr.contains("warning: skipped site/about.html: has no article text"), "{}", run.stderr);
    assert!(run.stderr.contains("skipped 1 bad records"), "{}", run.stderr);
}

/// Lists a folder, to show nothing was left behind.
fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_failed_build_keeps_the_old_index_and_leaves_nothing_behind() {
    let dir = temp_dir();
    write(dir.path(), "good.jsonl", GOOD);
    write(dir.path(), "bad.jsonl", with_good("{\"url\": \"/a\", \"title\": \"Repeat\"}"));
    alike(dir.path(), &["index", "good.jsonl", "--out", "index.json"]).assert_ok();
    let before = std::fs::read(dir.path().join("index.json")).expect("the good index");
    let files = listing(dir.path());

    for args in [
        vec!["index", "bad.jsonl", "--out", "index.json"],
        vec!["index", "good.jsonl", "missing.jsonl", "--out", "index.json"],
        vec!["index", "good.jsonl", "--out", "index.json", "--stop-words", "missing.txt"],
    ] {
        let run = alike(dir.path(), &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        let after = std::fs::read(dir.path().join("index.json")).expect("the index is still there");
        assert!(before == after, "{args:?} changed the existing index");
        assert_eq!(listing(dir.path()), files, "{args:?} left files behind");
    }
}

#[test]
fn an_index_that_cannot_be_written() {
    let dir = temp_dir();
    write(dir.path(), "good.jsonl", GOOD);
    // A folder in the index's place: the write fails at the rename, after
    // the temporary file was made, which must not be left behind.
    // (`--out taken` names the folder `taken`, whose index.json is a folder.)
    let taken = dir.path().join("taken");
    std::fs::create_dir_all(taken.join("index.json")).expect("a folder");
    let files = (listing(dir.path()), listing(&taken));
    let run = alike(dir.path(), &["index", "good.jsonl", "--out", "taken", "--no-widget"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write taken/index.json"), "{}", run.stderr);
    assert_eq!((listing(dir.path()), listing(&taken)), files, "the temporary file was left behind");
}

// Bad indexes: `alike query` says which kind of bad, exit code 1.

/// A good index, one file, for tests to damage.
fn good_index(dir: &Path) -> Value {
    write(dir, "good.jsonl", GOOD);
    alike(dir, &["index", "good.jsonl", "--out", "index.json", "--layout", "single"]).assert_ok();
    read_json(&dir.join("index.json"))
}

fn query_fails(dir: &Path, index: &str, expected: &[&str]) {
    let run = alike(dir, &["query", "--index", index, "good.jsonl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    for part in expected {
        assert!(run.stderr.contains(part), "{part:?} not in: {}", run.stderr);
    }
}

#[test]
fn query_on_a_missing_index() {
    let dir = temp_dir();
    good_index(dir.path());
    query_fails(dir.path(), "missing.json", &["cannot read index missing.json"]);
}

#[test]
fn query_on_json_that_is_not_an_index() {
    let dir = temp_dir();
    good_index(dir.path());
    write(dir.path(), "other.json", "{\"hello\": \"world\"}");
    query_fails(dir.path(), "other.json", &["cannot load index other.json", "not an alike index"]);
    write(dir.path(), "text.json", "Not JSON at all");
    query_fails(dir.path(), "text.json", &["cannot load index text.json", "not an alike index"]);
}

#[test]
fn query_on_an_index_of_another_version() {
    let dir = temp_dir();
    let mut index = good_index(dir.path());
    let newer = alike::FORMAT_VERSION + 1;
    index["version"] = json!(newer);
    write(dir.path(), "newer.json", index.to_string());
    query_fails(
        dir.path(),
        "newer.json",
        &[&format!("format version {newer}"), &format!("reads version {}", alike::FORMAT_VERSION), "rebuild"],
    );
}

#[test]
fn query_on_a_corrupt_index() {
    let dir = temp_dir();
    let mut index = good_index(dir.path());
    let postings =
        index["terms"]["articles"].as_str().expect("the postings' articles are a string").to_string();
    index["terms"]["articles"] = json!(postings[..postings.len() / 2]);
    write(dir.path(), "truncated.json", index.to_string());
    query_fails(
        dir.path(),
        "truncated.json",
        &["cannot load index truncated.json", "corrupt", "terms.articles"],
    );

    let mut index = good_index(dir.path());
    index["articles"]["title"] = json!(["only one"]);
    write(dir.path(), "columns.json", index.to_string());
    query_fails(dir.path(), "columns.json", &["corrupt", "articles.title has 1 entries"]);
}

#[test]
fn usage_errors_exit_2() {
    let dir = temp_dir();
    write(dir.path(), "good.jsonl", GOOD);
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["index"],
        vec!["index", "good.jsonl"],
        vec!["index", "good.jsonl", "--out", "i.json", "--bogus"],
        vec!["index", "good.jsonl", "--out", "i.json", "--terms-per-article", "many"],
        vec!["query", "good.jsonl"],
        vec!["query", "--index", "i.json", "--k", "-3", "good.jsonl"],
    ] {
        let run = alike(dir.path(), &args);
        assert_eq!(run.code, 2, "alike {args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("error:") || run.stderr.contains("Usage:"),
            "alike {args:?}: {}",
            run.stderr
        );
    }
    assert!(!dir.path().join("i.json").exists());
}

/// Option lines of a `--help` text (`  -o, --out <FILE>`), each with
/// whether a description follows it.
fn documented_options(help: &str) -> BTreeMap<String, bool> {
    let lines: Vec<&str> = help.lines().collect();
    let mut options = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("--") || (trimmed.starts_with('-') && trimmed.contains(", --")) {
            let long = trimmed[trimmed.find("--").unwrap_or(0)..]
                .split([' ', '<', ','])
                .next()
                .unwrap_or("")
                .to_string();
            let described = lines.get(i + 1).is_some_and(|next| !next.trim().is_empty());
            options.insert(long, described);
        }
    }
    options
}

#[test]
fn help_describes_every_option() {
    let dir = temp_dir();
    let top = alike(dir.path(), &["--help"]);
    top.assert_ok();
    assert!(top.stdout.contains("index") && top.stdout.contains("query"), "{}", top.stdout);
    assert!(alike(dir.path(), &["--version"]).assert_ok().stdout.starts_with("alike "));

    let cases: [(&str, &[&str]); 2] = [
        (
            "index",
            &[
                "--out",
                "--language",
                "--terms-per-article",
                "--title-weight",
                "--snippet-chars",
                "--skip-bad",
                "--quiet",
                "--help",
            ],
        ),
        (
            "query",
            &[
                "--index",
                "--k",
                "--max-age-days",
                "--half-life-days",
                "--section-boost",
                "--today",
                "--skip-bad",
                "--help",
            ],
        ),
    ];
    for (command, expected) in cases {
        let run = alike(dir.path(), &[command, "--help"]);
        run.assert_ok();
        let options = documented_options(&run.stdout);
        for option in expected {
            assert!(
                options.contains_key(*option),
                "alike {command} --help does not mention {option}:\n{}",
                run.stdout
            );
        }
        for (option, described) in &options {
            assert!(described, "alike {command} --help has no description for {option}");
        }
        assert!(run.stdout.contains("Example: alike"), "alike {command} --help has an example");
    }
}

/// A regression: the index came out private (0600, as temporary files are
/// made), so a web server running as another user could not serve it.
#[cfg(unix)]
#[test]
fn the_index_is_readable_by_the_web_server() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let input = fixture_str("news.jsonl");
    alike(dir.path(), &["index", &input, "--out", "index.json", "--quiet"]).assert_ok();
    let mode =
        std::fs::metadata(dir.path().join("index.json")).expect("the index exists").permissions().mode();
    assert_eq!(mode & 0o777, 0o644);

    // A rebuild keeps whatever mode the site owner gave the file.
    std::fs::set_permissions(dir.path().join("index.json"), std::fs::Permissions::from_mode(0o640))
        .expect("chmod");
    alike(dir.path(), &["index", &input, "--out", "index.json", "--quiet"]).assert_ok();
    let mode =
        std::fs::metadata(dir.path().join("index.json")).expect("the index exists").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn articles_without_text_are_named_once() {
    // An export whose text field alike does not read would otherwise be
    // indexed by its titles alone without a word.
    let dir = temp_dir();
    let lines = [
        r#"{"url":"/a","title":"Storm hits coast","article_text":"Winds of 100 mph hit the coast."}"#,
        r#"{"url":"/b","title":"Storm leaves town dark","article_text":"Power is out across the town."}"#,
        r#"{"url":"/c","title":"Council votes","text":"The council voted on the storm budget."}"#,
    ];
    let input = write(dir.path(), "a.jsonl", lines.join("\n"));
    let run = alike(dir.path(), &["index", &input, "--out", "index.json", "--no-widget", "--quiet"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("2 of 3 articles have a title but no text")
            && run.stderr.contains("(the first: ")
            && run.stderr.contains("a.jsonl line 1)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("JSON Lines articles take their text from \"body\""), "{}", run.stderr);
    let input = write(dir.path(), "b.jsonl", lines[2]);
    let run = alike(dir.path(), &["index", &input, "--out", "index.json", "--no-widget", "--quiet"]);
    run.assert_ok();
    assert!(!run.stderr.contains("no text"), "{}", run.stderr);
    // A feed's item of a picture alone: named, without the JSON Lines hint.
    let feed = "<rss version=\"2.0\"><channel><title>F</title>\
        <item><title>Storm in pictures</title><link>https://x.example/p</link><description>&lt;img src=\"a.jpg\"&gt;</description></item>\
        <item><title>Storm hits coast</title><link>https://x.example/s</link><description>Winds of 100 mph hit the coast.</description></item>\
        </channel></rss>";
    let input = write(dir.path(), "feed.rss", feed);
    let run = alike(dir.path(), &["index", &input, "--out", "index.json", "--no-widget", "--quiet"]);
    run.assert_ok();
    assert!(run.stderr.contains("1 of 2 articles have a title but no text"), "{}", run.stderr);
    assert!(!run.stderr.contains("JSON Lines"), "{}", run.stderr);
}
