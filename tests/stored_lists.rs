#![cfg(not(target_arch = "wasm32"))]
//! Stored related lists and the engine's answers through the real `alike`
//! binary, on the small news fixture in the cluster layout: lists scored and
//! cut at the minimum, left out on request, free of boilerplate matches and
//! of excluded sections; `--explain`; `--layout auto` by size; a cluster
//! file under another's name. (Moved from tests/sharded.rs when the
//! term-shard layout was retired; tests/clusters.rs has the layout's own.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{Run, alike, ok};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news.jsonl")
}

/// The fixture's lines, as JSON Lines text.
fn sample_lines() -> Vec<String> {
    std::fs::read_to_string(sample()).expect("the fixture").lines().map(str::to_string).collect()
}

/// Small clusters, so that even the fixture spreads over several; without
/// the widget beside them.
const SMALL_CLUSTERS: &[&str] = &["--layout", "clusters", "--cluster-size", "8", "--no-widget"];

fn build(dir: &Path, input: &str, out: &str) -> Run {
    build_with(dir, input, out, &[])
}

fn build_with(dir: &Path, input: &str, out: &str, extra: &[&str]) -> Run {
    let mut args = vec!["index", input, "--out", out];
    args.extend_from_slice(SMALL_CLUSTERS);
    args.extend_from_slice(extra);
    ok(dir, &args)
}

/// Every file under `dir`, with its bytes, keyed by path (these tests ask paths for their first component).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::files(dir).into_iter().map(|(path, bytes)| (PathBuf::from(path), bytes)).collect()
}

fn manifest(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the manifest")).expect("JSON")
}

/// Every indexed article has a list, best first, each entry with its score
/// (its similarity, on the engine's scale), none below the manifest's minimum (that the ranking is the whole-vector
/// one is checked beside it, in `build.rs`).
#[test]
fn each_related_list_is_scored_and_cut_at_the_minimum_score() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build(dir.path(), &input, "site/index.json");
    let manifest = manifest(&dir.path().join("site/index.json"));
    let length = manifest["lists"]["length"].as_u64().expect("lists in the manifest");
    assert_eq!(length, 10, "the default");
    let min_score = manifest["lists"]["min_score"].as_f64().expect("the default minimum");

    let mut lists: BTreeMap<String, Value> = BTreeMap::new();
    for (path, bytes) in files(&dir.path().join("site")) {
        if path.starts_with("l") {
            assert!(is_live(&manifest, &path), "{} is not the manifest's", path.display());
            let file: Value = serde_json::from_slice(&bytes).expect("JSON");
            assert_eq!(file["format"], "alike-lists");
            for (key, list) in file["pages"].as_object().expect("pages") {
                assert!(lists.insert(key.clone(), list.clone()).is_none(), "{key} is in two files");
            }
        }
    }
    assert_eq!(lists.len(), sample_lines().len(), "one list per article");
    let urls: Vec<String> = sample_lines()
        .iter()
        .map(|line| {
            serde_json::from_str::<Value>(line).expect("JSON")["url"].as_str().expect("url").to_string()
        })
        .collect();
    for (url, list) in &lists {
        let list = list.as_array().expect("a list");
        assert!(!list.is_empty() && list.len() <= 10, "{url}: {}", list.len());
        // Ranked with the archive's clusters, scored by similarity alone:
        // the order is the ranking's, not the scores'.
        let scores: Vec<f64> = list.iter().map(|r| r["score"].as_f64().expect("a score")).collect();
        assert!(scores.iter().all(|s| (min_score..=1.0).contains(s)), "{url}: {scores:?}");
        for listed in list {
            let listed = listed["url"].as_str().expect("a url");
            assert!(listed != url && urls.iter().any(|u| u == listed), "{url} lists {listed}");
        }
    }

    // --min-score 0 keeps every match; a higher one cuts the lists.
    for (score, folder) in [("0", "all"), ("0.4", "strict")] {
        ok(
            dir.path(),
            &[
                "index",
                &input,
                "--out",
                &format!("{folder}/index.json"),
                "--layout",
                "clusters",
                "--min-score",
                score,
                "--no-widget",
            ],
        );
    }
    let (all, strict) = (live_lists(&dir.path().join("all")), live_lists(&dir.path().join("strict")));
    let count = |lists: &BTreeMap<String, Vec<String>>| lists.values().map(Vec::len).sum::<usize>();
    assert!(count(&strict) < count(&all), "{} {}", count(&strict), count(&all));
    // A cut list is the whole one less its entries under the minimum, in
    // the same order (scores are stored in hundredths: 0.40 may be either).
    let all_scored = scored_lists(&dir.path().join("all"));
    for (key, list) in &strict {
        let mut kept = list.iter().peekable();
        for (url, score) in &all_scored[key] {
            if kept.next_if(|u| *u == url).is_some() {
                assert!(*score >= 0.4, "{key}: {url} {score}");
            } else {
                assert!(*score <= 0.4, "{key}: {url} {score} was cut");
            }
        }
        assert!(kept.next().is_none(), "{key}: {list:?} is not a part of the whole list");
    }
    let bad = alike(dir.path(), &["index", &input, "--out", "x/index.json", "--min-score", "2"]);
    assert!(bad.code != 0 && bad.stderr.contains("not a score from 0 to 1"), "{}", bad.stderr);
}

