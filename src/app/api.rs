//! What the JavaScript API computes: `simulate(scenarioToml, asOf?)` for explainers built
//! elsewhere, which returns the totals of DESIGN §5 and every diagnostic, and `benchmark`
//! for `bench.html`. The functions are exported from a module of their own
//! (`src/bin/cutoff-api.rs`), not from the app's: a reader of the app never downloads them.
//!
//! ```js
//! import init, { simulate } from './cutoff-api.js';
//! await init();
//! const { ok, totals, diagnostics } = simulate(scenarioText, '2026-11-21');
//! ```

use serde::Serialize;

use crate::engine::aggregate::simulate as run;
use crate::engine::load::load_scenario;
use crate::engine::model::date::Date;
use crate::engine::prepare;
use crate::engine::presets::preset_files;
use crate::engine::render::totals::totals_json;

/// One diagnostic, for JavaScript.
#[derive(Serialize)]
struct JsDiagnostic {
    severity: String,
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

/// What `simulate` returns.
#[derive(Serialize)]
struct JsResult {
    ok: bool,
    totals: Option<serde_json::Value>,
    diagnostics: Vec<JsDiagnostic>,
}

/// The result of simulating scenario text, as a value any caller can serialize.
pub fn simulate_text(scenario_toml: &str, as_of: Option<&str>) -> serde_json::Value {
    let prepared = prepare(load_scenario(
        "scenario.toml",
        scenario_toml,
        &preset_files(),
    ));
    let mut diagnostics: Vec<JsDiagnostic> = prepared
        .diagnostics
        .iter()
        .map(|d| JsDiagnostic {
            severity: d.severity.to_string(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect();
    let date = match as_of.map(|text| (text, Date::parse(text))) {
        Some((_, Some(date))) => Some(date),
        Some((text, None)) => {
            diagnostics.push(JsDiagnostic {
                severity: "error".into(),
                file: "asOf".into(),
                line: 1,
                column: 1,
                message: format!("`{text}` is not a date"),
                help: Some("write YYYY-MM-DD".into()),
            });
            None
        }
        None => prepared.scenario.as_of,
    };
    // A date that does not parse gives no totals, rather than the scenario's own day.
    let ready = date.and_then(|date| prepared.ready(Some(date)));
    let totals = ready.map(|(compiled, date)| {
        let totals = run(&prepared.scenario, compiled, date, |_| {});
        totals_json(&prepared.scenario, &totals)
    });
    let result = JsResult {
        ok: totals.is_some(),
        totals,
        diagnostics,
    };
    serde_json::to_value(result).unwrap_or(serde_json::Value::Null)
}

/// What `benchmark` returns.
#[derive(Serialize)]
pub struct BenchResult {
    records: usize,
    pairs: u64,
    repeats: usize,
    generate_ms: f64,
    load_ms: f64,
    median_ms: f64,
    min_ms: f64,
    decisions_per_second: f64,
    totals: serde_json::Value,
}

/// Times simulate + aggregate here: generates `records` people with `seed`, loads and
/// compiles the benchmark scenario (`benches/scenario.toml`), then simulates it `repeats`
/// times. Returns the timings and the totals, or a message if it could not run.
pub fn benchmark(records: usize, repeats: usize, seed: u64) -> Result<BenchResult, String> {
    use crate::engine::analysis::generate::{BENCH_SCENARIO, generate_population};
    use crate::engine::load::MemoryFileSystem;
    let started = super::now_ms();
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", generate_population(records, seed));
    let generated = super::now_ms();
    let prepared = prepare(load_scenario("scenario.toml", BENCH_SCENARIO, &fs));
    let _ = prepared.scenario.population.profiles();
    let loaded = super::now_ms();
    let Some((compiled, as_of)) = prepared.ready(None) else {
        return Err("the benchmark scenario did not compile".to_owned());
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeats.max(1) {
        let start = super::now_ms();
        let totals = run(&prepared.scenario, compiled, as_of, |_| {});
        times.push(super::now_ms() - start);
        last = Some(totals);
    }
    crate::engine::source::ordering::sort_by(&mut times, f64::total_cmp);
    let median_ms = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let totals = last.unwrap_or_default();
    Ok(BenchResult {
        records: prepared.scenario.population.len(),
        pairs: totals.pairs,
        repeats: times.len(),
        generate_ms: generated - started,
        load_ms: loaded - generated,
        median_ms,
        min_ms: times.first().copied().unwrap_or(0.0),
        decisions_per_second: if median_ms > 0.0 {
            totals.pairs as f64 / (median_ms / 1000.0)
        } else {
            0.0
        },
        totals: totals_json(&prepared.scenario, &totals),
    })
}

#[cfg(test)]
mod tests {
    use super::simulate_text;

    #[test]
    fn returns_totals_or_located_diagnostics() {
        let scenario = include_str!("../../tests/cases/response-ignores-law/scenario.toml");
        let result = simulate_text(scenario, None);
        assert_eq!(result["ok"], true);
        assert_eq!(result["totals"]["people"]["customer"]["lose_any"], 120.0);
        let broken = simulate_text(
            &scenario.replace("not us_person", r#"residence == \"UK\""#),
            Some("2026-11-21"),
        );
        assert_eq!(broken["ok"], false);
        assert_eq!(broken["diagnostics"][0]["message"], "unknown country `UK`");
        assert_eq!(broken["diagnostics"][0]["line"], 17);
        let bad_date = simulate_text(scenario, Some("soon"));
        assert_eq!(bad_date["ok"], false);
    }
}
