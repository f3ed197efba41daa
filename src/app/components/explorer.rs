//! The people explorer: filter, sort and page the records, and open "why" for any of them:
//! each directive's rules with which parts of their conditions held, the provider's rules,
//! and the one change of attribute that would change whether they lose access.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::charts::outcome_label;
use super::format::people;
use std::sync::Arc;

use crate::app::hooks::use_store;
use crate::app::state::{Action, Figures, Region, Results, State};
use crate::engine::analysis::explain::{Explanation, RuleTrace, explain};
use crate::engine::analysis::explore::{Filter, matching_records, page_count};
use crate::engine::model::outcome::Outcome;
use crate::engine::model::population::Population;
use crate::engine::model::reference::reference;

const PAGE: usize = 20;

/// Filters and paging, local to the explorer.
#[derive(Clone, Debug, Default, PartialEq)]
struct View {
    filter: Filter,
    page: usize,
}

/// The population the results are for, compared by address: the page reads a population
/// once and keeps it while only the rules change.
#[derive(Clone, Debug)]
struct SamePopulation(Arc<Population>);

impl PartialEq for SamePopulation {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What the explorer lists: the records of these results that pass the filter (and lie in
/// the region, if one is chosen).
#[derive(Clone, Debug, PartialEq)]
struct Listing {
    results: Figures,
    population: SamePopulation,
    region: Option<Region>,
    filter: Filter,
}

impl Listing {
    /// The indices of the records listed, in order.
    fn rows(&self) -> Vec<usize> {
        let population = &self.population.0;
        let mut rows = matching_records(population, &self.results.record_outcomes, &self.filter);
        if let Some(region) = &self.region {
            rows.retain(|r| region.records.binary_search(r).is_ok());
        }
        rows
    }
}

/// The value of the select an event came from.
fn selected(e: Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The value of the input an event came from.
fn typed(e: InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// A callback that changes the view's filter with an event's value (read by `value`) and
/// goes back to the first page.
fn refilter<E: 'static>(
    view: &UseStateHandle<View>,
    value: fn(E) -> String,
    change: fn(&mut Filter, String),
) -> Callback<E> {
    let view = view.clone();
    Callback::from(move |e: E| {
        let value = value(e);
        let mut next = (*view).clone();
        change(&mut next.filter, value);
        next.page = 0;
        view.set(next);
    })
}

/// The records table with filters and paging, and the "why" panel.
#[component]
pub fn Explorer() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let (Some(results), Some(prepared)) = (&store.results, &store.prepared) else {
        return html! {};
    };
    html! {
        <section class="explorer" data-testid="explorer" aria-label="People explorer">
            <h3>{ "People explorer" }</h3>
            <Records
                results={results.clone()}
                population={SamePopulation(prepared.0.scenario.population.clone())}
                region={store.region.clone()}
                dispatch={store.dispatcher()}
            />
            <Why />
        </section>
    }
}

/// Properties of the records table.
#[derive(Properties, PartialEq)]
struct RecordsProps {
    results: Figures,
    population: SamePopulation,
    region: Option<Region>,
    dispatch: UseReducerDispatcher<State>,
}

/// The filters, the page of records and the pager: drawn again only when the figures, the
/// population or the region change, not at every keystroke in the scenario's title.
#[component]
fn Records(props: &RecordsProps) -> Html {
    let view = use_state(View::default);
    // The rows are listed again only when the results, the filter or the region change.
    let listing = Listing {
        results: props.results.clone(),
        population: props.population.clone(),
        region: props.region.clone(),
        filter: view.filter.clone(),
    };
    let rows = use_memo(listing, Listing::rows);
    let (results, population) = (&props.results, &props.population.0);
    let pages = page_count(rows.len(), PAGE);
    let page = view.page.min(pages - 1);
    let go = |to: usize| {
        let view = view.clone();
        Callback::from(move |_| {
            view.set(View {
                page: to,
                ..(*view).clone()
            })
        })
    };
    let show_everyone = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::ShowRegion(None)))
    };
    html! {
        <>
            { filters(&view, results) }
            if let Some(region) = &props.region {
                <p class="explorer-region" data-testid="explorer-region" data-records={region.records.len().to_string()}>
                    { "Only the people in the region " }<code>{ &region.when }</code>{ " of the exact difference. " }
                    <button type="button" data-testid="explorer-region-clear" onclick={show_everyone}>{ "Show everyone" }</button>
                </p>
            }
            <p class="explorer-count">{ format!("{} rows; page {} of {pages}", rows.len(), page + 1) }</p>
            <div class="scroll" tabindex="0" role="region" aria-label="People"><table class="data explorer-table">
                <thead><tr>
                    { for ["Id", "Segment", "Nationality", "Residence", "Status", "Sector", "People", "Most severe outcome", ""].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                </tr></thead>
                <tbody>
                    { for rows.iter().skip(page * PAGE).take(PAGE).map(|&i| record_row(&props.dispatch, population, results, i)) }
                </tbody>
            </table></div>
            <div class="pager">
                <button type="button" disabled={page == 0} onclick={go(page.saturating_sub(1))}>{ "Previous" }</button>
                <button type="button" disabled={page + 1 >= pages} onclick={go(page + 1)}>{ "Next" }</button>
            </div>
        </>
    }
}

