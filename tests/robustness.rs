#![cfg(not(target_arch = "wasm32"))]
//! Defects a site would meet in ordinary use (issue 11), each pinned by the
//! real binary: an index its own loader refused, builds that destroyed
//! data or mixed their files, option values that were clamped in silence,
//! and images that made readers' browsers call other sites.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{alike, ok};

fn bbc_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bbc-sample/articles.jsonl")
}

fn sample_lines() -> Vec<String> {
    std::fs::read_to_string(bbc_sample()).expect("the BBC sample").lines().map(str::to_string).collect()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// The sample's lines with `sentence` appended to every body.
fn with_boilerplate(lines: &[String], sentence: &str) -> String {
    let mut out = String::new();
    for line in lines {
        let mut article: Value = serde_json::from_str(line).expect("a JSON line");
        let body = article["body"].as_str().expect("a body").to_string();
        article["body"] = Value::String(format!("{body}\n\n{sentence}"));
        out.push_str(&article.to_string());
        out.push('\n');
    }
    out
}

/// Every article of `input` gets an answer from the index at `index`.
fn query_answers_all(dir: &Path, index: &str, input: &str, count: usize) {
    let run = ok(dir, &["query", "--index", index, input]);
    assert_eq!(run.stdout.lines().count(), count, "one answer per article");
}

#[test]
fn an_index_with_a_word_in_every_article_loads() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("nine.jsonl"), lines[..9].join("\n")).expect("write");
    std::fs::write(dir.path().join("all.jsonl"), with_boilerplate(&lines, "Copyright Zanzibar Gazette."))
        .expect("write");
    for (input, count) in [("nine.jsonl", 9), ("all.jsonl", lines.len())] {
        for layout in ["single", "clusters"] {
            let out = format!("{layout}-{input}.json");
            ok(dir.path(), &["index", input, "--out", &out, "--layout", layout]);
            query_answers_all(dir.path(), &out, input, count);
        }
    }
}

#[test]
fn out_naming_an_input_is_refused_and_the_input_kept() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("articles.jsonl"), lines[..20].join("\n")).expect("write");
    let before = std::fs::read(dir.path().join("articles.jsonl")).expect("read");
    for out in ["articles.jsonl", "./articles.jsonl"] {
        let run = alike(dir.path(), &["index", "articles.jsonl", "--out", out]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("is one of the inputs"), "{}", run.stderr);
        assert_eq!(std::fs::read(dir.path().join("articles.jsonl")).expect("read"), before);
    }
}

#[test]
fn a_build_into_a_folder_another_build_holds_is_refused() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("articles.jsonl"), lines[..30].join("\n")).expect("write");
    std::fs::create_dir(dir.path().join("site")).expect("site/");
    // Hold the folder as a running build does.
    let held = std::fs::File::open(dir.path().join("site")).expect("open the folder");
    held.lock().expect("lock the folder");
    let run =
        alike(dir.path(), &["index", "articles.jsonl", "--out", "site/index.json", "--layout", "clusters"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("another `alike index` is writing into site"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(dir.path().join("site")).expect("list").count(), 0, "nothing written");
    drop(held);
    ok(dir.path(), &["index", "articles.jsonl", "--out", "site/index.json", "--layout", "clusters"]);
}

/// Builds racing for one folder: each either finishes or is refused, and
/// whatever is left loads and answers (before, one run in six left a
/// manifest naming the other run's files).
#[test]
fn concurrent_builds_into_one_folder_leave_an_index_that_loads() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("a.jsonl"), lines[..120].join("\n")).expect("write");
    std::fs::write(dir.path().join("b.jsonl"), lines[100..].join("\n")).expect("write");
    for round in 0..4 {
        let children: Vec<_> = ["a.jsonl", "b.jsonl"]
            .iter()
            .map(|input| {
                std::process::Command::new(env!("CARGO_BIN_EXE_alike"))
                    .args(["index", input, "--out", "site/index.json", "--layout", "clusters", "--quiet"])
                    .current_dir(dir.path())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("alike starts")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("alike ends");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() || stderr.contains("another `alike index` is writing"),
                "round {round}: {stderr}"
            );
        }
        query_answers_all(dir.path(), "site/index.json", "a.jsonl", 120);
    }
}

/// Two indexes in one folder share its c/ and l/ folders: rebuilding one
/// leaves the other answering.
#[test]
fn rebuilding_one_index_leaves_another_in_the_folder_answering() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("old.jsonl"), lines[..150].join("\n")).expect("write");
    std::fs::write(dir.path().join("new.jsonl"), lines[150..].join("\n")).expect("write");
    std::fs::write(dir.path().join("new2.jsonl"), lines[160..].join("\n")).expect("write");
    let clusters = ["--layout", "clusters", "--quiet"];
    ok(dir.path(), &[&["index", "old.jsonl", "--out", "site/news-2004.json"][..], &clusters].concat());
    ok(dir.path(), &[&["index", "new.jsonl", "--out", "site/news-2005.json"][..], &clusters].concat());
    for input in ["new2.jsonl", "new.jsonl"] {
        let args = [&["index", input, "--out", "site/news-2005.json", "--full"][..], &clusters].concat();
        ok(dir.path(), &args);
    }
    query_answers_all(dir.path(), "site/news-2004.json", "old.jsonl", 150);
    query_answers_all(dir.path(), "site/news-2005.json", "new.jsonl", lines.len() - 150);
}

