//! Simulating the document after each change: the reducer only counts a new revision,
//! and this effect loads, checks and simulates it once the page has rendered, then hands
//! the outcome back to the store.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::Store;
use crate::app::state::Action;

/// Simulates every new revision of the document: at once, so that an edit shows its
/// effect in the same frame, or — beside a large population file, where the page works
/// out the first rows' results and draws them — in a task of its own after the change is
/// drawn, so that neither holds the page for long. A newer revision cancels a pending run.
#[hook]
pub fn use_simulation(store: &Store) {
    let store = store.clone();
    use_effect_with(store.revision, move |_| {
        // The state the page opens with is simulated already.
        let (needed, large) = (store.needs_run(), store.attachment.is_some());
        let run = move || {
            let computed = store.compute();
            store.dispatch(Action::Computed(Box::new(computed)));
        };
        let pending = match (needed, large) {
            (false, _) => None,
            (true, false) => {
                run();
                None
            }
            (true, true) => Some(Timeout::new(0, run)),
        };
        move || drop(pending)
    });
}
