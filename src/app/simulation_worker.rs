//! The simulation worker: a web worker that reads large populations and simulates them,
//! so that the page never waits on a million records. The page sends it the population
//! file once ([`Request::Attach`]: the `File` the reader chose, not its text, so that the
//! page never reads or copies it) and then a [`Job`] for every edit; the worker reports
//! progress as it goes and the totals at the end. It decides a block of records at a time
//! and returns to its event loop between blocks, so a newer job that arrives meanwhile
//! supersedes the running one, which is dropped unfinished. It also answers the analyst's
//! questions ([`Request::Analyse`]: ranges and sweeps over a population spec, sweeps over
//! days, the exact difference between two documents), so that they never hold the page.

use gloo::timers::callback::Timeout;
use gloo::worker::{Codec, HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::app::analysis::{AnalysisJob, Answer, Questions, answer};
use crate::engine::aggregate::{Simulation, Totals, simulate};
use crate::engine::load::spec::Adjustments;
use crate::engine::load::{MemoryFileSystem, PopulationCache, load_scenario_cached};
use crate::engine::model::date::Date;
use crate::engine::presets::preset_files;
use crate::engine::source::diagnostic::Diagnostic;
use crate::engine::{Prepared, prepare};

/// Records decided between two looks at the event loop: a few milliseconds of work.
const STEP_RECORDS: usize = 262_144;

/// The worker's loader script (written by Trunk), beside the page.
pub const SCRIPT: &str = "./cutoff-worker_loader.js";

/// Messages between the page and the worker as JavaScript values rather than bytes, so
/// that a `File` travels as itself: posting it shares the file, and the page copies none of
/// its bytes.
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        serde_wasm_bindgen::to_value(&input).unwrap_or_else(|e| {
            wasm_bindgen::throw_str(&format!("a worker message could not be written: {e}"))
        })
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        // Both sides make their bridges through `spawn` and `register`, with this codec; a
        // message of another shape is a bug, reported with what did not fit.
        serde_wasm_bindgen::from_value(input).unwrap_or_else(|e| {
            wasm_bindgen::throw_str(&format!("a worker message could not be read: {e}"))
        })
    }
}

/// Starts a simulation worker whose reports go to `reports`. The page's side must speak
/// [`JsCodec`] as the worker's does, so every bridge is made here.
pub fn spawn(reports: impl Fn(Report) + 'static) -> WorkerBridge<SimulationWorker> {
    SimulationWorker::spawner()
        .callback(reports)
        .encoding::<JsCodec>()
        .spawn_with_loader(SCRIPT)
}

/// What the page asks of the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// A population file the reader opened, kept for the jobs that name it.
    Attach {
        /// Its file name, as the scenario names it.
        name: String,
        /// The file itself; the worker reads it.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        file: web_sys::File,
    },
    /// Simulate a document.
    Simulate(Job),
    /// Answer one of the analyst's questions (a range, a sweep, an exact difference) about a
    /// document.
    Analyse(AnalysisJob),
}

/// One document to simulate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Increases with every job; a report names the job it is for.
    pub id: u64,
    /// The name the scenario text goes by.
    pub path: String,
    /// The scenario text.
    pub text: String,
    /// The reader's changes to the population spec.
    pub adjustments: Adjustments,
    /// The day to simulate, if not the scenario's own.
    pub as_of: Option<Date>,
}

/// How far a job has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Reading and checking the scenario and its population.
    Reading,
    /// Deciding records: how many so far, of how many.
    Deciding(usize, usize),
}

/// The totals of a whole population, with the names they are indexed by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FullTotals {
    /// The totals.
    #[serde(with = "packed")]
    pub totals: Totals,
    /// Segment names, indexed like the totals.
    pub segments: Vec<String>,
    /// Sector names, indexed like the totals.
    pub sectors: Vec<String>,
    /// How many records the population has.
    pub records: usize,
}

