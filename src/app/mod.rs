//! The browser app: Yew function components over the engine. State lives in one reducer
//! ([`store`]) shared through a context; components only read it and dispatch actions.

mod breakdowns;
mod builder;
mod charts;
mod compare;
mod editor;
mod explorer;
mod format;
mod highlight;
mod import;
mod map;
mod persist;
mod picker;
mod population;
pub mod presets;
mod response;
mod results;
mod share;
pub mod store;

use yew::prelude::*;

use store::{Action, State};
use wasm_bindgen::JsCast;

/// The root component: the store, the header, the controls and the results.
#[component]
pub fn App() -> Html {
    let store = use_reducer(|| {
        let (document, notice) = persist::initial();
        let state = State::initial_with(document);
        State { notice, ..state }
    });
    {
        // Autosave every document that has been simulated.
        let store = store.clone();
        use_effect_with(store.committed.clone(), move |snapshot| {
            if let Err(message) = persist::autosave(snapshot)
                && store.notice.is_none()
            {
                store.dispatch(Action::Notice(Some(message)));
            }
        });
    }
    {
        // Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) undo and redo, anywhere on the page.
        let store = store.clone();
        use_effect_with((), move |_| {
            // Not passive: the listener must be able to stop the browser's own undo.
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener = gloo::events::EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                options,
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if !(event.ctrl_key() || event.meta_key()) {
                        return;
                    }
                    let key = event.key().to_lowercase();
                    let action = match (key.as_str(), event.shift_key()) {
                        ("z", false) => Action::Undo,
                        ("z", true) | ("y", _) => Action::Redo,
                        _ => return,
                    };
                    event.prevent_default();
                    store.dispatch(action);
                },
            );
            move || drop(listener)
        });
    }
    html! {
        <ContextProvider<store::Store> context={store}>
            <header class="masthead">
                <h1>{ "Cutoff" }</h1>
                <p class="tagline">{ "See who loses access when an export-control directive takes effect." }</p>
            </header>
            <main class="layout">
                <section class="controls" aria-label="Scenario">
                    <import::DropZone>
                        <share::SharePanel />
                        <picker::Picker />
                        <response::ResponsePicker />
                        <import::Import />
                        <population::PopulationControls />
                        <editor::Editor />
                        <builder::RuleBuilder />
                    </import::DropZone>
                </section>
                <section class="results" aria-label="Results" aria-live="polite">
                    <compare::Compare />
                    <results::Results />
                    <explorer::Explorer />
                </section>
            </main>
            <footer class="colophon">
                <p>
                    { "Runs entirely in your browser; nothing you write leaves it. " }
                    { "Population figures in the shipped scenarios are illustrative unless a source is named." }
                </p>
            </footer>
        </ContextProvider<store::Store>>
    }
}
