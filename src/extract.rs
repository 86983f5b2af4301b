//! Which part of a page is its article: one set of rules for the CLI and
//! the widget. Each runtime reduces its page to the same small [`Tree`]
//! (elements with a few attributes, and text), the CLI from html5ever's
//! parse (`input/html.rs`), the widget from the live DOM (`www/alike.js`,
//! through `wasm.rs`), and [`read`] decides what the reader reads as the
//! story. No DOM types and no wasm types here: plain data in, plain data out.
//!
//! How a page is read:
//! 1. Prose: the text of paragraphs (`<p>`, `<pre>`, `<blockquote>`, `<dd>`,
//!    or any block with at least [`LOOSE_PROSE`] characters of its own text
//!    outside links). Menus and link lists have none.
//! 2. The densest block: each block with prose credits it to the block that
//!    holds it, and half to the one above (so a story's paragraphs elect
//!    their common parent; a block named as the story's body weighs more).
//!    The best block outside furniture wins. A block above it is the story
//!    when it holds much more prose, or when it holds the story's opening
//!    paragraphs before it and next to nothing after it.
//! 3. The article around it: the nearest `<article>` or
//!    `[itemprop=articleBody]` holding it; when several `<article>`s hold
//!    prose, the one whose heading is the page's title. Without one, the
//!    best block and those of its siblings that are prose too (not a list
//!    of teasers: three headings that are links). Without any
//!    prose, `<article>`, `<main>`, then `<body>`.
//! 4. Inside it, what is left out: elements that are never prose (scripts,
//!    forms' controls, media, `<h1>` which is the title, figures and their
//!    captions); furniture by tag (`nav`, `aside`, `footer`, `header` without
//!    paragraphs, and `form` without half the page's paragraphs), by ARIA role, or by being hidden (by
//!    attribute, style, or a framework's hiding class such as `d-none`);
//!    blocks whose class, id, role or aria-label names furniture (share,
//!    comment, related, newsletter, cookie, gallery, embedded tweets,
//!    captions, media players, meta lines, `nocontent`, ...)
//!    or the box about the author (`author-bio`) unless they hold half the
//!    prose, alone or with the other blocks of their class (comments,
//!    `nocontent` modules, copies of one placeholder and a gallery's
//!    captions beside a story of its own excepted; a link
//!    so named inside a paragraph's sentence is read with it);
//!    link lists, judged bottom-up, so that a link-heavy wrapper is never
//!    dropped with the story in it; feeds of teasers (short items from one
//!    template, each opening with a link); boilerplate lines ("Advertisement",
//!    "Popular posts") and rights lines; a heading that opens the comments
//!    and what follows it; a heading over nothing but dropped blocks
//!    (unless as long as a sentence); and
//!    lines repeated word for word (a slideshow's captions; not a refrain
//!    between `<br>`s).
//! 5. A standfirst outside the part read (`p.article__lead` under the
//!    headline, above the story's body) is read before it.
//!
//! JSON-LD `articleBody` ([`choose_body`]) is taken over the page's text
//! only when it is the whole story, not a teaser, and adds words the
//! page's text lacks; the page's standfirst is read before it when the
//! body lacks it.

use crate::text::collapse;

/// Elements whose content is never in the tree: both runtimes send the
/// element and nothing under it (`www/alike.js` keeps the same list).
pub const OPAQUE: &[&str] =
    &["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "textarea", "select"];

/// The attributes the rules read; the others are not sent.
pub const ATTRIBUTES: &[&str] =
    &["class", "id", "role", "itemprop", "aria-label", "aria-hidden", "hidden", "style", "data-alike"];

/// A tree holds at most this many nodes; the rest of a page is not read.
pub const MAX_NODES: usize = 100_000;

/// Nor more text than this, in UTF-16 code units as JavaScript counts
/// them: the node that crosses it is the last. Ten times what the engine
/// reads of an article, so a story after long furniture is whole.
pub const MAX_TEXT: usize = 1_000_000;

/// A block with this many characters of its own prose outside links is a
/// paragraph whatever its tag (text in `<div>`s between `<br>`s). Lower, a
/// menu's loose labels would count; higher, old sites' stories would not.
pub const LOOSE_PROSE: usize = 100;

/// A block with no block inside is a paragraph with this many characters
/// of its own text outside links (sites that write `<div>`s for `<p>`s;
/// a line of dialogue is short).
const LEAF_PROSE: usize = 25;

/// A block holding this much kept prose is never dropped as a link list:
/// a wrapper that is mostly links around the story (an archive tree, a
/// mega-menu) is judged by the story in it.
const STORY_PROSE: usize = 200;

/// Prose outside a gallery's captions that is a story of its own (five
/// paragraphs or so): with it, captions that outweigh the story are still
/// the gallery's; without it, the page is the gallery and they are read.
const OWN_STORY: usize = 1000;

/// The densest block stands for its parent when the parent holds this many
/// times its prose: the story is told in several blocks. Lower, a story
/// takes in the teasers beside it (a column of summaries with two thirds
/// of the story's prose: fixture `teasers-beside-story`); higher, it loses
/// its other sections.
const CLIMB: f32 = 1.75;

/// A sibling of the densest block is part of the story when it holds at
/// least this share of that block's prose (a standfirst, a second column).
const SIBLING_SHARE: f32 = 0.2;

/// A sibling of the story holding this many headings that are links
/// (each a teaser's title) is a list of other stories, not a section.
const TEASER_HEADINGS: usize = 3;

/// Lines up to this many bytes are left out when they repeat an earlier
/// one (a slideshow's captions, a pull quote); longer ones are the story's.
const REPEATED_LINE: usize = 200;
/// A list of teasers: at least this many items, each no longer than
/// [`TEASER_CHARS`] and opening with a link (a title that leads away).
const TEASERS: usize = 3;
const TEASER_CHARS: usize = 300;

/// How much more a block named as the story's body weighs (see
/// [`is_named_body`]). Higher, a short post loses its comments' and
/// sidebar's competition too easily to its own teaser box.
const NAMED_BODY: f32 = 1.5;
const BODY_NAME_FIRST: &[&str] = &["entry", "post", "article", "story"];
const BODY_NAME_SECOND: &[&str] = &["content", "body", "text"];

/// A heading of at least this many characters (not counting spaces) is a
/// sentence of the story (a point of a list told in headings, a standfirst
/// set as `<h2>`), never left out as the heading of left-out blocks, even
/// when all under it goes (a picture, its caption and credit); a box's
/// label ("Related stories", "Explore more on the topics in this story")
/// is shorter.
const SENTENCE_HEADING: usize = 50;

/// A heading of comments is short ("38 Comments on \"...\"" included).
const COMMENTS_HEADING: usize = 120;

/// First words of headings that open comments, lowercase; or the box
/// about the author, which ends a story as comments do (its line or two
/// of biography is the site's, not the story's).
const COMMENTS_WORDS: &[&str] = &[
    "comments",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "add your comment",
    "reader comments",
    "readers' comments",
    "join the discussion",
    "join the conversation",
    "trackbacks",
    "about the author",
    "about the authors",
];

/// The same after a count only ("1 Comment", "12 Responses to ...", "3
/// thoughts on ..."): alone, they may title a part of the story.
const COUNTED_COMMENTS_WORDS: &[&str] = &[
    "comment",
    "response",
    "responses",
    "replies",
    "thoughts on",
    "one response",
    "one comment",
    "one thought on",
];

/// A rights line ("Copyright 2008 The Associated Press. All rights
/// reserved. This material may not be ...") is at most this many
/// characters.
const RIGHTS_LINE: usize = 250;

/// A line of a date and time alone ("Updated: January 14, 2008, 7:52 am",
/// "28.04.2023, 20.15 Uhr") is at most this many characters.
const TIMESTAMP_LINE: usize = 100;
/// Words a timestamp line may hold besides numbers, month and day names:
/// its labels and time zones (English, German, French, Spanish), each
/// between spaces (one string: a list of slices costs the wasm more).
const TIMESTAMP_WORDS: &str = " published updated posted submitted last modified on at am pm date et est edt cst cdt \
    pst pdt gmt bst cet cest utc ist stand aktualisiert veröffentlicht zuletzt um uhr vom mis jour le publié modifié \
    actualizado publicado el de del ";
/// Month and day names (English, German, French, Spanish), each after a
/// space; a word of three letters or more that begins one is taken for it
/// ("Sept", "Thurs", "Okt").
const CALENDAR_NAMES: &str = " january february march april may june july august september october november \
    december monday tuesday wednesday thursday friday saturday sunday januar februar märz juni juli oktober \
    dezember montag dienstag mittwoch donnerstag freitag samstag sonntag janvier février mars avril mai juin \
    juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche enero \
    febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre lunes martes miércoles \
    jueves viernes sábado domingo";

/// A picture's credit line (or a caption ending in one) and a newsletter
/// pitch or consent placeholder have at most this many words: a story's
/// sentence that quotes their words is longer.
const SHORT_LINE_WORDS: usize = 30;
/// Labels of a picture's credit ("Photo: AFP", "(Picture: MSB)", "Foto(s):").
const CREDIT_LABELS: &[&str] = &["photo", "foto", "image", "bild", "picture", "credit"];
/// Picture agencies, named in credits beside a slash or a bar ("Harry
/// How/Getty Images", "IMAGO/Nico Herbertz").
const PICTURE_AGENCIES: &[&str] = &["getty images", "imago", "shutterstock", "picture alliance", "ap photo"];

/// A newsletter's sign-up pitch names the newsletter and one of these
/// (English, German, French, Spanish).
const SIGN_UP: &[&str] = &[
    "sign up",
    "sign-up",
    "signing up",
    "subscribe",
    "abonnieren",
    "abonnez",
    "inscri",
    "suscrib",
    "suscríb",
];
/// What a consent placeholder for embedded content says in place of it
/// (a video or a post that loads only if the reader agrees).
const CONSENT: &[&str] = &[
    "externer inhalt",
    "externen inhalt",
    "redaktioneller inhalt",
    "ich bin damit einverstanden",
    "drittplattformen",
    "contenu externe",
    "contenido externo",
    "we ask for your permission",
];

/// Field and node separators of the wire format ([`Tree::decode`]).
pub const FIELD: char = '\u{1f}';
pub const RECORD: char = '\u{1e}';

/// A page reduced to what the rules read. Nodes are in document order, so
/// a node's parent always comes before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
    /// Text so far, in UTF-16 code units.
    text_units: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct Node {
    parent: usize,
    /// Lowercase element name; empty for text.
    tag: String,
    /// A text node's text.
    text: String,
    /// Values of the [`ATTRIBUTES`] the element has, in that order's slots.
    attributes: Vec<(usize, String)>,
}

impl Tree {
    /// A tree whose root (node 0) is the element `tag`.
    pub fn new(tag: &str) -> Tree {
        Tree {
            nodes: vec![Node {
                parent: 0,
                tag: tag.to_ascii_lowercase(),
                text: String::new(),
                attributes: Vec::new(),
            }],
            text_units: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether another node fits.
    pub fn is_full(&self) -> bool {
        self.nodes.len() >= MAX_NODES || self.text_units >= MAX_TEXT
    }

    /// Adds an element under `parent` with its attributes (those not in
    /// [`ATTRIBUTES`] are ignored); returns its number, or `None` when the
    /// tree is full or `parent` is no element.
    pub fn element<'a>(
        &mut self,
        parent: usize,
        tag: &str,
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<usize> {
        if self.is_full() || self.nodes.get(parent).is_none_or(|p| p.tag.is_empty()) {
            return None;
        }
        let mut kept = Vec::new();
        for (name, value) in attributes {
            if let Some(slot) = ATTRIBUTES.iter().position(|a| name.eq_ignore_ascii_case(a)) {
                kept.push((slot, value.to_string()));
            }
        }
        let tag = if tag.is_empty() { "x".to_string() } else { tag.to_ascii_lowercase() };
        self.nodes.push(Node { parent, tag, text: String::new(), attributes: kept });
        Some(self.nodes.len() - 1)
    }

    /// Adds a text node under `parent`.
    pub fn text(&mut self, parent: usize, text: &str) {
        if !self.is_full() && self.nodes.get(parent).is_some_and(|p| !p.tag.is_empty()) {
            self.text_units += text.chars().map(char::len_utf16).sum::<usize>();
            self.nodes.push(Node {
                parent,
                tag: String::new(),
                text: text.to_string(),
                attributes: Vec::new(),
            });
        }
    }

    /// The tree the widget sends: nodes after the root separated by
    /// [`RECORD`], each `parent FIELD tag FIELD text` for text (empty tag),
    /// or `parent FIELD tag (FIELD name=value)*` for an element. The root
    /// is the first record, `tag` alone. Malformed records are skipped.
    pub fn decode(wire: &str) -> Tree {
        let mut records = wire.split(RECORD);
        let mut tree = Tree::new(records.next().unwrap_or("html"));
        for record in records {
            let mut fields = record.split(FIELD);
            let Some(parent) = fields.next().and_then(|p| p.parse::<usize>().ok()) else { continue };
            let tag = fields.next().unwrap_or("");
            if tag.is_empty() {
                tree.text(parent, fields.next().unwrap_or(""));
            } else {
                let attributes = fields.filter_map(|field| field.split_once('='));
                if tree.element(parent, tag, attributes).is_none() && tree.is_full() {
                    break;
                }
            }
        }
        tree
    }

    fn attribute(&self, node: usize, name: &str) -> Option<&str> {
        let slot = ATTRIBUTES.iter().position(|a| *a == name)?;
        self.nodes[node].attributes.iter().find(|(s, _)| *s == slot).map(|(_, v)| v.as_str())
    }

    fn tag(&self, node: usize) -> &str {
        &self.nodes[node].tag
    }

    fn is_text(&self, node: usize) -> bool {
        self.nodes[node].tag.is_empty()
    }
}

/// Why a block was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Never prose: scripts, media, forms' controls, the `<h1>`, figures.
    NotProse,
    /// Page furniture by tag or ARIA role: navigation, asides, footers.
    Furniture,
    /// Hidden from readers.
    Hidden,
    /// Its class, id, role or aria-label names furniture.
    Named,
    /// Mostly links.
    Links,
    /// A boilerplate line, such as "Advertisement".
    Boilerplate,
    /// A heading over nothing but left-out blocks.
    Heading,
    /// Word for word the same as a line read before.
    Repeated,
    /// Under a heading such as "12 Comments" or "Leave a reply", or after it.
    Comments,
    /// A list of teasers of other pages: items that each open with a link.
    Teasers,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotProse => "not prose",
            Reason::Furniture => "page furniture",
            Reason::Hidden => "hidden",
            Reason::Named => "named as furniture",
            Reason::Links => "mostly links",
            Reason::Boilerplate => "boilerplate",
            Reason::Heading => "heading of left-out blocks",
            Reason::Repeated => "repeated",
            Reason::Comments => "comments",
            Reason::Teasers => "teasers",
        }
    }
}

