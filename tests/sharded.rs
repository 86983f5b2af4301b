#![cfg(not(target_arch = "wasm32"))]
//! Sharded indexes through the real `alike` binary: they must rank exactly
//! as a single file built from the same articles, build reproducibly,
//! rebuild by rewriting only the shards that changed, and fail clearly when
//! a shard is missing or of another version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{Run, alike};

fn ok(dir: &Path, args: &[&str]) -> Run {
    let run = alike(dir, args);
    run.assert_ok();
    run
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news.jsonl")
}

/// The fixture's lines, as JSON Lines text.
fn sample_lines() -> Vec<String> {
    std::fs::read_to_string(sample()).expect("the fixture").lines().map(str::to_string).collect()
}

/// Small shards, so that even the fixture spreads over many of them; these
/// tests are about shards, so without the widget beside them.
const SMALL_SHARDS: &[&str] =
    &["--layout", "sharded", "--articles-per-shard", "4", "--terms-per-shard", "2", "--no-widget"];

fn build_sharded(dir: &Path, input: &str, out: &str) -> Run {
    build_sharded_with(dir, input, out, &[])
}

fn build_sharded_with(dir: &Path, input: &str, out: &str, extra: &[&str]) -> Run {
    let mut args = vec!["index", input, "--out", out];
    args.extend_from_slice(SMALL_SHARDS);
    args.extend_from_slice(extra);
    ok(dir, &args)
}

/// The fixture built sharded into `dir`/site; its path and the term shards'.
fn fixture_term_shards(dir: &Path) -> (String, Vec<PathBuf>) {
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded(dir, &input, "site/index.json");
    let shards = files(&dir.join("site")).into_keys().filter(|p| p.starts_with("t")).collect();
    (input, shards)
}

/// Every file under `dir`, with its bytes, keyed by path (these tests ask paths for their first component).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::files(dir).into_iter().map(|(path, bytes)| (PathBuf::from(path), bytes)).collect()
}

fn manifest(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the manifest")).expect("JSON")
}

#[test]
fn sharded_and_single_file_indexes_rank_alike() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    ok(dir.path(), &["index", &input, "--out", "single.json", "--layout", "single"]);
    build_sharded(dir.path(), &input, "sharded/index.json");

    let shards = files(&dir.path().join("sharded"));
    let terms = shards.keys().filter(|p| p.starts_with("t")).count();
    let articles = shards.keys().filter(|p| p.starts_with("a")).count();
    assert!(terms > 20 && articles > 5, "{terms} term shards, {articles} article shards");
    let manifest = manifest(&dir.path().join("sharded/index.json"));
    assert!(manifest["shards"].is_object() && manifest["terms"].is_null() && manifest["articles"].is_null());

    for k in ["3", "5"] {
        for extra in
            [&[][..], &["--section-boost", "1.5"][..], &["--max-age-days", "90", "--half-life-days", "30"]]
        {
            let mut single = vec!["query", "--index", "single.json", "--k", k, &input];
            single.extend_from_slice(extra);
            let mut sharded = vec!["query", "--index", "sharded/index.json", "--k", k, &input];
            sharded.extend_from_slice(extra);
            let (single, sharded) = (ok(dir.path(), &single), ok(dir.path(), &sharded));
            assert!(single.stdout.lines().count() > 40);
            assert_eq!(single.stdout, sharded.stdout, "k {k}, options {extra:?}");
        }
    }
}

