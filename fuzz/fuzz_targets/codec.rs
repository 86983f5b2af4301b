//! The VLQ codec (src/codec.rs): reading any text fails cleanly, never
//! panics, and whatever is written reads back the same.
//!
//! The codec is private to the crate, and the file depends on nothing else
//! in it, so it is compiled here as it stands rather than made public for
//! fuzzing alone.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The crate's `msg!` (src/lib.rs) joins text and numbers without
// `core::fmt`; here, where size does not matter, `to_string` does the same.
macro_rules! msg {
    ($($part:expr),+ $(,)?) => {{
        let mut message = String::new();
        $(message.push_str(&$part.to_string());)+
        message
    }};
}

#[path = "../../src/codec.rs"]
#[allow(dead_code)]
mod codec;

use codec::{Reader, put_digit, put_vlq};

/// What to read next, chosen by the input's first byte, two bits a step.
#[derive(Clone, Copy)]
enum Read {
    Digit,
    Vlq,
    VlqU32,
}

fn read_plan(byte: u8, step: usize) -> Read {
    match (byte >> ((step % 4) * 2)) & 3 {
        0 => Read::Digit,
        1 | 2 => Read::Vlq,
        _ => Read::VlqU32,
    }
}

/// Reads `text` as the plan says until it fails or ends; whatever was read
/// must write and read back unchanged.
fn reads_cleanly(plan: u8, text: &str) {
    let mut reader = Reader::new("", "fuzzed", text);
    let mut read = Vec::new();
    for step in 0..=text.len() {
        let kind = read_plan(plan, step);
        let value = match kind {
            Read::Digit => reader.digit().map(u64::from),
            Read::Vlq => reader.vlq(),
            Read::VlqU32 => reader.vlq_u32().map(u64::from),
        };
        match value {
            Ok(value) => read.push((kind, value)),
            Err(message) => {
                assert!(message.contains("fuzzed"), "an error names its field: {message}");
                break;
            }
        }
    }
    let _ = reader.finish();
    writes_and_reads_back(&read);
}

fn writes_and_reads_back(values: &[(Read, u64)]) {
    let mut text = String::new();
    for &(kind, value) in values {
        match kind {
            Read::Digit => put_digit(&mut text, u8::try_from(value).expect("a digit is below 64")),
            Read::Vlq | Read::VlqU32 => put_vlq(&mut text, value),
        }
    }
    let mut reader = Reader::new("", "written", &text);
    for &(kind, value) in values {
        let back = match kind {
            Read::Digit => reader.digit().map(u64::from),
            Read::Vlq => reader.vlq(),
            Read::VlqU32 => reader.vlq_u32().map(u64::from),
        };
        assert_eq!(back, Ok(value), "{value} did not read back from {text:?}");
    }
    assert_eq!(reader.finish(), Ok(()), "{text:?} has characters left over");
}

fuzz_target!(|data: &[u8]| {
    let Some((&plan, rest)) = data.split_first() else { return };
    reads_cleanly(plan, &String::from_utf8_lossy(rest));
    // The same bytes as numbers: any u64 must survive a round trip.
    let numbers: Vec<(Read, u64)> = rest
        .chunks(8)
        .enumerate()
        .map(|(i, chunk)| {
            let mut bytes = [0u8; 8];
            bytes[..chunk.len()].copy_from_slice(chunk);
            let value = u64::from_le_bytes(bytes);
            match read_plan(plan, i) {
                Read::Digit => (Read::Digit, value & 63),
                Read::Vlq => (Read::Vlq, value),
                Read::VlqU32 => (Read::VlqU32, value & u64::from(u32::MAX)),
            }
        })
        .collect();
    writes_and_reads_back(&numbers);
});
