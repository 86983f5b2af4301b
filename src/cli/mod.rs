//! Command-line parsing and the shared plumbing of the subcommands.
//!
//! Exit codes: 0 success, 1 an error (bad input, unreadable or corrupt
//! index, failed write), 2 a usage error (unknown option, missing argument).

mod images;
mod index;
mod output;
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
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(args) => index::run(args),
        Command::Query(args) => query::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("alike: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the inputs one by one, handing each good record to `each` as it
/// comes (an archive never sits in memory whole), and either stopping at
/// the first bad record or, with `skip_bad`, warning about each and carrying
/// on. Returns how many records were skipped.
pub(crate) fn each_record(
    inputs: &[std::path::PathBuf],
    skip_bad: bool,
    mut each: impl FnMut(alike::input::Record) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut skipped = 0;
    for path in inputs {
        for record in alike::input::read(path)? {
            match record {
                Ok(record) => each(record)?,
                Err(error) if skip_bad => {
                    eprintln!("alike: warning: skipped {error}");
                    skipped += 1;
                }
                Err(error) => anyhow::bail!("{error} (use --skip-bad to skip bad records)"),
            }
        }
    }
    Ok(skipped)
}
