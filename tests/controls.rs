#![cfg(not(target_arch = "wasm32"))]
//! Editorial controls through the real `alike` binary, on
//! `tests/fixtures/editorial.jsonl` (`news.jsonl` with pins on
//! `/business/001.html` and `recommend: false` on `/business/002.html`):
//! pins come first, in the editor's order, on both paths and in both
//! layouts; an article not to recommend is in no box.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{alike, ok};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editorial.jsonl")
}

const PINNED: &str = "/business/001.html";
/// What the fixture pins on `PINNED`, once the index drops an unknown URL,
/// the article itself, the article not to recommend and a repeat; the
/// second is written as an absolute URL with a tracking parameter.
const PINS: [&str; 2] = ["/tech/003.html", "/sport/002.html"];
const UNRECOMMENDED: &str = "/business/002.html";

/// The fixture indexed in every layout, as `{single,clusters}/index.json` under `dir`.
fn index_every_layout(dir: &Path, input: &str) {
    for layout in LAYOUTS {
        ok(
            dir,
            &["index", input, "--out", &format!("{layout}/index.json"), "--layout", layout, "--no-widget"],
        );
    }
}

const LAYOUTS: [&str; 2] = ["single", "clusters"];

/// Every stored list of the cluster index in `dir`: URL key to entries.
fn stored_lists(dir: &Path) -> BTreeMap<String, Vec<Value>> {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).expect("manifest"))
            .expect("JSON");
    let generation = manifest["generation"].as_u64().expect("generation");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("l")).expect("l/") {
        let path = entry.expect("entry").path();
        // Only this build's files, `l/<bucket>-<generation>.json` (a full
        // rebuild leaves the old ones).
        let name = path.file_name().and_then(|n| n.to_str()).expect("as the test wrote it");
        let version =
            u64::from_str_radix(name.split(['-', '.']).nth(1).expect("generation"), 16).expect("hex");
        if version != generation {
            continue;
        }
        let file: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
        for (key, list) in file["pages"].as_object().expect("pages") {
            out.insert(key.clone(), list.as_array().expect("a list").clone());
        }
    }
    out
}

fn urls(list: &[Value]) -> Vec<&str> {
    list.iter().map(|r| r["url"].as_str().expect("url")).collect()
}

/// `alike query` over the whole fixture: each URL's answer.
fn query(dir: &Path, index: &str) -> BTreeMap<String, Vec<Value>> {
    let input = fixture();
    let run = ok(dir, &["query", "--index", index, input.to_str().expect("as the test wrote it")]);
    run.stdout
        .lines()
        .map(|line| {
            let line: Value = serde_json::from_str(line).expect("JSON");
            (
                line["url"].as_str().expect("url").to_string(),
                line["related"].as_array().expect("related").clone(),
            )
        })
        .collect()
}

fn assert_pins_first(what: &str, list: &[Value], scored: bool) {
    assert_eq!(urls(list)[..2], PINS, "{what}: {:?}", urls(list));
    for (i, entry) in list.iter().enumerate() {
        assert_eq!(entry["pinned"].as_bool().unwrap_or(false), i < 2, "{what}: entry {i}: {entry}");
        if scored && i >= 2 {
            assert!(entry["score"].is_number(), "{what}: entry {i} has no score");
        }
    }
    // Nor a pin, nor a copy of one, is ranked again.
    assert!(!urls(&list[2..]).iter().any(|u| PINS.contains(u)), "{what}: {:?}", urls(list));
    assert!(list.len() >= 5, "{what}: {:?}", urls(list));
}

fn assert_never_recommended(what: &str, lists: &BTreeMap<String, Vec<Value>>) {
    for (url, list) in lists {
        assert!(!urls(list).contains(&UNRECOMMENDED), "{what}: {url} shows {UNRECOMMENDED}");
    }
    assert!(!lists[UNRECOMMENDED].is_empty(), "{what}: {UNRECOMMENDED} has no box of its own");
}

