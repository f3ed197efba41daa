//! Numbers that check themselves (DESIGN §8): every `{KEY}` in a story's step texts is
//! computed from the step's own results, and compared with the value the story recorded
//! when it was published. A caption typed by hand goes stale silently; a bound one says so.

use std::collections::BTreeMap;

use thiserror::Error;

use crate::aggregate::simulate;
use crate::load::story::{ScenarioSource, Step, Story};
use crate::load::{FileSystem, load_scenario, normalize_path, relative_to};
use crate::model::date::Date;
use crate::model::outcome::Outcome;
use crate::prepare;
use crate::render::totals::totals_json;
use crate::source::diagnostic::{Diagnostic, Problem};
use crate::source::suggest::nearest;
use crate::source::{Loc, Sources, Span};

/// What can be wrong with a story's numbers.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum StoryError {
    /// A `{KEY}` that is not a number in the step's totals.
    #[error("step {step}: `{{{key}}}` is not a number in the step's results")]
    UnknownKey {
        /// The 1-based step.
        step: usize,
        /// The key as written.
        key: String,
        /// The nearest key that is.
        suggestion: Option<String>,
    },
    /// A step that marks a segment its results do not have.
    #[error("step {step}: no segment `{segment}` in the step's results")]
    UnknownSegment {
        /// The 1-based step.
        step: usize,
        /// The segment as written.
        segment: String,
        /// The segments the step's results have.
        known: Vec<String>,
    },
    /// A step that marks an outcome that does not exist.
    #[error("step {step}: unknown outcome `{outcome}`")]
    UnknownOutcome {
        /// The 1-based step.
        step: usize,
        /// The outcome as written.
        outcome: String,
    },
    /// A step whose scenario cannot be simulated.
    #[error("step {step}: scenario `{scenario}` cannot be simulated")]
    ScenarioFails {
        /// The 1-based step.
        step: usize,
        /// The scenario's id or path.
        scenario: String,
        /// Its first error.
        reason: String,
    },
}

impl Problem for StoryError {
    fn help(&self) -> Option<String> {
        match self {
            StoryError::UnknownKey {
                suggestion: Some(key),
                ..
            } => Some(format!("did you mean `{{{key}}}`?")),
            StoryError::UnknownKey { .. } => Some(
                "a key is a path into the step's totals, such as `people.customer.lose_any` or `by_segment.researcher.collateral`"
                    .into(),
            ),
            StoryError::UnknownSegment { segment, known, .. } => Some(
                nearest(segment, known.iter().map(String::as_str)).map_or_else(
                    || format!("the step's segments are {}", listing(known)),
                    |near| format!("did you mean `{near}`?"),
                ),
            ),
            StoryError::UnknownOutcome { outcome, .. } => {
                let names: Vec<String> = Outcome::ALL.iter().map(|o| o.as_str().into()).collect();
                Some(
                    nearest(outcome, names.iter().map(String::as_str)).map_or_else(
                        || format!("the outcomes are {}", listing(&names)),
                        |near| format!("did you mean `{near}`?"),
                    ),
                )
            }
            StoryError::ScenarioFails { reason, .. } => Some(reason.clone()),
        }
    }
}

/// "`a`, `b`, `c`", for a help line.
fn listing(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// A `{KEY}` in a step's text, with its byte range there (braces included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The path into the totals, such as `people.customer.lose_any`.
    pub key: String,
    /// Where `{KEY}` starts in the text.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
}

/// Every `{KEY}` in `text`: a path of letters, digits, `_`, `-` and `.` between braces.
pub fn bindings(text: &str) -> Vec<Binding> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let length = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(after.len());
        let key = after.get(..length).unwrap_or_default();
        let closed = after.get(length..).is_some_and(|s| s.starts_with('}'));
        if closed && !key.is_empty() {
            let start = offset + open;
            let end = start + length + 2;
            found.push(Binding {
                key: key.to_owned(),
                start,
                end,
            });
        }
        offset += open + 1;
        rest = after;
    }
    found
}

/// The number at `key` (a dotted path) in a totals JSON value.
pub fn lookup(totals: &serde_json::Value, key: &str) -> Option<f64> {
    key.split('.')
        .try_fold(totals, |value, part| value.get(part))?
        .as_f64()
}

