//! App state as plain data and a pure reducer: every change is an [`Action`]. A change to
//! the document only counts a new revision; loading, checking and simulating it
//! ([`State::compute`]) is the `use_simulation` hook's effect, which hands the outcome back
//! as [`Action::Computed`]. Nothing here touches the browser; the hooks run the effects
//! (the simulation, the worker, storage, the keyboard).
//!
//! Copying the state is cheap whatever it holds: the results, the undo history and every
//! document in it sit behind `Rc`, so a keystroke copies the text and a few pointers.

pub mod analysis;
mod document;
mod history;
mod results;
pub mod route;
pub mod story_draft;

use std::rc::Rc;

use yew::prelude::*;

pub use document::{
    Attachment, FullRun, LARGE_RECORDS, OpenedCsv, PAGE_READ_BYTES, SAMPLE_RECORDS, Snapshot,
    decode, is_large, open_csv,
};
pub use history::History;
pub use results::{
    BaselineSummary, DirectiveSummary, Figures, ReadingGap, Results, SharedScenario, bases_of,
};

use super::simulation_worker::{Job, Report, Stage};
use crate::engine::edit::{
    BaselineChoice, ResponsePreset, set_baseline, set_inline_population, set_population_path,
    set_response,
};
use crate::engine::load::spec::Adjustments;
use crate::engine::load::{MemoryFileSystem, PopulationCache, load_scenario_cached};
use crate::engine::model::date::Date;
use crate::engine::model::outcome::Outcome;
use crate::engine::presets::{Preset, preset_files, presets};
use crate::engine::source::diagnostic::Diagnostic;
use crate::engine::{Prepared, prepare};

thread_local! {
    /// The last population read: an edit that leaves the population alone reuses it, so
    /// that results follow a keystroke without reading and expanding the population again.
    /// Results never depend on it; it only saves work.
    static POPULATIONS: std::cell::RefCell<PopulationCache> = std::cell::RefCell::new(PopulationCache::default());
}

/// Everything the app shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The shipped scenarios.
    pub presets: Rc<Vec<Preset>>,
    /// Which preset the text came from.
    pub preset: usize,
    /// The scenario text being edited.
    pub text: String,
    /// The as-of date chosen by the user, overriding the scenario's.
    pub as_of: Option<Date>,
    /// Problems in the current text.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// The latest good results.
    pub results: Option<Rc<Results>>,
    /// Whether `results` are from an earlier text (the current one has errors).
    pub stale: bool,
    /// The name of the last file imported, if any.
    pub imported: Option<String>,
    /// The scenario behind `results`, for explaining single decisions.
    pub prepared: Option<SharedScenario>,
    /// The record whose decisions the "why" panel explains.
    pub selected: Option<usize>,
    /// Results pinned as scenario A for comparison.
    pub pinned: Option<Rc<Results>>,
    /// The document pinned as scenario A, for its exact difference from the current one.
    pub pinned_document: Option<Rc<Snapshot>>,
    /// A region of the exact difference the people explorer is limited to.
    pub region: Option<Region>,
    /// A combination no record has, as one record under the current scenario, that the
    /// "why" panel explains instead of a record of the population.
    pub example: Option<Example>,
    /// Whether the text changed since the last simulation.
    pub pending: bool,
    /// The reader's changes to the population spec's key parameters.
    pub adjustments: Adjustments,
    /// The segment and outcome the charts mark; a story step keeps them.
    pub highlight: Highlight,
    /// The name the text goes by: a preset's path, an opened file's name.
    pub path: String,
    /// The document as last simulated, for undo.
    pub committed: Rc<Snapshot>,
    /// Earlier documents, most recent last.
    pub history: History,
    /// Documents undone, most recent last.
    pub future: History,
    /// A message for the reader (a link that could not be opened, storage that failed).
    pub notice: Option<String>,
    /// A population file too large to keep inside the text, kept beside it.
    pub attachment: Option<Attachment>,
    /// The last job for the simulation worker; an effect sends each new one.
    pub job: Option<Rc<Job>>,
    /// The whole-population run the page is waiting for, if any.
    pub full_run: Option<FullRun>,
    /// Whether the worker has said nothing for too long during a run (the watchdog).
    pub worker_stalled: bool,
    /// Counts restarts of the simulation worker: a new one is started for each.
    pub worker_generation: u64,
    /// When typing was last simulated, while a burst of typing lasts.
    pub last_typed_ms: Option<f64>,
    /// Counts changes to the document that need simulating.
    pub revision: u64,
    /// The revision the results and diagnostics are for.
    pub simulated: u64,
}

