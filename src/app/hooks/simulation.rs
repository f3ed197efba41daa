//! Simulating the document after each change: the reducer only counts a new revision,
//! and this effect loads, checks and simulates it once the page has rendered, then hands
//! the outcome back to the store.

use yew::prelude::*;

use super::Store;
use crate::app::state::Action;

/// Simulates every new revision of the document.
#[hook]
pub fn use_simulation(store: &Store) {
    let store = store.clone();
    use_effect_with(store.revision, move |_| {
        // The state the page opens with is simulated already.
        if store.needs_run() {
            let computed = store.compute();
            store.dispatch(Action::Computed(Box::new(computed)));
        }
    });
}
