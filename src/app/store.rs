//! App state as plain data and a pure reducer: every change is an [`Action`], and the
//! results are recomputed from the scenario text in the same step.

use std::rc::Rc;

use yew::prelude::*;

use super::simulation_worker::{Job, Report, Stage};
use crate::engine::aggregate::{Totals, simulate};
use crate::engine::compile::CompiledScenario;
use crate::engine::edit::{
    BaselineChoice, ResponsePreset, set_baseline, set_inline_population, set_population_path,
    set_response,
};
use crate::engine::load::spec::Adjustments;
use crate::engine::load::{PopulationCache, load_scenario_cached, relative_to};
use crate::engine::model::date::Date;
use crate::engine::model::outcome::Outcome;
use crate::engine::model::{Basis, Source};
use crate::engine::presets::{Preset, preset_files, presets};
use crate::engine::source::diagnostic::Diagnostic;
use crate::engine::{Prepared, prepare};

thread_local! {
    /// The last population read: an edit that leaves the population alone reuses it, so
    /// that results follow a keystroke without reading and expanding the population again.
    /// Results never depend on it; it only saves work.
    static POPULATIONS: std::cell::RefCell<PopulationCache> = std::cell::RefCell::new(PopulationCache::default());
}

/// The results of the last simulation that ran without errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// Segment names, indexed like the totals.
    pub segments: Vec<String>,
    /// For a population opened as a large file: how many of its records the page holds
    /// (the people explorer shows these), and how many the totals count.
    pub sample: Option<(usize, usize)>,
    /// Product names, indexed like the totals.
    pub products: Vec<String>,
    /// The scenario's title.
    pub title: String,
    /// The scenario's description.
    pub description: String,
    /// The day simulated.
    pub as_of: Date,
    /// The totals.
    pub totals: Totals,
    /// Each record's most severe outcome over the products it uses.
    pub record_outcomes: Rc<Vec<Outcome>>,
    /// The population's title and description, when it came from a spec.
    pub population: Option<(String, String)>,
    /// The population spec's sources.
    pub population_sources: Vec<Source>,
    /// What the population's sizes and shares rest on (illustrative where unsourced).
    pub population_bases: Vec<Basis>,
    /// Sector names, indexed like the totals.
    pub sectors: Vec<String>,
    /// Where the scenario's and its directives' facts come from.
    pub sources: Vec<Source>,
    /// The directives, for the timeline and the rule-impact table.
    pub directives: Vec<DirectiveSummary>,
    /// The response's title and its rules' conditions.
    pub response: (String, Vec<String>),
    /// What the results are counted against, if the scenario has a baseline.
    pub baseline: Option<BaselineSummary>,
    /// Whether `us_person` is read as contract 1 did (an old link or autosave).
    pub contract_1: bool,
    /// Whether any record is an organisation rather than a person.
    pub organisations: bool,
    /// Where the two readings of "U.S. person" part, if the rules use either.
    pub readings: Option<ReadingGap>,
}

/// The people on whom `us_person` and `foreign_person` disagree, and which of the two the
/// scenario's rules use.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingGap {
    /// Whether a rule names `us_person`.
    pub us_person: bool,
    /// Whether a rule names `foreign_person`.
    pub foreign_person: bool,
    /// The weight of records that are both a U.S. person and a foreign person.
    pub weight: f64,
}

impl Results {
    /// Every kind of fact the numbers rest on: the scenario's and its directives' sources,
    /// and the population's shares (illustrative where no source is named).
    pub fn bases(&self) -> Vec<Basis> {
        let mut bases = bases_of(self.sources.iter().chain(&self.population_sources));
        bases.extend(self.population_bases.iter().copied());
        bases.sort_unstable();
        bases.dedup();
        bases
    }
}

/// What the results show of the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineSummary {
    /// Its title (the baseline file's, or the inline table's).
    pub title: String,
    /// The baseline file, as the scenario names it, if it is one.
    pub path: Option<String>,
    /// The day it is simulated on.
    pub as_of: Date,
    /// Its directives in force that day, by id.
    pub in_force: Vec<String>,
}

