//! Sweeps (DESIGN §5 `cutoff sweep`): the totals at evenly spaced values of one
//! population parameter, or over a span of days cut exactly where some directive enters
//! or leaves force, so that a reader sees how the answer moves with one assumption. The
//! values and days are worked out here; each point is an ordinary simulation.

use crate::load::Scenario;
use crate::model::date::Date;

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
    days.sort();
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
