//! Telling an article page from the rest of a built site. A generator's
//! output folder holds the articles and much else: the home page, section,
//! category and tag listings, their pagination, a 404 page, a search page.
//! Only the articles belong in the index; the others would be recommended
//! as if they were stories. The rule, first answer wins:
//!
//! 0. the page asks search engines not to index it (`<meta name=robots
//!    content=noindex>`): print versions, search results, a staging site;
//! 1. the page says it is an article: a JSON-LD node of an article type
//!    (`NewsArticle`, `BlogPosting`, …) or `og:type` `article`;
//! 2. the page says it is something else: a JSON-LD `CollectionPage`,
//!    `ItemList`, `SearchResultsPage` or `ProfilePage`, or an `og:type`
//!    other than `article` (generators write `website` on listings);
//! 3. it is a redirect (`<meta http-equiv=refresh>`, as generators write
//!    for moved and aliased pages) or a 404 page (`404.html`, or a title or
//!    heading saying so);
//! 4. it is a listing by its shape: its biggest `<article>` is a teaser
//!    (its heading links to another page, or it is one of several and has
//!    too little text), or, with no `<article>`, three or more headings
//!    link to other pages. A heading that links to the page itself (the
//!    permalink on a post's title, as Pelican's and many WordPress themes
//!    write it) is a title, not a teaser;
//! 5. its main element (that `<article>`, else `<main>`, else `<body>`)
//!    has too little text outside links for an article (`MIN_WORDS`), or
//!    more words in links than outside them (a list of posts with dates);
//! 6. otherwise it is an article.
//!
//! `alike index --include` and `--exclude` (globs on the path in the
//! folder) overrule it either way.

use scraper::{ElementRef, Html};

/// Words of text, outside links, below which a page is not an article:
/// fewer than the shortest news brief, more than a tag page's heading.
pub const MIN_WORDS: usize = 50;

/// Headings that are links, from which a page is a list of other pages.
const LINKED_HEADINGS: usize = 3;

/// Why a page is, or is not, an article: one short phrase, for the summary
/// and `--verbose`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Article(&'static str),
    NotAnArticle(String),
}

/// What `verdict` needs to know of a page besides its parsed document.
pub struct Signals<'a> {
    /// The page's file name, such as `404.html` or `index.html`.
    pub file_name: &'a str,
    /// Its path on the site (`/2024/05/story.html`), and the path its
    /// relative links resolve against (its `<base href>`'s, else its own).
    pub own_path: &'a str,
    pub links_from: &'a str,
    /// Whether its JSON-LD has a node of an article type.
    pub linked_article: bool,
    /// The `@type`s of its JSON-LD's top-level nodes.
    pub linked_types: Vec<String>,
    /// Its `og:type`, if any.
    pub og_type: Option<String>,
}

