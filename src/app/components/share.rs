//! Keeping and passing on work: undo and redo, a link that carries the whole scenario,
//! named saves in this browser, and exports of the scenario, decisions and totals.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::hooks::persist;
use crate::app::hooks::use_store;
use crate::app::state::{Action, Snapshot, State};
use crate::engine::aggregate::simulate;
use crate::engine::edit::{self_contained, set_population_path};
use crate::engine::render::decisions::decisions_csv;
use crate::engine::render::totals::totals_json_named;

/// Whether the results come from a large population file beside the scenario, which the
/// page does not hold (the worker read it).
fn reads_large_file(store: &State) -> bool {
    store.results.as_ref().is_some_and(|r| r.sample.is_some())
}

/// The document as one self-contained scenario (directive files and the population
/// written in), or the text as it is when it has errors. A large population file is not
/// written in: the scenario keeps naming it, and the file goes beside it.
fn resolved(store: &State) -> Snapshot {
    let mut snapshot = store.snapshot();
    match self_contained(&store.path, &store.text, &store.files(), &store.adjustments) {
        Ok(text) => {
            snapshot.text = match &store.attachment {
                Some(file) if reads_large_file(store) => set_population_path(&text, &file.name),
                _ => text,
            };
            snapshot.adjustments = Default::default();
        }
        Err(problems) => {
            let first = problems
                .iter()
                .find(|d| d.is_error())
                .map(ToString::to_string)
                .unwrap_or_default();
            gloo::console::warn!(format!(
                "the scenario is shared as written, not resolved: {first}"
            ));
        }
    }
    snapshot
}

/// What an export button writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Export {
    /// The scenario, self-contained.
    Scenario,
    /// Every decision, as CSV.
    Decisions,
    /// The totals, as JSON.
    Totals,
}

/// The file name the exports start with: the document's, without `.scenario.toml`.
fn export_base(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or("scenario.toml")
        .trim_end_matches(".toml")
        .trim_end_matches(".scenario")
        .to_owned()
}

/// Offers one export as a download; nothing when there are no results to export.
fn export(store: &State, kind: Export) -> Result<(), String> {
    let base = export_base(&store.path);
    if kind == Export::Scenario {
        return persist::download(
            &format!("{base}.scenario.toml"),
            "application/toml",
            &resolved(store).text,
        );
    }
    let (Some(prepared), Some(results)) = (&store.prepared, &store.results) else {
        return Ok(());
    };
    let Some(compiled) = &prepared.0.compiled else {
        return Ok(());
    };
    let scenario = &prepared.0.scenario;
    if kind == Export::Decisions {
        let mut decisions = Vec::new();
        simulate(scenario, compiled, results.as_of, |d| decisions.push(*d));
        return persist::download(
            &format!("{base}-decisions.csv"),
            "text/csv",
            &decisions_csv(scenario, &decisions),
        );
    }
    // The results' own segment names: for a large file they come from the whole
    // population, not the rows the page holds.
    let products: Vec<&str> = scenario.products.iter().map(|p| p.id.as_str()).collect();
    let totals = totals_json_named(&results.segments, &products, &results.totals);
    let json = serde_json::to_string_pretty(&totals).unwrap_or_default();
    persist::download(&format!("{base}-totals.json"), "application/json", &json)
}

/// Puts `text` on the clipboard. Copying may be refused (no permission, no focus); the
/// text is shown anyway.
fn copy(text: &str) {
    let _ = gloo::utils::window()
        .navigator()
        .clipboard()
        .write_text(text);
}

/// The link to the document, with the open "why" panel.
fn share_link(store: &State) -> String {
    let why = store.selected.and_then(|i| {
        store
            .prepared
            .as_ref()
            .and_then(|p| p.0.scenario.population.ids().get(i).map(str::to_owned))
    });
    persist::link_with_view(&resolved(store), why)
}

/// The HTML that embeds the document in another page.
fn embed_code(store: &State) -> String {
    let title = store
        .results
        .as_ref()
        .map(|r| r.title.clone())
        .unwrap_or_default();
    persist::embed_code(&resolved(store), &title)
}

