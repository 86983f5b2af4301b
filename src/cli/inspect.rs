//! `alike inspect`: what the CLI reads from a page, and why, so that a site
//! owner can see why a box is wrong or missing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

/// Show what alike reads from HTML pages.
///
/// For each PAGE prints its title, URL, date, section, language, where its text came from
/// (JSON-LD articleBody or the page), the element(s) read, the text, and the blocks left out
/// and why. The widget reads a page by the same rules (set data-debug on its script tag to see
/// it in the browser's console).
///
/// Example: alike inspect public/2024/05/bridge-closes/index.html
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// HTML pages to read
    #[arg(required = true, value_name = "PAGE")]
    pages: Vec<PathBuf>,

    /// One JSON object a line instead of text
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for path in &args.pages {
        let page = match alike::input::inspect(path) {
            Ok(page) => page,
            Err(error) => {
                eprintln!("alike: {error}");
                failed += 1;
                continue;
            }
        };
        let article = &page.article;
        if args.json {
            let line = json!({
                "page": path.display().to_string(),
                "url": article.url,
                "title": article.title,
                "date": article.date,
                "section": article.section,
                "language": page.language,
                "text_from": page.text_from,
                "read": page.read,
                "text": article.body,
                "left_out": page.left_out.iter().map(|(block, why)| json!({"block": block, "why": why})).collect::<Vec<_>>(),
                "notes": page.notes,
            });
            writeln!(out, "{line}")?;
            continue;
        }
        let none = || "(none)".to_string();
        writeln!(out, "page:     {}", path.display())?;
        writeln!(out, "title:    {}", article.title)?;
        writeln!(out, "url:      {}", article.url)?;
        writeln!(out, "date:     {}", article.date.clone().unwrap_or_else(none))?;
        writeln!(out, "section:  {}", article.section.clone().unwrap_or_else(none))?;
        writeln!(out, "language: {}", page.language.clone().unwrap_or_else(none))?;
        writeln!(
            out,
            "text:     from {}, {} words",
            page.text_from,
            article.body.split_whitespace().count()
        )?;
        writeln!(out, "read:     {}", page.read.join(", "))?;
        for note in &page.notes {
            writeln!(out, "note:     {note}")?;
        }
        writeln!(out, "\n{}\n", article.body)?;
        writeln!(out, "left out: {} block(s)", page.left_out.len())?;
        for (block, why) in &page.left_out {
            writeln!(out, "  {why}: {block}")?;
        }
        writeln!(out)?;
    }
    if failed > 0 {
        anyhow::bail!("could not read {failed} of {} page(s)", args.pages.len());
    }
    Ok(())
}
