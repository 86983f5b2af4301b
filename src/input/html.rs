//! HTML to article text: what a reader reads as the story, without the
//! page's furniture. Paragraphs come out separated by blank lines.
//!
//! The rules are the engine's (`src/extract.rs`), shared with the widget:
//! this module reduces html5ever's parse to the same small tree of blocks
//! the widget builds from the live DOM, and asks `extract` what to read.

use scraper::{ElementRef, Html, Node};

use super::{Location, nesting, warn};
use crate::extract::{self, OPAQUE, Reason, Tree};
use crate::text::collapse;

/// Elements skipped in text read on one line (a title): only what is never
/// text at all.
const NEVER_TEXT: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object"];

/// The text of an HTML fragment, such as a feed item's content, with the
/// furniture left out; if that leaves nothing, all of its text. Nesting
/// deeper than `nesting::MAX_NESTING` is read as plain text.
pub fn fragment_text(html: &str) -> String {
    text_and_cut_tags(html).0
}

/// As [`fragment_text`], with a warning at `location` if nesting was cut.
pub fn fragment_text_at(html: &str, location: &Location) -> String {
    let (text, cut_tags) = text_and_cut_tags(html);
    if cut_tags > 0 {
        warn(location, nesting::cut_warning(cut_tags));
    }
    text
}

fn text_and_cut_tags(html: &str) -> (String, usize) {
    let limited = nesting::limit(html);
    let fragment = Html::parse_fragment(&limited.html);
    let page = PageTree::of(fragment.root_element());
    (extract::read_fragment(&page.tree), limited.cut_tags)
}

/// The text of a fragment on one line, with no furniture rules: for a
/// title that may hold markup.
pub fn inline_text(html: &str) -> String {
    let fragment = Html::parse_fragment(&nesting::limit(html).html);
    one_line(fragment.root_element())
}

/// A title written as text that may hold markup (a `<title>`'s text, a
/// meta tag's, a JSON-LD headline, a feed's plain title), on one line:
/// entities decoded, also where they were escaped twice (`Fish &amp;amp;
/// chips`); elements closed in it read as HTML (`<b>Bold</b> news`, a
/// `<script>…</script>` left out); any other `<` is text, as in "Why the
/// <template> element" or "a < b".
pub fn title_text(text: &str) -> String {
    let once = inline_text(&markup_as_text(text));
    if once.contains('&') { inline_text(&markup_as_text(&once)) } else { once }
}

/// `text` with every `<` escaped but those of a tag whose element is
/// closed later in the text (and `<br>`, a space), so that HTML reads the
/// rest as text.
fn markup_as_text(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let is_tag = |at: usize| {
        let tag = &lower[at + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name_end = tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len());
        let name = &tag[..name_end];
        let ends = tag[name_end..].starts_with(['>', ' ', '/']);
        let closed = closing || lower[at..].contains(&format!("</{name}>"));
        !name.is_empty() && ends && (name == "br" || closed)
    };
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        match c {
            '<' if !is_tag(at) => out.push_str("&lt;"),
            // A line break in a title is a space between its words.
            '<' if lower[at..].starts_with("<br") => out.push_str(" <"),
            c => out.push(c),
        }
    }
    out
}

/// What was read of a page (see `extract::read`).
pub struct PageReading<'a> {
    /// The article's text; empty if the page has none.
    pub text: String,
    /// The element(s) it was read from.
    pub read: Vec<ElementRef<'a>>,
    /// Blocks inside those that were left out, and why.
    pub left_out: Vec<(ElementRef<'a>, Reason)>,
}

/// The article of a whole page; `title` is the page's title as its
/// metadata gives it, to tell the story from other posts on the page.
pub fn read_page<'a>(document: &'a Html, title: &str) -> PageReading<'a> {
    let page = PageTree::of(document.root_element());
    let reading = extract::read(&page.tree, title);
    let element = |i: usize| page.elements.get(i).copied().flatten();
    PageReading {
        text: reading.text,
        read: reading.read.iter().filter_map(|&i| element(i)).collect(),
        left_out: reading.left_out.iter().filter_map(|&(i, why)| Some((element(i)?, why))).collect(),
    }
}

/// A page's tree as `extract` reads it, with the element of each node.
struct PageTree<'a> {
    tree: Tree,
    elements: Vec<Option<ElementRef<'a>>>,
}

