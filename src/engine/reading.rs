//! The two legal readings of "non-U.S. persons" (DESIGN §3), written once in the condition
//! language so that compilation, static analysis and the "why" panel all expand the same
//! text. `us_person` is 15 CFR 772.1's "U.S. person"; `foreign_person` is its "foreign
//! person", the test of deemed exports. A foreign national living in the United States
//! is both, and that is exactly where the two readings of a directive differ.

use super::condition::{Cond, parse};

/// Which definition of `us_person` a document was written under.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Reading {
    /// Contract 2: `us_person` as 15 CFR 772.1 defines it.
    #[default]
    Part772,
    /// Contract 1: `us_person` was `not foreign_person` (status alone decided it); links and
    /// autosaves made then keep the numbers they had.
    Contract1,
}

impl Reading {
    /// The `contract` number a scenario file writes for this reading.
    pub fn contract(self) -> i64 {
        match self {
            Reading::Part772 => 2,
            Reading::Contract1 => 1,
        }
    }

    /// The reading of a `contract` number.
    pub fn of_contract(contract: i64) -> Option<Reading> {
        match contract {
            1 => Some(Reading::Contract1),
            2 => Some(Reading::Part772),
            _ => None,
        }
    }
}

/// `us_person` under 15 CFR 772.1: a citizen, permanent resident or protected individual
/// wherever they live; any person in the United States; an entity organised under U.S.
/// law, its offices abroad included.
pub const US_PERSON: &str = r#"status in ["citizen", "permanent_resident", "protected"] or residence in group("united-states") or (status == "entity" and nationality in group("united-states"))"#;

/// `foreign_person` under 15 CFR 772.1: an individual who is a foreign national, wherever
/// they live, and an entity not organised under U.S. law.
pub const FOREIGN_PERSON: &str = r#"status == "foreign_national" or (status == "entity" and nationality not in group("united-states"))"#;

/// `us_person` as contract 1 computed it.
pub const US_PERSON_CONTRACT_1: &str = "not foreign_person";

/// The names of the two boolean attributes.
pub const BOOLEAN_ATTRIBUTES: [&str; 2] = ["us_person", "foreign_person"];

/// The condition a boolean attribute stands for under `reading`, or `None` for any other
/// name.
pub fn definition(name: &str, reading: Reading) -> Option<Cond> {
    let text = match (name, reading) {
        ("us_person", Reading::Part772) => US_PERSON,
        ("us_person", Reading::Contract1) => US_PERSON_CONTRACT_1,
        ("foreign_person", _) => FOREIGN_PERSON,
        _ => return None,
    };
    parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_parses() {
        for name in BOOLEAN_ATTRIBUTES {
            for reading in [Reading::Part772, Reading::Contract1] {
                assert!(definition(name, reading).is_some(), "{name} {reading:?}");
            }
        }
        assert!(definition("segment", Reading::Part772).is_none());
    }
}
