#![cfg(not(target_arch = "wasm32"))]
//! Old files go, through the real `alike` binary on the 333-article BBC
//! sample: after each cluster build the folder holds what its manifest and
//! the one it replaced name, and nothing of alike's else; every other file
//! stays, another index's too; `--keep-old-files` keeps everything; a file
//! that cannot be removed is a warning, never a broken index.

use std::collections::BTreeSet;
use std::path::Path;

use alike::{Base, FileRef, Manifest};

mod common;
use common::{Run, files, ok};

fn sample() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bbc-sample/articles.jsonl");
    std::fs::read_to_string(path).expect("the sample").lines().map(str::to_string).collect()
}

/// Builds `lines` (JSON Lines articles) into `dir/index/<name>`.
fn build(dir: &Path, name: &str, lines: &[String], extra: &[&str]) -> Run {
    let input = dir.join("articles.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").expect("writable");
    let out = format!("index/{name}");
    let mut args =
        vec!["index", input.to_str().expect("UTF-8"), "--out", &out, "--cluster-size", "40", "--no-widget"];
    args.extend(extra);
    ok(dir, &args)
}

fn manifest_at(path: &Path) -> Manifest {
    Manifest::from_json(&std::fs::read_to_string(path).expect("a manifest")).expect("a cluster manifest")
}

/// The files of alike's names in `folder`.
fn alike_files(folder: &Path) -> BTreeSet<String> {
    files(folder).into_keys().filter(|path| FileRef::parse(path).is_some()).collect()
}

/// Checks that every file `manifest` names is in `folder`: its base
/// (engine, cells, clusters, lists), its segments' delta files (which
/// `Base::read` reads) and every recent-list file.
fn assert_whole(folder: &Path, manifest: &Manifest) {
    let read = |path: &str| std::fs::read_to_string(folder.join(path)).map_err(|e| format!("{path}: {e}"));
    let size = |path: &str| {
        std::fs::metadata(folder.join(path)).map(|m| m.len()).map_err(|e| format!("{path}: {e}"))
    };
    Base::read(manifest, read, size).expect("the index's files are all there");
    if let Some(recent) = manifest.lists.as_ref().and_then(|lists| lists.recent.as_ref()) {
        for generation in std::iter::once(recent.generation).chain(recent.newer.iter().copied()) {
            for bucket in 0..1u32 << recent.bucket_bits {
                let path = FileRef::Recent { bucket, generation }.path();
                assert!(folder.join(&path).is_file(), "{path} is gone");
            }
        }
    }
}

/// How many old files the build says it removed.
fn removed(run: &Run) -> Option<usize> {
    let (before, _) = run.stderr.split_once(" old files removed")?;
    before.rsplit(", ").next()?.parse().ok()
}

/// What `alike query` answers with the index at `index` for every article
/// of `lines`: a line of JSON each.
fn answers(dir: &Path, index: &str, lines: &[String]) -> String {
    let input = dir.join("queries.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").expect("writable");
    ok(dir, &["query", "--index", index, input.to_str().expect("UTF-8")]).stdout
}

/// Twelve days: ten of three new articles each (incremental, merging as
/// segments do), a full build, and one more day.
fn days() -> Vec<(Vec<String>, &'static [&'static str])> {
    let lines = sample();
    let held: Vec<usize> = (0..33).map(|i| 5 + 10 * i).collect();
    let upto = |day: usize| -> Vec<String> {
        let shown = &held[..3 * day];
        let kept = |i: &usize| !held.contains(i) || shown.contains(i);
        lines.iter().enumerate().filter(|(i, _)| kept(i)).map(|(_, l)| l.clone()).collect()
    };
    let mut days: Vec<(Vec<String>, &[&str])> = (0..=10).map(|day| (upto(day), &[][..])).collect();
    days.push((upto(10), &["--full"]));
    days.push((upto(11), &[]));
    days
}

#[test]
fn rebuilds_in_a_row_leave_the_files_the_last_two_manifests_name() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let kept_all = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("index");
    let mut previous: Option<(Manifest, &[String], String)> = None;
    let days = days();
    for (day, (lines, extra)) in days.iter().enumerate() {
        let run = build(dir.path(), "index.json", lines, extra);
        let keep = [*extra, &["--keep-old-files"]].concat();
        build(kept_all.path(), "index.json", lines, &keep);
        let manifest = manifest_at(&folder.join("index.json"));
        assert_eq!(
            std::fs::read(folder.join("index.json")).expect("a manifest"),
            std::fs::read(kept_all.path().join("index/index.json")).expect("a manifest"),
            "day {day}: removing files changes no manifest"
        );
        // On disk: exactly the alike files this manifest or the one it
        // replaced names, of those the builds wrote.
        let on_disk = alike_files(&folder);
        let named = |path: &String| {
            let file = FileRef::parse(path).expect("an alike file");
            manifest.names(&file) || previous.as_ref().is_some_and(|p| p.0.names(&file))
        };
        let expected: BTreeSet<String> =
            alike_files(&kept_all.path().join("index")).into_iter().filter(named).collect();
        assert_eq!(on_disk, expected, "day {day}");
        if day > 0 {
            assert!(removed(&run).is_some(), "day {day}: {}", run.stderr);
        }
        // Both manifests' readers find every file, and a reader still
        // holding the replaced one gets the answers it got before.
        assert_whole(&folder, &manifest);
        if let Some((replaced, queries, answered)) = &previous {
            assert_whole(&folder, replaced);
            std::fs::write(folder.join("replaced.json"), replaced.to_json()).expect("writable");
            assert_eq!(&answers(dir.path(), "index/replaced.json", queries), answered, "day {day}");
            std::fs::remove_file(folder.join("replaced.json")).expect("removable");
        }
        let answered = answers(dir.path(), "index/index.json", lines);
        previous = Some((manifest, lines, answered));
    }
    let (pruned, all) = (alike_files(&folder).len(), alike_files(&kept_all.path().join("index")).len());
    assert!(pruned < all, "{pruned} files left of {all}");
    // Only alike's files went: a kept folder's other files are the same.
    let others = |folder: &Path| -> BTreeSet<String> {
        files(folder).into_keys().filter(|p| FileRef::parse(p).is_none()).collect()
    };
    assert_eq!(others(&folder), others(&kept_all.path().join("index")));
}

