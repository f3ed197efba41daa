//! What the analyst's views ask of the worker, and the answers: the exact range of people
//! who lose access over the bounds of the population's figures (with each figure's swing),
//! a sweep over one population parameter, a sweep over days cut where directives enter
//! or leave force, and the exact difference between a pinned document and the current one
//! (DESIGN §5). The answers are worked out by the engine's analysis stage,
//! the same way `cutoff simulate --range` and `cutoff sweep` work them out, so the app's
//! numbers are the CLI's. Nothing here touches the browser: the worker runs [`answer`].

use serde::{Deserialize, Serialize};

use crate::engine::aggregate::simulate;
use crate::engine::analysis::diff::{Diff, Side, diff};
use crate::engine::analysis::range::{Decided, range};
use crate::engine::analysis::sweep::{
    SweepSource, change_days, day_intervals, even_values, sweep_parameter,
};
use crate::engine::load::spec::Adjustments;
use crate::engine::load::{MemoryFileSystem, load_scenario, load_scenario_adjusted};
use crate::engine::model::date::Date;
use crate::engine::source::diagnostic::Problem;
use crate::engine::{Prepared, prepare};

/// Which view asks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Question {
    /// The range over every bounded figure, and each figure's swing.
    Range,
    /// People who lose access at `steps + 1` even values of `param` from `from` to `to`.
    Sweep {
        /// The parameter, as `--set` names it.
        param: String,
        /// The first value.
        from: f64,
        /// The last value.
        to: f64,
        /// How many steps between them.
        steps: usize,
    },
    /// People who lose access over the days from `from` to `to`, cut where a directive
    /// enters or leaves force.
    Days {
        /// The first day.
        from: Date,
        /// The last day.
        to: Date,
    },
    /// Every pair whose outcome differs between `a` (the pinned document) and the job's
    /// document (B), as `cutoff diff A B` works it out.
    Difference {
        /// The pinned document.
        a: Box<Document>,
    },
}

/// A document as the worker reads it: its text, its name, the reader's changes to its
/// population spec and the day chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The name the scenario text goes by.
    pub path: String,
    /// The scenario text.
    pub text: String,
    /// The reader's changes to the population spec.
    pub adjustments: Adjustments,
    /// The day to simulate, if not the scenario's own.
    pub as_of: Option<Date>,
}

/// One question about one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisJob {
    /// Increases with every job; the answer names the job it is for.
    pub id: u64,
    /// The document asked about (B, for a difference).
    pub document: Document,
    /// What is asked.
    pub question: Question,
}

/// One segment's lowest, spec-value and highest people who lose access.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The segment (`everyone` for the sum).
    pub segment: String,
    /// The lowest over the bounds.
    pub low: f64,
    /// At the spec's values.
    pub value: f64,
    /// The highest over the bounds.
    pub high: f64,
}

/// One figure moved alone between its bounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// The parameter.
    pub param: String,
    /// Its low bound.
    pub bound_low: f64,
    /// Its high bound.
    pub bound_high: f64,
    /// Everyone who loses access at its low bound.
    pub low: f64,
    /// Everyone who loses access at its high bound.
    pub high: f64,
}

/// The range and the swings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeAnswer {
    /// Per segment, then everyone (the sums: segments move independently).
    pub spans: Vec<Span>,
    /// Largest swing first.
    pub bars: Vec<Bar>,
}

/// People who lose access at one value of the swept parameter.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The parameter's value.
    pub value: f64,
    /// Everyone who loses access there.
    pub lose: f64,
}

/// People who lose access over a span of days on which nothing enters or leaves force.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The first day.
    pub from: Date,
    /// The last day (included).
    pub to: Date,
    /// Everyone who loses access on each of those days.
    pub lose: f64,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// The range.
    Range(RangeAnswer),
    /// A sweep over a parameter.
    Sweep(Vec<Point>),
    /// A sweep over days.
    Days(Vec<Interval>),
    /// The exact difference.
    Difference(Diff),
    /// Why there is no answer, for the reader.
    Unavailable(String),
}

impl Question {
    /// Whether `other` asks for the same view (a newer one supersedes an older one).
    pub fn same_view(&self, other: &Question) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The questions the worker has yet to work on, at most one per view: a newer question
/// for a view drops the one it supersedes before any work is done on it.
#[derive(Debug, Default)]
pub struct Questions {
    pending: Vec<AnalysisJob>,
}

impl Questions {
    /// Keeps `job`, dropping a pending question for the same view that it supersedes.
    pub fn ask(&mut self, job: AnalysisJob) {
        self.pending
            .retain(|p| !p.question.same_view(&job.question));
        self.pending.push(job);
    }