/// The segment and outcome filters, the search and the order.
fn filters(view: &UseStateHandle<View>, results: &Results) -> Html {
    let filter = &view.filter;
    let on_sort = {
        let view = view.clone();
        Callback::from(move |_| {
            let mut next = (*view).clone();
            next.filter.by_weight = !next.filter.by_weight;
            view.set(next);
        })
    };
    html! {
        <div class="explorer-filters">
            <label>{ "Segment " }
                <select data-testid="explorer-segment" onchange={refilter(view, selected, |f, s| f.segment = s)}>
                    <option value="" selected={filter.segment.is_empty()}>{ "All" }</option>
                    { for results.segments.iter().map(|s| html! { <option value={s.clone()} selected={filter.segment == *s}>{ s }</option> }) }
                </select>
            </label>
            <label>{ "Outcome " }
                <select data-testid="explorer-outcome" onchange={refilter(view, selected, |f, s| f.outcome = s)}>
                    <option value="" selected={filter.outcome.is_empty()}>{ "All" }</option>
                    { for super::charts::outcomes_of(results).iter().map(|o| html! { <option value={o.as_str()} selected={filter.outcome == o.as_str()}>{ outcome_label(*o) }</option> }) }
                </select>
            </label>
            <label>{ "Search " }<input type="search" data-testid="explorer-search" value={filter.search.clone()} oninput={refilter(view, typed, |f, s| f.search = s)} placeholder="id or label" /></label>
            <button type="button" onclick={on_sort}>{ if filter.by_weight { "File order" } else { "Most people first" } }</button>
        </div>
    }
}

/// One record's row, with its "why" button.
fn record_row(
    dispatch: &UseReducerDispatcher<State>,
    population: &Population,
    results: &Results,
    i: usize,
) -> Html {
    let outcome = results
        .record_outcomes
        .get(i)
        .copied()
        .unwrap_or(Outcome::Retains);
    let dispatch = dispatch.clone();
    let open = Callback::from(move |_| dispatch.dispatch(Action::Explain(Some(i))));
    let label = population.labels().get(i).unwrap_or_default().to_owned();
    let country = |id: Option<&u16>| id.map_or("", |c| reference().code(*c)).to_owned();
    html! {
        <tr data-record={population.ids().get(i).unwrap_or_default().to_owned()}>
            <th scope="row" title={label}>{ population.ids().get(i).unwrap_or_default().to_owned() }</th>
            <td>{ population.segment().get(i).map_or("", |s| population.segments.resolve(*s)) }</td>
            <td>{ country(population.nationality().get(i)) }</td>
            <td>{ country(population.residence().get(i)) }</td>
            <td>{ population.status().get(i).map_or_else(String::new, |&s| super::breakdowns::status_label(s)) }</td>
            <td>{ population.sector().get(i).map_or("", |s| population.sectors.resolve(*s)) }</td>
            <td>{ people(population.weight().get(i).copied().unwrap_or(0.0)) }</td>
            <td class={classes!("outcome-cell", outcome.as_str())}>{ outcome_label(outcome) }</td>
            <td><button type="button" class="why-button" onclick={open}>{ "Why?" }</button></td>
        </tr>
    }
}

fn rule_list(rules: &[RuleTrace], decided: Option<usize>) -> Html {
    html! {
        <ol class="rule-trace">
            { for rules.iter().enumerate().map(|(i, rule)| html! {
                <li class={classes!(rule.matched.then_some("matched"), (decided == Some(i)).then_some("decided"))}>
                    <span class={classes!("effect", rule.effect.as_str())}>{ rule.effect.as_str() }</span>
                    { if rule.matched { " ✓ held: " } else { " ✗ did not hold: " } }
                    <code>{ &rule.when }</code>
                    if decided == Some(i) { <strong>{ " — decided" }</strong> }
                    <ul class="parts">
                        { for rule.parts.iter().map(|(part, holds)| html! {
                            <li class={if *holds { "holds" } else { "fails" }}>{ if *holds { "✓ " } else { "✗ " } }<code>{ part }</code></li>
                        }) }
                    </ul>
                </li>
            }) }
        </ol>
    }
}