/// What the results show of one directive.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it starts (none: always).
    pub effective: Option<Date>,
    /// When it ends (none: never).
    pub expires: Option<Date>,
    /// Whether it is in force on the as-of day.
    pub in_force: bool,
    /// Each rule: effect, condition text, note.
    pub rules: Vec<(String, String, String)>,
    /// Its default effect.
    pub default: String,
    /// What kinds of fact its sources are.
    pub bases: Vec<Basis>,
}

/// The prepared scenario behind the latest results, shared without copying; two are equal
/// when they are the same allocation.
#[derive(Clone, Debug)]
pub struct SharedScenario(pub Rc<Prepared>);

impl PartialEq for SharedScenario {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything the app shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The shipped scenarios.
    pub presets: Vec<Preset>,
    /// Which preset the text came from.
    pub preset: usize,
    /// The scenario text being edited.
    pub text: String,
    /// The as-of date chosen by the user, overriding the scenario's.
    pub as_of: Option<Date>,
    /// Problems in the current text.
    pub diagnostics: Vec<Diagnostic>,
    /// The latest good results.
    pub results: Option<Results>,
    /// Whether `results` are from an earlier text (the current one has errors).
    pub stale: bool,
    /// The name of the last file imported, if any.
    pub imported: Option<String>,
    /// The scenario behind `results`, for explaining single decisions.
    pub prepared: Option<SharedScenario>,
    /// The record whose decisions the "why" panel explains.
    pub selected: Option<usize>,
    /// Results pinned as scenario A for comparison.
    pub pinned: Option<Results>,
    /// Whether the text changed since the last simulation.
    pub pending: bool,
    /// The reader's changes to the population spec's key parameters.
    pub adjustments: Adjustments,
    /// The name the text goes by: a preset's path, an opened file's name.
    pub path: String,
    /// The document as last simulated, for undo.
    pub committed: Snapshot,
    /// Earlier documents, most recent last.
    pub history: Vec<Snapshot>,
    /// Documents undone, most recent last.
    pub future: Vec<Snapshot>,
    /// A message for the reader (a link that could not be opened, storage that failed).
    pub notice: Option<String>,
    /// A population file too large to keep inside the text, kept beside it.
    pub attachment: Option<Attachment>,
    /// The last job for the simulation worker; an effect sends each new one.
    pub job: Option<Job>,
    /// The whole-population run the page is waiting for, if any.
    pub full_run: Option<FullRun>,
    /// When typing was last simulated, while a burst of typing lasts.
    pub last_typed_ms: Option<f64>,
}

/// Keystrokes closer together than this are one undo step.
pub const TYPING_GROUP_MS: f64 = 1000.0;

/// A population file too large to keep inside the scenario text (more than
/// [`LARGE_RECORDS`] rows). The scenario names it; the simulation worker reads all of it,
/// and the page reads its first [`SAMPLE_RECORDS`] rows, for the people explorer and for
/// checking the text as it is typed.
#[derive(Clone, Debug)]
pub struct Attachment {
    /// The file name the scenario uses.
    pub name: String,
    /// Where it lies beside the scenario (the name resolved against the scenario's path).
    pub path: String,
    /// The whole file.
    pub text: Rc<str>,
    /// Its header and first rows.
    pub sample: Rc<str>,
    /// How many records it has.
    pub records: usize,
}

impl PartialEq for Attachment {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && Rc::ptr_eq(&self.text, &other.text)
    }
}

/// Rows above which an opened population is kept beside the text and simulated in the
/// worker.
pub const LARGE_RECORDS: usize = 50_000;

/// Rows of a large population the page itself reads.
pub const SAMPLE_RECORDS: usize = 2_000;

