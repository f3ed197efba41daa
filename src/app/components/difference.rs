//! The exact difference between the pinned scenario (A) and the current one (B), as
//! `cutoff diff` works it out (`engine::analysis::diff`): every pair whose outcome differs,
//! in a few regions written as conditions, and the combinations no record has on which the
//! two still disagree, each with an example the ordinary simulation has confirmed. A
//! region's button limits the people explorer to the people it is about.

use std::rc::Rc;

use yew::prelude::*;

use super::charts::outcome_label;
use super::format::{exact, people};
use crate::app::analysis::Answer;
use crate::app::hooks::{AnalystStore, Store, use_store};
use crate::app::state::analysis::{AnalystAction, DifferenceQuestion};
use crate::app::state::{Action, Example, Region, Results, SharedScenario, Snapshot, State};
use crate::engine::analysis::diff::{Diff, example_population, region_records};
use crate::engine::load::Scenario;
use crate::engine::load::load_scenario_adjusted;
use crate::engine::model::date::Date;
use crate::engine::prepare;

/// The current document loaded, checked and ready to simulate, with its day.
fn current(store: &State) -> Option<(Scenario, Date)> {
    let document = store.snapshot();
    let files = store.files();
    let scenario = load_scenario_adjusted(
        &document.path,
        &document.text,
        &files,
        &document.adjustments,
    );
    let prepared = prepare(scenario);
    let day = prepared.ready(document.as_of).map(|(_, day)| day)?;
    Some((prepared.scenario, day))
}

/// The question for the worker, or why the page cannot ask it: the worker holds the
/// shipped files, not a large population file the page has only the first rows of.
fn question(store: &State) -> Result<DifferenceQuestion, String> {
    let pinned = store
        .pinned_document
        .as_ref()
        .ok_or("pin a scenario as A first")?;
    let sample = |results: Option<&Rc<Results>>| results.is_some_and(|r| r.sample.is_some());
    // While a large file's whole run goes, the results shown are the previous ones.
    let reading_large = store.full_run.is_some() || sample(store.results.as_ref());
    let sides = [("A", sample(store.pinned.as_ref())), ("B", reading_large)];
    for (name, large) in sides {
        if large {
            let file = store.attachment.as_ref().map_or("", |a| a.name.as_str());
            return Err(format!(
                "scenario {name} reads `{file}`, a file too large for the page; run `cutoff diff A B` on the files"
            ));
        }
    }
    Ok(DifferenceQuestion {
        a: Snapshot::clone(pinned).into(),
        b: store.snapshot().into(),
    })
}

/// Limits the people explorer to the records of the current population in `when`.
fn show_region(store: &Store, when: &str) {
    let Some(prepared) = &store.prepared else {
        return;
    };
    match region_records(&prepared.0.scenario, when) {
        Some(records) => store.dispatch(Action::ShowRegion(Some(Region {
            when: when.to_owned(),
            records: Rc::new(records),
        }))),
        None => store.dispatch(Action::Notice(Some(format!(
            "The region `{when}` names values the current population does not have, so the explorer cannot list its people."
        )))),
    }
}

/// Opens an absent combination's example in the "why" panel, as the current scenario (B)
/// decides it.
fn explain_example(store: &Store, example: &[(String, String)]) {
    let Some((mut scenario, as_of)) = current(store) else {
        return;
    };
    scenario.population = std::sync::Arc::new(example_population(&scenario, example));
    store.dispatch(Action::ExplainExample(Some(Example {
        prepared: SharedScenario(Rc::new(prepare(scenario))),
        as_of,
    })));
}

