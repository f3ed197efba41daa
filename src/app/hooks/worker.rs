//! The bridge to the simulation worker: the page's side of `app::simulation_worker`. The
//! store makes jobs; this hook sends them, turns the worker's reports into actions, and
//! watches for a worker that stops answering.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo::worker::WorkerBridge;
use yew::prelude::*;

use super::Store;
use crate::app::simulation_worker::{Report, Request, SimulationWorker, spawn};
use crate::app::state::Action;

thread_local! {
    /// The large population file the reader chose last, with its ticket. The state holds
    /// only the ticket (it stays plain data); the file goes from here to the worker.
    static OPENED: RefCell<Option<(u64, web_sys::File)>> = const { RefCell::new(None) };
    static TICKETS: Cell<u64> = const { Cell::new(0) };
}

/// Keeps a large population file for the worker, in place of the one kept before, and
/// returns its ticket for [`Action::Attach`].
pub fn keep_opened_file(file: web_sys::File) -> u64 {
    let ticket = TICKETS.get() + 1;
    TICKETS.set(ticket);
    OPENED.set(Some((ticket, file)));
    ticket
}

/// The kept file with `ticket`, unless another has replaced it.
fn opened_file(ticket: u64) -> Option<web_sys::File> {
    OPENED.with_borrow(|opened| {
        opened
            .as_ref()
            .filter(|(kept, _)| *kept == ticket)
            .map(|(_, file)| file.clone())
    })
}

/// How long a run may go without a report before the page says the worker may have
/// stopped. The worker reports between blocks of records, well under a second apart; the
/// longest silence is reading a million-row file, a few seconds.
pub const WORKER_WATCHDOG_MS: u32 = 15_000;

/// The watchdog's timer: armed when a job is sent, re-armed by every progress report,
/// disarmed when the job is done.
type Watchdog = Rc<RefCell<Option<Timeout>>>;

fn arm(watchdog: &Watchdog, dispatcher: &UseReducerDispatcher<crate::app::state::State>) {
    let dispatcher = dispatcher.clone();
    let timer = Timeout::new(WORKER_WATCHDOG_MS, move || {
        dispatcher.dispatch(Action::WorkerStalled)
    });
    // Dropping the previous timer cancels it.
    *watchdog.borrow_mut() = Some(timer);
}

/// Runs the store's jobs in the simulation worker. The worker starts the first time a
/// large population file is opened and is sent that file once; after that it gets every
/// job the store makes, and its reports go back to the store as actions. A retry
/// (`Action::RetryWorker`) starts a new worker and sends it the file and the job again.
#[hook]
pub fn use_simulation_worker(store: &Store) {
    let bridge = use_mut_ref(|| None::<WorkerBridge<SimulationWorker>>);
    let watchdog: Watchdog = use_mut_ref(|| None::<Timeout>);
    {
        let (bridge, watchdog) = (bridge.clone(), watchdog.clone());
        let dispatcher = store.dispatcher();
        let key = (store.attachment.clone(), store.worker_generation);
        use_effect_with(key, move |(attachment, _)| {
            let opened = attachment
                .as_ref()
                .and_then(|a| Some((a.path.clone(), opened_file(a.ticket)?)));
            if let Some((name, file)) = opened {
                let mut slot = bridge.borrow_mut();
                // A new generation (a retry) drops the old worker and starts another.
                *slot = None;
                let reports = dispatcher.clone();
                let worker = slot.get_or_insert_with(|| {
                    spawn(move |report: Report| {
                        match &report {
                            Report::Progress { .. } => arm(&watchdog, &reports),
                            Report::Done { .. } => *watchdog.borrow_mut() = None,
                            Report::Analysed { .. } => {}
                        }
                        reports.dispatch(Action::Worker(report));
                    })
                });
                worker.send(Request::Attach { name, file });
            }
        });
    }
    let dispatcher = store.dispatcher();
    use_effect_with(
        (store.job.clone(), store.worker_generation),
        move |(job, _)| {
            if let (Some(job), Some(worker)) = (job, bridge.borrow().as_ref()) {
                worker.send(Request::Simulate((**job).clone()));
                arm(&watchdog, &dispatcher);
            }
        },
    );
}