/// Every dotted path to a number in a totals JSON value, in the JSON's order: the keys a
/// step's text can bind.
pub fn number_keys(totals: &serde_json::Value) -> Vec<String> {
    let mut keys = Vec::new();
    number_paths(totals, "", &mut keys);
    keys
}

/// Every dotted path to a number in a totals JSON value, for suggestions.
fn number_paths(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                number_paths(inner, &path, out);
            }
        }
        serde_json::Value::Number(_) => out.push(prefix.to_owned()),
        _ => {}
    }
}

/// One step's bound numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct StepNumbers {
    /// The step's title.
    pub title: String,
    /// The scenario it shows (its id, or its path).
    pub scenario: String,
    /// The day its results are for.
    pub as_of: Option<Date>,
    /// The segment its chart marks, if any.
    pub segment: Option<String>,
    /// The outcome its chart marks, if any.
    pub outcome: Option<String>,
    /// Each `{KEY}` in its text with its value (`None` when it is not in the results).
    pub numbers: Vec<(String, Option<f64>)>,
}

/// Whether a story's numbers are still the ones it published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckState {
    /// It has no `[published]`.
    Unpublished,
    /// Every number is the one published.
    Verified,
    /// Some number moved.
    Changed,
}

impl CheckState {
    /// The word the page and the CLI show.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Unpublished => "unpublished",
            CheckState::Verified => "verified",
            CheckState::Changed => "changed",
        }
    }
}

/// A number that is not what was published: `STEP:KEY`, then and now.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    /// `STEP:KEY`, as in `[published.values]`.
    pub key: String,
    /// The number published (none: it was not bound then).
    pub published: Option<f64>,
    /// The number now (none: it is no longer bound, or not in the results).
    pub now: Option<f64>,
}

/// A story's numbers, computed again, and how they compare with the published ones.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryCheck {
    /// Each step's numbers.
    pub steps: Vec<StepNumbers>,
    /// Verified, changed or unpublished.
    pub state: CheckState,
    /// The numbers that moved.
    pub moved: Vec<Moved>,
    /// Unknown keys and steps that cannot run, located in the story file.
    pub diagnostics: Vec<Diagnostic>,
}

impl StoryCheck {
    /// Every bound number by `STEP:KEY`: what `[published.values]` records.
    pub fn values(&self) -> BTreeMap<String, f64> {
        let mut values = BTreeMap::new();
        for (index, step) in self.steps.iter().enumerate() {
            for (key, value) in &step.numbers {
                if let Some(value) = value {
                    values.insert(format!("{}:{key}", index + 1), *value);
                }
            }
        }
        values
    }
}

/// Computes every bound number of `story` (read from `text` at `path`) and checks them
/// against its `[published]` values.
pub fn check_story(path: &str, text: &str, story: &Story, fs: &dyn FileSystem) -> StoryCheck {
    let mut sources = Sources::default();
    let file = sources.add(path, text);
    let mut located = Located {
        sources: &sources,
        file,
        text,
        diagnostics: Vec::new(),
    };
    let steps: Vec<StepNumbers> = story
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| step_numbers(story, step, index, path, fs, &mut located))
        .collect();
    let diagnostics = located.diagnostics;
    let mut check = StoryCheck {
        steps,
        state: CheckState::Unpublished,
        moved: Vec::new(),
        diagnostics,
    };
    if let Some(published) = &story.published {
        check.moved = moved(&published.values, &check.values());
        check.state = if check.moved.is_empty() {
            CheckState::Verified
        } else {
            CheckState::Changed
        };
    }
    check
}

/// Where diagnostics about the story file go.
struct Located<'a> {
    sources: &'a Sources,
    file: usize,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Located<'_> {
    /// Reports `problem` at `needle` inside step `step`'s part of the file (or at the
    /// step's header when the needle is not found).
    fn report(&mut self, step: usize, needle: &str, problem: &StoryError) {
        let header = nth_step_header(self.text, step).unwrap_or(0);
        let rest = self.text.get(header..).unwrap_or_default();
        let start = rest.find(needle).map_or(header, |at| header + at);
        let end = if rest.contains(needle) {
            start + needle.len()
        } else {
            start
        };
        let loc = Loc {
            file: self.file,
            span: Span::new(start, end),
        };
        self.diagnostics.push(self.sources.diagnostic(loc, problem));
    }
}