    /// The oldest question still pending, taken out.
    pub fn take_oldest(&mut self) -> Option<AnalysisJob> {
        (!self.pending.is_empty()).then(|| self.pending.remove(0))
    }

    /// Whether none is pending.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

/// `document` loaded with the reader's adjustments, checked and compiled, with its day;
/// or, if it has errors or no as-of date, as far as it got.
fn ready(document: &Document, files: &MemoryFileSystem) -> Result<(Prepared, Date), Box<Prepared>> {
    let scenario =
        load_scenario_adjusted(&document.path, &document.text, files, &document.adjustments);
    let prepared = prepare(scenario);
    match prepared.ready(document.as_of).map(|(_, day)| day) {
        Some(day) => Ok((prepared, day)),
        None => Err(Box::new(prepared)),
    }
}

/// Why a view has no answer when its document is not [`ready`].
fn has_errors(_: Box<Prepared>) -> Answer {
    Answer::Unavailable("the scenario has errors or no as-of date".into())
}

/// Why the exact difference has no answer when the document called `name` is not
/// [`ready`]: its first error, located (such as a population file this worker does not
/// hold).
fn side_has_errors(name: &str, prepared: &Prepared) -> Answer {
    let first = prepared.diagnostics.iter().find(|d| d.is_error());
    Answer::Unavailable(match first {
        Some(d) => format!(
            "scenario {name} has errors, the first at {}:{}:{}: {}",
            d.file, d.line, d.column, d.message
        ),
        None => format!("scenario {name} has no as-of date"),
    })
}

/// Works out the answer to `job` over the files `files` holds.
pub fn answer(job: &AnalysisJob, files: &MemoryFileSystem) -> Answer {
    let asked = match &job.question {
        Question::Range => range_answer(job, files),
        Question::Sweep {
            param,
            from,
            to,
            steps,
        } => sweep_answer(job, files, param, &even_values(*from, *to, *steps)),
        Question::Days { from, to } => days_answer(job, files, *from, *to),
        Question::Difference { a } => difference_answer(job, files, a),
    };
    asked.unwrap_or_else(|unavailable| unavailable)
}

/// The exact difference between `a` and the job's document, as `cutoff diff` finds it.
fn difference_answer(
    job: &AnalysisJob,
    files: &MemoryFileSystem,
    a: &Document,
) -> Result<Answer, Answer> {
    let (mut a, a_day) = ready(a, files).map_err(|p| side_has_errors("A", &p))?;
    let (mut b, b_day) = ready(&job.document, files).map_err(|p| side_has_errors("B", &p))?;
    let found = diff(
        Side {
            scenario: &mut a.scenario,
            as_of: a_day,
        },
        Side {
            scenario: &mut b.scenario,
            as_of: b_day,
        },
    );
    found.map(Answer::Difference).map_err(|d| {
        Answer::Unavailable(match &d.help {
            Some(help) => format!("{} ({help})", d.message),
            None => d.message.clone(),
        })
    })
}

fn range_answer(job: &AnalysisJob, files: &MemoryFileSystem) -> Result<Answer, Answer> {
    let (prepared, day) = ready(&job.document, files).map_err(has_errors)?;
    let unavailable = |e: crate::engine::analysis::range::RangeError| {
        let help = e.help().map(|h| format!(" ({h})")).unwrap_or_default();
        Answer::Unavailable(format!("{e}{help}"))
    };
    let decided = Decided::new(prepared.scenario, day).map_err(unavailable)?;
    let range = range(&decided).map_err(unavailable)?;
    let mut spans: Vec<Span> = range
        .people
        .iter()
        .map(|s| Span {
            segment: s.segment.clone(),
            low: s.low.lose_any,
            value: s.value,
            high: s.high.lose_any,
        })
        .collect();
    let (low, value, high) = range.everyone();
    spans.push(Span {
        segment: "everyone".into(),
        low,
        value,
        high,
    });
    let bars = range
        .swing
        .iter()
        .filter_map(|s| {
            let param = range.params.iter().find(|p| p.name == s.param)?;
            Some(Bar {
                param: s.param.clone(),
                bound_low: param.low,
                bound_high: param.high,
                low: s.low,
                high: s.high,
            })
        })
        .collect();
    Ok(Answer::Range(RangeAnswer { spans, bars }))
}

/// The engine's sweep, as `cutoff sweep` runs it: the scenario read once, each value
/// re-weighing its records; a value that changes which records there are is read again.
fn sweep_answer(
    job: &AnalysisJob,
    files: &MemoryFileSystem,
    param: &str,
    values: &[f64],
) -> Result<Answer, Answer> {
    let document = &job.document;
    let reload = |changes: &Adjustments| {
        load_scenario_adjusted(&document.path, &document.text, files, changes)
    };
    let source = SweepSource {
        scenario: load_scenario(&document.path, &document.text, files),
        adjustments: &document.adjustments,
        as_of: document.as_of,
        reload: &reload,
    };
    let mut points = Vec::new();
    sweep_parameter(
        source,
        param,
        values,
        &mut |_| {},
        &mut |value, _, totals| {
            points.push(Point {
                value,
                lose: totals.people_total().lose_any,
            });
        },
    )
    .map_err(|e| Answer::Unavailable(e.to_string()))?;
    Ok(Answer::Sweep(points))
}

fn days_answer(
    job: &AnalysisJob,
    files: &MemoryFileSystem,
    from: Date,
    to: Date,
) -> Result<Answer, Answer> {
    let (prepared, _) = ready(&job.document, files).map_err(has_errors)?;
    let compiled = prepared
        .compiled
        .as_ref()
        .ok_or_else(|| Answer::Unavailable("the scenario does not compile".into()))?;
    let spans = day_intervals(&change_days(&prepared.scenario), from, to);
    let intervals = spans
        .into_iter()
        .map(|(first, last)| Interval {
            from: first,
            to: last,
            lose: simulate(&prepared.scenario, compiled, first, |_| {})
                .people_total()
                .lose_any,
        })
        .collect();
    Ok(Answer::Days(intervals))
}

/// The days a timeline sweep starts with: from two weeks before the first day within a
/// year of `as_of` on which a directive enters or leaves force to two weeks after the
/// last (a month either side of `as_of` when there is none).
pub fn default_days(changes: &[Date], as_of: Date) -> (Date, Date) {
    let near: Vec<Date> = changes
        .iter()
        .copied()
        .filter(|d| (d.days_since_epoch() - as_of.days_since_epoch()).abs() <= 365)
        .chain(std::iter::once(as_of))
        .collect();
    let first = near.iter().min().copied().unwrap_or(as_of);
    let last = near.iter().max().copied().unwrap_or(as_of);
    let pad = if first == last { 30 } else { 14 };
    (
        first.add_days(-pad).unwrap_or(first),
        last.add_days(pad).unwrap_or(last),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::outcome::Outcome;
    use crate::engine::presets::preset_files;

    fn job(path: &str, question: Question) -> AnalysisJob {
        let text = crate::engine::presets::presets()
            .into_iter()
            .find(|p| p.path == path)
            .expect("a preset")
            .text;
        AnalysisJob {
            id: 1,
            document: document(path, text),
            question,
        }
    }

    fn document(path: &str, text: &str) -> Document {
        Document {
            path: path.into(),
            text: text.into(),
            adjustments: Adjustments::default(),
            as_of: None,
        }
    }

    fn preset(path: &str) -> Document {
        job(path, Question::Range).document
    }

    #[test]
    fn the_difference_between_two_friday_letter_scenarios_is_the_cli_one() {
        let a = preset("friday-letter/complies-exactly.scenario.toml");
        let job = job(
            "friday-letter/offline-for-everyone.scenario.toml",
            Question::Difference { a: Box::new(a) },
        );
        let Answer::Difference(found) = answer(&job, &preset_files()) else {
            panic!("no difference");
        };
        let regions: Vec<(Outcome, Outcome, usize, f64)> = found
            .regions
            .iter()
            .map(|r| (r.a, r.b, r.pairs, r.weight))
            .collect();
        assert_eq!(
            regions,
            vec![(Outcome::Retains, Outcome::Collateral, 2_180, 56_181.0)]
        );
        assert!(
            found.regions[0]
                .when
                .starts_with("not foreign_person and residence not in [")
        );
        assert!(found.absent.is_empty());
    }

    #[test]
    fn a_difference_names_the_scenario_with_errors_and_its_first_error() {
        // A population file the worker does not hold, as a large file opened in the page.
        let path = "friday-letter/complies-exactly.scenario.toml";
        let mut a = preset(path);
        a.text = a.text.replace(
            "../populations/frontier-provider.population.toml",
            "big.csv",
        );
        let job = job(
            "friday-letter/offline-for-everyone.scenario.toml",
            Question::Difference { a: Box::new(a) },
        );
        assert_eq!(
            answer(&job, &preset_files()),
            Answer::Unavailable(
                "scenario A has errors, the first at friday-letter/complies-exactly.scenario.toml:8:14: cannot read `big.csv`: no such file".into()
            )
        );
    }

    #[test]
    fn a_sweep_over_days_cuts_where_the_revoked_letter_starts_and_ends() {
        let day = |t: &str| Date::parse(t).expect("a date");
        let job = job(
            "friday-letter/revoked.scenario.toml",
            Question::Days {
                from: day("2026-11-01"),
                to: day("2026-12-31"),
            },
        );
        let Answer::Days(intervals) = answer(&job, &preset_files()) else {
            panic!("no days");
        };
        let summary: Vec<(String, String, f64)> = intervals
            .iter()
            .map(|i| (i.from.to_string(), i.to.to_string(), i.lose))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("2026-11-01".into(), "2026-11-19".into(), 0.0),
                ("2026-11-20".into(), "2026-12-03".into(), 143_731.0),
                ("2026-12-04".into(), "2026-12-31".into(), 0.0),
            ]
        );
    }