/// The panel.
#[component]
pub fn SharePanel() -> Html {
    let link = use_state(String::new);
    let embed = use_state(String::new);
    let Some(store) = use_store() else {
        return html! {};
    };
    let dispatch = |action: fn() -> Action| {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(action()))
    };
    let show = |made: &UseStateHandle<String>, make: fn(&State) -> String| {
        let (store, made) = (store.clone(), made.clone());
        Callback::from(move |_| {
            let text = make(&store);
            made.set(text.clone());
            copy(&text);
        })
    };
    let export = |kind: Export| {
        let store = store.clone();
        Callback::from(move |_| {
            if let Err(message) = export(&store, kind) {
                store.dispatch(Action::Notice(Some(format!(
                    "The export failed: {message}"
                ))));
            }
        })
    };
    html! {
        <div class="share-panel">
            if let Some(notice) = &store.notice {
                <p class="notice" role="alert" data-testid="notice">
                    { notice }
                    <button type="button" onclick={dispatch(|| Action::Notice(None))}>{ "Dismiss" }</button>
                </p>
            }
            <div class="row-buttons">
                <button type="button" data-testid="undo" disabled={store.history.is_empty()} onclick={dispatch(|| Action::Undo)} title="Ctrl+Z">{ "Undo" }</button>
                <button type="button" data-testid="redo" disabled={store.future.is_empty()} onclick={dispatch(|| Action::Redo)} title="Ctrl+Shift+Z">{ "Redo" }</button>
                <button type="button" data-testid="make-link" onclick={show(&link, share_link)}>{ "Copy link" }</button>
                <button type="button" data-testid="make-embed" onclick={show(&embed, embed_code)}>{ "Copy embed code" }</button>
                <button type="button" data-testid="export-toml" onclick={export(Export::Scenario)}>{ "Scenario .toml" }</button>
                if reads_large_file(&store) {
                    <button type="button" data-testid="export-csv" disabled=true title="For a population this large, run `cutoff simulate SCENARIO --decisions FILE`">{ "Decisions .csv" }</button>
                } else {
                    <button type="button" data-testid="export-csv" onclick={export(Export::Decisions)}>{ "Decisions .csv" }</button>
                }
                <button type="button" data-testid="export-json" onclick={export(Export::Totals)}>{ "Totals .json" }</button>
                <button type="button" data-testid="print" onclick={Callback::from(|_| { let _ = gloo::utils::window().print(); })}>{ "Print report" }</button>
            </div>
            if let Some(file) = store.attachment.as_ref().filter(|_| reads_large_file(&store)) {
                <p class="large-file-note" data-testid="large-file-note">
                    { format!("The link and the scenario .toml name `{}` but do not hold it: it is too large. Send the file with them.", file.name) }
                </p>
            }
            if !link.is_empty() {
                <label class="share-link">{ "Link to this scenario (copied if your browser allows):" }
                    <input type="text" readonly=true data-testid="share-link" value={(*link).clone()} />
                </label>
            }
            if !embed.is_empty() {
                <label class="share-link">{ "Embed code (headline, matrix, unit chart and the response control):" }
                    <textarea readonly=true rows="3" data-testid="embed-code" value={(*embed).clone()} />
                </label>
            }
            <Saves />
        </div>
    }
}

/// The named saves in this browser: save under a name, open, delete.
#[component]
fn Saves() -> Html {
    let name = use_state(String::new);
    let saves = use_state(persist::saved);
    let Some(store) = use_store() else {
        return html! {};
    };
    let save = {
        let (store, name, saves) = (store.clone(), name.clone(), saves.clone());
        Callback::from(move |_| {
            let chosen = name.trim().to_owned();
            if chosen.is_empty() {
                return;
            }
            match persist::save_named(&chosen, &store.snapshot()) {
                Ok(()) => saves.set(persist::saved()),
                Err(message) => store.dispatch(Action::Notice(Some(message))),
            }
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <details class="saves">
            <summary>{ "Saved in this browser " }<span class="saved-count">{ format!("({})", saves.len()) }</span></summary>
            <div class="row-buttons">
                <input type="text" aria-label="Name to save under" placeholder="Name" data-testid="save-name" value={(*name).clone()}
                    oninput={on_name} />
                <button type="button" data-testid="save" onclick={save}>{ "Save" }</button>
            </div>
            <ul data-testid="saved-list">
                { for saves.keys().map(|saved| {
                    let open = {
                        let (store, saved) = (store.clone(), saved.clone());
                        Callback::from(move |_| if let Some(snapshot) = persist::open_named(&saved) { store.dispatch(Action::Open(snapshot)) })
                    };
                    let delete = {
                        let (saves, saved) = (saves.clone(), saved.clone());
                        Callback::from(move |_| { persist::delete_named(&saved); saves.set(persist::saved()); })
                    };
                    html! {
                        <li>
                            <span>{ saved }</span>
                            <button type="button" onclick={open}>{ "Open" }</button>
                            <button type="button" onclick={delete}>{ "Delete" }</button>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}