/// Where the `step`th (0-based) `[[steps]]` header starts.
fn nth_step_header(text: &str, step: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("[[steps]]") {
            if seen == step {
                return Some(offset);
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Simulates one step's scenario on its day and reads every `{KEY}` of its text.
fn step_numbers(
    story: &Story,
    step: &Step,
    index: usize,
    story_path: &str,
    fs: &dyn FileSystem,
    located: &mut Located<'_>,
) -> StepNumbers {
    let keys: Vec<String> = bindings(&step.text).into_iter().map(|b| b.key).collect();
    let mut numbers = StepNumbers {
        title: step.title.clone(),
        scenario: step.scenario.clone(),
        as_of: step.as_of,
        segment: step.segment.clone(),
        outcome: step.outcome.clone(),
        numbers: keys.iter().map(|k| (k.clone(), None)).collect(),
    };

    let totals = match step_totals(story, step, story_path, fs) {
        Ok((totals, as_of)) => {
            numbers.as_of = Some(as_of);
            totals
        }
        Err(reason) => {
            let problem = StoryError::ScenarioFails {
                step: index + 1,
                scenario: step.scenario.clone(),
                reason,
            };
            located.report(index, &format!("\"{}\"", step.scenario), &problem);
            check_outcome(step, index, located);
            return numbers;
        }
    };
    check_segment(step, index, &totals, located);
    check_outcome(step, index, located);
    let known = number_keys(&totals);
    for (key, value) in &mut numbers.numbers {
        *value = lookup(&totals, key);
        if value.is_none() {
            let problem = StoryError::UnknownKey {
                step: index + 1,
                key: key.clone(),
                suggestion: nearest(key, known.iter().map(String::as_str)).map(str::to_owned),
            };
            located.report(index, &format!("{{{key}}}"), &problem);
        }
    }
    numbers
}

/// Reports a step's outcome when there is no such outcome.
fn check_outcome(step: &Step, index: usize, located: &mut Located<'_>) {
    if let Some(outcome) = step
        .outcome
        .as_deref()
        .filter(|o| Outcome::parse(o).is_none())
    {
        let problem = StoryError::UnknownOutcome {
            step: index + 1,
            outcome: outcome.to_owned(),
        };
        located.report(index, &format!("\"{outcome}\""), &problem);
    }
}

/// Reports a step's segment when its results have no such segment.
fn check_segment(step: &Step, index: usize, totals: &serde_json::Value, located: &mut Located<'_>) {
    let Some(segment) = step.segment.as_deref() else {
        return;
    };
    let known: Vec<String> = totals
        .get("people")
        .and_then(serde_json::Value::as_object)
        .map(|segments| segments.keys().cloned().collect())
        .unwrap_or_default();
    if !known.iter().any(|k| k == segment) {
        let problem = StoryError::UnknownSegment {
            step: index + 1,
            segment: segment.to_owned(),
            known,
        };
        located.report(index, &format!("\"{segment}\""), &problem);
    }
}

/// The totals JSON of a step's scenario on its day, or why it cannot run.
fn step_totals(
    story: &Story,
    step: &Step,
    story_path: &str,
    fs: &dyn FileSystem,
) -> Result<(serde_json::Value, Date), String> {
    let scenario = match story.source_of(step) {
        Some(ScenarioSource::Path(relative)) => {
            let path = normalize_path(&relative_to(story_path, relative));
            let bytes = fs.read(&path)?;
            let text = String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())?;
            load_scenario(&path, &text, fs)
        }
        Some(ScenarioSource::Text(id, text)) => {
            let path = relative_to(story_path, &format!("{id}.scenario.toml"));
            load_scenario(&path, text, fs)
        }
        None => return Err("the story names no such scenario".into()),
    };
    let prepared = prepare(scenario);
    let Some((compiled, as_of)) = prepared.ready(step.as_of) else {
        let first = prepared.diagnostics.iter().find(|d| d.is_error());
        return Err(first.map_or("it has no as-of date".into(), |d| d.message.clone()));
    };
    let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
    Ok((totals_json(&prepared.scenario, &totals), as_of))
}

/// The numbers that differ between the published values and the computed ones, both ways.
fn moved(published: &BTreeMap<String, f64>, now: &BTreeMap<String, f64>) -> Vec<Moved> {
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let mut keys: Vec<&String> = published.keys().chain(now.keys()).collect();
    crate::source::ordering::sort(&mut keys);
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let (was, is) = (published.get(key).copied(), now.get(key).copied());
            let unchanged = matches!((was, is), (Some(a), Some(b)) if same(a, b));
            (!unchanged).then(|| Moved {
                key: key.clone(),
                published: was,
                now: is,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bindings_and_reads_them() {
        let text =
            "It cuts off {people.customer.lose_any} of {people.customer.total}; {not a key} {}";
        let keys: Vec<String> = bindings(text).into_iter().map(|b| b.key).collect();
        assert_eq!(keys, ["people.customer.lose_any", "people.customer.total"]);
        let first = &bindings(text)[0];
        assert_eq!(&text[first.start..first.end], "{people.customer.lose_any}");
        let totals = serde_json::json!({"people": {"customer": {"lose_any": 12.5}}});
        assert_eq!(lookup(&totals, "people.customer.lose_any"), Some(12.5));
        assert_eq!(lookup(&totals, "people.customer"), None);
        assert_eq!(lookup(&totals, "people.staff.lose_any"), None);
        assert_eq!(number_keys(&totals), ["people.customer.lose_any"]);
    }

    #[test]
    fn a_highlight_must_name_a_segment_of_the_results_and_an_outcome() {
        use crate::load::story::parse_story;
        let text = "title = \"t\"\n[[steps]]\ntitle = \"s\"\nscenario = \"../friday-letter/complies-exactly.scenario.toml\"\nchart = \"units\"\nsegment = \"reseacher\"\noutcome = \"colateral\"\ntext = \"\"\n[[steps]]\ntitle = \"t\"\nscenario = \"../friday-letter/complies-exactly.scenario.toml\"\nchart = \"units\"\nsegment = \"researcher\"\noutcome = \"collateral\"\ntext = \"{people.researcher.lose_any}\"\n";
        let story = parse_story(text).unwrap_or_else(|e| panic!("{e}"));
        let check = check_story(
            "stories/t.story.toml",
            text,
            &story,
            &crate::presets::preset_files(),
        );
        let found: Vec<(usize, usize, &str, Option<&str>)> = check
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    6,
                    11,
                    "step 1: no segment `reseacher` in the step's results",
                    Some("did you mean `researcher`?")
                ),
                (
                    7,
                    11,
                    "step 1: unknown outcome `colateral`",
                    Some("did you mean `collateral`?")
                ),
            ]
        );
        let second = check.steps.get(1).expect("two steps");
        assert_eq!(second.segment.as_deref(), Some("researcher"));
        assert_eq!(second.outcome.as_deref(), Some("collateral"));
        let far = text.replace("\"reseacher\"", "\"staff\"");
        let story = parse_story(&far).unwrap_or_else(|e| panic!("{e}"));
        let check = check_story(
            "stories/t.story.toml",
            &far,
            &story,
            &crate::presets::preset_files(),
        );
        assert_eq!(
            check.diagnostics.first().and_then(|d| d.help.as_deref()),
            Some("the step's segments are `customer`, `employee`, `researcher`")
        );
    }

    #[test]
    fn moved_numbers_are_listed_both_ways() {
        let published = BTreeMap::from([("1:a".to_owned(), 1.0), ("1:b".to_owned(), 2.0)]);
        let now = BTreeMap::from([("1:a".to_owned(), 1.0), ("1:c".to_owned(), 3.0)]);
        assert_eq!(
            moved(&published, &now),
            [
                Moved {
                    key: "1:b".into(),
                    published: Some(2.0),
                    now: None
                },
                Moved {
                    key: "1:c".into(),
                    published: None,
                    now: Some(3.0)
                },
            ]
        );
        assert!(moved(&published, &published).is_empty());
    }
}
