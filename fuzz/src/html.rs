//! The HTML readers (src/input/page.rs, html.rs, jsonld.rs, charset.rs):
//! any bytes as an article page, through `alike::input::read` on a `.html`
//! file, and as a fragment, through `alike::input::html_text`, give an
//! article, an error or text, never a panic.

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    let records = super::read_all("html", data);
    assert_eq!(records.len(), 1, "one page is one record or one error");
    std::hint::black_box(alike::input::html_text(&String::from_utf8_lossy(data)));
}
