//! Command-line parsing and the shared plumbing of the subcommands.
//!
//! Exit codes: 0 success, 1 an error (bad input, unreadable or corrupt
//! index, failed write), 2 a usage error (unknown option, missing argument).

mod images;
mod index;
mod inspect;
mod output;
mod phases;
mod query;
mod widget;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// "Related articles" for news sites, computed in the reader's browser.
///
/// Build an index of your articles with `alike index`, copy it with the
/// widget to your static files, and add one script tag to your article
/// template. `alike query` shows what the widget will recommend.
#[derive(Parser)]
#[command(name = "alike", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Index(index::Args),
    Query(query::Args),
    Inspect(inspect::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(args) => index::run(args),
        Command::Query(args) => query::run(args),
        Command::Inspect(args) => inspect::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of the output stopped reading (`alike query … | head`):
        // what it wanted was written, so it is no failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("alike: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Reads the inputs one by one, handing each good record to `each` as it
/// comes (an archive never sits in memory whole), and either stopping at
/// the first bad record or, with `skip_bad`, warning about each and carrying
/// on. Pages of a site folder that are not articles are never an error:
/// they are passed over and counted in the result.
pub(crate) fn each_record(
    inputs: &[std::path::PathBuf],
    options: &alike::input::ReadOptions,
    skip_bad: bool,
    mut each: impl FnMut(alike::input::Record) -> anyhow::Result<()>,
) -> anyhow::Result<Reading> {
    let mut reading = Reading::default();
    for path in inputs {
        for record in alike::input::read_with(path, options)? {
            match record {
                Ok(record) => each(record)?,
                Err(passed) if passed.not_an_article => reading.passed_over.push(passed),
                Err(error) if skip_bad => {
                    eprintln!("alike: warning: skipped {error}");
                    reading.skipped += 1;
                }
                Err(error) => anyhow::bail!("{error} (use --skip-bad to skip bad records)"),
            }
        }
    }
    Ok(reading)
}

/// What reading the inputs left out.
#[derive(Default)]
pub(crate) struct Reading {
    /// Bad records skipped (`--skip-bad`).
    pub skipped: usize,
    /// Pages that are not articles, each with why.
    pub passed_over: Vec<alike::input::InputError>,
}

impl Reading {
    /// "23 pages that are not articles (12 a listing, 8 og:type is
    /// website, …)", or nothing.
    pub fn passed_over_summary(&self) -> Option<String> {
        if self.passed_over.is_empty() {
            return None;
        }
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for page in &self.passed_over {
            // "a listing: 8 <article> teasers" counts as "a listing"; the
            // colon of "og:type is website" ends nothing.
            let reason = page.message.split(": ").next().unwrap_or(&page.message);
            let reason = reason.split(" (").next().unwrap_or(reason).to_string();
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, count)) => *count += 1,
                None => reasons.push((reason, 1)),
            }
        }
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let reasons: Vec<String> =
            reasons.iter().map(|(reason, count)| format!("{count} {reason}")).collect();
        let pages = if self.passed_over.len() == 1 {
            "page that is not an article"
        } else {
            "pages that are not articles"
        };
        Some(format!("passed over {} {pages} ({})", self.passed_over.len(), reasons.join(", ")))
    }
}