/// What [`read`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    /// The article's text, paragraphs apart by blank lines; empty if none.
    pub text: String,
    /// The element(s) it was read from, in document order.
    pub read: Vec<usize>,
    /// Blocks inside those that were left out, outermost only, and why.
    pub left_out: Vec<(usize, Reason)>,
}

/// Elements whose text is never article text.
const NOT_PROSE: &[&str] = &[
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
    "button",
    "select",
    "textarea",
    "input",
    "label",
    "dialog",
    "menu",
    "figure",
    "figcaption",
    "h1",
    "alike-related",
];
/// Page furniture by tag.
const FURNITURE_TAGS: &[&str] = &["nav", "aside", "footer"];
/// Furniture unless they hold a paragraph (an article's header may hold its
/// standfirst; old ASP.NET pages wrap everything in one `form`). A `form`
/// holding less than half the page's paragraphs is furniture all the same:
/// a newsletter's sign-up box, a comment form with its rules.
const FURNITURE_WITHOUT_PARAGRAPHS: &[&str] = &["header", "form"];
/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
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
    "button",
    "form",
];
/// Elements that end a line, so words on either side stay apart; all but
/// `br` and `hr` are judged as blocks.
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
    "body",
    "html",
    "center",
];
/// Blocks whose own text is prose whatever its length.
const PARAGRAPHS: &[&str] = &["p", "pre", "blockquote", "dd"];
const HEADINGS: &[&str] = &["h2", "h3", "h4", "h5", "h6"];
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
    "cookie",
    "consent",
    "gdpr",
    "disqus",
    "sidebar",
    "subscri",
    "paywall",
    "popup",
    "pagination",
    "pager",
    "skyscraper",
    "recommend",
    "trending",
    "popular",
    "poll",
    "byline",
    "gallery",
    "slideshow",
    "carousel",
    "slider",
    // Embedded posts (`twitter-tweet`, `instagram-media`): another
    // writer's words quoted whole, with handle and date; readers' gold
    // leaves them out, and the story says what they show.
    "tweet",
    "instagram",
    "tiktok",
    // A picture's caption or credit outside `<figcaption>` (`wp-caption`,
    // `newsCaption`, `image-caption`): left out as figures' captions are.
    "caption",
    // A media player and what it says (a video's title, "This video has
    // failed to load"), left out as `<video>` is.
    "video",
    "player",
    // A post's meta line: byline, date, tags, comment count
    // (`entry-meta`, `post-meta`, `timestamp`).
    "meta",
    "timestamp",
];
/// Whole words that mark furniture but are too short to be prefixes.
const FURNITURE_WORDS: &[&str] =
    &["ad", "ads", "recirc", "signup", "menu", "masthead", "footer", "nav", "nocontent"];
/// Second words that make "author" the box about the writer at the end
/// of a story (`author-bio`, `ArticleAuthorBio`, `author_description`),
/// as "about author" does: the site's words, not the story's.
const AUTHOR_BOX: &[&str] = &["bio", "box", "info", "description", "details", "profile"];

/// Words a furniture prefix would catch that are often article text.
const NOT_FURNITURE: &[&str] = &["commentary", "commentator", "commentators", "pollution", "polls"];
/// A line of at most this many characters, a short label and a link, is a
/// credit or a pointer ("Source: BBC"), not the story.
const CREDIT_LINE: usize = 40;
/// Class and id values of this many words or more are slugs, not names.
const SLUG_WORDS: usize = 5;
/// Words of classes that carry a post's topics, the topic after them
/// (WordPress's `tag-social-media`, Typepad's `entry-category-social_media`).
const TOPIC_CLASS_WORDS: &[&str] = &["tag", "category", "categories", "tags"];
/// Whole lines that are boilerplate in any article, lowercase, without
/// end punctuation.
const BOILERPLATE: &[&str] = &[
    "advertisement",
    "advertisements",
    "advertising",
    "ad",
    "sponsored",
    "sponsored content",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading below",
    "continue reading the main story",
    "scroll to continue with content",
    "skip advertisement",
    "popular posts",
    "related posts",
    "related articles",
    "related stories",
    "related content",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "most popular",
    "most read",
    "read more",
    "read next",
    "share this",
    "share this article",
    "share this story",
    "leave a comment",
    "leave a reply",
    "comments",
    "follow us",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "reklama",
];

/// The article of a page. `title` is the page's title as its metadata
/// gives it (JSON-LD headline, `og:title`, `<title>`), to tell the story
/// from other posts on the page; empty if unknown.
pub fn read(tree: &Tree, title: &str) -> Reading {
    if tree.is_empty() {
        return Reading::default();
    }
    let facts = Facts::of(tree);
    let parts = article_parts(tree, &facts, title);
    for part in parts {
        let mut reading = clean(tree, &facts, &part);
        if !reading.text.is_empty() {
            if let Some((node, lead)) = standfirst(tree, &facts, &part, title)
                && !has(&reading.text, &lead)
            {
                // By hand, not `format!`: see `error::Part`.
                let mut text = lead;
                text.push_str("\n\n");
                text.push_str(&reading.text);
                reading.text = text;
                // Not `insert(0, ..)`: a function of its own in the wasm.
                let mut read = vec![node];
                read.append(&mut reading.read);
                reading.read = read;
            }
            return reading;
        }
    }
    Reading::default()
}

/// Words of class and id values that name a story's standfirst, the line
/// or two under the headline that sum it up (`article__lead`, `stand-first`,
/// `article-dek`, `subtitle`, `c-article-page__intro`).
const STANDFIRST_WORDS: &[&str] = &[
    "lead",
    "standfirst",
    "dek",
    "deck",
    "subhead",
    "subheadline",
    "subline",
    "subtitle",
    "intro",
    "summary",
    "description",
    "desc",
];

/// The story's standfirst when it is outside the part read: the nearest
/// block before the part and after the headline that is named as a
/// standfirst, with no more prose between it and the part than in it, not
/// an item of a list (a teaser) and under the same wrapper as the part.
fn standfirst(tree: &Tree, facts: &Facts, part: &[usize], title: &str) -> Option<(usize, String)> {
    let first = *part.first()?;
    let top = |i: usize| i == 0 || matches!(tree.tag(i), "body" | "html");
    if top(first) {
        return None;
    }
    let mut around = vec![false; tree.len()];
    let mut up = first;
    while up > 0 {
        up = tree.nodes[up].parent;
        around[up] = true;
    }
    // The standfirst comes after the headline, a heading holding at least
    // half the page's title (a blog's name in its `<h1>` is a small part of
    // each post's title, and its tagline comes before the post's title).
    let title = normalised(title);
    let (mut found, mut headline) = (None, false);
    for i in (1..first).rev() {
        if around[i] || tree.is_text(i) {
            continue;
        }
        if matches!(tree.tag(i), "h1" | "h2" | "h3") && is_headline(tree, facts, i, &title) {
            headline = true;
            break;
        }
        if found.is_none() && !facts.in_furniture[i] && is_named_standfirst(tree, i) {
            found = Some(i);
        }
    }
    let mut found = found.filter(|_| headline)?;
    while !around[tree.nodes[found].parent] && is_named_standfirst(tree, tree.nodes[found].parent) {
        found = tree.nodes[found].parent;
    }
    // Under the same wrapper as the part, and in no list.
    let mut up = found;
    while !around[up] {
        if tree.tag(up) == "li" {
            return None;
        }
        up = tree.nodes[up].parent;
    }
    if top(up) {
        return None;
    }
    let mut under = vec![false; tree.len()];
    under[found] = true;
    let mut after = 0;
    for j in found + 1..first {
        under[j] = under[tree.nodes[j].parent];
        if !under[j] && !around[j] && !facts.in_furniture[j] {
            after += facts.own_prose[j];
        }
    }
    let text = clean(tree, facts, &[found]).text;
    let chars = visible_chars(&text);
    // Prose, not a line of links or a byline.
    ((40..=600).contains(&chars) && facts.prose[found] * 2 >= chars && after <= chars)
        .then_some((found, text))
}

fn is_headline(tree: &Tree, facts: &Facts, i: usize, title: &str) -> bool {
    let heading = normalised(&all_text(tree, facts, i));
    !title.is_empty() && heading.len() * 2 >= title.len() && (has(title, &heading) || has(&heading, title))
}

fn is_named_standfirst(tree: &Tree, i: usize) -> bool {
    names_with(tree, i, &|words| {
        words.len() < SLUG_WORDS
            && (words.iter().any(|w| STANDFIRST_WORDS.contains(&w.as_str()))
                || words.windows(2).any(|pair| pair[0] == "stand" && pair[1] == "first"))
    })
}

/// Whether the words of one of the element's class or id values pass
/// `test`. One loop for the rules that read names (a `dyn` test: each
/// closure would otherwise bring its own copy of the loop into the wasm).
fn names_with(tree: &Tree, i: usize, test: &dyn Fn(&[String]) -> bool) -> bool {
    for name in ["class", "id"] {
        for value in tree.attribute(i, name).unwrap_or("").split_whitespace() {
            if test(&words(value)) {
                return true;
            }
        }
    }
    false
}

/// The text of a fragment (a feed item's content) with the furniture left
/// out, read whole rather than searched for an article; if that leaves
/// nothing, all of its text but scripts and the like.
pub fn read_fragment(tree: &Tree) -> String {
    if tree.is_empty() {
        return String::new();
    }
    let facts = Facts::of(tree);
    let text = clean(tree, &facts, &[0]).text;
    if !text.is_empty() {
        return text;
    }
    let opaque: Vec<Option<Reason>> =
        (0..tree.len()).map(|i| OPAQUE.contains(&tree.tag(i)).then_some(Reason::NotProse)).collect();
    emit(tree, &facts, &[0], &opaque).text
}

/// What the rules know of each node, computed once for the whole tree.
struct Facts {
    children: Vec<Vec<usize>>,
    /// Never read, nor anything under it, and why.
    excluded: Vec<Option<Reason>>,
    /// Gone, or named as furniture, or under such an element.
    in_furniture: Vec<bool>,
    named: Vec<bool>,
    in_link: Vec<bool>,
    /// Prose characters under each node, itself included.
    prose: Vec<usize>,
    /// The same outside furniture: what candidates are weighed by.
    clean_prose: Vec<usize>,
    /// Prose credited to each node as a holder of paragraphs.
    score: Vec<f32>,
    /// Each prose block's own prose (text outside links whose nearest block
    /// it is); zero for other nodes.
    own_prose: Vec<usize>,
}