#[test]
fn other_files_and_other_indexes_in_the_folder_stay() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("index");
    let lines = sample();
    // A second index (another site section, its own manifest) and a small
    // one in a single file, in the same folder.
    build(dir.path(), "sport.json", &lines[200..], &["--layout", "clusters"]);
    build(dir.path(), "small.json", &lines[..20], &["--layout", "single"]);
    let foreign =
        ["c/README.txt", "l/0-1.json.bak", "e-1.json.gz", "data.json", "d/notes/1-2.json", "robots.txt"];
    for path in foreign {
        let path = folder.join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("writable");
        std::fs::write(path, "{\"format\": \"something else\"}").expect("writable");
    }
    let before = files(&folder);
    // Three full builds of another index: the first's files go at the third.
    for (i, end) in [150, 160, 170].into_iter().enumerate() {
        let run = build(dir.path(), "index.json", &lines[..end], &["--layout", "clusters", "--full"]);
        let removed = removed(&run).expect("a count");
        assert_eq!(removed > 0, i == 2, "{}", run.stderr);
    }
    let after = files(&folder);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} changed or went");
    }
    let sport = manifest_at(&folder.join("sport.json"));
    assert_whole(&folder, &sport);
    assert!(!answers(dir.path(), "index/small.json", &lines[..20]).is_empty());
    let own = manifest_at(&folder.join("index.json"));
    for path in after.keys() {
        if let Some(file) = FileRef::parse(path) {
            assert!(own.keeps(&file) || sport.keeps(&file), "{path} stayed");
        }
    }
}

#[test]
fn keep_old_files_keeps_everything() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("index");
    let lines = sample();
    let mut all = BTreeSet::new();
    for end in [150, 160, 170] {
        let run = build(dir.path(), "index.json", &lines[..end], &["--full", "--keep-old-files"]);
        assert_eq!(removed(&run), None, "{}", run.stderr);
        all.extend(alike_files(&folder));
        assert_eq!(alike_files(&folder), all);
    }
    // The next build without it removes the first build's files.
    build(dir.path(), "index.json", &lines[..180], &["--full"]);
    assert!(alike_files(&folder).len() < all.len());
}

#[test]
fn remove_replaced_leaves_only_what_the_new_manifest_names() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("index");
    let lines = sample();
    build(dir.path(), "index.json", &lines[..150], &[]);
    let first = alike_files(&folder);
    // By default a full rebuild keeps the replaced build's files one build more.
    build(dir.path(), "index.json", &lines[..160], &["--full"]);
    let both = alike_files(&folder);
    assert!(first.is_subset(&both) && both.len() > first.len());
    // With --remove-replaced, only the new build's: no file its manifest
    // does not name, and none it names missing.
    let run = build(dir.path(), "index.json", &lines[..170], &["--full", "--remove-replaced"]);
    assert!(removed(&run).is_some_and(|n| n >= both.len()), "{}", run.stderr);
    let manifest = manifest_at(&folder.join("index.json"));
    assert!(manifest.previous.is_empty());
    let left = alike_files(&folder);
    assert!(left.iter().all(|path| manifest.names(&FileRef::parse(path).expect("alike's"))), "{left:?}");
    assert!(left.is_disjoint(&both));
    assert_whole(&folder, &manifest);
    // An incremental build too: the base's files stay, named.
    let run = build(dir.path(), "index.json", &lines[..172], &["--remove-replaced"]);
    assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
    let manifest = manifest_at(&folder.join("index.json"));
    let now = alike_files(&folder);
    assert!(now.iter().all(|path| manifest.names(&FileRef::parse(path).expect("alike's"))), "{now:?}");
    assert!(left.is_subset(&now), "the base's files stay");
    assert_whole(&folder, &manifest);
    // It cannot be asked for with --keep-old-files.
    let input = dir.path().join("articles.jsonl");
    let out = common::alike(
        dir.path(),
        &[
            "index",
            input.to_str().expect("UTF-8"),
            "--out",
            "index/index.json",
            "--keep-old-files",
            "--remove-replaced",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn a_file_that_cannot_be_removed_is_a_warning_and_the_index_loads() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("index");
    let lines = sample();
    build(dir.path(), "index.json", &lines[..150], &[]);
    // A folder under an old file's name: removing it as a file fails, for
    // root too (whom a read-only folder would not stop).
    let stuck = folder.join("c/0-1.json");
    std::fs::create_dir_all(stuck.join("inside")).expect("writable");
    build(dir.path(), "index.json", &lines[..160], &["--full"]);
    let run = build(dir.path(), "index.json", &lines[..170], &["--full"]);
    assert!(
        run.stderr.contains("warning: cannot remove the old file c/0-1.json: ")
            && run.stderr.contains("it stays (the index is whole)"),
        "{}",
        run.stderr
    );
    assert!(stuck.join("inside").exists());
    assert_whole(&folder, &manifest_at(&folder.join("index.json")));
    assert_eq!(answers(dir.path(), "index/index.json", &lines[..170]).lines().count(), 170);
}
