//! HTML to article text.

use scraper::{Html, Node};

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object"];
/// Elements that end a line of text, so words on either side stay apart.
const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
    "article", "header", "footer", "figure", "figcaption", "table", "tr", "td", "th", "pre", "hr",
];

/// The text of an HTML fragment, paragraphs separated by blank lines.
pub fn fragment_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    collect_text(fragment.root_element(), &mut out);
    tidy(&out)
}

fn collect_text(element: scraper::ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push('\n');
                }
                if let Some(child) = scraper::ElementRef::wrap(child) {
                    collect_text(child, out);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// Collapses runs of spaces within lines and of blank lines between them.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_keep_paragraphs_apart_and_drop_scripts() {
        let text = fragment_text("<p>One <b>two</b></p><p>three</p><script>alert(1)</script><style>p{}</style>");
        assert_eq!(text, "One two\n\nthree");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(fragment_text("<p>Fish &amp; chips &lt;3</p>"), "Fish & chips <3");
    }
}
