//! The analyst's views' effects: each view's question goes to a simulation worker of its
//! own (the page never waits on a range, a sweep or an exact difference), a moment after
//! the document or the reader's choice last changed — the exact difference at once, when
//! the reader asks — and the answers come back as actions on the views' reducer.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo::worker::WorkerBridge;
use yew::prelude::*;

use super::Store;
use crate::app::analysis::{AnalysisJob, Document, Question, default_days};
use crate::app::simulation_worker::{Report, Request, SimulationWorker, spawn};
use crate::app::state::analysis::{Analyst, AnalystAction, View, sweep_for};
use crate::engine::analysis::sweep::change_days;

/// How long the document must stay unchanged before the views ask again: a burst of
/// typing asks once.
const SETTLE_MS: u32 = 300;

/// Steps of a sweep: it shows the figure at `SWEEP_STEPS + 1` even values.
pub const SWEEP_STEPS: usize = 20;

/// The analyst's views' store.
pub type AnalystStore = UseReducerHandle<Analyst>;

type Bridge = Rc<RefCell<Option<WorkerBridge<SimulationWorker>>>>;

/// The watchdog's timer: armed when a question is sent, re-armed by every answer.
type Watchdog = Rc<RefCell<Option<Timeout>>>;

fn arm(watchdog: &Watchdog, dispatcher: &UseReducerDispatcher<Analyst>) {
    let dispatcher = dispatcher.clone();
    let timer = Timeout::new(ANALYST_WATCHDOG_MS, move || {
        dispatcher.dispatch(AnalystAction::Stalled)
    });
    // Dropping the previous timer cancels it.
    *watchdog.borrow_mut() = Some(timer);
}

/// How long a question may wait for an answer before the views say the worker may have
/// stopped: a range, a sweep or an exact difference takes well under a few seconds;
/// reading a scenario again at every value of a sweep, a few more.
pub const ANALYST_WATCHDOG_MS: u32 = 30_000;

/// The document the views ask about, once it has results. A large population file is
/// left out: this worker does not hold it (the simulation worker does).
fn document(store: &Store) -> Option<Document> {
    let results = store.results.as_ref()?;
    if store.stale || store.pending || results.sample.is_some() {
        return None;
    }
    Some(store.snapshot().into())
}

/// Starts a worker in `bridge` unless one is there, its answers going to the views'
/// reducer and re-arming the watchdog.
fn connect(bridge: &Bridge, watchdog: &Watchdog, dispatcher: &UseReducerDispatcher<Analyst>) {
    let (answers, alive) = (dispatcher.clone(), watchdog.clone());
    bridge.borrow_mut().get_or_insert_with(|| {
        spawn(move |report: Report| {
            if let Report::Analysed { id, answer } = report {
                arm(&alive, &answers);
                answers.dispatch(AnalystAction::Answered(id, Rc::new(*answer)));
            }
        })
    });
}

/// Sends `question` about `document` `after` milliseconds from now (a newer call cancels
/// it).
fn ask_later(
    (bridge, watchdog): (&Bridge, &Watchdog),
    analyst: &AnalystStore,
    (timer, after): (&Rc<RefCell<Option<Timeout>>>, u32),
    view: View,
    document: Document,
    question: Question,
) {
    let (bridge, dispatcher) = (bridge.clone(), analyst.dispatcher());
    let watchdog = watchdog.clone();
    // The view shows its answer as out of date from now, not only once the question goes.
    let id = next_id();
    dispatcher.dispatch(AnalystAction::Asked(view, id));
    let send = move || {
        connect(&bridge, &watchdog, &dispatcher);
        arm(&watchdog, &dispatcher);
        if let Some(worker) = bridge.borrow().as_ref() {
            worker.send(Request::Analyse(AnalysisJob {
                id,
                document,
                question,
            }));
        }
    };
    *timer.borrow_mut() = Some(Timeout::new(after, send));
}

