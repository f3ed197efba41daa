//! The analyst's views' state as plain data and a pure reducer: what the reader chose to
//! sweep, which question each view last asked the worker, and the answers that came
//! back. An answer to an older question than the view's latest is dropped. The exact
//! difference is asked for by the reader, and forgotten at the next edit.

use std::rc::Rc;

use yew::Reducible;

use crate::app::analysis::{Answer, Document};
use crate::engine::load::parameters::{Kind, bounded, kind, settable, split_name, value_of};
use crate::engine::load::spec::PopulationSpec;
use crate::engine::model::date::Date;

/// The views that ask the worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The range on the headline and the tornado chart.
    Range,
    /// The sweep over a parameter.
    Sweep,
    /// The sweep over days.
    Days,
    /// The exact difference between the pinned document and the current one.
    Difference,
}

/// The two documents whose exact difference the reader asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct DifferenceQuestion {
    /// The pinned document.
    pub a: Document,
    /// The current one.
    pub b: Document,
}

/// One view's latest question and answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slot {
    /// The job id of the latest question (0: none yet).
    pub asked: u64,
    /// The answer to it, or to the one before while it is worked out.
    pub answer: Option<Rc<Answer>>,
    /// Whether the latest question is still unanswered.
    pub busy: bool,
}

/// A parameter to sweep and the span of values.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChoice {
    /// The parameter, as `--set` names it.
    pub param: String,
    /// The first value.
    pub from: f64,
    /// The last value.
    pub to: f64,
}

/// Everything the analyst's views keep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analyst {
    /// The range and swings.
    pub range: Slot,
    /// The sweep over a parameter.
    pub sweep: Slot,
    /// The sweep over days.
    pub days: Slot,
    /// The exact difference.
    pub difference: Slot,
    /// The documents whose exact difference the reader asked for, until the next edit.
    pub difference_question: Option<Rc<DifferenceQuestion>>,
    /// What the reader chose to sweep (`None`: the default for the spec).
    pub sweep_choice: Option<SweepChoice>,
    /// The days the reader chose (`None`: around the as-of day).
    pub days_choice: Option<(Date, Date)>,
    /// Whether the worker has said nothing for too long while a question waits (the
    /// watchdog).
    pub stalled: bool,
    /// Increases when the reader starts the worker again: a new worker, asked again.
    pub generation: u64,
}

/// What can happen to the analyst's views.
pub enum AnalystAction {
    /// A question was sent to the worker.
    Asked(View, u64),
    /// The worker answered job `id`.
    Answered(u64, Rc<Answer>),
    /// The reader chose what to sweep.
    ChooseSweep(SweepChoice),
    /// The reader chose the days.
    ChooseDays(Date, Date),
    /// The watchdog went off: the worker has not answered for too long.
    Stalled,
    /// The reader asked for a new worker.
    Retry,
    /// The reader asked for the exact difference between two documents.
    AskDifference(Rc<DifferenceQuestion>),
    /// The documents changed: the exact difference asked for, or worked out, goes.
    ForgetDifference,
}

impl Analyst {
    fn slot_mut(&mut self, view: View) -> &mut Slot {
        match view {
            View::Range => &mut self.range,
            View::Sweep => &mut self.sweep,
            View::Days => &mut self.days,
            View::Difference => &mut self.difference,
        }
    }

    fn slots_mut(&mut self) -> [&mut Slot; 4] {
        [
            &mut self.range,
            &mut self.sweep,
            &mut self.days,
            &mut self.difference,
        ]
    }
}

impl Reducible for Analyst {
    type Action = AnalystAction;

    fn reduce(self: Rc<Self>, action: AnalystAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            // A difference forgotten in the same turn as it was asked for stays forgotten.
            AnalystAction::Asked(View::Difference, _) if self.difference_question.is_none() => {
                return self;
            }
            AnalystAction::Asked(view, id) => {
                let slot = next.slot_mut(view);
                slot.asked = id;
                slot.busy = true;
            }
            AnalystAction::Answered(id, answer) => {
                next.stalled = false;
                let Some(slot) = next.slots_mut().into_iter().find(|s| s.asked == id) else {
                    // An answer to a superseded question changes nothing but the watchdog.
                    return if self.stalled { Rc::new(next) } else { self };
                };
                slot.answer = Some(answer);
                slot.busy = false;
            }
            AnalystAction::ChooseSweep(choice) => next.sweep_choice = Some(choice),
            AnalystAction::ChooseDays(from, to) => next.days_choice = Some((from, to)),
            AnalystAction::Stalled => {
                next.stalled = next.slots_mut().iter().any(|s| s.busy);
            }
            AnalystAction::Retry => {
                next.stalled = false;
                next.generation += 1;
            }
            AnalystAction::AskDifference(question) => {
                next.difference_question = Some(question);
            }
            AnalystAction::ForgetDifference => {
                if self.difference_question.is_none() && self.difference == Slot::default() {
                    return self;
                }
                next.difference_question = None;
                next.difference = Slot::default();
            }
        }
        Rc::new(next)
    }
}

