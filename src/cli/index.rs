//! `alike index`: articles in, one index file out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use alike::{BuildOptions, IndexBuilder, Language, Listed};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::phases::Phases;
use crate::cli::{images, output, widget};

/// Build an index of articles for the widget.
///
/// Each INPUT is a JSON Lines file (one article a line: "url", "title", "body" or "html", and
/// optionally "date", "section", "image", "tags"), an RSS 2.0 or Atom feed, or a folder of HTML
/// article pages.
///
/// A small archive becomes one file. A large one becomes a manifest (written at --out) and
/// the cluster layout's files beside it (e-*.json, c/, k/, l/, d/, r/), of which a reader fetches
/// only the few their article needs; a rebuild adds new articles beside the files it keeps. The
/// index is written whole or not at all: a failed build leaves an existing index untouched.
///
/// Example: alike index articles.jsonl --out static/alike
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Article files (JSON Lines, RSS, Atom) or folders of HTML pages
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Where to write the index: its manifest's file, or a folder (it is then index.json in it,
    /// where the widget written beside it looks by default)
    #[arg(short, long, value_name = "PATH")]
    out: PathBuf,

    /// Language of the articles, for stemming and stop words (a name such as "english" or a
    /// code such as "en"; "none" for no stemming)
    #[arg(long, default_value = "english", value_name = "LANGUAGE", value_parser = parse_language)]
    language: Language,

    /// A file of stop words, one per line, instead of the language's usual list
    #[arg(long, value_name = "FILE")]
    stop_words: Option<PathBuf>,

    /// Strongest terms kept per article: the main dial between index size and relevance
    #[arg(long, default_value_t = BuildOptions::default().terms_per_article, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    terms_per_article: u32,

    /// Keep at most N postings per term, the heaviest (0: all); bounds what a query fetches per
    /// term in a large archive, at some cost in relevance [default: all up to 20,000 articles,
    /// else 128]
    #[arg(long, value_name = "N")]
    max_postings_per_term: Option<u32>,

    /// How many of an article's strongest terms a query scores with (0: all): fewer, slightly
    /// weaker matches, faster queries
    #[arg(long, default_value_t = BuildOptions::default().query_terms, value_name = "N")]
    query_terms: u32,

    /// Bits per stored term weight, 1 to 6: fewer, smaller index, coarser scores
    #[arg(long, default_value_t = BuildOptions::default().weight_bits, value_name = "BITS",
          value_parser = clap::value_parser!(u8).range(1..=6))]
    weight_bits: u8,

    /// How many body words a title or tag word counts as, 0.1 to 100
    #[arg(long, default_value_t = BuildOptions::default().title_weight, value_name = "WEIGHT",
          value_parser = parse_title_weight)]
    title_weight: f32,

    /// Keep the first N characters of each article as a snippet for the box (0 keeps none;
    /// snippets add to every reader's download)
    #[arg(long, default_value_t = BuildOptions::default().snippet_chars, value_name = "N")]
    snippet_chars: usize,

    /// One file, clusters, or whichever keeps what a reader downloads small: auto
    /// builds both one file and clusters and keeps one file only where it costs a reader no
    /// more on any page (in practice only without related lists); past 10,000 articles,
    /// clusters
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    layout: Layout,

    /// Articles per cluster, on average (clusters layout) [default: one cluster up to 140
    /// articles, 70 a cluster up to 20,000, then 150 (300 past 500,000)]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    cluster_size: Option<u32>,

    /// Cells of the two-level cluster table (clusters layout; 1: a flat table) [default:
    /// flat up to 20,000 articles, else about twice the square root of the clusters]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    cells: Option<u32>,

    /// Terms kept per centroid (clusters layout), for studies of the layout [default: 64]
    #[arg(long, hide = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    centroid_terms: Option<u32>,

    /// How many terms the cluster layout's engine file names as common (their df known
    /// before any cluster is read), for studies of the layout
    #[arg(long, hide = true, value_name = "N", default_value_t = BuildOptions::default().common_terms)]
    common_terms: u32,

    /// How far past the mean size a flat table's cluster may grow (1.1: a tenth; 0: as
    /// k-means leaves them), for studies of the layout
    #[arg(long, hide = true, value_name = "TIMES", default_value_t = alike::ClusterTuning::default().balance,
          value_parser = parse_balance)]
    cluster_balance: f32,

    /// How many times its list file's bytes an indexed page may read of recent-list files
    /// before a build with new articles builds afresh (incremental builds), for studies of
    /// the trade-off between what rebuilds rewrite and what pages read
    #[arg(long, hide = true, value_name = "TIMES", default_value_t = alike::RECENT_READ_LIMIT,
          value_parser = parse_limit)]
    recent_limit: f64,

    /// The most bits of recent-list buckets (incremental builds; 2^N files a set of recent
    /// lists), for studies of the trade-off between files and what indexed pages read
    #[arg(long, hide = true, value_name = "N", default_value_t = alike::RECENT_BITS_MAX,
          value_parser = clap::value_parser!(u8).range(0..=16))]
    recent_bits: u8,

    /// Related articles to rank at build time for each indexed article (clusters layout; 0: none).
    /// A reader of an indexed article then fetches one small list instead of running the
    /// engine; pages the index does not hold, and boxes asking for more or with options, still
    /// compute in the browser. At most 100
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=alike::MAX_K as i64))]
    related_lists: u32,

    /// Never recommend articles in these sections (comma-separated, any case): they get their
    /// own related list but appear in no other article's, whichever way it is computed
    #[arg(long, value_name = "SECTION", value_delimiter = ',')]
    exclude_sections: Vec<String>,

    /// Never recommend articles with any of these tags or categories (comma-separated, any case)
    #[arg(long, value_name = "TAG", value_delimiter = ',')]
    exclude_tags: Vec<String>,

    /// Related lists (--related-lists, --related-data) keep only articles scoring at least this,
    /// from 0 to 1: articles that share only boilerplate or a stray word with the page score
    /// low. 0 keeps every match
    #[arg(long, default_value_t = alike::DEFAULT_MIN_SCORE, value_name = "SCORE",
          value_parser = parse_score)]
    min_score: f32,

    /// Do not write the widget (alike.js and pkg/, the shim and the engine that read this index)
    /// beside the index; by default they are written, from inside this binary, so that the
    /// folder is ready to deploy
    #[arg(long)]
    no_widget: bool,

    /// Also write every indexed article's related list (--related-lists of them) to FILE, as JSON
    /// keyed by the article's path ("/2024/05/story/"), for a site generator's data folder (Hugo's
    /// data/, Jekyll's and Eleventy's _data/): templates then render the box as plain links, which
    /// readers without JavaScript and crawlers see too
    #[arg(long, value_name = "FILE")]
    related_data: Option<PathBuf>,

    /// Keep image URLs on these other origins (such as https://cdn.example.com; `*` for any). By
    /// default an article's image is kept only when it is on the article's own site (a relative
    /// URL, or the article URL's origin), so that the box makes readers' browsers contact no
    /// other site
    #[arg(long, value_name = "ORIGIN", num_args = 1.., value_parser = images::parse_origin)]
    image_origins: Vec<String>,

    /// In a folder of pages, read the pages whose path in the folder matches GLOB as articles,
    /// whatever they look like (`posts/**`; `*` stays within a folder, `**` crosses them; a glob
    /// without `/` matches file names). Other pages are taken if they look like articles: JSON-LD
    /// or og:type say so, or one article's worth of text that is not a listing of links
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    include: Vec<alike::input::Glob>,

    /// In a folder of pages, never read the pages whose path in the folder matches GLOB
    /// (`tags/**`, `404.html`)
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    exclude: Vec<alike::input::Glob>,

    /// The site's URL (https://example.com/blog/), put before the paths of pages that do not
    /// name their own URL with a canonical link; without it their URLs are their paths in the
    /// folder (/2024/05/story/)
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,

    /// List every page that was passed over as not an article, and why, and what each step
    /// of the build took (wall time, CPU time, memory)
    #[arg(short, long)]
    verbose: bool,

    /// Skip records that cannot be indexed, with a warning for each, instead of stopping
    #[arg(long)]
    skip_bad: bool,

    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,

    /// Keep every file earlier builds wrote in the index folder. By default a cluster build
    /// then removes the files that neither its manifest, nor the one it replaced (for readers
    /// that fetched it just before the deploy), nor another index's in the folder names; files
    /// alike did not name are never touched
    #[arg(long)]
    keep_old_files: bool,

    /// Remove the files of the index this build replaces too, rather than keep them one build
    /// more for readers that fetched its manifest just before the deploy (they may then miss a
    /// box): for hosts whose file limit both builds together pass, as a full rebuild of
    /// 1,000,000 articles (about 40,000 files) passes Cloudflare Pages' free 20,000
    #[arg(long, conflicts_with = "keep_old_files")]
    remove_replaced: bool,

    /// Build the whole index afresh. By default a cluster index whose articles are all still in
    /// the inputs, unchanged, with the same settings, keeps its files and takes the new articles
    /// (up to 20% of it) as small segments beside them
    #[arg(long)]
    full: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    Auto,
    Single,
    /// The term-shard layout, no longer written: refused with a pointer to `clusters`
    /// (`check_layout`), not taken as `clusters`, which would silently change the files a site
    /// deploys.
    #[value(hide = true)]
    Sharded,
    /// Layout 2 (format version 2): an engine file, articles in clusters, lists by URL bucket
    Clusters,
}

