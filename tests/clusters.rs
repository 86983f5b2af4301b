#![cfg(not(target_arch = "wasm32"))]
//! The cluster layout (`alike index --layout clusters`, format version 2; its engine's files version 4)
//! through the real `alike` binary, on the 333-article BBC sample: the
//! files it writes are the ones the layout names, every article gets an
//! answer, the stored lists are the ones `--related-data` gives, and an
//! index or file of another version or gone missing fails clearly.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

mod common;
use common::{alike, files, ok};

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/bbc-sample/articles.jsonl")
        .to_str()
        .expect("as the test set it up")
        .to_string()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

/// The sample built once with each layout (lists of 10, the default),
/// shared by the tests: `<dir>/clusters/index.json` and `<dir>/single.json`
/// (with its lists as `--related-data`, `<dir>/lists.json`).
fn built() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temp dir");
            let input = sample();
            let builds = [
                vec!["index", &input, "--out", "clusters/index.json", "--layout", "clusters", "--no-widget"],
                vec![
                    "index",
                    &input,
                    "--out",
                    "single.json",
                    "--layout",
                    "single",
                    "--no-widget",
                    "--related-data",
                    "lists.json",
                ],
            ];
            std::thread::scope(|scope| {
                for args in &builds {
                    scope.spawn(|| ok(dir.path(), args));
                }
            });
            dir
        })
        .path()
}

/// A copy of the cluster build to break.
fn copy_of_clusters() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let written = files(&built().join("clusters"));
    for (path, bytes) in &written {
        let target = dir.path().join("clusters").join(path);
        std::fs::create_dir_all(target.parent().expect("as the test set it up"))
            .expect("as the test set it up");
        std::fs::write(target, bytes).expect("as the test set it up");
    }
    (dir, written)
}

#[test]
fn writes_exactly_the_files_the_layout_names() {
    let written = files(&built().join("clusters"));
    let manifest = json(&written["index.json"]);
    assert_eq!(manifest["format"], "alike-index");
    assert_eq!(manifest["version"], 2);
    assert_eq!(manifest["layout"], "clusters");
    assert_eq!(manifest["articles"], 333);
    let generation = manifest["generation"].as_u64().expect("as the test set it up");
    let engine_path = format!("e-{generation:x}.json");
    assert_eq!(manifest["engine"], engine_path.as_str());
    let engine = json(&written[&engine_path]);
    assert_eq!((engine["format"].as_str(), engine["version"].as_u64()), (Some("alike-engine"), Some(4)));
    // 333 articles: five clusters of about 70, of which a query reads two.
    let clusters = engine["clusters"]["count"].as_u64().expect("as the test set it up");
    assert_eq!(clusters, 5);
    let bits = manifest["lists"]["bucket_bits"].as_u64().expect("as the test set it up");
    assert_eq!((manifest["lists"]["length"].as_u64(), bits), (Some(10), 5));

    let mut expected: Vec<String> = vec!["index.json".into(), engine_path];
    expected.extend((0..clusters).map(|c| format!("c/{c:x}-{generation:x}.json")));
    let mut keys = 0;
    for (path, bytes) in written.iter().filter(|(p, _)| p.starts_with("l/")) {
        let file = json(bytes);
        let bucket = file["bucket"].as_u64().expect("as the test set it up");
        assert_eq!(path, &format!("l/{bucket:x}-{generation:x}.json"));
        for key in file["pages"].as_object().expect("as the test set it up").keys() {
            assert_eq!(u64::from(alike::bucket_of_key(key, bits as u8)), bucket, "{key} in {path}");
            keys += 1;
        }
        expected.push(path.clone());
    }
    assert_eq!(keys, 333, "every article's list, once");
    expected.sort();
    assert_eq!(written.keys().cloned().collect::<Vec<_>>(), expected);
}

