//! Keeping and passing on work: undo and redo, a link that carries the whole scenario,
//! named saves in this browser, and exports of the scenario, decisions and totals.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::hooks::persist;
use crate::app::hooks::use_store;
use crate::app::state::Action;
use crate::engine::aggregate::simulate;
use crate::engine::edit::self_contained;
use crate::engine::render::decisions::decisions_csv;
use crate::engine::render::totals::totals_json_named;

/// The document as one self-contained scenario (directive files and the population
/// written in), or the text as it is when it has errors.
fn resolved(store: &crate::app::state::State) -> crate::app::state::Snapshot {
    let mut snapshot = store.snapshot();
    match self_contained(
        &store.path,
        &store.text,
        &store.files(true),
        &store.adjustments,
    ) {
        Ok(text) => {
            snapshot.text = text;
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

/// The panel.
#[component]
pub fn SharePanel() -> Html {
    let link = use_state(String::new);
    let embed = use_state(String::new);
    let name = use_state(String::new);
    let saves = use_state(persist::saved);
    let Some(store) = use_store() else {
        return html! {};
    };
    let dispatch = |action: fn() -> Action| {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(action()))
    };
    let make_link = {
        let (store, link) = (store.clone(), link.clone());
        Callback::from(move |_| {
            let why = store.selected.and_then(|i| {
                store
                    .prepared
                    .as_ref()
                    .and_then(|p| p.0.scenario.population.ids.get(i).cloned())
            });
            let url = persist::link_with_view(&resolved(&store), why);
            link.set(url.clone());
            // Copying may be refused (no permission, no focus); the link is shown anyway.
            let _ = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&url);
        })
    };
    let make_embed = {
        let (store, embed) = (store.clone(), embed.clone());
        Callback::from(move |_| {
            let title = store
                .results
                .as_ref()
                .map(|r| r.title.clone())
                .unwrap_or_default();
            let code = persist::embed_code(&resolved(&store), &title);
            embed.set(code.clone());
            let _ = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&code);
        })
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
    let base = store
        .path
        .rsplit('/')
        .next()
        .unwrap_or("scenario.toml")
        .trim_end_matches(".toml")
        .trim_end_matches(".scenario")
        .to_owned();
    let export = |kind: &'static str| {
        let (store, base) = (store.clone(), base.clone());
        Callback::from(move |_| {
            let result = match kind {
                "toml" => persist::download(
                    &format!("{base}.scenario.toml"),
                    "application/toml",
                    &resolved(&store).text,
                ),
                _ => {
                    let (Some(prepared), Some(results)) = (&store.prepared, &store.results) else {
                        return;
                    };
                    let Some(compiled) = &prepared.0.compiled else {
                        return;
                    };
                    let scenario = &prepared.0.scenario;
                    if kind == "csv" {
                        let mut decisions = Vec::new();
                        simulate(scenario, compiled, results.as_of, |d| decisions.push(*d));
                        persist::download(
                            &format!("{base}-decisions.csv"),
                            "text/csv",
                            &decisions_csv(scenario, &decisions),
                        )
                    } else {
                        // The results' own segment names: for a large file they come from
                        // the whole population, not the rows the page holds.
                        let products: Vec<&str> =
                            scenario.products.iter().map(|p| p.id.as_str()).collect();
                        let totals =
                            totals_json_named(&results.segments, &products, &results.totals);
                        let json = serde_json::to_string_pretty(&totals).unwrap_or_default();
                        persist::download(&format!("{base}-totals.json"), "application/json", &json)
                    }
                }
            };
            if let Err(message) = result {
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
                <button type="button" data-testid="make-link" onclick={make_link}>{ "Copy link" }</button>
                <button type="button" data-testid="make-embed" onclick={make_embed}>{ "Copy embed code" }</button>
                <button type="button" data-testid="export-toml" onclick={export("toml")}>{ "Scenario .toml" }</button>
                if store.results.as_ref().is_some_and(|r| r.sample.is_some()) {
                    <button type="button" data-testid="export-csv" disabled=true title="For a population this large, run `cutoff simulate SCENARIO --decisions FILE`">{ "Decisions .csv" }</button>
                } else {
                    <button type="button" data-testid="export-csv" onclick={export("csv")}>{ "Decisions .csv" }</button>
                }
                <button type="button" data-testid="export-json" onclick={export("json")}>{ "Totals .json" }</button>
                <button type="button" data-testid="print" onclick={Callback::from(|_| { let _ = gloo::utils::window().print(); })}>{ "Print report" }</button>
            </div>
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
            <details class="saves">
                <summary>{ format!("Saved in this browser ({})", saves.len()) }</summary>
                <div class="row-buttons">
                    <input type="text" aria-label="Name to save under" placeholder="Name" data-testid="save-name" value={(*name).clone()}
                        oninput={{ let name = name.clone(); Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} />
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
        </div>
    }
}
