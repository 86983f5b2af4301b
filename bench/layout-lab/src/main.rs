//! The layout lab (issue 16): builds a corpus with alike's own builder and
//! measures candidate ways of cutting the index into files — today's
//! term-hash shards, an inverted file by cluster, graph navigation over the
//! stored lists — for P@5 through alike's own engine, requests and gzipped
//! bytes per engine-path query, files, churn under a 1% rebuild, build time
//! and memory. Prints one JSON object of results. See README.md.

mod files;
mod gzip;
mod kmeans;
mod model;
mod vlq;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use alike::{Index, Listed, QueryOptions};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::files::{centroid_table, cluster_file, list_file_of};
use crate::gzip::gz;
use crate::kmeans::cluster;
use crate::model::{Model, Record, Tie, article, baseline, read_jsonl};

/// What every engine-path box pays before the index (gzip, issue 16's
/// assumptions): the shim, the glue and the 40 KB wasm, three requests.
const FIXED_BYTES: usize = 7_200 + 2_300 + 40_000;
const FIXED_REQUESTS: usize = 3;
/// What a list-path box pays before the index: the shim.
const SHIM_BYTES: usize = 7_200;

struct Args {
    corpus: String,
    name: String,
    limit: usize,
    queries: usize,
    clusters: Vec<usize>,
    probes: Vec<usize>,
    centroid_terms: Vec<usize>,
    rounds: usize,
    baseline: bool,
    cap: Option<u32>,
    lists: usize,
    graph: bool,
    churn: bool,
    churn_k: usize,
    ties: bool,
    coarse: usize,
    split: f64,
    top_down: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        corpus: String::new(),
        name: String::new(),
        limit: usize::MAX,
        queries: 300,
        clusters: vec![64],
        probes: vec![1, 2, 3],
        centroid_terms: vec![64],
        rounds: 10,
        baseline: false,
        cap: None,
        lists: 0,
        graph: false,
        churn: false,
        churn_k: 0,
        ties: false,
        coarse: 0,
        split: 0.0,
        top_down: false,
    };
    let list = |v: &str| v.split(',').map(|x| x.parse().expect("a number")).collect::<Vec<usize>>();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => args.corpus = value(),
            "--name" => args.name = value(),
            "--limit" => args.limit = value().parse().expect("a number"),
            "--queries" => args.queries = value().parse().expect("a number"),
            "--clusters" => args.clusters = list(&value()),
            "--probes" => args.probes = list(&value()),
            "--centroid-terms" => args.centroid_terms = list(&value()),
            "--rounds" => args.rounds = value().parse().expect("a number"),
            "--baseline" => args.baseline = true,
            "--cap" => args.cap = Some(value().parse().expect("a number")),
            "--lists" => args.lists = value().parse().expect("a number"),
            "--graph" => args.graph = true,
            "--churn" => args.churn = true,
            "--churn-k" => args.churn_k = value().parse().expect("a number"),
            "--ties" => args.ties = true,
            "--coarse" => args.coarse = value().parse().expect("a number"),
            "--split" => args.split = value().parse().expect("a number"),
            "--top-down" => args.top_down = true,
            other => panic!("unknown option {other}; see bench/layout-lab/README.md"),
        }
    }
    assert!(!args.corpus.is_empty(), "--corpus FILE is required");
    args
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable_by(f64::total_cmp);
    values[values.len() / 2]
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// `n` ids spread evenly over `0..total`, as the bench samples pages.
fn spread(total: usize, n: usize) -> Vec<u32> {
    if n >= total {
        return (0..total as u32).collect();
    }
    (0..n).map(|i| (i * total / n) as u32).collect()
}

fn log(what: &str) {
    eprintln!("[lab {}] {what}", chrono_now());
}

fn chrono_now() -> String {
    let s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format!("{:02}:{:02}:{:02}", (s / 3600) % 24, (s / 60) % 60, s % 60)
}

struct Scorer<'a> {
    label: HashMap<&'a str, &'a str>,
}

impl Scorer<'_> {
    fn p5(&self, records: &[Record], queries: &[u32], answers: &[Vec<String>]) -> f64 {
        let hits: usize = queries
            .iter()
            .zip(answers)
            .map(|(&q, urls)| {
                let want = records[q as usize].label.as_str();
                urls.iter().take(5).filter(|u| self.label.get(u.as_str()) == Some(&want)).count()
            })
            .sum();
        hits as f64 / (5 * queries.len()) as f64
    }
}

