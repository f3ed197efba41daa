//! Keyboard shortcuts that work anywhere on the page: Ctrl+Z undoes, Ctrl+Shift+Z or
//! Ctrl+Y redoes (⌘ on a Mac).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::Store;
use crate::app::state::Action;

/// The undo or redo a key press asks for, if any.
fn action_for(event: &web_sys::KeyboardEvent) -> Option<Action> {
    if !(event.ctrl_key() || event.meta_key()) {
        return None;
    }
    match (event.key().to_lowercase().as_str(), event.shift_key()) {
        ("z", false) => Some(Action::Undo),
        ("z", true) | ("y", _) => Some(Action::Redo),
        _ => None,
    }
}

/// Listens for undo and redo on the whole document while the component lives.
#[hook]
pub fn use_undo_keys(store: &Store) {
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
                // The story editor undoes its own changes.
                let in_story_editor = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("[data-undo=story]").ok().flatten())
                    .is_some();
                if in_story_editor {
                    return;
                }
                if let Some(action) = action_for(event) {
                    event.prevent_default();
                    store.dispatch(action);
                }
            },
        );
        move || drop(listener)
    });
}