impl Facts {
    fn of(tree: &Tree) -> Facts {
        let n = tree.len();
        let mut children = vec![Vec::new(); n];
        for i in 1..n {
            children[tree.nodes[i].parent].push(i);
        }
        let mut paragraphs_under = vec![0usize; n];
        for i in (1..n).rev() {
            // Text between `<br>`s is a paragraph too (old ASP.NET pages).
            if tree.tag(i) == "p" || (tree.is_text(i) && visible_chars(&tree.nodes[i].text) >= LOOSE_PROSE) {
                paragraphs_under[i] += 1;
            }
            let parent = tree.nodes[i].parent;
            paragraphs_under[parent] += paragraphs_under[i];
        }
        let excluded: Vec<Option<Reason>> = (0..n)
            .map(|i| if i == 0 { None } else { exclusion(tree, i, paragraphs_under[i], paragraphs_under[0]) })
            .collect();
        let mut named: Vec<bool> = (0..n).map(|i| i > 0 && is_named(tree, i)).collect();
        // Excluded, or under an excluded element.
        let mut gone = vec![false; n];
        let mut in_link = vec![false; n];
        // The nearest block around each node (itself if a block).
        let mut block = vec![0usize; n];
        for i in 0..n {
            let parent = tree.nodes[i].parent;
            let up = i > 0;
            gone[i] = excluded[i].is_some() || (up && gone[parent]);
            in_link[i] = tree.tag(i) == "a" || (up && in_link[parent]);
            block[i] = if BLOCKS.contains(&tree.tag(i)) || i == 0 { i } else { block[parent] };
        }
        // Each block's own text outside links.
        let mut own = vec![0usize; n];
        for i in 1..n {
            if tree.is_text(i) && !gone[i] && !in_link[i] {
                own[block[i]] += visible_chars(&tree.nodes[i].text);
            }
        }
        // Blocks with no block inside: a `<div>` used as a paragraph.
        let mut leaf = vec![true; n];
        for i in 1..n {
            if BLOCKS.contains(&tree.tag(i)) {
                leaf[block[tree.nodes[i].parent]] = false;
            }
        }
        let paragraph_like =
            |b: usize| PARAGRAPHS.contains(&tree.tag(b)) || (leaf[b] && own[b] >= LEAF_PROSE);
        let is_prose_block = |b: usize| {
            own[b] > 0
                && !gone[b]
                && !HEADINGS.contains(&tree.tag(b))
                && (paragraph_like(b) || own[b] >= LOOSE_PROSE)
        };
        let own_prose: Vec<usize> = (0..n).map(|b| if is_prose_block(b) { own[b] } else { 0 }).collect();
        let mut prose = own_prose.clone();
        for i in (1..n).rev() {
            let parent = tree.nodes[i].parent;
            prose[parent] += prose[i];
        }
        // Blocks of one class named as furniture that together hold half
        // the page's prose are the story's own sections with an unlucky
        // class (`section-and-ad`, `sidebar-grid__content`), not furniture;
        // but comments (`commentlist`) may well outweigh a short story, and
        // so may a blog's sidebar modules that say they are not content
        // (`box module nocontent`, the class search engines skip).
        let mut classed: Vec<(&str, usize)> = (1..n)
            .filter(|&i| named[i])
            .filter_map(|i| Some((tree.attribute(i, "class")?, i)))
            .filter(|(class, _)| {
                let class = class.to_ascii_lowercase();
                !has(&class, "comment") && !has(&class, "nocontent")
            })
            .collect();
        classed.sort_unstable();
        for group in classed.chunk_by(|a, b| a.0 == b.0).filter(|group| group.len() > 1) {
            let held = group.iter().map(|&(_, i)| prose[i]).sum::<usize>();
            if held * 2 <= prose[0] {
                continue;
            }
            // A gallery's captions beside a story of its own are the
            // gallery's, however long; a page that is only the gallery has
            // nothing else to read.
            let class = group[0].0.to_ascii_lowercase();
            if (has(&class, "caption") || has(&class, "gallery") || has(&class, "slide"))
                && prose[0].saturating_sub(held) >= OWN_STORY
            {
                continue;
            }
            // Copies of one placeholder ("Externer Inhalt nicht verfügbar",
            // after each embed) say the same; a story's sections do not.
            let first = text_under(tree, &children, group[0].1);
            if group[1..].iter().all(|&(_, i)| text_under(tree, &children, i) == first) {
                continue;
            }
            for &(_, i) in group {
                named[i] = false;
            }
        }
        // A block named as furniture that holds half the page's prose is a
        // page-wide wrapper with an unlucky class (`has-comments`).
        let mut in_furniture = vec![false; n];
        for i in 0..n {
            let parent = tree.nodes[i].parent;
            in_furniture[i] =
                gone[i] || (named[i] && prose[i] * 2 <= prose[0]) || (i > 0 && in_furniture[parent]);
        }
        let mut score = vec![0f32; n];
        let mut clean_prose = vec![0usize; n];
        for b in 0..n {
            if own_prose[b] == 0 || in_furniture[b] {
                continue;
            }
            clean_prose[b] = own_prose[b];
            let holder = if paragraph_like(b) || tree.tag(b) == "li" { tree.nodes[b].parent } else { b };
            score[holder] += own_prose[b] as f32;
            if holder > 0 {
                score[tree.nodes[holder].parent] += own_prose[b] as f32 / 2.0;
            }
        }
        for i in (1..n).rev() {
            let parent = tree.nodes[i].parent;
            clean_prose[parent] += clean_prose[i];
        }
        // A block its site names as the story's body weighs more than a
        // busy sidebar beside it.
        for (i, score) in score.iter_mut().enumerate() {
            if *score > 0.0 && !in_furniture[i] && is_named_body(tree, i) {
                *score *= NAMED_BODY;
            }
        }
        Facts { children, excluded, in_furniture, named, in_link, prose, clean_prose, score, own_prose }
    }
}

/// All the text under `node`, as written.
fn text_under(tree: &Tree, children: &[Vec<usize>], node: usize) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(i) = stack.pop() {
        out.push_str(&tree.nodes[i].text);
        stack.extend(children[i].iter().rev());
    }
    out
}

/// Why an element is never read, if it is not.
fn exclusion(tree: &Tree, i: usize, paragraphs: usize, all_paragraphs: usize) -> Option<Reason> {
    let tag = tree.tag(i);
    if tree.is_text(i) {
        return None;
    }
    if NOT_PROSE.contains(&tag) {
        return Some(Reason::NotProse);
    }
    let hidden = (tree.attribute(i, "hidden").is_some() && !is_streamed_boundary(tree, i))
        || tree.attribute(i, "data-alike").is_some()
        || tree.attribute(i, "aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || tree.attribute(i, "style").is_some_and(|style| {
            let style: String =
                style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            has(&style, "display:none") || has(&style, "visibility:hidden")
        })
        || tree.attribute(i, "class").is_some_and(hidden_by_class);
    if hidden {
        return Some(Reason::Hidden);
    }
    let role = tree.attribute(i, "role").map(|r| r.trim().to_ascii_lowercase());
    if FURNITURE_TAGS.contains(&tag)
        || (FURNITURE_WITHOUT_PARAGRAPHS.contains(&tag) && paragraphs == 0)
        || (tag == "form" && paragraphs * 2 < all_paragraphs)
        || role.is_some_and(|role| FURNITURE_ROLES.contains(&role.as_str()))
    {
        return Some(Reason::Furniture);
    }
    None
}

/// Whether a `hidden` element is React's streamed content (`<div hidden
/// id="S:1a">`, the number in hex): server rendering sends a suspended part of the page late,
/// hidden, and a script of the page moves it into place and shows it.
/// Where no script ran (the CLI, a page whose scripts failed) it is still
/// there, and it may be the whole story.
fn is_streamed_boundary(tree: &Tree, i: usize) -> bool {
    tree.attribute(i, "id")
        .and_then(|id| id.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Class names that CSS frameworks give to elements shown to no one
/// (Tailwind's `hidden`, Bootstrap's `d-none` and `hide`, Bulma's
/// `is-hidden`): a paywall's prompt, a menu's copy for phones.
const HIDDEN_CLASSES: &[&str] = &["hidden", "d-none", "is-hidden", "hide"];

/// Whether a class attribute hides its element: a hiding class, and no
/// class that shows it at some width (`hidden md:block`, `d-none d-lg-block`).
fn hidden_by_class(class: &str) -> bool {
    let mut classes = class.split_whitespace();
    classes.clone().any(|c| HIDDEN_CLASSES.contains(&c))
        && !classes.any(|c| c.contains(':') || (c.starts_with("d-") && c != "d-none"))
}

/// Whether the element's class or id names the story's body
/// (`entry-content`, `post_body`, `articleBody`, `story-text`).
fn is_named_body(tree: &Tree, i: usize) -> bool {
    names_with(tree, i, &|words| {
        words.windows(2).any(|pair| {
            BODY_NAME_FIRST.contains(&pair[0].as_str()) && BODY_NAME_SECOND.contains(&pair[1].as_str())
        })
    })
}

/// Whether the element's class, id, role or aria-label names furniture,
/// or the box about the story's author.
/// Classes such as WordPress's `tag-social-media` say what a post is
/// about, not what the block is, and are passed over.
fn is_named(tree: &Tree, i: usize) -> bool {
    if tree.is_text(i) {
        return false;
    }
    let classes = tree
        .attribute(i, "class")
        .into_iter()
        .flat_map(str::split_whitespace)
        .filter(|class| !is_topic_class(class));
    let others = ["id", "role", "aria-label"].into_iter().filter_map(|a| tree.attribute(i, a));
    classes.chain(others).any(|value| {
        let words = words(value);
        // A slug of a heading (`sharing-with-a-single-developer`) names
        // what the block says, not what it is.
        words.len() < SLUG_WORDS
            && (words.iter().any(|word| {
                !NOT_FURNITURE.contains(&word.as_str())
                    && (FURNITURE_WORDS.contains(&word.as_str())
                        || FURNITURE_PREFIXES.iter().any(|p| word.starts_with(p)))
            }) || words.windows(2).any(|pair| {
                (pair[0] == "author" && AUTHOR_BOX.contains(&pair[1].as_str())) || pair == ["about", "author"]
            }))
    })
}

/// Whether a class names a topic of the post: a word of
/// [`TOPIC_CLASS_WORDS`] followed by the topic's words.
fn is_topic_class(class: &str) -> bool {
    let words = words(class);
    words.iter().position(|w| TOPIC_CLASS_WORDS.contains(&w.as_str())).is_some_and(|at| at + 1 < words.len())
}

/// Lowercase words of an attribute value, split at punctuation and at
/// camelCase humps (`relatedStories` is "related", "stories"). ASCII only:
/// class names are, and Unicode's case tables would weigh on the wasm.
pub fn words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in value.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase();
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Where the story may be, best first: each entry is a list of sibling
/// elements read in order.
fn article_parts(tree: &Tree, facts: &Facts, title: &str) -> Vec<Vec<usize>> {
    let n = tree.len();
    let mut parts = Vec::new();
    let best = (0..n).filter(|&i| !tree.is_text(i) && !facts.in_furniture[i] && facts.score[i] > 0.0).fold(
        None,
        |best: Option<usize>, i| match best {
            Some(b) if facts.score[b] >= facts.score[i] => Some(b),
            _ => Some(i),
        },
    );
    if let Some(mut best) = best {
        // A story told in several blocks (sections, a lead and steps):
        // climb, past wrappers that add no prose, while the next block up
        // holds too little of the prose around it.
        let top = |i: usize| i == 0 || matches!(tree.tag(i), "body" | "html");
        'climb: while !top(best) {
            let mut up = tree.nodes[best].parent;
            while !top(up) && facts.clean_prose[up] == facts.clean_prose[best] {
                up = tree.nodes[up].parent;
            }
            if top(up) {
                break 'climb;
            }
            if (facts.clean_prose[up] as f32) < facts.clean_prose[best] as f32 * CLIMB
                && !opens_story(tree, facts, up, best)
            {
                break 'climb;
            }
            best = up;
        }
        parts.push(story_around(tree, facts, best, title));
    }
    for fallback in ["article", "main", "body"] {
        let found = (0..n).find(|&i| {
            !facts.in_furniture[i]
                && (tree.tag(i) == fallback
                    || (fallback == "main"
                        && tree.attribute(i, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))))
        });
        parts.extend(found.map(|i| vec![i]));
    }
    parts.push(vec![0]);
    parts
}

/// Whether `up`, above the densest block `best`, holds the story's
/// opening: paragraphs before the block that holds `best` (a lead above a
/// "Read more" wrapper, paragraphs before a `<div>` left open), at least
/// [`LOOSE_PROSE`] characters of them, each a `<p>` or a wrapper of `<p>`s
/// (not a list, not a column of teasers), and next to nothing after it (a
/// fifth of that block's prose at most: comments and teasers outweigh it).
fn opens_story(tree: &Tree, facts: &Facts, up: usize, best: usize) -> bool {
    let mut k = best;
    while tree.nodes[k].parent != up {
        k = tree.nodes[k].parent;
    }
    let children = &facts.children[up];
    let at = children.iter().position(|&c| c == k).unwrap_or(0);
    let mut before = 0;
    for &c in &children[..at] {
        if facts.clean_prose[c] == 0 {
            continue;
        }
        // A paragraph, or a wrapper of paragraphs (`div.story-intro > p`).
        let in_paragraphs: usize =
            facts.children[c].iter().filter(|&&p| tree.tag(p) == "p").map(|&p| facts.clean_prose[p]).sum();
        if !(tree.tag(c) == "p"
            || (matches!(tree.tag(c), "div" | "section") && in_paragraphs == facts.clean_prose[c]))
        {
            return false;
        }
        before += facts.clean_prose[c];
    }
    let after: usize = children[at + 1..].iter().map(|&c| facts.clean_prose[c]).sum();
    before >= LOOSE_PROSE && after * 5 <= facts.clean_prose[k]
}