/// The lists in the list files of the index in `dir`, by URL key, each
/// entry with its score.
fn scored_lists(dir: &Path) -> BTreeMap<String, Vec<(String, f64)>> {
    let mut lists = BTreeMap::new();
    for path in live_lists_files(dir) {
        let file: Value =
            serde_json::from_slice(&std::fs::read(dir.join(path)).expect("read")).expect("JSON");
        for (key, list) in file["pages"].as_object().expect("pages") {
            let entries = list.as_array().expect("a list").iter();
            let entries = entries.map(|r| {
                (r["url"].as_str().expect("url").to_string(), r["score"].as_f64().expect("a score"))
            });
            lists.insert(key.clone(), entries.collect());
        }
    }
    lists
}

/// The lists in the list files of the index in `dir`, by URL key.
fn live_lists(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut lists = BTreeMap::new();
    for path in live_lists_files(dir) {
        let file: Value =
            serde_json::from_slice(&std::fs::read(dir.join(path)).expect("read")).expect("JSON");
        for (key, list) in file["pages"].as_object().expect("pages") {
            let urls = list
                .as_array()
                .expect("a list")
                .iter()
                .map(|r| r["url"].as_str().expect("a url").to_string());
            lists.insert(key.clone(), urls.collect());
        }
    }
    lists
}

#[test]
fn related_lists_can_be_left_out() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_with(dir.path(), &input, "site/index.json", &["--related-lists", "0"]);
    let manifest = manifest(&dir.path().join("site/index.json"));
    assert_eq!(manifest["layout"], "clusters");
    assert!(manifest["lists"].is_null());
    assert!(!files(&dir.path().join("site")).keys().any(|p| p.starts_with("l")));
}

/// The list files of the manifest in `dir`, relative to it.
fn live_lists_files(dir: &Path) -> Vec<PathBuf> {
    let manifest = manifest(&dir.join("index.json"));
    files(dir).into_keys().filter(|p| p.starts_with("l") && is_live(&manifest, p)).collect()
}

/// Whether a list file is of the manifest's generation (a full build's
/// are all; `l/<bucket>-<generation>.json`).
fn is_live(manifest: &Value, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).expect("a file name");
    let (_, version) = name.trim_end_matches(".json").split_once('-').expect("<bucket>-<generation>.json");
    let generation = manifest["generation"].as_u64().expect("a generation");
    u64::from_str_radix(version, 16).expect("hex generation") == generation
}

