//! HTML to article text: what a reader reads as the story, without the
//! page's furniture. Paragraphs come out separated by blank lines.
//!
//! What is left out, and why:
//! - elements that are never prose: scripts, styles, forms' controls,
//!   embedded media, and anything `hidden`;
//! - page furniture by tag (`nav`, `aside`, `footer`) or ARIA role
//!   (`navigation`, `complementary`, `banner`, ...), and `header` and `form`
//!   unless they hold paragraphs (an article's header may hold its
//!   standfirst; old ASP.NET pages wrap everything in one `form`);
//! - `h1`: the headline is the article's title already, and in the body it
//!   would count twice;
//! - figures and their captions: captions mostly repeat the story's own
//!   names, and their credits ("Photo: Reuters/Getty Images") would tie
//!   unrelated stories together;
//! - blocks whose class, id, role or aria-label says share, social,
//!   comment, related, newsletter, promo, advert, breadcrumb or sponsor,
//!   unless the block holds most of the text (a page-wide wrapper may carry
//!   `class="has-comments"`);
//! - link-dense blocks: the "Read more: ..." and "Related: ..." lines that
//!   sites and aggregators paste between paragraphs, and lists of links.
//!   They are told by their shape, not their words, so that they are caught
//!   in any language: mostly link text, and no more than a short label
//!   outside the links with nothing said after the last one.

use std::collections::HashMap;

use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

use super::{Location, nesting, warn};

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "head",
    "title",
    "nav",
    "aside",
    "footer",
    "button",
    "select",
    "textarea",
    "dialog",
    "menu",
    "figure",
    "figcaption",
    "h1",
];
/// Elements skipped in a fragment that is read as plain text: only what is
/// never text at all.
const NEVER_TEXT: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object"];
/// Skipped unless they hold a paragraph.
const SKIPPED_WITHOUT_PARAGRAPHS: &[&str] = &["header", "form"];
/// ARIA roles of page furniture.
const SKIPPED_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "banner",
    "contentinfo",
    "search",
    "menu",
    "menubar",
    "toolbar",
    "dialog",
    "alertdialog",
];
/// Elements that end a line of text, so words on either side stay apart;
/// all but `br` and `hr` are also judged for link density.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "figure",
    "figcaption",
    "table",
    "caption",
    "tr",
    "td",
    "th",
    "pre",
    "address",
    "details",
    "summary",
    "form",
];
/// Words of class, id, role and aria-label values that mark furniture, as
/// prefixes (`share` catches `sharebar`, `comment` catches `comments`).
const FURNITURE_PREFIXES: &[&str] = &[
    "share",
    "sharing",
    "social",
    "comment",
    "related",
    "newsletter",
    "promo",
    "advert",
    "breadcrumb",
    "sponsor",
    "outbrain",
    "taboola",
];
/// Whole words that mark furniture but are too short to be prefixes.
const FURNITURE_WORDS: &[&str] = &["ad", "ads", "recirc", "signup"];
/// Words a furniture prefix would catch that are often article text.
const NOT_FURNITURE: &[&str] = &["commentary", "commentator", "commentators"];
/// Class prefixes that carry a post's topics (WordPress's `post_class`).
const TOPIC_CLASS_PREFIXES: &[&str] = &["tag-", "category-", "categories-", "tags-"];
/// Deeper than this, a subtree is read as plain text: badly nested pages
/// (a thousand unclosed `<font>`s) must not exhaust the stack. Pages are
/// cut to `nesting::MAX_NESTING` before they are parsed; this also holds
/// for the levels the parser adds (`html`, `body`, a table's `tbody`).
const MAX_DEPTH: usize = 256;

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
    let root = fragment.root_element();
    let paragraphs = Paragraphs::of(root);
    let text = Cleaner::article(root, &paragraphs).text(root);
    let text = if text.is_empty() { Cleaner::plain(&paragraphs).text(root) } else { text };
    (text, limited.cut_tags)
}

