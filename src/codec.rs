//! Packing lists of integers into the index's base64 fields: LEB128 varints
//! (seven bits a byte, high bit set on all but the last), then standard
//! base64. JSON numbers would cost three to four characters each even after
//! gzip; a varint of a small gap costs one byte.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub fn to_base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

pub fn from_base64(field: &str, text: &str) -> Result<Vec<u8>, String> {
    BASE64
        .decode(text)
        .map_err(|e| format!("field `{field}` is not valid base64: {e}"))
}

/// Reads varints off a byte slice, failing (never panicking) on truncated or
/// oversized input, since index files come from the network.
pub struct VarintReader<'a> {
    field: &'static str,
    bytes: &'a [u8],
    position: usize,
}

impl<'a> VarintReader<'a> {
    pub fn new(field: &'static str, bytes: &'a [u8]) -> Self {
        VarintReader { field, bytes, position: 0 }
    }

    pub fn next(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.position).ok_or_else(|| {
                format!("field `{}` ends in the middle of a number", self.field)
            })?;
            self.position += 1;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("field `{}` holds a number too large for 64 bits", self.field))
    }

    /// A varint that must fit in `u32`.
    pub fn next_u32(&mut self) -> Result<u32, String> {
        let value = self.next()?;
        u32::try_from(value)
            .map_err(|_| format!("field `{}` holds {value}, too large here", self.field))
    }

    pub fn is_done(&self) -> bool {
        self.position == self.bytes.len()
    }

    /// Fails unless every byte was read: trailing bytes mean a count lied.
    pub fn finish(&self) -> Result<(), String> {
        if self.is_done() {
            Ok(())
        } else {
            Err(format!(
                "field `{}` has {} bytes left over after its last entry",
                self.field,
                self.bytes.len() - self.position
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX), u64::MAX];
        let mut bytes = Vec::new();
        for v in values {
            put_varint(&mut bytes, v);
        }
        let mut reader = VarintReader::new("test", &bytes);
        for v in values {
            assert_eq!(reader.next().unwrap(), v);
        }
        reader.finish().unwrap();
    }

    #[test]
    fn small_values_take_one_byte() {
        let mut bytes = Vec::new();
        put_varint(&mut bytes, 127);
        assert_eq!(bytes, [127]);
    }

    #[test]
    fn truncated_and_oversized_input_fail_cleanly() {
        let err = VarintReader::new("postings", &[0x80]).next().unwrap_err();
        assert!(err.contains("postings") && err.contains("middle"), "{err}");
        let err = VarintReader::new("postings", &[0xff; 11]).next().unwrap_err();
        assert!(err.contains("too large"), "{err}");
        let err = VarintReader::new("df", &[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).next_u32().unwrap_err();
        assert!(err.contains("df"), "{err}");
    }

    #[test]
    fn leftover_bytes_are_reported() {
        let reader = VarintReader::new("hashes", &[1]);
        assert!(reader.finish().unwrap_err().contains("left over"));
    }

    #[test]
    fn bad_base64_names_the_field() {
        assert!(from_base64("postings", "not base64!").unwrap_err().contains("postings"));
        assert_eq!(from_base64("x", &to_base64(&[1, 2, 3])).unwrap(), [1, 2, 3]);
    }
}