/// What the baseline said about the pair, in a sentence.
fn before_sentence(before: &crate::engine::analysis::explain::Before) -> String {
    let rule = match (&before.directive, before.response_rule) {
        (_, Some(rule)) => format!("the provider's rule {rule} then"),
        (Some((directive, rule)), None) if rule == "default" => format!("`{directive}` by default"),
        (Some((directive, rule)), None) => format!("`{directive}` rule {rule}"),
        (None, None) => "no directive".to_owned(),
    };
    if before.outcome.served() {
        format!(
            "Before: had access ({}; {rule}).",
            outcome_label(before.outcome).to_lowercase()
        )
    } else {
        format!(
            "Already without access before: {} by {rule}, so this is not counted as losing access.",
            outcome_label(before.outcome).to_lowercase()
        )
    }
}

/// The "why" panel for the selected record.
#[component]
fn Why() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    // An absent combination's example, or a record of the population.
    let (prepared, record, as_of) = match (&store.example, store.selected, &store.prepared) {
        (Some(example), _, _) => (&example.prepared, 0, example.as_of),
        (None, Some(record), Some(prepared)) => match &store.results {
            Some(results) => (prepared, record, results.as_of),
            None => return html! {},
        },
        _ => return html! {},
    };
    let Some(compiled) = &prepared.0.compiled else {
        return html! {};
    };
    let scenario = &prepared.0.scenario;
    let population = &scenario.population;
    let mask = population.products().get(record).copied().unwrap_or(0);
    let products: Vec<usize> = (0..64)
        .filter(|bit| mask >> bit & 1 == 1)
        .filter_map(|bit| compiled.product_of_bit.get(bit).copied().flatten())
        .collect();
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Explain(None)))
    };
    let id = if store.example.is_some() {
        "an example no record has".to_owned()
    } else {
        population.ids().get(record).unwrap_or_default().to_owned()
    };
    let label = population
        .labels()
        .get(record)
        .unwrap_or_default()
        .to_owned();
    let organisation = population
        .status()
        .get(record)
        .is_some_and(|s| s.is_entity());
    html! {
        <aside class="why" data-testid="why" aria-label={format!("Why: {id}")}>
            <header>
                <h4>{ format!("Why: {id}") }{ if label.is_empty() { String::new() } else { format!(" — {label}") } }</h4>
                if organisation {
                    <p class="why-organisation" data-testid="why-organisation">
                        { "An organisation's account: its nationality is where it is organised, its residence the office that uses the product." }
                    </p>
                }
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            { for products.iter().map(|&product| {
                let why: Explanation = explain(scenario, compiled, as_of, record, product);
                let name = scenario.products.get(product).map_or("", |p| p.name.as_str());
                html! {
                    <section class="why-product" data-product={scenario.products.get(product).map(|p| p.id.clone())}>
                        <h5>
                            { format!("{name}: ") }
                            <span class={classes!("outcome-cell", why.decision.outcome.as_str())} data-testid="why-outcome">{ outcome_label(why.decision.outcome) }</span>
                            { format!(" (the law says {})", why.decision.legal) }
                        </h5>
                        { for why.directives.iter().map(|d| html! {
                            <div class="why-directive">
                                <p>
                                    <strong>{ &d.id }</strong>
                                    { match (d.in_force, d.covers, d.effect) {
                                        (false, _, _) => " is not in force on this day.".to_owned(),
                                        (true, false, _) => " does not cover this product.".to_owned(),
                                        (true, true, Some(effect)) => format!(
                                            " says {effect}{}{}.",
                                            d.decided_by.map_or_else(|| " by default (no rule held)".to_owned(), |i| format!(" by rule {}", i + 1)),
                                            if d.license_held { "; the person holds its license" } else { "" },
                                        ),
                                        (true, true, None) => String::new(),
                                    } }
                                </p>
                                if d.in_force && d.covers { { rule_list(&d.rules, d.decided_by) } }
                            </div>
                        }) }
                        if let Some(before) = &why.before {
                            <p class="why-before" data-testid="why-before">{ before_sentence(before) }</p>
                        }
                        if !why.response.is_empty() {
                            <div class="why-directive">
                                <p><strong>{ "The provider's own rules" }</strong>{ if why.decision.response_rule.is_some() { " block this." } else { " do not block this." } }</p>
                                { rule_list(&why.response, why.decision.response_rule.map(usize::from)) }
                            </div>
                        }
                        <p class="counterfactual" data-testid="counterfactual">
                            { match &why.counterfactual {
                                Some(c) => format!(
                                    "Smallest change: with {} `{}` they would {} ({}).",
                                    c.attribute,
                                    c.value,
                                    if c.outcome.loses_access() { "lose access" } else if c.outcome == Outcome::Unavailable { "still be without access" } else { "keep access" },
                                    outcome_label(c.outcome).to_lowercase()
                                ),
                                None => "No change of a single attribute would change whether they lose access.".to_owned(),
                            } }
                        </p>
                    </section>
                }
            }) }
        </aside>
    }
}
