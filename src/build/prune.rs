//! Removing the files no index in a folder uses any more. Every build of
//! the cluster layout writes its files under its own generation
//! (`layout.rs`) and never overwrites one, so without this the folder
//! grows by a build's new files each rebuild (BBC: 640 files after ten 1%
//! rebuilds, 428 in use), and a site that rebuilds hourly passes its
//! host's file limit in weeks.
//!
//! The rule, after the new manifest is in place: a file of alike's names
//! (`FileRef::parse`: `e-<g>.json` beside the manifest, `<k|c|l|d|r>/<n>-<g>.json`)
//! goes when no manifest in the folder keeps it (`Manifest::keeps`): what
//! each index's manifest names, and what the manifest it replaced named
//! (its `previous`), for readers that fetched that one just before the
//! deploy. Files of any other name are never touched; an alike index in
//! the folder whose files this cannot tell (an earlier version's term
//! shards, a manifest that does not read) stops the removal whole.
//! Removal comes last and only removes: a failure leaves files behind,
//! never an index without its files.

use std::path::Path;

use serde_json::Value;

use crate::format::FORMAT_NAME;
use crate::layout::{FOLDERS, FileRef};
use crate::manifest::Manifest;

/// What `remove_old_files` did.
#[derive(Debug, Default)]
pub struct Pruned {
    /// Files removed.
    pub removed: usize,
    /// The files that could not be removed, each with why: they stay, and
    /// every index is whole.
    pub failed: Vec<String>,
    /// The files of alike's names left in the folder, and how many of them
    /// only a replaced manifest keeps (`Manifest::previous`).
    pub left: usize,
    pub replaced: usize,
}

/// Records in `manifest` the generations of the manifest it replaces
/// (`old`, the text at its path, if there was one) that it does not name
/// itself, so that their files stay for one more build. A manifest of the same generations (a rebuild
/// that changed nothing) hands on its own `previous` instead. Err when
/// `old` is an alike index whose files this cannot tell: then no file may
/// be removed after this build.
pub fn record_replaced(manifest: &mut Manifest, old: Option<&str>) -> Result<(), String> {
    let old = old.map(read).transpose().map_err(|why| format!("the index this build replaced {why}"))?;
    let own = manifest.generations();
    manifest.previous = match old.flatten() {
        None => Vec::new(),
        Some(old) if old.generations() == own => old.previous,
        // Only what this manifest does not name already: an incremental
        // build that merged nothing records none (readers fetch the
        // manifest, so its bytes count).
        Some(old) => old.generations().into_iter().filter(|g| !own.contains(g)).collect(),
    };
    Ok(())
}

/// Removes from the index folder `dir` the files of layout 2 that no
/// manifest in it keeps (see the module's doc). Err, having removed
/// nothing, when the folder holds an alike index whose files this cannot
/// tell, or no manifest at all.
pub fn remove_old_files(dir: &Path) -> Result<Pruned, String> {
    let listed = |folder: &Path| {
        std::fs::read_dir(folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))
    };
    let mut manifests = Vec::new();
    let mut candidates = Vec::new();
    for entry in listed(dir)? {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        if let Some(file) = FileRef::parse(&name) {
            candidates.push(file);
        } else if name.ends_with(".json") && entry.file_type().is_ok_and(|t| t.is_file()) {
            let json = std::fs::read_to_string(entry.path())
                .map_err(|e| format!("cannot read {name} to tell whether it is an index: {e}"))?;
            manifests.extend(read(&json).map_err(|why| format!("{name} {why}"))?);
        }
    }
    if manifests.is_empty() {
        return Err(format!("{} holds no manifest of the cluster layout", dir.display()));
    }
    for folder in FOLDERS {
        let path = dir.join(folder);
        let entries = match listed(&path) {
            Ok(entries) => entries,
            Err(_) if !path.exists() => continue,
            Err(why) => return Err(why),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", path.display()))?;
            let Some(name) = entry.file_name().to_str().map(|name| format!("{folder}/{name}")) else {
                continue;
            };
            candidates.extend(FileRef::parse(&name));
        }
    }
    let mut pruned = Pruned::default();
    for file in candidates {
        if manifests.iter().any(|manifest| manifest.keeps(&file)) {
            pruned.left += 1;
            pruned.replaced += usize::from(!manifests.iter().any(|manifest| manifest.names(&file)));
            continue;
        }
        let path = file.path();
        match std::fs::remove_file(dir.join(&path)) {
            Ok(()) => pruned.removed += 1,
            Err(e) => {
                pruned.left += 1;
                pruned.failed.push(format!("{path}: {e}"));
            }
        }
    }
    Ok(pruned)
}

