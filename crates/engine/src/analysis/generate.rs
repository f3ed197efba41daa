//! Synthetic populations for scale tests and benchmarks: deterministic for a seed.

use crate::model::population::{WRITTEN_COLUMNS, csv_writer};

/// A small, fast, seedable generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// Picks from weighted choices.
    pub fn weighted<'a, T>(&mut self, choices: &'a [(T, u32)]) -> Option<&'a T> {
        let total: u64 = choices.iter().map(|(_, w)| u64::from(*w)).sum();
        if total == 0 {
            return None;
        }
        let mut pick = self.next_u64() % total;
        for (item, weight) in choices {
            if pick < u64::from(*weight) {
                return Some(item);
            }
            pick -= u64::from(*weight);
        }
        choices.last().map(|(item, _)| item)
    }
}

const SEGMENTS: [(&str, u32); 3] = [("customer", 80), ("employee", 8), ("researcher", 12)];
const COUNTRIES: [(&str, u32); 17] = [
    ("US", 30),
    ("PR", 1),
    ("IN", 14),
    ("CN", 9),
    ("BR", 6),
    ("GB", 5),
    ("DE", 4),
    ("JP", 4),
    ("CA", 3),
    ("FR", 3),
    ("KR", 3),
    ("RU", 3),
    ("VN", 2),
    ("MX", 2),
    ("AE", 1),
    ("IR", 1),
    ("TW", 2),
];
const SECTORS: [(&str, u32); 6] = [
    ("software", 40),
    ("security", 10),
    ("finance", 12),
    ("education", 15),
    ("government", 8),
    ("health", 15),
];
const PRODUCTS: [(&str, u32); 3] = [("fable-5", 50), ("mythos-5", 30), ("fable-5;mythos-5", 20)];

/// The benchmark scenario (`benches/scenario.toml`); its population is `people.csv`.
pub const BENCH_SCENARIO: &str = include_str!("../../benches/scenario.toml");

/// A population CSV of `records` rows in the DESIGN §2 format, using products `fable-5`
/// and `mythos-5`. The same seed always gives the same text.
pub fn generate_population(records: usize, seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let mut out = csv_writer();
    let _ = out.write_record(WRITTEN_COLUMNS);
    for index in 0..records {
        let segment = rng.weighted(&SEGMENTS).copied().unwrap_or("customer");
        let nationality = rng.weighted(&COUNTRIES).copied().unwrap_or("US");
        let residence = if rng.below(10) < 7 {
            nationality
        } else {
            rng.weighted(&COUNTRIES).copied().unwrap_or("US")
        };
        // One customer account in ten is an organisation: its nationality is where it is
        // organised, its residence the office that uses the product.
        let entity = segment == "customer" && rng.below(10) == 0;
        let status = match (entity, nationality, residence, rng.below(20)) {
            (true, ..) => "entity",
            (_, "US" | "PR", _, _) => "citizen",
            (_, _, "US" | "PR", 0..=5) => "permanent_resident",
            (_, _, "US" | "PR", 6) => "protected",
            _ => "foreign_national",
        };
        let sector = rng.weighted(&SECTORS).copied().unwrap_or("software");
        let products = rng.weighted(&PRODUCTS).copied().unwrap_or("fable-5");
        let weight = 1 + rng.below(50);
        let (id, weight) = (format!("g{index}"), weight.to_string());
        let row = [
            id.as_str(),
            segment,
            nationality,
            residence,
            status,
            sector,
            products,
            weight.as_str(),
        ];
        let _ = out.write_record(row);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_per_seed() {
        assert_eq!(generate_population(50, 7), generate_population(50, 7));
        assert_ne!(generate_population(50, 7), generate_population(50, 8));
        assert_eq!(generate_population(50, 7).lines().count(), 51);
    }
}