impl Attachment {
    /// Keeps `text`, opened as `name` beside the scenario at `scenario_path`.
    pub fn new(name: &str, scenario_path: &str, text: String) -> Attachment {
        let records = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
            .saturating_sub(1);
        let end = text
            .match_indices('\n')
            .nth(SAMPLE_RECORDS)
            .map_or(text.len(), |(i, _)| i + 1);
        let sample: Rc<str> = Rc::from(text.get(..end).unwrap_or_default());
        Attachment {
            name: name.to_owned(),
            path: relative_to(scenario_path, name),
            text: Rc::from(text),
            sample,
            records,
        }
    }
}

/// A whole-population run in the simulation worker that the page is waiting for.
#[derive(Clone, Debug, PartialEq)]
pub struct FullRun {
    /// The job.
    pub id: u64,
    /// How far the worker has got.
    pub stage: Stage,
    /// The results of the file's first rows; the worker's totals complete them.
    pub sample: Results,
    /// The scenario with the file's first rows, for the people explorer.
    pub prepared: SharedScenario,
}

/// The document: what undo restores, autosave keeps and a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// The name the text goes by.
    pub path: String,
    /// The scenario text.
    pub text: String,
    /// The reader's as-of date.
    pub as_of: Option<Date>,
    /// The reader's changes to the population spec.
    pub adjustments: Adjustments,
}

/// How many documents undo remembers.
const HISTORY: usize = 100;

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
    /// A file was opened: a scenario (`.toml`) replaces the text, a population (`.csv`)
    /// becomes the scenario's inline population, or, if large, a file beside it.
    Import {
        /// The file's name.
        name: String,
        /// Its text.
        text: String,
    },
    /// The simulation worker reported.
    Worker(Report),
}

impl State {
    /// The app as it first opens: the first preset, simulated.
    pub fn initial() -> State {
        State::initial_with(None)
    }

    /// The app opening `document` (a link or an autosave), or the first preset.
    pub fn initial_with(document: Option<Snapshot>) -> State {
        let presets = presets();
        let text = presets
            .first()
            .map(|p| p.text.to_owned())
            .unwrap_or_default();
        let state = State {
            presets,
            preset: 0,
            text,
            as_of: None,
            diagnostics: Vec::new(),
            results: None,
            stale: false,
            imported: None,
            prepared: None,
            selected: None,
            pinned: None,
            pending: false,
            adjustments: Adjustments::default(),
            path: String::new(),
            committed: Snapshot::default(),
            history: Vec::new(),
            future: Vec::new(),
            notice: None,
            attachment: None,
            job: None,
            full_run: None,
            last_typed_ms: None,
        };
        let mut state = state;
        state.path = state
            .presets
            .first()
            .map_or("scenario.toml", |p| p.path)
            .to_owned();
        match document {
            Some(document) => state.open(document),
            None => {
                state.committed = state.snapshot();
                state.recompute()
            }
        }
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
    pub fn open(mut self, snapshot: Snapshot) -> State {
        if let Some(index) = self.presets.iter().position(|p| p.path == snapshot.path) {
            self.preset = index;
        }
        self.path = snapshot.path.clone();
        self.text = snapshot.text.clone();
        self.as_of = snapshot.as_of;
        self.adjustments = snapshot.adjustments.clone();
        self.committed = snapshot;
        self.recompute()
    }

    /// The name the editor's text goes by in diagnostics.
    pub fn editor_path(&self) -> &str {
        self.path()
    }

    fn path(&self) -> &str {
        &self.path
    }

    /// The files the text can name: the shipped ones, and a large population file —
    /// whole, or only its first rows.
    pub fn files(&self, whole: bool) -> crate::engine::load::MemoryFileSystem {
        let mut files = preset_files();
        if let Some(attachment) = &self.attachment {
            let text = if whole {
                &attachment.text
            } else {
                &attachment.sample
            };
            files.insert(attachment.path.clone(), text.to_string());
        }
        files
    }

    /// Loads, checks and simulates the current text; a large population file is simulated
    /// whole by the worker, and its first rows here.
    fn recompute(mut self) -> State {
        self.pending = false;
        let files = self.files(false);
        let scenario = POPULATIONS.with_borrow_mut(|cache| {
            load_scenario_cached(self.path(), &self.text, &files, &self.adjustments, cache)
        });
        let prepared = prepare(scenario);
        self.diagnostics = prepared.diagnostics.clone();
        // A newer document supersedes any run still going.
        self.full_run = None;
        let as_of = self.as_of.or(prepared.scenario.as_of);
        let (Some(compiled), Some(as_of), false) =
            (&prepared.compiled, as_of, prepared.has_errors())
        else {
            self.stale = self.results.is_some();
            return self;
        };
        let results = results_of(&prepared, compiled, as_of);
        let scenario = &prepared.scenario;
        let large = self.attachment.as_ref().filter(|a| {
            scenario.has_population
                && scenario
                    .sources
                    .file(scenario.population.file)
                    .is_some_and(|f| f.name() == a.path)
        });
        if let Some(attachment) = large {
            let id = self.job.as_ref().map_or(1, |j| j.id + 1);
            self.job = Some(Job {
                id,
                path: self.path.clone(),
                text: self.text.clone(),
                adjustments: self.adjustments.clone(),
                as_of: self.as_of,
            });
            self.full_run = Some(FullRun {
                id,
                stage: Stage::Reading,
                sample: Results {
                    sample: Some((scenario.population.len(), attachment.records)),
                    ..results
                },
                prepared: SharedScenario(Rc::new(prepared)),
            });
            // The last whole-population results stay, dimmed, until the new ones come.
            self.stale = self.results.is_some();
            return self;
        }
        self.results = Some(results);
        self.stale = false;
        self.selected = self
            .selected
            .filter(|&r| r < prepared.scenario.population.len());
        self.prepared = Some(SharedScenario(Rc::new(prepared)));
        self
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
                self.diagnostics = diagnostics;
                match totals {
                    Some(full) => {
                        let full = *full;
                        let records = run.prepared.0.scenario.population.len();
                        self.results = Some(Results {
                            totals: full.totals,
                            segments: full.segments,
                            sectors: full.sectors,
                            sample: Some((records, full.records)),
                            ..run.sample
                        });
                        self.selected = self.selected.filter(|&r| r < records);
                        self.prepared = Some(run.prepared);
                        self.stale = false;
                    }
                    None => self.stale = self.results.is_some(),
                }
            }
        }
        Some(self)
    }
}

