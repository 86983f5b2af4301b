//! Bytes of an HTML page to text. Pages are UTF-8 almost everywhere now; the
//! one legacy encoding still common on news archives is windows-1252 (which
//! browsers also use for pages labelled ISO-8859-1 or ASCII), and it takes a
//! 32-entry table. Anything else is an error that says how to convert,
//! rather than a dependency on a full encoding library.
//!
//! The charset a page declares is found as the HTML standard's prescan
//! finds it: in the first 1024 bytes, in a `<meta>` tag that ends there; a
//! tag the window cuts short, or a label that names no encoding at all, is
//! no declaration, so the page is read as one that declares nothing: as
//! UTF-8 if it is valid UTF-8, else as windows-1252, as browsers read it.

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
        // Undeclared: UTF-8 if it is, else windows-1252, as browsers in
        // most of the world read it (the HTML standard's default for a page
        // that declares nothing), so the widget sees the same text.
        None => Ok(utf8(bytes, "it declares no charset").unwrap_or_else(|_| windows_1252(bytes))),
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

/// Every label of the WHATWG Encoding Standard, sorted (as encoding_rs
/// lists them): a declared charset that is none of these names no
/// encoding, and is passed over as browsers pass it over.
const LABELS: &[&str] = &[
    "866",
    "ansi_x3.4-1968",
    "arabic",
    "ascii",
    "asmo-708",
    "big5",
    "big5-hkscs",
    "chinese",
    "cn-big5",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp819",
    "cp866",
    "csbig5",
    "cseuckr",
    "cseucpkdfmtjapanese",
    "csgb2312",
    "csibm866",
    "csiso2022jp",
    "csiso2022kr",
    "csiso58gb231280",
    "csiso88596e",
    "csiso88596i",
    "csiso88598e",
    "csiso88598i",
    "csisolatin1",
    "csisolatin2",
    "csisolatin3",
    "csisolatin4",
    "csisolatin5",
    "csisolatin6",
    "csisolatin9",
    "csisolatinarabic",
    "csisolatincyrillic",
    "csisolatingreek",
    "csisolatinhebrew",
    "cskoi8r",
    "csksc56011987",
    "csmacintosh",
    "csshiftjis",
    "csunicode",
    "cyrillic",
    "dos-874",
    "ecma-114",
    "ecma-118",
    "elot_928",
    "euc-jp",
    "euc-kr",
    "gb18030",
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "greek",
    "greek8",
    "hebrew",
    "hz-gb-2312",
    "ibm819",
    "ibm866",
    "iso-10646-ucs-2",
    "iso-2022-cn",
    "iso-2022-cn-ext",
    "iso-2022-jp",
    "iso-2022-kr",
    "iso-8859-1",
    "iso-8859-10",
    "iso-8859-11",
    "iso-8859-13",
    "iso-8859-14",
    "iso-8859-15",
    "iso-8859-16",
    "iso-8859-2",
    "iso-8859-3",
    "iso-8859-4",
    "iso-8859-5",
    "iso-8859-6",
    "iso-8859-6-e",
    "iso-8859-6-i",
    "iso-8859-7",
    "iso-8859-8",
    "iso-8859-8-e",
    "iso-8859-8-i",
    "iso-8859-9",
    "iso-ir-100",
    "iso-ir-101",
    "iso-ir-109",
    "iso-ir-110",
    "iso-ir-126",
    "iso-ir-127",
    "iso-ir-138",
    "iso-ir-144",
    "iso-ir-148",
    "iso-ir-149",
    "iso-ir-157",
    "iso-ir-58",
    "iso8859-1",
    "iso8859-10",
    "iso8859-11",
    "iso8859-13",
    "iso8859-14",
    "iso8859-15",
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-5",
    "iso8859-6",
    "iso8859-7",
    "iso8859-8",
    "iso8859-9",
    "iso88591",
    "iso885910",
    "iso885911",
    "iso885913",
    "iso885914",
    "iso885915",
    "iso88592",
    "iso88593",
    "iso88594",
    "iso88595",
    "iso88596",
    "iso88597",
    "iso88598",
    "iso88599",
    "iso_8859-1",
    "iso_8859-15",
    "iso_8859-1:1987",
    "iso_8859-2",
    "iso_8859-2:1987",
    "iso_8859-3",
    "iso_8859-3:1988",
    "iso_8859-4",
    "iso_8859-4:1988",
    "iso_8859-5",
    "iso_8859-5:1988",
    "iso_8859-6",
    "iso_8859-6:1987",
    "iso_8859-7",
    "iso_8859-7:1987",
    "iso_8859-8",
    "iso_8859-8:1988",
    "iso_8859-9",
    "iso_8859-9:1989",
    "koi",
    "koi8",
    "koi8-r",
    "koi8-ru",
    "koi8-u",
    "koi8_r",
    "korean",
    "ks_c_5601-1987",
    "ks_c_5601-1989",
    "ksc5601",
    "ksc_5601",
    "l1",
    "l2",
    "l3",
    "l4",
    "l5",
    "l6",
    "l9",
    "latin1",
    "latin2",
    "latin3",
    "latin4",
    "latin5",
    "latin6",
    "logical",
    "mac",
    "macintosh",
    "ms932",
    "ms_kanji",
    "replacement",
    "shift-jis",
    "shift_jis",
    "sjis",
    "sun_eu_greek",
    "tis-620",
    "ucs-2",
    "unicode",
    "unicode-1-1-utf-8",
    "unicode11utf8",
    "unicode20utf8",
    "unicodefeff",
    "unicodefffe",
    "us-ascii",
    "utf-16",
    "utf-16be",
    "utf-16le",
    "utf-8",
    "utf8",
    "visual",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "windows-31j",
    "windows-874",
    "windows-949",
    "x-cp1250",
    "x-cp1251",
    "x-cp1252",
    "x-cp1253",
    "x-cp1254",
    "x-cp1255",
    "x-cp1256",
    "x-cp1257",
    "x-cp1258",
    "x-euc-jp",
    "x-gbk",
    "x-mac-cyrillic",
    "x-mac-roman",
    "x-mac-ukrainian",
    "x-sjis",
    "x-unicode20utf8",
    "x-user-defined",
    "x-x-big5",
];