fn is_article_body(tree: &Tree, i: usize) -> bool {
    tree.attribute(i, "itemprop")
        .is_some_and(|p| p.split_whitespace().any(|w| w.eq_ignore_ascii_case("articleBody")))
}

/// The story around the densest block `best`: the `<article>` titled as the
/// page; else the `[itemprop=articleBody]` with the most prose; else the
/// `<article>` holding `best`, or failing that the one with the most prose;
/// else `best` and its sibling paragraphs. An element found elsewhere than
/// around `best` must hold a third of its prose: teasers do not.
fn story_around(tree: &Tree, facts: &Facts, best: usize, title: &str) -> Vec<usize> {
    let enough = |i: usize| facts.clean_prose[i] * 3 >= facts.clean_prose[best];
    let densest = |keep: &dyn Fn(usize) -> bool| {
        (0..tree.len()).filter(|&i| keep(i) && !facts.in_furniture[i] && facts.clean_prose[i] > 0).fold(
            None,
            |most: Option<usize>, i| match most {
                Some(m) if facts.clean_prose[m] >= facts.clean_prose[i] => Some(m),
                _ => Some(i),
            },
        )
    };
    let around = std::iter::successors(Some(best), |&i| (i > 0).then(|| tree.nodes[i].parent))
        .find(|&i| tree.tag(i) == "article" && !facts.in_furniture[i]);
    // A titled post against the other posts: a teaser of the story titled
    // alike is a fraction of it.
    let is_ancestor = |a: usize, mut i: usize| {
        while i > a {
            i = tree.nodes[i].parent;
        }
        i == a
    };
    let titled = titled_article(tree, facts, title).filter(|&t| {
        (0..tree.len())
            .filter(|&i| tree.tag(i) == "article" && !facts.in_furniture[i] && !is_ancestor(i, t))
            .all(|i| facts.clean_prose[t] * 10 >= facts.clean_prose[i] * 3)
    });
    let chosen = titled
        .or_else(|| densest(&|i| is_article_body(tree, i)).filter(|&a| enough(a)))
        .or(around)
        .or_else(|| densest(&|i| tree.tag(i) == "article").filter(|&a| enough(a)));
    match chosen {
        Some(article) => vec![article],
        None => with_siblings(tree, facts, best),
    }
}

/// The densest block and those of its siblings that are prose too, such
/// as a standfirst beside the story's body.
fn with_siblings(tree: &Tree, facts: &Facts, best: usize) -> Vec<usize> {
    if best == 0 {
        return vec![0];
    }
    let least = (facts.prose[best] as f32 * SIBLING_SHARE).max(1.0);
    facts.children[tree.nodes[best].parent]
        .iter()
        .copied()
        .filter(|&s| {
            s == best
                || (!tree.is_text(s)
                    && !facts.in_furniture[s]
                    && (facts.prose[s] as f32 >= least || (tree.tag(s) == "p" && facts.prose[s] >= 80))
                    && linked_headings(tree, facts, s) < TEASER_HEADINGS)
        })
        .collect()
}

/// Headings under `node` whose text is all in links: the titles of teasers.
fn linked_headings(tree: &Tree, facts: &Facts, node: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(i) = stack.pop() {
        if HEADINGS.contains(&tree.tag(i)) {
            // (in links, outside links) characters of its text
            let (mut inside, mut outside) = (0, 0);
            let mut texts = vec![i];
            while let Some(t) = texts.pop() {
                if tree.is_text(t) {
                    *if facts.in_link[t] { &mut inside } else { &mut outside } +=
                        visible_chars(&tree.nodes[t].text);
                }
                texts.extend(&facts.children[t]);
            }
            count += usize::from(inside > 0 && outside == 0);
        } else {
            stack.extend(&facts.children[i]);
        }
    }
    count
}

/// The `<article>` whose first heading is the page's title, if exactly one
/// outside furniture holds prose.
fn titled_article(tree: &Tree, facts: &Facts, title: &str) -> Option<usize> {
    let title = normalised(title);
    if title.chars().count() < 8 {
        return None;
    }
    let mut found = None;
    for i in 0..tree.len() {
        if tree.tag(i) != "article" || facts.in_furniture[i] || facts.prose[i] == 0 {
            continue;
        }
        let Some(heading) = first_heading(tree, facts, i) else { continue };

        let heading = normalised(&heading);
        if heading.chars().count() >= 8 && (has(&title, &heading) || has(&heading, &title)) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

fn first_heading(tree: &Tree, facts: &Facts, article: usize) -> Option<String> {
    let mut stack = vec![article];
    while let Some(i) = stack.pop() {
        if matches!(tree.tag(i), "h1" | "h2" | "h3") {
            return Some(all_text(tree, facts, i));
        }
        stack.extend(facts.children[i].iter().rev());
    }
    None
}

fn all_text(tree: &Tree, facts: &Facts, node: usize) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(i) = stack.pop() {
        if tree.is_text(i) {
            out.push_str(&tree.nodes[i].text);
        } else {
            stack.extend(facts.children[i].iter().rev());
        }
    }
    out
}

/// Whitespace collapsed, ASCII letters lowercased (see [`words`]).
fn normalised(text: &str) -> String {
    collapse(text).to_ascii_lowercase()
}

/// Whether `needle` occurs in `haystack`: a plain byte search, not
/// `str::contains`, whose two-way searcher is about 1.4 KB of wasm before
/// wasm-opt. The texts searched here are short (lines, titles, styles).
fn has(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.as_bytes().windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// What link density needs to know of the text of a subtree.
#[derive(Clone, Copy, Default)]
struct Piece {
    /// Non-space characters, in links and out.
    chars: usize,
    link_chars: usize,
    /// Pieces of text inside links: about one a link.
    links: usize,
    /// Words outside links, and of those, how many came after the last link.
    loose_words: usize,
    words_after_link: usize,
    /// Prose in kept blocks.
    kept_prose: usize,
    /// Whether its first words are in a link, if it has words.
    opens_with_link: Option<bool>,
}

impl Piece {
    fn of_text(text: &str, in_link: bool) -> Piece {
        let chars = visible_chars(text);
        if in_link {
            Piece {
                chars,
                link_chars: chars,
                links: usize::from(chars > 0),
                opens_with_link: (chars > 0).then_some(true),
                ..Piece::default()
            }
        } else {
            // A word has a letter or digit; outside ASCII, any character
            // counts (Unicode's tables would weigh on the wasm).
            let words = text
                .split_whitespace()
                .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric() || !c.is_ascii()))
                .count();
            let opens_with_link = (chars > 0).then_some(false);
            Piece { chars, loose_words: words, words_after_link: words, opens_with_link, ..Piece::default() }
        }
    }

    /// Adds the counts of the next child's text; a block's counts are added
    /// whether its text is kept or dropped, so that a box of dropped link
    /// lists under a short heading is judged as a whole.
    fn add(&mut self, next: Piece) {
        self.chars += next.chars;
        self.loose_words += next.loose_words;
        if next.link_chars > 0 {
            self.words_after_link = next.words_after_link;
        } else {
            self.words_after_link += next.loose_words;
        }
        self.link_chars += next.link_chars;
        self.links += next.links;
        self.kept_prose += next.kept_prose;
        self.opens_with_link = self.opens_with_link.or(next.opens_with_link);
    }

    /// Mostly links: at least 80% link text, or at least half with no more
    /// than a short label ("Read more:", "Lire aussi :") outside the links
    /// and nothing said after the last one, or no more than a word outside
    /// the links for each (an archive's "March (4)"); never a block with
    /// the story in it.
    fn is_link_dense(&self) -> bool {
        if self.link_chars == 0 || self.kept_prose >= STORY_PROSE {
            return false;
        }
        let density = self.link_chars as f32 / self.chars as f32;
        // A short line that ends in its link: "Source: BBC", "Photo: Reuters".
        let credit = self.chars <= CREDIT_LINE && self.loose_words <= 4 && self.words_after_link == 0;
        density >= 0.8
            || credit
            || (density >= 0.5
                && ((self.loose_words <= 4 && self.words_after_link == 0) || self.loose_words <= self.links))
    }
}

/// Reads the elements of `part` (siblings, in document order).
fn clean(tree: &Tree, facts: &Facts, part: &[usize]) -> Reading {
    let root_prose: usize = part.iter().map(|&p| facts.prose[p]).sum();
    let n = tree.len();
    // Which nodes are under the part: those whose top is one of its elements.
    let mut is_part = vec![false; n];
    for &p in part {
        is_part[p] = true;
    }
    let mut inside = vec![false; n];
    for i in 0..n {
        inside[i] = is_part[i] || (i > 0 && inside[tree.nodes[i].parent]);
    }
    // Decisions bottom-up: each node's children come after it.
    let mut pieces = vec![Piece::default(); n];
    let mut dropped: Vec<Option<Reason>> = vec![None; n];
    for i in (0..n).rev() {
        if !inside[i] {
            continue;
        }
        if tree.is_text(i) {
            pieces[i] = Piece::of_text(&tree.nodes[i].text, facts.in_link[i]);
            continue;
        }
        let is_part = is_part[i];
        if !is_part {
            if let Some(reason) = facts.excluded[i] {
                dropped[i] = Some(reason);
                continue;
            }
            if facts.named[i] && facts.prose[i] * 2 <= root_prose && !is_link_in_sentence(tree, facts, i) {
                dropped[i] = Some(Reason::Named);
                continue;
            }
        }
        let mut piece = Piece::default();
        for &c in &facts.children[i] {
            if facts.excluded[c].is_some() || dropped[c] == Some(Reason::Named) {
                continue;
            }
            let mut next = pieces[c];
            if dropped[c].is_some() {
                next.kept_prose = 0;
            }
            piece.add(next);
        }
        piece.kept_prose += facts.own_prose[i];
        pieces[i] = piece;
        if is_part || !BLOCKS.contains(&tree.tag(i)) {
            continue;
        }
        // A table's cell is a datum, often a name that links to its page
        // (a row of a list of films): the row and the table are judged.
        if piece.is_link_dense() && !HEADINGS.contains(&tree.tag(i)) && !matches!(tree.tag(i), "td" | "th") {
            dropped[i] = Some(Reason::Links);
        } else if is_teaser_list(tree, facts, i, &pieces, &dropped, root_prose) {
            dropped[i] = Some(Reason::Teasers);
        } else if is_boilerplate(tree, facts, i, &piece) || is_rights_line(tree, facts, i, &piece) {
            dropped[i] = Some(Reason::Boilerplate);
        }
    }
    // Headings over nothing but dropped blocks go with them.
    for (i, &inside) in inside.iter().enumerate() {
        if !inside || tree.is_text(i) {
            continue;
        }
        let children = &facts.children[i];
        for (k, &c) in children.iter().enumerate() {
            if !HEADINGS.contains(&tree.tag(c)) || dropped[c].is_some() {
                continue;
            }
            let mut any_dropped = false;
            let mut any_kept = false;
            for &next in &children[k + 1..] {
                if HEADINGS.contains(&tree.tag(next)) {
                    break;
                }
                if tree.is_text(next) {
                    any_kept |= !tree.nodes[next].text.trim().is_empty();
                } else if dropped[next].is_some() {
                    any_dropped |= facts.excluded[next] != Some(Reason::NotProse);
                } else {
                    any_kept |= pieces[next].chars > 0;
                }
            }
            let sentence = visible_chars(&all_text(tree, facts, c)) >= SENTENCE_HEADING;
            if any_dropped && !any_kept && !sentence {
                dropped[c] = Some(Reason::Heading);
            }
        }
    }
    // A heading that opens the comments ("12 Comments", "Leave a reply")
    // ends the story: it and what follows it go, in its block and in the
    // blocks it opens when it is alone in its own.
    for i in 0..n {
        // A heading in a link points to the comments ("75 reader comments").
        if !inside[i]
            || facts.in_link[i]
            || !HEADINGS.contains(&tree.tag(i))
            || pieces[i].chars > COMMENTS_HEADING
        {
            continue;
        }
        if !is_comments_heading(&normalised(&all_text(tree, facts, i))) {
            continue;
        }
        let mut from = i;
        while !is_part[from] && pieces[tree.nodes[from].parent].chars == pieces[i].chars {
            from = tree.nodes[from].parent;
        }
        if is_part[from] {
            continue;
        }
        let siblings = &facts.children[tree.nodes[from].parent];
        let at = siblings.iter().position(|&c| c == from).unwrap_or(siblings.len());
        for &c in &siblings[at..] {
            if !tree.is_text(c) && facts.excluded[c].is_none() {
                dropped[c] = Some(Reason::Comments);
            }
        }
    }
    emit(tree, facts, part, &dropped)
}

