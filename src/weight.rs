//! The arithmetic of TF-IDF cosine, in small named pieces. The variant was
//! chosen by measurement on the BBC corpus (see BENCHMARKS.md): sublinear tf,
//! smoothed idf, l2-normalised vectors.

/// Sublinear term frequency: a word said ten times is not ten times as
/// telling as a word said once. `count` is already title-weighted, so it may
/// be fractional; counts below one still weigh something.
pub fn tf(count: f32) -> f32 {
    assert!(count > 0.0, "tf of a term that does not occur");
    if count >= 1.0 { 1.0 + count.ln() } else { count }
}

/// Smoothed inverse document frequency, as if one extra article held every
/// term: never zero, never infinite, and a term in every article still
/// counts a little (`ln((1 + n) / (1 + df)) + 1`), raised to `power`.
/// A power below 1 softens idf so that a story's topic words ("film",
/// "election") are not drowned by its rarest names. Both counts are first
/// rounded (`round_count`).
pub fn idf(articles: u32, df: u32, power: f32) -> f32 {
    assert!(df <= articles, "a term in {df} of {articles} articles");
    let (articles, df) = (round_count(articles), round_count(df));
    pow(((1.0 + articles as f32) / (1.0 + df as f32)).ln() + 1.0, power)
}

/// `x` (positive) to the power `y`, as `exp(y ln x)`: `powf` would ship
/// 1.6 KB of maths library to the browser, `exp` a fifth of that.
pub fn pow(x: f32, y: f32) -> f32 {
    if y == 0.5 { x.sqrt() } else { (y * x.ln()).exp() }
}

/// Whether a term is the site's furniture rather than the article's
/// matter: in more than half the articles (a copyright line, the site's
/// name, a standing heading), which says nothing about what two of them
/// share. The stored lists' whole vectors and the engine's queries both
/// leave such terms out. In a handful of articles, a word most of them use
/// is as likely their common topic, so under 10 articles it still counts.
pub fn says_nothing(df: u32, articles: u32) -> bool {
    df >= 10 && df.saturating_mul(2) > articles
}

/// A count rounded to the nearest quarter power of two past 8 (1, 2, …, 8,
/// 10, 11, 13, 16, 19, 23, 27, 32, …): idf moves by a few percent at most,
/// and a rebuild with a few more articles changes few of the numbers the
/// index stores.
pub fn round_count(count: u32) -> u32 {
    if count <= 8 {
        return count;
    }
    // The nearest quarter octave q, by comparing with the boundaries
    // between quarter octaves, 2^((q + 1/2) / 4): square roots only, which
    // WebAssembly has as an instruction, where log2 and powf would ship
    // about 3 KB of maths library to the browser.
    let count = f64::from(count);
    let mut q = 4 * (31 - (count as u32).leading_zeros()); // 4 * floor(log2)
    while quarter_octave(f64::from(q) + 0.5) <= count {
        q += 1;
    }
    (quarter_octave(f64::from(q)).round() as u32).max(9)
}

/// 2^(x / 4) for x a whole or half number of quarter octaves.
fn quarter_octave(x: f64) -> f64 {
    let eighths = (x * 2.0) as u64; // x in eighths of an octave
    // 2^(eighths / 8), whole octaves: the exponent bits of an f64, exact.
    let mut value = f64::from_bits((1023 + eighths / 8) << 52);
    let fraction = eighths % 8;
    let root2 = std::f64::consts::SQRT_2;
    let root4 = root2.sqrt();
    let root8 = root4.sqrt();
    if fraction & 4 != 0 {
        value *= root2;
    }
    if fraction & 2 != 0 {
        value *= root4;
    }
    if fraction & 1 != 0 {
        value *= root8;
    }
    value
}

/// A count as the index stores it: rounded (`round_count`), but never past
/// `total`, which rounding alone can pass (9 of 9 articles rounds to 10),
/// and which a loader rightly refuses. Capping changes no idf: `idf`
/// rounds both counts, and `round_count(total) == round_count(count)`
/// whenever `count <= total < round_count(count)`.
pub fn stored_count(count: u32, total: u32) -> u32 {
    round_count(count).min(total)
}

/// Length of a vector given by its components.
pub fn norm(weights: impl IntoIterator<Item = f32>) -> f32 {
    weights.into_iter().map(|w| w * w).sum::<f32>().sqrt()
}

/// The hash that stands for a term in the index. FNV-1a (64-bit) is tiny,
/// fast on short strings and fixed forever, which a format needs; the index
/// keeps its top `bits` bits. Storing hashes instead of the words keeps the
/// vocabulary to about one byte a term, with no word list in any file.
pub fn term_hash(term: &str, bits: u8) -> u64 {
    assert!((1..=64).contains(&bits), "hash bits out of range: {bits}");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in term.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash >> (64 - bits)
}

/// Maps weights in `[min, max]` to `levels` integer steps on a log scale, so
/// that small weights keep their relative precision, and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantizer {
    min: f32,
    max: f32,
    levels: u32,
}

impl Quantizer {
    pub fn new(min: f32, max: f32, bits: u8) -> Quantizer {
        assert!(min > 0.0 && max >= min, "a weight range must be positive and ascending");
        assert!((1..=16).contains(&bits), "weight bits out of range: {bits}");
        Quantizer { min, max, levels: 1 << bits }
    }

