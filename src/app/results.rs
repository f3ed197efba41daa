//! The results: a headline and the totals by segment and outcome.

use yew::prelude::*;

use super::format::{exact, people};
use super::store::use_store;
use crate::engine::simulate::Outcome;

/// Headline and totals table for the latest good simulation.
#[component]
pub fn Results() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(results) = &store.results else {
        return html! { <p class="empty">{ "Fix the errors in the scenario to see results." }</p> };
    };
    let everyone = results.totals.people_total();
    let headline = format!(
        "{} of {} people lose access to {}.",
        people(everyone.lose_any),
        people(everyone.total),
        results.products.join(" or ")
    );
    html! {
        <div class={classes!("results-body", store.stale.then_some("stale"))}>
            <h2>{ &results.title }</h2>
            <p class="description">{ &results.description }</p>
            <p class="headline" data-testid="headline">{ headline }</p>
            <p class="as-of-note">{ format!("As of {}", results.as_of) }</p>
            <table class="totals">
                <caption>{ "People and person-product pairs by segment and outcome" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Segment" }</th>
                        <th scope="col">{ "People" }</th>
                        <th scope="col">{ "Lose any access" }</th>
                        { for Outcome::ALL.iter().map(|o| html! {
                            <th scope="col" class={classes!("outcome", o.as_str())}>{ o.as_str().replace('_', " ") }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for results.segments.iter().enumerate().map(|(i, segment)| {
                        let person = results.totals.people.get(i).copied().unwrap_or_default();
                        let row = results.totals.by_segment.get(i).copied().unwrap_or_default();
                        html! {
                            <tr>
                                <th scope="row">{ segment }</th>
                                <td>{ people(person.total) }</td>
                                <td data-testid={format!("people-{segment}")} data-value={exact(person.lose_any)}>
                                    { people(person.lose_any) }
                                </td>
                                { for Outcome::ALL.iter().zip(row.iter()).map(|(o, w)| html! {
                                    <td data-testid={format!("total-{segment}-{}", o.as_str())} data-value={exact(*w)}>
                                        { people(*w) }
                                    </td>
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if let Some((title, description)) = &results.population {
                <section class="provenance" aria-label="About the population">
                    <h3>{ format!("Population: {title}") }</h3>
                    <p>{ description }</p>
                    <ul>
                        { for results.population_sources.iter().map(|(title, publisher, date)| html! {
                            <li>{ format!("{title} — {publisher}, {date}") }</li>
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