/// Whether element `i` is a link inside a paragraph's sentence (a glossary
/// term's `a.popup`, a name's `a.byline-link` in "said Jane Doe, who ..."):
/// its paragraph has [`LEAF_PROSE`] characters of its own text outside
/// links, so it is read whole. Taking the link out cuts words out of the
/// sentence; a line that is furniture is judged as a block.
fn is_link_in_sentence(tree: &Tree, facts: &Facts, i: usize) -> bool {
    if tree.tag(i) != "a" {
        return false;
    }
    let mut block = tree.nodes[i].parent;
    while block > 0 && !BLOCKS.contains(&tree.tag(block)) {
        block = tree.nodes[block].parent;
    }
    tree.tag(block) == "p" && facts.own_prose[block] >= LEAF_PROSE
}

/// Whether block `i` is a list of teasers of other pages ("More from
/// Movies": a title that links away, a line of summary, a date, each):
/// [`TEASERS`] or more of its items, none a paragraph, open with a link
/// and are short, and together they hold most of its text. Items are built
/// from a template, so they carry a class; a story's own lists (a
/// Wikipedia article's, a blog's links of the week) mostly do not, and
/// its paragraphs hold links inside their sentences, not at their start.
fn is_teaser_list(
    tree: &Tree,
    facts: &Facts,
    i: usize,
    pieces: &[Piece],
    dropped: &[Option<Reason>],
    root_prose: usize,
) -> bool {
    let piece = &pieces[i];
    if piece.link_chars == 0 || piece.kept_prose * 2 > root_prose {
        return false;
    }
    let (mut teasers, mut teaser_chars) = (0, 0);
    for &c in &facts.children[i] {
        if tree.is_text(c) || facts.excluded[c].is_some() || dropped[c] == Some(Reason::Named) {
            continue;
        }
        let item = &pieces[c];
        if item.opens_with_link == Some(true)
            && item.chars <= TEASER_CHARS
            && !PARAGRAPHS.contains(&tree.tag(c))
            && !HEADINGS.contains(&tree.tag(c))
            && tree.attribute(c, "class").is_some_and(|class| !class.trim().is_empty())
        {
            teasers += 1;
            teaser_chars += item.chars;
        }
    }
    teasers >= TEASERS && teaser_chars * 3 >= piece.chars * 2
}

/// Whether a heading's text (normalised) opens a comments section: a word
/// of [`COMMENTS_WORDS`] first, after a count if any ("38 comments",
/// "3 thoughts on ...").
fn is_comments_heading(text: &str) -> bool {
    let starts = |text: &str, w: &&str| {
        text.strip_prefix(*w).is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
    };
    let uncounted = text.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    COMMENTS_WORDS.iter().any(|w| starts(uncounted, w))
        || (uncounted.len() < text.len() || text.starts_with("one "))
            && COUNTED_COMMENTS_WORDS.iter().any(|w| starts(uncounted, w) || starts(text, w))
}

/// A short block that only claims the text's rights ("© 2007 UPI. All
/// Rights Reserved.") is the site's footer line, not the story.
fn is_rights_line(tree: &Tree, facts: &Facts, i: usize, piece: &Piece) -> bool {
    is_rights_text(&all_text(tree, facts, i), piece.chars)
}

/// Whether `text`, of `chars` non-space characters, only claims the text's
/// rights.
fn is_rights_text(text: &str, chars: usize) -> bool {
    if chars == 0 || chars > RIGHTS_LINE {
        return false;
    }
    let text = normalised(text);
    // A credit opens a caption too ("© Reuters The minister said..."):
    // alone, it must be short.
    has(&text, "all rights reserved")
        || (chars <= CREDIT_LINE * 2 && (text.starts_with('©') || text.starts_with("copyright")))
}

fn is_boilerplate(tree: &Tree, facts: &Facts, i: usize, piece: &Piece) -> bool {
    is_boilerplate_text(&all_text(tree, facts, i), piece.chars)
}

/// Whether `text`, of `chars` non-space characters, is a whole line of
/// [`BOILERPLATE`].
fn is_boilerplate_text(text: &str, chars: usize) -> bool {
    if chars == 0 || chars > 60 {
        return false;
    }
    let text = normalised(text);
    let text = text.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '…');
    BOILERPLATE.contains(&text)
}

/// Whether `line` is a date and time alone, as a story's byline or a
/// teaser gives it: numbers with a time ("7:52") or a year and another
/// number, and otherwise only month and day names and [`TIMESTAMP_WORDS`].
fn is_timestamp_line(line: &str) -> bool {
    if line.len() > TIMESTAMP_LINE {
        return false;
    }
    let lower = line.to_ascii_lowercase();
    let time = lower
        .as_bytes()
        .windows(4)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit());
    let (mut year, mut numbers) = (false, 0);
    let separator = |c: char| {
        (c.is_ascii() && !c.is_ascii_alphanumeric()) || matches!(c, '\u{a0}' | '•' | '·' | '–' | '—')
    };
    for word in lower.split(separator).filter(|w| !w.is_empty()) {
        if word.bytes().any(|b| b.is_ascii_digit()) {
            let letters = word.trim_matches(|c: char| c.is_ascii_digit());
            if word.bytes().any(|b| !b.is_ascii_alphanumeric())
                || !["", "st", "nd", "rd", "th", "h"].contains(&letters)
            {
                return false;
            }
            numbers += 1;
            year |= word.len() == 4 && (word.starts_with("19") || word.starts_with("20"));
        } else {
            let mut key = String::with_capacity(word.len() + 2);
            key.push(' ');
            key.push_str(word);
            let name = word.len() >= 3 && has(CALENDAR_NAMES, &key);
            key.push(' ');
            if !(word.len() == 1 || name || has(TIMESTAMP_WORDS, &key)) {
                return false;
            }
        }
    }
    time || year && numbers >= 2
}

/// Whether `line` credits a picture: it opens with a credit's label
/// ("Photo: AFP", "(Credit: Getty)", "Image by X/Shutterstock"), has one
/// capitalised after a caption's sentence, a bracket or a bar ("...
/// leave their homes (Picture: Getty Images)"), or names a picture agency
/// beside a slash or a bar, or alone; at most [`SHORT_LINE_WORDS`] words.
fn is_credit_line(line: &str) -> bool {
    if line.split_whitespace().count() > SHORT_LINE_WORDS {
        return false;
    }
    let labelled = |text: &str| {
        let text = text.to_ascii_lowercase();
        let text = text.strip_prefix("featured ").unwrap_or(&text);
        CREDIT_LABELS.iter().any(|label| {
            text.strip_prefix(label).is_some_and(|rest| {
                let rest = rest.strip_prefix("(s)").or_else(|| rest.strip_prefix('s')).unwrap_or(rest);
                let rest = rest.strip_prefix(" credit").unwrap_or(rest);
                let rest = rest.strip_prefix(" [m]").unwrap_or(rest);
                rest.starts_with(':') || rest.starts_with(" by ") || rest.starts_with(" via ")
            })
        })
    };
    if labelled(line.trim_start_matches(['(', '['])) {
        return true;
    }
    let after_mark = line.char_indices().any(|(at, c)| {
        let rest = line[at + c.len_utf8()..].trim_start();
        matches!(c, '(' | '[' | '|' | ';' | '.')
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
            && labelled(rest)
    });
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    after_mark
        || PICTURE_AGENCIES.iter().any(|agency| {
            (0..bytes.len()).any(|at| {
                bytes[at..].starts_with(agency.as_bytes()) && {
                    let before = lower[..at].trim_end();
                    let after = lower[at + agency.len()..].trim_start();
                    before.ends_with(['/', '|'])
                        || after.starts_with('/')
                        || before.is_empty() && after.is_empty()
                }
            })
        })
}

/// Whether `line` is a pitch for a newsletter ("Sign up for our weekly
/// newsletter") or a consent placeholder for embedded content ("Externer
/// Inhalt ... Ich bin damit einverstanden"): at most [`SHORT_LINE_WORDS`]
/// words, so a story that quotes such words is read.
fn is_promo_line(line: &str) -> bool {
    if line.split_whitespace().count() > SHORT_LINE_WORDS {
        return false;
    }
    let text = normalised(line);
    has(&text, "newsletter") && SIGN_UP.iter().any(|w| has(&text, w)) || CONSENT.iter().any(|w| has(&text, w))
}

/// Whether a line of text is furniture by its words alone: boilerplate, a
/// rights line, a date and time alone (but not in a table's `cell`, where
/// a date is a datum), a picture's credit or a newsletter's or consent
/// placeholder's pitch. The page's lines and the
/// JSON-LD body's paragraphs are judged so.
fn is_furniture_line(line: &str, cell: bool) -> bool {
    let chars = visible_chars(line);
    is_boilerplate_text(line, chars)
        || is_rights_text(line, chars)
        || !cell && is_timestamp_line(line)
        || is_credit_line(line)
        || is_promo_line(line)
}

/// Writes the kept text of `part`, one line per block, and notes what was
/// left out.
fn emit(tree: &Tree, facts: &Facts, part: &[usize], dropped: &[Option<Reason>]) -> Reading {
    let mut reading = Reading { read: part.to_vec(), ..Reading::default() };
    let mut lines = Lines::default();
    for &top in part {
        // Depth first without recursion: (node, whether its end is due).
        let mut stack = vec![(top, false)];
        while let Some((i, end)) = stack.pop() {
            if tree.is_text(i) {
                lines.line.push_str(&tree.nodes[i].text);
                continue;
            }
            let block = BLOCKS.contains(&tree.tag(i));
            if end {
                if block {
                    // A table's cells repeat by nature ("2006", "Yes").
                    let tag = tree.tag(i);
                    lines.flush(i, &mut reading, matches!(tag, "td" | "th"), tag == "br");
                }
                continue;
            }
            if let Some(reason) = dropped[i] {
                if facts.excluded[i] != Some(Reason::NotProse)
                    || !matches!(tree.tag(i), "script" | "style" | "noscript" | "template")
                {
                    reading.left_out.push((i, reason));
                }
                if block {
                    lines.flush(i, &mut reading, false, false);
                }
                continue;
            }
            if block {
                lines.flush(i, &mut reading, false, tree.tag(i) == "br");
            }
            stack.push((i, true));
            stack.extend(facts.children[i].iter().rev().map(|&c| (c, false)));
        }
    }
    lines.flush(0, &mut reading, false, false);
    reading.text = lines.done;
    reading
}

/// The text being written, line by line.
#[derive(Default)]
struct Lines {
    line: String,
    done: String,
    seen: Vec<String>,
    /// Whether the line being written follows a `<br>` that ended a kept
    /// line: lines between `<br>`s are a poem's or a song's, whose refrain
    /// repeats by nature, so they are judged by the first; a caption or a
    /// notice repeated whole ("This video has failed to load.<br>Try
    /// refreshing ...") still goes.
    after_break: bool,
}

impl Lines {
    /// Ends the current line, written in block `block`, at a `<br>` if
    /// `at_break`: kept unless empty, boilerplate, or (unless it ends a
    /// table's `cell`, whose data repeat by nature, or it follows a kept
    /// line and a break) a repeat of an earlier line.
    fn flush(&mut self, block: usize, reading: &mut Reading, cell: bool, at_break: bool) {
        let line = collapse(&self.line);
        self.line.clear();
        if line.is_empty() {
            self.after_break &= at_break;
            return;
        }
        let repeats = cell || std::mem::take(&mut self.after_break);
        // Lines are judged by their words too, each line between `<br>`s
        // of a block as well (an old page's cell of text, its footer in it).
        let why = if is_furniture_line(&line, cell) {
            Reason::Boilerplate
        } else if !repeats && line.len() <= REPEATED_LINE && self.seen.contains(&line) {
            Reason::Repeated
        } else {
            if !self.done.is_empty() {
                self.done.push_str("\n\n");
            }
            self.done.push_str(&line);
            self.seen.push(line);
            self.after_break = at_break;
            return;
        };
        // A block is listed once, for the first of its lines left out.
        if !reading.left_out.iter().any(|&(b, _)| b == block) {
            reading.left_out.push((block, why));
        }
    }
}

