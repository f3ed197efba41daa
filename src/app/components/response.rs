//! The provider's response as one choice; it rewrites the scenario's `[response]` table.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app::hooks::use_store;
use crate::app::state::Action;
use crate::engine::edit::ResponsePreset;

/// Chooses how the provider responds.
#[component]
pub fn ResponsePicker() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let current = store
        .results
        .as_ref()
        .map(|r| r.response.0.clone())
        .unwrap_or_default();
    let matching = ResponsePreset::ALL
        .iter()
        .position(|p| p.label() == current);
    let on_change = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let chosen = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| ResponsePreset::ALL.get(i).copied());
            if let Some(preset) = chosen {
                store.dispatch(Action::SetResponse(preset));
            }
        })
    };
    html! {
        <div class="response-picker">
            <label for="response">{ "The provider's response" }</label>
            <select id="response" data-testid="response" onchange={on_change}>
                { for ResponsePreset::ALL.iter().enumerate().map(|(i, p)| html! {
                    <option value={i.to_string()} selected={matching == Some(i)}>{ p.label() }</option>
                }) }
                if matching.is_none() {
                    <option value="custom" selected=true>{ format!("As written: {current}") }</option>
                }
            </select>
        </div>
    }
}
