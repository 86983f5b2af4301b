//! `alike query`: what the widget would recommend, from the command line.

use std::io::Write;
use std::path::{Path, PathBuf};

use alike::{CellFile, ClusterFile, EngineFile, Error, Index, Manifest, NeededFile, QueryOptions};
use anyhow::{Context, Result, bail};
use serde::Serialize;

/// Show the related articles the widget would pick.
///
/// For each article in the INPUTs (the same kinds of file `alike index` reads), prints one JSON
/// line: {"url": ..., "related": [{"url": ..., "title": ..., "score": ...}, ...]}. It runs the
/// same code as the widget in the browser.
///
/// Example: alike query --index static/alike/index.json --k 5 new-articles.jsonl
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Articles to find related articles for
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// The index `alike index` wrote: its manifest's file, or the folder holding it as index.json
    #[arg(short, long, value_name = "PATH")]
    index: PathBuf,

    /// How many related articles to return for each
    #[arg(short, long, default_value_t = 5, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=alike::MAX_K as u64))]
    k: u64,

    /// Leave out articles older than this many days (counted back from --today)
    #[arg(long, value_name = "DAYS")]
    max_age_days: Option<u32>,

    /// Halve an article's score for every DAYS of age, favouring recent stories
    #[arg(long, value_name = "DAYS", value_parser = positive)]
    half_life_days: Option<f32>,

    /// Multiply the score of articles in the query's own section by this (e.g. 1.2)
    #[arg(long, value_name = "FACTOR", value_parser = positive)]
    section_boost: Option<f32>,

    /// Leave out articles scoring below this, from 0 to 1 (scores are graded: a match on
    /// boilerplate or a stray word scores low); fewer results, or none, rather than weak ones.
    /// Default 0.08, as in the widget; 0 returns every match
    #[arg(long, value_name = "SCORE", value_parser = score)]
    min_score: Option<f32>,

    /// Leave out articles in these sections (comma-separated, any case)
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    exclude_sections: Vec<String>,

    /// Only articles published before each input article (undated ones are left out, and all
    /// of them for an input article without a date the index does not know either)
    #[arg(long)]
    only_older: bool,

    /// The language of the input articles, a BCP 47 tag such as "fr-CA" or a name [default:
    /// each article's own (JSON Lines "language", <html lang>, a feed's language), else the
    /// index's default]; results are in that language only, unless --languages any
    #[arg(long, value_name = "TAG")]
    language: Option<String>,

    /// "any": results in every language the index holds, not only the article's
    #[arg(long, value_name = "any", value_parser = ["any"])]
    languages: Option<String>,

    /// "section": when nothing is left (no match clears the minimum score, or the filters leave
    /// none), return the newest articles of the input article's section instead, each marked
    /// "fallback": true (as the widget's data-fallback="section"); an article with no section
    /// gets none
    #[arg(long, value_name = "section", value_parser = ["section"])]
    fallback: Option<String>,

    /// The day ages are counted from, YYYY-MM-DD [default: each article's own date]
    #[arg(long, value_name = "DATE", value_parser = date)]
    today: Option<String>,

    /// Say why each result came: the shared terms that weigh most (as words of the input
    /// article) and the factors applied (section boost, age)
    #[arg(long)]
    explain: bool,

    /// Skip input records that cannot be read, with a warning for each
    #[arg(long)]
    skip_bad: bool,

    /// Name the files of a cluster index each article's query read, loading the index afresh for
    /// each, as a page does (for studies: bench/churn.mjs counts a page's delta files)
    #[arg(long, hide = true)]
    files: bool,
}

#[derive(Serialize)]
struct Line<'a> {
    url: &'a str,
    related: Vec<alike::Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<Vec<Why>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<Vec<String>>,
}

/// Why one result came (`--explain`), in the order of `related`.
#[derive(Serialize)]
struct Why {
    /// The shared terms that weigh most, as words, with their part of the score.
    terms: Vec<(String, f32)>,
    /// The section boost, when the result is in the article's section and a boost is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    section_boost: Option<f32>,
    /// The age factor of --half-life-days, with the result's age in days.
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<(u32, f32)>,
}

/// How many shared terms `--explain` names per result.
const EXPLAINED_TERMS: usize = 5;