pub fn verdict(document: &Html, signals: &Signals<'_>) -> Verdict {
    use Verdict::{Article, NotAnArticle};
    let root = document.root_element();
    if asks_not_to_be_indexed(root) {
        return NotAnArticle("its robots meta tag says noindex".into());
    }
    if signals.linked_article {
        return Article("JSON-LD says it is an article");
    }
    let og_type = signals.og_type.as_deref().map(str::to_ascii_lowercase);
    if og_type.as_deref() == Some("article") {
        return Article("og:type is article");
    }
    if let Some(kind) = signals.linked_types.iter().find(|kind| {
        let name = kind.rsplit(['/', ':', '#']).next().unwrap_or(kind);
        matches!(name, "CollectionPage" | "ItemList" | "SearchResultsPage" | "ProfilePage")
    }) {
        return NotAnArticle(format!("JSON-LD says it is a {kind}"));
    }
    if let Some(kind) = og_type {
        return NotAnArticle(format!("og:type is {kind}"));
    }
    let refresh = root.descendent_elements().any(|e| {
        e.value().name() == "meta" && e.attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
    });
    if refresh {
        return NotAnArticle("a redirect (meta refresh)".into());
    }
    if signals.file_name.eq_ignore_ascii_case("404.html") || says_not_found(root) {
        return NotAnArticle("a 404 page".into());
    }
    let articles: Vec<ElementRef<'_>> =
        root.descendent_elements().filter(|e| e.value().name() == "article").collect();
    // The main text's element: the <article> with the most words of its
    // own, else <main>, else <body>.
    let main = articles
        .iter()
        .copied()
        .max_by_key(|e| own_words(*e))
        .or_else(|| root.descendent_elements().find(|e| e.value().name() == "main"))
        .or_else(|| root.descendent_elements().find(|e| e.value().name() == "body"))
        .unwrap_or(root);
    let words = own_words(main);
    if !articles.is_empty() {
        let elsewhere = |heading| links_elsewhere(heading, signals);
        let teaser = first_heading(main).is_some_and(elsewhere) || (articles.len() >= 2 && words < MIN_WORDS);
        if teaser {
            return NotAnArticle(format!("a listing: {} <article> teasers", articles.len()));
        }
    } else {
        let linked = root
            .descendent_elements()
            .filter(|e| matches!(e.value().name(), "h1" | "h2" | "h3") && links_elsewhere(*e, signals))
            .count();
        if linked >= LINKED_HEADINGS {
            return NotAnArticle(format!("a listing: {linked} headings link to other pages"));
        }
    }
    if words < MIN_WORDS {
        return NotAnArticle(format!("too little text for an article ({words} words outside links)"));
    }
    let linked = linked_words(main);
    if linked > words {
        return NotAnArticle(format!("a listing: {linked} of its {} words are links", linked + words));
    }
    Article("one article's worth of text")
}

/// `<meta name="robots" content="noindex">` (or `none`): the site keeps
/// the page out of search engines, as it does print versions, search
/// results and copies; an article it wants read is not among them.
fn asks_not_to_be_indexed(root: ElementRef<'_>) -> bool {
    root.descendent_elements().filter(|e| e.value().name() == "meta").any(|e| {
        e.attr("name").is_some_and(|name| name.trim().eq_ignore_ascii_case("robots"))
            && e.attr("content").is_some_and(|content| {
                content
                    .split(',')
                    .any(|d| matches!(d.trim().to_ascii_lowercase().as_str(), "noindex" | "none"))
            })
    })
}

fn first_heading(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element.descendent_elements().find(|e| matches!(e.value().name(), "h1" | "h2" | "h3"))
}

/// A heading with a link to another page than this one. A link to the
/// page itself (by any path the site serves it at: `/x.html` is also
/// `/project/x.html` on a site served under a path) or to a place in it
/// (`#comments`) is not one.
fn links_elsewhere(heading: ElementRef<'_>, signals: &Signals<'_>) -> bool {
    let own = crate::text::url_key(signals.own_path);
    heading.descendent_elements().filter(|e| e.value().name() == "a").filter_map(|a| a.attr("href")).any(
        |href| {
            let href = href.trim();
            if href.is_empty() || href.starts_with('#') {
                return false;
            }
            let target = crate::text::url_key(&super::page::resolve(signals.links_from, href));
            !(target == own || (own != "/" && target.ends_with(&own)))
        },
    )
}