/// Past this many articles, terms keep `LARGE_ARCHIVE_POSTINGS` postings
/// unless told otherwise: a common term's full list would cost a reader
/// tens of kilobytes.
const LARGE_ARCHIVE: usize = 20_000;
const LARGE_ARCHIVE_POSTINGS: u32 = 128;

/// Past this many gzipped bytes, `--layout auto` shards: every reader of
/// every article page downloads a single file whole.
const SINGLE_FILE_LIMIT: usize = 100_000;
/// Past this many articles no single file stays under the limit: `--layout
/// auto` takes clusters without building one to see.
const ALWAYS_CLUSTERED: usize = 10_000;
/// Articles read on every core at a time: enough to keep both busy, few
/// enough that an archive never sits in memory whole.
const BATCH: usize = 4096;

pub fn run(mut args: Args) -> Result<()> {
    check_layout(args.layout)?;
    args.out = output::index_file(&args.out);
    let started = Instant::now();
    let mut phases = Phases::new(args.verbose);
    let language = args.language;
    output::check_not_an_input(&args.out, &args.inputs)?;
    if let Some(data) = &args.related_data {
        output::check_not_an_input(data, &args.inputs)?;
    }
    // Held to the end: one build at a time writes into an index's folder.
    let dir = output::folder_of(&args.out);
    let _lock = output::FolderLock::take(&dir)?;
    output::remove_leftovers(&dir)?;
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
        query_terms: args.query_terms,
        common_terms: args.common_terms,
        max_postings_per_term: args.max_postings_per_term.unwrap_or(0),
        title_weight: args.title_weight,
        snippet_chars: args.snippet_chars,
        exclude_sections: args.exclude_sections.clone(),
        exclude_tags: args.exclude_tags.clone(),
        ..BuildOptions::default()
    };
    let auto_postings_limit = args.max_postings_per_term.is_none();
    let settings = settings_hash(&options, &args);
    let mut builder = IndexBuilder::new(options)?;
    // One hash per article the builder took, in its order: what tells an
    // incremental build that the previous index's articles are unchanged.
    let mut content: Vec<u64> = Vec::new();
    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        // Draws only on a terminal; in CI logs it stays silent.
        ProgressBar::no_length().with_style(
            ProgressStyle::with_template("{spinner} indexing: {human_pos} articles, {per_sec}")
                .expect("the template is valid"),
        )
    };
    let mut skipped = 0;
    let mut images_dropped = 0;
    // Articles with a title and no text: a silent sign of a field alike
    // does not read, so the build says so once (with the first's place).
    let mut untexted: (usize, Option<String>) = (0, None);
    let mut batch: Vec<alike::input::Record> = Vec::new();
    let mut add_batch = |batch: &mut Vec<alike::input::Record>, skipped: &mut usize| -> Result<()> {
        let (articles, locations): (Vec<_>, Vec<_>) = batch
            .drain(..)
            .map(|mut r| {
                images_dropped += usize::from(images::keep_allowed(&mut r.article, &args.image_origins));
                if r.article.body.trim().is_empty() {
                    untexted.0 += 1;
                    untexted.1.get_or_insert_with(|| r.location.to_string());
                }
                (r.article, r.location)
            })
            .unzip();
        let hashes: Vec<u64> = articles.par_iter().map(article_hash).collect();
        for ((result, location), hash) in builder.add_many(articles).into_iter().zip(locations).zip(hashes) {
            progress.inc(1);
            match result {
                Ok(()) => content.push(hash),
                Err(error) if args.skip_bad => {
                    progress.suspend(|| eprintln!("alike: warning: skipped {location}: {error}"));
                    *skipped += 1;
                }
                Err(error) => bail!("{location}: {error} (use --skip-bad to skip bad records)"),
            }
        }
        Ok(())
    };
    let read_options = alike::input::ReadOptions {
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        base_url: args.base_url.clone(),
    };
    let read = crate::cli::each_record(&args.inputs, &read_options, args.skip_bad, |record| {
        batch.push(record);
        if batch.len() == BATCH { add_batch(&mut batch, &mut skipped) } else { Ok(()) }
    })
    .and_then(|read| add_batch(&mut batch, &mut skipped).map(|()| read));
    progress.finish_and_clear();
    let reading = read?;
    phases.end("read and count");
    skipped += reading.skipped;
    if args.verbose {
        for page in &reading.passed_over {
            eprintln!("alike: passed over {}: {}", page.location, page.message);
        }
    }
    for note in builder.notes() {
        eprintln!("alike: warning: {note}");
    }
    let passed_over = reading.passed_over_summary();
    if builder.is_empty() {
        let hint = match &passed_over {
            Some(summary) => format!("; {summary}: use --include to take pages the rule passes over"),
            None => String::new(),
        };
        bail!("no articles to index: the inputs hold no usable records{hint}");
    }

    let count = builder.len();
    if let (untexted @ 1.., Some(first)) = untexted {
        // Only JSON Lines have fields to name: elsewhere a post may be a picture alone.
        let hint = if first.contains(" line ") {
            "; JSON Lines articles take their text from \"body\" (or \"html\", \"text\", \"content\")"
        } else {
            ""
        };
        eprintln!(
            "alike: warning: {untexted} of {count} articles have a title but no text, so only their titles are matched (the first: {first}){hint}"
        );
    }
    // The cluster layout keeps every posting: a query reads a few clusters,
    // never a term's whole list (and `--layout auto` takes clusters past
    // `ALWAYS_CLUSTERED`).
    if auto_postings_limit && count > LARGE_ARCHIVE && args.layout == Layout::Single {
        builder.limit_postings_per_term(LARGE_ARCHIVE_POSTINGS);
    }
    // A cluster index in the folder that can take the new articles as a
    // delta keeps its files; else the build is a full one, and says why
    // when there was an index.
    let incremental = match args.layout {
        _ if args.full => Err("--full".to_string()),
        Layout::Single | Layout::Sharded => Err("--layout single".to_string()),
        Layout::Auto | Layout::Clusters => {
            previous_base(&args.out, &settings).and_then(|(manifest, base)| {
                let plan = builder.delta_on(&base)?;
                if let Some(why) = base.recent_read(args.recent_limit).filter(|_| !plan.is_empty()) {
                    return Err(why);
                }
                let expected = manifest.base.as_ref().map(|b| b.content.as_str());
                if Some(format!("{:016x}", plan.base_content(&content)).as_str()) != expected {
                    return Err("an article it holds has changed".into());
                }
                let since = manifest.base.as_ref().and_then(|b| b.since_content());
                if since.is_some_and(|since| since != plan.since_content(&content)) {
                    return Err("an article added since its last full build has changed".into());
                }
                Ok((manifest, base, plan, since.is_some()))
            })
        }
    };
    // Nothing new and nothing changed (what the previous manifest's
    // `base.all` tells): the index stays as it is, byte for byte.
    let mut up_to_date = false;
    let incremental = match incremental {
        Ok((_, _, plan, checked)) if checked && plan.is_empty() => {
            up_to_date = true;
            None
        }
        Ok((manifest, base, plan, _)) => {
            let plan = builder.delta_files(&base, plan);
            Some((manifest, base, plan))
        }
        Err(why) => {
            if !args.quiet && (args.full || args.out.exists()) {
                // The reader's advice (an old or corrupt index: "rebuild it")
                // is what this build is doing.
                let why = why.trim_end_matches(alike::Error::REBUILD);
                eprintln!("alike: full build: {why}");
            }
            None
        }
    };
    if incremental.is_some() {
        phases.end("previous index read, new articles filed (incremental)");
    }
    let content_sum = content.iter().fold(0u64, |sum, hash| sum.wrapping_add(*hash));
    let mut built = builder.build();
    phases.end("weigh and prune");
    // A full build in clusters ranks its lists before it cuts the files,
    // so that the terms only the ranking reads are freed before the files
    // are made (at 1,000,000 articles, gigabytes of the peak).
    let clusters_afresh = !up_to_date
        && incremental.is_none()
        && (args.layout == Layout::Clusters || (args.layout == Layout::Auto && count > ALWAYS_CLUSTERED));
    if clusters_afresh && args.related_lists > 0 {
        built.rank_lists_then_free_terms(args.related_lists as usize);
        phases.end("related lists ranked");
    }
    let built = built;
    let terms = built.term_count();
    let cluster_size = args.cluster_size.map(|size| size as usize);
    let cells = args.cells.map(|cells| cells as usize);
    let clustered = |phases: &mut Phases| {
        let tuning = alike::ClusterTuning {
            centroid_terms: args.centroid_terms.map(|terms| terms as usize),
            balance: args.cluster_balance,
        };
        built.clustered_tuned(args.related_lists, args.min_score, cluster_size, cells, tuning, &mut |name| {
            phases.end(name)
        })
    };
    // `auto` weighs what a reader downloads for a first box (`FirstBox`)
    // in a single file against the cluster layout, built both ways while
    // that is cheap; the single file only where it costs no more on either
    // kind of page.
    let mut incremental = incremental;
    let (layout, mut clusters) = match args.layout {
        _ if up_to_date => (Layout::Clusters, None),
        _ if incremental.is_some() => {
            let (previous, base, plan) = incremental.take().expect("checked");
            let mut index = built.incremental_in_steps(
                &base,
                plan,
                args.related_lists,
                args.min_score,
                args.recent_bits,
                &mut |name| phases.end(name),
            );
            phases.end("new articles' segment (incremental)");
            index.manifest.base = previous.base;
            (Layout::Clusters, Some(index))
        }
        // No single file is small enough here. Clusters at every size: at
        // 100,000 articles their stored lists and engine path scored as the
        // retired term shards' did (bench/run), in 4,630 files where term
        // shards took 60,187, and a page not in the index costs 8 requests,
        // not 150.
        Layout::Auto if count > ALWAYS_CLUSTERED => (Layout::Clusters, None),
        Layout::Auto => {
            let single = gzipped_size(built.single().to_json().as_bytes());
            let clusters = clustered(&mut phases);
            let engine = widget::engine_size();
            let single_box = FirstBox { own: engine + single, elsewhere: engine + single };
            let layout = if single > SINGLE_FILE_LIMIT
                || !single_box.no_larger_than(&FirstBox::clusters(&clusters, engine))
            {
                Layout::Clusters
            } else {
                Layout::Single
            };
            (layout, Some(clusters))
        }
        layout => (layout, None),
    };
    let chosen = match (args.layout, layout) {
        (Layout::Auto, Layout::Single) => "one file (--layout auto: no larger for any reader)",
        (Layout::Auto, _) => "clusters (--layout auto)",
        _ => "",
    };
    let summary = if up_to_date {
        String::new()
    } else if layout == Layout::Clusters {
        let mut clusters = clusters.take().unwrap_or_else(|| clustered(&mut phases));
        // A full build is its own base.
        let generation = clusters.manifest.generation;
        let base = clusters.manifest.base.get_or_insert_with(|| alike::ManifestBase {
            generation,
            articles: count as u32,
            content: format!("{content_sum:016x}"),
            settings: settings.clone(),
            all: None,
        });
        base.all = Some(format!("{content_sum:016x}"));
        let old_files = match (args.keep_old_files, args.remove_replaced) {
            (true, _) => OldFiles::Keep,
            (false, false) => OldFiles::RemoveUnnamed,
            (false, true) => OldFiles::RemoveReplaced,
        };
        let summary = write_clustered(&args.out, &mut clusters, old_files)?;
        phases.end("files written");
        summary
    } else {
        let single = built.single().to_json();
        // The same index as the one there: left as it is (deploys upload what changed).
        let same = std::fs::read(&args.out).is_ok_and(|old| old == single.as_bytes());
        if !same {
            output::write_atomically(&args.out, single.as_bytes())?;
        }
        let same = if same { ", the same as the index there: not written" } else { "" };
        format!("{}, {} gzipped{same}", kilobytes(single.len()), kilobytes(gzipped_size(single.as_bytes())))
    };
    let widget = if args.no_widget {
        String::new()
    } else {
        let all_languages = widget::needs_all_languages(built.languages());
        let written = widget::write(&dir, all_languages)?;
        let names: Vec<&str> = widget::names().collect();
        let engine = if all_languages { ", every stemmer" } else { "" };
        format!("; the widget ({}{engine}): {written} files written", names.join(", "))
    };
    if let Some(path) = &args.related_data {
        let lists = built.related_lists(args.related_lists as usize, args.min_score);
        let data = related_data(&lists);
        if std::fs::read(path).map_or(true, |old| old != data.as_bytes()) {
            output::write_atomically(path, data.as_bytes())?;
        }
    }
    if up_to_date {
        if !args.quiet {
            eprintln!(
                "alike: {} is up to date ({count} articles, all in it unchanged, with the same settings): nothing written to the index{widget}",
                args.out.display()
            );
        }
        return Ok(());
    }
    if !args.quiet {
        let skipped = if skipped > 0 { format!(", skipped {skipped} bad records") } else { String::new() };
        let passed_over = match passed_over {
            Some(summary) if args.verbose => format!("; {summary}"),
            Some(summary) => format!("; {summary}, listed by --verbose"),
            None => String::new(),
        };
        let images = if images_dropped > 0 {
            format!(", left out {images_dropped} images on other sites (see --image-origins)")
        } else {
            String::new()
        };
        eprintln!(
            "alike: indexed {count} articles ({terms} terms) into {}{}: {summary}, in {:.2} s{skipped}{images}{widget}{passed_over}",
            args.out.display(),
            if chosen.is_empty() { String::new() } else { format!(" as {chosen}") },
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}

/// What a cluster build does with the files of earlier builds.
#[derive(Clone, Copy, PartialEq)]
enum OldFiles {
    /// Keeps them all (`--keep-old-files`).
    Keep,
    /// Removes those no manifest in the folder keeps: the replaced one's
    /// stay one build more (the default).
    RemoveUnnamed,
    /// Removes those the new manifest does not name (`--remove-replaced`).
    RemoveReplaced,
}

/// Past this many files of alike's in its folder, a build warns: Cloudflare
/// Pages' free plan takes 20,000 files a site (2026), the site's own too.
const HOST_FILES: usize = 20_000;

/// Writes an index of the cluster layout: every file under its build's
/// generation first, the manifest last, so that readers see either the
/// old index or the new one, whole. Then, as `old_files` says, the files no
/// manifest in the folder keeps go (`alike::remove_old_files`).
fn write_clustered(
    manifest: &Path,
    index: &mut alike::ClusteredIndex,
    old_files: OldFiles,
) -> Result<String> {
    let dir = output::folder_of(manifest);
    // The manifest this one replaces: its files stay for one more build.
    // Where it cannot be told what it names, no file may go.
    let replaced = match std::fs::read_to_string(manifest) {
        Ok(json) => Ok(Some(json)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("the index this build replaced cannot be read ({e})")),
    };
    let removable = replaced.and_then(|old| alike::record_replaced(&mut index.manifest, old.as_deref()));
    if old_files == OldFiles::RemoveReplaced {
        index.manifest.previous.clear();
    }
    // What this build adds to the folder, taken back if the manifest cannot
    // be written: a failed build leaves the folder as it found it.
    let mut added: Vec<std::path::PathBuf> = output::INDEX_FOLDERS
        .iter()
        .map(|folder| dir.join(folder))
        .filter(|folder| !folder.exists())
        .collect();
    // Written as they are made, on every core: a large index's JSON is
    // never held whole. Each file's bytes, and its path if it is new.
    let written = index.each_file(|path, json| -> Result<(usize, Option<PathBuf>)> {
        let path = dir.join(path);
        let new = (!path.exists()).then(|| path.clone());
        output::write_index_file(&path, &json)?;
        Ok((json.len(), new))
    })?;
    let (bytes, count) = (written.iter().map(|w| w.0).sum::<usize>(), written.len());
    added.extend(written.into_iter().filter_map(|w| w.1));
    let manifest_json = index.manifest.to_json();
    if let Err(error) = output::write_atomically(manifest, manifest_json.as_bytes()) {
        // Files first, then the folders they were in.
        for path in added.iter().rev() {
            let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir(path));
        }
        return Err(error);
    }
    let removed = if old_files == OldFiles::Keep { String::new() } else { remove_old_files(&dir, removable) };
    if let Some(base) = index.manifest.base.as_ref().filter(|_| index.clusters.is_empty()) {
        let since = index.manifest.articles - base.articles;
        let filed: usize = index.deltas.iter().map(|(_, f)| f.articles.url.len()).sum();
        let segments = index.manifest.delta.as_ref().map_or(0, |d| 1 + d.newer.len());
        let own: usize = index.recent.iter().map(|f| f.pages.len()).sum();
        let patched: usize = index.recent.iter().map(|f| f.patches.len()).sum();
        return Ok(format!(
            "incrementally: the base's files and {} older segments kept, a new segment of {filed} articles ({since} since the base) in {} delta files, {own} whole lists and {patched} patched ones in {} recent-list files, and a manifest of {} written ({} files of {}){removed}",
            segments - 1,
            index.deltas.len(),
            index.recent.len(),
            kilobytes(manifest_json.len()),
            count + 1,
            kilobytes(bytes + manifest_json.len()),
        ));
    }
    Ok(format!(
        "a manifest of {}, an engine file, {} cluster files and {} list files: {} files of {} in all{removed}",
        kilobytes(manifest_json.len()),
        index.clusters.len(),
        index.lists.len(),
        count + 1,
        kilobytes(bytes + manifest_json.len()),
    ))
}

