//! `alike inspect` on the shared reader fixtures (tests/fixtures/pages): the
//! text the CLI reads is each page's expected text, and the report says
//! where it came from and what was left out. The widget reads the same
//! fixtures in tests/e2e/reader.test.mjs.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("fixtures").map(|e| e.expect("entry").path()).collect();
    pages.sort();
    pages
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn inspect(args: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_alike"))
        .arg("inspect")
        .arg("--json")
        .args(args)
        .output()
        .expect("alike runs")
}

#[test]
fn every_fixture_page_reads_as_its_expected_text() {
    let pages = fixtures();
    assert!(pages.len() >= 7);
    for page in pages {
        let out = inspect(&[&page.join("source.html")]);
        assert!(out.status.success(), "{}: {}", page.display(), String::from_utf8_lossy(&out.stderr));
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
        let expected = std::fs::read_to_string(page.join("expected.txt")).expect("expected.txt");
        assert_eq!(
            normalise(line["text"].as_str().expect("text")),
            normalise(&expected),
            "{}",
            page.display()
        );
    }
}

#[test]
fn inspect_says_where_the_text_came_from_and_what_was_left_out() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let out = inspect(&[&dir.join("teaser-json-ld/source.html"), &dir.join("boilerplate/source.html")]);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines[0]["text_from"], "the page", "a teaser articleBody is passed over");
    assert_eq!(lines[0]["date"], "2026-02-03T09:00:00Z");
    let reasons: Vec<&str> = lines[1]["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .map(|b| b["why"].as_str().expect("why"))
        .collect();
    for why in ["boilerplate", "mostly links", "named as furniture", "repeated"] {
        assert!(reasons.contains(&why), "{why} in {reasons:?}");
    }
}

#[test]
fn a_page_that_cannot_be_read_is_an_error_naming_it() {
    let out = inspect(&[Path::new("no/such/page.html")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no/such/page.html") && stderr.contains("cannot be read"), "{stderr}");
}
