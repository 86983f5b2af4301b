//! Bytes of an HTML page to text. Pages are UTF-8 almost everywhere now; the
//! one legacy encoding still common on news archives is windows-1252 (which
//! browsers also use for pages labelled ISO-8859-1 or ASCII), and it takes a
//! 32-entry table. Anything else is an error that says how to convert,
//! rather than a dependency on a full encoding library.

/// The page's text, or why it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, "it starts with a UTF-8 byte order mark");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match declared(bytes) {
        None => utf8(bytes, "it declares no other charset"),
        Some(label) => match Encoding::of(&label) {
            Some(Encoding::Utf8) => utf8(bytes, &format!("it declares charset {label}")),
            Some(Encoding::Windows1252) => Ok(windows_1252(bytes)),
            None => Err(format!(
                "is in charset {label}, which alike does not read; convert it to UTF-8 \
                 (e.g. iconv -f {label} -t UTF-8)"
            )),
        },
    }
}

enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    /// The WHATWG Encoding Standard's labels for the two encodings read here.
    fn of(label: &str) -> Option<Encoding> {
        match label.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode11utf8" | "unicode20utf8"
            | "x-unicode20utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "x-cp1252" | "iso-8859-1" | "iso8859-1" | "iso88591"
            | "iso_8859-1" | "iso_8859-1:1987" | "latin1" | "l1" | "iso-ir-100" | "cp819" | "ibm819"
            | "csisolatin1" | "us-ascii" | "ascii" | "ansi_x3.4-1968" => Some(Encoding::Windows1252),
            _ => None,
        }
    }
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

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]])).collect();
    String::from_utf16(&units)
        .map_err(|_| "is not valid UTF-16 text though it starts with a UTF-16 byte order mark".into())
}

/// The charset a `<meta charset>` or `<meta http-equiv content="...;
/// charset=...">` declares in the first 1024 bytes, where the HTML standard
/// says browsers look.
fn declared(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("<meta") {
        let tag = &rest[start..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let Some(at) = tag.find("charset") {
            let value = tag[at + "charset".len()..].trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
                    .unwrap_or(value.len());
                if end > 0 {
                    return Some(value[..end].to_string());
                }
            }
        }
        rest = &rest[start + "<meta".len()..];
    }
    None
}

/// What windows-1252 puts at 0x80..=0x9F; the other bytes are their own
/// code points. The five unassigned bytes map to C1 controls, as in browsers.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}',
    '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}',
    '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
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
    fn utf16_pages_are_decoded() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<p>é</p>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&bytes).unwrap(), "<p>é</p>");
    }

    #[test]
    fn other_charsets_and_bad_bytes_say_how_to_fix() {
        let error = decode(b"<meta charset=shift_jis><p>\x82\xA0</p>").unwrap_err();
        assert!(error.contains("charset shift_jis") && error.contains("iconv"), "{error}");
        let error = decode(b"<p>caf\xE9</p>").unwrap_err();
        assert!(error.contains("not UTF-8") && error.contains("offset 6"), "{error}");
        let error = decode(b"<meta charset=utf-8><p>caf\xE9</p>").unwrap_err();
        assert!(error.contains("declares charset utf-8"), "{error}");
    }
}
