//! The scenario editor and the list of diagnostics under it.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::store::{Action, use_store};

/// The scenario text, editable; results follow every edit.
#[component]
pub fn Editor() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let on_input = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            store.dispatch(Action::Edit(area.value()));
        })
    };
    html! {
        <div class="editor">
            <label for="editor">{ "Scenario (TOML)" }</label>
            <textarea id="editor" data-testid="editor" spellcheck="false" rows="24"
                value={store.text.clone()} oninput={on_input} />
            <ul class="diagnostics" data-testid="diagnostics" aria-label="Problems">
                { for store.diagnostics.iter().map(|d| html! {
                    <li class={classes!("diagnostic", d.severity.to_string())}
                        data-line={d.line.to_string()} data-column={d.column.to_string()}>
                        <span class="where">{ format!("{}:{}:{}", d.file, d.line, d.column) }</span>
                        <span class="severity">{ d.severity.to_string() }</span>
                        <span class="message">{ &d.message }</span>
                        if let Some(help) = &d.help {
                            <span class="help">{ format!("help: {help}") }</span>
                        }
                    </li>
                }) }
            </ul>
        </div>
    }
}
