//! The two legal readings of "non-U.S. persons" (DESIGN §3), written once in the condition
//! language so that compilation, static analysis and the "why" panel all expand the same
//! text. `us_person` is 15 CFR 772.1's "U.S. person"; `foreign_person` is its "foreign
//! person", the test of deemed exports. A foreign national living in the United States
//! is both, and that is exactly where the two readings of a directive differ.

use crate::model::condition::{Cond, CondKind, parse};
use crate::model::population::{Population, Status};
use crate::model::reference::{CountryId, reference};

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

/// Whether a condition names the boolean attribute `name` anywhere.
pub fn names(cond: &Cond, name: &str) -> bool {
    match &cond.kind {
        CondKind::Or(a, b) | CondKind::And(a, b) => names(a, name) || names(b, name),
        CondKind::Not(a) => names(a, name),
        CondKind::Attr(attr) => attr.name == name,
        CondKind::Bool(_) | CondKind::Compare { .. } | CondKind::In { .. } => false,
    }
}

/// Where the two readings part: the weight of records that are both a U.S. person and a
/// foreign person — foreign nationals in the United States, and offices in the United
/// States of organisations organised elsewhere. Contract 1's reading has no such records.
pub fn both_readings_weight(population: &Population, reading: Reading) -> f64 {
    if reading == Reading::Contract1 {
        return 0.0;
    }
    let reference = reference();
    let in_us = |id: CountryId| reference.in_united_states(reference.code(id));
    population
        .status()
        .iter()
        .zip(population.residence())
        .zip(population.nationality())
        .zip(population.weight())
        .filter(|(((status, residence), nationality), _)| {
            in_us(**residence)
                && match status {
                    Status::ForeignNational => true,
                    Status::Entity => !in_us(**nationality),
                    _ => false,
                }
        })
        .map(|(_, weight)| weight)
        .sum()
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