/// The text of a fragment on one line, with no furniture rules: for a
/// title that may hold markup.
pub fn inline_text(html: &str) -> String {
    let fragment = Html::parse_fragment(&nesting::limit(html).html);
    one_line(fragment.root_element())
}

/// The article text of a whole page and the element it came from: the
/// first of `[itemprop=articleBody]`, the `<article>` with the most
/// paragraph text, `<main>`, `<body>` to yield any text.
pub fn page_text(document: &Html) -> Option<(ElementRef<'_>, String)> {
    let root = document.root_element();
    let paragraphs = Paragraphs::of(root);
    let furniture = in_furniture(root, &paragraphs);
    let mut candidates: Vec<ElementRef<'_>> = Vec::new();
    candidates.extend(root.descendent_elements().filter(|e| has_word(e.attr("itemprop"), "articlebody")));
    let mut articles: Vec<(usize, ElementRef<'_>)> = root
        .descendent_elements()
        .filter(|e| e.value().name() == "article" && !furniture.contains(&key(*e)))
        .map(|e| (paragraphs.under(e), e))
        .collect();
    // Most text first; among equals the first in the page, which encloses
    // any nested one.
    articles.sort_by_key(|(chars, _)| std::cmp::Reverse(*chars));
    candidates.extend(articles.into_iter().map(|(_, e)| e));
    candidates.extend(root.descendent_elements().filter(|e| {
        e.value().name() == "main" || e.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("main"))
    }));
    candidates.extend(root.descendent_elements().filter(|e| e.value().name() == "body"));
    candidates.into_iter().find_map(|candidate| {
        let text = Cleaner::article(candidate, &paragraphs).text(candidate);
        (!text.is_empty()).then_some((candidate, text))
    })
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

/// Runs of whitespace, line breaks included, as single spaces.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Walks an element's subtree collecting the text a reader would read.
struct Cleaner<'p> {
    /// Article rules (furniture, link density) rather than plain text.
    strict: bool,
    /// Paragraph text under the root, against which a furniture-named block
    /// is weighed before it is dropped.
    root_paragraph_chars: usize,
    paragraphs: &'p Paragraphs,
}

impl<'p> Cleaner<'p> {
    fn article(root: ElementRef<'_>, paragraphs: &'p Paragraphs) -> Cleaner<'p> {
        Cleaner { strict: true, root_paragraph_chars: paragraphs.under(root), paragraphs }
    }

    fn plain(paragraphs: &'p Paragraphs) -> Cleaner<'p> {
        Cleaner { strict: false, root_paragraph_chars: 0, paragraphs }
    }

    fn text(&self, root: ElementRef<'_>) -> String {
        let mut text = String::new();
        self.walk(root, false, 0, &mut text);
        tidy(&text)
    }

    /// Appends the text of an element's children to `text`, and returns
    /// the counts link density needs. A block's text is appended, then
    /// cut off again if the block is dropped, so that each character is
    /// written once however deep it lies.
    fn walk(&self, element: ElementRef<'_>, in_link: bool, depth: usize, text: &mut String) -> Piece {
        let mut piece = Piece::default();
        for child in element.children() {
            match child.value() {
                Node::Text(t) => {
                    text.push_str(t);
                    piece.count_text(t, in_link);
                }
                Node::Element(e) => {
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if self.is_skipped(child) {
                        continue;
                    }
                    let name = e.name();
                    let in_link = in_link || name == "a";
                    if depth >= MAX_DEPTH {
                        let mut flat = String::new();
                        flat_text(child, &mut flat);
                        text.push('\n');
                        text.push_str(&flat);
                        text.push('\n');
                        piece.count_text(&flat, in_link);
                    } else if BLOCKS.contains(&name) {
                        text.push('\n');
                        let start = text.len();
                        let inner = self.walk(child, in_link, depth + 1, text);
                        if self.strict && inner.is_link_dense() {
                            text.truncate(start);
                        } else {
                            text.push('\n');
                        }
                        piece.add(inner);
                    } else {
                        let inner = self.walk(child, in_link, depth + 1, text);
                        piece.add(inner);
                    }
                }
                _ => {}
            }
        }
        piece
    }

    fn is_skipped(&self, element: ElementRef<'_>) -> bool {
        let name = element.value().name();
        if !self.strict {
            return NEVER_TEXT.contains(&name);
        }
        is_furniture_tag(element, self.paragraphs)
            || (is_furniture_named(element)
                && self.paragraphs.under(element) * 2 <= self.root_paragraph_chars)
    }
}

