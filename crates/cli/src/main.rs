//! The `cutoff` command line: check, simulate, generate and benchmark scenarios with the
//! same engine the app runs.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use cutoff_engine::aggregate::{Totals, simulate};
use cutoff_engine::analysis::generate;
use cutoff_engine::load::{self, NativeFileSystem};
use cutoff_engine::model::date::Date;
use cutoff_engine::model::outcome::Outcome;
use cutoff_engine::render::decisions::decisions_csv;
use cutoff_engine::render::totals::totals_json;
use cutoff_engine::simulate::Decision;
use cutoff_engine::source::diagnostic::Diagnostic;
use cutoff_engine::{Prepared, compile, prepare};

mod adjust;
mod diff;
mod range;
mod story;
mod sweep;
mod table;

use adjust::{load_adjusted, set_error};
use table::table;

pub(crate) const USAGE: &str = "\
usage:
  cutoff check FILE...
  cutoff simulate SCENARIO [--as-of DATE] [--set PARAM=VALUE]... [--decisions OUT.csv] [--totals OUT.json]
  cutoff simulate SCENARIO --range [--as-of DATE] [--set PARAM=VALUE]... [--json OUT.json]
  cutoff sweep SCENARIO --param PARAM --from A --to B --steps N [--set PARAM=VALUE]... [--json OUT.json]
  cutoff sweep SCENARIO --param as_of --from DATE --to DATE [--set PARAM=VALUE]... [--json OUT.json]
  cutoff diff A.scenario.toml B.scenario.toml [--set PARAM=VALUE]... [--json OUT.json] [--check no-new-loss]
  cutoff generate --records N --seed S
  cutoff population SPEC [--set PARAM=VALUE]...
  cutoff bench SCENARIO [--repeat K] [--set PARAM=VALUE]...
  cutoff story STORY [--publish]

--set changes one number of the scenario's population spec: SEGMENT.size,
SEGMENT.us_share, SEGMENT.foreign_share, or any number the spec writes, such as
customer.organisations.share, customer.status_in_us.foreign_national or
customer.attributes.use_case.fix.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(args.get(1..).unwrap_or_default()),
        Some("simulate") => run_simulate(args.get(1..).unwrap_or_default()),
        Some("generate") => run_generate(args.get(1..).unwrap_or_default()),
        Some("population") => run_population(args.get(1..).unwrap_or_default()),
        Some("bench") => bench(args.get(1..).unwrap_or_default()),
        Some("sweep") => sweep::run(args.get(1..).unwrap_or_default()),
        Some("diff") => diff::run(args.get(1..).unwrap_or_default()),
        Some("story") => story::run(args.get(1..).unwrap_or_default(), USAGE),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::from(1)
        }
    }
}

/// Options after the positional arguments: `--name value` pairs.
pub(crate) struct Options {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

pub(crate) fn parse_options(args: &[String], allowed: &[&str]) -> Result<Options, String> {
    let mut positional = Vec::new();
    let mut named = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(name) = arg.strip_prefix("--") {
            if !allowed.contains(&name) {
                return Err(format!("error: unknown option `--{name}`\n{USAGE}"));
            }
            let value = iter
                .next()
                .ok_or_else(|| format!("error: `--{name}` needs a value"))?;
            named.push((name.to_owned(), value.clone()));
        } else {
            positional.push(arg.clone());
        }
    }
    Ok(Options { positional, named })
}

impl Options {
    /// Every value of a repeatable option, in order.
    fn all(&self, name: &str) -> Vec<String> {
        self.named
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = write!(err, "{}", diagnostic.render());
    }
}

pub(crate) fn load_prepared(path: &str) -> Prepared {
    prepare(load::load_scenario_file(path, &NativeFileSystem))
}

fn check(args: &[String]) -> Result<(), String> {
    if args.is_empty() {
        return Err(format!("error: `check` needs at least one file\n{USAGE}"));
    }
    let mut errors = 0;
    let mut warnings = 0;
    for path in args {
        let text = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                eprintln!("{path}:1:1: error: `{path}` is not valid UTF-8");
                errors += 1;
                continue;
            }
            Err(e) => {
                eprintln!(
                    "{path}:1:1: error: cannot read `{path}`: {}",
                    e.to_string().to_lowercase()
                );
                errors += 1;
                continue;
            }
        };
        let diagnostics = if path.ends_with(".population.toml") {
            load::check_population_spec(path, &text, &NativeFileSystem)
        } else if load::looks_like_scenario(&text) {
            prepare(load::load_scenario(path, &text, &NativeFileSystem)).diagnostics
        } else {
            let (sources, directive, mut diagnostics) = load::load_directive(path, &text);
            if let Some(directive) = directive {
                for (loc, issue) in compile::check_directive(&directive) {
                    diagnostics.push(sources.diagnostic(loc, &issue));
                }
                cutoff_engine::source::diagnostic::sort_diagnostics(&mut diagnostics);
            }
            diagnostics
        };
        print_diagnostics(&diagnostics);
        errors += diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += diagnostics.iter().filter(|d| !d.is_error()).count();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        return Err(format!(
            "check failed: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
    }
    println!(
        "ok: {} checked, {}",
        plural(args.len(), "file"),
        plural(warnings, "warning")
    );
    Ok(())
}