/// What simulating one revision of the document gave: made by [`State::compute`] outside
/// the reducer, taken in by [`Action::Computed`].
#[derive(Debug)]
pub struct Computed {
    /// The revision simulated.
    revision: u64,
    /// The scenario, checked and compiled, with its diagnostics.
    prepared: Prepared,
    /// The results, unless the text has errors.
    results: Option<Results>,
    /// Whether the scenario reads the large population file beside the text (then the
    /// worker simulates it whole).
    large: bool,
}

/// A region of the exact difference between the pinned document and the current one: its
/// condition and the records with a pair in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// The region's condition, as `cutoff diff` writes it.
    pub when: String,
    /// The records (indices into the current population) with a pair in the region.
    pub records: Rc<Vec<usize>>,
}

/// An absent combination's example as a scenario of its own: the current scenario with a
/// population of that one record, for the "why" panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The current scenario over the example record, compiled.
    pub prepared: SharedScenario,
    /// The day it is decided on.
    pub as_of: Date,
}

/// What the charts mark: one segment, one outcome, or both. It is how the reader looks at
/// the results, not part of the document: it stays when the scenario changes (a segment
/// the results lack marks nothing), and a story step records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// A segment, as the population names it (`researcher`).
    pub segment: Option<String>,
    /// An outcome.
    pub outcome: Option<Outcome>,
}

impl Highlight {
    /// Whether nothing is marked.
    pub fn is_empty(&self) -> bool {
        self.segment.is_none() && self.outcome.is_none()
    }

    /// Whether `segment` is the one marked.
    pub fn marks_segment(&self, segment: &str) -> bool {
        self.segment.as_deref() == Some(segment)
    }

    /// Whether `outcome` is the one marked.
    pub fn marks_outcome(&self, outcome: Outcome) -> bool {
        self.outcome == Some(outcome)
    }

    /// The highlight with `segment` marked, or unmarked if it was (a toggle).
    pub fn toggle_segment(&self, segment: &str) -> Highlight {
        Highlight {
            segment: (!self.marks_segment(segment)).then(|| segment.to_owned()),
            outcome: self.outcome,
        }
    }

    /// The highlight with `outcome` marked, or unmarked if it was (a toggle).
    pub fn toggle_outcome(&self, outcome: Outcome) -> Highlight {
        Highlight {
            segment: self.segment.clone(),
            outcome: (!self.marks_outcome(outcome)).then_some(outcome),
        }
    }

    /// A story step's highlight, from its names (an unknown outcome marks none).
    pub fn of_step(segment: Option<&str>, outcome: Option<&str>) -> Highlight {
        Highlight {
            segment: segment.map(str::to_owned),
            outcome: outcome.and_then(Outcome::parse),
        }
    }
}

/// Keystrokes closer together than this are one undo step.
pub const TYPING_GROUP_MS: f64 = 1000.0;

/// Which key parameter of a segment a slider sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    /// How many people.
    People,
    /// The share living in the United States.
    UsShare,
    /// The share of U.S. residents who are foreign nationals.
    ForeignShare,
}

