#![cfg(not(target_arch = "wasm32"))]
//! Rebuilds that touch little, through the real `alike` binary on the
//! 333-article BBC sample in clusters of 40: a rebuild that adds 1% more
//! articles keeps every file of the previous index byte for byte and under
//! its name (its engine file too), and writes only the delta files, the
//! recent-list files (new articles' lists whole, patches of the old lists
//! they enter) and the manifest; its answers for the new articles are close to a
//! full build's; anything but an addition builds afresh, and says why.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{Run, files, ok};

fn sample() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bbc-sample/articles.jsonl");
    std::fs::read_to_string(path).expect("the sample").lines().map(str::to_string).collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("index/index.json")).expect("a manifest")).expect("JSON")
}

/// Builds `lines` (JSON Lines articles) into `dir/index`, in clusters of
/// 40 unless `extra` says otherwise.
fn build(dir: &Path, lines: &[String], extra: &[&str]) -> Run {
    let input = dir.join("articles.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").expect("writable");
    let mut args = vec![
        "index",
        input.to_str().expect("UTF-8"),
        "--out",
        "index/index.json",
        "--layout",
        "clusters",
        "--no-widget",
    ];
    if !extra.contains(&"--cluster-size") {
        args.extend(["--cluster-size", "40"]);
    }
    args.extend(extra);
    ok(dir, &args)
}

/// The URLs `alike query` answers for each of `urls`' articles (in `lines`).
fn answers(dir: &Path, index: &str, lines: &[String], urls: &[String]) -> Vec<Vec<String>> {
    let input = dir.join("queries.jsonl");
    let queries: Vec<&String> =
        lines.iter().filter(|l| urls.iter().any(|u| l.contains(&format!("\"url\": \"{u}\"")))).collect();
    assert_eq!(queries.len(), urls.len());
    std::fs::write(&input, queries.iter().map(|l| format!("{l}\n")).collect::<String>()).expect("writable");
    let run = ok(dir, &["query", "--index", index, input.to_str().expect("UTF-8")]);
    run.stdout
        .lines()
        .map(|line| {
            let answer: Value = serde_json::from_str(line).expect("JSON");
            let related = answer["related"].as_array().expect("a list");
            related.iter().map(|r| r["url"].as_str().expect("a url").to_string()).collect()
        })
        .collect()
}

/// 1% of `lines` held back (every hundredth article, so that they are of
/// several sections): their positions, and the others.
fn one_percent_held_back(lines: &[String]) -> (Vec<usize>, Vec<String>) {
    let held: Vec<usize> = (0..lines.len()).filter(|i| i % 100 == 50).collect();
    let old = lines.iter().enumerate().filter(|(i, _)| !held.contains(i)).map(|(_, l)| l.clone()).collect();
    (held, old)
}

fn url_of(line: &str) -> String {
    let article: Value = serde_json::from_str(line).expect("JSON");
    article["url"].as_str().expect("a url").to_string()
}

