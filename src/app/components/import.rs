//! Opening files: a self-contained scenario `.toml`, a population `.csv` or a story
//! `.story.toml` (opened in the story player, which checks its numbers), from a file
//! picker or dropped anywhere on the scenario panel. Files are read in the browser and
//! never sent anywhere.

use gloo::file::File;
use gloo::file::callbacks::{FileReader, read_as_text};
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::app::hooks::{Store, use_store};
use crate::app::state::Action;
use crate::engine::load::{MAX_FILE_BYTES, too_large};

/// Reads `file` and dispatches its text; `reader` keeps the read alive until it is done.
fn open(store: Store, reader: UseStateHandle<Option<FileReader>>, file: web_sys::File) {
    let file = File::from(file);
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as u64 {
        let reason = too_large(file.size());
        store.dispatch(Action::Notice(Some(format!(
            "`{name}` was not opened: {reason}."
        ))));
        return;
    }
    let pending = read_as_text(&file, move |result| {
        match result {
            // A story opens in the story player, which checks its numbers.
            Ok(text) if name.ends_with(".story.toml") => {
                let _ = gloo::utils::window()
                    .location()
                    .set_href(&crate::app::hooks::persist::story_link(&text));
            }
            Ok(text) => store.dispatch(Action::Import { name, text }),
            Err(_) => {}
        }
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
