//! The preset picker and the as-of date.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::hooks::use_store;
use crate::app::state::Action;
use crate::engine::model::date::Date;

/// Chooses a shipped scenario and the day to look at.
#[component]
pub fn Picker() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let on_preset = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(index) = select.value().parse() {
                store.dispatch(Action::ChoosePreset(index));
            }
        })
    };
    html! {
        <div class="picker">
            <label for="preset">{ "Scenario" }</label>
            <select id="preset" data-testid="preset" onchange={on_preset}>
                { for store.presets.iter().enumerate().map(|(i, p)| html! {
                    <option value={i.to_string()} data-path={p.path} selected={i == store.preset}>{ p.title() }</option>
                }) }
            </select>
            <AsOfInput />
        </div>
    }
}

/// The as-of date.
#[component]
pub fn AsOfInput() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let on_date = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            store.dispatch(Action::SetAsOf(Date::parse(&input.value())));
        })
    };
    let as_of = store
        .as_of
        .or(store.results.as_ref().map(|r| r.as_of))
        .map(|d| d.to_string())
        .unwrap_or_default();
    html! {
        <div class="as-of">
            <label for="as-of">{ "As of" }</label>
            <input id="as-of" type="date" data-testid="as-of" value={as_of} onchange={on_date} />
        </div>
    }
}