#[test]
fn one_cluster_ranks_as_the_single_file() {
    let dir = built();
    let input = sample();
    // Clusters of up to 1,000 articles: the sample's 333 in one, read whole.
    let one = ["index", &input, "--out", "one/index.json", "--layout", "clusters", "--no-widget"];
    ok(dir, &[&one[..], &["--cluster-size", "1000"]].concat());
    for extra in [&[][..], &["--k", "3", "--section-boost", "1.5"][..]] {
        let mut single = vec!["query", "--index", "single.json", &input];
        single.extend_from_slice(extra);
        let mut clusters = vec!["query", "--index", "one/index.json", &input];
        clusters.extend_from_slice(extra);
        let (single, clusters) = (ok(dir, &single), ok(dir, &clusters));
        assert_eq!(single.stdout.lines().count(), 333);
        assert_eq!(single.stdout, clusters.stdout, "options {extra:?}");
    }
}

#[test]
fn every_article_answers_over_several_clusters() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample();
    let build = ["index", &input, "--out", "c40/index.json", "--layout", "clusters", "--cluster-size", "40"];
    ok(dir.path(), &[&build[..], &["--related-lists", "0", "--no-widget"]].concat());
    let written = files(&dir.path().join("c40"));
    let clusters = written.keys().filter(|p| p.starts_with("c/")).count();
    assert_eq!(clusters, 9, "{:?}", written.keys().collect::<Vec<_>>());
    assert!(!written.keys().any(|p| p.starts_with("l/")), "no lists asked for");
    // Every match, however weak: this is about routing, not the threshold.
    let run = ok(dir.path(), &["query", "--index", "c40/index.json", "--min-score", "0", &input]);
    let mut answered = 0;
    for line in run.stdout.lines() {
        let line = json(line.as_bytes());
        let related = line["related"].as_array().expect("as the test set it up");
        assert_eq!(related.len(), 5, "{line}");
        assert!(related.iter().all(|r| r["url"] != line["url"]));
        answered += 1;
    }
    assert_eq!(answered, 333);
}

/// A two-level table (`--cells`) on the sample: the engine file routes to
/// cells, each cell file names its clusters, `alike query` (the browser's
/// code) answers every article through them, and `--explain` finds the
/// shared words in whichever cluster a result came from.
#[test]
fn a_two_level_table_answers_every_article_and_explains_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample();
    let build = [
        "index",
        &input,
        "--out",
        "k/index.json",
        "--layout",
        "clusters",
        "--cluster-size",
        "20",
        "--cells",
        "4",
    ];
    ok(dir.path(), &[&build[..], &["--related-lists", "0", "--no-widget"]].concat());
    let written = files(&dir.path().join("k"));
    let manifest = json(&written["index.json"]);
    let generation = manifest["generation"].as_u64().expect("as the test set it up");
    let engine = json(&written[manifest["engine"].as_str().expect("as the test set it up")]);
    assert_eq!(engine["clusters"]["count"], 4, "the engine file's table holds the cells");
    let mut clusters = 0;
    for cell in 0..4u64 {
        let file = json(&written[&format!("k/{cell:x}-{generation:x}.json")]);
        assert_eq!((file["format"].as_str(), file["cell"].as_u64()), (Some("alike-cell"), Some(cell)));
        assert_eq!(file["first_cluster"].as_u64(), Some(clusters));
        clusters += file["clusters"]["count"].as_u64().expect("as the test set it up");
    }
    let cluster_files = written.keys().filter(|p| p.starts_with("c/")).count() as u64;
    assert_eq!(cluster_files, clusters);
    assert_eq!(written.len() as u64, 2 + 4 + clusters, "{:?}", written.keys().collect::<Vec<_>>());

    // Every match, however weak: clusters of 20 read one at a time hold few strong ones.
    let run = ok(dir.path(), &["query", "--index", "k/index.json", "--explain", "--min-score", "0", &input]);
    let mut answered = 0;
    for line in run.stdout.lines() {
        let line = json(line.as_bytes());
        let related = line["related"].as_array().expect("as the test set it up");
        assert!(!related.is_empty(), "{line}");
        assert!(related.iter().all(|r| r["url"] != line["url"]));
        for why in line["why"].as_array().expect("--explain") {
            let terms = why["terms"].as_array().expect("as the test set it up");
            assert!(!terms.is_empty() && terms[0][0] != "", "a result with no shared word: {line}");
        }
        answered += 1;
    }
    assert_eq!(answered, 333);
}