    #[test]
    fn a_sweep_over_customer_accounts_matches_the_cli() {
        let job = job(
            "friday-letter/complies-exactly.scenario.toml",
            Question::Sweep {
                param: "customer.size".into(),
                from: 50_000.0,
                to: 1_000_000.0,
                steps: 20,
            },
        );
        let Answer::Sweep(points) = answer(&job, &preset_files()) else {
            panic!("no sweep");
        };
        assert_eq!(points.len(), 21);
        assert_eq!(points.first().map(|p| p.lose), Some(39_287.0));
        assert_eq!(points.last().map(|p| p.lose), Some(700_643.0));
    }

    #[test]
    fn a_newer_question_for_a_view_drops_the_pending_one() {
        let day = |t: &str| Date::parse(t).expect("a date");
        let path = "friday-letter/complies-exactly.scenario.toml";
        let sweep = |id, to| AnalysisJob {
            id,
            ..job(
                path,
                Question::Sweep {
                    param: "customer.size".into(),
                    from: 0.0,
                    to,
                    steps: 2,
                },
            )
        };
        let days = AnalysisJob {
            id: 2,
            ..job(
                path,
                Question::Days {
                    from: day("2026-11-01"),
                    to: day("2026-12-01"),
                },
            )
        };
        let mut questions = Questions::default();
        questions.ask(sweep(1, 10.0));
        questions.ask(days);
        questions.ask(sweep(3, 20.0));
        let order: Vec<u64> = std::iter::from_fn(|| questions.take_oldest())
            .map(|j| j.id)
            .collect();
        assert_eq!(order, vec![2, 3]);
        assert!(questions.is_empty());
    }

