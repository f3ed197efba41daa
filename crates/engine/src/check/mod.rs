//! Checks of rules beyond what compiling needs, each a warning: a rule that an earlier
//! rule of the same directive always decides first (found statically, over value
//! classes), and a rule whose condition holds for no pair it could decide (found from
//! the population). Neither changes a number; both point at a rule that does nothing.

mod shadowing;

pub use shadowing::{expand_readings, implies, shadowed_rules};

use thiserror::Error;

use crate::model::Rule;
use crate::model::reading::Reading;
use crate::source::Loc;
use crate::source::diagnostic::{Problem, Severity};

/// A rule that does nothing.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum CheckWarning {
    /// A rule whose condition holds for no record of the population.
    #[error("rule {rule} of `{directive}` matches no record of the population")]
    MatchesNoRecord {
        /// The directive (or `response`).
        directive: String,
        /// The 1-based rule index.
        rule: usize,
    },
    /// A rule that an earlier rule always decides first.
    #[error(
        "rule {rule} of `{directive}` can never match: rule {earlier} matches everything it matches"
    )]
    Shadowed {
        /// The directive (or `response`).
        directive: String,
        /// The 1-based rule index.
        rule: usize,
        /// The 1-based index of the earlier rule.
        earlier: usize,
    },
}

impl Problem for CheckWarning {
    fn help(&self) -> Option<String> {
        Some(match self {
            CheckWarning::MatchesNoRecord { .. } => {
                "check its values against the population, or remove the rule".into()
            }
            CheckWarning::Shadowed { .. } => "move it above the earlier rule, or remove it".into(),
        })
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }
}

/// One list of rules with the name its warnings use: a directive's id, or `response`.
pub struct RuleList<'a> {
    /// The directive's id, or `response`.
    pub owner: String,
    /// Its rules, in order.
    pub rules: &'a [Rule],
}

/// Rules an earlier rule always decides first, with `us_person` and `foreign_person` read
/// as `reading` defines them.
pub fn shadowed(lists: &[RuleList<'_>], reading: Reading) -> Vec<(Loc, CheckWarning)> {
    let mut warnings = Vec::new();
    for list in lists {
        for (rule, earlier) in shadowed_rules(list.rules, reading) {
            if let Some(r) = list.rules.get(rule) {
                let warning = CheckWarning::Shadowed {
                    directive: list.owner.clone(),
                    rule: rule + 1,
                    earlier: earlier + 1,
                };
                warnings.push((r.when_loc, warning));
            }
        }
    }
    warnings
}

/// Rules that match no record, given for each list whether each rule's condition holds
/// for at least one pair it could decide.
pub fn matching_nothing(lists: &[RuleList<'_>], matched: &[Vec<bool>]) -> Vec<(Loc, CheckWarning)> {
    let mut warnings = Vec::new();
    for (list, matched) in lists.iter().zip(matched) {
        for (index, (rule, matched)) in list.rules.iter().zip(matched).enumerate() {
            if !matched {
                let warning = CheckWarning::MatchesNoRecord {
                    directive: list.owner.clone(),
                    rule: index + 1,
                };
                warnings.push((rule.when_loc, warning));
            }
        }
    }
    warnings
}