/// A title or first heading that says the page was not found: made of
/// the words 404 pages use ("404", "Error 404", "Page not found", "Not
/// Found"), or a sentence they use ("the page you were looking for");
/// "Flight 404 lands safely" and "Hiker not found" are headlines. A
/// title's site name (`Page not found | The Paper`) is cut off first.
fn says_not_found(root: ElementRef<'_>) -> bool {
    const WORDS: &[&str] = &["404", "error", "page", "not", "found", "oops", "sorry", "file"];
    const SENTENCES: &[&str] = &[
        "page not found",
        "page can't be found",
        "page cannot be found",
        "page could not be found",
        "page you requested",
        "page you were looking for",
        "page you are looking for",
        "page you're looking for",
        "page doesn't exist",
        "page does not exist",
    ];
    root.descendent_elements().filter(|e| matches!(e.value().name(), "title" | "h1")).take(2).any(|e| {
        let text = e.text().collect::<String>().to_lowercase().replace('’', "'");
        let own = [" | ", " - ", " – ", " — ", " · ", " :: "]
            .iter()
            .filter_map(|separator| text.find(separator))
            .min()
            .map_or(text.as_str(), |end| &text[..end]);
        let words: Vec<&str> =
            own.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
        let only_404_words = !words.is_empty()
            && words.iter().all(|word| WORDS.contains(word))
            && words.iter().any(|word| matches!(*word, "404" | "found"));
        only_404_words || SENTENCES.iter().any(|sentence| own.contains(sentence))
    })
}

/// The words of a text: its runs between spaces, but in scripts written
/// without spaces between words (Chinese, Japanese, Thai, …) one for each
/// two of their characters, about the length of a word there; else a page
/// of Japanese paragraphs would count a word per paragraph.
fn words(text: &str) -> usize {
    text.split_whitespace()
        .map(|run| run.chars().filter(|&c| crate::tokenize::is_unspaced_char(c)).count().div_ceil(2).max(1))
        .sum()
}

/// Words of an element's text inside links (but for page furniture).
fn linked_words(element: ElementRef<'_>) -> usize {
    element
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .filter(|a| {
            !a.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|e| matches!(e.value().name(), "nav" | "header" | "footer"))
        })
        .map(|a| a.text().map(words).sum::<usize>())
        .sum()
}