/// Each article's related list (k = 10) as alike ranks it: the engine's
/// query on the article's text over the whole index.
fn rank_lists(index: &Index, records: &[Record], ids: &[u32]) -> Vec<Vec<Listed>> {
    let options = QueryOptions { k: 10, ..QueryOptions::default() };
    ids.par_iter()
        .map(|&a| {
            index
                .recommend(&article(&records[a as usize]), &options)
                .expect("a whole index answers")
                .into_iter()
                .map(|r| Listed {
                    url: r.url,
                    title: r.title,
                    date: r.date,
                    section: r.section,
                    image: r.image,
                    snippet: r.snippet,
                })
                .collect()
        })
        .collect()
}

fn main() {
    let args = parse_args();
    let started = Instant::now();
    let records = read_jsonl(&args.corpus, args.limit);
    let n = records.len();
    log(&format!("{}: {n} articles read", args.name));
    let model = Model::build(records.clone());
    log(&format!("built in {:.1} s", model.build_seconds));
    let scorer = Scorer { label: records.iter().map(|r| (r.url.as_str(), r.label.as_str())).collect() };
    let queries = spread(n, args.queries);
    let mut out = json!({
        "corpus": args.name, "articles": n, "queries": queries.len(),
        "build_seconds": model.build_seconds, "terms": model.df.len(),
        "single_gz": gz(alike::to_json(&model.single).as_bytes()),
        "fixed": { "bytes": FIXED_BYTES, "requests": FIXED_REQUESTS, "shim": SHIM_BYTES },
    });

    // Exact: alike's engine over the whole index, and the lab's restricted
    // engine over every article (which must agree with it).
    let exact_index = Index::from_file(model.single.clone()).expect("the single file loads");
    let options = QueryOptions::default();
    let exact: Vec<Vec<String>> = queries
        .par_iter()
        .map(|&q| {
            let related = exact_index.recommend(&article(&records[q as usize]), &options).expect("answers");
            related.into_iter().map(|r| r.url).collect()
        })
        .collect();
    let checks = queries.len().min(if n > 50_000 { 3 } else { 20 });
    for (i, &q) in queries.iter().take(checks).enumerate() {
        let restricted = model.restricted(&records[q as usize], None, 5);
        assert_eq!(restricted, exact[i], "the restricted engine over every article must rank as alike does");
    }
    out["exact"] = json!({ "p5": scorer.p5(&records, &queries, &exact), "restricted_checked": checks });
    log(&format!("exact P@5 {:.3}", out["exact"]["p5"].as_f64().unwrap_or(0.0)));

    if args.baseline {
        let t = Instant::now();
        let base = baseline(&records, args.cap);
        let build = t.elapsed().as_secs_f64();
        let sample = spread(n, queries.len().min(100));
        let runs: Vec<(usize, usize, usize)> =
            sample.par_iter().map(|&q| base.query(&records[q as usize])).collect();
        let mut requests: Vec<f64> = runs.iter().map(|r| r.0 as f64).collect();
        let mut bytes: Vec<f64> = runs.iter().map(|r| r.1 as f64).collect();
        let mut rounds: Vec<f64> = runs.iter().map(|r| r.2 as f64).collect();
        out["baseline"] = json!({
            "cap": args.cap, "build_seconds": build, "files": base.files(), "largest_gz": base.largest(),
            "total_gz": base.total_gz(), "manifest_gz": base.manifest_gz, "pages": sample.len(),
            "index_requests": median(&mut requests), "index_bytes": median(&mut bytes), "rounds": median(&mut rounds),
        });
        log(&format!("baseline {}", out["baseline"]));
    }

    let all: Vec<u32> = (0..n as u32).collect();
    let manifest_base: Value = serde_json::from_str(&alike::to_json(&model.single_manifest())).expect("json");
    let mut ivf = Vec::new();
    for &k in &args.clusters {
        let (mut clustering, mut table) = if args.top_down && args.coarse > 0 {
            let (fine, table) = kmeans::top_down(&model, &all, args.coarse, k, args.rounds);
            (fine, Some(table))
        } else {
            (cluster(&model, &all, k, args.rounds, 256), None)
        };
        if args.split > 0.0 && table.is_none() {
            let limit = (args.split * n as f64 / k as f64).ceil() as usize;
            clustering = kmeans::split_large(&model, clustering, limit, args.rounds);
        }
        let members = clustering.members();
        let sizes: Vec<usize> = members
            .par_iter()
            .enumerate()
            .map(|(c, m)| gz(cluster_file(&model, c as u32, m).as_bytes()))
            .collect();
        let mut counts: Vec<f64> = members.iter().map(|m| m.len() as f64).collect();
        let mut file_gz: Vec<f64> = sizes.iter().map(|&s| s as f64).collect();
        let mut tables = Vec::new();
        for &terms in &args.centroid_terms {
            let table = centroid_table(&clustering.centroids, terms);
            let mut manifest = manifest_base.clone();
            manifest["centroids"] = table.clone();
            tables.push(json!({
                "terms": terms, "table_gz": gz(table.to_string().as_bytes()),
                "manifest_gz": gz(manifest.to_string().as_bytes()),
            }));
        }
        let mut runs = Vec::new();
        for &terms in &args.centroid_terms {
            for &probes in &args.probes {
                let results: Vec<(Vec<String>, usize, usize)> = queries
                    .par_iter()
                    .map(|&q| {
                        let record = &records[q as usize];
                        let near = clustering.nearest(&model.query_vector(record), terms);
                        let probed = &near[..probes.min(near.len())];
                        let mut chosen: Vec<u32> =
                            probed.iter().flat_map(|&c| members[c as usize].clone()).collect();
                        chosen.sort_unstable();
                        let bytes = probed.iter().map(|&c| sizes[c as usize]).sum();
                        (model.restricted(record, Some(&chosen), 5), bytes, chosen.len())
                    })
                    .collect();
                let answers: Vec<Vec<String>> = results.iter().map(|r| r.0.clone()).collect();
                let mut bytes: Vec<f64> = results.iter().map(|r| r.1 as f64).collect();
                let mut scored: Vec<f64> = results.iter().map(|r| r.2 as f64).collect();
                runs.push(json!({
                    "centroid_terms": terms, "probes": probes, "p5": scorer.p5(&records, &queries, &answers),
                    "cluster_bytes": median(&mut bytes), "articles_scored": median(&mut scored),
                }));
            }
        }
        let two_level = (args.coarse > 0).then(|| {
            let table =
                table.take().unwrap_or_else(|| kmeans::TwoLevel::new(&clustering, args.coarse, args.rounds));
            let run = TwoLevelRun {
                fine: &clustering,
                members: &members,
                sizes: &sizes,
                manifest_base: &manifest_base,
            };
            two_level(&args, &model, &records, &scorer, &queries, &run, table)
        });
        let entry = json!({
            "two_level": two_level,
            "k": clustering.k, "kmeans_seconds": clustering.seconds,
            "members_median": median(&mut counts.clone()), "members_max": counts.iter().cloned().fold(0.0, f64::max),
            "file_gz_median": median(&mut file_gz), "file_gz_max": sizes.iter().max(),
            "total_gz": sizes.iter().sum::<usize>(), "tables": tables, "runs": runs,
        });
        counts.clear();
        log(&format!("ivf {entry}"));
        ivf.push(entry);
    }
    out["ivf"] = Value::Array(ivf);

    if args.lists > 0 || args.graph {
        let ids = if args.graph { all.clone() } else { spread(n, args.lists) };
        let t = Instant::now();
        let lists = rank_lists(&exact_index, &records, &ids);
        let seconds = t.elapsed().as_secs_f64();
        let by_id: HashMap<u32, &Vec<Listed>> = ids.iter().copied().zip(&lists).collect();
        let listed_queries: Vec<u32> = ids.iter().copied().filter(|_| true).collect();
        let answers: Vec<Vec<String>> =
            listed_queries.iter().map(|q| by_id[q].iter().take(5).map(|l| l.url.clone()).collect()).collect();
        let mut files = Vec::new();
        let mut keyed: Vec<(u32, String, Vec<Listed>)> = ids
            .iter()
            .zip(&lists)
            .map(|(&a, l)| {
                (files::fnv1a32(&records[a as usize].url), records[a as usize].url.clone(), l.clone())
            })
            .collect();
        keyed.sort_unstable_by_key(|t| t.0);
        for per_file in [1usize, 4, 16, 32, 64, 128, 256] {
            for length in [10usize, 5] {
                let mut sizes: Vec<f64> = keyed
                    .chunks(per_file)
                    .take(400)
                    .map(|chunk| {
                        let pages = chunk
                            .iter()
                            .map(|(_, url, l)| (url.clone(), l[..length.min(l.len())].to_vec()))
                            .collect();
                        let file = alike::ListShardFile {
                            format: alike::LIST_SHARD_FORMAT.into(),
                            version: alike::FORMAT_VERSION,
                            shard: 0,
                            pages,
                        };
                        gz(alike::to_json(&file).as_bytes()) as f64
                    })
                    .collect();
                let max = sizes.iter().cloned().fold(0.0, f64::max);
                files.push(json!({ "lists_per_file": per_file, "length": length, "gz_median": median(&mut sizes), "gz_max_sampled": max }));
            }
        }
        out["lists"] = json!({
            "ranked": ids.len(), "seconds": seconds, "p5": scorer.p5(&records, &listed_queries, &answers), "files": files,
        });
        log(&format!("lists {}", out["lists"]));

        if args.graph {
            out["graph"] = graph(&model, &records, &scorer, &queries, &lists);
            log(&format!("graph {}", out["graph"]));
        }
    }

    // The old build (the first 99%), shared by the churn and tie measurements.
    let old = (args.churn || args.ties).then(|| {
        let old = Model::build(records[..n - n / 100].to_vec());
        log(&format!("old build in {:.1} s", old.build_seconds));
        old
    });
    if let Some(old) = &old {
        if args.ties {
            let cap = args.cap.unwrap_or(128) as usize;
            out["ties"] = ties(&model, old, &records, &scorer, &queries, cap, args.lists.max(500));
        }
        if args.churn {
            out["churn"] = churn(&args, &model, old, &records, &scorer, &queries);
        }
    }
    out["seconds"] = json!(started.elapsed().as_secs_f64());
    out["peak_rss_mib"] = json!(peak_rss_mib());
    println!("{}", serde_json::to_string_pretty(&out).expect("json"));
}