/// Every indexed article has a list, best first, each entry with its score
/// (its similarity, on the engine's scale), none below the manifest's minimum (that the ranking is the whole-vector
/// one is checked beside it, in `build.rs`).
#[test]
fn each_related_list_is_scored_and_cut_at_the_minimum_score() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded(dir.path(), &input, "sharded/index.json");
    let manifest = manifest(&dir.path().join("sharded/index.json"));
    let length = manifest["shards"]["lists"]["length"].as_u64().expect("lists in the manifest");
    assert_eq!(length, 10, "the default");
    let min_score = manifest["shards"]["lists"]["min_score"].as_f64().expect("the default minimum");

    let mut lists: BTreeMap<String, Value> = BTreeMap::new();
    for (path, bytes) in files(&dir.path().join("sharded")) {
        if path.starts_with("l") {
            assert!(is_live(&manifest, &path), "{} is not the manifest's", path.display());
            let file: Value = serde_json::from_slice(&bytes).expect("JSON");
            assert_eq!(file["format"], "alike-lists");
            for (key, list) in file["pages"].as_object().expect("pages") {
                assert!(lists.insert(key.clone(), list.clone()).is_none(), "{key} is in two shards");
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
                "sharded",
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

/// A rebuild over an index whose lists' scores were the ranking's (no
/// `lists.scores`, builds before it) keeps none of its lists: each is
/// ranked and scored afresh, so that one index never holds two scales. (A
/// rebuild over lists of this scale keeps them, scores and all.)
#[test]
fn a_rebuild_over_lists_of_another_scale_scores_them_all_afresh() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    let site = dir.path().join("site");
    build_sharded(dir.path(), &input, "site/index.json");
    assert_eq!(manifest(&site.join("index.json"))["shards"]["lists"]["scores"], "cosine");
    // Every stored score set to 0.99, in place, as if of another scale.
    let rescore = || {
        for path in live_shards(&site).into_iter().filter(|p| p.starts_with("l")) {
            let mut file: Value =
                serde_json::from_slice(&std::fs::read(site.join(&path)).expect("read")).expect("JSON");
            for list in file["pages"].as_object_mut().expect("pages").values_mut() {
                list.as_array_mut().expect("a list").iter_mut().for_each(|r| r["score"] = 0.99.into());
            }
            std::fs::write(site.join(&path), file.to_string()).expect("write");
        }
    };
    let stored = || scored_lists(&site).into_values().flatten().map(|(_, score)| score).collect::<Vec<f64>>();
    rescore();
    build_sharded(dir.path(), &input, "site/index.json");
    assert!(stored().iter().all(|&s| s == 0.99), "a list of the same scale was not kept");
    // Without `scores`, as an older build left it.
    rescore();
    let path = site.join("index.json");
    let mut old = manifest(&path);
    old["shards"]["lists"].as_object_mut().expect("lists").remove("scores");
    std::fs::write(&path, old.to_string()).expect("write");
    build_sharded(dir.path(), &input, "site/index.json");
    assert_eq!(manifest(&path)["shards"]["lists"]["scores"], "cosine");
    let scores = stored();
    assert!(!scores.is_empty() && scores.iter().all(|&s| s < 0.99), "{scores:?}");
}

/// The lists in the live list shards of the index in `dir`, by URL key,
/// each entry with its score.
fn scored_lists(dir: &Path) -> BTreeMap<String, Vec<(String, f64)>> {
    let mut lists = BTreeMap::new();
    for path in live_shards(dir).iter().filter(|p| p.starts_with("l")) {
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

/// The lists in the live list shards of the index in `dir`, by URL key.
fn live_lists(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut lists = BTreeMap::new();
    for path in live_shards(dir).iter().filter(|p| p.starts_with("l")) {
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

/// Rankings shift a little with every rebuild, so a rebuild keeps each
/// list that no new article joins; the lists a new article joins are what
/// a build from scratch ranks.
#[test]
fn a_rebuild_rewrites_the_lists_new_articles_join() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let lines = sample_lines();
    let (old, _) = lines.split_at(lines.len() - 3);
    std::fs::write(dir.path().join("old.jsonl"), old.join("\n")).expect("write");
    std::fs::write(dir.path().join("all.jsonl"), lines.join("\n")).expect("write");
    build_sharded(dir.path(), "old.jsonl", "site/index.json");
    let before = live_lists(&dir.path().join("site"));
    build_sharded(dir.path(), "all.jsonl", "site/index.json");
    let after = live_lists(&dir.path().join("site"));
    assert_eq!(after.len(), lines.len());

    build_sharded(dir.path(), "all.jsonl", "fresh/index.json");
    let fresh = live_lists(&dir.path().join("fresh"));
    let (mut kept, mut joined) = (0, 0);
    for (url, ranked) in &fresh {
        let new_joins = ranked.iter().any(|u| !before.contains_key(u));
        match before.get(url) {
            Some(old) if !new_joins => {
                assert_eq!(&after[url], old, "{url}: a list no new article joins changed");
                kept += 1;
            }
            _ => {
                assert_eq!(&after[url], ranked, "{url}: a new or joined list is not ranked afresh");
                joined += 1;
            }
        }
    }
    assert!(kept > 0 && joined > 3, "{kept} lists kept, {joined} ranked afresh");
}

#[test]
fn a_manifest_with_broken_lists_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded(dir.path(), &input, "site/index.json");
    let good = manifest(&dir.path().join("site/index.json"));
    for (change, message) in [
        (serde_json::json!(30), "shards.lists.shard_bits is 30"),
        (serde_json::json!("AAA"), "shards.lists.versions"),
    ] {
        let mut broken = good.clone();
        let field = if change.is_number() { "shard_bits" } else { "versions" };
        broken["shards"]["lists"][field] = change;
        std::fs::write(dir.path().join("site/index.json"), broken.to_string()).expect("write");
        let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("corrupt") && run.stderr.contains(message), "{}", run.stderr);
    }
}

#[test]
fn related_lists_can_be_left_out() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded_with(dir.path(), &input, "site/index.json", &["--related-lists", "0"]);
    assert!(manifest(&dir.path().join("site/index.json"))["shards"]["lists"].is_null());
    assert!(!files(&dir.path().join("site")).keys().any(|p| p.starts_with("l")));
}

#[test]
fn a_query_reads_only_the_shards_it_needs() {
    let (read, all) = shards_one_query_reads(&[]);
    assert!(read > 0 && read * 2 < all, "one query read {read} of {all} shards");
}

#[test]
fn fewer_query_terms_read_fewer_shards() {
    let (default, _) = shards_one_query_reads(&[]);
    let (few, _) = shards_one_query_reads(&["--query-terms", "8"]);
    assert!(few < default, "8 query terms read {few} shards, the default {default}");
}

/// Builds the fixture sharded (with `extra` options), then counts the shard
/// files one query reads: every shard is removed, then put back one by one
/// as the query's error names it. Returns (read, all shard files).
fn shards_one_query_reads(extra: &[&str]) -> (usize, usize) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded_with(dir.path(), &input, "sharded/index.json", extra);
    let before = files(&dir.path().join("sharded"));
    for path in before.keys().filter(|p| !p.ends_with("index.json")) {
        std::fs::remove_file(dir.path().join("sharded").join(path)).expect("remove");
    }
    let line = &sample_lines()[0];
    std::fs::write(dir.path().join("one.jsonl"), line).expect("write");
    let mut restored = 0;
    loop {
        let run = alike(dir.path(), &["query", "--index", "sharded/index.json", "one.jsonl"]);
        if run.code == 0 {
            break;
        }
        let missing = before
            .keys()
            .find(|p| run.stderr.contains(&p.to_string_lossy().to_string()))
            .unwrap_or_else(|| panic!("the error names no shard: {}", run.stderr));
        assert!(run.stderr.contains("cannot read the shard"), "{}", run.stderr);
        std::fs::write(dir.path().join("sharded").join(missing), &before[missing]).expect("restore");
        restored += 1;
    }
    (restored, before.len() - 1)
}

#[test]
fn sharded_builds_are_reproducible() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample().to_str().expect("UTF-8 path").to_string();
    build_sharded(dir.path(), &input, "one/index.json");
    build_sharded(dir.path(), &input, "two/index.json");
    assert_eq!(files(&dir.path().join("one")), files(&dir.path().join("two")));
}

