//! The browser app: Yew function components over the engine, in layers as in yew's
//! `function_todomvc` example. [`state`] is plain data and a pure reducer; [`hooks`] share
//! the store through a context and run the effects (the simulation worker, storage, the
//! keyboard); [`components`] are the views, which only read the store and dispatch
//! actions. What is pure and not about the page lives in the engine.

pub mod analysis;
pub mod api;
mod components;
pub mod crash;
mod hooks;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod simulation_worker;
pub mod standalone;
pub mod state;

use yew::prelude::*;

use components::{embed, story};
use hooks::Store;

/// Milliseconds since the page opened, from the high-resolution clock (0 without one).
pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The id of the element that holds the first screen drawn when the app was built
/// ([`prerender`]); the app takes its place once its own first screen is drawn.
pub const PRERENDERED: &str = "prerendered";

/// Takes the first screen drawn when the app was built out of the page, if it is there.
pub(crate) fn remove_prerendered() {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(PRERENDERED))
    {
        element.remove();
    }
}

/// Starts the app: the panic hook first, then the renderer. The first screen drawn when
/// the app was built goes at once: the renderer draws the app's own in a microtask, and
/// Yew yields to the browser only once every component's first render is in the page,
/// so no frame shows both, or neither.
pub fn start() {
    crash::install_panic_hook();
    yew::Renderer::<App>::new().render();
    remove_prerendered();
}

/// The page's query and fragment. A standalone story page (`standalone`) carries its
/// story in the page instead, as a story link would in its fragment.
fn address() -> (String, String) {
    let carried = gloo::utils::document()
        .get_element_by_id(standalone::STORY_ELEMENT)
        .and_then(|e| e.text_content());
    if let Some(fragment) = carried {
        return ("?story=shared".to_owned(), fragment);
    }
    let location = gloo::utils::window().location();
    (
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default(),
    )
}

/// The root component: the store and its effects, then the view the page's query asks
/// for — an embed, a story, or the full app.
#[component]
pub fn App() -> Html {
    let address = use_memo((), |_| address());
    let embed = use_memo(address.clone(), |address| embed::config(&address.0));
    let story_config = use_memo(address.clone(), |address| {
        story::config(&address.0, &address.1)
    });
    let store = hooks::use_opening_store((*embed).clone(), (*story_config).clone());
    hooks::use_simulation(&store);
    hooks::use_autosave(&store, embed.is_some() || story_config.is_some());
    hooks::use_simulation_worker(&store);
    hooks::use_undo_keys(&store);
    hooks::use_frame_height();
    let view = if let Some(config) = (*story_config).clone() {
        html! { <story::StoryView {config} /> }
    } else if let Some(config) = (*embed).clone() {
        html! { <embed::Embed {config} /> }
    } else {
        full_app()
    };
    html! {
        <ContextProvider<Store> context={store}>
            { view }
        </ContextProvider<Store>>
    }
}

/// The full app: the header, the controls and the results.
fn full_app() -> Html {
    use components::*;
    html! {
        <>
            <header class="masthead">
                <h1>{ "Cutoff" }</h1>
                <p class="tagline">
                    { "See who loses access when an export-control directive takes effect. " }
                    <a href="?story=friday-letter" data-testid="story-link">{ "Story: the Friday letter" }</a>
                    { " · " }
                    <a href="?story=two-readings" data-testid="story-link-two-readings">{ "Story: two readings of one sentence" }</a>
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
                        <hooks::AfterFirstPaint>
                            <builder::RuleBuilder />
                        </hooks::AfterFirstPaint>
                    </import::DropZone>
                </section>
                <section class="results" aria-label="Results" aria-live="polite">
                    <analyst::AnalystProvider>
                        <compare::Compare />
                        <results::Results />
                        <hooks::AfterFirstPaint>
                            <analyst::AnalystViews />
                            <explorer::Explorer />
                        </hooks::AfterFirstPaint>
                    </analyst::AnalystProvider>
                </section>
            </main>
            <hooks::AfterFirstPaint>
                <story_editor::StoryEditor />
            </hooks::AfterFirstPaint>
            <footer class="colophon">
                <p>
                    { "Runs entirely in your browser; nothing you write leaves it. " }
                    { "Population figures in the shipped scenarios are illustrative unless a source is named." }
                </p>
            </footer>
        </>
    }
}