#[test]
fn temporary_files_a_killed_build_left_are_removed_by_the_next() {
    let dir = temp_dir();
    let lines = sample_lines();
    std::fs::write(dir.path().join("articles.jsonl"), lines[..40].join("\n")).expect("write");
    let args = ["index", "articles.jsonl", "--out", "site/index.json", "--layout", "clusters"];
    ok(dir.path(), &args);
    let site = dir.path().join("site");
    let leftovers = [".alike-tmp-a1B2c3", "c/.alike-tmp-x", "l/.alike-tmp-y"];
    for leftover in leftovers {
        std::fs::write(site.join(leftover), "half a file").expect("write");
    }
    ok(dir.path(), &args);
    for leftover in leftovers {
        assert!(!site.join(leftover).exists(), "{leftover} is still there");
    }
}

#[test]
fn option_values_out_of_range_are_usage_errors() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("a.jsonl"), sample_lines()[..5].join("\n")).expect("write");
    let index = ["index", "a.jsonl", "--out", "i.json"];
    let query = ["query", "--index", "i.json", "a.jsonl"];
    for extra in [
        &["--related-lists", "1000"][..],
        &["--terms-per-article", "0"],
        &["--weight-bits", "9"],
        &["--title-weight", "0"],
        &["--title-weight", "NaN"],
        &["--language", "klingon"],
        &["--image-origins", "not an origin"],
    ] {
        let run = alike(dir.path(), &[&index[..], extra].concat());
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(extra[0]), "{extra:?} names the option: {}", run.stderr);
    }
    assert!(!dir.path().join("i.json").exists());
    ok(dir.path(), &index);
    for extra in [
        &["--k", "0"][..],
        &["--k", "101"],
        &["--half-life-days", "-1"],
        &["--section-boost", "0"],
        &["--today", "2005-13-45"],
    ] {
        let run = alike(dir.path(), &[&query[..], extra].concat());
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(!run.stderr.contains("line 1"), "{extra:?} is not about the input: {}", run.stderr);
    }
}

#[test]
fn the_single_file_layout_creates_the_out_folder() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("a.jsonl"), sample_lines()[..5].join("\n")).expect("write");
    ok(dir.path(), &["index", "a.jsonl", "--out", "static/alike/index.json", "--layout", "single"]);
    query_answers_all(dir.path(), "static/alike/index.json", "a.jsonl", 5);
}

#[test]
fn images_on_other_sites_are_left_out_unless_allowed() {
    let dir = temp_dir();
    let images = [
        ("/news/1.html", "/img/1.jpg", true),
        ("/news/2.html", "https://tracker.example.net/2.jpg", false),
        ("/news/3.html", "//tracker.example.net/3.jpg", false),
        ("/news/4.html", "\\\\tracker.example.net\\4.jpg", false),
        ("https://news.example.com/5.html", "https://news.example.com/img/5.jpg", true),
        ("/news/6.html", "https://cdn.example.com/6.jpg", false),
    ];
    let lines: Vec<String> = images
        .iter()
        .enumerate()
        .map(|(i, (url, image, _))| {
            serde_json::json!({"url": url, "title": format!("Story {i} of markets"),
                "body": "Shares and markets moved today as the bank spoke.", "image": image})
            .to_string()
        })
        .collect();
    std::fs::write(dir.path().join("a.jsonl"), lines.join("\n")).expect("write");
    let images_in = |out: &str| -> Vec<Option<String>> {
        let index: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(out)).expect("index"))
                .expect("JSON");
        let column = index["articles"]["image"].as_array().cloned().unwrap_or_default();
        (0..images.len()).map(|i| column.get(i).and_then(|v| v.as_str()).map(str::to_string)).collect()
    };
    let run = ok(dir.path(), &["index", "a.jsonl", "--out", "same.json", "--layout", "single"]);
    assert!(run.stderr.contains("left out 4 images on other sites"), "{}", run.stderr);
    for ((_, image, kept), stored) in images.iter().zip(images_in("same.json")) {
        assert_eq!(stored.is_some(), *kept, "{image}: {stored:?}");
    }
    ok(
        dir.path(),
        &[
            "index",
            "a.jsonl",
            "--out",
            "cdn.json",
            "--layout",
            "single",
            "--image-origins",
            "https://cdn.example.com",
        ],
    );
    assert_eq!(images_in("cdn.json")[5].as_deref(), Some("https://cdn.example.com/6.jpg"));
    ok(dir.path(), &["index", "a.jsonl", "--out", "any.json", "--layout", "single", "--image-origins", "*"]);
    assert!(images_in("any.json").iter().all(Option::is_some));
}