pub fn run(mut args: Args) -> Result<()> {
    args.index = crate::cli::output::index_file(&args.index);
    let json = std::fs::read_to_string(&args.index)
        .with_context(|| format!("cannot read index {}", args.index.display()))?;
    let dir = args.index.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut index =
        open_index(&json, &dir).with_context(|| format!("cannot load index {}", args.index.display()))?;
    let options = QueryOptions {
        k: args.k as usize,
        max_age_days: args.max_age_days,
        half_life_days: args.half_life_days,
        section_boost: args.section_boost,
        min_score: args.min_score,
        today: args.today,
        exclude: Vec::new(),
        exclude_sections: args.exclude_sections,
        only_older: args.only_older,
        language: args.language,
        any_language: args.languages.is_some(),
        explain: false,
        section_fallback: args.fallback.is_some(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut answered = 0;
    crate::cli::each_record(&args.inputs, &alike::input::ReadOptions::default(), args.skip_bad, |record| {
        if args.files {
            index = open_index(&json, &dir)
                .with_context(|| format!("cannot load index {}", args.index.display()))?;
        }
        let mut read = Vec::new();
        let related = index
            .recommend_loading(&record.article, &options, |index, shard| {
                read.push(shard.path().to_string());
                load_shard(index, &dir, shard)
            })
            .with_context(|| record.location.to_string())?;
        let why = args.explain.then(|| {
            // Read in the language the query used (`--language`), as the engine did.
            let article = &alike::Article {
                language: options.language.clone().or_else(|| record.article.language.clone()),
                ..record.article.clone()
            };
            let today = options
                .today
                .as_deref()
                .map(alike::parse_day)
                .unwrap_or_else(|| article.day().ok().flatten());
            related
                .iter()
                .map(|r| {
                    let same_section = article.section.is_some() && r.section == article.section;
                    let age = match (today, r.date.as_deref().and_then(alike::parse_day)) {
                        (Some(today), Some(day)) => Some((today - day).max(0) as u32),
                        _ => None,
                    };
                    Why {
                        terms: index.explain(article, &r.url, EXPLAINED_TERMS),
                        section_boost: options.section_boost.filter(|_| same_section),
                        age: options
                            .half_life_days
                            .zip(age)
                            .map(|(half_life, age)| (age, 0.5f32.powf(age as f32 / half_life))),
                    }
                })
                .collect()
        });
        let line = Line { url: &record.article.url, related, why, files: args.files.then_some(read) };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        answered += 1;
        Ok(())
    })?;
    if answered == 0 {
        bail!("no articles to query: the inputs hold no usable records");
    }
    out.flush()?;
    Ok(())
}

fn positive(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        _ => Err(format!("\"{text}\" is not a positive number")),
    }
}

fn score(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("\"{text}\" is not a score from 0 to 1")),
    }
}

fn date(text: &str) -> Result<String, String> {
    match alike::parse_day(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!("\"{text}\" is not a date such as 2005-03-01")),
    }
}

/// Decodes a single-file index, or, for the cluster layout's manifest
/// (`layout` "clusters", version 2), the engine file it names.
fn open_index(json: &str, dir: &Path) -> Result<Index, Error> {
    let value = serde_json::from_str::<serde_json::Value>(json).unwrap_or_default();
    let clusters = value.get("layout").and_then(serde_json::Value::as_str) == Some("clusters");
    if !clusters {
        return Index::from_json(json);
    }
    let manifest = Manifest::from_json(json)?;
    let path = dir.join(&manifest.engine);
    let engine = std::fs::read_to_string(&path)
        .map_err(|e| Error::CorruptIndex(format!("cannot read the engine file {}: {e}", path.display())))?;
    let in_file = |e: Error| Error::CorruptIndex(format!("{}: {e}", path.display()));
    let engine = EngineFile::from_json(&engine).map_err(in_file)?.with_manifest(&manifest);
    Index::from_engine_file(engine).map_err(in_file)
}

/// Reads a file the cluster layout's query asks for, from beside its manifest.
fn load_shard(index: &mut Index, dir: &Path, shard: &NeededFile) -> Result<(), Error> {
    let path = dir.join(shard.path());
    let json = std::fs::read_to_string(&path)
        .map_err(|e| Error::CorruptIndex(format!("cannot read {}: {e}", path.display())))?;
    let in_shard = |e: Error| Error::CorruptIndex(format!("{}: {e}", path.display()));
    match shard {
        NeededFile::Cluster { .. } => {
            let file = ClusterFile::from_json(&json).map_err(in_shard)?;
            index.add_cluster(shard, file).map_err(in_shard)
        }
        NeededFile::Cell { .. } => {
            let file = CellFile::from_json(&json).map_err(in_shard)?;
            index.add_cell(shard, file).map_err(in_shard)
        }
    }
}
