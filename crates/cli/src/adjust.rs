//! `--set PARAM=VALUE` on `simulate`, `bench` and `sweep`: a scenario loaded with its
//! population spec changed the way `cutoff population --set` changes it.

use cutoff_engine::load::spec::{Adjustments, SetError};
use cutoff_engine::load::{self, NativeFileSystem, Scenario};
use cutoff_engine::source::diagnostic::Problem;
use cutoff_engine::{Prepared, prepare};

use crate::load_prepared;

/// A `--set` error with its help, as the CLI prints it.
pub(crate) fn set_error(error: SetError) -> String {
    let help = error
        .help()
        .map(|h| format!("\n  = help: {h}"))
        .unwrap_or_default();
    format!("error: {error}{help}")
}

/// A scenario's text, the scenario as read (without `sets`, so that it need not be read
/// again), and the adjustments `sets` make to its population spec.
pub(crate) struct Base {
    pub text: String,
    pub scenario: Scenario,
    pub adjustments: Adjustments,
}

/// Reads the scenario at `path` and applies `sets` to its spec; `--set` on a scenario
/// whose population is not a spec is an error.
pub(crate) fn base(path: &str, sets: &[String]) -> Result<Base, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read `{path}`: {e}"))?;
    let scenario = load::load_scenario(path, &text, &NativeFileSystem);
    // A scenario that cannot be read reports why when it is simulated.
    let unreadable = scenario.has_errors() && scenario.population_spec.is_none();
    let mut adjustments = Adjustments::default();
    if let Some(first) = sets.first().filter(|_| !unreadable) {
        let Some(spec) = &scenario.population_spec else {
            return Err(no_spec(path, &format!("--set {first}")));
        };
        for set in sets {
            adjustments.set(spec, set).map_err(set_error)?;
        }
    }
    Ok(Base {
        text,
        scenario,
        adjustments,
    })
}

/// The error for `option` (`--set …`, `--param …`) on a scenario without a population
/// spec.
pub(crate) fn no_spec(path: &str, option: &str) -> String {
    format!(
        "error: `{option}` needs a population spec, but the population of `{path}` is not one\n  = help: `--set` and `--param` change the numbers of a `*.population.toml`; a CSV population's weights are changed in the CSV"
    )
}

/// The scenario at `path` loaded and compiled with `sets` applied to its spec.
pub(crate) fn load_adjusted(path: &str, sets: &[String]) -> Result<Prepared, String> {
    if sets.is_empty() {
        return Ok(load_prepared(path));
    }
    let base = base(path, sets)?;
    Ok(prepare(load::load_scenario_adjusted(
        path,
        &base.text,
        &NativeFileSystem,
        &base.adjustments,
    )))
}