/// Words of an element's text outside links: a teaser's are its summary.
fn own_words(element: ElementRef<'_>) -> usize {
    let mut words = 0;
    let mut stack = vec![element];
    while let Some(e) = stack.pop() {
        for child in e.children() {
            if let Some(text) = child.value().as_text() {
                words += self::words(text);
            } else if let Some(child) = ElementRef::wrap(child)
                && !matches!(child.value().name(), "a" | "script" | "style" | "nav" | "header" | "footer")
            {
                stack.push(child);
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(html: &str, og_type: Option<&str>, _text: &str) -> Verdict {
        let document = Html::parse_document(html);
        let signals = Signals {
            file_name: "index.html",
            own_path: "/index.html",
            links_from: "/index.html",
            linked_article: false,
            linked_types: Vec::new(),
            og_type: og_type.map(String::from),
        };
        verdict(&document, &signals)
    }

    const STORY: &str = "Shares rose sharply today as the central bank held rates, and traders said \
        the decision had been expected for weeks. Analysts at several banks said the move would \
        support growth through the spring, while critics warned of rising prices. The minister \
        welcomed the decision and said the budget would follow next month as planned, with more \
        money for schools and hospitals.";

    #[test]
    fn an_article_page_with_no_metadata_is_read_by_its_shape() {
        let html = format!("<h1>Rates held</h1><article><p>{STORY}</p></article>");
        assert!(matches!(judge(&html, None, STORY), Verdict::Article(_)));
    }

    #[test]
    fn a_post_whose_title_links_to_itself_is_an_article_and_one_linking_elsewhere_a_teaser() {
        let judge_at = |html: &str, own: &str| {
            let document = Html::parse_document(html);
            let signals = Signals {
                file_name: own.rsplit('/').next().unwrap_or_default(),
                own_path: own,
                links_from: own,
                linked_article: false,
                linked_types: Vec::new(),
                og_type: None,
            };
            verdict(&document, &signals)
        };
        let post = |href: &str| {
            format!(
                "<article><header><h1><a href='{href}' rel='bookmark'>Rates held</a></h1></header><p>{STORY}</p></article>"
            )
        };
        // Pelican writes the site's address; a theme may write the path, a
        // relative link, the path under a project's prefix, or a fragment.
        for href in [
            "https://news.example.org/2024/rates-held.html",
            "/2024/rates-held.html",
            "rates-held.html",
            "/project/2024/rates-held.html",
            "#comments",
        ] {
            assert!(matches!(judge_at(&post(href), "/2024/rates-held.html"), Verdict::Article(_)), "{href}");
        }
        // A folder's index page is the folder.
        assert!(matches!(
            judge_at(&post("/2024/rates-held/"), "/2024/rates-held/index.html"),
            Verdict::Article(_)
        ));
        // A page of one teaser, whose title links to the story: a listing.
        assert_eq!(
            judge_at(&post("/2024/rates-held.html"), "/page/2/index.html"),
            Verdict::NotAnArticle("a listing: 1 <article> teasers".into())
        );
        // Headings without <article>: three linking elsewhere make a listing; to itself, none.
        let headings = |href: &str| {
            format!(
                "<main>{}<p>{STORY}</p></main>",
                format!("<h2><a href='{href}'>A story</a></h2>").repeat(3)
            )
        };
        assert!(matches!(judge_at(&headings("/other.html"), "/x.html"), Verdict::NotAnArticle(_)));
        assert!(matches!(judge_at(&headings("/x.html"), "/x.html"), Verdict::Article(_)));
    }

    #[test]
    fn metadata_says_first() {
        assert_eq!(judge("<p>x</p>", Some("article"), "x"), Verdict::Article("og:type is article"));
        let html = format!("<article><p>{STORY}</p></article>");
        assert_eq!(judge(&html, Some("website"), STORY), Verdict::NotAnArticle("og:type is website".into()));
    }

    #[test]
    fn listings_of_teasers_are_not_articles() {
        let teaser =
            "<article><h2><a href='/a/'>A story</a></h2><p>Shares rose today as the bank held.</p></article>";
        let html = format!("<h1>Business</h1>{}", teaser.repeat(8));
        let text = "Shares rose today as the bank held. ".repeat(8);
        assert_eq!(judge(&html, None, &text), Verdict::NotAnArticle("a listing: 8 <article> teasers".into()));
        let list = "<h2><a href='/a/'>A story</a></h2><p>Shares rose today as the bank held rates.</p>";
        let html = format!("<main>{}</main>", list.repeat(6));
        let text = "Shares rose today as the bank held rates. ".repeat(6);
        let verdict = judge(&html, None, &text);
        assert_eq!(verdict, Verdict::NotAnArticle("a listing: 6 headings link to other pages".into()));
    }

    #[test]
    fn a_page_of_links_or_a_404_is_not_an_article() {
        let html =
            "<h1>Tag: markets</h1><ul><li><a href='/a/'>One</a></li><li><a href='/b/'>Two</a></li></ul>";
        assert_eq!(
            judge(html, None, "Tag: markets"),
            Verdict::NotAnArticle("too little text for an article (2 words outside links)".into())
        );
        let html = format!("<title>Page not found</title><h1>Sorry</h1><p>{STORY}</p>");
        assert_eq!(judge(&html, None, STORY), Verdict::NotAnArticle("a 404 page".into()));
    }

    #[test]
    fn a_story_whose_headline_says_404_or_not_found_is_an_article() {
        for headline in [
            "Flight 404 lands safely after engine scare",
            "Missing hiker not found after search",
            "Hiker not found",
        ] {
            let html = format!(
                "<title>{headline} | The Paper</title><article><h1>{headline}</h1><p>{STORY}</p></article>"
            );
            assert!(matches!(judge(&html, None, STORY), Verdict::Article(_)), "{headline}");
        }
        for title in [
            "404",
            "Page not found | The Paper",
            "404 - Page Not Found",
            "Error 404 – The Paper",
            "Oops! That page can’t be found.",
            "Not Found",
            "Sorry, the page you were looking for does not exist",
        ] {
            let html = format!("<title>{title}</title><h1>Oh no</h1><p>{STORY}</p>");
            assert_eq!(judge(&html, None, STORY), Verdict::NotAnArticle("a 404 page".into()), "{title}");
        }
    }

    #[test]
    fn a_page_kept_out_of_search_engines_is_not_an_article() {
        for robots in ["noindex", "NoIndex, follow", "none"] {
            let html = format!(
                "<meta name=robots content='{robots}'><meta property=og:type content=article><article><p>{STORY}</p></article>"
            );
            let verdict = judge(&html, Some("article"), STORY);
            assert_eq!(verdict, Verdict::NotAnArticle("its robots meta tag says noindex".into()), "{robots}");
        }
        let html = format!(
            "<meta name=robots content='index, follow, max-image-preview:large'><article><p>{STORY}</p></article>"
        );
        assert!(matches!(judge(&html, None, STORY), Verdict::Article(_)));
    }

    // Field 14: Japanese, Chinese and Thai put no spaces between words, so
    // a whole paragraph counted as one word and every article in them was
    // "too little text" (Hugo's /ja/ section of a multilingual site).
    #[test]
    fn text_written_without_spaces_counts_its_words() {
        let story = "日本銀行は十八日、金融政策決定会合で短期金利の誘導目標を据え置くことを決めた。\
            物価の上昇は続いているものの、賃金の伸びが力強さを欠いているとして、追加の利上げは見送った。\
            円相場は発表後に一時下落した。";
        let nav = "<nav><a href='/en/'>English</a> <a href='/ja/'>日本語</a></nav>";
        let html = format!("{nav}<article><h1>日銀が金利を据え置き</h1><p>{story}</p></article>");
        assert!(matches!(judge(&html, None, story), Verdict::Article(_)), "{:?}", judge(&html, None, story));
        let thai = "ธนาคารแห่งประเทศไทยมีมติคงอัตราดอกเบี้ยนโยบายไว้ที่ร้อยละสองจุดห้า เนื่องจากเศรษฐกิจยังฟื้นตัวช้า";
        let html = format!("<article><h1>ข่าว</h1><p>{thai}</p></article>");
        assert!(matches!(judge(&html, None, thai), Verdict::Article(_)));
        // A tag page in Japanese is still a page of links.
        let item = "<li><a href='/ja/posts/1/'>日銀が金利を据え置き、円相場は下落</a> 2024年</li>";
        let html = format!("<main><h1>タグ: 経済</h1><ul>{}</ul></main>", item.repeat(8));
        assert!(matches!(judge(&html, None, ""), Verdict::NotAnArticle(_)));
    }

    #[test]
    fn a_list_of_dated_links_is_not_an_article() {
        let item = "<li><a href='/2005/01/a-story/'>Shares rise as the bank holds rates</a> <time>13 January 2005</time></li>";
        let html = format!("<main><h1>Archive</h1><ol>{}</ol></main>", item.repeat(30));
        assert_eq!(
            judge(&html, None, ""),
            Verdict::NotAnArticle("a listing: 210 of its 301 words are links".into())
        );
    }

    #[test]
    fn a_redirect_page_is_not_an_article() {
        let html = "<head><meta http-equiv='refresh' content='0; url=/posts/'><link rel=canonical href=/posts/></head>";
        assert_eq!(judge(html, None, ""), Verdict::NotAnArticle("a redirect (meta refresh)".into()));
    }

    #[test]
    fn an_article_with_related_teasers_is_still_an_article() {
        let teaser = "<article><h3><a href='/b/'>Another story</a></h3></article>";
        let html = format!("<article><h1>Rates held</h1><p>{STORY}</p></article>{}", teaser.repeat(4));
        assert!(matches!(judge(&html, None, STORY), Verdict::Article(_)));
    }
}
