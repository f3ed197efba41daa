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
mod picker;
mod population;
pub mod presets;
mod response;
mod results;
pub mod store;

use yew::prelude::*;

use store::State;

/// The root component: the store, the header, the controls and the results.
#[component]
pub fn App() -> Html {
    let store = use_reducer(State::initial);
    html! {
        <ContextProvider<store::Store> context={store}>
            <header class="masthead">
                <h1>{ "Cutoff" }</h1>
                <p class="tagline">{ "See who loses access when an export-control directive takes effect." }</p>
            </header>
            <main class="layout">
                <section class="controls" aria-label="Scenario">
                    <import::DropZone>
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