/// The list files hold, page for page, the lists `--related-data` writes
/// for templates: one ranking, whichever way it is served.
#[test]
fn stored_lists_are_the_ones_related_data_gives() {
    let clusters: BTreeMap<String, Value> = files(&built().join("clusters"))
        .iter()
        .filter(|(path, _)| path.starts_with("l/"))
        .flat_map(|(_, bytes)| json(bytes)["pages"].as_object().expect("as the test set it up").clone())
        .collect();
    assert_eq!(clusters.len(), 333);
    assert!(clusters.values().all(|list| !list.as_array().expect("as the test set it up").is_empty()));
    // Keyed by URL key in list files and by site path in the data: the
    // sample's URLs are paths, so the two keys are one.
    let data = json(&std::fs::read(built().join("lists.json")).expect("written"));
    let data = data.as_object().expect("an object");
    assert_eq!(data.len(), 333);
    for (key, list) in &clusters {
        assert_eq!(Some(list), data.get(key), "{key}");
    }
}

#[test]
fn builds_are_reproducible() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample();
    ok(dir.path(), &["index", &input, "--out", "again/index.json", "--layout", "clusters", "--no-widget"]);
    assert_eq!(files(&dir.path().join("again")), files(&built().join("clusters")));
}

/// `--verbose` says what each step of a build took, and changes nothing
/// it writes.
#[test]
fn a_verbose_build_names_each_step_and_writes_the_same_files() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample();
    let run = ok(
        dir.path(),
        &["index", &input, "--out", "again/index.json", "--layout", "clusters", "--no-widget", "-v"],
    );
    assert_eq!(files(&dir.path().join("again")), files(&built().join("clusters")));
    let steps: Vec<&str> =
        run.stderr.lines().filter_map(|line| line.strip_prefix("alike: step ")?.split(':').next()).collect();
    assert_eq!(
        steps,
        [
            "read and count",
            "weigh and prune",
            "related lists ranked",
            "clusters (k-means)",
            "cluster files",
            "related lists",
            "list files",
            "files written"
        ],
        "{}",
        run.stderr
    );
    for line in run.stderr.lines().filter(|line| line.starts_with("alike: step ")) {
        // Linux has /proc: every column is measured.
        #[cfg(target_os = "linux")]
        assert!(
            line.contains(" s CPU (") && line.contains("on the main thread") && line.contains(" MiB peak"),
            "{line}"
        );
    }
}

#[test]
fn an_engine_file_of_an_earlier_alike_gets_the_rebuild_hint() {
    let (dir, written) = copy_of_clusters();
    let manifest = json(&written["index.json"]);
    let engine =
        dir.path().join("clusters").join(manifest["engine"].as_str().expect("as the test set it up"));
    // Version 3: the engine files before centroid weights had 16 levels.
    let old = std::fs::read_to_string(&engine).expect("as the test set it up").replacen(
        "\"version\":4",
        "\"version\":3",
        1,
    );
    std::fs::write(&engine, old).expect("as the test set it up");
    let run = alike(dir.path(), &["query", "--index", "clusters/index.json", &sample()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("earlier alike (format version 3)"), "{}", run.stderr);
    assert!(run.stderr.contains("rebuild it with `alike index`"), "{}", run.stderr);
}

/// Found by the `clusters` fuzz target: an engine file whose scoring gives
/// no weight range was decoded before its scoring was checked, and the
/// decoder's quantizer panicked. It is refused as corrupt, with the field.
#[test]
fn an_engine_file_with_no_weight_range_is_refused_not_a_panic() {
    let (dir, written) = copy_of_clusters();
    let manifest = json(&written["index.json"]);
    let engine =
        dir.path().join("clusters").join(manifest["engine"].as_str().expect("as the test set it up"));
    let mut file = json(&std::fs::read(&engine).expect("as the test set it up"));
    file["scoring"]["weight_min"] = serde_json::json!(0.0);
    std::fs::write(&engine, file.to_string()).expect("as the test set it up");
    let run = alike(dir.path(), &["query", "--index", "clusters/index.json", &sample()]);
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("weight_min"), "{}", run.stderr);
    // A rebuild reads the same file as its base: an error or a full build, never a panic.
    let input = sample();
    let args = ["index", &input, "--out", "clusters/index.json", "--layout", "clusters", "--no-widget"];
    let rebuild = alike(dir.path(), &args);
    assert!(!rebuild.stderr.contains("panicked"), "{}", rebuild.stderr);
}