/// The two-level table: coarse centroids in the manifest, each coarse
/// cell's fine centroids in a file, then the probed clusters' files.
/// One clustering's files, for `two_level`.
struct TwoLevelRun<'a> {
    fine: &'a kmeans::Clustering,
    members: &'a [Vec<u32>],
    sizes: &'a [usize],
    manifest_base: &'a Value,
}

fn two_level(
    args: &Args,
    model: &Model,
    records: &[Record],
    scorer: &Scorer,
    queries: &[u32],
    run: &TwoLevelRun<'_>,
    table: kmeans::TwoLevel,
) -> Value {
    let TwoLevelRun { fine, members, sizes, manifest_base } = *run;
    let mut runs = Vec::new();
    for &terms in &args.centroid_terms {
        let mut manifest = manifest_base.clone();
        manifest["centroids"] = centroid_table(&table.coarse.centroids, terms);
        let manifest_gz = gz(manifest.to_string().as_bytes());
        let cell_gz: Vec<usize> = table
            .cells
            .iter()
            .map(|cell| {
                let rows: Vec<Vec<(u64, f32)>> =
                    cell.iter().map(|&f| fine.centroids[f as usize].clone()).collect();
                gz(centroid_table(&rows, terms).to_string().as_bytes())
            })
            .collect();
        for cells in [1usize, 2, 4] {
            for &probes in &args.probes {
                let results: Vec<(Vec<String>, usize)> = queries
                    .par_iter()
                    .map(|&q| {
                        let record = &records[q as usize];
                        let (probed, read) =
                            table.nearest(fine, &model.query_vector(record), terms, cells, probes);
                        let mut chosen: Vec<u32> =
                            probed.iter().flat_map(|&c| members[c as usize].clone()).collect();
                        chosen.sort_unstable();
                        let bytes = probed.iter().map(|&c| sizes[c as usize]).sum::<usize>()
                            + read.iter().map(|&c| cell_gz[c as usize]).sum::<usize>();
                        (model.restricted(record, Some(&chosen), 5), bytes)
                    })
                    .collect();
                let answers: Vec<Vec<String>> = results.iter().map(|r| r.0.clone()).collect();
                let mut bytes: Vec<f64> = results.iter().map(|r| r.1 as f64).collect();
                runs.push(json!({
                    "centroid_terms": terms, "cells": cells, "probes": probes, "manifest_gz": manifest_gz,
                    "p5": scorer.p5(records, queries, &answers), "cell_and_cluster_bytes": median(&mut bytes),
                    "requests_index": 1 + cells + probes,
                }));
            }
        }
        let mut cell_sizes: Vec<f64> = cell_gz.iter().map(|&s| s as f64).collect();
        runs.push(json!({ "centroid_terms": terms, "cell_file_gz_median": median(&mut cell_sizes), "cell_files": cell_gz.len() }));
    }
    json!({ "coarse": table.coarse.k, "runs": runs })
}