/// What can happen.
pub enum Action {
    /// Open a shipped scenario.
    ChoosePreset(usize),
    /// The editor's text changed.
    Edit(String),
    /// Simulate the current text: at once after a keystroke in a short text, or when typing
    /// pauses in a long one. `at_ms` is when (milliseconds on any steady clock): typing
    /// less than [`TYPING_GROUP_MS`] after the last simulated keystroke joins its undo step.
    Recompute {
        /// When the text was simulated.
        at_ms: f64,
    },
    /// A form changed the text: simulate it now.
    Replace(String),
    /// The as-of date changed (`None`: the scenario's own).
    SetAsOf(Option<Date>),
    /// Replace the provider's response with a preset one.
    SetResponse(ResponsePreset),
    /// Count the results against another state of the world (DESIGN §4.7).
    SetBaseline(BaselineChoice),
    /// Set a segment's key parameter.
    Adjust {
        /// The segment.
        segment: String,
        /// Which parameter.
        parameter: Parameter,
        /// Its new value (people, or a share from 0 to 1).
        value: f64,
    },
    /// Undo every population adjustment.
    ResetPopulation,
    /// Mark a segment and an outcome on the charts (the default clears them).
    Highlight(Highlight),
    /// Open a document (a link, an autosave, a saved scenario).
    Open(Snapshot),
    /// Go back one document.
    Undo,
    /// Go forward one document.
    Redo,
    /// Show a message, or clear it.
    Notice(Option<String>),
    /// Show why a record has its outcomes (`None` closes the panel).
    Explain(Option<usize>),
    /// Pin the current results as scenario A.
    Pin,
    /// Stop comparing.
    Unpin,
    /// Limit the people explorer to a region of the exact difference (`None`: everyone).
    ShowRegion(Option<Region>),
    /// Explain an absent combination's example in the "why" panel (`None` closes it).
    ExplainExample(Option<Example>),
    /// A file was opened: a scenario (`.toml`) replaces the text, a population (`.csv`)
    /// becomes the scenario's inline population.
    Import {
        /// The file's name.
        name: String,
        /// Its text.
        text: String,
    },
    /// A large population file was opened (see [`is_large`]): it becomes a file beside
    /// the scenario, which the worker reads whole.
    Attach {
        /// The file's name.
        name: String,
        /// Its first bytes, which the page reads.
        head: String,
        /// The page's ticket for the file (`hooks::keep_opened_file`).
        ticket: u64,
    },
    /// The simulation worker reported.
    Worker(Report),
    /// The simulation worker said nothing for [`crate::app::hooks::WORKER_WATCHDOG_MS`]
    /// during a run: it may have stopped.
    WorkerStalled,
    /// Start a new simulation worker and send it the file and the job again.
    RetryWorker,
    /// The current document was simulated (by the `use_simulation` hook).
    Computed(Box<Computed>),
}

impl State {
    /// The app as it first opens: the first preset, simulated.
    pub fn initial() -> State {
        State::initial_with(None)
    }

    /// The document the page opens with when nothing asks for another: the first shipped
    /// scenario, as written.
    pub fn default_document() -> Snapshot {
        let presets = presets();
        let first = presets.first();
        Snapshot {
            path: first.map_or("scenario.toml", |p| p.path).to_owned(),
            text: first.map(|p| p.text.to_owned()).unwrap_or_default(),
            as_of: None,
            adjustments: Adjustments::default(),
        }
    }

    /// The app opening `document` (a link or an autosave), or the first preset.
    pub fn initial_with(document: Option<Snapshot>) -> State {
        let Snapshot { path, text, .. } = State::default_document();
        let state = State {
            presets: Rc::new(presets()),
            preset: 0,
            text,
            as_of: None,
            diagnostics: Rc::default(),
            results: None,
            stale: false,
            imported: None,
            prepared: None,
            selected: None,
            pinned: None,
            pinned_document: None,
            region: None,
            example: None,
            pending: false,
            adjustments: Adjustments::default(),
            highlight: Highlight::default(),
            path,
            committed: Rc::default(),
            history: History::default(),
            future: History::default(),
            notice: None,
            attachment: None,
            job: None,
            worker_stalled: false,
            worker_generation: 0,
            full_run: None,
            last_typed_ms: None,
            revision: 0,
            simulated: 0,
        };
        match document {
            Some(document) => state.open(Rc::new(document)).settled(),
            None => {
                let mut state = state;
                state.committed = Rc::new(state.snapshot());
                state.request_run().settled()
            }
        }
    }

    /// The population spec of the scenario on screen, if it has one (a plain CSV has none).
    pub fn population_spec(&self) -> Option<&crate::engine::load::spec::PopulationSpec> {
        self.prepared
            .as_ref()
            .and_then(|p| p.0.scenario.population_spec.as_ref())
    }