/// Without related lists (with them `auto` always takes clusters:
/// tests/clusters.rs), `--layout auto` keeps one file while it is small,
/// and takes clusters once one file would be large.
#[test]
fn auto_layout_keeps_one_file_only_while_it_is_small() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    let run = ok(dir.path(), &["index", &input, "--out", "small.json", "--related-lists", "0"]);
    assert!(run.stderr.contains("gzipped"), "{}", run.stderr);
    assert!(manifest(&dir.path().join("small.json"))["terms"].is_object(), "a small archive is one file");

    // A large archive: the fixture's paragraphs recombined into 3,000
    // distinct articles, each a different mix, deterministically.
    let paragraphs: Vec<String> = sample_lines()
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
        .flat_map(|a| a["body"].as_str().unwrap_or("").split("\n\n").map(str::to_string).collect::<Vec<_>>())
        .filter(|p| p.len() > 80)
        .collect();
    assert!(paragraphs.len() > 50);
    let mut state: u64 = 1;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut text = String::new();
    for i in 0..3000 {
        let body: Vec<&str> = (0..4).map(|_| paragraphs[next(paragraphs.len())].as_str()).collect();
        let article = serde_json::json!({"url": format!("/a/{i}"), "title": body[0].chars().take(60).collect::<String>(), "body": body.join("\n\n")});
        text.push_str(&article.to_string());
        text.push('\n');
    }
    std::fs::write(dir.path().join("large.jsonl"), text).expect("write");
    let run = ok(dir.path(), &["index", "large.jsonl", "--out", "large/index.json", "--related-lists", "0"]);
    assert!(run.stderr.contains("as clusters (--layout auto)"), "{}", run.stderr);
    assert_eq!(
        manifest(&dir.path().join("large/index.json"))["layout"],
        "clusters",
        "a large archive is clustered"
    );
}

/// A regression (first seen with term shards): a file served under another
/// file's name filled the other's slot, so the wanted one stayed missing
/// and the query asked for it for ever.
#[test]
fn a_cluster_file_under_another_name_is_refused_not_looped_on() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build(dir.path(), &input, "site/index.json");
    let clusters: Vec<PathBuf> =
        files(&dir.path().join("site")).into_keys().filter(|p| p.starts_with("c")).collect();
    assert!(clusters.len() > 2, "{clusters:?}");
    let second = &clusters[1];
    let other = std::fs::read(dir.path().join("site").join(second)).expect("read");
    for path in &clusters {
        if path != second {
            std::fs::write(dir.path().join("site").join(path), &other).expect("write");
        }
    }
    let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("holds cluster file"), "{}", run.stderr);
}

/// Articles that share only a copyright line (and common words) with the
/// archive never list each other, nor are listed by it, at the default
/// minimum score; the real stories keep theirs, but for a few short ones.
#[test]
fn boilerplate_alone_makes_no_related_list() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/boilerplate.jsonl");
    let input = input.to_str().expect("UTF-8 path");
    build(dir.path(), input, "site/index.json");
    let lists = live_lists(&dir.path().join("site"));
    let loners = ["/lifestyle/sourdough.html", "/science/comet.html", "/lifestyle/knitting.html"];
    for loner in loners {
        assert!(lists[loner].is_empty(), "{loner} lists {:?}", lists[loner]);
    }
    for (url, list) in lists.iter().filter(|(url, _)| !loners.contains(&url.as_str())) {
        assert!(list.iter().all(|u| !loners.contains(&u.as_str())), "{url}: {list:?}");
    }
    // The real articles keep three links or more, but for a few whose
    // short texts score under the minimum (whole-vector cosine, on the
    // engine's scale): never more than the engine path leaves short at the
    // same minimum.
    let short = |lengths: Vec<(String, usize)>| -> Vec<String> {
        lengths
            .into_iter()
            .filter(|(url, n)| *n < 3 && !loners.contains(&url.as_str()))
            .map(|(url, _)| url)
            .collect()
    };
    let listed_short = short(lists.iter().map(|(url, list)| (url.clone(), list.len())).collect());
    let engine = ok(dir.path(), &["query", "--index", "site/index.json", "--k", "10", input]);
    let engine_short = short(
        engine
            .stdout
            .lines()
            .map(|line| {
                let line: Value = serde_json::from_str(line).expect("JSON");
                (
                    line["url"].as_str().expect("url").to_string(),
                    line["related"].as_array().expect("related").len(),
                )
            })
            .collect(),
    );
    assert!(
        listed_short.len() <= 3 && listed_short.len() <= engine_short.len(),
        "{listed_short:?} {engine_short:?}"
    );

    // `alike query --min-score` holds the engine's answers to it too.
    let all = ok(dir.path(), &["query", "--index", "site/index.json", input]);
    let strict = ok(dir.path(), &["query", "--index", "site/index.json", "--min-score", "0.2", input]);
    let scores = |run: &Run| -> Vec<f64> {
        run.stdout
            .lines()
            .flat_map(|line| {
                let line: Value = serde_json::from_str(line).expect("JSON");
                let related = line["related"].as_array().expect("related").clone();
                related.into_iter().map(|r| r["score"].as_f64().expect("a score"))
            })
            .collect()
    };
    let (all, strict) = (scores(&all), scores(&strict));
    assert!(all.iter().all(|s| (0.0..=1.0).contains(s)), "graded scores: {all:?}");
    assert!(strict.len() < all.len() && strict.iter().all(|&s| s >= 0.2), "{strict:?}");
    let bad = alike(dir.path(), &["query", "--index", "site/index.json", "--min-score", "1.5", input]);
    assert!(bad.code != 0 && bad.stderr.contains("not a score from 0 to 1"), "{}", bad.stderr);
}

