//! Sweeps (DESIGN §5 `cutoff sweep`): the totals at evenly spaced values of one
//! population parameter, or over a span of days cut exactly where some directive enters
//! or leaves force, so that a reader sees how the answer moves with one assumption. The
//! values and days are worked out here; each point is an ordinary simulation.

use thiserror::Error;

use super::reweigh::EveryRow;
use crate::aggregate::{Totals, simulate};
use crate::load::Scenario;
use crate::load::spec::{Adjustments, SetError};
use crate::model::date::Date;
use crate::source::diagnostic::Problem;
use crate::{Prepared, prepare};

/// Why a sweep over a parameter has no answer.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SweepError {
    /// The population is a CSV, whose weights have no named parameters.
    #[error("the population is not a population spec")]
    NoSpec,
    /// A value the parameter cannot take, or a parameter the spec does not have.
    #[error(transparent)]
    Set(#[from] SetError),
    /// The scenario cannot be simulated.
    #[error("the scenario has errors or no as-of date")]
    NotReady,
}

impl Problem for SweepError {
    fn help(&self) -> Option<String> {
        match self {
            SweepError::NoSpec => Some("a sweep changes the numbers of a `*.population.toml`; a CSV population's weights are changed in the CSV".into()),
            SweepError::Set(error) => error.help(),
            SweepError::NotReady => None,
        }
    }
}

/// What a sweep over a parameter works on: the scenario as read (its population spec as
/// written), the reader's changes to that spec, and a way to read the scenario again
/// with other changes, for a value that changes which kinds of records there are.
pub struct SweepSource<'a> {
    /// The scenario as read, without `adjustments`.
    pub scenario: Scenario,
    /// The reader's changes (`--set`, the app's sliders), kept at every value.
    pub adjustments: &'a Adjustments,
    /// The day to simulate, if not the scenario's own.
    pub as_of: Option<Date>,
    /// Reads the scenario with these changes to its spec.
    pub reload: &'a dyn Fn(&Adjustments) -> Scenario,
}

/// The totals at each of `values` of `param` (DESIGN §5 `cutoff sweep`), given to `point`
/// with the scenario they count (for its names); `prepared` sees every scenario prepared
/// on the way (for its diagnostics). Every value is checked before any is simulated. The
/// scenario is compiled once, over every kind of record its spec can expand to, and each
/// value only re-weighs those records (the totals are exactly those of the expanded
/// population, see [`EveryRow`]); a value that adds kinds of records or empties a segment
/// is read and simulated in full.
pub fn sweep_parameter(
    source: SweepSource<'_>,
    param: &str,
    values: &[f64],
    prepared: &mut dyn FnMut(&Prepared),
    point: &mut dyn FnMut(f64, &Scenario, &Totals),
) -> Result<(), SweepError> {
    let SweepSource {
        mut scenario,
        adjustments,
        as_of,
        reload,
    } = source;
    let spec = scenario.population_spec.clone().ok_or(SweepError::NoSpec)?;
    let mut adjusted = Vec::new();
    for &value in values {
        let mut changes = adjustments.clone();
        changes.set(&spec, &format!("{param}={value}"))?;
        let mut at = spec.clone();
        at.adjust(&changes);
        adjusted.push((value, changes, at));
    }
    // The kinds of records are those of the spec with the reader's changes.
    let mut start = spec.clone();
    start.adjust(adjustments);
    scenario.population_spec = Some(start);
    let first = prepare(scenario);
    prepared(&first);
    let day = first.ready(as_of).ok_or(SweepError::NotReady)?.1;
    let mut rows = EveryRow::new(first.scenario);
    for (value, changes, at) in adjusted {
        if let Some(rows) = rows.as_mut()
            && let Some(totals) = rows.totals(&at, day)
        {
            point(value, &rows.scenario, &totals);
            continue;
        }
        let full = prepare(reload(&changes));
        prepared(&full);
        let (compiled, day) = full.ready(as_of).ok_or(SweepError::NotReady)?;
        let totals = simulate(&full.scenario, compiled, day, |_| {});
        point(value, &full.scenario, &totals);
    }
    Ok(())
}