#[test]
fn a_rebuild_rewrites_only_the_shards_that_changed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let lines = sample_lines();
    let (old, new) = lines.split_at(lines.len() - 1);
    std::fs::write(dir.path().join("old.jsonl"), old.join("\n")).expect("write");
    std::fs::write(dir.path().join("all.jsonl"), lines.join("\n")).expect("write");

    build_sharded(dir.path(), "old.jsonl", "site/index.json");
    let first = files(&dir.path().join("site"));
    let generation = manifest(&dir.path().join("site/index.json"))["shards"]["generation"].as_u64();

    // The same articles again: nothing but the manifest is written.
    let run = build_sharded(dir.path(), "old.jsonl", "site/index.json");
    assert!(run.stderr.contains(", 0 of them written"), "{}", run.stderr);
    let again = manifest(&dir.path().join("site/index.json"));
    assert_eq!(again["shards"]["generation"].as_u64(), generation.map(|g| (g + 1) % (1 << 32)));
    assert_eq!(files(&dir.path().join("site")).len(), first.len(), "no new files");

    // One more article: the shards it touches are written under new names;
    // every file of the first build is still there, unchanged; and the
    // article shards before the last keep their names. (Term shards that
    // get the new article's postings change: see BENCHMARKS.md for how many
    // bytes a 1% addition rewrites.)
    assert_eq!(new.len(), 1);
    build_sharded(dir.path(), "all.jsonl", "site/index.json");
    let after = files(&dir.path().join("site"));
    for (path, bytes) in &first {
        if !path.ends_with("index.json") {
            assert_eq!(after.get(path), Some(bytes), "{} changed in place", path.display());
        }
    }
    let live = live_shards(&dir.path().join("site"));
    let old_articles: Vec<&PathBuf> = live.iter().filter(|p| p.starts_with("a")).collect();
    let rewritten_articles = old_articles.iter().filter(|p| !first.contains_key(**p)).count();
    assert!(
        old_articles.len() > 5 && rewritten_articles <= 2,
        "{rewritten_articles} article shards rewritten"
    );
    let rewritten = live.iter().filter(|p| !first.contains_key(*p)).count();
    assert!(
        rewritten > 0 && rewritten * 4 < live.len() * 3,
        "{rewritten} of {} shards rewritten",
        live.len()
    );

    // And it answers exactly as a build from scratch of all the articles.
    build_sharded(dir.path(), "all.jsonl", "fresh/index.json");
    let incremental = ok(dir.path(), &["query", "--index", "site/index.json", "all.jsonl"]);
    let fresh = ok(dir.path(), &["query", "--index", "fresh/index.json", "all.jsonl"]);
    assert_eq!(incremental.stdout, fresh.stdout);
}