/// What a JSON file beside the manifest is, for the removal: a manifest
/// of the cluster layout (its files are known); None for a file that is
/// not an alike index, or a single-file one (it names no file of the
/// layout's folders); Err for an alike index whose files cannot be told
/// (an earlier version's term shards share `l/` and the names' shape), or
/// a manifest damaged or cut short (its files are still someone's).
fn read(json: &str) -> Result<Option<Manifest>, String> {
    let Ok(value) = serde_json::from_str::<Value>(json) else {
        return match crate::format::damaged(json, FORMAT_NAME, "it") {
            Some(why) => Err(format!("is an alike index whose files cannot be told apart ({why})")),
            None => Ok(None),
        };
    };
    if value.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) {
        return Ok(None);
    }
    if value.get("version").and_then(Value::as_u64) == Some(1) && value.get("shards").is_none() {
        return Ok(None);
    }
    Manifest::from_json(json)
        .map(Some)
        .map_err(|error| format!("is an alike index whose files cannot be told apart ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::ManifestLists;

    fn manifest(generation: u32) -> Manifest {
        let lists = ManifestLists {
            length: 10,
            bucket_bits: 1,
            min_score: None,
            recent: None,
            newest: None,
            newest_time: None,
            #[cfg(not(target_arch = "wasm32"))]
            members: None,
        };
        Manifest::new(generation, 10, FileRef::Engine { generation }.path(), Some(lists))
    }

    /// Writes `manifest` at `name` in `dir` with the files it names (an
    /// engine, one cluster, two list files).
    fn put(dir: &Path, name: &str, manifest: &Manifest) {
        let generation = manifest.generation;
        let files = [
            FileRef::Engine { generation },
            FileRef::Cluster { cluster: 0, generation },
            FileRef::Lists { bucket: 0, generation },
            FileRef::Lists { bucket: 1, generation },
        ];
        for path in files.iter().map(FileRef::path) {
            put_file(dir, &path);
        }
        std::fs::write(dir.join(name), manifest.to_json()).unwrap();
    }

    fn put_file(dir: &Path, path: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }

    /// A folder holding `manifests` and their files.
    fn folder(manifests: &[(&str, &Manifest)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, manifest) in manifests {
            put(dir.path(), name, manifest);
        }
        dir
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut files = Vec::new();
        for folder in ["", "c", "k", "l", "d", "r", "t"] {
            let Ok(entries) = std::fs::read_dir(dir.join(folder)) else { continue };
            for entry in entries.flatten().filter(|e| e.file_type().unwrap().is_file()) {
                let name = entry.file_name().into_string().unwrap();
                files.push(if folder.is_empty() { name } else { format!("{folder}/{name}") });
            }
        }
        files.sort();
        files
    }

    #[test]
    fn files_of_builds_before_the_last_two_go_and_nothing_else() {
        let others =
            ["c/notes.txt", "c/1F-a.json", "l/0-a.json.gz", "e-a.json.bak", "site.json", "t/0-a.json"];
        let dir = folder(&[("index.json", &manifest(0xa))]);
        others.iter().for_each(|other| put_file(dir.path(), other));
        // Two builds in a row, each recording the manifest it replaced.
        for generation in [0xb, 0xc] {
            let mut new = manifest(generation);
            let replaced = std::fs::read_to_string(dir.path().join("index.json")).unwrap();
            record_replaced(&mut new, Some(&replaced)).unwrap();
            assert_eq!(new.previous, [generation - 1]);
            put(dir.path(), "index.json", &new);
        }
        let pruned = remove_old_files(dir.path()).unwrap();
        assert_eq!((pruned.removed, pruned.failed.len()), (4, 0), "{pruned:?}");
        let mut expected: Vec<String> = ["index.json"]
            .into_iter()
            .map(String::from)
            .chain(others.iter().map(|o| o.to_string()))
            .chain(["b", "c"].iter().flat_map(|g| {
                [
                    format!("e-{g}.json"),
                    format!("c/0-{g}.json"),
                    format!("l/0-{g}.json"),
                    format!("l/1-{g}.json"),
                ]
            }))
            .collect();
        expected.sort();
        assert_eq!(files_in(dir.path()), expected);
        // Again: nothing more goes.
        assert_eq!(remove_old_files(dir.path()).unwrap().removed, 0);
    }

    #[test]
    fn another_index_in_the_folder_keeps_its_files_and_its_predecessors() {
        let mut other = manifest(0x2);
        other.previous = vec![0x1];
        let dir = folder(&[("en.json", &manifest(0xe)), ("fr.json", &other), ("gone.json", &manifest(0x1))]);
        std::fs::remove_file(dir.path().join("gone.json")).unwrap();
        let before = files_in(dir.path());
        assert_eq!(remove_old_files(dir.path()).unwrap().removed, 0);
        assert_eq!(files_in(dir.path()), before);
        // Once fr.json no longer names it, generation 1 goes.
        let mut other = manifest(0x3);
        other.previous = vec![0x2];
        std::fs::write(dir.path().join("fr.json"), other.to_json()).unwrap();
        assert_eq!(remove_old_files(dir.path()).unwrap().removed, 4);
        assert!(!dir.path().join("e-1.json").exists() && dir.path().join("e-2.json").exists());
    }

    #[test]
    fn an_index_whose_files_cannot_be_told_stops_the_removal() {
        let sharded = r#"{"format":"alike-index","version":1,"shards":{"terms":[]}}"#;
        let single = r#"{"format":"alike-index","version":1,"scoring":{}}"#;
        let other_layout = manifest(0xa).to_json().replace("\"clusters\"", "\"terms\"");
        let whole = manifest(0xa).to_json();
        let cut = &whole[..whole.len() / 2];
        for (blocker, why) in [
            (sharded, "format version 1"),
            (r#"{"format":"alike-index","version":3}"#, "version 3"),
            (&other_layout, "layout is \"terms\""),
            (cut, "it is cut short"),
        ] {
            let dir = folder(&[("index.json", &manifest(0xc)), ("old.json", &manifest(0xa))]);
            std::fs::write(dir.path().join("old.json"), blocker).unwrap();
            std::fs::write(dir.path().join("single.json"), single).unwrap();
            let before = files_in(dir.path());
            let error = remove_old_files(dir.path()).unwrap_err();
            assert!(error.starts_with("old.json is an alike index") && error.contains(why), "{error}");
            assert_eq!(files_in(dir.path()), before);
            let mut new = manifest(0xd);
            let error = record_replaced(&mut new, Some(blocker)).unwrap_err();
            assert!(error.starts_with("the index this build replaced is an alike index"), "{error}");
        }
        // A single file, or no alike index at all, names no file.
        let dir = folder(&[("index.json", &manifest(0xc)), ("old.json", &manifest(0xa))]);
        std::fs::write(dir.path().join("old.json"), single).unwrap();
        assert_eq!(remove_old_files(dir.path()).unwrap().removed, 4);
        let mut new = manifest(0xd);
        for names_none in [single, "not json", r#"{"format":"other"}"#] {
            record_replaced(&mut new, Some(names_none)).unwrap();
            assert!(new.previous.is_empty());
        }
        // A folder without a manifest keeps everything.
        let dir = folder(&[("index.json", &manifest(0xc))]);
        std::fs::remove_file(dir.path().join("index.json")).unwrap();
        assert!(remove_old_files(dir.path()).unwrap_err().contains("holds no manifest"));
        assert_eq!(files_in(dir.path()).len(), 4);
    }

    /// `manifest(generation)` after incremental builds: its segments.
    fn with_segments(generation: u32, segments: &[u32]) -> Manifest {
        let mut manifest = manifest(generation);
        let (oldest, newer) = (segments[0], segments[1..].to_vec());
        let sizes = "A".repeat(segments.len());
        let delta = crate::engine_file::Delta {
            generation: oldest,
            group_clusters: 1,
            sizes: "A".into(),
            newer: newer.clone(),
            newer_sizes: sizes[1..].to_string(),
        };
        manifest.delta = Some(delta);
        let recent =
            crate::manifest::RecentLists { bucket_bits: 0, generation: oldest, newer, members: Vec::new() };
        manifest.lists.as_mut().unwrap().recent = Some(recent);
        manifest
    }

    #[test]
    fn a_manifest_records_only_what_it_no_longer_names_of_the_one_it_replaced() {
        let record = |new: &mut Manifest, old: &Manifest| record_replaced(new, Some(&old.to_json())).unwrap();
        // A segment added: the old manifest's files are all still named.
        let mut new = with_segments(0xc, &[0x1, 0x2]);
        record(&mut new, &with_segments(0xc, &[0x1]));
        assert!(new.previous.is_empty());
        // A merge: the merged segments'.
        let mut merged = with_segments(0xc, &[0x4]);
        record(&mut merged, &with_segments(0xc, &[0x1, 0x2, 0x3]));
        assert_eq!(merged.previous, [0x1, 0x2, 0x3]);
        // A full build: all of them.
        let mut full = manifest(0xd);
        record(&mut full, &merged);
        assert_eq!(full.previous, [0x4, 0xc]);
        // A rebuild that changed nothing hands on what the one it replaced recorded.
        let mut again = manifest(0xd);
        record(&mut again, &full);
        assert_eq!(again.previous, [0x4, 0xc]);
        record_replaced(&mut again, None).unwrap();
        assert!(again.previous.is_empty());
    }

    #[test]
    fn a_file_that_cannot_be_removed_stays_and_is_reported() {
        let dir = folder(&[("index.json", &manifest(0xc))]);
        // A folder under a file's name: removing it as a file fails, for
        // root too (a read-only folder would not stop root).
        std::fs::create_dir_all(dir.path().join("c/5-a.json/inside")).unwrap();
        std::fs::write(dir.path().join("c/6-a.json"), "{}").unwrap();
        let pruned = remove_old_files(dir.path()).unwrap();
        assert_eq!(pruned.removed, 1);
        assert_eq!(pruned.failed.len(), 1);
        assert!(pruned.failed[0].starts_with("c/5-a.json: "), "{:?}", pruned.failed);
        assert!(dir.path().join("c/5-a.json/inside").exists());
        assert_eq!(files_in(dir.path()).len(), 5, "the index's files stay");
    }

    /// Rebuilds in a row as the CLI runs them, in a real folder: each step
    /// adds `new` articles of the fixture (in an order `seed` shuffles) and
    /// builds incrementally where it can, afresh where asked (`full`) or
    /// where it cannot; records the manifest it replaces; writes its files,
    /// the manifest last; then removes old files. After each: the folder
    /// holds no alike file that neither the new manifest nor the replaced
    /// one names, and both still read whole and answer as they did before
    /// the removal (every page's list as readers combine the files, and
    /// the engine's first answer for a few articles).
    fn rebuilds_then_removal(steps: &[(usize, bool)], seed: u64) {
        use crate::{Article, Base, BuildOptions, IndexBuilder, ManifestBase};

        let mut articles: Vec<Article> = include_str!("../../tests/fixtures/news.jsonl")
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let mut state = seed | 1;
        for i in (1..articles.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            articles.swap(i, (state >> 33) as usize % (i + 1));
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index.json");
        let mut held = 30;
        let mut previous: Option<(Manifest, Answers, usize)> = None;
        let mut history: Vec<Manifest> = Vec::new();
        for (step, &(new, full)) in [(0, true)].iter().chain(steps).enumerate() {
            held = (held + new).min(articles.len());
            let mut builder = IndexBuilder::new(BuildOptions::default()).unwrap();
            for article in &articles[..held] {
                builder.add(article.clone()).unwrap();
            }
            let old = std::fs::read_to_string(&out).ok();
            let base = old.as_deref().map(|json| Manifest::from_json(json).unwrap()).filter(|_| !full);
            let base = base.and_then(|m| {
                let read =
                    |path: &str| std::fs::read_to_string(dir.path().join(path)).map_err(|e| e.to_string());
                let size = |path: &str| {
                    std::fs::metadata(dir.path().join(path)).map(|m| m.len()).map_err(|e| e.to_string())
                };
                let base = Base::read(&m, read, size).unwrap();
                let plan = builder.delta_on(&base).ok()?;
                Some((m, base, plan))
            });
            let mut index = match base {
                Some((manifest, base, plan)) => {
                    let plan = builder.delta_files(&base, plan);
                    let mut index = builder.build().incremental(&base, plan, 5, 0.0);
                    index.manifest.base = manifest.base;
                    index
                }
                None => {
                    let mut index = builder.build().clustered(5, 0.0, Some(8), None);
                    let generation = index.manifest.generation;
                    let (articles, content, settings) = (held as u32, String::new(), String::new());
                    index.manifest.base =
                        Some(ManifestBase { generation, articles, content, settings, all: None });
                    index
                }
            };
            record_replaced(&mut index.manifest, old.as_deref()).unwrap();
            for (path, json) in index.files() {
                put_file(dir.path(), &path);
                std::fs::write(dir.path().join(path), json).unwrap();
            }
            std::fs::write(&out, index.manifest.to_json()).unwrap();
            let manifest = index.manifest;
            let answers = Answers::of(dir.path(), &manifest, &articles[..held]);

            let pruned = remove_old_files(dir.path()).unwrap();
            assert!(pruned.failed.is_empty(), "{pruned:?}");
            // The last manifest of other files than this one's (a build
            // that changed nothing hands its predecessor's on).
            let replaced =
                history.iter().rev().find(|m: &&Manifest| m.generations() != manifest.generations());
            for path in files_in(dir.path()).iter().filter(|path| path.as_str() != "index.json") {
                let file = FileRef::parse(path).unwrap();
                let named = manifest.names(&file) || replaced.is_some_and(|m| m.names(&file));
                assert!(named, "step {step}: {path} is of no manifest in use");
            }
            assert_eq!(Answers::of(dir.path(), &manifest, &articles[..held]), answers, "step {step}");
            if let Some((replaced, answered, asked)) = &previous {
                let again = Answers::of(dir.path(), replaced, &articles[..*asked]);
                assert_eq!(&again, answered, "step {step}: the replaced manifest's readers");
            }
            history.push(manifest.clone());
            previous = Some((manifest, answers, held));
        }
    }

    /// What readers of a manifest get from the files in a folder: every
    /// page's list as the shim combines the list file and the segments'
    /// recent files, newest first (`list_file::list_of`), and the engine's
    /// first answer for a few articles' words in reverse order.
    #[derive(Debug, PartialEq)]
    struct Answers {
        lists: Vec<Option<Vec<String>>>,
        engine: Vec<Option<String>>,
    }

    impl Answers {
        fn of(dir: &Path, manifest: &Manifest, articles: &[crate::Article]) -> Answers {
            use crate::list_file::{ListFile, list_of};
            use crate::{ClusterFile, EngineFile, Index, QueryOptions, Step};

            let read = |path: &str| {
                std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
            };
            let lists = manifest.lists.as_ref().unwrap();
            let recent = lists.recent.as_ref();
            let generations: Vec<u32> = recent
                .iter()
                .flat_map(|r| [r.generation].into_iter().chain(r.newer.iter().copied()))
                .collect();
            let lists = articles
                .iter()
                .map(|article| {
                    let key = crate::text::url_key(&article.url);
                    let bucket = |bits| crate::layout::bucket_of_key(&key, bits);
                    let path =
                        FileRef::Lists { bucket: bucket(lists.bucket_bits), generation: manifest.generation };
                    let base = ListFile::from_json(&read(&path.path())).unwrap();
                    let recent: Vec<ListFile> = generations
                        .iter()
                        .rev()
                        .map(|&generation| {
                            let bucket = bucket(recent.unwrap().bucket_bits);
                            ListFile::from_json(&read(&FileRef::Recent { bucket, generation }.path()))
                                .unwrap()
                        })
                        .collect();
                    let recent: Vec<&ListFile> = recent.iter().collect();
                    let list = list_of(&key, &base, &recent).unwrap();
                    list.map(|list| list.into_iter().map(|entry| entry.url).collect())
                })
                .collect();
            let engine = articles
                .iter()
                .step_by(7)
                .map(|article| {
                    let engine =
                        EngineFile::from_json(&read(&manifest.engine)).unwrap().with_manifest(manifest);
                    let mut index = Index::from_engine_file(engine).unwrap();
                    let body = article.body.split(' ').rev().collect::<Vec<_>>().join(" ");
                    let probe = crate::Article { url: "/probe".into(), body, ..article.clone() };
                    let mut search = index.search(&probe, &QueryOptions::default()).unwrap();
                    loop {
                        match search.step(&index).unwrap() {
                            Step::Need(shards) => {
                                for shard in &shards {
                                    let file = ClusterFile::from_json(&read(shard.path())).unwrap();
                                    index.add_cluster(shard, file).unwrap();
                                }
                            }
                            Step::Done(related) => return related.first().map(|r| r.url.clone()),
                        }
                    }
                })
                .collect();
            Answers { lists, engine }
        }
    }

    #[test]
    fn rebuilds_merges_and_full_builds_keep_what_the_last_two_manifests_need() {
        // Four incremental builds (the fourth merges), a full one, two more.
        rebuilds_then_removal(
            &[(1, false), (1, false), (1, false), (2, false), (1, true), (1, false), (2, false)],
            3,
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]
        #[test]
        fn any_sequence_of_rebuilds_keeps_what_the_last_two_manifests_need(
            steps in proptest::collection::vec((0usize..=3, proptest::prelude::any::<bool>()), 1..=7),
            seed in proptest::prelude::any::<u64>(),
        ) {
            rebuilds_then_removal(&steps, seed);
        }
    }
}