/// Removes the files no manifest in `dir` keeps, once the new manifest is
/// in place, unless `removable` says why not; for the summary, how many
/// went. Nothing here fails the build: a file that stays costs only room.
fn remove_old_files(dir: &Path, removable: Result<(), String>) -> String {
    match removable.and_then(|()| alike::remove_old_files(dir)) {
        Ok(pruned) => {
            for failed in &pruned.failed {
                eprintln!(
                    "alike: warning: cannot remove the old file {failed}; it stays (the index is whole)"
                );
            }
            if let Some(warning) = too_many_files(dir, &pruned) {
                eprintln!("alike: warning: {warning}");
            }
            format!(", {} old files removed", pruned.removed)
        }
        Err(why) => {
            eprintln!("alike: warning: no old files removed: {why}");
            String::new()
        }
    }
}

/// What to say when the folder holds more of alike's files than a common
/// host's plan takes (`HOST_FILES`), and what of them may go.
fn too_many_files(dir: &Path, pruned: &alike::Pruned) -> Option<String> {
    let replaced = match pruned.replaced {
        0 => String::new(),
        n => format!(
            "; {n} of them are the replaced build's, kept one build more for readers mid-deploy (--remove-replaced removes them)"
        ),
    };
    (pruned.left > HOST_FILES).then(|| {
        format!(
            "{} holds {} files of alike's, past the {HOST_FILES} a site that Cloudflare Pages' free plan takes{replaced}",
            dir.display(),
            pruned.left
        )
    })
}