/// Graph navigation over stored lists: seeds from the query's strongest
/// terms, their lists (and their lists' lists) as candidates, rescored by
/// alike's engine over the candidates' vectors.
fn graph(
    model: &Model,
    records: &[Record],
    scorer: &Scorer,
    queries: &[u32],
    lists: &[Vec<Listed>],
) -> Value {
    let id_of: HashMap<&str, u32> =
        records.iter().enumerate().map(|(i, r)| (r.url.as_str(), i as u32)).collect();
    let list_ids: Vec<Vec<u32>> =
        lists.iter().map(|l| l.iter().map(|e| id_of[e.url.as_str()]).collect()).collect();
    let mut postings: HashMap<u64, Vec<(u32, u8)>> = HashMap::new();
    for (a, v) in model.vectors.iter().enumerate() {
        for &(h, l) in v {
            postings.entry(h).or_default().push((a as u32, l));
        }
    }
    let mut runs = Vec::new();
    for (terms, seeds, hops) in [(5usize, 5usize, 1usize), (10, 10, 1), (10, 10, 2), (20, 20, 1)] {
        let results: Vec<(Vec<String>, usize, usize)> = queries
            .par_iter()
            .map(|&q| {
                let record = &records[q as usize];
                let mut vector = model.query_vector(record);
                vector.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
                let mut score: HashMap<u32, f32> = HashMap::new();
                for &(h, w) in vector.iter().take(terms) {
                    for &(a, l) in postings.get(&h).map_or(&[][..], |p| &p[..]) {
                        *score.entry(a).or_default() += w * model.level_weights[l as usize];
                    }
                }
                let mut ranked: Vec<(u32, f32)> = score.into_iter().collect();
                ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let mut chosen: HashSet<u32> = ranked.iter().take(seeds).map(|t| t.0).collect();
                let mut frontier: Vec<u32> = chosen.iter().copied().collect();
                let mut lists_read = frontier.len();
                for hop in 0..hops {
                    let next: Vec<u32> =
                        frontier.iter().flat_map(|&a| list_ids[a as usize].clone()).collect();
                    frontier = next.into_iter().filter(|a| chosen.insert(*a)).collect();
                    if hop + 1 < hops {
                        lists_read += frontier.len();
                    }
                }
                let mut members: Vec<u32> = chosen.into_iter().collect();
                members.sort_unstable();
                let count = members.len();
                (model.restricted(record, Some(&members), 5), count, lists_read)
            })
            .collect();
        let answers: Vec<Vec<String>> = results.iter().map(|r| r.0.clone()).collect();
        let mut scored: Vec<f64> = results.iter().map(|r| r.1 as f64).collect();
        let mut read: Vec<f64> = results.iter().map(|r| r.2 as f64).collect();
        runs.push(json!({
            "seed_terms": terms, "seeds": seeds, "hops": hops, "p5": scorer.p5(records, queries, &answers),
            "candidates": median(&mut scored), "lists_read": median(&mut read),
        }));
    }
    Value::Array(runs)
}

