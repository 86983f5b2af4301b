//! `alike index`: articles in, one index file out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use alike::{BuildOptions, IndexBuilder, Language};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

/// Build an index of articles for the widget.
///
/// Each INPUT is a JSON Lines file (one article a line: "url", "title", "body" or "html", and
/// optionally "date", "section", "image", "tags"), an RSS 2.0 or Atom feed, or a folder of HTML
/// article pages. The index is written whole or not at all: a failed build leaves an existing
/// index untouched.
///
/// Example: alike index articles.jsonl --out static/alike/index.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Article files (JSON Lines, RSS, Atom) or folders of HTML pages
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Where to write the index
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,

    /// Language of the articles, for stemming and stop words (a name such as "english" or a
    /// code such as "en"; "none" for no stemming)
    #[arg(long, default_value = "english", value_name = "LANGUAGE")]
    language: String,

    /// A file of stop words, one per line, instead of the language's usual list
    #[arg(long, value_name = "FILE")]
    stop_words: Option<PathBuf>,

    /// Strongest terms kept per article: the main dial between index size and relevance
    #[arg(long, default_value_t = BuildOptions::default().terms_per_article, value_name = "N")]
    terms_per_article: u32,

    /// Bits per stored term weight, 1 to 6: fewer, smaller index, coarser scores
    #[arg(long, default_value_t = BuildOptions::default().weight_bits, value_name = "BITS")]
    weight_bits: u8,

    /// How many body words a title or tag word counts as
    #[arg(long, default_value_t = BuildOptions::default().title_weight, value_name = "WEIGHT")]
    title_weight: f32,

    /// Keep the first N characters of each article as a snippet for the box (0 keeps none;
    /// snippets add to every reader's download)
    #[arg(long, default_value_t = BuildOptions::default().snippet_chars, value_name = "N")]
    snippet_chars: usize,

    /// Skip records that cannot be indexed, with a warning for each, instead of stopping
    #[arg(long)]
    skip_bad: bool,

    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    let language = Language::parse(&args.language)?;
    let stop_words = match &args.stop_words {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read stop words {}", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_string)
            .collect(),
        None => language.default_stop_words(),
    };
    let options = BuildOptions {
        language,
        stop_words,
        terms_per_article: args.terms_per_article,
        weight_bits: args.weight_bits,
        title_weight: args.title_weight,
        snippet_chars: args.snippet_chars,
        ..BuildOptions::default()
    };
    let mut builder = IndexBuilder::new(options)?;
    let (records, mut skipped) = crate::cli::read_inputs(&args.inputs, args.skip_bad)?;

    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        // Draws only on a terminal; in CI logs it stays silent.
        ProgressBar::new(records.len() as u64).with_style(
            ProgressStyle::with_template("{spinner} indexing {pos}/{len} articles {wide_bar} {eta}")
                .expect("the template is valid"),
        )
    };
    for record in records {
        progress.inc(1);
        let location = record.location.clone();
        if let Err(error) = builder.add(record.article) {
            if args.skip_bad {
                progress.suspend(|| eprintln!("alike: warning: skipped {location}: {error}"));
                skipped += 1;
            } else {
                progress.finish_and_clear();
                bail!("{location}: {error} (use --skip-bad to skip bad records)");
            }
        }
    }
    progress.finish_and_clear();
    if builder.is_empty() {
        bail!("no articles to index: the inputs hold no usable records");
    }

    let count = builder.len();
    let file = builder.finish();
    let terms = file.terms.count;
    let json = file.to_json();
    write_atomically(&args.out, json.as_bytes())?;
    if !args.quiet {
        let skipped = if skipped > 0 { format!(", skipped {skipped} bad records") } else { String::new() };
        eprintln!(
            "alike: indexed {count} articles ({terms} terms) into {}: {}, {} gzipped, in {:.2} s{skipped}",
            args.out.display(),
            kilobytes(json.len()),
            kilobytes(gzipped_size(json.as_bytes())),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it over `path`,
/// so that readers never see half an index and a failure keeps the old one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!("cannot write {}: cannot create a file in {}", path.display(), dir.display())
    })?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // The temporary file is private (0600); an index is for a web server to
    // read, so it takes the old index's mode, or 0644.
    let permissions = match std::fs::metadata(path) {
        Ok(old) => old.permissions(),
        Err(_) => readable_by_all(temp.as_file().metadata()?.permissions()),
    };
    temp.as_file().set_permissions(permissions).with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn readable_by_all(mut permissions: std::fs::Permissions) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    permissions.set_mode(0o644);
    permissions
}

#[cfg(not(unix))]
fn readable_by_all(permissions: std::fs::Permissions) -> std::fs::Permissions {
    permissions
}

fn gzipped_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail").len()
}

fn kilobytes(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
