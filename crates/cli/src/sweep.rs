//! `cutoff sweep`: the totals at evenly spaced values of one population parameter, or
//! over a span of days cut where some directive enters or leaves force.

use crate::table::table;
use cutoff_engine::Prepared;
use cutoff_engine::aggregate::{Totals, simulate};
use cutoff_engine::analysis::sweep::{
    SweepError, SweepSource, change_days, day_intervals, day_sweep_json, even_values, sweep_json,
    sweep_parameter,
};
use cutoff_engine::load::spec::Adjustments;
use cutoff_engine::load::{self, NativeFileSystem, Scenario};
use cutoff_engine::model::date::Date;
use cutoff_engine::render::numbers::people as number;
use cutoff_engine::render::totals::totals_json;

use crate::adjust::{base, load_adjusted, no_spec, set_error};
use crate::{USAGE, parse_options, print_diagnostics};

/// Runs `cutoff sweep`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args, &["param", "from", "to", "steps", "json", "set"])?;
    let [path] = options.positional.as_slice() else {
        return Err(format!("error: `sweep` needs one scenario file\n{USAGE}"));
    };
    let need = |name: &str| {
        options
            .get(name)
            .ok_or_else(|| format!("error: `sweep` needs `--{name}`\n{USAGE}"))
    };
    let (param, from, to) = (need("param")?, need("from")?, need("to")?);
    let sets = options.all("set");
    let (json, rows) = if param == "as_of" {
        let date = |text: &str| {
            Date::parse(text)
                .ok_or_else(|| format!("error: `{text}` is not a date; write YYYY-MM-DD"))
        };
        days(path, &sets, date(from)?, date(to)?)?
    } else {
        let number = |name: &str, text: &str| {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("error: `--{name} {text}` is not a number"))
        };
        let steps = need("steps")?
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or("error: `--steps` must be a whole number from 1 to 10000")?;
        let values = even_values(number("from", from)?, number("to", to)?, steps);
        values_sweep(path, &sets, param, &values)?
    };
    if let Some(out) = options.get("json") {
        let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
        std::fs::write(out, text + "\n")
            .map_err(|e| format!("error: cannot write `{out}`: {e}"))?;
    }
    print!("{rows}");
    Ok(())
}

/// A scenario ready to simulate, or its diagnostics printed and an error.
fn ready(prepared: &Prepared, as_of: Option<Date>) -> Result<Date, String> {
    print_diagnostics(&prepared.diagnostics);
    prepared
        .ready(as_of)
        .map(|(_, day)| day)
        .ok_or_else(|| "sweep not run: the scenario has errors or no as-of date".to_owned())
}

fn totals(prepared: &Prepared, as_of: Date) -> Totals {
    match prepared.compiled.as_ref() {
        Some(compiled) => simulate(&prepared.scenario, compiled, as_of, |_| {}),
        None => Totals::empty(&prepared.scenario),
    }
}

/// The totals at each value of `param`: the engine's sweep over the scenario read once.
fn values_sweep(
    path: &str,
    sets: &[String],
    param: &str,
    values: &[f64],
) -> Result<(serde_json::Value, String), String> {
    let base = base(path, sets)?;
    let reload = |changes: &Adjustments| {
        load::load_scenario_adjusted(path, &base.text, &NativeFileSystem, changes)
    };
    let source = SweepSource {
        scenario: base.scenario,
        adjustments: &base.adjustments,
        as_of: None,
        reload: &reload,
    };
    let mut points = Vec::new();
    let mut table = Table::default();
    let swept = sweep_parameter(
        source,
        param,
        values,
        &mut |prepared| print_diagnostics(&prepared.diagnostics),
        &mut |value, scenario, totals| {
            table.add(scenario, format!("{value}"), totals);
            points.push((value, totals_json(scenario, totals)));
        },
    );
    swept.map_err(|error| match error {
        SweepError::NoSpec => no_spec(path, &format!("--param {param}")),
        SweepError::Set(error) => set_error(error),
        SweepError::NotReady => "sweep not run: the scenario has errors or no as-of date".into(),
    })?;
    let heading =
        format!("Sweep of `{param}`: people who lose access to at least one product at each value");
    Ok((sweep_json(param, points), table.render(&heading, param)))
}

/// The totals over each span of days between `from` and `to` on which no directive (of
/// the scenario or its baseline) enters or leaves force.
fn days(
    path: &str,
    sets: &[String],
    from: Date,
    to: Date,
) -> Result<(serde_json::Value, String), String> {
    if to < from {
        return Err(format!("error: `--to {to}` is before `--from {from}`"));
    }
    let prepared = load_adjusted(path, sets)?;
    ready(&prepared, Some(from))?;
    let spans = day_intervals(&change_days(&prepared.scenario), from, to);
    let mut points = Vec::new();
    let mut table = Table::default();
    for (first, last) in spans {
        let totals = totals(&prepared, first);
        table.add(&prepared.scenario, format!("{first} to {last}"), &totals);
        points.push(((first, last), totals_json(&prepared.scenario, &totals)));
    }
    let heading = format!(
        "Sweep of the as-of date from {from} to {to}, cut where a directive enters or leaves force: people who lose access to at least one product"
    );
    Ok((day_sweep_json(points), table.render(&heading, "days")))
}

/// The human summary: one row per point, everyone then each segment.
#[derive(Default)]
struct Table {
    segments: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn add(&mut self, scenario: &Scenario, label: String, totals: &Totals) {
        self.segments = scenario.population.segments.values().to_vec();
        let mut row = vec![label, number(totals.people_total().lose_any)];
        row.extend(totals.people.iter().map(|p| number(p.lose_any)));
        self.rows.push(row);
    }

    fn render(&self, heading: &str, first: &str) -> String {
        let mut header = vec![first.to_owned(), "everyone".to_owned()];
        header.extend(self.segments.iter().cloned());
        let rows: Vec<Vec<String>> = std::iter::once(header).chain(self.rows.clone()).collect();
        format!("{heading}.\n\n{}", table(&rows))
    }
}
