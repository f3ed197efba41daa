//! Compare: pin the current results as A, change the scenario into B, and see both side by
//! side with the differences per segment, outcome and country (worked out by
//! `engine::analysis::compare`).

use yew::prelude::*;

use super::charts::outcome_label;
use super::format::{exact, people};
use crate::app::hooks::use_store;
use crate::app::state::Action;
use crate::engine::analysis::compare::{Side, by_outcome, by_segment, countries_changed};
use crate::engine::model::reference::reference;

fn signed(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", people(value))
    } else if value < 0.0 {
        format!("−{}", people(-value))
    } else {
        "0".into()
    }
}

/// The pin button and, once pinned, the comparison.
#[component]
pub fn Compare() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let pin = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Pin))
    };
    let unpin = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Unpin))
    };
    let (Some(a), Some(b)) = (&store.pinned, &store.results) else {
        return html! {
            <section class="compare unpinned">
                <button type="button" data-testid="pin" onclick={pin}>{ "Pin as A to compare" }</button>
            </section>
        };
    };
    let (side_a, side_b) = (
        Side {
            segments: &a.segments,
            totals: &a.totals,
        },
        Side {
            segments: &b.segments,
            totals: &b.totals,
        },
    );
    html! {
        <section class="compare" data-testid="compare">
            <header>
                <h3>{ "Compare" }</h3>
                <button type="button" data-testid="pin" onclick={pin}>{ "Pin current as A" }</button>
                <button type="button" onclick={unpin}>{ "Stop comparing" }</button>
            </header>
            <p>{ format!("A: {} (as of {}). B: {} (as of {}).", a.title, a.as_of, b.title, b.as_of) }</p>
            <table class="data">
                <caption>{ "People who lose access, by segment" }</caption>
                <thead><tr><th scope="col">{ "Segment" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for by_segment(side_a, side_b).iter().map(|row| html! {
                        <tr data-testid={format!("compare-{}", row.key)} data-a={exact(row.a)} data-b={exact(row.b)}>
                            <th scope="row">{ row.key.as_str() }</th><td>{ people(row.a) }</td><td>{ people(row.b) }</td><td>{ signed(row.change()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <table class="data">
                <caption>{ "People by most severe outcome" }</caption>
                <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for by_outcome(&a.totals, &b.totals).iter().map(|row| html! {
                        <tr><th scope="row">{ outcome_label(row.key) }</th><td>{ people(row.a) }</td><td>{ people(row.b) }</td><td>{ signed(row.change()) }</td></tr>
                    }) }
                </tbody>
            </table>
            <table class="data">
                <caption>{ "Countries of residence where the most people change (top 10)" }</caption>
                <thead><tr><th scope="col">{ "Country" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for countries_changed(&a.totals, &b.totals, 10).iter().map(|row| {
                        let info = u16::try_from(row.key).ok().and_then(|id| reference().country_info(id));
                        let name = info.map_or_else(String::new, |c| format!("{} ({})", c.name, c.alpha2));
                        html! { <tr><th scope="row">{ name }</th><td>{ people(row.a) }</td><td>{ people(row.b) }</td><td>{ signed(row.change()) }</td></tr> }
                    }) }
                </tbody>
            </table>
            <super::difference::Difference />
        </section>
    }
}
