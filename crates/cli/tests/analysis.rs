//! `cutoff sweep` and `cutoff simulate --range` agree with plain `cutoff simulate --set`:
//! a sweep's points are the totals `simulate` gives at the same values (and, over days, on
//! the first and last day of each span); `--range`'s extremes are the counts `simulate
//! --set` gives at the corners it reports, and points inside the bounds fall between them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const FRIDAY: &str = "policies/friday-letter/complies-exactly.scenario.toml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cutoff-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Runs `cutoff` in the workspace root and reads the JSON it writes to `out`.
fn run_json(args: &[&str], out: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_cutoff"))
        .current_dir(root())
        .args(args)
        .arg(out)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
    let text = std::fs::read_to_string(out).expect("writes its JSON");
    serde_json::from_str(&text).expect("valid JSON")
}

/// `simulate SCENARIO --set …` totals, with `extra` arguments.
fn simulated(scenario: &str, sets: &[(String, f64)], extra: &[&str], name: &str) -> Value {
    let assignments: Vec<String> = sets.iter().map(|(p, v)| format!("{p}={v}")).collect();
    let mut args = vec!["simulate", scenario];
    for assignment in &assignments {
        args.extend(["--set", assignment.as_str()]);
    }
    args.extend(extra);
    args.push("--totals");
    run_json(&args, &temp(name))
}

#[test]
fn sweep_points_are_the_totals_of_simulate_set() {
    for (param, from, to) in [
        ("employee.foreign_share", "0", "0.5"),
        ("customer.status_in_us.foreign_national", "1.5", "4"),
    ] {
        let sweep = run_json(
            &[
                "sweep", FRIDAY, "--param", param, "--from", from, "--to", to, "--steps", "2",
                "--json",
            ],
            &temp("sweep.json"),
        );
        assert_eq!(sweep["param"], param);
        let points = sweep["points"].as_array().expect("points");
        assert_eq!(points.len(), 3);
        for point in points {
            let value = point["value"].as_f64().expect("a value");
            let totals = simulated(FRIDAY, &[(param.to_owned(), value)], &[], "set.json");
            assert_eq!(point["totals"], totals, "{param}={value}");
        }
    }
}

/// With `--set`, the scenario is read once and every point keeps the set: each point is
/// `simulate` with both the set and the point's value; a set that adds a kind of record
/// (a U.S. share on a segment that had no one there) is followed too.
#[test]
fn sweep_points_with_set_are_the_totals_of_simulate_with_both() {
    for (set, value) in [("customer.size", 120_000.0), ("employee.us_share", 0.5)] {
        let assignment = format!("{set}={value}");
        let sweep = run_json(
            &[
                "sweep",
                FRIDAY,
                "--set",
                &assignment,
                "--param",
                "researcher.foreign_share",
                "--from",
                "0.2",
                "--to",
                "0.8",
                "--steps",
                "2",
                "--json",
            ],
            &temp("sweep-set.json"),
        );
        for point in sweep["points"].as_array().expect("points") {
            let at = point["value"].as_f64().expect("a value");
            let sets = [
                (set.to_owned(), value),
                ("researcher.foreign_share".to_owned(), at),
            ];
            let totals = simulated(FRIDAY, &sets, &[], "set-both.json");
            assert_eq!(point["totals"], totals, "{assignment}, researcher at {at}");
        }
    }
}

#[test]
fn day_sweep_spans_are_constant_and_cut_where_directives_change() {
    let scenario = "policies/campus/with-baseline.scenario.toml";
    let sweep = run_json(
        &[
            "sweep",
            scenario,
            "--param",
            "as_of",
            "--from",
            "2026-01-01",
            "--to",
            "2027-12-31",
            "--json",
        ],
        &temp("days.json"),
    );
    let points = sweep["points"].as_array().expect("points");
    let spans: Vec<(&str, &str)> = points
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap_or(""),
                p["to"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("2026-01-01", "2026-01-14"),
            ("2026-01-15", "2026-03-31"),
            ("2026-04-01", "2027-03-31"),
            ("2027-04-01", "2027-12-31"),
        ]
    );
    for point in points {
        for day in ["from", "to"] {
            let day = point[day].as_str().expect("a day");
            let totals = simulated(scenario, &[], &["--as-of", day], "day.json");
            assert_eq!(point["totals"], totals, "{day}");
        }
    }
}

/// The box's corners as `--range` reports them, per segment.
fn corner(range: &Value, segment: &str, which: &str) -> Vec<(String, f64)> {
    range["people"][segment]["lose_any"][which]
        .as_object()
        .expect("a corner")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().expect("a number")))
        .collect()
}

#[test]
fn range_extremes_are_simulate_at_their_corners_and_bound_inner_points() {
    let range = run_json(
        &["simulate", FRIDAY, "--range", "--json"],
        &temp("range.json"),
    );
    let people = range["people"].as_object().expect("people");
    let params: Vec<(String, f64, f64)> = range["params"]
        .as_object()
        .expect("params")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v[0].as_f64().unwrap_or(0.0),
                v[1].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    assert_eq!(params.len(), 22);
    for segment in people.keys() {
        for (which, at) in [("low", "low_at"), ("high", "high_at")] {
            let totals = simulated(FRIDAY, &corner(&range, segment, at), &[], "corner.json");
            assert_eq!(
                totals["people"][segment]["lose_any"], people[segment]["lose_any"][which],
                "{segment} {which}"
            );
        }
    }
    // Points inside the box, from a fixed linear congruential sequence.
    let mut state: u64 = 17;
    for _ in 0..3 {
        let sets: Vec<(String, f64)> = params
            .iter()
            .map(|(name, low, high)| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let t = (state >> 11) as f64 / (1u64 << 53) as f64;
                (name.clone(), low + (high - low) * t)
            })
            .collect();
        let totals = simulated(FRIDAY, &sets, &[], "inner.json");
        for (segment, bounds) in people {
            let lose = totals["people"][segment]["lose_any"]
                .as_f64()
                .expect("lose_any");
            let low = bounds["lose_any"]["low"].as_f64().expect("low");
            let high = bounds["lose_any"]["high"].as_f64().expect("high");
            assert!(
                low <= lose && lose <= high,
                "{segment}: {low} <= {lose} <= {high}"
            );
        }
    }
    // Each swing is the total at one parameter's bounds, the others at the spec's values.
    let swing = &range["swing"][0];
    let name = swing["param"].as_str().expect("a param");
    let (_, low, _) = params.iter().find(|p| p.0 == name).expect("bounded");
    let totals = simulated(FRIDAY, &[(name.to_owned(), *low)], &[], "swing.json");
    let everyone: f64 = totals["people"]
        .as_object()
        .expect("people")
        .values()
        .filter_map(|p| p["lose_any"].as_f64())
        .sum();
    assert_eq!(Some(everyone), swing["low"].as_f64());
}