impl<'a> PageTree<'a> {
    /// The tree under `root`, built in document order without recursion,
    /// as the widget builds it from the DOM (`pageTree` in `www/alike.js`).
    fn of(root: ElementRef<'a>) -> PageTree<'a> {
        let mut tree = Tree::new(root.value().name());
        let mut elements = vec![Some(root)];
        let mut stack = Vec::new();
        stack.extend(root.children().rev().map(|child| (child, 0)));
        while let Some((node, parent)) = stack.pop() {
            match node.value() {
                Node::Text(text) => {
                    if tree.is_full() {
                        break;
                    }
                    tree.text(parent, text);
                    elements.push(None);
                }
                Node::Element(e) => {
                    let Some(index) = tree.element(parent, e.name(), e.attrs()) else { break };
                    elements.push(ElementRef::wrap(node));
                    if !OPAQUE.contains(&e.name()) {
                        stack.extend(node.children().rev().map(|child| (child, index)));
                    }
                }
                _ => {}
            }
        }
        PageTree { tree, elements }
    }
}

/// An element's text on one line, as for a title: without the text of
/// scripts, styles and the like, which a browser does not show either.
pub fn one_line(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    flat_text(element, &mut text);
    collapse(&text)
}

/// Appends all the text under an element but that of elements that are
/// never text, without recursion, however deep the subtree.
fn flat_text(element: ElementRef<'_>, out: &mut String) {
    let root = *element;
    let mut next = root.first_child();
    while let Some(node) = next {
        let descend = match node.value() {
            Node::Text(text) => {
                out.push_str(text);
                false
            }
            Node::Element(e) => !NEVER_TEXT.contains(&e.name()),
            _ => false,
        };
        next = match node.first_child() {
            Some(child) if descend => Some(child),
            _ => std::iter::successors(Some(node), |n| n.parent())
                .take_while(|n| n.id() != root.id())
                .find_map(|n| n.next_sibling()),
        };
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        let document = Html::parse_document(&format!(
            "<!doctype html><html><head><title>T</title></head><body>{body}</body></html>"
        ));
        read_page(&document, "").text
    }

    #[test]
    fn fragments_keep_paragraphs_apart_and_drop_scripts() {
        let text =
            fragment_text("<p>One <b>two</b></p><p>three</p><script>alert(1)</script><style>p{}</style>");
        assert_eq!(text, "One two\n\nthree");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(fragment_text("<p>Fish &amp; chips &lt;3</p>"), "Fish & chips <3");
    }

    #[test]
    fn fragments_that_are_all_links_keep_their_text() {
        assert_eq!(fragment_text("<p><a href=/x>Rates held</a></p>"), "Rates held");
    }

    #[test]
    fn read_more_blocks_are_dropped_in_any_language() {
        for label in ["Read more:", "Lire aussi :", "Mehr zum Thema:", "阅读更多：", ""] {
            let text = fragment_text(&format!(
                "<p>The bank held rates.</p><p><strong>{label}</strong> <a href=/b>Markets rally as bank holds rates at 4.75%</a></p><p>Analysts were surprised.</p>"
            ));
            assert_eq!(text, "The bank held rates.\n\nAnalysts were surprised.", "{label}");
        }
    }

    #[test]
    fn sentences_with_long_links_stay() {
        let paragraph = "<p>According to <a href=/r>a report published on Tuesday by the Institute for Fiscal Studies</a>, taxes will rise.</p>";
        assert_eq!(
            fragment_text(paragraph),
            "According to a report published on Tuesday by the Institute for Fiscal Studies, taxes will rise."
        );
        let paragraph = "<p><a href=/c>The Chancellor, Gordon Brown</a> said on Monday.</p>";
        assert_eq!(fragment_text(paragraph), "The Chancellor, Gordon Brown said on Monday.");
    }

    #[test]
    fn link_lists_and_boxes_of_them_are_dropped() {
        let text = fragment_text(
            "<p>Story text here.</p><div><h2>More on this story</h2><ul><li><a href=/a>First other story</a></li><li><a href=/b>Second other story</a></li></ul></div><ul><li>A point, plainly made</li></ul>",
        );
        assert_eq!(text, "Story text here.\n\nA point, plainly made");
    }

    #[test]
    fn furniture_is_dropped_by_tag_role_and_name() {
        let text = page(
            "<header><a href=/>News</a><a href=/business>Business</a></header>\
             <nav><a href=/>Home</a></nav>\
             <article><h1>Headline</h1><div class=share-bar><a>Share on Facebook</a> Share this</div>\
             <p>First paragraph.</p>\
             <figure><img src=x.jpg><figcaption>Photo: Getty Images</figcaption></figure>\
             <div class=\"ad-slot\">Advertisement</div><div id=relatedStories><p>Other story teaser</p></div>\
             <p>Second paragraph.</p><div role=navigation>Next</div><p hidden>Hidden</p>\
             <section class=comments><p>First! Great article.</p></section><form><input><button>Subscribe</button></form></article>\
             <aside>Most read</aside><footer>Copyright</footer>",
        );
        assert_eq!(text, "First paragraph.\n\nSecond paragraph.");
    }

    #[test]
    fn headers_with_paragraphs_stay() {
        let text = page("<article><header><h1>H</h1><p>The standfirst.</p></header><p>Body.</p></article>");
        assert_eq!(text, "The standfirst.\n\nBody.");
    }

    #[test]
    fn a_wrapper_with_an_unlucky_class_keeps_the_story() {
        let text = page(
            "<div class=\"page has-comments\"><p>All of the story is in here.</p><div class=comments><p>Hi</p></div></div>",
        );
        assert_eq!(text, "All of the story is in here.");
    }

    #[test]
    fn topic_classes_do_not_make_a_post_furniture() {
        let text = page(
            "<p>Site blurb.</p><article class=\"post-7 post type-post category-promotions tag-social-media\"><p>The story.</p><p>More of the story, told at length.</p></article>\
             <article class=related-card><p>A teaser that is longer than the story.</p></article>",
        );
        assert_eq!(text, "The story.\n\nMore of the story, told at length.");
    }

    #[test]
    fn commentary_is_not_a_comment_box() {
        assert_eq!(
            page("<article><div class=commentary><p>Analysis.</p></div><p>x</p></article>"),
            "Analysis.\n\nx"
        );
    }

    #[test]
    fn the_article_with_the_most_text_wins_over_teasers_and_the_rest_of_the_page() {
        let text = page(
            "<p>Site blurb outside any article.</p>\
             <article class=teaser><p>A teaser.</p></article>\
             <article><p>The story, which is long enough to win.</p><p>More story.</p></article>\
             <aside><article><p>A much longer teaser in the sidebar that should never be chosen as the story.</p></article></aside>",
        );
        assert_eq!(text, "The story, which is long enough to win.\n\nMore story.");
    }

    #[test]
    fn article_body_markup_wins() {
        let text = page(
            "<article><p>Intro outside.</p><div itemprop=\"articleBody\"><p>Inside.</p></div></article>",
        );
        assert_eq!(text, "Inside.");
    }

    #[test]
    fn without_article_or_main_the_body_is_read() {
        assert_eq!(page("<nav><a href=/>Home</a></nav><div><p>Just a div.</p></div>"), "Just a div.");
        assert_eq!(page("<nav><a href=/>Home</a></nav><ul><li><a href=/a>A</a></li></ul>"), "");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}deep text{}", "<div><span>".repeat(1500), "</span></div>".repeat(1500));
        assert_eq!(fragment_text(&html), "deep text");
    }

    #[test]
    fn one_line_leaves_out_script_text() {
        let fragment = Html::parse_fragment(
            "<h1>Rates <script>alert(1)</script>held <style>h1{}</style><noscript>x</noscript><template>y</template>today</h1>",
        );
        assert_eq!(one_line(fragment.root_element()), "Rates held today");
        assert_eq!(inline_text("Banks <script>x()</script>merge"), "Banks merge");
    }

    #[test]
    fn titles_keep_a_less_than_sign_that_opens_no_closed_element() {
        assert_eq!(
            title_text("Why the <template> element beats innerHTML"),
            "Why the <template> element beats innerHTML"
        );
        assert_eq!(title_text("If a < b and b<c"), "If a < b and b<c");
        assert_eq!(title_text("<b>Bold</b> news<br/>today"), "Bold news today");
        assert_eq!(title_text("Markets <script>alert(1)</script>calm"), "Markets calm");
        assert_eq!(title_text("Fish &amp;amp; chips &amp;lt;3 AT&T"), "Fish & chips <3 AT&T");
        assert_eq!(title_text("Closing </div> only"), "Closing only");
    }
}