/// A rebuild that adds 1% more articles (the bench's churn step): the old
/// build holds the first 99%, the new one all. Which lists change, and
/// which cluster files a frozen clustering rewrites.
fn churn(
    args: &Args,
    model: &Model,
    old: &Model,
    records: &[Record],
    scorer: &Scorer,
    queries: &[u32],
) -> Value {
    let n = records.len();
    let old_n = n - n / 100;
    let old_build = old.build_seconds;
    let old_index = Index::from_file(old.single.clone()).expect("loads");
    let new_index = Index::from_file(model.single.clone()).expect("loads");
    let sample: Vec<u32> =
        if args.lists > 0 { spread(old_n, args.lists) } else { (0..old_n as u32).collect() };
    let before = rank_lists(&old_index, records, &sample);
    let after = rank_lists(&new_index, records, &sample);
    let new_urls: HashSet<&str> = records[old_n..].iter().map(|r| r.url.as_str()).collect();
    let mut joined = 0usize;
    let mut differs = 0usize;
    let mut new_entries = 0usize;
    let mut entries = 0usize;
    let mut joined_urls = Vec::new();
    for ((&a, b), l) in sample.iter().zip(&before).zip(&after) {
        let j = l.iter().filter(|e| new_urls.contains(e.url.as_str())).count();
        new_entries += j;
        entries += l.len();
        if j > 0 {
            joined += 1;
            joined_urls.push(records[a as usize].url.clone());
        }
        if b.iter().map(|e| &e.url).ne(l.iter().map(|e| &e.url)) {
            differs += 1;
        }
    }
    let share_joined = joined as f64 / sample.len() as f64;
    let recent = recent_lists(model, records, old_n, &sample, &after, &new_index);
    log(&format!("recent lists {recent}"));
    // List files touched under URL-hash filing with `per_file` lists a
    // file: the joined lists' files and the new articles' own.
    let mut filing = Vec::new();
    for per_file in [4usize, 16, 64, 256] {
        let bits = ((n as f64 / per_file as f64).log2().round().max(0.0)) as u8;
        let files = 1usize << bits;
        let exact = sample.len() == old_n;
        let touched = if exact {
            let set: HashSet<u32> = joined_urls
                .iter()
                .map(|u| list_file_of(u, bits))
                .chain(records[old_n..].iter().map(|r| list_file_of(&r.url, bits)))
                .collect();
            set.len() as f64 / files as f64
        } else {
            // From the sampled share: each file holds `n / files` lists.
            let per = n as f64 / files as f64;
            let p_old = 1.0 - (1.0 - share_joined).powf(per * old_n as f64 / n as f64);
            let p_new = 1.0 - (1.0 - 1.0 / files as f64).powf((n - old_n) as f64);
            1.0 - (1.0 - p_old) * (1.0 - p_new)
        };
        filing.push(
            json!({ "lists_per_file": per_file, "files": files, "share_touched": touched, "exact": exact }),
        );
    }
    let mut out = json!({
        "old_articles": old_n, "new_articles": n - old_n, "old_build_seconds": old_build,
        "lists_sampled": sample.len(), "lists_joined_by_new": share_joined,
        "lists_differing": differs as f64 / sample.len() as f64,
        "new_entry_share": new_entries as f64 / entries as f64,
        "new_article_share": (n - old_n) as f64 / n as f64,
        "list_files_touched": filing,
        "recent_lists": recent,
    });
    log(&format!("churn lists {out}"));

    // A clustering frozen at the old build: new articles join their
    // nearest cluster (rewriting it), or go to a delta segment.
    let k = if args.churn_k > 0 { args.churn_k } else { args.clusters[0] };
    let old_ids: Vec<u32> = (0..old_n as u32).collect();
    let frozen = cluster(model, &old_ids, k, args.rounds, 256);
    let mut assign = frozen.assign.clone();
    for (a, cluster) in assign.iter_mut().enumerate().skip(old_n) {
        *cluster = frozen.nearest(&kmeans::article_vector(model, a as u32), 256)[0];
    }
    let mut members = vec![Vec::new(); frozen.k];
    for (a, &c) in assign.iter().enumerate() {
        members[c as usize].push(a as u32);
    }
    let sizes: Vec<usize> = members
        .par_iter()
        .enumerate()
        .map(|(c, m)| gz(cluster_file(model, c as u32, m).as_bytes()))
        .collect();
    let touched: HashSet<u32> = (old_n..n).map(|a| assign[a]).collect();
    let touched_gz: usize = touched.iter().map(|&c| sizes[c as usize]).sum();
    let total_gz: usize = sizes.iter().sum();
    let new_ids: Vec<u32> = (old_n as u32..n as u32).collect();
    let delta_gz = gz(cluster_file(model, u32::MAX, &new_ids).as_bytes());
    // P@5 with the old clusters frozen and the new articles in a delta
    // segment that every query also fetches.
    let old_members = frozen.members();
    let mut runs = Vec::new();
    for probes in [1usize, 2] {
        let answers: Vec<Vec<String>> = queries
            .par_iter()
            .map(|&q| {
                let record = &records[q as usize];
                let near = frozen.nearest(&model.query_vector(record), 64);
                let mut chosen: Vec<u32> = near[..probes]
                    .iter()
                    .flat_map(|&c| old_members[c as usize].clone())
                    .chain(new_ids.clone())
                    .collect();
                chosen.sort_unstable();
                chosen.dedup();
                model.restricted(record, Some(&chosen), 5)
            })
            .collect();
        runs.push(json!({ "probes": probes, "p5_with_delta": scorer.p5(records, queries, &answers) }));
    }
    out["ivf"] = json!({
        "k": frozen.k, "clusters_touched_by_assigning": touched.len(),
        "share_gz_rewritten_by_assigning": touched_gz as f64 / total_gz as f64,
        "delta_segment_gz": delta_gz, "delta_share_of_clusters_gz": delta_gz as f64 / total_gz as f64,
        "total_clusters_gz": total_gz, "runs": runs,
    });
    log(&format!("churn ivf {}", out["ivf"]));
    out
}

