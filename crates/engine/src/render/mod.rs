//! Writes results for people and programs: the `--totals` JSON, the `--decisions` CSV and
//! numbers as people read them.

pub mod decisions;
pub mod numbers;
pub mod totals;