#[test]
fn pins_come_first_and_an_article_not_to_recommend_is_in_no_box() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = fixture();
    let input = input.to_str().expect("as the test wrote it");
    ok(dir.path(), &["index", input, "--out", "single/index.json", "--layout", "single", "--no-widget"]);
    ok(
        dir.path(),
        &[
            "index",
            input,
            "--out",
            "clusters/index.json",
            "--layout",
            "clusters",
            "--cluster-size",
            "8",
            "--no-widget",
        ],
    );

    // Stored lists: pins unscored and marked, then the ranking.
    let lists = stored_lists(&dir.path().join("clusters"));
    assert_pins_first("stored list", &lists[PINNED], true);
    assert_never_recommended("stored lists", &lists);
    // Only the pinned article has pins.
    let marked = lists.values().flatten().filter(|e| e["pinned"].as_bool() == Some(true)).count();
    assert_eq!(marked, 2);

    // The engine, on every layout. On the cluster layout it knows a page's
    // picks only when the page's own cluster is among those the query
    // reads, which this fixture's pinned article's is not: an indexed page
    // gets its picks from its stored list there.
    for index in ["single/index.json", "clusters/index.json"] {
        let answers = query(dir.path(), index);
        if index != "clusters/index.json" {
            assert_pins_first(index, &answers[PINNED], true);
        }
        assert_never_recommended(index, &answers);
    }
}

#[test]
fn a_rebuild_with_other_pins_rewrites_the_list() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let build = |dir: &Path| {
        ok(dir, &["index", "in.jsonl", "--out", "site/index.json", "--layout", "clusters", "--no-widget"]);
    };
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    std::fs::write(dir.path().join("in.jsonl"), &text).expect("write");
    build(dir.path());
    assert_eq!(urls(&stored_lists(&dir.path().join("site"))[PINNED])[..2], PINS);

    // The editor swaps the two: nothing else changed, yet the list must.
    let swapped = text.replacen(
        "\"/tech/003.html\", \"https://news.example.com/sport/002.html",
        "\"/sport/002.html\", \"/tech/003.html",
        1,
    );
    assert_ne!(swapped, text, "the fixture's pins are not where this test expects them");
    std::fs::write(dir.path().join("in.jsonl"), swapped).expect("write");
    build(dir.path());
    let lists = stored_lists(&dir.path().join("site"));
    assert_eq!(urls(&lists[PINNED])[..2], [PINS[1], PINS[0]]);

    // And pins that go take their marks with them.
    let unpinned = text.replacen("\"related\"", "\"unused\"", 1);
    std::fs::write(dir.path().join("in.jsonl"), unpinned).expect("write");
    build(dir.path());
    let lists = stored_lists(&dir.path().join("site"));
    assert!(lists[PINNED].iter().all(|e| e.get("pinned").is_none()), "{:?}", lists[PINNED]);
}

/// A built site's article page: `head` in its head, `body` three times as its paragraphs.
fn story_page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1><p>{body}</p><p>{body}</p><p>{body}</p></article></body></html>"
    )
}

const RATES: &str = "The central bank held interest rates steady as inflation eased and the economy slowed, \
    economists said, with mortgage lenders and savers watching the bank's next move on rates.";
const CUP: &str = "The striker scored twice as the league leaders won the cup match, the manager praised the \
    defence and the goalkeeper saved a late penalty in front of the home fans.";

