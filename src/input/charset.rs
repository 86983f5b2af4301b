//! Bytes of an HTML page to text, as a browser decodes them, with
//! encoding_rs (the WHATWG Encoding Standard's implementation, used by
//! Firefox): UTF-8 almost everywhere now, and the legacy encodings news
//! archives still hold (windows-125x, GBK/gb2312, Big5, Shift_JIS,
//! EUC-KR, ...). Only the CLI reads files, so only it carries the tables.
//!
//! The encoding is found as the HTML standard's sniffing finds it: a byte
//! order mark first; then the prescan of the first 1024 bytes for a
//! `<meta>` tag that ends there; a tag the window cuts short, or a label
//! that names no encoding at all, is no declaration, so the page is read
//! as one that declares nothing: as UTF-8 if it is valid UTF-8, else as
//! windows-1252, as browsers read it.

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

/// The page's text, or why it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let rest = &bytes[bom..];
        if encoding == UTF_8 {
            return utf8(rest, "it starts with a UTF-8 byte order mark");
        }
        let (text, malformed) = encoding.decode_without_bom_handling(rest);
        if malformed {
            return Err(format!(
                "is not valid {} text though it starts with its byte order mark",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    let Some((label, encoding)) = declared(bytes) else {
        // Undeclared: UTF-8 if it is, else windows-1252, as browsers in
        // most of the world read it (the HTML standard's default for a page
        // that declares nothing), so the widget sees the same text.
        return Ok(utf8(bytes, "it declares no charset")
            .unwrap_or_else(|_| WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()));
    };
    // The prescan's own substitutions: a `<meta>` that declares UTF-16
    // means UTF-8 (a UTF-16 page would have no ASCII `<meta>` in it), and
    // x-user-defined means windows-1252.
    let encoding = match encoding {
        e if e == UTF_16BE || e == UTF_16LE => UTF_8,
        e if e == X_USER_DEFINED => WINDOWS_1252,
        e => e,
    };
    if encoding == UTF_8 {
        return utf8(bytes, &format!("it declares charset {label}"));
    }
    if encoding == REPLACEMENT {
        // ISO-2022-KR, HZ-GB-2312, ...: browsers show one U+FFFD for these.
        return Err(format!(
            "is in charset {label}, which browsers refuse to read; convert it to UTF-8 \
             (e.g. iconv -f {label} -t UTF-8)"
        ));
    }
    // Bytes the encoding has no character for become U+FFFD, as in the
    // browser, so the CLI and the widget read the same text.
    Ok(encoding.decode_without_bom_handling(bytes).0.into_owned())
}

/// An XML file's text, for a parser that reads UTF-8 only, and a note of
/// any bytes read otherwise: the encoding its declaration names
/// (`<?xml … encoding="windows-1252"?>`, which is then made to say UTF-8),
/// else UTF-8, where bytes that are not UTF-8 are read as windows-1252,
/// one by one: the stray latin1 bytes a WordPress database of mixed
/// encodings exports, which would otherwise stop the whole file.
pub fn decode_xml(bytes: &[u8]) -> (String, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), None);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    let declaration = head.strip_prefix("<?xml").and_then(|rest| Some(&rest[..rest.find("?>")?]));
    let label = declaration.and_then(|d| {
        let value = d[d.find("encoding")? + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        Some(value[1..][..value[1..].find(quote)?].to_string())
    });
    if let Some(label) = label
        && let Some(encoding) = Encoding::for_label(label.as_bytes()).filter(|e| *e != UTF_8)
    {
        let text = encoding.decode_without_bom_handling(bytes).0;
        // The declaration's own bytes are ASCII, the same in the text.
        let text = text.replacen(&format!("encoding=\"{label}\""), "encoding=\"UTF-8\"", 1);
        return (text.replacen(&format!("encoding='{label}'"), "encoding='UTF-8'", 1), None);
    }
    let mut text = String::with_capacity(bytes.len());
    let (mut stray, mut first, mut read) = (0, None, 0);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        read += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first.get_or_insert(read);
            stray += chunk.invalid().len();
            read += chunk.invalid().len();
            text.push_str(&WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
        }
    }
    let note = format!(
        "{stray} bytes that are not UTF-8 (the first at byte {}) were read as windows-1252; \
         check those characters, or convert the file to UTF-8",
        first.unwrap_or(0)
    );
    (text, Some(note))
}

