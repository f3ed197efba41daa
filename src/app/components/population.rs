//! The population's key parameters as controls: for each segment of a population spec,
//! its size, the share living in the United States and the share of those who are
//! foreign nationals. Moving one re-expands the spec and simulates again.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::basis::Badges;
use super::format::people;
use crate::app::hooks::use_store;
use crate::app::state::{Action, Parameter};

/// Sliders for the spec's key shares; nothing when the population is a plain CSV.
#[component]
pub fn PopulationControls() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(mut spec) = store.population_spec().cloned() else {
        return html! {};
    };
    // The reader's latest changes, before their results are in: a control that showed the
    // last simulated value would write it back into its input, and a second `change`
    // event in between would send that old value as a new change.
    spec.adjust(&store.adjustments);
    let adjust = |segment: &str, parameter: Parameter, scale: f64| {
        let store = store.clone();
        let segment = segment.to_owned();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(value) = input.value().parse::<f64>() {
                store.dispatch(Action::Adjust {
                    segment: segment.clone(),
                    parameter,
                    value: value / scale,
                });
            }
        })
    };
    let reset = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ResetPopulation))
    };
    html! {
        <details class="population-controls" open=true>
            <summary>{ format!("Population: {}", spec.title) }</summary>
            <p class="hint">{ "Change a segment's size or its key shares; the spec's other shares keep their proportions. Each figure says what it rests on." }</p>
            { for spec.segments.iter().map(|segment| {
                let (size, us, foreign) = spec.key_shares(&segment.segment).unwrap_or_default();
                let name = &segment.segment;
                html! {
                    <fieldset class="segment-controls">
                        <legend>{ name }</legend>
                        <label>
                            { "People " }
                            <input type="number" min="0" step="100" value={format!("{size:.0}")}
                                data-testid={format!("size-{name}")} onchange={adjust(name, Parameter::People, 1.0)} />
                        </label>
                        <label>
                            { format!("Live in the U.S.: {:.0}%", us * 100.0) }
                            <input type="range" min="0" max="100" step="1" value={format!("{:.0}", us * 100.0)}
                                data-testid={format!("us-share-{name}")} onchange={adjust(name, Parameter::UsShare, 100.0)} />
                        </label>
                        <label>
                            { format!("Foreign nationals among them: {:.0}%", foreign * 100.0) }
                            <input type="range" min="0" max="100" step="1" value={format!("{:.0}", foreign * 100.0)}
                                data-testid={format!("foreign-share-{name}")} onchange={adjust(name, Parameter::ForeignShare, 100.0)} />
                        </label>
                        <p class="source" data-testid={format!("population-basis-{name}")}>
                            { "Size " }<Badges bases={spec.basis_of(&segment.people_source).into_iter().collect::<Vec<_>>()} place={format!("size-{name}")} />
                            { " · where they live " }<Badges bases={spec.basis_of(&segment.residence.source).into_iter().collect::<Vec<_>>()} place={format!("residence-{name}")} />
                            { " · status in the U.S. " }<Badges bases={spec.basis_of(&segment.status_in_us.source).into_iter().collect::<Vec<_>>()} place={format!("status-{name}")} />
                            { match segment.people_range {
                                (Some(low), Some(high)) => format!(" ({} people; plausible from {} to {})", people(size), people(low), people(high)),
                                _ => format!(" ({} people)", people(size)),
                            } }
                        </p>
                    </fieldset>
                }
            }) }
            <button type="button" onclick={reset} disabled={store.adjustments.segments.is_empty()}>{ "Reset to the spec" }</button>
        </details>
    }
}