/// The span a sweep over `param` starts with: its bounds if it has them, otherwise from
/// half to twice a size, 0 to 1 for a share, and 0 to twice a table's weight.
pub fn default_span(spec: &PopulationSpec, param: &str) -> Option<(f64, f64)> {
    if let Some(b) = bounded(spec).into_iter().find(|b| b.name == param) {
        return Some((b.low, b.high));
    }
    let (segment, path) = split_name(spec, param)?;
    let value = value_of(segment, path);
    Some(match (kind(segment, path)?, value) {
        (Kind::People, Some(v)) => ((v / 2.0).round(), (v * 2.0).round()),
        (Kind::Weight, Some(v)) if v > 0.0 => (0.0, v * 2.0),
        _ => (0.0, 1.0),
    })
}

/// What a sweep starts with: the parameter whose bounds are first in the spec (or the
/// first segment's size), over its default span.
pub fn default_sweep(spec: &PopulationSpec) -> Option<SweepChoice> {
    let param = bounded(spec)
        .into_iter()
        .next()
        .map(|b| b.name)
        .or_else(|| settable(spec).into_iter().next())?;
    let (from, to) = default_span(spec, &param)?;
    Some(SweepChoice { param, from, to })
}

/// The reader's choice if `spec` still has its parameter, otherwise the default.
pub fn sweep_for(spec: &PopulationSpec, choice: Option<&SweepChoice>) -> Option<SweepChoice> {
    choice
        .filter(|c| settable(spec).contains(&c.param))
        .cloned()
        .or_else(|| default_sweep(spec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_to_an_older_question_is_dropped() {
        let start = Rc::new(Analyst::default());
        let asked = start.reduce(AnalystAction::Asked(View::Sweep, 2));
        let answer = Rc::new(Answer::Sweep(Vec::new()));
        let stale = asked
            .clone()
            .reduce(AnalystAction::Answered(1, answer.clone()));
        assert!(Rc::ptr_eq(&stale, &asked));
        let done = asked.reduce(AnalystAction::Answered(2, answer.clone()));
        assert_eq!(done.sweep.answer, Some(answer));
        assert!(!done.sweep.busy);
        assert_eq!(done.range, Slot::default());
    }

    #[test]
    fn an_edit_forgets_the_difference_and_drops_its_late_answer() {
        let document = |text: &str| Document {
            path: "s.scenario.toml".into(),
            text: text.into(),
            adjustments: Default::default(),
            as_of: None,
        };
        let question = Rc::new(DifferenceQuestion {
            a: document("a"),
            b: document("b"),
        });
        let start = Rc::new(Analyst::default());
        // Nothing to forget: the same state, so nothing renders again.
        let unchanged = start.clone().reduce(AnalystAction::ForgetDifference);
        assert!(Rc::ptr_eq(&unchanged, &start));
        let asked = start
            .reduce(AnalystAction::AskDifference(question.clone()))
            .reduce(AnalystAction::Asked(View::Difference, 4));
        assert_eq!(asked.difference_question, Some(question));
        assert!(asked.difference.busy);
        let forgotten = asked.reduce(AnalystAction::ForgetDifference);
        assert_eq!(forgotten.difference_question, None);
        assert_eq!(forgotten.difference, Slot::default());
        // Asked after it was forgotten (both in one turn): it stays forgotten, not busy.
        let late_ask = forgotten
            .clone()
            .reduce(AnalystAction::Asked(View::Difference, 5));
        assert!(Rc::ptr_eq(&late_ask, &forgotten));
        let answer = Rc::new(Answer::Unavailable("late".into()));
        let late = forgotten.clone().reduce(AnalystAction::Answered(4, answer));
        assert!(Rc::ptr_eq(&late, &forgotten));
    }

    #[test]
    fn the_watchdog_reports_a_stall_only_while_a_question_waits() {
        let start = Rc::new(Analyst::default());
        assert!(!start.clone().reduce(AnalystAction::Stalled).stalled);
        let asked = start.reduce(AnalystAction::Asked(View::Range, 1));
        let stalled = asked.reduce(AnalystAction::Stalled);
        assert!(stalled.stalled);
        let answer = Rc::new(Answer::Sweep(Vec::new()));
        // Any answer shows the worker is alive.
        let alive = stalled.clone().reduce(AnalystAction::Answered(9, answer));
        assert!(!alive.stalled);
        let retried = stalled.reduce(AnalystAction::Retry);
        assert!(!retried.stalled);
        assert_eq!(retried.generation, 1);
        assert!(retried.range.busy);
    }
}
