//! The browser app: Yew function components over the engine. State lives in one reducer
//! ([`store`]) shared through a context; components only read it and dispatch actions.

pub mod api;
mod baseline;
mod basis;
mod breakdowns;
mod builder;
mod chart_export;
mod charts;
mod compare;
pub mod crash;
mod editor;
mod embed;
mod explorer;
mod format;
mod highlight;
mod import;
mod map;
mod persist;
mod picker;
mod population;
mod response;
mod results;
mod share;
pub mod simulation_worker;
pub mod store;
mod story;

use yew::prelude::*;

use store::{Action, State};
use wasm_bindgen::JsCast;

/// Milliseconds since the page opened, from the high-resolution clock (0 without one).
pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Starts the app: the panic hook first, then the renderer.
pub fn start() {
    crash::install_panic_hook();
    yew::Renderer::<App>::new().render();
}

/// The root component: the store, the header, the controls and the results.
#[component]
pub fn App() -> Html {
    // The page's query decides the view: an embed, a story, or the full app.
    let query = use_memo((), |_| {
        gloo::utils::window()
            .location()
            .search()
            .unwrap_or_default()
    });
    let embed = use_memo(query.clone(), |query| embed::config(query));
    let story_config = use_memo(query.clone(), |query| story::config(query));
    let store = {
        let embed = (*embed).clone();
        let story_config = (*story_config).clone();
        use_reducer(move || {
            let standalone = embed.is_none() && story_config.is_none();
            let persist::Opening {
                mut document,
                why,
                notice,
            } = persist::initial(standalone);
            // A story opens its step's scenario.
            if let Some(config) = &story_config
                && let Some(found) = story::load(&config.id)
            {
                document =
                    story::step_document(&config.id, &found, config.step.min(found.steps.len()));
            }
            // An embed may name a shipped scenario instead of carrying one.
            if document.is_none()
                && let Some(path) = embed.and_then(|e| e.preset)
                && let Some(preset) = crate::engine::presets::presets()
                    .into_iter()
                    .find(|p| p.path == path)
            {
                document = Some(store::Snapshot {
                    path: path.clone(),
                    text: preset.text.to_owned(),
                    ..store::Snapshot::default()
                });
            }
            let state = State::initial_with(document);
            // A link may open a record's "why" panel.
            let selected = why.and_then(|id| {
                state
                    .prepared
                    .as_ref()
                    .and_then(|p| p.0.scenario.population.ids().iter().position(|r| *r == id))
            });
            State {
                notice,
                selected,
                ..state
            }
        })
    };
    {
        // Autosave every document that has been simulated (not from an embed, which must
        // not overwrite the reader's own work on this site).
        let store = store.clone();
        let embedded = embed.is_some() || story_config.is_some();
        use_effect_with(store.committed.clone(), move |snapshot| {
            if embedded {
                return;
            }
            if let Err(message) = persist::autosave(snapshot)
                && store.notice.is_none()
            {
                store.dispatch(Action::Notice(Some(message)));
            }
        });
    }
    simulation_worker::use_simulation_worker(&store);
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
    if let Some(config) = (*story_config).clone() {
        return html! {
            <ContextProvider<store::Store> context={store}>
                <story::StoryView {config} />
            </ContextProvider<store::Store>>
        };
    }
    if let Some(config) = (*embed).clone() {
        return html! {
            <ContextProvider<store::Store> context={store}>
                <embed::Embed {config} />
            </ContextProvider<store::Store>>
        };
    }
    html! {
        <ContextProvider<store::Store> context={store}>
            <header class="masthead">
                <h1>{ "Cutoff" }</h1>
                <p class="tagline">
                    { "See who loses access when an export-control directive takes effect. " }
                    <a href="?story=friday-letter" data-testid="story-link">{ "Story: the Friday letter" }</a>
                </p>
            </header>
            <main class="layout">
                <section class="controls" aria-label="Scenario">
                    <import::DropZone>
                        <share::SharePanel />
                        <picker::Picker />
                        <response::ResponsePicker />
                        <baseline::BeforePicker />
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