/// An element's key in the maps below: its address in the parsed tree,
/// which does not move while the tree is read.
fn key(element: ElementRef<'_>) -> *const Element {
    std::ptr::from_ref(element.value())
}

/// Non-space characters of text inside `<p>`s under each element (itself
/// included): a measure of prose that menus and link lists do not inflate.
/// Counted for the whole tree in one pass, from the leaves up, because
/// asking each element in turn walks nested subtrees again and again.
struct Paragraphs(HashMap<*const Element, usize>);

impl Paragraphs {
    fn of(root: ElementRef<'_>) -> Paragraphs {
        let elements: Vec<ElementRef<'_>> = root.descendent_elements().collect();
        let mut chars: HashMap<*const Element, usize> = HashMap::with_capacity(elements.len());
        // Children come after their parents in document order, so in reverse
        // each element's count is whole before it is added to its parent's.
        for element in elements.iter().rev() {
            let own = if element.value().name() == "p" {
                element.text().map(|t| t.chars().filter(|c| !c.is_whitespace()).count()).sum()
            } else {
                0
            };
            let total = own + chars.get(&key(*element)).copied().unwrap_or(0);
            chars.insert(key(*element), total);
            if let Some(parent) = element.parent().and_then(ElementRef::wrap) {
                *chars.entry(key(parent)).or_default() += total;
            }
        }
        Paragraphs(chars)
    }

    fn under(&self, element: ElementRef<'_>) -> usize {
        self.0.get(&key(element)).copied().unwrap_or(0)
    }
}

