//! The engine's errors. Messages are whole sentences that say what to do,
//! because they reach people unchanged: in a terminal from the CLI and in the
//! browser console from the widget.

use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// The index file is not JSON, or not an alike index at all.
    NotAnIndex(String),
    /// The index was written by a version of alike this one cannot read.
    UnsupportedVersion { found: u32, supported: u32 },
    /// The index parses but its contents contradict each other.
    CorruptIndex(String),
    /// A language name that no stemmer answers to.
    UnknownLanguage(String),
    /// A language this build was compiled without.
    LanguageNotBuilt(&'static str),
    /// An article or query that cannot be used as given.
    BadArticle(String),
    /// Build or query settings out of range.
    BadSettings(String),
}

impl Error {
    /// The advice that ends the message of an index too old or corrupt to
    /// read (the CLI leaves it out where it is rebuilding that index).
    pub const REBUILD: &str = "; rebuild it with `alike index`";

    /// The sentence people read. Built with `msg!`, not `write!`, like every
    /// message on the browser's paths: the wasm then carries no `core::fmt`.
    pub fn message(&self) -> String {
        match self {
            Error::NotAnIndex(why) => {
                msg!("this is not an alike index (", why, "); point to the file `alike index` wrote")
            }
            Error::UnsupportedVersion { found, supported } if found < supported => msg!(
                "this index was written by an earlier alike (format version ",
                found,
                ")",
                Error::REBUILD
            ),
            Error::UnsupportedVersion { found, supported } => msg!(
                "the index has format version ",
                found,
                " but this alike reads version ",
                supported,
                "; rebuild the index with the `alike index` that matches this widget"
            ),
            Error::CorruptIndex(why) => {
                msg!("the index is corrupt (", why, ")", Error::REBUILD)
            }
            Error::UnknownLanguage(name) => {
                // Name by name: `join` would ship its own copy of string
                // joining to the browser (899 bytes of wasm).
                let mut message = msg!("unknown language \"", name, "\"; use one of: ");
                for (i, known) in crate::Language::names().enumerate() {
                    message.push_str(if i == 0 { "" } else { ", " });
                    message.push_str(known);
                }
                message
            }
            Error::LanguageNotBuilt(name) => msg!(
                "this build of alike has no stemmer for ",
                name,
                "; rebuild it with the cargo feature \"",
                name,
                "\" (or \"all-languages\")"
            ),
            Error::BadArticle(why) | Error::BadSettings(why) => why.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

/// A part of a message built by `msg!`: text, or a whole number in decimal
/// (`Hex` for hexadecimal). Written by hand so that no message needs
/// `core::fmt`, whose machinery and per-call argument tables cost the wasm
/// about 2 KB gzipped (measured in notes-wasm9.md).
pub(crate) trait Part {
    fn push_to(&self, message: &mut String);
}

impl Part for str {
    fn push_to(&self, message: &mut String) {
        message.push_str(self);
    }
}

impl Part for String {
    fn push_to(&self, message: &mut String) {
        message.push_str(self);
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn push_to(&self, message: &mut String) {
        (**self).push_to(message);
    }
}

macro_rules! decimal_part {
    ($($type:ty),*) => {$(
        impl Part for $type {
            fn push_to(&self, message: &mut String) {
                push_digits(message, *self as u64, 10, 1);
            }
        }
    )*};
}
decimal_part!(u8, u16, u32, u64, usize);

impl Part for i32 {
    fn push_to(&self, message: &mut String) {
        if *self < 0 {
            message.push('-');
        }
        push_digits(message, u64::from(self.unsigned_abs()), 10, 1);
    }
}

/// A number written in lower-case hexadecimal, as file names have it.
pub(crate) struct Hex(pub u32);

impl Part for Hex {
    fn push_to(&self, message: &mut String) {
        push_digits(message, u64::from(self.0), 16, 1);
    }
}

/// Writes `value` in `base` (10 or 16), at least `width` digits (zeros in
/// front).
pub(crate) fn push_digits(message: &mut String, mut value: u64, base: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while value > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b"0123456789abcdef"[(value % base) as usize];
        value /= base;
    }
    for &digit in &digits[start..] {
        message.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_writes_numbers_as_format_does() {
        for n in [0u64, 7, 10, 99, 4_294_967_295, u64::MAX] {
            assert_eq!(msg!(n), n.to_string());
            assert_eq!(msg!(Hex(n as u32)), format!("{:x}", n as u32));
        }
        assert_eq!(
            msg!(-5i32, " ", i32::MIN, " ", 255u8, " ", usize::MAX),
            format!("-5 {} 255 {}", i32::MIN, usize::MAX)
        );
        let mut padded = String::new();
        push_digits(&mut padded, 7, 10, 4);
        assert_eq!(padded, "0007");
        assert_eq!(msg!("term ", 3u32, "'s hash", String::from("!")), "term 3's hash!");
    }
}