/// The list part of a delta after one 1% rebuild, written as files: the
/// new articles' own lists and, for each sampled old list a new article
/// joins, its new entries with their positions (scaled from the sample to
/// every old list), filed by URL hash one file per 256 lists of the
/// archive; against the base list files (16 lists a file, scaled alike).
fn recent_lists(
    model: &Model,
    records: &[Record],
    old_n: usize,
    sample: &[u32],
    after: &[Vec<Listed>],
    new_index: &Index,
) -> Value {
    let n = records.len();
    let new_ids: Vec<u32> = (old_n as u32..n as u32).collect();
    let own = rank_lists(new_index, records, &new_ids);
    let new_urls: HashSet<&str> = records[old_n..].iter().map(|r| r.url.as_str()).collect();
    let entry = |l: &Listed| json!({ "url": l.url, "title": l.title });
    let mut rows: Vec<(u32, String, Value)> = Vec::new();
    for (&a, list) in new_ids.iter().zip(&own) {
        let url = &records[a as usize].url;
        rows.push((files::fnv1a32(url), url.clone(), Value::Array(list.iter().map(entry).collect())));
    }
    // A patched old list is named by its base list file and its position
    // there (16 lists a file, keys in byte order), not by its URL.
    let bits = ((n as f64 / 16.0).log2().round().max(0.0)) as u8;
    let mut buckets: HashMap<u32, Vec<&str>> = HashMap::new();
    for r in &records[..old_n] {
        buckets.entry(files::list_file_of(&r.url, bits)).or_default().push(r.url.as_str());
    }
    buckets.values_mut().for_each(|urls| urls.sort_unstable());
    let place = |url: &str| {
        let bucket = files::list_file_of(url, bits);
        let at = buckets[&bucket].binary_search(&url).expect("an old page is in its bucket");
        format!("{bucket:x}.{at:x}")
    };
    let mut patches = 0;
    for (&a, list) in sample.iter().zip(after) {
        let added: Vec<Value> = list
            .iter()
            .enumerate()
            .filter(|(_, l)| new_urls.contains(l.url.as_str()))
            .map(|(at, l)| json!({ "at": at, "url": l.url, "title": l.title }))
            .collect();
        if !added.is_empty() {
            patches += 1;
            let url = &records[a as usize].url;
            rows.push((files::fnv1a32(url), place(url), json!({ "add": added })));
        }
    }
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let scale = old_n as f64 / sample.len() as f64;
    let files = (n / 256).max(1);
    let per_file = rows.len().div_ceil(files).max(1);
    // Each new article's URL and title once per file; a patch names the
    // position and the new article's index in that table.
    let mut sizes: Vec<f64> = rows
        .chunks(per_file)
        .map(|chunk| {
            let mut table: Vec<Value> = Vec::new();
            let mut index_of: HashMap<String, usize> = HashMap::new();
            let mut pages = serde_json::Map::new();
            for (_, key, row) in chunk {
                let value = match row.get("add").and_then(Value::as_array) {
                    Some(added) => Value::Array(
                        added
                            .iter()
                            .map(|e| {
                                let url = e["url"].as_str().unwrap_or_default().to_string();
                                let next = table.len();
                                let i = *index_of.entry(url).or_insert_with(|| {
                                    table.push(json!({ "url": e["url"], "title": e["title"] }));
                                    next
                                });
                                json!([e["at"], i])
                            })
                            .collect(),
                    ),
                    None => row.clone(),
                };
                pages.insert(key.clone(), value);
            }
            let file = json!({ "format": "alike-recent", "version": 2, "new": table, "pages": pages });
            gz(file.to_string().as_bytes()) as f64
        })
        .collect();
    let own_gz: usize = own
        .chunks(16)
        .zip(new_ids.chunks(16))
        .map(|(lists, ids)| {
            let pages =
                ids.iter().zip(lists).map(|(&a, l)| (records[a as usize].url.clone(), l.clone())).collect();
            let file =
                alike::ListShardFile { format: alike::LIST_SHARD_FORMAT.into(), version: 2, shard: 0, pages };
            gz(alike::to_json(&file).as_bytes())
        })
        .sum();
    let base_sample_gz: usize = sample
        .chunks(16)
        .zip(after.chunks(16))
        .map(|(ids, lists)| {
            let pages =
                ids.iter().zip(lists).map(|(&a, l)| (records[a as usize].url.clone(), l.clone())).collect();
            let file =
                alike::ListShardFile { format: alike::LIST_SHARD_FORMAT.into(), version: 2, shard: 0, pages };
            gz(alike::to_json(&file).as_bytes())
        })
        .sum();
    let sampled_total: f64 = sizes.iter().sum();
    let exact = sample.len() == old_n;
    // Own lists are all there; patches come from the sample: scale them.
    let patch_rows = rows.len() - own.len();
    let patch_share = if rows.is_empty() { 0.0 } else { patch_rows as f64 / rows.len() as f64 };
    let total = sampled_total * (1.0 - patch_share) + sampled_total * patch_share * scale;
    let base_total = base_sample_gz as f64 * scale + own_gz as f64;
    let _ = model;
    json!({
        "exact": exact, "files": sizes.len(), "file_gz_median": median(&mut sizes),
        "patched_old_lists": patches, "new_lists": own.len(),
        "recent_gz_total": total, "base_lists_gz_total": base_total,
        "recent_share_of_list_bytes": total / base_total,
    })
}