fn utf8(bytes: &[u8], why: &str) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "is not UTF-8 text (bad byte at offset {}) though {why}; convert it to UTF-8, \
             e.g. with iconv, or declare its charset with <meta charset>",
            e.utf8_error().valid_up_to()
        )
    })
}

/// How many bytes the prescan looks at.
const PRESCAN_BYTES: usize = 1024;

/// The charset a `<meta charset>` or `<meta http-equiv content="...;
/// charset=...">` declares in the first 1024 bytes, where the HTML standard
/// says browsers look: the first that is an encoding's label, in a tag that
/// ends within those bytes.
fn declared(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(PRESCAN_BYTES)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("<meta") {
        let tag = &rest[start..];
        // A tag cut off by the window may hold a label cut off too
        // (`utf` for `utf-8`); the prescan stops there.
        let tag = &tag[..tag.find('>')?];
        if let Some(label) = meta_label(tag)
            && let Some(encoding) = Encoding::for_label(label.as_bytes())
        {
            return Some((label.to_string(), encoding));
        }
        rest = &rest[start + "<meta".len()..];
    }
    None
}

/// The label a `<meta` tag (lowercase, without its `>`) declares, as the
/// prescan reads it: its `charset` attribute, or the `charset=` in the
/// `content` of a tag with `http-equiv="content-type"`. A tag with
/// `name="content-type"` declares nothing, so browsers do not read it.
fn meta_label(tag: &str) -> Option<&str> {
    let attributes = attributes(&tag["<meta".len()..]);
    let value = |name: &str| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.trim());
    let label = match value("charset") {
        Some(charset) => charset,
        None if value("http-equiv") == Some("content-type") => {
            let content = value("content")?;
            let after = content[content.find("charset")? + "charset".len()..].trim_start();
            after.strip_prefix('=')?.trim_start().trim_start_matches(['"', '\''])
        }
        None => return None,
    };
    let end = label.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c))).unwrap_or(label.len());
    Some(&label[..end])
}