    #[test]
    fn a_timeline_sweep_needs_no_population_spec() {
        let day = |t: &str| Date::parse(t).expect("a date");
        let text = r#"
title = "Inline population"
as_of = 2026-11-21
[[products]]
id = "fable-5"
[population]
csv = """
id,segment,nationality,residence,status,products,weight
a,customer,CN,CN,foreign_national,fable-5,3
b,customer,US,US,citizen,fable-5,2
"""
[[directive]]
id = "letter"
effective = 2026-11-20
expires = 2026-12-04
products = ["*"]
[[directive.rules]]
effect = "deny"
when = "not us_person"
"#;
        let job = AnalysisJob {
            id: 1,
            document: document("inline.scenario.toml", text),
            question: Question::Days {
                from: day("2026-11-01"),
                to: day("2026-12-31"),
            },
        };
        let Answer::Days(intervals) = answer(&job, &preset_files()) else {
            panic!("no days");
        };
        let lose: Vec<f64> = intervals.iter().map(|i| i.lose).collect();
        assert_eq!(lose, vec![0.0, 3.0, 0.0]);
    }

    #[test]
    fn default_days_surround_the_changes_near_the_as_of_day() {
        let day = |t: &str| Date::parse(t).expect("a date");
        let changes = [day("1990-01-01"), day("2026-11-20"), day("2026-12-04")];
        assert_eq!(
            default_days(&changes, day("2026-11-21")),
            (day("2026-11-06"), day("2026-12-18"))
        );
        assert_eq!(
            default_days(&[], day("2026-11-21")),
            (day("2026-10-22"), day("2026-12-21"))
        );
    }
}
