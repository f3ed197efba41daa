//! The results: the headline, the law-versus-provider matrix, the unit chart, the totals
//! by segment and outcome, the breakdowns, the rule impact and the timeline.

use yew::prelude::*;

use super::basis::{Badges, SourceList};
use super::breakdowns::{Breakdowns, RuleImpact};
use super::charts::{HighlightPicker, LawMatrix, Timeline, UnitChart};
use super::format::{exact, people};
use super::map::WorldMap;
use crate::app::hooks::{Store, WORKER_WATCHDOG_MS, use_store};
use crate::app::simulation_worker::Stage;
use crate::app::state::{Action, FullRun, ReadingGap, Results as ResultsData};
use crate::engine::model::outcome::Outcome;

/// Who the numbers count: people, or people and organisations.
pub fn who(results: &ResultsData) -> &'static str {
    if results.organisations {
        "people and organisations"
    } else {
        "people"
    }
}

/// Where the two readings of "U.S. person" part, in a sentence.
fn reading_sentence(gap: &ReadingGap, who: &str) -> String {
    let count = people(gap.weight);
    let them = format!(
        "{count} {who} here are foreign nationals, or offices of organisations organised elsewhere, in the United States"
    );
    match (gap.us_person, gap.foreign_person) {
        (true, true) => format!(
            "{them}: U.S. persons under 15 CFR 772.1 (`us_person`) and foreign persons under the deemed-export test (`foreign_person`). This scenario uses both readings."
        ),
        (false, true) => format!(
            "{them}: this scenario's `foreign_person` (the deemed-export test) reaches them, but under 15 CFR 772.1 they are U.S. persons, so `not us_person` would not."
        ),
        _ => format!(
            "{them}: 15 CFR 772.1 makes them U.S. persons, so this scenario's `us_person` leaves them alone; the deemed-export test (`foreign_person`) would reach them."
        ),
    }
}

/// The headline: who loses access, counted against who had it when there is a baseline.
pub(crate) fn headline(results: &ResultsData) -> String {
    let everyone = results.totals.people_total();
    let by_worst = results.totals.people_by_outcome_total();
    let count = |outcome: Outcome| by_worst.get(outcome.index()).copied().unwrap_or(0.0);
    let products = results.products.join(" or ");
    let who = who(results);
    let mut headline = match &results.baseline {
        None => format!(
            "{} of {} {who} lose access to {products}",
            people(everyone.lose_any),
            people(everyone.total),
        ),
        Some(_) => format!(
            "{} of the {} {who} who had access lose access to {products}",
            people(everyone.lose_any),
            people(everyone.had_any()),
        ),
    };
    let not_barred = count(Outcome::Collateral);
    if not_barred > 0.0 {
        headline.push_str(&format!(
            "; {} of them were not barred by any directive",
            people(not_barred)
        ));
    }
    if results.baseline.is_some() {
        if everyone.gain_any > 0.0 {
            headline.push_str(&format!("; {} gain access", people(everyone.gain_any)));
        }
        headline.push_str(&format!(
            "; {} never had access to what they use",
            people(count(Outcome::Unavailable)),
        ));
    }
    headline.push('.');
    headline
}

/// The worker's progress on a whole-population run, and a way to start it again if it
/// stopped answering.
fn progress(run: &FullRun, store: &Store) -> Html {
    let (label, value, max) = match run.stage {
        Stage::Reading => ("Reading the population…".to_owned(), None, None),
        Stage::Deciding(done, all) => (
            format!(
                "Simulating {} of {} records…",
                people(done as f64),
                people(all as f64)
            ),
            Some(done.to_string()),
            Some(all.to_string()),
        ),
    };
    let retry = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::RetryWorker))
    };
    html! {
        <div class="progress" role="status" data-testid="progress">
            <span>{ label }</span>
            <progress value={value} max={max}></progress>
            if store.worker_stalled {
                <p class="worker-stalled" role="alert" data-testid="worker-stalled">
                    { format!("The background simulation has not answered for {} seconds; it may have stopped. ", WORKER_WATCHDOG_MS / 1000) }
                    <button type="button" data-testid="worker-retry" onclick={retry}>{ "Start it again" }</button>
                </p>
            }
        </div>
    }
}