/// A JSON-LD `articleBody` as text: escaped markup and entities decoded,
/// tags taken out, paragraphs apart; `None` when empty or a teaser (ending
/// in "..." or "…", as summaries cut to about 80 words do).
pub fn linked_body(body: &str) -> Option<String> {
    // Some sites escape their entities again (`&amp;ccedil;`): decoded
    // twice where entities of that kind remain; a lone `&amp;lt;` is a
    // literal "&lt;".
    // Escaped markup's own entities (`&lt;p&gt;Fish &amp;amp; chips`) are
    // decoded too, as a browser shows that markup.
    let once = decode_entities(body);
    let decoded = if once.contains('<') || escapes_again(&once) { decode_entities(&once) } else { once };
    let mut text = String::new();
    let mut rest = decoded.as_str();
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if is_tag => {
                let name: String =
                    after.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
                let name = name.to_ascii_lowercase();
                text.push_str(if BLOCKS.contains(&name.as_str()) { "\n" } else { "" });
                rest = &after[end + 1..];
            }
            _ => {
                text.push('<');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    // Non-empty lines, a blank line between them (no `join`: see `text::collapse`).
    let mut joined = String::new();
    for line in text.lines().map(collapse) {
        // A caption's credit or a stamp in the body, as on the page.
        if !line.is_empty() && !is_furniture_line(&line, false) {
            joined.push_str(if joined.is_empty() { "" } else { "\n\n" });
            joined.push_str(&line);
        }
    }
    let text = joined;
    let teaser = text.ends_with("...") || text.ends_with('…') || text.ends_with("[…]");
    (!text.is_empty() && !teaser).then_some(text)
}

/// The article's text: the JSON-LD body (see [`linked_body`]) when it has
/// at least 60% of the page text's words (it is the story as the site
/// stores it, without the page's furniture), else the page's text. The
/// page's text wins too when it already holds the body's words in no more
/// words: the body could add only repeats (some sites store the story
/// twice) and loses what the page has beyond words (paragraphs, headings).
pub fn choose_body(linked: Option<&str>, page: &str) -> String {
    let words = |t: &str| t.split_whitespace().count();
    match linked.and_then(linked_body) {
        Some(body) if words(&body) * 10 >= words(page) * 6 && !holds_words(page, &body) => {
            with_lead(page, body)
        }
        _ => page.to_string(),
    }
}

/// A paragraph of the page the JSON-LD body lacks is read before the body
/// when it has at least this many visible characters (a sentence: not a
/// kicker such as "Jetzt wartet Kiel", a date or a byline), and at most
/// [`LEAD_MOST`] (a standfirst, not a story).
const LEAD_LEAST: usize = 80;
const LEAD_MOST: usize = 600;

/// Of the page's paragraphs, the lead is looked for in this many first.
const LEAD_PARAGRAPHS: usize = 8;

/// `body` after the page's standfirst when the body lacks it: sites store
/// the story's body without the line or two under the headline. The lead
/// is the page's paragraphs before the first one the body holds (half of
/// its word 4-grams at least: the body may word a sentence differently, or
/// split it), those as long as a sentence.
fn with_lead(page: &str, body: String) -> String {
    let lower = body.to_ascii_lowercase();
    let known = word_list(&lower);
    let mut text = String::new();
    // Paragraphs are apart by blank lines, and hold no line break: split at
    // `'\n'`, not `"\n\n"` (a `&str` pattern brings its searcher into the wasm).
    for paragraph in page.split('\n').filter(|p| !p.is_empty()).take(LEAD_PARAGRAPHS) {
        let lower = paragraph.to_ascii_lowercase();
        let own = word_list(&lower);
        // Too short to tell (a kicker, a date): passed over. A linear
        // search, not a sorted set: a sort of 4-grams costs the wasm a
        // kilobyte, and few paragraphs are looked at.
        if own.len() < 4 {
            continue;
        }
        let held = own.windows(4).filter(|gram| known.windows(4).any(|k| k == *gram)).count();
        if held * 2 >= own.len() - 3 {
            break;
        }
        if (LEAD_LEAST..=LEAD_MOST).contains(&visible_chars(paragraph)) {
            text.push_str(paragraph);
            text.push_str("\n\n");
        }
    }
    text.push_str(&body);
    text
}

/// Words of a lowercased text, split at spaces and ASCII punctuation.
fn word_list(lower: &str) -> Vec<&str> {
    lower.split(is_word_end).filter(|w| !w.is_empty()).collect()
}

/// A text holds another's words when at least this share of them is
/// among its own (a few differ in how entities or quotes were written).
const HELD_WORDS: f32 = 0.97;

/// Whether `page` has no more words than `body` and holds [`HELD_WORDS`]
/// of them. Words are split at spaces and ASCII punctuation and compared
/// in ASCII lowercase (Unicode's tables would weigh on the wasm).
fn holds_words(page: &str, body: &str) -> bool {
    let (page, body) = (page.to_ascii_lowercase(), body.to_ascii_lowercase());
    let mut known = word_list(&page);
    let body = word_list(&body);
    if body.is_empty() || known.len() > body.len() {
        return false;
    }
    known.sort_unstable();
    let held = body.iter().filter(|w| known.binary_search(w).is_ok()).count();
    held as f32 >= body.len() as f32 * HELD_WORDS
}

fn is_word_end(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation()
}

/// The named character references [`decode_entities`] knows: first the
/// five that escape markup, then the common names of prose (JSON-LD bodies
/// use few).
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("rsquo", '’'),
    ("lsquo", '‘'),
    ("rdquo", '”'),
    ("ldquo", '“'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("copy", '©'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("agrave", 'à'),
    ("ccedil", 'ç'),
    ("uuml", 'ü'),
    ("ouml", 'ö'),
    ("auml", 'ä'),
    ("szlig", 'ß'),
    ("pound", '£'),
    ("euro", '€'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("deg", '°'),
    ("times", '×'),
    ("middot", '·'),
    ("bull", '•'),
    ("trade", '™'),
    ("reg", '®'),
    ("Ccedil", 'Ç'),
    ("Uuml", 'Ü'),
    ("Ouml", 'Ö'),
    ("Auml", 'Ä'),
    ("Eacute", 'É'),
];

/// How many of [`NAMED`] escape markup (`&amp; &lt; &gt; &quot; &apos;`).
const MARKUP_NAMES: usize = 5;

/// Whether `text` still holds a character reference other than those
/// that escape markup (`&lt;`, `&amp;`, ...): a sign that its entities were
/// escaped twice (`&amp;ccedil;`), since prose has no cause to show them.
fn escapes_again(text: &str) -> bool {
    text.split('&')
        .skip(1)
        .filter_map(reference)
        .any(|(name, _)| NAMED[..MARKUP_NAMES].iter().all(|(n, _)| *n != name))
}

/// The character reference that opens `after` (the text after a `&`): its
/// name and the character it stands for, if it is one [`decode_entities`]
/// knows.
fn reference(after: &str) -> Option<(&str, char)> {
    let name = &after[..after.find(';').filter(|&end| end <= 10)?];
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>().ok()
    } else {
        None
    };
    let character = match code {
        Some(code) => char::from_u32(code)?,
        None => NAMED.iter().find(|(n, _)| *n == name)?.1,
    };
    Some((name, character))
}

/// Named and numeric character references decoded (the names of [`NAMED`]).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match reference(after) {
            Some((name, character)) => {
                out.push(character);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_written_string_helpers_agree_with_the_standard_ones() {
        let texts =
            ["", "a", "display:none", "Ünïcode ünï", "  two  words \t\n here ", "aaab", "copyright ©"];
        for haystack in texts {
            for needle in texts.iter().chain(&["aab", "ünï", "b", "©"]) {
                assert_eq!(has(haystack, needle), haystack.contains(needle), "{haystack:?} {needle:?}");
            }
            assert_eq!(collapse(haystack), haystack.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    /// A tree from nested tuples written as a tiny markup: `<tag.class#id>`.
    fn tree(build: impl FnOnce(&mut Tree)) -> Tree {
        let mut tree = Tree::new("html");
        build(&mut tree);
        tree
    }

    fn el(tree: &mut Tree, parent: usize, tag: &str, attributes: &[(&str, &str)]) -> usize {
        tree.element(parent, tag, attributes.iter().copied()).expect("room")
    }

    fn p(tree: &mut Tree, parent: usize, text: &str) -> usize {
        let p = el(tree, parent, "p", &[]);
        tree.text(p, text);
        p
    }

    fn link(tree: &mut Tree, parent: usize, text: &str) {
        let a = el(tree, parent, "a", &[]);
        tree.text(a, text);
    }

    const LONG: &str =
        "The council voted on Tuesday to close the old bridge for repairs that will last until the spring.";

    #[test]
    fn a_form_with_few_of_the_pages_paragraphs_is_furniture() {
        // A newsletter's sign-up box in the story: a form with a paragraph.
        let signup = "Get our daily news email with the stories that matter, every morning at seven.";
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let story = el(t, body, "div", &[("class", "content")]);
            p(t, story, LONG);
            let form = el(t, story, "form", &[]);
            p(t, form, signup);
            p(t, story, "The bridge carries nine thousand cars a day, most of them to the station.");
            p(t, story, "Buses will run every ten minutes across the river while the work goes on.");
        });
        let text = read(&t, "").text;
        assert!(text.starts_with(LONG) && !text.contains(signup), "{text}");
        // Old ASP.NET pages wrap the whole page in one form: still read.
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let form = el(t, body, "form", &[]);
            p(t, form, LONG);
            p(t, form, "The bridge carries nine thousand cars a day, most of them to the station.");
        });
        assert!(read(&t, "").text.starts_with(LONG));
    }

    #[test]
    fn a_gallerys_captions_outweighing_a_story_stay_the_gallerys() {
        let caption = "A sunset over the harbour, taken from the lighthouse on the last evening of the season, photograph";
        let story = |t: &mut Tree, body: usize, paragraphs: usize| {
            let article = el(t, body, "div", &[("class", "story")]);
            for k in 0..paragraphs {
                p(t, article, &format!("{LONG} ({k})"));
            }
            let gallery = el(t, article, "div", &[]);
            for k in 0..40 {
                let slide = el(t, gallery, "div", &[("class", "slide-caption")]);
                t.text(slide, &format!("{caption} {k}."));
            }
        };
        // Twenty paragraphs of story: the captions, though more, are not read.
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            story(t, body, 20);
        });
        let text = read(&t, "").text;
        assert!(text.starts_with(LONG) && !text.contains(caption), "{text}");
        // One paragraph over a gallery: the page is the gallery.
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            story(t, body, 1);
        });
        assert!(read(&t, "").text.contains(caption));
    }

    #[test]
    fn the_opening_paragraphs_above_the_densest_block_are_read() {
        let lead = "A government team has toured the newsrooms this week to calm their fears about what the new surveillance bill does to the press.";
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let side = el(t, body, "div", &[("class", "column")]);
            p(t, side, "Short.");
            let story = el(t, body, "div", &[("class", "story-body")]);
            let intro = el(t, story, "div", &[("class", "story-intro")]);
            p(t, intro, lead);
            let more = el(t, story, "div", &[("id", "read-more-content")]);
            for k in 0..6 {
                p(t, more, &format!("{LONG} ({k})"));
            }
        });
        let text = read(&t, "").text;
        assert!(text.starts_with(lead) && text.ends_with("(5)"), "{text}");
        // A list of teasers above the block is no opening.
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let wrapper = el(t, body, "div", &[]);
            let list = el(t, wrapper, "ul", &[]);
            let item = el(t, list, "li", &[]);
            t.text(item, lead);
            let story = el(t, wrapper, "div", &[("class", "text")]);
            for k in 0..10 {
                p(t, story, &format!("{LONG} ({k})"));
            }
        });
        assert!(!read(&t, "").text.contains(lead));
    }

    #[test]
    fn the_densest_block_wins_without_article_or_main() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let menu = el(t, body, "div", &[("class", "top")]);
            for label in ["Home", "World", "Sport"] {
                link(t, menu, label);
            }
            let story = el(t, body, "div", &[("class", "content")]);
            p(t, story, LONG);
            p(t, story, "The bridge carries nine thousand cars a day, most of them to the station.");
            let side = el(t, body, "div", &[]);
            p(t, side, "Short.");
        });
        assert_eq!(
            read(&t, "").text,
            format!("{LONG}\n\nThe bridge carries nine thousand cars a day, most of them to the station.")
        );
    }

    #[test]
    fn a_link_named_as_furniture_stays_in_its_sentence() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let story = el(t, body, "article", &[]);
            let first = el(t, story, "p", &[]);
            t.text(first, "The council voted on Tuesday to close the old ");
            let term = el(t, first, "a", &[("class", "popup")]);
            t.text(term, "swing bridge");
            t.text(first, " for repairs that will last until the spring.");
            p(t, story, "The bridge carries nine thousand cars a day, most of them to the station.");
            // A named link with no sentence around it, and one outside any
            // paragraph, are still furniture.
            let alone = el(t, story, "p", &[]);
            let related = el(t, alone, "a", &[("class", "related-link")]);
            t.text(related, "Read more: the bridge's long history of repairs and closures");
            let tools = el(t, story, "div", &[]);
            t.text(tools, "Share this story with the people who cross the bridge every day: ");
            let share = el(t, tools, "a", &[("class", "share-link")]);
            t.text(share, "Facebook");
        });
        assert_eq!(
            read(&t, "").text,
            format!(
                "{LONG}\n\nThe bridge carries nine thousand cars a day, most of them to the station.\n\n\
                 Share this story with the people who cross the bridge every day:"
            )
            .replace("old bridge", "old swing bridge")
        );
    }

    #[test]
    fn a_link_heavy_wrapper_keeps_the_story_in_it() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let wrapper = el(t, body, "div", &[]);
            let archive = el(t, wrapper, "ul", &[]);
            for i in 0..40 {
                let li = el(t, archive, "li", &[]);
                link(t, li, &format!("Archive month number {i} of the blog"));
            }
            let story = el(t, wrapper, "div", &[]);
            p(t, story, LONG);
            p(t, story, "Second paragraph of the story, which says more about the bridge.");
        });
        assert_eq!(
            read(&t, "").text,
            format!("{LONG}\n\nSecond paragraph of the story, which says more about the bridge.")
        );
    }

    #[test]
    fn the_article_titled_as_the_page_wins_among_several() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            for (title, text) in [
                ("Other post", LONG),
                ("The bridge will close", "A shorter story, told in a sentence."),
                ("Third", LONG),
            ] {
                let article = el(t, body, "article", &[]);
                let h = el(t, article, "h2", &[]);
                t.text(h, title);
                p(t, article, text);
            }
        });
        let reading = read(&t, "The bridge will close | Town News");
        assert_eq!(reading.text, "The bridge will close\n\nA shorter story, told in a sentence.");
    }

    #[test]
    fn boilerplate_lines_and_repeats_are_left_out() {
        let t = tree(|t| {
            let article = el(t, 0, "article", &[]);
            p(t, article, LONG);
            let ad = el(t, article, "div", &[]);
            t.text(ad, "ADVERTISEMENT");
            p(t, article, "A caption repeated.");
            p(t, article, "A caption repeated.");
            let h = el(t, article, "h3", &[]);
            t.text(h, "More from us");
            let list = el(t, article, "ul", &[]);
            let li = el(t, list, "li", &[]);
            link(t, li, "Another story entirely");
        });
        let reading = read(&t, "");
        assert_eq!(reading.text, format!("{LONG}\n\nA caption repeated."));
        let reasons: Vec<Reason> = reading.left_out.iter().map(|(_, r)| *r).collect();
        assert_eq!(reasons, [Reason::Boilerplate, Reason::Repeated, Reason::Heading, Reason::Links]);
    }

    #[test]
    fn a_comments_heading_ends_the_story_and_rights_lines_go() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let content = el(t, body, "div", &[("class", "content")]);
            p(t, content, LONG);
            p(t, content, "The bridge carries nine thousand cars a day, most of them to the station.");
            let rights = el(t, content, "div", &[]);
            t.text(rights, "© 2007 Town News. All Rights Reserved.");
            let h = el(t, content, "h2", &[]);
            t.text(h, "3 Comments");
            p(t, content, "Great post, and a long comment about the bridge that goes on and on.");
            p(t, content, "Posted by: a reader | Mar 20, 2007 10:19:46 PM");
        });
        let reading = read(&t, "");
        assert_eq!(
            reading.text,
            format!("{LONG}\n\nThe bridge carries nine thousand cars a day, most of them to the station.")
        );
        assert!(reading.left_out.iter().any(|&(_, r)| r == Reason::Comments));
        assert!(is_comments_heading("leave a reply"));
        assert!(is_comments_heading("12 responses to “the bridge”"));
        assert!(is_comments_heading("one response"));
        assert!(!is_comments_heading("response"), "a part of the story may be titled so");
        assert!(!is_comments_heading("commentary"));
        assert!(is_comments_heading("about the author") && is_comments_heading("about the authors"));
        assert!(!is_comments_heading("about the authority"));
    }

    #[test]
    fn rights_and_boilerplate_lines_between_breaks_go() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let cell = el(t, body, "td", &[]);
            t.text(cell, LONG);
            el(t, cell, "br", &[]);
            t.text(cell, "© 2008 Town News. All rights reserved. This material may not be published.");
            el(t, cell, "br", &[]);
            t.text(cell, "Advertisement");
            el(t, cell, "br", &[]);
            t.text(cell, "A last line of the story, which says who built the bridge.");
        });
        let reading = read(&t, "");
        assert_eq!(
            reading.text,
            format!("{LONG}\n\nA last line of the story, which says who built the bridge.")
        );
        assert!(reading.left_out.iter().all(|&(_, r)| r == Reason::Boilerplate));
        let rights = |text: &str| is_rights_text(text, visible_chars(text));
        assert!(rights("Copyright 2008 by UPI"));
        assert!(!rights(
            "© Reuters The minister said on Tuesday that the old bridge over the river would close for a year of repairs to its piers."
        ));
    }

    #[test]
    fn a_date_and_time_alone_is_no_line_of_the_story() {
        for line in [
            "Updated: January 14, 2008, 7:52 am",
            "Published: January 10 2008 02:00 | Last updated: January 10 2008 02:00",
            "Stand: 22.04.2024, 06:00 Uhr",
            "Actualizado Lunes, 2 diciembre 2024 - 02:24",
            "Friday 22 November 2024 08:49 GMT",
            "Posted Jan. 5, 2008",
            "2024/12/04 00:05",
            "Sept. 3rd, 2012",
        ] {
            assert!(is_timestamp_line(line), "{line}");
        }
        for line in [
            "April 2014",
            "1947",
            "The bridge closed on May 3, 2008, after the storm.",
            "Monitor 2024 12",
            "Die 2 Millionen",
            "12.50",
        ] {
            assert!(!is_timestamp_line(line), "{line}");
        }
        let t = tree(|t| {
            let article = el(t, 0, "article", &[]);
            p(t, article, "Updated: March 3, 2025, 4:15 pm");
            p(t, article, LONG);
            let table = el(t, article, "table", &[]);
            let row = el(t, table, "tr", &[]);
            let cell = el(t, row, "td", &[]);
            t.text(cell, "14 April 2025");
        });
        assert_eq!(read(&t, "").text, format!("{LONG}\n\n14 April 2025"), "a table's date is a datum");
    }

    #[test]
    fn a_pictures_credit_is_no_line_of_the_story() {
        for line in [
            "Photo: AFP",
            "(Credit: Josh Miller/CNET)",
            "[Featured Image by Zulfikar Ilyas/Shutterstock]",
            "Foto(s): © 123RF.com",
            "The guides advise to stock up on food (Picture: Getty Images)",
            "Uwe Schubert möchte noch Punkte sammeln. IMAGO/Nico Herbertz",
            "Harry How/Getty Images",
            "Getty Images",
        ] {
            assert!(is_credit_line(line), "{line}");
        }
        for line in [
            "Here is the big picture: the town will grow by a third.",
            "Getty Images agreed to buy a rival agency, the companies said on Tuesday.",
            "The photographer said the image was taken at dawn.",
        ] {
            assert!(!is_credit_line(line), "{line}");
        }
    }

    #[test]
    fn newsletter_pitches_and_consent_placeholders_are_no_lines_of_the_story() {
        assert!(is_promo_line("Ground Game: Sign up for our weekly politics newsletter."));
        assert!(is_promo_line("Abonnieren Sie unseren Newsletter"));
        assert!(is_promo_line("Ich bin damit einverstanden, dass mir Inhalte von YouTube angezeigt werden."));
        assert!(!is_promo_line("The newsletter, which the club has sent since 1972, will stop in May."));
        let long = "Subscribe to our newsletter, the minister joked on Tuesday, as she explained why the council will \
                    publish its spending every month from now on, line by line, for every resident of the town to read.";
        assert!(!is_promo_line(long), "a story's paragraph that quotes the words");
    }

    #[test]
    fn a_block_named_as_the_body_outweighs_a_busier_sidebar() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let post = el(t, body, "div", &[("class", "entry-content")]);
            p(t, post, LONG);
            p(t, post, "The bridge carries nine thousand cars a day, most of them to the station.");
            let side = el(t, body, "div", &[("class", "events")]);
            for i in 0..3 {
                p(
                    t,
                    side,
                    &format!("Event {i}: a talk on the town's history, in the library hall, at seven."),
                );
            }
        });
        assert!(read(&t, "").text.starts_with(LONG));
        assert!(is_named_body(&t, 2));
        assert!(!is_named_body(&t, 7), "events");
    }

    #[test]
    fn a_form_with_loose_text_is_no_furniture() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let form = el(t, body, "form", &[("id", "aspnetForm")]);
            let story = el(t, form, "div", &[]);
            t.text(story, &format!("{LONG} {LONG}"));
            el(t, story, "br", &[]);
            t.text(story, "And the second line.");
        });
        assert_eq!(read(&t, "").text, format!("{LONG} {LONG}\n\nAnd the second line."));
    }

    #[test]
    fn sections_of_one_furniture_class_across_the_page_are_the_story() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let main = el(t, body, "main", &[]);
            for i in 0..3 {
                let grid = el(t, main, "div", &[("class", "sidebar-grid")]);
                let part = el(t, grid, "div", &[("class", "sidebar-grid__content")]);
                p(t, part, &format!("{i}. {LONG}"));
            }
            let comments = el(t, body, "div", &[("class", "comment-list")]);
            p(t, comments, "A reader's comment that is long enough to count as prose here.");
        });
        assert_eq!(read(&t, "").text, format!("0. {LONG}\n\n1. {LONG}\n\n2. {LONG}"));
    }

    #[test]
    fn modules_classed_as_not_content_stay_out_however_much_they_hold() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let blog = el(t, body, "div", &[("class", "blog wrap")]);
            let post = el(t, blog, "div", &[("class", "entry-content")]);
            p(t, post, LONG);
            let side = el(t, blog, "div", &[]);
            for i in 0..3 {
                let module = el(t, side, "div", &[("class", "box module nocontent")]);
                p(
                    t,
                    module,
                    &format!("{i}. About this blog: a long line on what it covers and who writes it."),
                );
            }
        });
        assert_eq!(read(&t, "").text, LONG);
    }

    #[test]
    fn a_refrain_between_breaks_is_kept_and_a_notice_repeated_whole_is_not() {
        let lines = |t: &mut Tree, parent: usize, lines: &[&str]| {
            let block = el(t, parent, "p", &[]);
            for (k, line) in lines.iter().enumerate() {
                if k > 0 {
                    el(t, block, "br", &[]);
                }
                t.text(block, line);
            }
        };
        let t = tree(|t| {
            let article = el(t, 0, "article", &[]);
            p(t, article, LONG);
            for _ in 0..2 {
                lines(t, article, &["This video has failed to load.", "Try refreshing your browser."]);
            }
            lines(t, article, &["Haul away, my boys,", "Haul away together,", "Haul away, my boys,"]);
            lines(t, article, &["Pull away, my boys,", "Haul away together,"]);
        });
        assert_eq!(
            read(&t, "").text,
            format!(
                "{LONG}\n\nThis video has failed to load.\n\nTry refreshing your browser.\n\n\
                 Haul away, my boys,\n\nHaul away together,\n\nHaul away, my boys,\n\n\
                 Pull away, my boys,\n\nHaul away together,"
            )
        );
    }

    #[test]
    fn a_list_of_teasers_beside_the_story_is_not_part_of_it() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let story = el(t, body, "div", &[]);
            p(t, story, LONG);
            p(t, story, "The bridge carries nine thousand cars a day, most of them to the station.");
            let teasers = el(t, body, "div", &[]);
            for title in ["One story", "Another story", "A third story"] {
                let h = el(t, teasers, "h3", &[]);
                link(t, h, title);
                p(t, teasers, "A line of it, and a little more.");
            }
        });
        assert!(read(&t, "").text.ends_with("to the station."));
    }

    #[test]
    fn a_feed_of_teasers_inside_the_article_is_left_out() {
        let t = tree(|t| {
            let article = el(t, 0, "article", &[]);
            let story = el(t, article, "div", &[]);
            p(t, story, LONG);
            p(t, story, "The bridge carries nine thousand cars a day, most of them to the station.");
            // Items from a template: a title that links away, a summary, a date.
            let feed = el(t, article, "div", &[]);
            for title in ["One story about the city", "Another story of the week", "A third story"] {
                let item = el(t, feed, "div", &[("class", "feed-item")]);
                link(t, item, title);
                let summary = el(t, item, "div", &[]);
                t.text(summary, "A line of it, and a little more to tell you why.");
                let date = el(t, item, "div", &[]);
                t.text(date, "29 March 2017 12:49 PM");
            }
        });
        let reading = read(&t, "");
        assert!(reading.text.ends_with("to the station."), "{}", reading.text);
        assert!(reading.left_out.iter().any(|&(_, why)| why == Reason::Teasers));
        // A story's own list of links, written by hand, has no template's class.
        let t = tree(|t| {
            let article = el(t, 0, "article", &[]);
            p(t, article, LONG);
            let list = el(t, article, "ul", &[]);
            for title in ["One report", "Another report", "A third report"] {
                let item = el(t, list, "li", &[]);
                link(t, item, title);
                t.text(item, " says the bridge will need a new deck before the winter.");
            }
        });
        assert!(
            read(&t, "")
                .text
                .ends_with("A third report says the bridge will need a new deck before the winter.")
        );
    }

    #[test]
    fn copies_of_one_placeholder_are_not_the_story_however_many() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let article = el(t, body, "article", &[]);
            p(t, article, LONG);
            for _ in 0..4 {
                let placeholder = el(t, article, "div", &[("class", "social-placeholder")]);
                p(t, placeholder, &format!("Your privacy settings block this. {LONG}"));
            }
        });
        assert_eq!(read(&t, "").text, LONG);
    }

    #[test]
    fn a_gallery_in_the_story_is_left_out() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let article = el(t, body, "article", &[]);
            p(t, article, LONG);
            let gallery = el(t, article, "ul", &[("class", "slideshow")]);
            let item = el(t, gallery, "li", &[]);
            p(t, item, "A caption of the first picture, long enough to be read as prose.");
            p(t, article, "The bridge carries nine thousand cars a day, most of them to the station.");
        });
        assert_eq!(
            read(&t, "").text,
            format!("{LONG}\n\nThe bridge carries nine thousand cars a day, most of them to the station.")
        );
    }

    #[test]
    fn blocks_a_class_hides_are_left_out_unless_a_width_shows_them() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let article = el(t, body, "article", &[]);
            let desktop = el(t, article, "div", &[("class", "hidden lg:block")]);
            p(t, desktop, "Shown on wide screens: a standfirst of the story, long enough to be prose.");
            p(t, article, LONG);
            for class in ["hidden", "d-none", "prompt is-hidden", "hide", "d-none d-md-block"] {
                let block = el(t, article, "div", &[("class", class)]);
                p(t, block, &format!("A block of class {class}, long enough to be read as prose if shown."));
            }
        });
        assert_eq!(
            read(&t, "").text,
            format!(
                "Shown on wide screens: a standfirst of the story, long enough to be prose.\n\n{LONG}\n\n\
                 A block of class d-none d-md-block, long enough to be read as prose if shown."
            )
        );
        assert!(!hidden_by_class("hidden-xs") && !hidden_by_class("unhide") && hidden_by_class(" hide "));
    }

    #[test]
    fn react_streamed_content_is_read_though_hidden() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let main = el(t, body, "main", &[]);
            p(t, main, "Loading the story.");
            let secret = el(t, main, "p", &[("hidden", "")]);
            t.text(secret, LONG);
            let streamed = el(t, body, "div", &[("hidden", ""), ("id", "S:1a")]);
            p(t, streamed, "The bridge carries nine thousand cars a day, most of them to the station.");
            p(
                t,
                streamed,
                "Engineers will start on the northern arch, which the winter floods damaged most.",
            );
            // Not React's: an id that only starts alike.
            let other = el(t, body, "div", &[("hidden", ""), ("id", "S:menu")]);
            p(
                t,
                other,
                "A hidden menu that no reader sees, with its long list of every section of the site.",
            );
        });
        assert_eq!(
            read(&t, "").text,
            "The bridge carries nine thousand cars a day, most of them to the station.\n\n\
             Engineers will start on the northern arch, which the winter floods damaged most."
        );
    }

    #[test]
    fn a_post_classed_by_its_topic_is_no_furniture() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let post = el(t, body, "div", &[("class", "entry-category-social_media entry-type-post entry")]);
            p(t, post, LONG);
            p(t, post, "The bridge carries nine thousand cars a day, most of them to the station.");
            let side = el(t, body, "div", &[("class", "sidebar-tags")]);
            p(t, side, "A note in the sidebar, which is long enough to be a paragraph of its own here.");
        });
        assert_eq!(
            read(&t, "").text,
            format!("{LONG}\n\nThe bridge carries nine thousand cars a day, most of them to the station.")
        );
        assert!(is_topic_class("tag-social-media") && is_topic_class("entry-category-social_media"));
        assert!(!is_topic_class("post-tags") && !is_topic_class("social-share"));
    }

    #[test]
    fn a_table_keeps_its_linked_and_repeated_cells() {
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let content = el(t, body, "div", &[]);
            p(t, content, LONG);
            let table = el(t, content, "table", &[]);
            for (name, year) in [("Mill Bridge", "1851"), ("Station Bridge", "1851")] {
                let row = el(t, table, "tr", &[]);
                let cell = el(t, row, "td", &[]);
                let link = el(t, cell, "a", &[]);
                t.text(link, name);
                let cell = el(t, row, "td", &[]);
                t.text(cell, year);
                let cell = el(t, row, "td", &[]);
                t.text(cell, "Road and rail");
            }
        });
        assert_eq!(
            read(&t, "").text,
            format!(
                "{LONG}\n\nMill Bridge\n\n1851\n\nRoad and rail\n\nStation Bridge\n\n1851\n\nRoad and rail"
            )
        );
    }

    #[test]
    fn embedded_posts_are_left_out() {
        for class in ["twitter-tweet", "instagram-media", "tiktok-embed"] {
            let t = tree(|t| {
                let body = el(t, 0, "body", &[]);
                let article = el(t, body, "article", &[]);
                p(t, article, LONG);
                let embed = el(t, article, "blockquote", &[("class", class)]);
                p(t, embed, "First boat out in two days, and the sea is still not calm at all.");
            });
            assert_eq!(read(&t, "").text, LONG, "{class}");
        }
    }

    #[test]
    fn captions_media_players_and_meta_lines_are_left_out() {
        for class in
            ["wp-caption", "newsCaption", "video-embed", "jw-player", "entry-meta", "post_meta", "timestamp"]
        {
            let t = tree(|t| {
                let body = el(t, 0, "body", &[]);
                let article = el(t, body, "article", &[]);
                p(t, article, LONG);
                let block = el(t, article, "div", &[("class", class)]);
                p(t, block, "Posted on 3 March by Jo Bloggs; the bridge from the slipway. Photo: Jo Bloggs");
            });
            assert_eq!(read(&t, "").text, LONG, "{class}");
        }
    }

    #[test]
    fn the_box_about_the_author_is_left_out() {
        for class in
            ["author-bio", "ArticleAuthorBio", "author_description", "about-author", "nnr-author-info"]
        {
            let t = tree(|t| {
                let body = el(t, 0, "body", &[]);
                let article = el(t, body, "article", &[]);
                p(t, article, LONG);
                let bio = el(t, article, "div", &[("class", class)]);
                p(t, bio, "Jo Bloggs covers the town hall and has written for the paper since 2009.");
            });
            assert_eq!(read(&t, "").text, LONG, "{class}");
        }
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let article = el(t, body, "article", &[]);
            p(t, article, LONG);
            let note = el(t, article, "div", &[("class", "author-note")]);
            p(t, note, "A note from the author, which is part of the story and is kept.");
        });
        assert!(read(&t, "").text.ends_with("and is kept."));
    }

    #[test]
    fn entities_escaped_twice_in_json_ld_are_decoded() {
        assert_eq!(
            linked_body("&amp;Ccedil;ay &amp;amp; k&amp;ouml;pr&amp;uuml;").as_deref(),
            Some("Çay & köprü")
        );
    }

    #[test]
    fn a_literal_entity_escaped_once_stays_as_written() {
        // Escaped once, `&amp;lt;` is the text "&lt;"; decoded twice only
        // where entities escaped twice are seen (`&amp;eacute;`).
        assert_eq!(
            linked_body("Write &amp;lt;p&amp;gt; to open one").as_deref(),
            Some("Write &lt;p&gt; to open one")
        );
        assert_eq!(linked_body("Caf&amp;eacute; &amp;amp; bar").as_deref(), Some("Café & bar"));
        assert_eq!(
            linked_body("<p>The bridge will close.</p><p>Photo: AFP</p><p>Updated: May 3, 2026, 9:40 am</p>")
                .as_deref(),
            Some("The bridge will close."),
            "the body's credits and stamps go as the page's do"
        );
    }

    #[test]
    fn attribute_words_split_at_punctuation_and_humps() {
        assert_eq!(
            words("relatedStories share_bar  ADSlot"),
            ["related", "stories", "share", "bar", "adslot"]
        );
    }

    #[test]
    fn the_wire_format_decodes_and_skips_bad_records() {
        let wire = "html\u{1e}0\u{1f}body\u{1f}class=a b\u{1e}1\u{1f}\u{1f}Hi\u{1e}x\u{1f}p\u{1e}9\u{1f}p\u{1e}2\u{1f}p";
        let t = Tree::decode(wire);
        assert_eq!(t.len(), 3, "a bad parent, an unknown parent and a text parent are skipped");
        assert_eq!(t.attribute(1, "class"), Some("a b"));
        assert_eq!(t.nodes[2].text, "Hi");
    }

    #[test]
    fn a_heading_as_long_as_a_sentence_stays_over_left_out_blocks() {
        let point = "1. The barrage will light more homes than the whole county holds.";
        let t = tree(|t| {
            let body = el(t, 0, "body", &[]);
            let article = el(t, body, "article", &[]);
            p(t, article, LONG);
            let heading = el(t, article, "h3", &[]);
            t.text(heading, point);
            let credit = el(t, article, "div", &[("class", "image-caption")]);
            t.text(credit, "Photo: Estuary Power");
            let label = el(t, article, "h3", &[]);
            t.text(label, "More from the estuary towns");
            let more = el(t, article, "div", &[("class", "related")]);
            t.text(more, "Barrage costs rise again");
        });
        assert_eq!(read(&t, "").text, format!("{LONG}\n\n{point}"), "the label goes, the point stays");
    }

    #[test]
    fn a_standfirst_under_the_headline_is_read_before_the_story() {
        let lead = "Island families will pay a third less to cross the sound from May.";
        let story = [
            LONG,
            "A return crossing for an adult islander will cost six pounds instead of nine from the first sailing.",
            "Children under sixteen will travel free on school days, and visitors will pay the fares they pay now.",
        ];
        let page = |tagline: bool| {
            tree(|t| {
                let body = el(t, 0, "body", &[]);
                let header = el(t, body, "div", &[("class", "header")]);
                let heading = el(t, header, if tagline { "h2" } else { "h1" }, &[]);
                t.text(heading, if tagline { "The Valley Blog" } else { "Ferry fares to fall by a third" });
                let standfirst =
                    el(t, header, "p", &[("class", if tagline { "description" } else { "standfirst" })]);
                t.text(
                    standfirst,
                    if tagline { "Notes from the valley, by the people who live in it." } else { lead },
                );
                let post = el(t, body, "div", &[("class", "story")]);
                if tagline {
                    let title = el(t, post, "h2", &[]);
                    t.text(title, "Ferry fares to fall by a third");
                }
                for line in story {
                    p(t, post, line);
                }
            })
        };
        let reading = read(&page(false), "Ferry fares to fall by a third - The Courier");
        assert_eq!(reading.text, format!("{lead}\n\n{}", story.join("\n\n")));
        assert_eq!(reading.read.len(), 2, "the standfirst is read too");
        // A blog's tagline comes before the post's title, not after it.
        let reading = read(&page(true), "The Valley Blog: Ferry fares to fall by a third");
        assert_eq!(reading.text, format!("Ferry fares to fall by a third\n\n{}", story.join("\n\n")));
    }

    #[test]
    fn a_json_ld_body_that_adds_nothing_to_the_page_is_passed_over() {
        let page = "Night buses return.\n\nPaid by the levy\n\nFour buses an hour.";
        let twice = "Night buses return.Four buses an hour. Night buses return.Four buses an hour.";
        assert_eq!(choose_body(Some(twice), page), page, "stored twice: the page holds its words");
        let more = "Night buses return. Four buses an hour, the board said on Tuesday.";
        assert_eq!(choose_body(Some(more), page), more, "words the page lacks: the body");
    }

    #[test]
    fn a_json_ld_body_is_read_after_the_standfirst_it_lacks() {
        let lead = "For the first time the islands will not be cut off from November to March, and the harbour dues pay for it.";
        let story =
            "The harbour board voted on Monday to keep the crossings to the outer islands all winter.";
        let page = format!("Winter service\n\n{lead}\n\n3 November 2025, 18:04\n\n{story}");
        let body = format!("{story} The first winter timetable will be published next week, the board said.");
        assert_eq!(
            choose_body(Some(&body), &page),
            format!("{lead}\n\n{body}"),
            "the kicker and date are too short"
        );
        // A lead the body holds (in other words' company) is not read twice.
        let holds = format!("{lead} {body}");
        assert_eq!(choose_body(Some(&holds), &page), holds);
        // Nor is a long paragraph after the first the body holds (a box after the story).
        let after = format!(
            "{story}\n\nThe islands' other news: the school on the largest island will get a new roof in spring."
        );
        assert_eq!(choose_body(Some(&body), &after), body);
    }

    #[test]
    fn teaser_json_ld_bodies_are_passed_over_and_others_cleaned() {
        assert_eq!(linked_body("A short summary of the story that stops…"), None);
        assert_eq!(linked_body("Cut off here ..."), None);
        assert_eq!(
            linked_body("&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;<p>Second &#8220;para&#x201D;</p>")
                .as_deref(),
            // The escaped markup's own entity is decoded too, as a browser would.
            Some("Fish & chips\n\nSecond “para”")
        );
        let page = "one two three four five six seven eight nine ten";
        assert_eq!(choose_body(Some("one two"), page), page, "much shorter than the page: a summary");
        assert_eq!(
            choose_body(Some("one two three four five six seven"), page),
            "one two three four five six seven"
        );
    }
}
