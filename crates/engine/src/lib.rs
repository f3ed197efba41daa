//! The engine: pure Rust with no web dependencies. It loads scenarios, directives and
//! populations, checks them with located diagnostics, compiles conditions into predicates,
//! decides every (record, product) pair and aggregates the outcomes. The CLI and the app
//! are both thin layers over [`prepare`] and [`simulate::simulate`].
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod aggregate;
pub mod analysis;
pub mod check;
pub mod compile;
pub mod edit;
pub mod load;
pub mod model;
pub mod presets;
pub mod render;
pub mod simulate;
pub mod source;

use compile::{CompiledScenario, ResolveError, compile};
use load::Scenario;
use source::diagnostic::{Diagnostic, sort_diagnostics};

/// A scenario checked and compiled, ready to simulate on any date.
#[derive(Debug)]
pub struct Prepared {
    /// The scenario as loaded.
    pub scenario: Scenario,
    /// The compiled scenario, unless there were errors.
    pub compiled: Option<CompiledScenario>,
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Prepared {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Every list of rules with the name its warnings use: each directive's id, then `response`.
fn rule_owners(scenario: &Scenario) -> impl Iterator<Item = (String, &Vec<model::Rule>)> {
    scenario
        .directives
        .iter()
        .map(|d| (d.id.clone(), &d.rules))
        .chain(std::iter::once((
            "response".to_owned(),
            &scenario.response.rules,
        )))
}

/// Compiles a loaded scenario and adds the warnings that need the population: rules that
/// match no record, and rules an earlier rule always decides first.
pub fn prepare(mut scenario: Scenario) -> Prepared {
    let mut diagnostics = std::mem::take(&mut scenario.diagnostics);
    let load_failed = diagnostics.iter().any(Diagnostic::is_error);
    let (compiled, issues) = compile(&scenario);
    for (loc, issue) in &issues {
        diagnostics.push(scenario.sources.diagnostic(*loc, issue));
    }
    let compiled = compiled.filter(|_| !load_failed);
    if let Some(compiled) = &compiled {
        let matched = simulate::rules_matching_something(&scenario, compiled);
        for ((owner, rules), matched) in rule_owners(&scenario).zip(matched) {
            for (index, (rule, matched)) in rules.iter().zip(matched).enumerate() {
                if !matched && scenario.has_population && !scenario.population.is_empty() {
                    let issue = ResolveError::MatchesNoRecord {
                        directive: owner.clone(),
                        rule: index + 1,
                    };
                    diagnostics.push(scenario.sources.diagnostic(rule.when_loc, &issue));
                }
            }
        }
    }
    let names_resolved = compiled.is_some();
    for (directive, rules) in rule_owners(&scenario) {
        if !names_resolved {
            break;
        }
        for (rule, earlier) in check::shadowed_rules(rules, scenario.reading) {
            if let Some(r) = rules.get(rule) {
                let issue = ResolveError::Shadowed {
                    directive: directive.clone(),
                    rule: rule + 1,
                    earlier: earlier + 1,
                };
                diagnostics.push(scenario.sources.diagnostic(r.when_loc, &issue));
            }
        }
    }
    sort_diagnostics(&mut diagnostics);
    Prepared {
        scenario,
        compiled,
        diagnostics,
    }
}
