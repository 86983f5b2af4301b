//! Base64 VLQ as `docs/index-format.md` defines it (the lab's own copy:
//! alike's codec is private). Used to read a built index's postings and to
//! write the candidate layouts' files at their real size.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn put_vlq(out: &mut String, mut value: u64) {
    loop {
        let digit = (value & 31) as usize;
        value >>= 5;
        if value == 0 {
            out.push(ALPHABET[digit] as char);
            return;
        }
        out.push(ALPHABET[digit | 32] as char);
    }
}

pub fn put_digit(out: &mut String, value: u8) {
    assert!(value < 64, "a digit holds six bits, not {value}");
    out.push(ALPHABET[usize::from(value)] as char);
}

fn value_of(byte: u8) -> u8 {
    match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not a base64 digit: {byte}"),
    }
}

/// Reads numbers off a field the lab itself or alike wrote (trusted input:
/// it panics on a bad one).
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { bytes: text.as_bytes(), position: 0 }
    }

    pub fn digit(&mut self) -> u8 {
        let value = value_of(self.bytes[self.position]);
        self.position += 1;
        value
    }

    pub fn vlq(&mut self) -> u64 {
        let mut value = 0;
        let mut shift = 0;
        loop {
            let digit = u64::from(self.digit());
            value |= (digit & 31) << shift;
            if digit & 32 == 0 {
                return value;
            }
            shift += 5;
        }
    }

    pub fn done(&self) -> bool {
        self.position == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_the_documented_examples() {
        let mut text = String::new();
        for value in [0, 31, 32, 1 << 40, u64::from(u32::MAX)] {
            put_vlq(&mut text, value);
        }
        assert!(text.starts_with("AfgB"), "0 is A, 31 is f, 32 is gB: {text}");
        let mut reader = Reader::new(&text);
        for value in [0, 31, 32, 1 << 40, u64::from(u32::MAX)] {
            assert_eq!(reader.vlq(), value);
        }
        assert!(reader.done());
    }
}
