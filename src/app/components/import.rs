//! Opening files: a self-contained scenario `.toml`, a population `.csv` or a story
//! `.story.toml` (opened in the story player, which checks its numbers), from a file
//! picker or dropped anywhere on the scenario panel. Files are read in the browser and
//! never sent anywhere. Of a large population the page reads only the first rows and
//! hands the file itself to the simulation worker, so that opening a million rows never
//! holds up the page.

use gloo::file::File;
use gloo::file::callbacks::{FileReader, read_as_bytes};
use gloo::timers::callback::Timeout;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::app::hooks::{Store, keep_opened_file, use_store};
use crate::app::state::{Action, OpenedCsv, PAGE_READ_BYTES, decode, open_csv};
use crate::engine::load::{MAX_FILE_BYTES, too_large};

/// Reads `file` (of a large population, only its first [`PAGE_READ_BYTES`]) and
/// dispatches its text, or keeps a large population for the worker; `reader` keeps the
/// read alive until it is done.
fn open(store: Store, reader: UseStateHandle<Option<FileReader>>, chosen: web_sys::File) {
    let file = File::from(chosen.clone());
    let (name, size) = (file.name(), file.size());
    if size > MAX_FILE_BYTES as u64 {
        let reason = too_large(size);
        store.dispatch(Action::Notice(Some(format!(
            "`{name}` was not opened: {reason}."
        ))));
        return;
    }
    let is_csv = name.to_ascii_lowercase().ends_with(".csv");
    let head = file.slice(
        0,
        if is_csv {
            size.min(PAGE_READ_BYTES)
        } else {
            size
        },
    );
    let pending = read_as_bytes(&head, move |result| {
        let Ok(bytes) = result else { return };
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".story.toml") {
            // A story opens in the story player, which checks its numbers.
            let text = decode(&bytes);
            let _ = gloo::utils::window()
                .location()
                .set_href(&crate::app::hooks::persist::story_link(&text));
            return;
        }
        let action = match is_csv.then(|| open_csv(size, &bytes)) {
            Some(OpenedCsv::Large(head)) => Action::Attach {
                name,
                head,
                ticket: keep_opened_file(chosen),
            },
            Some(OpenedCsv::Whole(text)) => Action::Import { name, text },
            None => Action::Import {
                name,
                text: decode(&bytes),
            },
        };
        // The read is done in this task; the results of what it read are worked out
        // and drawn in the next, so that neither holds the page for long.
        Timeout::new(0, move || store.dispatch(action)).forget();
    });
    reader.set(Some(pending));
}

/// Properties of the drop zone.
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// What the zone holds.
    pub children: Html,
}

/// A region that opens any scenario or population file dropped on it.
#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let reader = use_state(|| None::<FileReader>);
    let hovering = use_state(|| false);
    let Some(store) = use_store() else {
        return props.children.clone();
    };
    let on_dragover = {
        let hovering = hovering.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hovering.set(true);
        })
    };
    let on_dragleave = {
        let hovering = hovering.clone();
        Callback::from(move |_: DragEvent| hovering.set(false))
    };
    let on_drop = {
        let hovering = hovering.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hovering.set(false);
            let file = e
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                open(store.clone(), reader.clone(), file);
            }
        })
    };
    html! {
        <div class={classes!("drop-zone", (*hovering).then_some("hovering"))}
            ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
            { props.children.clone() }
        </div>
    }
}

/// The file picker.
#[component]
pub fn Import() -> Html {
    let reader = use_state(|| None::<FileReader>);
    let Some(store) = use_store() else {
        return html! {};
    };
    let on_change = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                open(store.clone(), reader.clone(), file);
            }
            input.set_value("");
        })
    };
    html! {
        <div class="import">
            <label for="import">{ "Open a scenario (.toml), population (.csv) or story (.story.toml)" }</label>
            <input id="import" type="file" accept=".toml,.csv,text/csv" data-testid="import" onchange={on_change} />
            if let Some(name) = &store.imported {
                <p class="imported">{ format!("Opened {name}. Drop a file anywhere on this panel to open another.") }</p>
            }
        </div>
    }
}