#[test]
fn html_meta_tags_carry_pins_and_recommend() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let rates_too = "Economists expect the central bank to cut interest rates next month after inflation \
        fell again and the economy slowed, leaving mortgage lenders and savers waiting.";
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("news")).expect("mkdir");
    let files = [
        (
            "news/rates.html",
            story_page("Bank holds rates", r#"<meta name="alike:related" content="cup.html">"#, RATES),
        ),
        (
            "news/cut.html",
            story_page("Rate cut expected", r#"<meta name="alike:recommend" content="false">"#, rates_too),
        ),
        ("news/cup.html", story_page("Leaders win cup", "", CUP)),
    ];
    for (path, html) in &files {
        std::fs::write(site.join(path), html).expect("write");
    }
    ok(dir.path(), &["index", "site", "--out", "out/index.json", "--layout", "single", "--no-widget"]);
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/index.json")).expect("index"))
            .expect("JSON");
    let url_of = |id: &Value| {
        index["articles"]["url"][id.as_u64().expect("as the test wrote it") as usize]
            .as_str()
            .expect("as the test wrote it")
            .to_string()
    };
    let groups = index["articles"]["related"].as_array().expect("a related column");
    assert_eq!(groups.len(), 1);
    let group: Vec<String> = groups[0].as_array().expect("as the test wrote it").iter().map(url_of).collect();
    assert_eq!(group, ["/news/rates.html", "/news/cup.html"]);
    let answers = {
        let input = dir.path().join("q.jsonl");
        let line = serde_json::json!({"url": "/news/rates.html", "title": "Bank holds rates", "body": RATES});
        std::fs::write(&input, line.to_string()).expect("write");
        let run = ok(dir.path(), &["query", "--index", "out/index.json", "q.jsonl"]);
        let line: Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
        line["related"].as_array().expect("as the test wrote it").clone()
    };
    // The pin, though about football; not the rates story, never to be recommended.
    assert_eq!(urls(&answers), ["/news/cup.html"]);
}

#[test]
fn a_base_href_resolves_relative_canonical_links_and_pins() {
    // Pages kept in /news/ that say, through `<base href>`, that they live
    // under /story/ (a path, or a URL on a host as old Hugo themes write).
    let dir = tempfile::tempdir().expect("a temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("news")).expect("mkdir");
    let files = [
        (
            "news/rates.html",
            story_page(
                "Bank holds rates",
                r#"<base href="/story/"><link rel="canonical" href="rates/"><meta name="alike:related" content="cup/">"#,
                RATES,
            ),
        ),
        (
            "news/cup.html",
            story_page(
                "Leaders win cup",
                r#"<base href="https://example.com/story/?x#y"><link rel="canonical" href="./cup/">"#,
                CUP,
            ),
        ),
    ];
    for (path, html) in &files {
        std::fs::write(site.join(path), html).expect("write");
    }
    ok(dir.path(), &["index", "site", "--out", "out/index.json", "--layout", "single", "--no-widget"]);
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/index.json")).expect("index"))
            .expect("JSON");
    let mut urls: Vec<&str> = index["articles"]["url"]
        .as_array()
        .expect("a url column")
        .iter()
        .map(|u| u.as_str().expect("a URL"))
        .collect();
    urls.sort();
    assert_eq!(urls, ["/story/cup/", "/story/rates/"]);
    // The pin names the cup story by the same base.
    let groups = index["articles"]["related"].as_array().expect("a related column");
    assert_eq!(groups.len(), 1, "{groups:?}");
}

#[test]
fn excluded_sections_and_only_older_hold_on_every_layout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = fixture();
    let input = input.to_str().expect("as the test wrote it");
    index_every_layout(dir.path(), input);
    let lines: Vec<Value> = std::fs::read_to_string(fixture())
        .expect("fixture")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    let date_of = |url: &str| {
        lines.iter().find(|l| l["url"] == url).and_then(|l| l["date"].as_str()).expect("dated").to_string()
    };
    for index in ["single/index.json", "clusters/index.json"] {
        let run = ok(
            dir.path(),
            &["query", "--index", index, "--exclude-sections", "TECH, sport", "--only-older", input],
        );
        let mut shown = 0;
        for line in run.stdout.lines() {
            let line: Value = serde_json::from_str(line).expect("JSON");
            let page_date = date_of(line["url"].as_str().expect("as the test wrote it"));
            for related in line["related"].as_array().expect("as the test wrote it") {
                let section = related["section"].as_str().expect("as the test wrote it");
                assert!(section != "tech" && section != "sport", "{index}: {line}");
                assert!(
                    related["date"].as_str().expect("as the test wrote it") < page_date.as_str(),
                    "{index}: {line}"
                );
                shown += 1;
            }
        }
        // The oldest business articles have nothing older; the rest do.
        assert!(shown > 40, "{index}: only {shown} results");
    }
    // A page the index does not hold, without a date: nothing is known to be older.
    std::fs::write(dir.path().join("new.jsonl"), r#"{"url":"/new","title":"Profits jump at media giant","body":"Quarterly profits rose on advertising sales."}"#)
        .expect("write");
    let run = ok(dir.path(), &["query", "--index", "single/index.json", "--only-older", "new.jsonl"]);
    assert!(run.stdout.contains(r#""related":[]"#), "{}", run.stdout);
    let run = ok(dir.path(), &["query", "--index", "single/index.json", "new.jsonl"]);
    assert!(!run.stdout.contains(r#""related":[]"#), "{}", run.stdout);
}

#[test]
fn with_nothing_related_the_section_fallback_shows_the_newest_of_the_section_on_every_layout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = fixture();
    let input = input.to_str().expect("as the test wrote it");
    index_every_layout(dir.path(), input);
    // A page on nothing the archive holds, filed under Business (any case).
    std::fs::write(
        dir.path().join("garden.jsonl"),
        concat!(
            r#"{"url":"/garden","title":"Planting tulips","section":"BUSINESS","date":"2005-06-20","#,
            r#""body":"Tulips, zinnias, dahlias, peonies, hollyhocks, delphiniums and foxgloves bloomed in the herbaceous borders."}"#,
            "\n",
            r#"{"url":"/unfiled","title":"Planting tulips","date":"2005-06-20","#,
            r#""body":"Tulips, zinnias, dahlias, peonies, hollyhocks, delphiniums and foxgloves bloomed in the herbaceous borders."}"#,
            "\n",
        ),
    )
    .expect("write");
    // Each page's answer, in the file's order.
    let answers = |index: &str, extra: &[&str], page: &str| -> Vec<Vec<Value>> {
        let mut args = vec!["query", "--index", index];
        args.extend_from_slice(extra);
        args.push(page);
        let run = ok(dir.path(), &args);
        let lines = run.stdout.lines().map(|line| serde_json::from_str::<Value>(line).expect("JSON"));
        lines.map(|line| line["related"].as_array().expect("related").clone()).collect()
    };
    let answer = |index: &str, extra: &[&str], page: &str| answers(index, extra, page).remove(0);
    let garden = |index: &str, extra: &[&str]| answer(index, extra, "garden.jsonl");
    for index in ["single/index.json", "clusters/index.json"] {
        assert!(garden(index, &[]).is_empty(), "{index}: the page has matches after all");
        let latest = garden(index, &["--fallback", "section"]);
        // Newest first; the article not to recommend (/business/002) is older than these.
        assert_eq!(
            urls(&latest),
            [
                "/business/015.html",
                "/business/014.html",
                "/business/013.html",
                "/business/012.html",
                "/business/011.html"
            ],
            "{index}"
        );
        assert!(latest.iter().all(|r| r["fallback"] == true && r["score"] == 0.0), "{index}: {latest:?}");
        // The filters hold: older than the page only, sections left out.
        let older = garden(index, &["--fallback", "section", "--only-older"]);
        assert_eq!(urls(&older)[..2], ["/business/012.html", "/business/011.html"], "{index}");
        assert!(
            garden(index, &["--fallback", "section", "--exclude-sections", "business"]).is_empty(),
            "{index}"
        );
        // Enough asked for, the unrecommended article is still not among them.
        let all = garden(index, &["--fallback", "section", "--k", "20"]);
        assert!(all.len() >= 10 && !urls(&all).contains(&UNRECOMMENDED), "{index}: {:?}", urls(&all));
        // No section, no fallback.
        assert!(answers(index, &["--fallback", "section"], "garden.jsonl")[1].is_empty(), "{index}");
        // An indexed page whose matches the minimum all cuts: never itself.
        std::fs::write(
            dir.path().join("own.jsonl"),
            std::fs::read_to_string(fixture())
                .expect("fixture")
                .lines()
                .nth(14)
                .expect("/business/015")
                .to_string()
                + "\n",
        )
        .expect("write");
        let own = answer(index, &["--fallback", "section", "--min-score", "1"], "own.jsonl");
        assert_eq!(urls(&own)[..2], ["/business/014.html", "/business/013.html"], "{index}");
        assert!(answer(index, &["--min-score", "1"], "own.jsonl").is_empty(), "{index}");
    }
    let bad =
        alike(dir.path(), &["query", "--index", "single/index.json", "--fallback", "latest", "garden.jsonl"]);
    assert!(bad.code != 0 && bad.stderr.contains("--fallback"), "{}", bad.stderr);
}

/// One minimum for both paths: the build cuts the stored lists at the
/// engine's default (`query::DEFAULT_MIN_SCORE`, 0.08, which `alike query`
/// holds to unasked), and a `--min-score` asked for cuts both alike; the
/// lists are ranked with shared neighbours but each entry's score is the
/// pair's similarity alone (whole-vector cosine, checked in `build.rs`).
#[test]
fn one_minimum_score_holds_on_both_paths() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = fixture();
    let input = input.to_str().expect("as the test wrote it");
    let clusters = ["--layout", "clusters", "--no-widget"];
    ok(
        dir.path(),
        &[&["index", input, "--out", "all/index.json", "--min-score", "0"][..], &clusters].concat(),
    );
    ok(dir.path(), &[&["index", input, "--out", "default/index.json"][..], &clusters].concat());
    ok(
        dir.path(),
        &[&["index", input, "--out", "strict/index.json", "--min-score", "0.2"][..], &clusters].concat(),
    );
    let manifest = |folder: &str| -> Value {
        let text = std::fs::read_to_string(dir.path().join(folder).join("index.json")).expect("manifest");
        serde_json::from_str(&text).expect("JSON")
    };
    assert!(manifest("all")["lists"]["min_score"].is_null(), "uncut lists record no minimum");
    let default = manifest("default")["lists"]["min_score"].as_f64().expect("the minimum");
    assert!((default - 0.08).abs() < 1e-6, "{default}");
    let scores = |lists: &BTreeMap<String, Vec<Value>>| -> Vec<f64> {
        lists.values().flatten().filter_map(|r| r["score"].as_f64()).collect()
    };
    let all = scores(&stored_lists(&dir.path().join("all")));
    assert!(all.iter().all(|s| (0.0..=1.0).contains(s)), "{all:?}");
    assert!(all.iter().any(|&s| s < default), "the fixture has no weak match to cut");
    for (folder, min) in [("default", default), ("strict", 0.2)] {
        let listed = scores(&stored_lists(&dir.path().join(folder)));
        assert!(!listed.is_empty() && listed.iter().all(|&s| s >= min), "{folder}: {listed:?}");
        assert!(listed.len() < all.len(), "{folder} cut nothing");
    }
    // The engine path, unasked and asked, on the same index.
    let engine = |extra: &[&str]| -> Vec<f64> {
        let run = ok(dir.path(), &[&["query", "--index", "all/index.json"][..], extra, &[input]].concat());
        run.stdout
            .lines()
            .flat_map(|line| {
                let line: Value = serde_json::from_str(line).expect("JSON");
                line["related"]
                    .as_array()
                    .expect("related")
                    .iter()
                    // Pins come whatever their score (0).
                    .filter(|r| r["pinned"] != true)
                    .filter_map(|r| r["score"].as_f64())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let every = engine(&["--min-score", "0"]);
    for (flags, min) in [(&[][..], default), (&["--min-score", "0.2"][..], 0.2)] {
        let kept = engine(flags);
        assert!(kept.iter().all(|&s| s >= min - 1e-6), "{flags:?}: {kept:?}");
        assert_eq!(kept.len(), every.iter().filter(|&&s| s >= min).count(), "{flags:?}");
    }
}

/// The engine, on a page whose own cluster it reads, fetches the clusters
/// of its picks it did not read (in a two-level table, their cells
/// first; among new articles, their delta files), so that picks from
/// anywhere in the archive come first.
#[test]
fn the_engine_fetches_the_clusters_of_picks_it_did_not_read() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bbc-sample/articles.jsonl");
    let mut articles: Vec<Value> = std::fs::read_to_string(sample)
        .expect("the sample")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    // A business story picks two sport stories, which its text
    // would not find.
    let picks = ["/sport/002.html", "/sport/010.html"];
    let page = articles.iter().position(|a| a["url"] == "/business/001.html").expect("in the sample");
    articles[page]["related"] = picks.into();
    let input = dir.path().join("pinned.jsonl");
    let lines: Vec<String> = articles.iter().map(Value::to_string).collect();
    std::fs::write(&input, lines.join("\n") + "\n").expect("writable");
    let query_input = dir.path().join("page.jsonl");
    std::fs::write(&query_input, lines[page].clone() + "\n").expect("writable");
    // The same, with the page and its picks new since the base: an
    // incremental build puts them in delta files.
    let new = ["/business/001.html", picks[0], picks[1]];
    let old: Vec<&String> = lines
        .iter()
        .zip(&articles)
        .filter(|(_, a)| !new.iter().any(|u| a["url"] == *u))
        .map(|(l, _)| l)
        .collect();
    assert_eq!(old.len(), 330);
    let base = dir.path().join("base.jsonl");
    std::fs::write(&base, old.iter().map(|l| format!("{l}\n")).collect::<String>()).expect("writable");
    let input = input.to_str().expect("UTF-8");
    for (name, shape, first) in [
        ("flat", &["--cluster-size", "40"][..], None),
        ("two-level", &["--cluster-size", "20", "--cells", "4"][..], None),
        ("delta", &["--cluster-size", "20", "--cells", "4"][..], Some(&base)),
    ] {
        let out = format!("{name}/index.json");
        let build = |input: &str| {
            let args =
                [&["index", input, "--out", &out, "--layout", "clusters", "--no-widget"][..], shape].concat();
            ok(dir.path(), &args)
        };
        if let Some(base) = first {
            build(base.to_str().expect("UTF-8"));
            let run = build(input);
            assert!(run.stderr.contains("incrementally"), "{}", run.stderr);
        } else {
            build(input);
        }
        // Each pick is in a cluster other than the page's.
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(&out)).expect("a manifest")).expect("JSON");
        assert!(manifest["articles"] == 333);
        let run = ok(
            dir.path(),
            &["query", "--index", &out, "--section-boost", "1.2", query_input.to_str().expect("UTF-8")],
        );
        let answer: Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
        let related = answer["related"].as_array().expect("related");
        assert_eq!(urls(&related[..2]), picks, "{name}: {:?}", urls(related));
        assert!(related[..2].iter().all(|r| r["pinned"] == true), "{name}: {related:?}");
        assert!(related.len() == 5 && related[2..].iter().all(|r| r["pinned"] != true), "{name}");
    }
}