/// Where the two readings part, if the scenario's rules (or its baseline's) use either.
fn reading_gap(scenario: &crate::engine::load::Scenario) -> Option<ReadingGap> {
    use crate::engine::model::reading::{both_readings_weight, names};
    let baseline = scenario.baseline.iter().flat_map(|b| &b.directives);
    let conditions: Vec<&crate::engine::model::condition::Cond> = scenario
        .directives
        .iter()
        .chain(baseline)
        .flat_map(|d| &d.rules)
        .chain(&scenario.response.rules)
        .filter_map(|r| r.when.as_ref())
        .collect();
    let us_person = conditions.iter().any(|c| names(c, "us_person"));
    let foreign_person = conditions.iter().any(|c| names(c, "foreign_person"));
    let weight = both_readings_weight(&scenario.population, scenario.reading);
    (weight > 0.0 && (us_person || foreign_person)).then_some(ReadingGap {
        us_person,
        foreign_person,
        weight,
    })
}

/// The distinct kinds of fact a list of sources rests on, in the order of [`Basis::ALL`].
pub fn bases_of<'a>(sources: impl IntoIterator<Item = &'a Source>) -> Vec<Basis> {
    let mut bases: Vec<Basis> = sources.into_iter().filter_map(|s| s.basis).collect();
    bases.sort_unstable();
    bases.dedup();
    bases
}

/// What a spec's sizes and shares rest on, each kind once.
fn population_bases(spec: &crate::engine::load::spec::PopulationSpec) -> Vec<Basis> {
    let mut bases: Vec<Basis> = spec
        .segments
        .iter()
        .flat_map(|s| {
            [
                s.people_source.as_str(),
                s.residence.source.as_str(),
                s.status_in_us.source.as_str(),
                s.nationality_in_us.source.as_str(),
                s.sector.source.as_str(),
                s.products.source.as_str(),
            ]
        })
        .filter_map(|id| spec.basis_of(id))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    bases
}

