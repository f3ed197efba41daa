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

use compile::{CompiledScenario, compile};
use load::Scenario;
use model::date::Date;
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

    /// The compiled scenario and the day to simulate (`as_of`, else the scenario's own),
    /// when it can run: it compiled, it has a day, and nothing is an error.
    pub fn ready(&self, as_of: Option<Date>) -> Option<(&CompiledScenario, Date)> {
        let compiled = self.compiled.as_ref().filter(|_| !self.has_errors())?;
        Some((compiled, as_of.or(self.scenario.as_of)?))
    }
}

/// Every list of rules with the name its warnings use: each directive's id, then `response`.
fn rule_lists(scenario: &Scenario) -> Vec<check::RuleList<'_>> {
    scenario
        .directives
        .iter()
        .map(|d| check::RuleList {
            owner: d.id.clone(),
            rules: &d.rules,
        })
        .chain(std::iter::once(check::RuleList {
            owner: "response".to_owned(),
            rules: &scenario.response.rules,
        }))
        .collect()
}

/// Compiles a loaded scenario and adds the checks' warnings: rules that match no record
/// (which needs the compiled scenario and the population), and rules an earlier rule
/// always decides first (which needs the names resolved).
pub fn prepare(mut scenario: Scenario) -> Prepared {
    let mut diagnostics = std::mem::take(&mut scenario.diagnostics);
    let load_failed = diagnostics.iter().any(Diagnostic::is_error);
    let (compiled, issues) = compile(&scenario);
    for (loc, issue) in &issues {
        diagnostics.push(scenario.sources.diagnostic(*loc, issue));
    }
    let compiled = compiled.filter(|_| !load_failed);
    let lists = rule_lists(&scenario);
    let mut warnings = Vec::new();
    if let Some(compiled) = &compiled
        && scenario.has_population
        && !scenario.population.is_empty()
    {
        let matched = simulate::rules_matching_something(&scenario, compiled);
        warnings.extend(check::matching_nothing(&lists, &matched));
    }
    if compiled.is_some() {
        warnings.extend(check::shadowed(&lists, scenario.reading));
    }
    for (loc, warning) in &warnings {
        diagnostics.push(scenario.sources.diagnostic(*loc, warning));
    }
    drop(lists);
    sort_diagnostics(&mut diagnostics);
    Prepared {
        scenario,
        compiled,
        diagnostics,
    }
}