/// `steps + 1` evenly spaced values from `from` to `to`, both included (only `from` when
/// `steps` is 0).
pub fn even_values(from: f64, to: f64, steps: usize) -> Vec<f64> {
    if steps == 0 {
        return vec![from];
    }
    (0..=steps)
        .map(|i| {
            if i == steps {
                to
            } else {
                from + (to - from) * i as f64 / steps as f64
            }
        })
        .collect()
}

/// Every day on which a directive of the scenario or of its baseline enters force
/// (`effective`) or leaves it (`expires`, the first day it is no longer in force),
/// sorted, each once.
pub fn change_days(scenario: &Scenario) -> Vec<Date> {
    let baseline = scenario.baseline.iter().flat_map(|b| &b.directives);
    let mut days: Vec<Date> = scenario
        .directives
        .iter()
        .chain(baseline)
        .flat_map(|d| [d.effective, d.expires])
        .flatten()
        .collect();
    crate::source::ordering::sort(&mut days);
    days.dedup();
    days
}

/// The spans of days from `from` to `to` (both included) over which no directive enters
/// or leaves force: each `(first, last)` day, both included, in order. Empty when `to`
/// is before `from`.
pub fn day_intervals(changes: &[Date], from: Date, to: Date) -> Vec<(Date, Date)> {
    if to < from {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = from;
    for &day in changes.iter().filter(|d| from < **d && **d <= to) {
        let last = day.add_days(-1).unwrap_or(start);
        out.push((start, last));
        start = day;
    }
    out.push((start, to));
    out
}

/// The sweep JSON over a parameter: `{"param", "points": [{"value", "totals"}]}`.
pub fn sweep_json(param: &str, points: Vec<(f64, serde_json::Value)>) -> serde_json::Value {
    let points: Vec<serde_json::Value> = points
        .into_iter()
        .map(|(value, totals)| serde_json::json!({"value": value, "totals": totals}))
        .collect();
    serde_json::json!({"param": param, "points": points})
}

/// The sweep JSON over days: `{"param": "as_of", "points": [{"from", "to", "totals"}]}`.
pub fn day_sweep_json(points: Vec<((Date, Date), serde_json::Value)>) -> serde_json::Value {
    let points: Vec<serde_json::Value> = points
        .into_iter()
        .map(|((from, to), totals)| {
            serde_json::json!({"from": from.to_string(), "to": to.to_string(), "totals": totals})
        })
        .collect();
    serde_json::json!({"param": "as_of", "points": points})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    #[test]
    fn even_values_include_both_ends() {
        assert_eq!(even_values(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(even_values(5.0, 5.0, 0), vec![5.0]);
        assert_eq!(even_values(0.1, 0.3, 2).last(), Some(&0.3));
    }

    #[test]
    fn intervals_cut_on_change_days_only_inside_the_span() {
        let changes = [day("2026-04-01"), day("2027-04-01"), day("2030-01-01")];
        let spans = day_intervals(&changes, day("2026-01-01"), day("2027-12-31"));
        assert_eq!(
            spans,
            vec![
                (day("2026-01-01"), day("2026-03-31")),
                (day("2026-04-01"), day("2027-03-31")),
                (day("2027-04-01"), day("2027-12-31")),
            ]
        );
        // A change on the first day does not cut; one on the last day makes a one-day span.
        let spans = day_intervals(&changes, day("2026-04-01"), day("2027-04-01"));
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[1], (day("2027-04-01"), day("2027-04-01")));
        assert!(day_intervals(&changes, day("2027-01-01"), day("2026-01-01")).is_empty());
    }

    #[test]
    fn change_days_come_from_directives_and_the_baseline() {
        use crate::load::{NativeFileSystem, load_scenario_file};
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/campus/");
        let scenario = load_scenario_file(
            &format!("{root}with-baseline.scenario.toml"),
            &NativeFileSystem,
        );
        let days = change_days(&scenario);
        assert!(days.contains(&day("2026-04-01")), "{days:?}");
        assert!(days.contains(&day("2027-04-01")), "{days:?}");
        assert!(days.windows(2).all(|w| w[0] < w[1]));
    }
}