/// A tag's attributes as (name, value), the first of a name first.
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        let name_end =
            rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        if rest.is_empty() || (name_end == 0 && !rest.starts_with('=')) {
            return out;
        }
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            (value, rest) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => after.split_at(after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len())),
            };
        }
        out.push((name, value));
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn utf8_pages_pass_through() {
        assert_eq!(decode("<p>café</p>".as_bytes()).unwrap(), "<p>café</p>");
        assert_eq!(decode(b"\xEF\xBB\xBF<p>x</p>").unwrap(), "<p>x</p>");
    }

    #[test]
    fn windows_1252_pages_are_decoded() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xE9 \x93quoted\x94 \x80 5</p>";
        let text = decode(page).unwrap();
        assert!(text.ends_with("<p>café \u{201C}quoted\u{201D} € 5</p>"), "{text}");
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=windows-1252'><p>na\xEFve</p>";
        assert!(decode(page).unwrap().contains("naïve"));
    }

    #[test]
    fn a_content_type_meta_declares_only_with_http_equiv() {
        let page =
            b"<meta content=\"text/html; charset=windows-1252\" name=\"Content-Type\"><p>caf\xC3\xA9</p>";
        assert!(
            decode(page).unwrap().ends_with("caf\u{e9}</p>"),
            "name= is no declaration: UTF-8 as undeclared"
        );
        let page =
            b"<meta content=\"text/html; charset=windows-1252\" http-equiv=\"Content-Type\"><p>caf\xE9</p>";
        assert!(decode(page).unwrap().ends_with("caf\u{e9}</p>"));
        let page = b"<meta name=\"description\" content=\"charset=shift_jis\"><meta charset='utf-8'><p>caf\xC3\xA9</p>";
        assert!(
            decode(page).unwrap().ends_with("caf\u{e9}</p>"),
            "a charset inside another attribute's value"
        );
    }

    #[test]
    fn utf16_pages_are_decoded() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<p>é</p>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&bytes).unwrap(), "<p>é</p>");
    }

    #[test]
    fn a_declaration_cut_by_the_prescan_window_is_no_declaration() {
        for cut in
            [b"<meta charset=\"utf".len(), b"<meta charset=\"utf-8".len(), b"<meta charset=\"utf-8\"".len()]
        {
            let mut page = vec![b' '; PRESCAN_BYTES - cut];
            page.extend_from_slice(b"<meta charset=\"utf-8\"><p>caf\xC3\xA9</p>");
            assert_eq!(
                decode(&page).unwrap().trim_start(),
                "<meta charset=\"utf-8\"><p>caf\u{e9}</p>",
                "cut {cut}"
            );
        }
        let mut page = vec![b' '; PRESCAN_BYTES - 5];
        page.extend_from_slice(b"<meta charset=shift_jis>");
        assert!(decode(&page).is_ok(), "a label past the window is not read");
    }

    #[test]
    fn unknown_labels_are_no_declaration_and_later_ones_are_read() {
        assert_eq!(
            decode(b"<meta charset=no-such-charset><p>caf\xC3\xA9</p>").unwrap(),
            "<meta charset=no-such-charset><p>caf\u{e9}</p>"
        );
        let text = decode(b"<meta charset=bogus><meta charset=latin1><p>caf\xE9</p>").unwrap();
        assert!(text.ends_with("caf\u{e9}</p>"), "{text}");
        assert!(decode(b"<meta charset=utf-16le><p>caf\xC3\xA9</p>").unwrap().ends_with("caf\u{e9}</p>"));
    }

    #[test]
    fn legacy_encodings_are_decoded_as_browsers_decode_them() {
        // Each text as encoding_rs's encoder writes it in that encoding.
        for (label, text) in [
            ("gb2312", "新闻报道"),
            ("GBK", "新闻报道"),
            ("big5", "新聞報導"),
            ("Shift_JIS", "ニュース記事"),
            ("euc-kr", "뉴스 기사"),
            ("windows-1251", "Новости"),
            ("windows-1250", "Zpráva dne"),
            ("iso-8859-7", "Ειδήσεις"),
            ("windows-1256", "أخبار"),
        ] {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, unmappable) = encoding.encode(text);
            assert!(!unmappable, "{label}");
            let mut page = format!("<meta charset=\"{label}\"><p>").into_bytes();
            page.extend_from_slice(&bytes);
            assert_eq!(decode(&page).unwrap(), format!("<meta charset=\"{label}\"><p>{text}"), "{label}");
        }
        // A byte the encoding has no character for is U+FFFD, not an error.
        assert_eq!(
            decode(b"<meta charset=shift_jis><p>\x82").unwrap(),
            "<meta charset=shift_jis><p>\u{fffd}"
        );
    }

    #[test]
    fn an_undeclared_page_that_is_not_utf8_is_read_as_windows_1252() {
        assert_eq!(
            decode(b"<p>caf\xE9 \x93quoted\x94</p>").unwrap(),
            "<p>caf\u{e9} \u{201c}quoted\u{201d}</p>"
        );
        assert_eq!(decode("<p>café</p>".as_bytes()).unwrap(), "<p>café</p>", "UTF-8 stays UTF-8");
    }

    #[test]
    fn other_charsets_and_bad_bytes_say_how_to_fix() {
        let error = decode(b"<meta charset=iso-2022-kr><p>x</p>").unwrap_err();
        assert!(error.contains("charset iso-2022-kr") && error.contains("iconv"), "{error}");
        let error = decode(b"<meta charset=utf-8><p>caf\xE9</p>").unwrap_err();
        assert!(error.contains("declares charset utf-8"), "{error}");
    }
}