/// The previous index at `out` and its base, if it is a cluster index of
/// these `settings` (`settings_hash`), or why not.
fn previous_base(out: &Path, settings: &str) -> Result<(alike::Manifest, alike::Base), String> {
    let json = match std::fs::read_to_string(out) {
        Ok(json) => json,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no previous index".into()),
        Err(e) => return Err(format!("cannot read the previous index: {e}")),
    };
    let manifest = alike::Manifest::from_json(&json).map_err(|e| format!("the previous index: {e}"))?;
    let base =
        manifest.base.as_ref().ok_or("the previous index names no base (written by an earlier alike)")?;
    if base.settings != settings {
        return Err("the settings differ from the previous index's".into());
    }
    let dir = output::folder_of(out);
    let base = alike::Base::read(
        &manifest,
        |path| std::fs::read_to_string(dir.join(path)).map_err(|e| format!("cannot read {path}: {e}")),
        |path| {
            std::fs::metadata(dir.join(path)).map(|m| m.len()).map_err(|e| format!("cannot read {path}: {e}"))
        },
    )
    .map_err(|e| format!("the previous index: {e}"))?;
    Ok((manifest, base))
}

/// A hash of everything that makes one build's base differ from another's
/// on the same articles: the build options, lists and cluster settings,
/// and alike's version.
fn settings_hash(options: &BuildOptions, args: &Args) -> String {
    let text = format!(
        "{} {options:?} {} {} {:?} {:?}",
        env!("CARGO_PKG_VERSION"),
        args.related_lists,
        args.min_score,
        args.cluster_size,
        args.cells
    );
    // Only when given, so that the hash of a default build stays the same.
    let text = match args.centroid_terms {
        Some(terms) => format!("{text} {terms}"),
        None => text,
    };
    let text = if args.cluster_balance == alike::ClusterTuning::default().balance {
        text
    } else {
        format!("{text} balance {}", args.cluster_balance)
    };
    format!("{:016x}", fnv64(text.as_bytes()))
}