#[test]
fn old_shards_go_on_request_and_the_replaced_manifests_stay() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let lines = sample_lines();
    let n = lines.len();
    for (name, upto) in [("a.jsonl", n - 2), ("b.jsonl", n - 1), ("c.jsonl", n)] {
        std::fs::write(dir.path().join(name), lines[..upto].join("\n")).expect("write");
    }
    let site = dir.path().join("site");
    build_sharded(dir.path(), "a.jsonl", "site/index.json");
    let first = live_shards(&site);
    build_sharded(dir.path(), "b.jsonl", "site/index.json");
    let second = live_shards(&site);
    // Files that are not shards of alike's naming stay whatever happens.
    std::fs::write(site.join("t/notes.txt"), "mine").expect("write");
    std::fs::write(site.join("t/1f-a3.json.gz"), "mine").expect("write");

    let run = build_sharded_with(dir.path(), "c.jsonl", "site/index.json", &["--remove-old-shards"]);
    let third = live_shards(&site);
    let gone: Vec<&PathBuf> = first.iter().filter(|p| !second.contains(p) && !third.contains(p)).collect();
    assert!(!gone.is_empty(), "the test needs shards only the first build named");
    assert!(run.stderr.contains(&format!(", {} old shard files removed", gone.len())), "{}", run.stderr);

    let left: Vec<PathBuf> = files(&site).into_keys().filter(|p| !p.ends_with("index.json")).collect();
    for path in &left {
        let mine = path.ends_with("notes.txt") || path.ends_with("1f-a3.json.gz");
        assert!(mine || second.contains(path) || third.contains(path), "{} is left", path.display());
    }
    for path in second.iter().chain(&third) {
        assert!(left.contains(path), "{} was removed", path.display());
    }
    assert!(
        left.iter().any(|p| p.ends_with("notes.txt")) && left.iter().any(|p| p.ends_with("1f-a3.json.gz"))
    );

    // And the index still answers as one built from scratch.
    build_sharded(dir.path(), "c.jsonl", "fresh/index.json");
    let kept = ok(dir.path(), &["query", "--index", "site/index.json", "c.jsonl"]);
    let fresh = ok(dir.path(), &["query", "--index", "fresh/index.json", "c.jsonl"]);
    assert_eq!(kept.stdout, fresh.stdout);
}