#[test]
fn a_missing_cluster_file_is_named() {
    let (dir, written) = copy_of_clusters();
    let cluster = written.keys().find(|p| p.starts_with("c/")).expect("as the test set it up");
    std::fs::remove_file(dir.path().join("clusters").join(cluster)).expect("as the test set it up");
    let run = alike(dir.path(), &["query", "--index", "clusters/index.json", &sample()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains(cluster.as_str()), "{}", run.stderr);
}

/// `--layout auto`, the default, weighs what a reader downloads: with
/// stored lists an indexed page needs no engine in the cluster layout, so
/// the sample gets clusters, their lists filed small enough for a first box
/// of at most 20 KB with the shim; without lists one file costs no more on
/// any page, so it stays one file. Either way the same engine answers.
#[test]
fn auto_chooses_clusters_with_lists_and_one_file_without() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = sample();
    let with_lists =
        ok(dir.path(), &["index", &input, "--out", "lists/index.json", "--snippet-chars", "160"]);
    assert!(with_lists.stderr.contains("as clusters (--layout auto)"), "{}", with_lists.stderr);
    let written = files(&dir.path().join("lists"));
    let manifest = json(&written["index.json"]);
    assert_eq!(manifest["layout"], "clusters");
    // Lists with 160-character snippets: more buckets than the count
    // alone gives (5 bits), so that a middling list file stays small.
    let bits = manifest["lists"]["bucket_bits"].as_u64().expect("bucket bits");
    assert!(bits > 5, "{bits} bits");
    let mut list_sizes: Vec<usize> =
        written.iter().filter(|(path, _)| path.starts_with("l/")).map(|(_, bytes)| gzipped(bytes)).collect();
    assert_eq!(list_sizes.len(), 1 << bits);
    list_sizes.sort_unstable();
    let shim = gzipped(&written["alike.js"]);
    let first_box = shim + gzipped(&written["index.json"]) + list_sizes[list_sizes.len() / 2];
    assert!(first_box <= 20_000, "a middling indexed page's first box is {first_box} B");

    // Without lists: one file while it costs no more than the clusters a
    // page reads (120 articles: one cluster, read whole), clusters once
    // a page reads two of several (333 articles: two of five).
    let text = std::fs::read_to_string(&input).expect("the sample");
    let few = dir.path().join("few.jsonl");
    std::fs::write(&few, text.lines().take(120).collect::<Vec<_>>().join("\n") + "\n").expect("writable");
    let few = few.to_str().expect("UTF-8");
    let without =
        ok(dir.path(), &["index", few, "--out", "plain/index.json", "--related-lists", "0", "--no-widget"]);
    assert!(without.stderr.contains("as one file (--layout auto"), "{}", without.stderr);
    let single = json(&std::fs::read(dir.path().join("plain/index.json")).expect("written"));
    assert_eq!(single["version"], 1);
    assert!(single["articles"]["url"].is_array());
    let larger = ok(
        dir.path(),
        &["index", &input, "--out", "larger/index.json", "--related-lists", "0", "--no-widget"],
    );
    assert!(larger.stderr.contains("as clusters (--layout auto"), "{}", larger.stderr);
}

fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory").len()
}