/// Furniture by tag, role or hiding, whatever its size.
fn is_furniture_tag(element: ElementRef<'_>, paragraphs: &Paragraphs) -> bool {
    let name = element.value().name();
    SKIPPED.contains(&name)
        || (SKIPPED_WITHOUT_PARAGRAPHS.contains(&name) && paragraphs.under(element) == 0)
        || element
            .attr("role")
            .is_some_and(|role| SKIPPED_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()))
        || element.attr("hidden").is_some()
        // The related box's own place, which may hold its links already.
        || element.attr("data-alike").is_some()
        || element.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || element.attr("style").is_some_and(|style| {
            let style: String =
                style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
}

/// Whether the element's class, id, role or aria-label names furniture.
/// Classes such as WordPress's `tag-social-media` and `category-promotions`
/// say what a post is about, not what the block is, and are passed over.
fn is_furniture_named(element: ElementRef<'_>) -> bool {
    let classes = element
        .value()
        .classes()
        .filter(|class| !TOPIC_CLASS_PREFIXES.iter().any(|prefix| class.starts_with(prefix)));
    let others = ["id", "role", "aria-label"].into_iter().filter_map(|a| element.attr(a));
    classes.chain(others).any(|value| {
        words(value).any(|word| {
            !NOT_FURNITURE.contains(&word.as_str())
                && (FURNITURE_WORDS.contains(&word.as_str())
                    || FURNITURE_PREFIXES.iter().any(|p| word.starts_with(p)))
        })
    })
}

/// The elements that are furniture or inside furniture, so that an
/// `<article>` teaser in a "related" box is not taken for the story; found
/// in one pass down the tree rather than by walking up from each element.
fn in_furniture(root: ElementRef<'_>, paragraphs: &Paragraphs) -> std::collections::HashSet<*const Element> {
    let mut inside = std::collections::HashSet::new();
    for element in root.descendent_elements() {
        let parent_inside =
            element.parent().and_then(ElementRef::wrap).is_some_and(|p| inside.contains(&key(p)));
        if parent_inside || is_furniture_tag(element, paragraphs) || is_furniture_named(element) {
            inside.insert(key(element));
        }
    }
    inside
}

/// Lowercase words of an attribute value, split at punctuation and at
/// camelCase humps (`relatedStories` is "related", "stories").
fn words(value: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in value.chars() {
        let boundary = !c.is_alphanumeric() || (c.is_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase();
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.into_iter()
}

fn has_word(value: Option<&str>, word: &str) -> bool {
    value.is_some_and(|v| v.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)))
}

/// What link density needs to know of the text of a subtree.
#[derive(Default)]
struct Piece {
    /// Non-space characters, in links and out.
    chars: usize,
    link_chars: usize,
    /// Words outside links, and of those, how many came after the last link.
    loose_words: usize,
    words_after_link: usize,
}

impl Piece {
    fn count_text(&mut self, text: &str, in_link: bool) {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        self.chars += chars;
        if in_link {
            self.link_chars += chars;
            if chars > 0 {
                self.words_after_link = 0;
            }
        } else {
            let words = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
            self.loose_words += words;
            self.words_after_link += words;
        }
    }

    /// Adds the counts of a child's text, as if its text came here one
    /// piece at a time; a block's counts are added whether its text is kept
    /// or dropped, so that a box of dropped link lists under a short heading
    /// is judged as a whole.
    fn add(&mut self, block: Piece) {
        self.chars += block.chars;
        self.loose_words += block.loose_words;
        if block.link_chars > 0 {
            self.words_after_link = block.words_after_link;
        } else {
            self.words_after_link += block.loose_words;
        }
        self.link_chars += block.link_chars;
    }

    /// Mostly links: at least 80% link text, or at least half with no more
    /// than a short label ("Read more:", "Lire aussi :") outside the links
    /// and nothing said after the last one. A sentence that merely has a
    /// long link in it goes on after the link, and stays.
    fn is_link_dense(&self) -> bool {
        if self.link_chars == 0 {
            return false;
        }
        let density = self.link_chars as f32 / self.chars as f32;
        density >= 0.8 || (density >= 0.5 && self.loose_words <= 4 && self.words_after_link == 0)
    }
}

/// Collapses runs of spaces within lines and of blank lines between them.
fn tidy(text: &str) -> String {
    text.lines().map(collapse).filter(|line| !line.is_empty()).collect::<Vec<_>>().join("\n\n")
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        let document = Html::parse_document(&format!(
            "<!doctype html><html><head><title>T</title></head><body>{body}</body></html>"
        ));
        page_text(&document).map(|(_, text)| text).unwrap_or_default()
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
            "<p>Site blurb.</p><article class=\"post-7 post type-post category-promotions tag-social-media\"><p>The story.</p></article>\
             <article class=related-card><p>A teaser that is longer than the story itself.</p></article>",
        );
        assert_eq!(text, "The story.");
    }

    #[test]
    fn commentary_is_not_a_comment_box() {
        assert_eq!(page("<div class=commentary><p>Analysis.</p></div><p>x</p>"), "Analysis.\n\nx");
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
    fn paragraph_text_is_counted_for_every_element_in_one_pass() {
        let document = Html::parse_document(
            "<body><div id=a><p>ab c</p><div id=b><p>d</p><span>not counted</span></div></div><p id=c>e f</p></body>",
        );
        let paragraphs = Paragraphs::of(document.root_element());
        let chars = |id: &str| {
            let element = document.root_element().descendent_elements().find(|e| e.attr("id") == Some(id));
            paragraphs.under(element.expect("the element"))
        };
        assert_eq!((chars("a"), chars("b"), chars("c")), (4, 1, 2));
        assert_eq!(paragraphs.under(document.root_element()), 6);
    }

    #[test]
    fn attribute_words_split_at_punctuation_and_humps() {
        assert_eq!(
            words("relatedStories share_bar  ADSlot").collect::<Vec<_>>(),
            ["related", "stories", "share", "bar", "adslot"]
        );
    }
}