fn parse_as_of(options: &Options) -> Result<Option<Date>, String> {
    options
        .get("as-of")
        .map(|text| {
            Date::parse(text)
                .ok_or_else(|| format!("error: `--as-of {text}` is not a date; write YYYY-MM-DD"))
        })
        .transpose()
}

fn run_simulate(args: &[String]) -> Result<(), String> {
    let wants_range = args.iter().any(|a| a == "--range");
    let args: Vec<String> = args.iter().filter(|a| *a != "--range").cloned().collect();
    let allowed: &[&str] = if wants_range {
        &["as-of", "set", "json"]
    } else {
        &["as-of", "decisions", "totals", "set"]
    };
    let options = parse_options(&args, allowed)?;
    let [path] = options.positional.as_slice() else {
        return Err(format!(
            "error: `simulate` needs one scenario file\n{USAGE}"
        ));
    };
    let as_of_override = parse_as_of(&options)?;
    let prepared = load_adjusted(path, &options.all("set"))?;
    if wants_range {
        return range::run(prepared, as_of_override, options.get("json"));
    }
    print_diagnostics(&prepared.diagnostics);
    if prepared.compiled.is_none() || prepared.has_errors() {
        let errors = prepared.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(format!(
            "simulation not run: {errors} error{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    let scenario = &prepared.scenario;
    let Some((compiled, as_of)) = prepared.ready(as_of_override) else {
        return Err("error: no as-of date".into());
    };
    let mut decisions: Vec<Decision> = Vec::new();
    let want_decisions = options.get("decisions").is_some();
    let totals = simulate(scenario, compiled, as_of, |d| {
        if want_decisions {
            decisions.push(*d);
        }
    });
    if let Some(out) = options.get("decisions") {
        write_decisions(out, &prepared, &decisions)?;
    }
    if let Some(out) = options.get("totals") {
        let json = serde_json::to_string_pretty(&totals_json(scenario, &totals))
            .map_err(|e| e.to_string())?;
        std::fs::write(out, json + "\n")
            .map_err(|e| format!("error: cannot write `{out}`: {e}"))?;
    }
    print!("{}", summary(&prepared, &totals, as_of));
    Ok(())
}

fn write_decisions(out: &str, prepared: &Prepared, decisions: &[Decision]) -> Result<(), String> {
    std::fs::write(out, decisions_csv(&prepared.scenario, decisions))
        .map_err(|e| format!("error: cannot write `{out}`: {e}"))
}

use cutoff_engine::render::numbers::people as number;

/// The outcomes the summary table shows: the two baseline outcomes only with a baseline.
fn shown_outcomes(prepared: &Prepared) -> Vec<Outcome> {
    let baseline = prepared.scenario.baseline.is_some();
    Outcome::ALL
        .into_iter()
        .filter(|o| baseline || !matches!(o, Outcome::Gains | Outcome::Unavailable))
        .collect()
}

/// Who loses access, counted against who had it when there is a baseline.
fn headline(prepared: &Prepared, totals: &Totals) -> String {
    let everyone = totals.people_total();
    let Some(baseline) = &prepared.scenario.baseline else {
        return format!(
            "{} of {} people lose access to at least one product.\n\n",
            number(everyone.lose_any),
            number(everyone.total)
        );
    };
    let before = match (&baseline.path, baseline.title.is_empty()) {
        (_, false) => format!("\"{}\"", baseline.title),
        (Some(path), true) => format!("`{path}`"),
        (None, true) => "the inline `[baseline]`".to_owned(),
    };
    let never = totals
        .people_by_outcome_total()
        .get(Outcome::Unavailable.index())
        .copied()
        .unwrap_or(0.0);
    format!(
        "{} of the {} people who had access lose it; {} gain access; {} never had access to what they use (baseline: {before}).\n\n",
        number(everyone.lose_any),
        number(everyone.had_any()),
        number(everyone.gain_any),
        number(never),
    )
}

pub(crate) fn summary(prepared: &Prepared, totals: &Totals, as_of: Date) -> String {
    let scenario = &prepared.scenario;
    let mut out = String::new();
    let title = if scenario.title.is_empty() {
        "Scenario"
    } else {
        scenario.title.as_str()
    };
    let in_force: Vec<&str> = scenario
        .directives
        .iter()
        .filter(|d| d.in_force(as_of))
        .map(|d| d.id.as_str())
        .collect();
    out.push_str(&format!(
        "{title}\nas of {as_of}; directives in force: {}\nresponse: {}\n\n",
        if in_force.is_empty() {
            "none".to_owned()
        } else {
            in_force.join(", ")
        },
        scenario.response.title
    ));
    out.push_str(&headline(prepared, totals));
    let outcomes = shown_outcomes(prepared);
    let mut header = vec!["segment".to_owned(), "people".into(), "lose any".into()];
    header.extend(outcomes.iter().map(|o| o.as_str().to_owned()));
    let mut rows = vec![header];
    for (index, name) in scenario.population.segments.values().iter().enumerate() {
        let people = totals.people.get(index).copied().unwrap_or_default();
        let mut row = vec![name.clone(), number(people.total), number(people.lose_any)];
        let weights = totals.by_segment.get(index).copied().unwrap_or_default();
        row.extend(
            outcomes
                .iter()
                .map(|o| number(weights.get(o.index()).copied().unwrap_or(0.0))),
        );
        rows.push(row);
    }
    out.push_str(&table(&rows));
    out.push_str("\n(outcomes are weights of person-product pairs; people and lose any count each person once)\n");
    out
}

/// `cutoff population SPEC [--set PARAM=VALUE]...`: the CSV a population spec expands to.
fn run_population(args: &[String]) -> Result<(), String> {
    let options = parse_options(args, &["set"])?;
    let [path] = options.positional.as_slice() else {
        return Err(format!("error: `population` needs one spec file\n{USAGE}"));
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read `{path}`: {e}"))?;
    let mut spec =
        load::read_population_spec(path, &text, &NativeFileSystem).map_err(|diagnostics| {
            print_diagnostics(&diagnostics);
            String::new()
        })?;
    let mut adjustments = cutoff_engine::load::spec::Adjustments::default();
    for (name, value) in &options.named {
        if name == "set" {
            adjustments.set(&spec, value).map_err(set_error)?;
        }
    }
    spec.adjust(&adjustments);
    let csv =
        cutoff_engine::load::spec::expand(&spec, cutoff_engine::model::reading::Reading::default());
    std::io::stdout()
        .lock()
        .write_all(csv.as_bytes())
        .map_err(|e| e.to_string())
}

fn run_generate(args: &[String]) -> Result<(), String> {
    let options = parse_options(args, &["records", "seed"])?;
    let records: usize = options
        .get("records")
        .ok_or("error: `generate` needs `--records N`")?
        .parse()
        .map_err(|_| "error: `--records` must be a whole number".to_owned())?;
    let seed: u64 = options
        .get("seed")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "error: `--seed` must be a whole number".to_owned())?;
    let text = generate::generate_population(records, seed);
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())
}

fn bench(args: &[String]) -> Result<(), String> {
    let options = parse_options(args, &["repeat", "set"])?;
    let [path] = options.positional.as_slice() else {
        return Err(format!("error: `bench` needs one scenario file\n{USAGE}"));
    };
    let repeat: usize = options
        .get("repeat")
        .unwrap_or("5")
        .parse()
        .ok()
        .filter(|&k| k > 0)
        .ok_or("error: `--repeat` must be a positive whole number")?;
    let load_start = Instant::now();
    let prepared = load_adjusted(path, &options.all("set"))?;
    // The breakdown profiles belong to loading the population, not to simulating it.
    let _ = prepared.scenario.population.profiles();
    let load_time = load_start.elapsed();
    print_diagnostics(&prepared.diagnostics);
    if prepared.compiled.is_none() || prepared.has_errors() {
        return Err("bench not run: the scenario has errors".into());
    }
    let scenario = &prepared.scenario;
    let (compiled, as_of) = prepared.ready(None).ok_or("error: no as-of date")?;
    let mut times = Vec::new();
    let mut pairs = 0;
    for _ in 0..repeat {
        let start = Instant::now();
        let totals = simulate(scenario, compiled, as_of, |_| {});
        times.push(start.elapsed().as_secs_f64());
        pairs = totals.pairs;
        std::hint::black_box(&totals);
    }
    let first = times.first().copied().unwrap_or(0.0);
    // The warm median leaves the first run out: it is reported on its own.
    let mut warm: Vec<f64> = times.iter().skip(1).copied().collect();
    warm.sort_by(f64::total_cmp);
    let warm_median = warm.get(warm.len() / 2).copied().unwrap_or(first);
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let per_second = |seconds: f64| {
        if seconds > 0.0 {
            pairs as f64 / seconds
        } else {
            0.0
        }
    };
    println!("records={}", scenario.population.len());
    println!("pairs={pairs}");
    println!("load_and_compile_seconds={:.3}", load_time.as_secs_f64());
    println!("repeats={repeat}");
    println!("elapsed_seconds={:.6}", times.iter().sum::<f64>());
    println!("first_seconds={first:.6}");
    println!("warm_median_seconds={warm_median:.6}");
    println!("median_seconds={median:.6}");
    println!("first_decisions_per_second={:.0}", per_second(first));
    println!("warm_decisions_per_second={:.0}", per_second(warm_median));
    println!("decisions_per_second={:.0}", per_second(median));
    Ok(())
}