#[test]
fn a_rebuild_with_one_percent_more_articles_writes_only_the_delta() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    let (held, old) = one_percent_held_back(&lines);
    build(dir.path(), &old, &[]);
    let before = files(&dir.path().join("index"));
    let base = manifest(dir.path());
    assert_eq!(base["base"]["generation"], base["generation"], "a full build is its own base");

    let run = build(dir.path(), &lines, &[]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let after = files(&dir.path().join("index"));
    let now = manifest(dir.path());
    assert_eq!(now["articles"], lines.len());
    assert_eq!(now["base"]["generation"], base["generation"]);
    assert_eq!(now["base"]["articles"], old.len());
    // Every file of the previous index is still there, byte for byte
    // (readers holding its manifest may fetch them)...
    for (path, bytes) in before.iter().filter(|(path, _)| *path != "index.json") {
        assert_eq!(after.get(path), Some(bytes), "{path} changed");
    }
    // ...and the new ones are deltas and recent lists only: no engine,
    // cell, cluster or list file is written again.
    let written: Vec<&String> = after.keys().filter(|path| !before.contains_key(*path)).collect();
    assert!(written.iter().any(|p| p.starts_with("d/")), "{written:?}");
    assert!(written.iter().any(|p| p.starts_with("r/")), "{written:?}");
    for path in &written {
        assert!(path.starts_with("d/") || path.starts_with("r/"), "{path} written");
    }
    assert_eq!(now["generation"], base["generation"], "the manifest still names the base's list files");
    // The recent lists: every new article's whole, and the old ones a new
    // article entered as patches on their base lists (numbers name the
    // base list's entries, objects are entries written whole: the new
    // articles, and the odd old one a fresh ranking moved in).
    let new: Vec<String> = held.iter().map(|&i| url_of(&lines[i])).collect();
    let recent: Vec<Value> = written
        .iter()
        .filter(|p| p.starts_with("r/"))
        .map(|p| serde_json::from_slice(&after[*p]).expect("a recent file"))
        .collect();
    let mut own: Vec<&String> =
        recent.iter().flat_map(|f| f["pages"].as_object().expect("pages").keys()).collect();
    let mut wanted: Vec<&String> = new.iter().collect();
    own.sort();
    wanted.sort();
    assert_eq!(own, wanted, "the recent files' own lists are the new articles'");
    let patches: Vec<(&String, &Value)> =
        recent.iter().filter_map(|f| f["patches"].as_object()).flatten().collect();
    assert!(!patches.is_empty(), "no old list took a new article");
    let (mut kept, mut whole) = (0, 0);
    for (key, steps) in &patches {
        assert!(!new.contains(key), "{key}: a new article's list is a patch");
        let steps = steps.as_array().expect("a patch");
        let entries: Vec<&str> = steps.iter().filter_map(|s| s["url"].as_str()).collect();
        assert!(entries.iter().any(|u| new.iter().any(|n| n == u)), "{key}: a patch no new article entered");
        kept += steps.iter().filter(|s| s.is_u64()).count();
        whole += entries.len();
    }
    assert!(whole * 3 < kept, "patches write {whole} entries whole and name {kept} of their base lists");
    assert_eq!(now["engine"], base["engine"], "the base's engine file is kept");
    assert!(now["delta"].is_object(), "the manifest names the delta");

    // The new articles' answers against a full build's: the base's
    // clustering and df are frozen, so they may differ in a place or two,
    // but on average at least 3 of the 5 are the same articles.
    let fresh = tempfile::tempdir().expect("a temporary folder");
    build(fresh.path(), &lines, &[]);
    let index = dir.path().join("index/index.json");
    let incremental = answers(dir.path(), index.to_str().expect("UTF-8"), &lines, &new);
    let index = fresh.path().join("index/index.json");
    let full = answers(fresh.path(), index.to_str().expect("UTF-8"), &lines, &new);
    let shared: usize =
        incremental.iter().zip(&full).map(|(a, b)| a.iter().filter(|u| b.contains(u)).count()).sum();
    assert!(shared * 5 >= 3 * 5 * new.len(), "{incremental:?} against {full:?}");
    assert!(incremental.iter().all(|a| a.len() == 5));

    // A second incremental build of one article more folds the first
    // segment into its own: the two hold at most 2% of the base.
    let first = manifest(dir.path())["delta"]["generation"].clone();
    let mut more = lines.clone();
    more.push(
        lines[0]
            .replace("/business/001.html", "/business/001-again.html")
            .replace("\"title\": \"", "\"title\": \"Again: "),
    );
    let run = build(dir.path(), &more, &[]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    assert_eq!(manifest(dir.path())["base"]["generation"], base["generation"]);
    assert_eq!(manifest(dir.path())["articles"], more.len());
    let delta = &manifest(dir.path())["delta"];
    assert_eq!(delta["newer"].as_array().map(Vec::len), None, "{delta}");
    assert_ne!(delta["generation"], first, "{delta}");
}

/// A two-level table (`--cells`) rebuilds incrementally too: its delta
/// groups are runs of `delta.group_clusters` clusters, a delta file a run,
/// and a page not in the index finds a new article through them (its
/// words in reverse order under another URL: the same terms, not a copy).
#[test]
fn a_two_level_table_takes_new_articles_in_delta_files_by_runs_of_clusters() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    let (held, old) = one_percent_held_back(&lines);
    build(dir.path(), &old, &["--cells", "4"]);
    let before = files(&dir.path().join("index"));
    let cells = before.keys().filter(|p| p.starts_with("k/")).count();
    assert_eq!(cells, 4, "{:?}", before.keys().collect::<Vec<_>>());
    let clusters = before.keys().filter(|p| p.starts_with("c/")).count() as u64;

    let run = build(dir.path(), &lines, &["--cells", "4"]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let after = files(&dir.path().join("index"));
    let now = manifest(dir.path());
    let per_group = now["delta"]["group_clusters"].as_u64().expect("runs");
    assert!(per_group >= 1, "{}", now["delta"]);
    let generation = now["delta"]["generation"].as_u64().expect("a generation");
    let deltas: Vec<u64> = after
        .keys()
        .filter(|p| p.starts_with("d/") && p.ends_with(&format!("-{generation:x}.json")))
        .map(|p| u64::from_str_radix(&p[2..p.find('-').expect("a name")], 16).expect("a group"))
        .collect();
    let groups = clusters.div_ceil(per_group);
    assert!(!deltas.is_empty() && deltas.iter().all(|&group| group < groups), "{deltas:?} of {groups}");
    for (path, bytes) in before.iter().filter(|(path, _)| *path != "index.json") {
        assert_eq!(after.get(path), Some(bytes), "{path} changed");
    }

    let probes: Vec<String> = held
        .iter()
        .map(|&i| {
            let mut article: Value = serde_json::from_str(&lines[i]).expect("JSON");
            let body =
                article["body"].as_str().expect("a body").split(' ').rev().collect::<Vec<_>>().join(" ");
            article["body"] = body.into();
            article["url"] = format!("/probe/{i}.html").into();
            article.to_string()
        })
        .collect();
    let input = dir.path().join("probes.jsonl");
    std::fs::write(&input, probes.join("\n") + "\n").expect("writable");
    let run = ok(dir.path(), &["query", "--index", "index/index.json", input.to_str().expect("UTF-8")]);
    let firsts: Vec<String> = run
        .stdout
        .lines()
        .map(|line| {
            let answer: Value = serde_json::from_str(line).expect("JSON");
            answer["related"][0]["url"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let new: Vec<String> = held.iter().map(|&i| url_of(&lines[i])).collect();
    assert_eq!(firsts, new, "each probe finds its new article first");
}

/// The generations of the segments `manifest` names, oldest first.
fn segments(manifest: &Value) -> Vec<u64> {
    let delta = &manifest["delta"];
    let newer = delta["newer"].as_array().cloned().unwrap_or_default();
    std::iter::once(&delta["generation"]).chain(&newer).map(|g| g.as_u64().expect("a generation")).collect()
}

#[test]
fn rebuilds_in_a_row_each_write_a_segment_of_their_own_and_every_fourth_merges() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    // Four days of four articles each, then two of one: every
    // hundredth-ish article held back. Two days of four are more than 2%
    // of the base (315 articles), so they fold into none; two of one fold.
    let sizes = [4, 4, 4, 4, 1, 1];
    let days: Vec<Vec<usize>> =
        sizes.iter().enumerate().map(|(d, &n)| (0..n).map(|i| 7 + 60 * i + 11 * d).collect()).collect();
    let held: Vec<usize> = days.concat();
    let day_lines = |upto: usize| -> Vec<String> {
        let shown: Vec<usize> = days[..upto].concat();
        lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !held.contains(i) || shown.contains(i))
            .map(|(_, l)| l.clone())
            .collect()
    };
    build(dir.path(), &day_lines(0), &[]);
    let mut before = files(&dir.path().join("index"));
    let mut kept_segments: Vec<u64> = Vec::new();
    for (day, expected) in [1usize, 2, 3, 1, 2, 2].into_iter().enumerate() {
        let now_lines = day_lines(day + 1);
        let run = build(dir.path(), &now_lines, &[]);
        assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
        let after = files(&dir.path().join("index"));
        let now = manifest(dir.path());
        let generations = segments(&now);
        assert_eq!(generations.len(), expected, "day {day}: segments {generations:x?}");
        let newest = *generations.last().expect("a segment");
        // The older segments it keeps are the previous build's, in order;
        // on the fourth day the three before merged into the new one, on
        // the sixth the fifth's one article folded into it.
        assert_eq!(generations[..expected - 1], kept_segments[..expected - 1], "day {day}");
        // Every file of the previous index is still there, byte for byte
        // (those of the builds before it may go), and the new ones are
        // this segment's delta and recent files.
        let previous = std::str::from_utf8(&before["index.json"]).expect("UTF-8");
        let previous = alike::Manifest::from_json(previous).expect("a manifest");
        let named = |path: &String| alike::FileRef::parse(path).is_some_and(|file| previous.names(&file));
        for (path, bytes) in before.iter().filter(|(path, _)| named(path)) {
            assert_eq!(after.get(path), Some(bytes), "day {day}: {path} changed");
        }
        for path in after.keys().filter(|path| !before.contains_key(*path)) {
            let own = path.starts_with("d/") || path.starts_with("r/");
            assert!(own && path.ends_with(&format!("-{newest:x}.json")), "day {day}: {path} written");
        }
        // Each set of recent lists the manifest names has one file per
        // recent bucket: eight list buckets to one (at most 2^8 a set).
        let lists = &now["lists"];
        let bits = lists["recent"]["bucket_bits"].as_u64().expect("recent bits");
        assert_eq!(bits, lists["bucket_bits"].as_u64().expect("bits").saturating_sub(3).min(8));
        let newer = lists["recent"]["newer"].as_array().cloned().unwrap_or_default();
        for generation in std::iter::once(&lists["recent"]["generation"]).chain(&newer) {
            let suffix = format!("-{:x}.json", generation.as_u64().expect("a generation"));
            let count = after.keys().filter(|p| p.starts_with("r/") && p.ends_with(&suffix)).count();
            assert_eq!(count, 1 << bits, "day {day}: set {generation}");
        }
        // The index loads and the engine answers for every article.
        let urls: Vec<String> = now_lines.iter().map(|l| url_of(l)).collect();
        let answered = answers(dir.path(), "index/index.json", &now_lines, &urls);
        assert_eq!(answered.len(), now_lines.len());
        let full = answered.iter().filter(|a| a.len() == 5).count();
        // (A tenth of the sample's pages have fewer than five related ones in any build.)
        assert!(full * 100 > 85 * urls.len(), "day {day}: {full} of {} answers hold 5", urls.len());
        // What a page reads (`query --files`, the index loaded afresh for
        // each): files the index holds, its one or two clusters
        // (`NEXT_CLUSTER_AT`), and of each
        // segment the delta files of their groups that hold articles: at
        // most two, and, as flat tables number their clusters in groups
        // that queries read together, one for most pages (the first day,
        // 175 of 319; 173 before sizes were evened out, `cluster::balanced`;
        // numbered as k-means left them, 86).
        let read = ok(dir.path(), &["query", "--files", "--index", "index/index.json", "articles.jsonl"]);
        let (mut pages, mut within_one) = (0, 0);
        for line in read.stdout.lines() {
            let answer: Value = serde_json::from_str(line).expect("JSON");
            let paths: Vec<&str> = answer["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|p| p.as_str().expect("a path"))
                .collect();
            assert!(paths.iter().all(|p| after.contains_key(*p)), "day {day}: {paths:?}");
            let clusters = paths.iter().filter(|p| p.starts_with("c/")).count();
            assert!(clusters == 1 || clusters == 2, "day {day}: {paths:?}");
            let delta = paths.iter().filter(|p| p.starts_with("d/")).count();
            assert!(delta <= 2 * generations.len(), "day {day}: {paths:?}");
            pages += 1;
            within_one += usize::from(delta <= generations.len());
        }
        assert_eq!(pages, now_lines.len());
        assert!(
            within_one * 2 > pages,
            "day {day}: {within_one} of {pages} pages read one delta file a segment or fewer"
        );
        kept_segments = generations;
        before = after;
    }
}

#[test]
fn anything_but_an_addition_builds_afresh_and_says_why() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    build(dir.path(), &lines[..330], &[]);
    // An old article edited.
    let mut edited = lines.clone();
    edited[7] = edited[7].replacen("\"title\": \"", "\"title\": \"Updated: ", 1);
    let run = build(dir.path(), &edited, &[]);
    assert!(run.stderr.contains("full build: an article it holds has changed"), "{}", run.stderr);
    let now = manifest(dir.path());
    assert_eq!(now["base"]["generation"], now["generation"]);
    // An old article gone.
    let run = build(dir.path(), &edited[1..], &[]);
    assert!(
        run.stderr.contains("full build: article") && run.stderr.contains("is not among the inputs"),
        "{}",
        run.stderr
    );
    // Other settings.
    let run = build(dir.path(), &edited[1..], &["--related-lists", "5"]);
    assert!(run.stderr.contains("full build: the settings differ"), "{}", run.stderr);
    // Asked for.
    let run = build(dir.path(), &edited[1..], &["--related-lists", "5", "--full"]);
    assert!(run.stderr.contains("full build: --full"), "{}", run.stderr);
    // An index an earlier alike wrote: its engine file's format version.
    let engine = engine_file(dir.path());
    let text = std::fs::read_to_string(&engine).expect("the engine file");
    let old = text.replacen("\"version\":4,", "\"version\":3,", 1);
    assert_ne!(old, text, "the engine file says its version");
    std::fs::write(&engine, old).expect("the engine file written");
    let run = build(dir.path(), &edited[1..], &["--related-lists", "5"]);
    assert!(
        run.stderr.contains("full build: the previous index: ")
            && run.stderr.contains("written by an earlier alike (format version 3)\n"),
        "{}",
        run.stderr
    );
    // An engine file cut short (a copy that stopped): corrupt, and built afresh.
    let engine = engine_file(dir.path());
    let text = std::fs::read_to_string(&engine).expect("the engine file");
    std::fs::write(&engine, &text[..500]).expect("the engine file cut");
    let run = build(dir.path(), &edited[1..], &["--related-lists", "5"]);
    assert!(
        run.stderr.contains("full build: the previous index: ")
            && run.stderr.contains("the index is corrupt (the engine file is cut short: EOF while parsing"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("point to the file"), "{}", run.stderr);
    // Too many new articles: 333 on 270.
    let dir = tempfile::tempdir().expect("a temporary folder");
    build(dir.path(), &lines[..270], &[]);
    let run = build(dir.path(), &lines, &[]);
    assert!(
        run.stderr.contains("full build: 63 articles since the base are more than 20%"),
        "{}",
        run.stderr
    );
}

/// The engine file of the index built into `dir`.
fn engine_file(dir: &Path) -> PathBuf {
    dir.join("index").join(manifest(dir)["engine"].as_str().expect("the manifest names its engine file"))
}

/// In a two-level table whose delta files are long runs of clusters, a
/// build goes whole once a page not in the index would read more new
/// articles in delta files than base articles in its two clusters, before
/// the 20% share (`delta_reads_past_base`).
#[test]
fn a_two_level_table_builds_afresh_once_its_delta_files_outweigh_its_clusters() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    // Clusters of about 2 articles in 2 cells: runs of about 18 clusters.
    let shape = ["--cells", "2", "--cluster-size", "2"];
    build(dir.path(), &lines[..280], &shape);
    let run = build(dir.path(), &lines[..290], &shape);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let per_group = manifest(dir.path())["delta"]["group_clusters"].as_u64().expect("runs");
    assert!(per_group * 10 < 280 && per_group * 20 > 280, "runs of {per_group}");
    let run = build(dir.path(), &lines[..300], &shape);
    let why = format!(
        "full build: 20 articles since the base, in delta files of {per_group} clusters each, are more than a page not in the index reads of the 280 it holds"
    );
    assert!(run.stderr.contains(&why), "{}", run.stderr);
    let now = manifest(dir.path());
    assert_eq!(now["base"]["generation"], now["generation"]);
    assert!(now.get("delta").is_none(), "{}", now["delta"]);
}

#[test]
fn recent_lists_past_the_limit_make_the_next_build_with_new_articles_whole() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    build(dir.path(), &lines[..300], &[]);
    let run = build(dir.path(), &lines[..310], &[]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    // Nothing new: nothing written, whatever the recent lists cost.
    let run = build(dir.path(), &lines[..310], &["--recent-limit", "0"]);
    assert!(run.stderr.contains("up to date"), "{}", run.stderr);
    // Within the limit (a generous one), a set more.
    let run = build(dir.path(), &lines[..315], &["--recent-limit", "1000"]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let now = manifest(dir.path());
    assert_eq!(now["lists"]["recent"]["newer"].as_array().map(Vec::len), Some(1), "two sets");
    // Past it: a full build, which says how much a page read, and whose
    // pages read their list file alone.
    let run = build(dir.path(), &lines[..320], &["--recent-limit", "0"]);
    assert!(
        run.stderr.contains("full build: an indexed page reads")
            && run.stderr.contains("of recent lists in 2 files, more than 0 times its list file"),
        "{}",
        run.stderr
    );
    let now = manifest(dir.path());
    assert_eq!(now["base"]["generation"], now["generation"], "a full build is its own base");
    assert!(now["lists"].get("recent").is_none(), "{}", now["lists"]);
}

#[test]
fn a_set_of_recent_lists_beside_kept_ones_has_their_buckets() {
    // `--recent-bits` (hidden, for studies) caps a new set's buckets; a
    // set beside kept ones takes theirs, as one bucket count in the
    // manifest names a file of every set.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    build(dir.path(), &lines[..300], &[]);
    let recent_files = |generation: &Value| {
        let suffix = format!("-{:x}.json", generation.as_u64().expect("a generation"));
        let set: Vec<(String, Vec<u8>)> = files(&dir.path().join("index"))
            .into_iter()
            .filter(|(p, _)| p.starts_with("r/") && p.ends_with(&suffix))
            .collect();
        for (name, bytes) in &set {
            let file: Value = serde_json::from_slice(bytes).expect("JSON");
            assert!(name.starts_with(&format!("r/{}-", file["bucket"])), "{name}");
        }
        set.len()
    };
    build(dir.path(), &lines[..310], &["--recent-bits", "1"]);
    let now = manifest(dir.path());
    let recent = &now["lists"]["recent"];
    assert_eq!(recent["bucket_bits"], 1, "{recent}");
    assert_eq!(recent_files(&recent["generation"]), 2);
    // The default would be 2 bits at 300 pages (32 list files): the second
    // set keeps the first's 1.
    let run = build(dir.path(), &lines[..315], &["--recent-limit", "1000"]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let now = manifest(dir.path());
    let recent = &now["lists"]["recent"];
    assert_eq!(recent["newer"].as_array().map(Vec::len), Some(1), "two sets: {recent}");
    assert_eq!(recent["bucket_bits"], 1, "{recent}");
    assert_eq!(recent_files(&recent["newer"][0]), 2);
    // A full build over it and a set of the default's buckets.
    build(dir.path(), &lines[..300], &[]);
    build(dir.path(), &lines[..310], &[]);
    let now = manifest(dir.path());
    assert_eq!(now["lists"]["recent"]["bucket_bits"], 2, "{}", now["lists"]);
    assert_eq!(recent_files(&now["lists"]["recent"]["generation"]), 4);
}

#[test]
fn an_incremental_build_on_a_tiny_base_or_on_articles_all_alike_writes_an_index_that_loads() {
    let article =
        |i: usize, body: &str| format!(r#"{{"url": "/a/{i}.html", "title": "Rates {i}", "body": "{body}"}}"#);
    let text = "The central bank raised interest rates again as inflation climbed and savers cheered.";
    // Every article the same text (one story): ten, then one more.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let alike_all: Vec<String> = (0..11).map(|i| article(i, text)).collect();
    build(dir.path(), &alike_all[..10], &[]);
    let run = build(dir.path(), &alike_all, &[]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let urls: Vec<String> = (0..11).map(|i| format!("/a/{i}.html")).collect();
    let loaded = answers(dir.path(), "index/index.json", &alike_all, &urls);
    assert!(loaded.iter().all(|a| a.is_empty()), "copies of a page are never shown: {loaded:?}");
    // A one-article base takes no new article incrementally (1 is more
    // than 20% of it): a full build, which loads.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines: Vec<String> = sample().into_iter().take(2).collect();
    build(dir.path(), &lines[..1], &[]);
    let run = build(dir.path(), &lines, &[]);
    assert!(
        run.stderr.contains("full build: 1 articles since the base are more than 20% of the 1"),
        "{}",
        run.stderr
    );
    let urls: Vec<String> = lines.iter().map(|l| url_of(l)).collect();
    assert_eq!(answers(dir.path(), "index/index.json", &lines, &urls).len(), 2);
}

/// Every file under `dir` with its bytes and time of last change.
fn stamped(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let modified = |path: &str| std::fs::metadata(dir.join(path)).and_then(|m| m.modified()).expect("a time");
    files(dir).into_iter().map(|(path, bytes)| (path.clone(), bytes, modified(&path))).collect()
}

#[test]
fn a_rebuild_with_nothing_new_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lines = sample();
    // With the widget beside the index, as a site deploys it.
    let with_widget = |lines: &[String]| {
        let input = dir.path().join("articles.jsonl");
        std::fs::write(&input, lines.join("\n") + "\n").expect("writable");
        let input = input.to_str().expect("UTF-8");
        ok(
            dir.path(),
            &["index", input, "--out", "index/index.json", "--layout", "clusters", "--cluster-size", "40"],
        )
    };
    let index = dir.path().join("index");
    for (step, held) in [(0, 327), (1, 330)] {
        // A full build, then an incremental one: each the next run of the
        // same inputs leaves as it is, byte for byte and untouched.
        let run = with_widget(&lines[..held]);
        assert_eq!(run.stderr.contains("incrementally"), step == 1, "{}", run.stderr);
        let before = stamped(&index);
        // File times have a coarse grain on some file systems.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let run = with_widget(&lines[..held]);
        assert!(run.stderr.contains("index/index.json is up to date"), "{}", run.stderr);
        assert!(run.stderr.contains("nothing written to the index"), "{}", run.stderr);
        assert!(run.stderr.contains("0 files written"), "the widget is as it was: {}", run.stderr);
        assert!(stamped(&index) == before, "step {step}: a build of nothing new changed a file");
    }
    // A widget file gone (or another alike's widget) is written again; the
    // index still is not.
    let before = files(&index);
    std::fs::remove_file(index.join("alike.js")).expect("the shim is there");
    let run = with_widget(&lines[..330]);
    assert!(run.stderr.contains("up to date") && run.stderr.contains("1 files written"), "{}", run.stderr);
    assert_eq!(files(&index), before);
    let urls: Vec<String> = lines[325..330].iter().map(|l| url_of(l)).collect();
    assert!(answers(dir.path(), "index/index.json", &lines, &urls).iter().all(|a| !a.is_empty()));
}

#[test]
fn a_rebuild_without_an_article_or_with_one_changed_since_the_base_builds_afresh() {
    let lines = sample();
    let rebuilt = |inputs: &[String], why: &str| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        build(dir.path(), &lines[..327], &[]);
        build(dir.path(), &lines[..330], &[]);
        let before = manifest(dir.path());
        let run = build(dir.path(), inputs, &[]);
        assert!(run.stderr.contains(&format!("full build: {why}")), "{}", run.stderr);
        let now = manifest(dir.path());
        assert_ne!(now, before);
        assert_eq!(now["base"]["generation"], now["generation"], "a full build is its own base");
        assert!(now.get("delta").is_none());
        // The index loads and answers for every article it now holds,
        // the changed one as it is now. (tech/324's two neighbours sit in
        // its second-nearest cluster, which its query reads only once its
        // nearest leaves the box empty: `NEXT_CLUSTER_AT`.)
        let urls: Vec<String> = inputs[320..].iter().map(|l| url_of(l)).collect();
        assert!(answers(dir.path(), "index/index.json", inputs, &urls).iter().all(|a| !a.is_empty()));
        assert_eq!(now["articles"], inputs.len());
        let changed = inputs.iter().find(|l| l.contains("Updated: "));
        if let Some(line) = changed {
            let url = url_of(line);
            let held = files(&dir.path().join("index"));
            assert!(
                held.iter().any(|(path, json)| path.starts_with("c/")
                    && String::from_utf8_lossy(json).contains("Updated: ")
                    && String::from_utf8_lossy(json).contains(&url)),
                "{url}: the changed title is not in its cluster file"
            );
        }
    };
    // An article added since the base gone, and one of the base's.
    let mut without: Vec<String> = lines[..330].to_vec();
    without.remove(328);
    rebuilt(&without, "article");
    let mut without: Vec<String> = lines[..330].to_vec();
    without.remove(3);
    rebuilt(&without, "article");
    // An article added since the base edited: its segment holds it as it
    // was, so nothing short of a full build takes the edit.
    let mut edited: Vec<String> = lines[..330].to_vec();
    edited[328] = edited[328].replacen("\"title\": \"", "\"title\": \"Updated: ", 1);
    rebuilt(&edited, "an article added since its last full build has changed");
}

#[test]
fn a_single_file_index_built_again_from_the_same_articles_is_not_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, sample()[..40].join("\n") + "\n").expect("writable");
    let args =
        ["index", input.to_str().expect("UTF-8"), "--out", "index.json", "--layout", "single", "--no-widget"];
    ok(dir.path(), &args);
    let before = stamped(dir.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = ok(dir.path(), &args);
    assert!(run.stderr.contains("the same as the index there: not written"), "{}", run.stderr);
    assert!(stamped(dir.path()) == before, "the index was written again");
}
