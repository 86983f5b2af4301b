//! `alike query`: what the widget would recommend, from the command line.

use std::io::Write;
use std::path::PathBuf;

use alike::{Index, QueryOptions};
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

    /// The index `alike index` wrote
    #[arg(short, long, value_name = "FILE")]
    index: PathBuf,

    /// How many related articles to return for each
    #[arg(short, long, default_value_t = 5, value_name = "N")]
    k: usize,

    /// Leave out articles older than this many days (counted back from --today)
    #[arg(long, value_name = "DAYS")]
    max_age_days: Option<u32>,

    /// Halve an article's score for every DAYS of age, favouring recent stories
    #[arg(long, value_name = "DAYS")]
    half_life_days: Option<f32>,

    /// Multiply the score of articles in the query's own section by this (e.g. 1.2)
    #[arg(long, value_name = "FACTOR")]
    section_boost: Option<f32>,

    /// The day ages are counted from, YYYY-MM-DD [default: each article's own date]
    #[arg(long, value_name = "DATE")]
    today: Option<String>,

    /// Skip input records that cannot be read, with a warning for each
    #[arg(long)]
    skip_bad: bool,
}

#[derive(Serialize)]
struct Line<'a> {
    url: &'a str,
    related: Vec<alike::Related>,
}

pub fn run(args: Args) -> Result<()> {
    let json = std::fs::read_to_string(&args.index)
        .with_context(|| format!("cannot read index {}", args.index.display()))?;
    let index =
        Index::from_json(&json).with_context(|| format!("cannot load index {}", args.index.display()))?;
    let options = QueryOptions {
        k: args.k,
        max_age_days: args.max_age_days,
        half_life_days: args.half_life_days,
        section_boost: args.section_boost,
        today: args.today,
        exclude: Vec::new(),
    };
    let (records, _) = crate::cli::read_inputs(&args.inputs, args.skip_bad)?;
    if records.is_empty() {
        bail!("no articles to query: the inputs hold no usable records");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for record in &records {
        let related =
            index.recommend(&record.article, &options).with_context(|| record.location.to_string())?;
        let line = Line { url: &record.article.url, related };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