/// Everything the latest good simulation shows.
#[component]
pub fn Results() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let progress = store.full_run.as_ref().map(|run| progress(run, &store));
    let Some(results) = &store.results else {
        if progress.is_some() {
            return html! { <div class="results-body">{ progress }</div> };
        }
        return html! { <p class="empty">{ "Fix the errors in the scenario to see results." }</p> };
    };
    let headline = headline(results);
    let highlight = &store.highlight;
    html! {
        <div class={classes!("results-body", store.stale.then_some("stale"))}>
            { progress.clone() }
            if store.stale && store.full_run.is_none() {
                <p class="stale-note" role="status">{ "Showing the last results that ran: the scenario has errors." }</p>
            }
            if let Some((shown, all)) = results.sample {
                <p class="sample-note" data-testid="sample-note">
                    { format!("Totals count all {} records of the opened file, simulated in a background worker; the people explorer lists the first {}.", people(all as f64), people(shown as f64)) }
                </p>
            }
            <h2>{ &results.title }</h2>
            <p class="description">{ &results.description }</p>
            <p class="rests-on">{ "This scenario rests on: " }<Badges bases={results.bases()} place="scenario" /></p>
            if !results.sources.is_empty() {
                <div class="sources" data-testid="sources">
                    { "Sources:" }
                    <SourceList sources={results.sources.clone()} testid="scenario-sources" />
                </div>
            }
            <p class="headline" data-testid="headline" elementtiming="first-results">{ headline }</p>
            <super::analyst::RangeLine />
            if let Some(gap) = &results.readings {
                <p class="reading-note" data-testid="reading-difference" data-value={exact(gap.weight)}>
                    { reading_sentence(gap, who(results)) }
                </p>
            }
            if results.contract_1 {
                <p class="reading-note" data-testid="reading-note">
                    { "This scenario was made before 15 CFR 772.1's reading of \u{201c}U.S. person\u{201d} came to Cutoff: it reads `us_person` as it did then (citizens, permanent residents and protected individuals, wherever they live), so its numbers are the ones it had. Remove `contract = 1` from the text to read it as 772.1, where anyone in the United States, and any U.S.-organised entity, is a U.S. person." }
                </p>
            }
            <p class="as-of-note">{ format!("As of {}. Response: {}.", results.as_of, results.response.0.trim_end_matches('.')) }</p>
            <HighlightPicker />
            <LawMatrix results={results.clone()} />
            <UnitChart results={results.clone()} />
            <WorldMap results={results.clone()} />
            <div class="scroll" tabindex="0" role="region" aria-label="Totals by segment"><table class="totals">
                <caption>{ "People and person-product pairs by segment and outcome " }<Badges bases={results.bases()} place="totals" /></caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Segment" }</th>
                        <th scope="col">{ "People" }</th>
                        <th scope="col">{ "Lose any access" }</th>
                        { for Outcome::ALL.iter().map(|o| html! {
                            <th scope="col" class={classes!("outcome", o.as_str(), highlight.marks_outcome(*o).then_some("highlighted"))}>{ o.as_str().replace('_', " ") }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for results.segments.iter().enumerate().map(|(i, segment)| {
                        let person = results.totals.people.get(i).copied().unwrap_or_default();
                        let row = results.totals.by_segment.get(i).copied().unwrap_or_default();
                        let row_marked = highlight.marks_segment(segment);
                        html! {
                            <tr class={classes!(row_marked.then_some("highlighted"))} data-highlighted={row_marked.then_some("true")}>
                                <th scope="row">{ segment }</th>
                                <td>{ people(person.total) }</td>
                                <td data-testid={format!("people-{segment}")} data-value={exact(person.lose_any)}>
                                    { people(person.lose_any) }
                                </td>
                                { for Outcome::ALL.iter().zip(row.iter()).map(|(o, w)| {
                                    // A cell is marked when its outcome is, in the segment
                                    // marked or in every segment when none is.
                                    let marked = highlight.marks_outcome(*o)
                                        && (highlight.segment.is_none() || row_marked);
                                    html! {
                                    <td class={classes!(marked.then_some("highlighted"))} data-highlighted={marked.then_some("true")}
                                        data-testid={format!("total-{segment}-{}", o.as_str())} data-value={exact(*w)}>
                                        { people(*w) }
                                    </td>
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table></div>
            <Breakdowns results={results.clone()} />
            <RuleImpact results={results.clone()} />
            <Timeline results={results.clone()} />
            if let Some((title, description)) = &results.population {
                <section class="provenance" aria-label="About the population">
                    <h3>{ format!("Population: {title}") }</h3>
                    <p>{ description }</p>
                    <ul>
                        { for results.population_sources.iter().map(|source| html! {
                            <li>
                                <Badges bases={source.basis.into_iter().collect::<Vec<_>>()} place="source" />
                                { " " }{ source.citation() }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
