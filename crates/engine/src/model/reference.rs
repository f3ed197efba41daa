//! Reference data compiled into the engine: every ISO 3166-1 country and the built-in
//! country groups (EAR Country Groups, the AI Diffusion tiers, the EU), each with its
//! source and date. `scripts/build_reference.py` builds the two data files from their
//! sources.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Index of a country in [`Reference::countries`].
pub type CountryId = u16;

/// How many countries a [`CountrySet`] can hold.
pub const MAX_COUNTRIES: usize = 256;

/// A set of countries as a bitset, for fast membership tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CountrySet([u64; MAX_COUNTRIES / 64]);

impl CountrySet {
    /// Adds a country.
    pub fn insert(&mut self, id: CountryId) {
        let id = usize::from(id);
        if let Some(word) = self.0.get_mut(id / 64) {
            *word |= 1 << (id % 64);
        }
    }

    /// Whether the set holds the country.
    #[inline]
    pub fn contains(&self, id: CountryId) -> bool {
        let id = usize::from(id);
        self.0
            .get(id / 64)
            .is_some_and(|word| word >> (id % 64) & 1 == 1)
    }

    /// Adds every country of `other`.
    pub fn union_with(&mut self, other: &CountrySet) {
        for (word, theirs) in self.0.iter_mut().zip(other.0) {
            *word |= theirs;
        }
    }

    /// The members, in id order.
    pub fn iter(&self) -> impl Iterator<Item = CountryId> + '_ {
        (0..MAX_COUNTRIES)
            .filter_map(|i| CountryId::try_from(i).ok())
            .filter(|&id| self.contains(id))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    /// Whether it has no members.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&word| word == 0)
    }
}

/// One country.
#[derive(Clone, Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, upper-case.
    pub alpha2: String,
    /// ISO 3166-1 alpha-3 code.
    pub alpha3: String,
    /// ISO 3166-1 numeric code, as three digits (empty for user-assigned codes).
    pub numeric: String,
    /// English short name.
    pub name: String,
}

/// A named set of countries with the source it comes from.
#[derive(Clone, Debug, Deserialize)]
pub struct Group {
    /// The name used in `group("...")`.
    pub id: String,
    /// A human label.
    pub label: String,
    /// Where the membership comes from.
    pub source: String,
    /// The date of the text used.
    pub date: String,
    /// Members as alpha-2 codes.
    pub members: Vec<String>,
    /// Caveats shown beside the group.
    pub notes: Vec<String>,
    /// Members as a set.
    #[serde(skip)]
    pub set: CountrySet,
}

/// The compiled-in countries and groups.
#[derive(Debug, Default)]
pub struct Reference {
    /// Every country, sorted by alpha-2 code.
    pub countries: Vec<Country>,
    /// The built-in groups.
    pub groups: Vec<Group>,
    /// Each country at its alpha-2 code's slot (`alpha2_slot`): a million-row file looks
    /// up two codes a row, and an index is several times faster than hashing.
    by_alpha2: Vec<Option<CountryId>>,
    by_alias: HashMap<String, CountryId>,
}

/// How many two-letter codes there are.
const ALPHA2_SLOTS: usize = 26 * 26;

/// The slot of a two-letter code in either case, or `None` for anything else.
fn alpha2_slot(code: &str) -> Option<usize> {
    let &[first, second] = code.as_bytes() else {
        return None;
    };
    let letter = |b: u8| {
        let index = b.to_ascii_uppercase().wrapping_sub(b'A');
        (index < 26).then_some(usize::from(index))
    };
    Some(letter(first)? * 26 + letter(second)?)
}

const COUNTRIES_CSV: &str = include_str!("reference/countries.csv");
const GROUPS_JSON: &str = include_str!("reference/groups.json");

/// Codes and names people write for a country that are not its alpha-2 code.
const ALIASES: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("el", "GR"),
    ("britain", "GB"),
    ("great britain", "GB"),
    ("england", "GB"),
    ("usa", "US"),
    ("america", "US"),
    ("united states of america", "US"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("north korea", "KP"),
    ("russia", "RU"),
    ("china", "CN"),
    ("prc", "CN"),
    ("iran", "IR"),
    ("syria", "SY"),
    ("taiwan", "TW"),
    ("vietnam", "VN"),
    ("burma", "MM"),
    ("macao", "MO"),
    ("macau", "MO"),
    ("hong kong", "HK"),
    ("turkey", "TR"),
    ("uae", "AE"),
    ("czechia", "CZ"),
];

