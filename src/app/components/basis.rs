//! Badges that say what a number rests on (DESIGN §2 `basis`): law, a proposal never
//! adopted, a news report, published data, or an illustration. Every scenario, directive,
//! population share and chart caption carries them, so a reader can tell the seed story
//! from the law and a made-up size from a statistic.

use yew::prelude::*;

use crate::engine::model::{Basis, Source};

/// How a basis reads on screen.
pub fn basis_label(basis: Basis) -> &'static str {
    match basis {
        Basis::Law => "Law",
        Basis::Proposed => "Proposed, never adopted",
        Basis::Reported => "News report",
        Basis::Data => "Data",
        Basis::Illustrative => "Illustrative",
    }
}

/// What a basis means, for the badge's tooltip.
fn basis_meaning(basis: Basis) -> &'static str {
    match basis {
        Basis::Law => "the text of a published regulation or statute",
        Basis::Proposed => "a published proposal that was never adopted",
        Basis::Reported => "a news account whose underlying text is not public",
        Basis::Data => "a published statistic",
        Basis::Illustrative => "made up to teach: no source gives it",
    }
}

/// Properties of the badges.
#[derive(Properties, PartialEq)]
pub struct BadgesProps {
    /// The kinds of fact, each shown once.
    pub bases: Vec<Basis>,
    /// Where the badges stand, for the test hook (`basis-scenario`, `basis-units`, …).
    pub place: AttrValue,
}

/// One badge per basis; "basis not stated" when a number rests on sources that give none.
#[component]
pub fn Badges(props: &BadgesProps) -> Html {
    let place = props.place.clone();
    if props.bases.is_empty() {
        return html! {
            <span class="badges" data-testid={format!("basis-{place}")}>
                <span class="basis basis-unstated" data-basis="unstated" title="its sources do not say what kind of fact they are">{ "Basis not stated" }</span>
            </span>
        };
    }
    html! {
        <span class="badges" data-testid={format!("basis-{place}")}>
            { for props.bases.iter().map(|&b| html! {
                <span class={classes!("basis", format!("basis-{}", b.as_str()))} data-basis={b.as_str()} title={basis_meaning(b)}>
                    { basis_label(b) }
                </span>
            }) }
        </span>
    }
}

/// Properties of a source list.
#[derive(Properties, PartialEq)]
pub struct SourceListProps {
    /// The sources.
    pub sources: Vec<Source>,
    /// The test hook.
    pub testid: AttrValue,
}

/// Sources, each with its basis badge.
#[component]
pub fn SourceList(props: &SourceListProps) -> Html {
    html! {
        <ul class="source-list" data-testid={props.testid.clone()}>
            { for props.sources.iter().map(|s| html! {
                <li>
                    <Badges bases={s.basis.into_iter().collect::<Vec<_>>()} place="source" />
                    { " " }{ s.citation() }
                </li>
            }) }
        </ul>
    }
}