/// The path of the scenario file itself.
fn scenario_path(scenario: &crate::engine::load::Scenario) -> String {
    scenario
        .sources
        .file(scenario.file)
        .map(|f| f.name().to_owned())
        .unwrap_or_default()
}

/// The results of a prepared scenario without errors, simulated on `as_of`.
fn results_of(prepared: &Prepared, compiled: &CompiledScenario, as_of: Date) -> Results {
    let scenario = &prepared.scenario;
    let mut record_outcomes = vec![Outcome::Unavailable; scenario.population.len()];
    let totals = simulate(scenario, compiled, as_of, |d| {
        if let Some(slot) = record_outcomes.get_mut(d.record as usize) {
            *slot = (*slot).min(d.outcome);
        }
    });
    Results {
        sample: None,
        segments: scenario.population.segments.values().to_vec(),
        products: scenario.products.iter().map(|p| p.name.clone()).collect(),
        title: scenario.title.clone(),
        description: scenario.description.clone(),
        as_of,
        totals,
        record_outcomes: Rc::new(record_outcomes),
        sectors: scenario.population.sectors.values().to_vec(),
        sources: {
            let mut all: Vec<Source> = scenario.sources_cited.clone();
            for source in scenario.directives.iter().flat_map(|d| &d.sources) {
                if !all.contains(source) {
                    all.push(source.clone());
                }
            }
            all
        },
        directives: scenario
            .directives
            .iter()
            .map(|d| DirectiveSummary {
                id: d.id.clone(),
                title: d.title.clone(),
                effective: d.effective,
                expires: d.expires,
                in_force: d.in_force(as_of),
                rules: d
                    .rules
                    .iter()
                    .map(|r| {
                        (
                            r.effect.to_string(),
                            r.when_text.clone(),
                            r.note.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
                default: d.default.to_string(),
                bases: bases_of(&d.sources),
            })
            .collect(),
        response: (
            scenario.response.title.clone(),
            scenario
                .response
                .rules
                .iter()
                .map(|r| format!("{} when {}", r.effect, r.when_text))
                .collect(),
        ),
        baseline: scenario.baseline.as_ref().map(|b| {
            let day = b.as_of.unwrap_or(as_of);
            BaselineSummary {
                title: b.title.clone(),
                path: b
                    .path
                    .as_ref()
                    .map(|p| crate::engine::load::path_from(&scenario_path(scenario), p)),
                as_of: day,
                in_force: b
                    .directives
                    .iter()
                    .filter(|d| d.in_force(day))
                    .map(|d| d.id.clone())
                    .collect(),
            }
        }),
        contract_1: scenario.reading == crate::engine::model::reading::Reading::Contract1,
        readings: reading_gap(scenario),
        organisations: scenario
            .population
            .status()
            .contains(&crate::engine::model::population::Status::Entity),
        population: scenario
            .population_spec
            .as_ref()
            .map(|s| (s.title.clone(), s.description.clone())),
        population_bases: scenario
            .population_spec
            .as_ref()
            .map(population_bases)
            .unwrap_or_default(),
        population_sources: scenario
            .population_spec
            .iter()
            .flat_map(|s| &s.sources)
            .map(|s| Source {
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                date: s.date.clone(),
                url: s.url.clone(),
                basis: s.basis,
            })
            .collect(),
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let typing = matches!(action, Action::Recompute { .. });
        match action {
            Action::ChoosePreset(index) => {
                let Some(preset) = next.presets.get(index) else {
                    return self;
                };
                next.text = preset.text.to_owned();
                next.path = preset.path.to_owned();
                next.preset = index;
                next.as_of = None;
                next.imported = None;
                next.adjustments = Adjustments::default();
            }
            Action::Edit(text) => {
                // The text updates at once; simulation waits for `Recompute`.
                next.text = text;
                next.pending = true;
                return Rc::new(next);
            }
            Action::Replace(text) => next.text = text,
            Action::Recompute { .. } if !next.pending => return self,
            Action::Recompute { at_ms } => {
                let joins_last_step = next
                    .last_typed_ms
                    .is_some_and(|last| at_ms - last < TYPING_GROUP_MS);
                next.last_typed_ms = Some(at_ms);
                if joins_last_step {
                    // The same burst of typing: one undo step, the document before it.
                    next.committed = next.snapshot();
                    next.future.clear();
                    return Rc::new(next.recompute());
                }
            }
            Action::SetAsOf(date) => next.as_of = date,
            Action::Adjust {
                segment,
                parameter,
                value,
            } => {
                let change = next.adjustments.segment_mut(&segment);
                match parameter {
                    Parameter::People => change.people = Some(value),
                    Parameter::UsShare => change.us_share = Some(value),
                    Parameter::ForeignShare => change.foreign_share = Some(value),
                }
            }
            Action::ResetPopulation => next.adjustments = Adjustments::default(),
            Action::Explain(record) => {
                next.selected = record;
                return Rc::new(next);
            }
            Action::Pin => {
                next.pinned = next.results.clone();
                return Rc::new(next);
            }
            Action::Unpin => {
                next.pinned = None;
                return Rc::new(next);
            }
            Action::SetResponse(preset) => next.text = set_response(&next.text, preset.toml()),
            Action::SetBaseline(choice) => next.text = set_baseline(&next.text, &choice),
            Action::Import { name, text } => {
                let is_csv = name.to_ascii_lowercase().ends_with(".csv");
                if is_csv && text.matches('\n').nth(LARGE_RECORDS).is_some() {
                    next.text = set_population_path(&next.text, &name);
                    next.attachment = Some(Attachment::new(&name, &next.path, text));
                } else if is_csv {
                    next.text = set_inline_population(&next.text, &text);
                } else {
                    next.text = text;
                    next.path = name.clone();
                    next.as_of = None;
                }
                next.imported = Some(name);
                next.adjustments = Adjustments::default();
            }
            Action::Open(snapshot) => {
                next.history.push(next.committed.clone());
                next.future.clear();
                return Rc::new(next.open(snapshot));
            }
            Action::Undo => {
                let Some(previous) = next.history.pop() else {
                    return self;
                };
                next.future.push(next.snapshot());
                return Rc::new(next.open(previous));
            }
            Action::Redo => {
                let Some(later) = next.future.pop() else {
                    return self;
                };
                next.history.push(next.snapshot());
                return Rc::new(next.open(later));
            }
            Action::Notice(message) => {
                next.notice = message;
                return Rc::new(next);
            }
            Action::Worker(report) => return next.receive(report).map_or(self, Rc::new),
        }
        if !typing {
            next.last_typed_ms = None;
        }
        // Every other change is a new document state: remember the old one for undo.
        let current = next.snapshot();
        if current != next.committed {
            next.history
                .push(std::mem::replace(&mut next.committed, current));
            if next.history.len() > HISTORY {
                next.history.remove(0);
            }
            next.future.clear();
        }
        Rc::new(next.recompute())
    }
}

/// The store shared by every component.
pub type Store = UseReducerHandle<State>;

/// The app-wide store, from the context the root component provides (`None` outside it).
#[hook]
pub fn use_store() -> Option<Store> {
    use_context::<Store>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispatch(state: Rc<State>, action: Action) -> Rc<State> {
        state.reduce(action)
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
    fn opening_a_document_selects_its_preset() {
        let start = State::initial();
        let path = start
            .presets
            .get(2)
            .map(|p| p.path.to_owned())
            .unwrap_or_default();
        let opened = start.open(Snapshot {
            path: path.clone(),
            text: "as_of = 2026-11-21".into(),
            ..Snapshot::default()
        });
        assert_eq!(opened.preset, 2);
        assert_eq!(opened.path, path);
        assert!(
            !opened.diagnostics.is_empty(),
            "the text lacks products and a population"
        );
    }
}