fn is_label(label: &str) -> bool {
    LABELS.binary_search(&label.to_ascii_lowercase().as_str()).is_ok()
}

enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    /// The WHATWG Encoding Standard's labels for the two encodings read
    /// here. A `<meta>` that declares UTF-16 means UTF-8 (the page's bytes
    /// would have no ASCII `<meta>` in them if it were UTF-16), and one
    /// that declares x-user-defined means windows-1252, as the standard's
    /// prescan says.
    fn of(label: &str) -> Option<Encoding> {
        match label.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode11utf8" | "unicode20utf8"
            | "x-unicode20utf8" => Some(Encoding::Utf8),
            "csunicode" | "iso-10646-ucs-2" | "ucs-2" | "unicode" | "unicodefeff" | "utf-16" | "utf-16le"
            | "unicodefffe" | "utf-16be" => Some(Encoding::Utf8),
            "x-user-defined" => Some(Encoding::Windows1252),
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

/// How many bytes the prescan looks at.
const PRESCAN_BYTES: usize = 1024;

/// The charset a `<meta charset>` or `<meta http-equiv content="...;
/// charset=...">` declares in the first 1024 bytes, where the HTML standard
/// says browsers look: the first that is an encoding's label, in a tag that
/// ends within those bytes.
fn declared(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(PRESCAN_BYTES)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("<meta") {
        let tag = &rest[start..];
        // A tag cut off by the window may hold a label cut off too
        // (`utf` for `utf-8`); the prescan stops there.
        let tag = &tag[..tag.find('>')?];
        if let Some(at) = tag.find("charset") {
            let value = tag[at + "charset".len()..].trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
                    .unwrap_or(value.len());
                if end > 0 && is_label(&value[..end]) {
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
    fn the_label_list_is_sorted_and_whole() {
        assert!(LABELS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(LABELS.len(), 228);
        assert!(is_label("Shift_JIS") && is_label("windows-1252") && !is_label("utf"));
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
        let error = decode(b"<meta charset=shift_jis><p>\x82\xA0</p>").unwrap_err();
        assert!(error.contains("charset shift_jis") && error.contains("iconv"), "{error}");
        let error = decode(b"<meta charset=utf-8><p>caf\xE9</p>").unwrap_err();
        assert!(error.contains("declares charset utf-8"), "{error}");
    }
}
