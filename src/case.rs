//! Unicode lower-casing (`char::to_lowercase`) from a table of runs, a
//! fraction of the standard library's: the browser engine carries only
//! this one. The tests check it against the standard library over every
//! code point, and write the table (`ALIKE_BLESS=1 cargo test --lib case`)
//! after a Rust update changes Unicode's.

mod table;

/// Calls `out` with the lower case of `c`: one character, or two for `İ`.
pub fn lower(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        return out(c.to_ascii_lowercase());
    }
    if c == '\u{130}' {
        // The one character whose lower case is two: i and a combining dot.
        out('i');
        return out('\u{307}');
    }
    let code = c as u32;
    // Runs sorted by first code point: (first << 8 | length << 1 | every
    // other one, distance to the lower case).
    let at = table::RUNS.partition_point(|&(packed, _)| packed >> 8 <= code);
    let lowered = at.checked_sub(1).map(|i| table::RUNS[i]).and_then(|(packed, distance)| {
        let offset = code - (packed >> 8);
        let step = if packed & 1 == 1 { 2 } else { 1 };
        (offset < (packed >> 1 & 127) * step && offset.is_multiple_of(step))
            .then(|| char::from_u32(code.wrapping_add_signed(distance)))
            .flatten()
    });
    out(lowered.unwrap_or(c));
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn every_code_point_lowers_as_the_standard_library_does() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut ours = String::new();
            lower(c, |l| ours.push(l));
            assert_eq!(ours, c.to_lowercase().collect::<String>(), "U+{:04X}", c as u32);
        }
    }

    /// The table, from the standard library's lower-casing: runs of
    /// characters, next to each other or every other one, that lower to the
    /// same distance away; at most 127 in a run.
    #[test]
    fn the_table_is_the_standard_librarys() {
        let mut runs: Vec<(u32, u32, u32, i32)> = Vec::new(); // first, length, step, distance
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let mut lowered = c.to_lowercase();
            let (Some(l), None) = (lowered.next(), lowered.next()) else { continue };
            if l == c {
                continue;
            }
            let (code, distance) = (c as u32, l as i32 - c as i32);
            if let Some(run) = runs.last_mut()
                && run.3 == distance
                && run.1 < 127
                && (run.1 == 1 && code - run.0 <= 2 || code == run.0 + run.1 * run.2)
            {
                if run.1 == 1 {
                    run.2 = code - run.0;
                }
                run.1 += 1;
                continue;
            }
            runs.push((code, 1, 1, distance));
        }
        let rows: Vec<String> = runs
            .iter()
            .map(|&(first, length, step, distance)| {
                format!("    (0x{:x}, {distance}),", first << 8 | length << 1 | u32::from(step == 2))
            })
            .collect();
        let text = format!(
            "// Written by `ALIKE_BLESS=1 cargo test --lib case` from the standard library; do not edit.\n\n\
             /// Runs of characters that lower to the same distance away, sorted:\n\
             /// (first code point << 8 | length << 1 | every other one, distance).\n\
             pub(super) const RUNS: &[(u32, i32)] = &[\n{}\n];\n",
            rows.join("\n")
        );
        crate::golden::check("src/case/table.rs", &text, "case", "");
    }
}
