//! Compare: pin the current results as A, change the scenario into B, and see both side by
//! side with the differences per segment, outcome and country.

use yew::prelude::*;

use super::charts::outcome_label;
use super::format::{exact, people};
use crate::app::hooks::use_store;
use crate::app::state::Action;
use crate::engine::model::outcome::Outcome;
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
            <section class="compare">
                <button type="button" data-testid="pin" onclick={pin}>{ "Pin as A to compare" }</button>
            </section>
        };
    };
    let segments: Vec<&String> = {
        let mut all: Vec<&String> = a.segments.iter().collect();
        for s in &b.segments {
            if !all.contains(&s) {
                all.push(s);
            }
        }
        all
    };
    let lose = |r: &crate::app::state::Results, segment: &str| {
        r.segments
            .iter()
            .position(|s| s == segment)
            .and_then(|i| r.totals.people.get(i))
            .map_or(0.0, |p| p.lose_any)
    };
    let a_outcomes = a.totals.people_by_outcome_total();
    let b_outcomes = b.totals.people_by_outcome_total();
    let mut countries: Vec<(usize, f64, f64)> = a
        .totals
        .people_by_residence
        .iter()
        .zip(&b.totals.people_by_residence)
        .enumerate()
        .map(|(i, (x, y))| (i, x.lose_any, y.lose_any))
        .filter(|(_, x, y)| x != y)
        .collect();
    countries.sort_by(|x, y| (y.2 - y.1).abs().total_cmp(&(x.2 - x.1).abs()));
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
                    { for segments.iter().map(|s| {
                        let (x, y) = (lose(a, s), lose(b, s));
                        html! {
                            <tr data-testid={format!("compare-{s}")} data-a={exact(x)} data-b={exact(y)}>
                                <th scope="row">{ s.as_str() }</th><td>{ people(x) }</td><td>{ people(y) }</td><td>{ signed(y - x) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <table class="data">
                <caption>{ "People by most severe outcome" }</caption>
                <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for Outcome::ALL.iter().map(|o| {
                        let (x, y) = (a_outcomes.get(o.index()).copied().unwrap_or(0.0), b_outcomes.get(o.index()).copied().unwrap_or(0.0));
                        html! { <tr><th scope="row">{ outcome_label(*o) }</th><td>{ people(x) }</td><td>{ people(y) }</td><td>{ signed(y - x) }</td></tr> }
                    }) }
                </tbody>
            </table>
            <table class="data">
                <caption>{ "Countries of residence where the most people change (top 10)" }</caption>
                <thead><tr><th scope="col">{ "Country" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for countries.iter().take(10).map(|(i, x, y)| {
                        let info = u16::try_from(*i).ok().and_then(|id| reference().country_info(id));
                        let name = info.map_or_else(String::new, |c| format!("{} ({})", c.name, c.alpha2));
                        html! { <tr><th scope="row">{ name }</th><td>{ people(*x) }</td><td>{ people(*y) }</td><td>{ signed(y - x) }</td></tr> }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