    /// The step for `weight`, in `0..levels`.
    pub fn quantize(&self, weight: f32) -> u32 {
        if self.max == self.min {
            return 0;
        }
        let position = (weight / self.min).ln() / (self.max / self.min).ln();
        let top = (self.levels - 1) as f32;
        (position * top).round().clamp(0.0, top) as u32
    }

    pub fn dequantize(&self, level: u32) -> f32 {
        if self.levels == 1 || self.max == self.min {
            return self.max;
        }
        let position = level.min(self.levels - 1) as f32 / (self.levels - 1) as f32;
        self.min * pow(self.max / self.min, position)
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    #[test]
    fn tf_is_sublinear() {
        assert_eq!(tf(1.0), 1.0);
        assert!((tf(10.0) - (1.0 + 10f32.ln())).abs() < 1e-6);
        assert_eq!(tf(0.5), 0.5);
    }

    #[test]
    fn idf_by_hand() {
        // 3 articles, term in 1: ln(4/2) + 1
        assert!((idf(3, 1, 1.0) - (2f32.ln() + 1.0)).abs() < 1e-6);
        assert!((idf(3, 1, 0.5) - (2f32.ln() + 1.0).sqrt()).abs() < 1e-6);
        // a term in every article still counts
        assert!((idf(3, 3, 1.0) - 1.0).abs() < 1e-6);
        assert!(idf(1000, 1, 0.5) > idf(1000, 10, 0.5));
    }

    #[test]
    fn counts_round_to_quarter_octaves_and_stay_put() {
        let rounded: Vec<u32> = [1, 8, 9, 10, 11, 12, 13, 16, 17, 100, 1000].map(round_count).to_vec();
        assert_eq!(rounded, [1, 8, 10, 10, 11, 11, 13, 16, 16, 108, 1024]);
        for count in 1..5000 {
            let once = round_count(count);
            assert_eq!(round_count(once), once, "{count}");
            assert!((f64::from(once) / f64::from(count) - 1.0).abs() < 0.12, "{count} -> {once}");
        }
    }

    /// The definition `round_count` computes without log2 and powf.
    fn round_count_by_definition(count: u32) -> u32 {
        if count <= 8 {
            return count;
        }
        let quarter_octaves = (4.0 * f64::from(count).log2()).round();
        (2f64.powf(quarter_octaves / 4.0).round() as u32).max(9)
    }

    #[test]
    fn counts_round_as_defined_at_every_boundary() {
        for count in (1..200_000).chain((0..=127).flat_map(|q| {
            // Every boundary between quarter octaves, and either side of it.
            let edge = 2f64.powf((f64::from(q) + 0.5) / 4.0) as u32;
            edge.saturating_sub(2)..edge.saturating_add(3)
        })) {
            assert_eq!(round_count(count), round_count_by_definition(count), "{count}");
        }
        assert_eq!(round_count(u32::MAX), round_count_by_definition(u32::MAX));
    }

    #[test]
    fn stored_counts_never_pass_the_total_and_keep_idf() {
        for total in 1..3000 {
            for count in (1..=total).step_by(7).chain([total]) {
                let stored = stored_count(count, total);
                assert!(stored <= total, "{count} of {total} stored as {stored}");
                assert_eq!(idf(total, stored, 0.5), idf(total, count, 0.5), "{count} of {total}");
            }
        }
        assert_eq!(stored_count(9, 9), 9);
        assert_eq!(stored_count(333, 333), 333);
    }

    #[test]
    fn hash_is_fnv1a_and_keeps_top_bits() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(term_hash("", 64), 0xcbf2_9ce4_8422_2325);
        assert_eq!(term_hash("a", 64), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(term_hash("a", 16), 0xaf63);
    }

    #[test]
    fn pow_is_powf_to_a_few_parts_in_ten_million_where_the_engine_uses_it() {
        // Dequantising (a weight range's ratio to a power in [0, 1]), idf
        // (power 0.5) and the half-life decay (0.5 to an age in half-lives).
        let cases = (0..=64).flat_map(|i| {
            let y = i as f32 / 64.0;
            [(1.0001, y), (2.0, y), (8.0, y), (100.0, y), (0.5, y * 8.0), (7.3, 0.5)]
        });
        for (x, y) in cases {
            let (got, want) = (pow(x, y), x.powf(y));
            assert!((got - want).abs() <= 4e-7 * want, "{x}^{y}: {got}, powf {want}");
        }
    }

    #[test]
    fn quantizer_round_trips_within_one_step() {
        let q = Quantizer::new(0.01, 0.5, 4);
        let step = (0.5f32 / 0.01).powf(1.0 / 15.0);
        for w in [0.01, 0.02, 0.05, 0.1, 0.3, 0.5] {
            let back = q.dequantize(q.quantize(w));
            assert!(back / w < step.sqrt() * 1.001 && w / back < step.sqrt() * 1.001, "{w} -> {back}");
        }
        assert_eq!(q.quantize(0.0001), 0);
        assert_eq!(q.quantize(9.0), 15);
    }
}
