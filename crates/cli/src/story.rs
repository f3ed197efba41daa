//! `cutoff story FILE [--publish]`: each step's bound numbers and whether they are still
//! the ones the story published; `--publish` records them in the file.

use cutoff_engine::analysis::story::{CheckState, StoryCheck, check_story};
use cutoff_engine::edit::story::publish;
use cutoff_engine::load::NativeFileSystem;
use cutoff_engine::load::story::parse_story;
use cutoff_engine::model::date::Date;
use cutoff_engine::render::numbers::people;

/// Runs the command: exit 1 (an `Err`) when a number changed or a key is unknown.
pub fn run(args: &[String], usage: &str) -> Result<(), String> {
    let publishing = args.iter().any(|a| a == "--publish");
    if let Some(other) = args
        .iter()
        .find(|a| a.starts_with("--") && *a != "--publish")
    {
        return Err(format!("error: unknown option `{other}`\n{usage}"));
    }
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [path] = files.as_slice() else {
        return Err(format!("error: `story` needs one story file\n{usage}"));
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read `{path}`: {e}"))?;
    let story = parse_story(&text).map_err(|e| format!("{path}:{e}"))?;
    let check = check_story(path, &text, &story, &NativeFileSystem);
    print!("{}", report(&story.title, &check));
    for diagnostic in &check.diagnostics {
        eprintln!("{}", diagnostic.render());
    }
    if !check.diagnostics.is_empty() {
        return Err(format!(
            "story not checked: {} problem{}",
            check.diagnostics.len(),
            if check.diagnostics.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    if publishing {
        let written = publish(&text, env!("CARGO_PKG_VERSION"), today()?, &check.values())
            .ok_or("error: the story is not valid TOML")?;
        std::fs::write(path, written).map_err(|e| format!("error: cannot write `{path}`: {e}"))?;
        println!("published: {} numbers", check.values().len());
        return Ok(());
    }
    match check.state {
        CheckState::Changed => Err(String::new()),
        _ => Ok(()),
    }
}

/// The human report: each step with its numbers, then the check.
fn report(title: &str, check: &StoryCheck) -> String {
    let mut out = format!("{title}\n");
    for (index, step) in check.steps.iter().enumerate() {
        let day = step.as_of.map(|d| format!(", {d}")).unwrap_or_default();
        let marked: Vec<String> = [("segment", &step.segment), ("outcome", &step.outcome)]
            .into_iter()
            .filter_map(|(what, name)| name.as_ref().map(|n| format!("{what} {n}")))
            .collect();
        let highlight = if marked.is_empty() {
            String::new()
        } else {
            format!("; highlight: {}", marked.join(", "))
        };
        out.push_str(&format!(
            "step {} \"{}\" ({}{day}{highlight})\n",
            index + 1,
            step.title,
            step.scenario
        ));
        for (key, value) in &step.numbers {
            let shown = value.map_or_else(|| "?".to_owned(), people);
            out.push_str(&format!("  {{{key}}} = {shown}\n"));
        }
    }
    out.push_str(&format!("check: {}\n", check.state.as_str()));
    for moved in &check.moved {
        let number = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), people);
        out.push_str(&format!(
            "  {}: published {}, now {}\n",
            moved.key,
            number(moved.published),
            number(moved.now)
        ));
    }
    out
}

/// Today in UTC, from the system clock.
fn today() -> Result<Date, String> {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::new(1970, 1, 1)
        .and_then(|epoch| epoch.add_days(i64::try_from(days).unwrap_or(0)))
        .ok_or_else(|| "error: the system clock is out of range".to_owned())
}