/// A hash of an article as read: the same for the same article wherever
/// it is in the inputs.
fn article_hash(article: &alike::Article) -> u64 {
    fnv64(serde_json::to_string(article).expect("an article serialises").as_bytes())
}

fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Gzipped bytes a reader downloads for the first box, less the shim
/// (the same in every layout): on a page the index holds (`own`) and on
/// one it does not (`elsewhere`, a page published since the build).
struct FirstBox {
    own: usize,
    elsewhere: usize,
}

impl FirstBox {
    /// An own page reads the manifest and its list file (a middling one);
    /// a page the lists miss has tried its list file too, then loads the
    /// engine (`engine`: glue and wasm), the engine file and the clusters
    /// it probes (middling ones). Without lists, both run the engine.
    fn clusters(index: &alike::ClusteredIndex, engine: usize) -> FirstBox {
        let median = |mut sizes: Vec<usize>| {
            sizes.sort_unstable();
            sizes.get(sizes.len() / 2).copied().unwrap_or(0)
        };
        let manifest = gzipped_size(index.manifest.to_json().as_bytes());
        let list = median(index.lists.iter().map(|file| gzipped_size(file.to_json().as_bytes())).collect());
        let cluster =
            median(index.clusters.iter().map(|file| gzipped_size(file.to_json().as_bytes())).collect());
        let probed = (index.engine.clusters.probes as usize).clamp(1, index.clusters.len().max(1));
        let engine_file = gzipped_size(index.engine.to_json().as_bytes());
        let elsewhere = manifest + list + engine + engine_file + probed * cluster;
        let own = if index.lists.is_empty() { elsewhere } else { manifest + list };
        FirstBox { own, elsewhere }
    }