    /// The current document.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            path: self.path.clone(),
            text: self.text.clone(),
            as_of: self.as_of,
            adjustments: self.adjustments.clone(),
        }
    }

    /// Opens a document: a restored autosave or a link. A path that names a preset selects it.
    pub fn open(mut self, snapshot: Rc<Snapshot>) -> State {
        if let Some(index) = self.presets.iter().position(|p| p.path == snapshot.path) {
            self.preset = index;
        }
        self.path = snapshot.path.clone();
        self.text = snapshot.text.clone();
        self.as_of = snapshot.as_of;
        self.adjustments = snapshot.adjustments.clone();
        self.committed = snapshot;
        self.request_run()
    }

    /// The name the editor's text goes by in diagnostics.
    pub fn editor_path(&self) -> &str {
        &self.path
    }

    /// The files the text can name: the shipped ones, and the first rows of a large
    /// population file (the page never holds the whole file; the worker reads it).
    pub fn files(&self) -> MemoryFileSystem {
        let mut files = preset_files();
        if let Some(attachment) = &self.attachment {
            files.insert(attachment.path.clone(), attachment.sample.to_string());
        }
        files
    }

    /// Asks for the current document to be simulated: the reducer only counts a new
    /// revision, and the `use_simulation` hook runs [`State::compute`] after the render.
    fn request_run(mut self) -> State {
        self.pending = false;
        // A newer document supersedes any run still going, and any region of the
        // difference that was worked out for the old one.
        self.full_run = None;
        self.region = None;
        self.example = None;
        self.worker_stalled = false;
        self.revision += 1;
        self
    }

    /// Whether the current revision is still to be simulated.
    pub fn needs_run(&self) -> bool {
        self.simulated != self.revision
    }

    /// Loads, checks and simulates the current document: the heavy part, kept out of the
    /// reducer. A large population file is simulated whole by the worker, and its first
    /// rows here.
    pub fn compute(&self) -> Computed {
        let files = self.files();
        let scenario = POPULATIONS.with_borrow_mut(|cache| {
            load_scenario_cached(&self.path, &self.text, &files, &self.adjustments, cache)
        });
        let prepared = prepare(scenario);
        let results = prepared
            .ready(self.as_of)
            .map(|(compiled, as_of)| results::results_of(&prepared, compiled, as_of));
        let scenario = &prepared.scenario;
        let large = self.attachment.as_ref().is_some_and(|a| {
            scenario.has_population
                && scenario
                    .sources
                    .file(scenario.population.file)
                    .is_some_and(|f| f.name() == a.path)
        });
        Computed {
            revision: self.revision,
            prepared,
            results,
            large,
        }
    }

    /// Takes in what simulating a revision gave; `None` if a newer revision superseded it.
    fn apply(self, computed: Computed) -> Option<State> {
        (computed.revision == self.revision).then(|| self.take_in(computed))
    }

    /// Shows what simulating the current revision gave.
    fn take_in(mut self, computed: Computed) -> State {
        self.simulated = computed.revision;
        let Computed {
            prepared,
            results,
            large,
            ..
        } = computed;
        self.diagnostics = Rc::new(prepared.diagnostics.clone());
        let Some(results) = results else {
            self.stale = self.results.is_some();
            return self;
        };
        if large {
            // The worker counts the whole file's records; until it answers, the first
            // rows stand for them.
            let rows = prepared.scenario.population.len();
            let sample = Results {
                sample: Some((rows, rows)),
                ..results
            };
            self.start_full_run(sample, prepared);
            return self;
        }
        self.results = Some(Rc::new(results));
        self.stale = false;
        self.selected = self
            .selected
            .filter(|&r| r < prepared.scenario.population.len());
        self.prepared = Some(SharedScenario(Rc::new(prepared)));
        self
    }

    /// The state with its current revision simulated at once: for the state the page opens
    /// with, and for tests.
    pub fn settled(self) -> State {
        if !self.needs_run() {
            return self;
        }
        let computed = self.compute();
        self.take_in(computed)
    }

    /// Makes a job for the simulation worker and waits for it, showing the file's first
    /// rows' results meanwhile.
    fn start_full_run(&mut self, sample: Results, prepared: Prepared) {
        let id = self.job.as_ref().map_or(1, |j| j.id + 1);
        self.job = Some(Rc::new(Job {
            id,
            path: self.path.clone(),
            text: self.text.clone(),
            adjustments: self.adjustments.clone(),
            as_of: self.as_of,
        }));
        self.full_run = Some(FullRun {
            id,
            stage: Stage::Reading,
            sample: Rc::new(sample),
            prepared: SharedScenario(Rc::new(prepared)),
        });
        // The last whole-population results stay, dimmed, until the new ones come.
        self.stale = self.results.is_some();
    }

    /// Takes in a report from the simulation worker: progress, or the whole population's
    /// totals for the run the page is waiting for. `None` when the report is for a run
    /// that a newer document has superseded.
    fn receive(mut self, report: Report) -> Option<State> {
        match report {
            Report::Progress { id, stage } => {
                let run = self.full_run.as_mut().filter(|r| r.id == id)?;
                run.stage = stage;
            }
            Report::Done {
                id,
                diagnostics,
                totals,
            } => {
                let run = self.full_run.take().filter(|r| r.id == id)?;
                self.diagnostics = Rc::new(diagnostics);
                match totals {
                    Some(full) => {
                        let full = *full;
                        let records = run.prepared.0.scenario.population.len();
                        self.results = Some(Rc::new(Results {
                            totals: full.totals,
                            segments: full.segments,
                            sectors: full.sectors,
                            sample: Some((records, full.records)),
                            ..(*run.sample).clone()
                        }));
                        self.selected = self.selected.filter(|&r| r < records);
                        self.prepared = Some(run.prepared);
                        self.stale = false;
                    }
                    None => self.stale = self.results.is_some(),
                }
            }
            // Answers go to the analyst's views, which keep their own bridge.
            Report::Analysed { .. } => return None,
        }
        Some(self)
    }

    /// Applies a change to the document; `false` if there is nothing to change.
    fn change_document(&mut self, action: Action) -> bool {
        match action {
            Action::ChoosePreset(index) => {
                let Some(preset) = self.presets.get(index) else {
                    return false;
                };
                self.text = preset.text.to_owned();
                self.path = preset.path.to_owned();
                self.preset = index;
                self.as_of = None;
                self.imported = None;
                self.adjustments = Adjustments::default();
            }
            Action::Replace(text) => self.text = text,
            Action::SetAsOf(date) => self.as_of = date,
            Action::Adjust {
                segment,
                parameter,
                value,
            } => {
                let change = self.adjustments.segment_mut(&segment);
                match parameter {
                    Parameter::People => change.people = Some(value),
                    Parameter::UsShare => change.us_share = Some(value),
                    Parameter::ForeignShare => change.foreign_share = Some(value),
                }
            }
            Action::ResetPopulation => self.adjustments = Adjustments::default(),
            Action::SetResponse(preset) => self.text = set_response(&self.text, preset.toml()),
            Action::SetBaseline(choice) => self.text = set_baseline(&self.text, &choice),
            Action::Import { name, text } => self.import(name, text),
            Action::Attach { name, head, ticket } => {
                self.text = set_population_path(&self.text, &name);
                self.attachment = Some(Attachment::new(&name, &self.path, &head, ticket));
                self.opened(name);
            }
            // Every other action is handled before it gets here.
            _ => return false,
        }
        true
    }

    /// Opens a file: a scenario replaces the text, a population becomes the scenario's
    /// inline population.
    fn import(&mut self, name: String, text: String) {
        if name.to_ascii_lowercase().ends_with(".csv") {
            self.text = set_inline_population(&self.text, &text);
        } else {
            self.text = text;
            self.path = name.clone();
            self.as_of = None;
        }
        self.opened(name);
    }

    /// Notes that `name` was opened; the reader's changes to the old population go.
    fn opened(&mut self, name: String) {
        self.imported = Some(name);
        self.adjustments = Adjustments::default();
    }

    /// Simulates the typed text. Typing less than [`TYPING_GROUP_MS`] after the last
    /// simulated keystroke joins its undo step.
    fn typed(mut self, at_ms: f64) -> State {
        let joins_last_step = self
            .last_typed_ms
            .is_some_and(|last| at_ms - last < TYPING_GROUP_MS);
        self.last_typed_ms = Some(at_ms);
        if joins_last_step {
            // The same burst of typing: one undo step, the document before it.
            self.committed = Rc::new(self.snapshot());
            self.future.clear();
            return self.request_run();
        }
        self.commit()
    }

    /// Makes the current document a new undo step, if it changed, and simulates it.
    fn commit(mut self) -> State {
        let current = self.snapshot();
        if current != *self.committed {
            let previous = std::mem::replace(&mut self.committed, Rc::new(current));
            self.history.push(previous);
            self.future.clear();
        }
        self.request_run()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Cheap: the large parts are shared, not copied.
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                // The text updates at once; simulation waits for `Recompute`.
                next.text = text;
                next.pending = true;
            }
            Action::Recompute { .. } if !next.pending => return self,
            Action::Recompute { at_ms } => return Rc::new(next.typed(at_ms)),
            Action::Explain(record) => {
                next.selected = record;
                next.example = None;
            }
            Action::Pin => {
                next.pinned = next.results.clone();
                next.pinned_document = Some(Rc::new(next.snapshot()));
                next.region = None;
                next.example = None;
            }
            Action::Unpin => {
                next.pinned = None;
                next.pinned_document = None;
                next.region = None;
                next.example = None;
            }
            Action::ShowRegion(region) => next.region = region,
            Action::Highlight(highlight) => next.highlight = highlight,
            Action::ExplainExample(example) => {
                next.example = example;
                next.selected = None;
            }
            Action::Notice(message) => next.notice = message,
            Action::Worker(report) => {
                next.worker_stalled = false;
                return next.receive(report).map_or(self, Rc::new);
            }
            Action::WorkerStalled => next.worker_stalled = next.full_run.is_some(),
            Action::RetryWorker => {
                next.worker_stalled = false;
                next.worker_generation += 1;
            }
            Action::Computed(computed) => return next.apply(*computed).map_or(self, Rc::new),
            Action::Open(snapshot) => {
                next.history.push(next.committed.clone());
                next.future.clear();
                return Rc::new(next.open(Rc::new(snapshot)));
            }
            Action::Undo => {
                let Some(previous) = next.history.pop() else {
                    return self;
                };
                next.future.push(Rc::new(next.snapshot()));
                return Rc::new(next.open(previous));
            }
            Action::Redo => {
                let Some(later) = next.future.pop() else {
                    return self;
                };
                next.history.push(Rc::new(next.snapshot()));
                return Rc::new(next.open(later));
            }
            change => {
                if !next.change_document(change) {
                    return self;
                }
                next.last_typed_ms = None;
                return Rc::new(next.commit());
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reduces, then runs the simulation the way the `use_simulation` hook does.
    fn dispatch(state: Rc<State>, action: Action) -> Rc<State> {
        let next = state.reduce(action);
        if !next.needs_run() {
            return next;
        }
        let computed = next.compute();
        next.reduce(Action::Computed(Box::new(computed)))
    }

    #[test]
    fn the_page_opens_the_default_document_and_opening_it_again_changes_nothing() {
        let start = State::initial();
        assert_eq!(*start.committed, State::default_document());
        let reopened = State::initial_with(Some(State::default_document()));
        assert_eq!(reopened.committed, start.committed);
        assert_eq!(reopened.results, start.results);
    }

    #[test]
    fn the_reducer_only_asks_for_a_run_and_a_superseded_run_is_dropped() {
        let start = Rc::new(State::initial());
        assert!(!start.needs_run() && start.results.is_some());
        let first = start.reduce(Action::Replace("title = \"broken".into()));
        assert!(first.needs_run());
        assert!(!first.stale, "nothing is simulated in the reducer");
        let stale_run = first.compute();
        let second = first.reduce(Action::Undo);
        let ignored = second.clone().reduce(Action::Computed(Box::new(stale_run)));
        assert!(Rc::ptr_eq(&ignored, &second));
        let noticed = second.reduce(Action::Notice(None));
        assert!(
            noticed.needs_run(),
            "a notice leaves the revision to simulate"
        );
        let run = noticed.compute();
        let done = noticed.reduce(Action::Computed(Box::new(run)));
        assert!(!done.needs_run() && !done.stale);
    }

    #[test]
    fn undo_and_redo_walk_the_document_history() {
        let start = Rc::new(State::initial());
        let original = start.text.clone();
        let changed = dispatch(start, Action::SetResponse(ResponsePreset::FollowsLaw));
        assert_ne!(changed.text, original);
        let undone = dispatch(changed.clone(), Action::Undo);
        assert_eq!(undone.text, original);
        assert_eq!(undone.future.len(), 1);
        let redone = dispatch(undone, Action::Redo);
        assert_eq!(redone.text, changed.text);
        // Typing is one step once simulated.
        let typed = dispatch(redone, Action::Edit("title = \"x\"".into()));
        assert!(typed.pending);
        let simulated = dispatch(typed, Action::Recompute { at_ms: 0.0 });
        assert!(!simulated.pending);
        // More typing within a second joins that step; after a pause it is a new one.
        let more = dispatch(simulated, Action::Edit("title = \"xy\"".into()));
        let more = dispatch(more, Action::Recompute { at_ms: 400.0 });
        let later = dispatch(more.clone(), Action::Edit("title = \"xyz\"".into()));
        let later = dispatch(later, Action::Recompute { at_ms: 5000.0 });
        assert_eq!(dispatch(later, Action::Undo).text, more.text);
        assert_eq!(dispatch(more, Action::Undo).text, changed.text);
    }

    #[test]
    fn choosing_a_preset_clears_population_adjustments() {
        let start = Rc::new(State::initial());
        let adjusted = dispatch(
            start,
            Action::Adjust {
                segment: "employee".into(),
                parameter: Parameter::ForeignShare,
                value: 0.0,
            },
        );
        assert!(!adjusted.adjustments.segments.is_empty());
        let other = dispatch(adjusted, Action::ChoosePreset(1));
        assert!(other.adjustments.segments.is_empty());
    }

    #[test]
    fn a_highlight_toggles_and_outlives_a_change_of_scenario() {
        let start = Rc::new(State::initial());
        let marked = start.highlight.toggle_segment("researcher");
        let marked = marked.toggle_outcome(Outcome::Collateral);
        assert_eq!(
            marked,
            Highlight::of_step(Some("researcher"), Some("collateral"))
        );
        let state = dispatch(start, Action::Highlight(marked.clone()));
        assert!(!state.needs_run(), "a highlight simulates nothing");
        let other = dispatch(state, Action::ChoosePreset(1));
        assert_eq!(other.highlight, marked);
        let unmarked = marked.toggle_segment("researcher");
        assert_eq!(unmarked.segment, None);
        assert!(unmarked.toggle_outcome(Outcome::Collateral).is_empty());
        assert_eq!(Highlight::of_step(None, Some("nope")), Highlight::default());
    }

    #[test]
    fn opening_a_document_selects_its_preset() {
        let start = State::initial();
        let path = start
            .presets
            .get(2)
            .map(|p| p.path.to_owned())
            .unwrap_or_default();
        let opened = start
            .open(Rc::new(Snapshot {
                path: path.clone(),
                text: "as_of = 2026-11-21".into(),
                ..Snapshot::default()
            }))
            .settled();
        assert_eq!(opened.preset, 2);
        assert_eq!(opened.path, path);
        assert!(
            !opened.diagnostics.is_empty(),
            "the text lacks products and a population"
        );
    }
}

#[cfg(test)]
mod measure {
    use super::*;

    /// Times one keystroke's reduction with a full undo history.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn keystroke_cost_with_full_history() {
        let mut state = Rc::new(State::initial());
        for i in 0..(history::LIMIT + 5) {
            let text = format!("{}\n# {i}\n", state.text);
            state = state.reduce(Action::Replace(text));
        }
        let runs = 2000;
        let start = std::time::Instant::now();
        for i in 0..runs {
            let text = format!("{}#{i}", state.text.len());
            state = state.reduce(Action::Edit(text));
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
        let (kept, bytes) = (state.history.len(), state.committed.text.len());
        println!("history {kept} snapshots; text {bytes} bytes; Edit: {per:.2} µs per keystroke");
    }
}