thread_local! {
    static NEXT_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

/// The analyst's views' store, asking the worker whenever the document or a choice
/// changes.
#[hook]
pub fn use_analysis(store: Option<&Store>) -> AnalystStore {
    let analyst = use_reducer(Analyst::default);
    let bridge: Bridge = use_mut_ref(|| None);
    let watchdog: Watchdog = use_mut_ref(|| None);
    {
        // A retry drops the worker that stopped answering; the questions below are asked
        // again of a new one.
        let bridge = bridge.clone();
        use_effect_with(analyst.generation, move |generation| {
            if *generation > 0 {
                *bridge.borrow_mut() = None;
            }
        });
    }
    let generation = analyst.generation;
    use_difference(store, &analyst, &watchdog);
    let timers: [Rc<RefCell<Option<Timeout>>>; 3] = [
        use_mut_ref(|| None),
        use_mut_ref(|| None),
        use_mut_ref(|| None),
    ];
    let doc = store.and_then(document);
    let spec = store
        .and_then(|s| s.prepared.as_ref())
        .and_then(|p| p.0.scenario.population_spec.clone());
    // The range and the sweep are over a population spec's figures; the days need none.
    let spec_doc = doc.clone().filter(|_| spec.is_some());
    let [range_timer, sweep_timer, days_timer] = timers;
    {
        let (bridge, analyst, watchdog) = (bridge.clone(), analyst.clone(), watchdog.clone());
        use_effect_with((spec_doc.clone(), generation), move |(doc, _)| {
            if let Some(doc) = doc.clone() {
                ask_later(
                    (&bridge, &watchdog),
                    &analyst,
                    (&range_timer, SETTLE_MS),
                    View::Range,
                    doc,
                    Question::Range,
                );
            }
        });
    }
    {
        let (bridge, analyst2, watchdog) = (bridge.clone(), analyst.clone(), watchdog.clone());
        let choice = spec
            .as_ref()
            .and_then(|spec| sweep_for(spec, analyst.sweep_choice.as_ref()));
        use_effect_with((spec_doc, choice, generation), move |(doc, choice, _)| {
            if let (Some(doc), Some(choice)) = (doc.clone(), choice.clone()) {
                let question = Question::Sweep {
                    param: choice.param,
                    from: choice.from,
                    to: choice.to,
                    steps: SWEEP_STEPS,
                };
                let links = (&bridge, &watchdog);
                let timer = (&sweep_timer, SETTLE_MS);
                ask_later(links, &analyst2, timer, View::Sweep, doc, question);
            }
        });
    }
    {
        let days = analyst.days_choice.or_else(|| {
            let store = store?;
            let prepared = store.prepared.as_ref()?;
            let as_of = store.results.as_ref()?.as_of;
            Some(default_days(&change_days(&prepared.0.scenario), as_of))
        });
        let (bridge, analyst2) = (bridge, analyst.clone());
        use_effect_with((doc, days, generation), move |(doc, days, _)| {
            if let (Some(doc), Some((from, to))) = (doc.clone(), *days) {
                let question = Question::Days { from, to };
                let links = (&bridge, &watchdog);
                let timer = (&days_timer, SETTLE_MS);
                ask_later(links, &analyst2, timer, View::Days, doc, question);
            }
        });
    }
    analyst
}

/// The exact difference's effects. It has a worker of its own, started when a document is
/// pinned, so that it never waits behind a range the reader did not ask for; the reader's
/// question goes to it at once. Unpinning drops the worker and forgets the question.
#[hook]
fn use_difference(store: Option<&Store>, analyst: &AnalystStore, watchdog: &Watchdog) {
    let bridge: Bridge = use_mut_ref(|| None);
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let generation = analyst.generation;
    {
        let pinned = store.is_some_and(|s| s.pinned_document.is_some());
        let (bridge, watchdog) = (bridge.clone(), watchdog.clone());
        let dispatcher = analyst.dispatcher();
        use_effect_with((pinned, generation), move |(pinned, generation)| {
            // A retry starts a new worker in place of one that stopped answering.
            if *generation > 0 {
                *bridge.borrow_mut() = None;
            }
            if *pinned {
                connect(&bridge, &watchdog, &dispatcher);
            } else {
                *bridge.borrow_mut() = None;
                dispatcher.dispatch(AnalystAction::ForgetDifference);
            }
        });
    }
    let asked = analyst.difference_question.clone();
    // A retry keeps an answer already shown, and asks again for one still awaited.
    let answered = analyst.difference.answer.is_some() && !analyst.difference.busy;
    let (analyst, watchdog) = (analyst.clone(), watchdog.clone());
    use_effect_with((asked, generation), move |(asked, _)| match asked {
        Some(_) if answered => {}
        Some(asked) => {
            let question = Question::Difference {
                a: Box::new(asked.a.clone()),
            };
            let links = (&bridge, &watchdog);
            let b = asked.b.clone();
            ask_later(links, &analyst, (&timer, 0), View::Difference, b, question);
        }
        // Forgotten before it went: it does not go.
        None => drop(timer.borrow_mut().take()),
    });
}