impl Reference {
    fn load() -> Reference {
        let mut reference = Reference {
            by_alpha2: vec![None; ALPHA2_SLOTS],
            ..Reference::default()
        };
        for line in COUNTRIES_CSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
        {
            let mut fields = line.splitn(4, ',');
            let (Some(alpha2), Some(alpha3), Some(numeric), Some(name)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(id) = CountryId::try_from(reference.countries.len()) else {
                break;
            };
            let slot = alpha2_slot(alpha2).and_then(|i| reference.by_alpha2.get_mut(i));
            if let Some(slot) = slot {
                *slot = Some(id);
            }
            reference.by_alias.insert(alpha3.to_lowercase(), id);
            reference
                .by_alias
                .insert(name.trim_matches('"').to_lowercase(), id);
            reference.countries.push(Country {
                alpha2: alpha2.to_owned(),
                alpha3: alpha3.to_owned(),
                numeric: numeric.to_owned(),
                name: name.trim_matches('"').to_owned(),
            });
        }
        for (alias, code) in ALIASES {
            if let Some(id) = reference.country(code) {
                reference.by_alias.insert((*alias).to_owned(), id);
            }
        }
        let mut groups: Vec<Group> = serde_json::from_str(GROUPS_JSON).unwrap_or_default();
        for group in &mut groups {
            for member in &group.members {
                if let Some(id) = reference.country(member) {
                    group.set.insert(id);
                }
            }
        }
        reference.groups = groups;
        reference
    }

    /// The country with this alpha-2 code (case-insensitive).
    pub fn country(&self, code: &str) -> Option<CountryId> {
        self.by_alpha2.get(alpha2_slot(code)?).copied().flatten()
    }

    /// The country's record.
    pub fn country_info(&self, id: CountryId) -> Option<&Country> {
        self.countries.get(usize::from(id))
    }

    /// The alpha-2 code of a country id ("??" if out of range).
    pub fn code(&self, id: CountryId) -> &str {
        self.country_info(id).map_or("??", |c| c.alpha2.as_str())
    }

    /// The country someone probably meant by a code or name that is not an alpha-2 code:
    /// `UK` means `GB`, `DEU` and `Germany` mean `DE`.
    pub fn suggest_country(&self, wrong: &str) -> Option<&Country> {
        let key = wrong.trim().to_lowercase();
        let id = self.by_alias.get(&key).copied().or_else(|| {
            // A misspelt name: the nearest name of four letters or more.
            if key.chars().count() < 4 {
                return None;
            }
            let names = self.countries.iter().map(|c| c.name.as_str());
            let name = crate::source::suggest::nearest(&key, names)?;
            self.by_alias.get(&name.to_lowercase()).copied()
        })?;
        self.country_info(id)
    }

    /// The built-in group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Whether a country code is part of the United States as 15 CFR 772.1 defines it
    /// (the States, Puerto Rico and the territories: group `united-states`).
    pub fn in_united_states(&self, code: &str) -> bool {
        self.group(UNITED_STATES)
            .is_some_and(|g| g.members.iter().any(|m| m.eq_ignore_ascii_case(code)))
    }
}

/// The built-in group of the United States and its territories.
pub const UNITED_STATES: &str = "united-states";

/// The reference data, loaded once.
pub fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(Reference::load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_two_letter_codes_in_either_case_and_nothing_else() {
        let reference = reference();
        let us = reference.country("US");
        assert!(us.is_some());
        assert_eq!(reference.country("us"), us);
        assert_eq!(reference.country("uS"), us);
        assert_eq!(reference.code(us.unwrap_or_default()), "US");
        for not_a_code in ["", "U", "USA", "U1", "1U", "ÜS", "ZZ"] {
            assert_eq!(reference.country(not_a_code), None, "{not_a_code}");
        }
    }

    #[test]
    fn loads_every_country_and_group() {
        let reference = reference();
        assert_eq!(reference.countries.len(), 250);
        assert!(reference.countries.len() <= MAX_COUNTRIES);
        let ids: Vec<&str> = reference.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "A:1",
                "A:2",
                "A:3",
                "A:4",
                "A:5",
                "A:6",
                "B",
                "D:1",
                "D:2",
                "D:3",
                "D:4",
                "D:5",
                "E:1",
                "E:2",
                "tier1",
                "tier2",
                "tier3",
                "EU",
                "united-states"
            ]
        );
        for group in &reference.groups {
            assert_eq!(group.set.len(), group.members.len(), "group {}", group.id);
            assert!(!group.source.is_empty() && !group.date.is_empty());
        }
    }

    #[test]
    fn handles_the_documented_caveats() {
        let reference = reference();
        let has = |group: &str, code: &str| {
            let id = reference.country(code).unwrap_or(CountryId::MAX);
            reference.group(group).is_some_and(|g| g.set.contains(id))
        };
        assert!(!has("D:5", "MO"), "Macau is not in D:5");
        assert!(has("tier3", "MO"), "Tier 3 is D:5 plus Macau");
        assert!(has("D:5", "HK"), "Hong Kong is treated as China");
        assert!(has("D:5", "CN") && has("D:5", "NI") && !has("D:5", "KH"));
        assert!(has("A:5", "AE"));
        assert!(has("B", "LI"));
        assert!(has("tier1", "US") && has("tier1", "TW") && !has("tier2", "US"));
        assert!(has("tier2", "IN") && !has("tier2", "CN"));
        let tiers: usize = ["tier1", "tier2", "tier3"]
            .iter()
            .filter_map(|t| reference.group(t))
            .map(|g| g.set.len())
            .sum();
        assert_eq!(
            tiers,
            reference.countries.len(),
            "the tiers partition the world"
        );
        assert_eq!(reference.group("EU").map(|g| g.set.len()), Some(27));
    }

    #[test]
    fn suggests_codes_for_common_mistakes() {
        let reference = reference();
        let suggest = |s: &str| reference.suggest_country(s).map(|c| c.alpha2.as_str());
        assert_eq!(suggest("UK"), Some("GB"));
        assert_eq!(suggest("DEU"), Some("DE"));
        assert_eq!(suggest("Germany"), Some("DE"));
        assert_eq!(suggest("Germnay"), Some("DE"));
        assert_eq!(suggest("QQ"), None);
    }
}
