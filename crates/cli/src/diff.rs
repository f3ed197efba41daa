//! `cutoff diff A B`: every pair whose outcome differs between two scenarios, as regions
//! written in the scenario language, and the combinations no record has on which they
//! still disagree; `--check no-new-loss` turns it into a gate for CI.

use cutoff_engine::Prepared;
use cutoff_engine::analysis::diff::{Diff, Side, diff, diff_json};
use cutoff_engine::render::numbers::people as number;

use crate::adjust::base;
use crate::table::table;
use crate::{USAGE, load_prepared, parse_options, print_diagnostics};
use cutoff_engine::load::spec::Adjustments;
use cutoff_engine::load::{NativeFileSystem, PopulationCache, load_scenario_cached};
use cutoff_engine::prepare;

/// Runs `cutoff diff`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args, &["json", "check", "set"])?;
    let [path_a, path_b] = options.positional.as_slice() else {
        return Err(format!("error: `diff` needs two scenario files\n{USAGE}"));
    };
    let check = options.get("check");
    if let Some(other) = check.filter(|c| *c != "no-new-loss") {
        return Err(format!(
            "error: unknown check `{other}`\n  = help: the check is `--check no-new-loss`"
        ));
    }
    let (mut a, mut b) = load_both(path_a, path_b, &options.all("set"))?;
    let day_a = ready(&a, "A", &a.diagnostics)?;
    // B's warnings about its own population do not apply: B runs over A's.
    let errors: Vec<_> = b
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let day_b = ready(&b, "B", &errors)?;
    let result = diff(
        Side {
            scenario: &mut a.scenario,
            as_of: day_a,
        },
        Side {
            scenario: &mut b.scenario,
            as_of: day_b,
        },
    );
    let found = result.map_err(|diagnostic| {
        print_diagnostics(&[*diagnostic]);
        "diff not run (B is simulated over A's population and products)".to_owned()
    })?;
    if let Some(out) = options.get("json") {
        let text = serde_json::to_string_pretty(&diff_json(&found)).map_err(|e| e.to_string())?;
        std::fs::write(out, text + "\n")
            .map_err(|e| format!("error: cannot write `{out}`: {e}"))?;
    }
    print!("{}", summary(&a, &b, &found));
    match check {
        Some(_) if found.new_loss => {
            Err("check no-new-loss failed: some pairs served under A are not served under B".into())
        }
        Some(_) => {
            println!("check no-new-loss passed: every pair served under A is served under B");
            Ok(())
        }
        None => Ok(()),
    }
}

/// A (with `sets` applied to its population spec) and B, loaded and compiled; B's
/// population is read from A's when they name the same one, since B runs over A's.
fn load_both(path_a: &str, path_b: &str, sets: &[String]) -> Result<(Prepared, Prepared), String> {
    let mut cache = PopulationCache::default();
    let mut load = |path: &str, text: &str, adjustments: &Adjustments| {
        prepare(load_scenario_cached(
            path,
            text,
            &NativeFileSystem,
            adjustments,
            &mut cache,
        ))
    };
    let a = match std::fs::read_to_string(path_a) {
        Ok(_) if !sets.is_empty() => {
            let base = base(path_a, sets)?;
            load(path_a, &base.text, &base.adjustments)
        }
        Ok(text) => load(path_a, &text, &Adjustments::default()),
        Err(_) => load_prepared(path_a),
    };
    let b = match std::fs::read_to_string(path_b) {
        Ok(text) => load(path_b, &text, &Adjustments::default()),
        Err(_) => load_prepared(path_b),
    };
    Ok((a, b))
}

/// The day a scenario is simulated on, or its diagnostics printed and an error.
fn ready(
    prepared: &Prepared,
    which: &str,
    shown: &[cutoff_engine::source::diagnostic::Diagnostic],
) -> Result<cutoff_engine::model::date::Date, String> {
    print_diagnostics(shown);
    prepared
        .ready(None)
        .map(|(_, day)| day)
        .ok_or_else(|| format!("diff not run: scenario {which} has errors or no as-of date"))
}

fn title(prepared: &Prepared) -> &str {
    if prepared.scenario.title.is_empty() {
        "(untitled)"
    } else {
        &prepared.scenario.title
    }
}

/// The most lines of absent combinations the summary shows.
const SHOWN: usize = 10;

/// The absent combinations, one line for those that differ only in the product.
fn absent_lines(found: &Diff) -> Vec<String> {
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for x in &found.absent {
        let mut product = "";
        let mut values = Vec::new();
        for (k, v) in &x.example {
            if k == "product" {
                product = v;
            } else {
                values.push(format!("{k}={v}"));
            }
        }
        let key = format!("{} → {}: {}", x.a.as_str(), x.b.as_str(), values.join(", "));
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, products)) => products.push(product),
            None => lines.push((key, vec![product])),
        }
    }
    lines
        .into_iter()
        .map(|(key, products)| format!("{key}, product={}", products.join(" or ")))
        .collect()
}

/// The human summary: the regions, then the combinations no record has.
fn summary(a: &Prepared, b: &Prepared, found: &Diff) -> String {
    let mut out = format!(
        "A: {}\nB: {}\nover A's population ({} records)\n\n",
        title(a),
        title(b),
        number(a.scenario.population.len() as f64)
    );
    if found.regions.is_empty() {
        out.push_str("No pair's outcome differs.\n");
    } else {
        let pairs: usize = found.regions.iter().map(|r| r.pairs).sum();
        let weight: f64 = found.regions.iter().map(|r| r.weight).sum();
        out.push_str(&format!(
            "{} pairs differ (weight {}), in {} region{}:\n\n",
            number(pairs as f64),
            number(weight),
            found.regions.len(),
            if found.regions.len() == 1 { "" } else { "s" }
        ));
        let mut rows = vec![vec![
            "#".to_owned(),
            "A → B".into(),
            "pairs".into(),
            "weight".into(),
        ]];
        for (i, r) in found.regions.iter().enumerate() {
            rows.push(vec![
                (i + 1).to_string(),
                format!("{} → {}", r.a.as_str(), r.b.as_str()),
                number(r.pairs as f64),
                number(r.weight),
            ]);
        }
        out.push_str(&table(&rows));
        out.push('\n');
        for (i, r) in found.regions.iter().enumerate() {
            out.push_str(&format!("{}. when {}\n", i + 1, r.when));
        }
    }
    if found.absent.is_empty() {
        out.push_str("\nNo combination that no record has is decided differently.\n");
    } else {
        out.push_str(&format!(
            "\nPossible but absent: {} combination{} no record has, decided differently:\n",
            found.absent.len(),
            if found.absent.len() == 1 { "" } else { "s" }
        ));
        let lines = absent_lines(found);
        for line in lines.iter().take(SHOWN) {
            out.push_str(&format!(
                "  {line}
"
            ));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!(
                "  … and {} more (`--json` lists every one)\n",
                lines.len() - SHOWN
            ));
        }
    }
    out
}