/// The cause the related-lists notes found: a capped posting list breaks
/// ties for the newest article, so new articles take far more places in
/// lists than their share. Compares the two tie rules on the same 1%
/// rebuild: share of sampled old lists a new article joins, and P@5.
fn ties(
    model: &Model,
    old: &Model,
    records: &[Record],
    scorer: &Scorer,
    queries: &[u32],
    cap: usize,
    sample: usize,
) -> Value {
    let n = records.len();
    let old_n = n - n / 100;
    let new_urls: HashSet<&str> = records[old_n..].iter().map(|r| r.url.as_str()).collect();
    let ids = spread(old_n, sample);
    let mut rows = Vec::new();
    for tie in [Tie::NewestFirst, Tie::OldestFirst, Tie::UrlHash] {
        let before = Index::from_file(old.capped(cap, tie)).expect("loads");
        let after = Index::from_file(model.capped(cap, tie)).expect("loads");
        let lists_before = rank_lists(&before, records, &ids);
        let lists_after = rank_lists(&after, records, &ids);
        let joined =
            lists_after.iter().filter(|l| l.iter().any(|e| new_urls.contains(e.url.as_str()))).count();
        let entries: usize = lists_after.iter().map(Vec::len).sum();
        let new_entries: usize =
            lists_after.iter().map(|l| l.iter().filter(|e| new_urls.contains(e.url.as_str())).count()).sum();
        let differs = lists_before
            .iter()
            .zip(&lists_after)
            .filter(|(b, a)| b.iter().map(|e| &e.url).ne(a.iter().map(|e| &e.url)))
            .count();
        let options = QueryOptions::default();
        let answers: Vec<Vec<String>> = queries
            .par_iter()
            .map(|&q| {
                after
                    .recommend(&article(&records[q as usize]), &options)
                    .expect("answers")
                    .into_iter()
                    .map(|r| r.url)
                    .collect()
            })
            .collect();
        let row = json!({
            "tie": format!("{tie:?}"), "cap": cap, "lists_sampled": ids.len(),
            "lists_joined_by_new": joined as f64 / ids.len() as f64,
            "lists_differing": differs as f64 / ids.len() as f64,
            "new_entry_share": new_entries as f64 / entries as f64,
            "new_article_share": (n - old_n) as f64 / n as f64,
            "p5_engine": scorer.p5(records, queries, &answers),
            "new_share_of_capped_postings": capped_share(model, cap, tie, old_n),
        });
        log(&format!("ties {row}"));
        rows.push(row);
    }
    Value::Array(rows)
}

/// In terms with more than `cap` postings, the share of kept postings that
/// belong to articles at or after `first_new`.
fn capped_share(model: &Model, cap: usize, tie: Tie, first_new: usize) -> f64 {
    let (mut kept, mut new) = (0usize, 0usize);
    for term in model.postings().chunk_by(|a, b| a.0 == b.0) {
        if term.len() <= cap {
            continue;
        }
        let mut term = term.to_vec();
        model.sort_for_cap(&mut term, tie);
        term.truncate(cap);
        kept += term.len();
        new += term.iter().filter(|p| p.1 as usize >= first_new).count();
    }
    if kept == 0 { 0.0 } else { new as f64 / kept as f64 }
}