/// The shard files the manifest in `dir` points to.
fn live_shards(dir: &Path) -> Vec<PathBuf> {
    let manifest = manifest(&dir.join("index.json"));
    let shard = |p: &Path| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json");
    files(dir).into_keys().filter(|p| shard(p) && is_live(&manifest, p)).collect()
}

/// Whether a shard file is the one the manifest names for its shard.
fn is_live(manifest: &Value, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).expect("a file name");
    let (shard, version) = name.trim_end_matches(".json").split_once('-').expect("<shard>-<version>.json");
    let (shard, version) = (
        usize::from_str_radix(shard, 16).expect("hex shard"),
        u32::from_str_radix(version, 16).expect("hex version"),
    );
    let shards = &manifest["shards"];
    let generation = shards["generation"].as_u64().expect("a generation") as u32;
    let (versions, empty_marker) = if path.starts_with("t") {
        (&shards["term_versions"], true)
    } else if path.starts_with("l") {
        (&shards["lists"]["versions"], true)
    } else {
        (&shards["article_versions"], false)
    };
    let ages = vlqs(versions.as_str().expect("versions"));
    let age = ages[shard];
    if empty_marker {
        age != 0 && generation.wrapping_sub((age - 1) as u32) == version
    } else {
        generation.wrapping_sub(age as u32) == version
    }
}

/// Decodes base64 VLQ numbers (five bits a character, low first, the sixth
/// bit meaning more follow), as `docs/index-format.md` describes.
fn vlqs(text: &str) -> Vec<u64> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut value, mut shift) = (0u64, 0);
    for c in text.chars() {
        let digit = ALPHABET.find(c).expect("a base64 digit") as u64;
        value |= (digit & 31) << shift;
        shift += 5;
        if digit & 32 == 0 {
            out.push(value);
            value = 0;
            shift = 0;
        }
    }
    out
}

#[test]
fn a_missing_or_foreign_shard_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (input, shards) = fixture_term_shards(dir.path());

    // Another version: every shard claims version 99.
    for path in &shards {
        let full = dir.path().join("site").join(path);
        let text = std::fs::read_to_string(&full).expect("read").replace("\"version\":1,", "\"version\":99,");
        std::fs::write(&full, text).expect("write");
    }
    let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("format version 99") && run.stderr.contains("/t/"), "{}", run.stderr);

    // Gone: the error names the file.
    for path in &shards {
        std::fs::remove_file(dir.path().join("site").join(path)).expect("remove");
    }
    let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read the shard") && run.stderr.contains("site/t/"), "{}", run.stderr);

    // A manifest of another version is refused as a whole.
    let path = dir.path().join("site/index.json");
    let text = std::fs::read_to_string(&path).expect("read").replace("\"version\":1,", "\"version\":2,");
    std::fs::write(&path, text).expect("write");
    let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("format version 2"), "{}", run.stderr);
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

/// A regression: a shard file served under another shard's name filled the
/// other shard's slot, so the wanted one stayed missing and the query asked
/// for it for ever.
#[test]
fn a_shard_under_another_name_is_refused_not_looped_on() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (input, shards) = fixture_term_shards(dir.path());
    let second = &shards[1];
    let other = std::fs::read(dir.path().join("site").join(second)).expect("read");
    for path in &shards {
        if path != second {
            std::fs::write(dir.path().join("site").join(path), &other).expect("write");
        }
    }
    let run = alike(dir.path(), &["query", "--index", "site/index.json", &input]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("holds term shard"), "{}", run.stderr);
}

/// Articles that share only a copyright line (and common words) with the
/// archive never list each other, nor are listed by it, at the default
/// minimum score; the real stories keep theirs, but for a few short ones.
#[test]
fn boilerplate_alone_makes_no_related_list() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/boilerplate.jsonl");
    let input = input.to_str().expect("UTF-8 path");
    build_sharded(dir.path(), input, "site/index.json");
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
    build_sharded(dir.path(), &input, "site/index.json");
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
    build_sharded_with(
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