    fn no_larger_than(&self, other: &FirstBox) -> bool {
        self.own <= other.own && self.elsewhere <= other.elsewhere
    }
}

fn gzipped_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail").len()
}

fn kilobytes(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// The related lists as a template reads them: a JSON object from each
/// article's path (what Hugo's `.RelPermalink` and Jekyll's and Eleventy's
/// `page.url` give) to its list.
fn related_data(lists: &[(String, Vec<Listed>)]) -> String {
    // Serialised directly, not through `serde_json::Value`, which would
    // widen each f32 score to a long f64 (0.32 as 0.3199999928474426).
    let object: std::collections::BTreeMap<String, &Vec<Listed>> =
        lists.iter().map(|(url, list)| (site_path(url), list)).collect();
    serde_json::to_string_pretty(&object).expect("lists serialise")
}

/// `https://example.com/2024/05/story/` and `/2024/05/story/` alike give
/// `/2024/05/story/`.
fn site_path(url: &str) -> String {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |start| &rest[start..]),
        None => url,
    };
    let path = rest.split('#').next().unwrap_or(rest);
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

/// Refuses `--layout sharded`: alike writes one multi-file layout now.
fn check_layout(layout: Layout) -> Result<()> {
    if layout == Layout::Sharded {
        bail!(
            "--layout sharded (term shards in t/ and a/) is no longer written: use --layout clusters \
             (or auto), alike's one multi-file layout; the widget no longer reads a sharded index, so \
             rebuild any you deployed"
        );
    }
    Ok(())
}