/// The regions, as a table with a button each.
fn regions(store: &Store, found: &Diff) -> Html {
    html! {
        <table class="data diff-regions">
            <caption>{ "Every pair whose outcome differs, in regions that do not overlap" }</caption>
            <thead><tr><th scope="col">{ "Who (a condition)" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "Pairs" }</th><th scope="col">{ "People" }</th><th scope="col">{ "Explorer" }</th></tr></thead>
            <tbody>
                { for found.regions.iter().map(|r| {
                    let (store, when) = (store.clone(), r.when.clone());
                    let show = Callback::from(move |_| show_region(&store, &when));
                    html! {
                        <tr data-testid="diff-region" data-when={r.when.clone()} data-a={r.a.as_str()} data-b={r.b.as_str()} data-pairs={r.pairs.to_string()} data-weight={exact(r.weight)}>
                            <th scope="row"><code>{ &r.when }</code></th>
                            <td>{ outcome_label(r.a) }</td><td>{ outcome_label(r.b) }</td>
                            <td>{ people(r.pairs as f64) }</td><td>{ people(r.weight) }</td>
                            <td><button type="button" data-testid="diff-show" onclick={show}>{ "Show these people" }</button></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// The combinations no record has, with their examples.
fn absent(store: &Store, found: &Diff) -> Html {
    if found.absent.is_empty() {
        return html! { <p data-testid="diff-absent-none">{ "No combination that no record has is decided differently." }</p> };
    }
    html! {
        <>
            <p>{ "Possible but absent: combinations no record has today on which A and B still decide differently, each with an example checked by simulating it under both." }</p>
            <ul class="diff-absent">
                { for found.absent.iter().map(|x| {
                    let example = x.example.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ");
                    let (store, values) = (store.clone(), x.example.clone());
                    let why = Callback::from(move |_| explain_example(&store, &values));
                    html! {
                        <li data-testid="diff-absent" data-a={x.a.as_str()} data-b={x.b.as_str()} data-example={example.clone()}>
                            { format!("{} → {}: ", outcome_label(x.a), outcome_label(x.b)) }<code>{ example }</code>
                            { " " }<button type="button" class="why-button" data-testid="diff-absent-why" onclick={why}>{ "Why under B?" }</button>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

/// The exact difference, worked out when asked for by a worker of its own (see
/// `hooks::analysis`).
#[component]
pub fn Difference() -> Html {
    let refused = use_state(|| None::<String>);
    let (store, analyst) = (use_store(), use_context::<AnalystStore>());
    // An answer belongs to the two documents it was worked out for.
    let key = store
        .as_ref()
        .map(|s| (s.pinned_document.clone(), s.revision));
    {
        let (refused, analyst) = (refused.clone(), analyst.clone());
        use_effect_with(key, move |_| {
            refused.set(None);
            if let Some(analyst) = analyst {
                analyst.dispatch(AnalystAction::ForgetDifference);
            }
        });
    }
    let (Some(store), Some(analyst)) = (store, analyst) else {
        return html! {};
    };
    let work_out = {
        let (store, analyst, refused) = (store.clone(), analyst.clone(), refused.clone());
        Callback::from(move |_| match question(&store) {
            Ok(asked) => {
                refused.set(None);
                analyst.dispatch(AnalystAction::AskDifference(Rc::new(asked)));
            }
            Err(reason) => refused.set(Some(reason)),
        })
    };
    let slot = &analyst.difference;
    let cannot = |reason: &str| {
        html! { <p class="notice" data-testid="diff-error">{ format!("The exact difference cannot be worked out: {reason}.") }</p> }
    };
    let body = match (refused.as_deref(), slot.answer.as_deref()) {
        (Some(reason), _) => cannot(reason),
        _ if slot.busy => {
            html! { <p data-testid="diff-busy" data-busy="true">{ "Working out the exact difference…" }</p> }
        }
        (None, Some(Answer::Unavailable(reason))) => cannot(reason),
        (None, Some(Answer::Difference(found)))
            if found.regions.is_empty() && found.absent.is_empty() =>
        {
            html! { <p data-testid="diff-none">{ "A and B decide every pair alike, and every combination no record has too." }</p> }
        }
        (None, Some(Answer::Difference(found))) => {
            html! { <>{ regions(&store, found) }{ absent(&store, found) }</> }
        }
        _ => html! {},
    };
    html! {
        <section class="difference" data-testid="difference" aria-label="Exact difference">
            <h4>{ "Exact difference" }</h4>
            <button type="button" data-testid="diff-work-out" onclick={work_out}>{ "Work out the exact difference" }</button>
            { body }
        </section>
    }
}
