//! The bridge to the simulation worker: the page's side of `app::simulation_worker`. The
//! store makes jobs; this hook sends them, and turns the worker's reports into actions.

use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use super::Store;
use crate::app::simulation_worker::{Request, SCRIPT, SimulationWorker};
use crate::app::state::Action;

/// Runs the store's jobs in the simulation worker. The worker starts the first time a
/// large population file is opened and is sent that file once; after that it gets every
/// job the store makes, and its reports go back to the store as actions.
#[hook]
pub fn use_simulation_worker(store: &Store) {
    let bridge = use_mut_ref(|| None::<WorkerBridge<SimulationWorker>>);
    {
        let bridge = bridge.clone();
        let dispatcher = store.dispatcher();
        use_effect_with(store.attachment.clone(), move |attachment| {
            if let Some(attachment) = attachment {
                let mut slot = bridge.borrow_mut();
                let worker = slot.get_or_insert_with(|| {
                    SimulationWorker::spawner()
                        .callback(move |report| dispatcher.dispatch(Action::Worker(report)))
                        .spawn_with_loader(SCRIPT)
                });
                worker.send(Request::Attach {
                    name: attachment.path.clone(),
                    text: attachment.text.to_string(),
                });
            }
        });
    }
    use_effect_with(store.job.clone(), move |job| {
        if let (Some(job), Some(worker)) = (job, bridge.borrow().as_ref()) {
            worker.send(Request::Simulate((**job).clone()));
        }
    });
}
