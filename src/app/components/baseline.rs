//! The "Before" control: what the results are counted against (DESIGN §4.7). Nobody lacked
//! access before; a shipped scenario as the earlier state; or this scenario on an earlier
//! date. It rewrites the scenario's `baseline`, so the text always says what is shown.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::hooks::use_store;
use crate::app::state::{Action, Results};
use crate::engine::edit::BaselineChoice;
use crate::engine::load::path_from;
use crate::engine::model::date::Date;

/// How the titles of baselines this control writes begin (see `edit::set_baseline`).
const EARLIER_TITLE: &str = "This scenario on ";

/// The day before the first directive in force that day took effect: the natural "before".
fn day_before_the_change(results: &Results) -> Date {
    results
        .directives
        .iter()
        .filter(|d| d.in_force)
        .filter_map(|d| d.effective)
        .min()
        .and_then(|first| first.add_days(-1))
        .or_else(|| results.as_of.add_days(-365))
        .unwrap_or(results.as_of)
}

/// Chooses who had access before.
#[component]
pub fn BeforePicker() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(results) = store.results.as_ref() else {
        return html! {};
    };
    let here = store.path.clone();
    let files: Vec<(String, String)> = store
        .presets
        .iter()
        .filter(|p| p.path != here)
        .map(|p| (path_from(&here, p.path), p.title()))
        .collect();
    let baseline = results.baseline.as_ref();
    // An inline baseline this control wrote: the scenario's own rules on an earlier day.
    let inline_earlier =
        baseline.is_some_and(|b| b.path.is_none() && b.title.starts_with(EARLIER_TITLE));
    let selected_file = baseline.and_then(|b| b.path.clone());
    let known_file = selected_file
        .as_ref()
        .is_some_and(|p| files.iter().any(|(f, _)| f == p));
    let earlier_day = baseline
        .filter(|_| inline_earlier)
        .map_or_else(|| day_before_the_change(results), |b| b.as_of);
    let on_choice = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let choice = match value.as_str() {
                "none" => BaselineChoice::None,
                "earlier" => BaselineChoice::Earlier(earlier_day),
                other => match other.strip_prefix("file:") {
                    Some(path) => BaselineChoice::File(path.to_owned()),
                    None => return,
                },
            };
            store.dispatch(Action::SetBaseline(choice));
        })
    };
    let on_day = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(day) = Date::parse(&input.value()) {
                store.dispatch(Action::SetBaseline(BaselineChoice::Earlier(day)));
            }
        })
    };
    html! {
        <div class="before-picker">
            <label for="before">{ "Before: who had access" }</label>
            <select id="before" data-testid="before" onchange={on_choice}>
                <option value="none" selected={baseline.is_none()}>{ "Everyone (no baseline)" }</option>
                <option value="earlier" selected={inline_earlier}>{ "This scenario on an earlier date" }</option>
                { for files.iter().map(|(path, title)| html! {
                    <option value={format!("file:{path}")} selected={selected_file.as_deref() == Some(path.as_str())}>
                        { format!("Before: {title}") }
                    </option>
                }) }
                if baseline.is_some() && !inline_earlier && !known_file {
                    <option value="custom" selected=true>
                        { format!("As written: {}", baseline.map(|b| b.title.clone()).unwrap_or_default()) }
                    </option>
                }
            </select>
            if inline_earlier {
                <label for="before-date" class="visually-hidden">{ "Earlier date" }</label>
                <input id="before-date" type="date" data-testid="before-date" value={earlier_day.to_string()} onchange={on_day} />
            }
            if let Some(b) = baseline {
                <p class="before-note" data-testid="before-note">
                    { format!(
                        "Counted against {} on {}{}: people it already left without access are \"never had access\", not losing it.",
                        if b.title.is_empty() { "the baseline".to_owned() } else { format!("\u{201c}{}\u{201d}", b.title) },
                        b.as_of,
                        if b.in_force.is_empty() { " (no directive in force)".to_owned() } else { format!(" ({} in force)", b.in_force.join(", ")) },
                    ) }
                </p>
            }
        </div>
    }
}