/// `alike query --explain`: per result, the shared terms that weigh most,
/// as words of the query's own text, and the factors applied.
#[test]
fn explain_names_shared_words_and_factors() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build(dir.path(), &input, "site/index.json");
    let args = [
        "query",
        "--index",
        "site/index.json",
        "--explain",
        "--section-boost",
        "1.2",
        "--half-life-days",
        "30",
    ];
    let run = ok(dir.path(), &[&args[..], &[input.as_str()]].concat());
    let texts: BTreeMap<String, Value> = sample_lines()
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
        .map(|v| (v["url"].as_str().expect("url").to_string(), v))
        .collect();
    for line in run.stdout.lines() {
        let line: Value = serde_json::from_str(line).expect("JSON");
        let query = &texts[line["url"].as_str().expect("url")];
        let text = format!("{} {}", query["title"], query["body"]).to_lowercase();
        let related = line["related"].as_array().expect("related");
        let why = line["why"].as_array().expect("why");
        assert_eq!(related.len(), why.len());
        for (result, why) in related.iter().zip(why) {
            let terms = why["terms"].as_array().expect("terms");
            assert!(!terms.is_empty() && terms.len() <= 5, "{why}");
            let parts: Vec<f64> = terms.iter().map(|t| t[1].as_f64().expect("a part")).collect();
            assert!(parts.windows(2).all(|w| w[0] >= w[1]), "strongest first: {why}");
            for term in terms {
                let word = term[0].as_str().expect("a word");
                assert!(!word.is_empty() && text.contains(word), "{word} is not in the query's text");
            }
            let same_section = result["section"] == query["section"];
            assert_eq!(why.get("section_boost").is_some(), same_section, "{result} {why}");
            let (age, factor) =
                (why["age"][0].as_f64().expect("an age"), why["age"][1].as_f64().expect("a factor"));
            assert!((factor - 0.5f64.powf(age / 30.0)).abs() < 1e-4, "{why}");
        }
    }
    let plain = ok(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert!(!plain.stdout.contains("\"why\""), "the terms travel only when asked for");
}

/// `--exclude-sections` and `--exclude-tags`: those articles are in no
/// stored list and no `alike query` answer, yet have lists of their own.
#[test]
fn excluded_sections_and_tags_are_never_recommended() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut lines: Vec<Value> =
        sample_lines().iter().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    lines[0]["tags"] = serde_json::json!(["Sponsored"]);
    let tagged = lines[0]["url"].as_str().expect("url").to_string();
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(dir.path().join("in.jsonl"), text.join("\n")).expect("write");
    build_with(
        dir.path(),
        "in.jsonl",
        "site/index.json",
        &["--exclude-sections", "SPORT", "--exclude-tags", "sponsored"],
    );
    let lists = live_lists(&dir.path().join("site"));
    let hidden = |url: &str| url == tagged || url.starts_with("/sport/");
    let mut own = 0;
    for (url, list) in &lists {
        assert!(list.iter().all(|u| !hidden(u)), "{url} lists {list:?}");
        own += usize::from(hidden(url) && !list.is_empty());
    }
    assert!(own > 5, "hidden articles still get their own lists ({own})");
    let run = ok(dir.path(), &["query", "--index", "site/index.json", "in.jsonl"]);
    for line in run.stdout.lines() {
        let line: Value = serde_json::from_str(line).expect("JSON");
        for related in line["related"].as_array().expect("related") {
            assert!(!hidden(related["url"].as_str().expect("url")), "{line}");
        }
    }
}
