//! `cutoff simulate SCENARIO --range`: the lowest and highest number of people who lose
//! access over the bounds the population spec's sources give its numbers.

use crate::table::table;
use cutoff_engine::Prepared;
use cutoff_engine::analysis::range::{Decided, Range, range, range_json};
use cutoff_engine::model::date::Date;
use cutoff_engine::render::numbers::people as number;
use cutoff_engine::source::diagnostic::Problem;

use crate::print_diagnostics;

/// Works out the range, writes its JSON to `json` and prints the summary.
pub(crate) fn run(
    prepared: Prepared,
    as_of: Option<Date>,
    json: Option<&str>,
) -> Result<(), String> {
    print_diagnostics(&prepared.diagnostics);
    let as_of = prepared
        .ready(as_of)
        .map(|(_, day)| day)
        .ok_or("range not worked out: the scenario has errors or no as-of date")?;
    let title = prepared.scenario.title.clone();
    let error = |e: cutoff_engine::analysis::range::RangeError| {
        let help = e
            .help()
            .map(|h| format!("\n  = help: {h}"))
            .unwrap_or_default();
        format!("error: {e}{help}")
    };
    let decided = Decided::new(prepared.scenario, as_of).map_err(error)?;
    let range = range(&decided).map_err(error)?;
    if let Some(out) = json {
        let text = serde_json::to_string_pretty(&range_json(&range)).map_err(|e| e.to_string())?;
        std::fs::write(out, text + "\n")
            .map_err(|e| format!("error: cannot write `{out}`: {e}"))?;
    }
    print!("{}", summary(&title, as_of, &range));
    Ok(())
}

fn at(values: &[(String, f64)]) -> String {
    if values.is_empty() {
        return "the spec's values (no bounds)".into();
    }
    values
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn summary(title: &str, as_of: Date, range: &Range) -> String {
    let mut out = format!(
        "{}\nas of {as_of}: people who lose access to at least one product, over the bounds of the population's figures\n\n",
        if title.is_empty() { "Scenario" } else { title }
    );
    out.push_str(
        "The range is not a probability or a confidence interval: each bounded parameter takes the low and\nhigh its source gives (or, for an illustrative figure, the bounds the spec assumes), and the lowest\nand highest are over every combination of those bounds, the other figures at the spec's values.\n\n",
    );
    let mut rows = vec![vec![
        "segment".to_owned(),
        "lowest".into(),
        "at the spec's values".into(),
        "highest".into(),
    ]];
    for segment in &range.people {
        rows.push(vec![
            segment.segment.clone(),
            number(segment.low.lose_any),
            number(segment.value),
            number(segment.high.lose_any),
        ]);
    }
    let (low, value, high) = range.everyone();
    rows.push(vec![
        "everyone".into(),
        number(low),
        number(value),
        number(high),
    ]);
    out.push_str(&table(&rows));
    out.push('\n');
    for segment in &range.people {
        out.push_str(&format!(
            "{}: lowest at {}\n{}: highest at {}\n",
            segment.segment,
            at(&segment.low.at),
            segment.segment,
            at(&segment.high.at)
        ));
    }
    out.push_str("\nEach parameter alone from its low to its high bound, the others at the spec's values (everyone who loses access), largest swing first:\n\n");
    let mut rows = vec![vec![
        "parameter".to_owned(),
        "bounds".into(),
        "at low".into(),
        "at high".into(),
        "swing".into(),
    ]];
    for (swing, param) in range
        .swing
        .iter()
        .filter_map(|s| Some((s, range.params.iter().find(|p| p.name == s.param)?)))
    {
        rows.push(vec![
            swing.param.clone(),
            format!("{} to {}", param.low, param.high),
            number(swing.low),
            number(swing.high),
            number((swing.high - swing.low).abs()),
        ]);
    }
    out.push_str(&table(&rows));
    out
}