/// Totals as one block of bytes (bincode) in a worker message, rather than a JavaScript
/// object with a property for each of their thousands of numbers: the page reads a block
/// in a fraction of a millisecond, and the object took tens of them.
mod packed {
    use serde::de::Visitor;
    use serde::ser::Error as _;
    use serde::{Deserializer, Serializer};

    use crate::engine::aggregate::Totals;

    pub fn serialize<S: Serializer>(totals: &Totals, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = bincode::serialize(totals).map_err(S::Error::custom)?;
        serializer.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Totals, D::Error> {
        deserializer.deserialize_byte_buf(Bytes)
    }

    /// Reads the block, however the format hands it over.
    struct Bytes;

    impl Visitor<'_> for Bytes {
        type Value = Totals;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("totals as bytes")
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Totals, E> {
            bincode::deserialize(bytes).map_err(E::custom)
        }

        fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Totals, E> {
            self.visit_bytes(&bytes)
        }
    }
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Report {
    /// A job is under way.
    Progress {
        /// The job.
        id: u64,
        /// How far it is.
        stage: Stage,
    },
    /// A job is done.
    Done {
        /// The job.
        id: u64,
        /// Every diagnostic for the whole population.
        diagnostics: Vec<Diagnostic>,
        /// The totals, unless the scenario has errors.
        totals: Option<Box<FullTotals>>,
    },
    /// The answer to an analyst's question.
    Analysed {
        /// The question's job.
        id: u64,
        /// The answer.
        answer: Box<Answer>,
    },
}

/// A job being decided, a step at a time.
struct Running {
    handler: HandlerId,
    id: u64,
    prepared: Prepared,
    simulation: Simulation,
}

/// The worker's state: the files the page attached, the last population read, the job
/// under way, and the analyst's questions not yet worked on.
pub struct SimulationWorker {
    files: MemoryFileSystem,
    cache: PopulationCache,
    latest: u64,
    running: Option<Running>,
    questions: Questions,
    asker: Option<HandlerId>,
}

/// A message the worker sends itself.
#[derive(Debug)]
pub enum Step {
    /// Decide the next block of the running job.
    Next,
    /// Answer the oldest analyst's question still pending.
    Answer,
}

impl SimulationWorker {
    /// Reads and checks the job's document, and either answers at once (errors, a small
    /// population) or starts deciding a step at a time.
    fn start(&mut self, scope: &WorkerScope<Self>, handler: HandlerId, job: Job) {
        let id = job.id;
        scope.respond(
            handler,
            Report::Progress {
                id,
                stage: Stage::Reading,
            },
        );
        let scenario = load_scenario_cached(
            &job.path,
            &job.text,
            &self.files,
            &job.adjustments,
            &mut self.cache,
        );
        let prepared = prepare(scenario);
        let Some((compiled, as_of)) = prepared.ready(job.as_of) else {
            scope.respond(handler, done(id, &prepared, None));
            return;
        };
        match Simulation::new(&prepared.scenario, compiled, as_of) {
            Some(simulation) => {
                self.running = Some(Running {
                    handler,
                    id,
                    prepared,
                    simulation,
                });
                schedule_step(scope);
            }
            None => {
                // Rules too fine for a decision table: decided in one go.
                let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
                scope.respond(handler, done(id, &prepared, Some(totals)));
            }
        }
    }
}

impl SimulationWorker {
    /// Answers the oldest pending question, and comes back for the next one after the
    /// event loop has had a turn.
    fn answer_next(&mut self, scope: &WorkerScope<Self>) {
        let (Some(job), Some(handler)) = (self.questions.take_oldest(), self.asker) else {
            return;
        };
        let answer = Box::new(answer(&job, &self.files));
        scope.respond(handler, Report::Analysed { id: job.id, answer });
        if !self.questions.is_empty() {
            schedule(scope, Step::Answer);
        }
    }
}

/// Comes back to the worker after its event loop has had a turn, so that a newer job can
/// arrive first.
fn schedule_step(scope: &WorkerScope<SimulationWorker>) {
    schedule(scope, Step::Next);
}

fn schedule(scope: &WorkerScope<SimulationWorker>, step: Step) {
    let scope = scope.clone();
    Timeout::new(0, move || scope.send_message(step)).forget();
}

/// The whole text of a file the page sent. Workers may read files synchronously, which
/// keeps the reading in order with the jobs that follow it. The bytes are read and checked
/// as UTF-8 here: the browser's own decoding to a JavaScript string, then re-encoding into
/// wasm memory, took a second for a 58 MB file. As the page's `state::decode` does, a
/// UTF-8 byte-order mark is left out (so that the worker's diagnostics and the page's
/// point at the same columns) and bytes that are not UTF-8 become U+FFFD.
fn read_file(file: &web_sys::File) -> Option<String> {
    const BYTE_ORDER_MARK: [u8; 3] = [0xEF, 0xBB, 0xBF];
    let buffer = web_sys::FileReaderSync::new()
        .and_then(|reader| reader.read_as_array_buffer(file))
        .ok()?;
    let array = js_sys::Uint8Array::new(&buffer);
    let marked = array.length() >= 3
        && (0..3u32)
            .zip(BYTE_ORDER_MARK)
            .all(|(index, byte)| array.get_index(index) == byte);
    let start = if marked { 3 } else { 0 };
    let bytes = array.subarray(start, array.length()).to_vec();
    Some(
        String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
    )
}

fn done(id: u64, prepared: &Prepared, totals: Option<Totals>) -> Report {
    let population = &prepared.scenario.population;
    Report::Done {
        id,
        diagnostics: prepared.diagnostics.clone(),
        totals: totals.map(|totals| {
            Box::new(FullTotals {
                totals,
                segments: population.segments.values().to_vec(),
                sectors: population.sectors.values().to_vec(),
                records: population.len(),
            })
        }),
    }
}

impl Worker for SimulationWorker {
    type Message = Step;
    type Input = Request;
    type Output = Report;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SimulationWorker {
            files: preset_files(),
            cache: PopulationCache::default(),
            latest: 0,
            running: None,
            questions: Questions::default(),
            asker: None,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, step: Step) {
        if let Step::Answer = step {
            self.answer_next(scope);
            return;
        }
        let Some(running) = self.running.as_mut() else {
            return;
        };
        if running.id != self.latest {
            // Superseded by a newer job.
            self.running = None;
            return;
        }
        let Some(compiled) = running.prepared.compiled.as_ref() else {
            self.running = None;
            return;
        };
        running.simulation.advance(
            &running.prepared.scenario,
            compiled,
            STEP_RECORDS,
            &mut |_| {},
        );
        let (decided, records) = running.simulation.progress();
        if running.simulation.is_done() {
            let totals = running.simulation.finish(&running.prepared.scenario);
            scope.respond(
                running.handler,
                done(running.id, &running.prepared, Some(totals)),
            );
            self.running = None;
        } else {
            scope.respond(
                running.handler,
                Report::Progress {
                    id: running.id,
                    stage: Stage::Deciding(decided, records),
                },
            );
            schedule_step(scope);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, request: Request, handler: HandlerId) {
        match request {
            Request::Attach { name, file } => {
                // A file that cannot be read is left out: the job that names it then
                // reports it missing, located in the scenario text.
                if let Some(text) = read_file(&file) {
                    self.files.insert(name, text);
                }
            }
            Request::Simulate(job) => {
                self.latest = job.id;
                self.running = None;
                self.start(scope, handler, job);
            }
            Request::Analyse(job) => {
                // Worked on after the event loop has had a turn, so that a newer question
                // for the same view, already sent, drops this one first.
                if self.questions.is_empty() {
                    schedule(scope, Step::Answer);
                }
                self.asker = Some(handler);
                self.questions.ask(job);
            }
        }
    }
}