fn parse_glob(text: &str) -> Result<alike::input::Glob, String> {
    alike::input::Glob::new(text)
}

fn parse_base_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url.to_string()),
        _ => Err(format!("\"{text}\" is not a site URL such as https://example.com/")),
    }
}

fn parse_language(name: &str) -> Result<Language, String> {
    Language::parse(name).map_err(|error| error.to_string())
}

fn parse_title_weight(text: &str) -> Result<f32, String> {
    let weight: f32 = text.parse().map_err(|_| format!("\"{text}\" is not a number"))?;
    if weight.is_finite() && (0.1..=100.0).contains(&weight) {
        Ok(weight)
    } else {
        Err(format!("{weight} is not between 0.1 and 100"))
    }
}

/// A `--recent-limit`: 0 or more (`inf`: never a full build for it).
fn parse_limit(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value >= 0.0 => Ok(value),
        _ => Err(format!("\"{text}\" is not a number of times, 0 or more")),
    }
}

fn parse_balance(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if value == 0.0 || (1.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("\"{text}\" is not 0 or a number of times the mean from 1 to 100")),
    }
}

fn parse_score(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("\"{text}\" is not a score from 0 to 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::{HOST_FILES, parse_balance, site_path, too_many_files};

    #[test]
    fn a_cluster_balance_is_off_or_at_least_the_mean() {
        assert_eq!(
            (parse_balance("0"), parse_balance("1.1"), parse_balance("1")),
            (Ok(0.0), Ok(1.1), Ok(1.0))
        );
        for bad in ["0.5", "-1", "x", "NaN", "inf", "1000"] {
            assert!(parse_balance(bad).unwrap_err().contains(&format!("\"{bad}\"")), "{bad}");
        }
    }

    #[test]
    fn a_folder_past_a_hosts_file_limit_is_a_warning_naming_what_may_go() {
        let dir = std::path::Path::new("site/alike");
        let pruned = |left, replaced| alike::Pruned { left, replaced, ..Default::default() };
        assert_eq!(too_many_files(dir, &pruned(HOST_FILES, 9_000)), None);
        let warning = too_many_files(dir, &pruned(39_788, 19_894)).expect("past the limit");
        assert!(warning.starts_with("site/alike holds 39788 files of alike's, past the 20000"), "{warning}");
        assert!(
            warning.contains("19894 of them are the replaced build's")
                && warning.contains("--remove-replaced")
        );
        let warning = too_many_files(dir, &pruned(20_260, 0)).expect("past the limit");
        assert!(!warning.contains("--remove-replaced"), "{warning}");
    }

    #[test]
    fn site_paths_are_what_templates_know_a_page_by() {
        assert_eq!(site_path("https://example.com/2024/05/story/"), "/2024/05/story/");
        assert_eq!(site_path("https://example.com"), "/");
        assert_eq!(site_path("/news/1.html#top"), "/news/1.html");
        assert_eq!(site_path("news/1.html"), "/news/1.html");
        assert_eq!(site_path("https://example.com/a?id=7"), "/a?id=7");
    }
}
