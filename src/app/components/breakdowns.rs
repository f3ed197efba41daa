//! Tables that break the totals down: by sector, by status, and by the rule that decided.

use yew::prelude::*;

use super::basis::Badges;
use super::format::people;
use crate::app::state::Figures;
use crate::engine::aggregate::OutcomeWeights;
use crate::engine::model::Basis;
use crate::engine::model::outcome::Outcome;
use crate::engine::model::population::Status;

/// Properties of the breakdowns.
#[derive(Properties, PartialEq)]
pub struct BreakdownProps {
    /// The results to break down.
    pub results: Figures,
}

/// How a status reads in a table: organisations are named as such.
pub fn status_label(status: Status) -> String {
    match status {
        Status::Entity => "organisation (entity)".to_owned(),
        other => other.as_str().replace('_', " "),
    }
}

fn outcome_table(
    caption: &str,
    testid: &str,
    bases: &[Basis],
    outcomes: &[Outcome],
    rows: Vec<(String, OutcomeWeights)>,
) -> Html {
    html! {
        <div class="scroll" tabindex="0" role="region" aria-label={caption.to_owned()}><table class="data breakdown" data-testid={testid.to_owned()}>
            <caption>{ format!("{caption} ") }<Badges bases={bases.to_vec()} place={testid.to_owned()} /></caption>
            <thead><tr>
                <th scope="col"></th>
                <th scope="col">{ "Lose access" }</th>
                { for outcomes.iter().map(|o| html! { <th scope="col" class={classes!("outcome", o.as_str())}>{ o.as_str().replace('_', " ") }</th> }) }
            </tr></thead>
            <tbody>
                { for rows.into_iter().filter(|(_, r)| r.iter().sum::<f64>() > 0.0).map(|(name, row)| {
                    let lose: f64 = Outcome::ALL.iter().filter(|o| o.loses_access()).map(|o| row.get(o.index()).copied().unwrap_or(0.0)).sum();
                    html! {
                        <tr>
                            <th scope="row">{ if name.is_empty() { "(none)".to_owned() } else { name } }</th>
                            <td>{ people(lose) }</td>
                            { for outcomes.iter().map(|o| html! { <td>{ people(row.get(o.index()).copied().unwrap_or(0.0)) }</td> }) }
                        </tr>
                    }
                }) }
            </tbody>
        </table></div>
    }
}

/// Person-product pairs by sector and by status.
#[component]
pub fn Breakdowns(props: &BreakdownProps) -> Html {
    let results = &props.results;
    let sectors = results
        .sectors
        .iter()
        .cloned()
        .zip(results.totals.by_sector.iter().copied())
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|&s| status_label(s))
        .zip(results.totals.by_status.iter().copied())
        .collect();
    let outcomes = super::charts::outcomes_of(results);
    let bases = results.bases();
    html! {
        <div class="breakdowns">
            { outcome_table("Person-product pairs by sector", "by-sector", &bases, &outcomes, sectors) }
            { outcome_table("Person-product pairs by status (organisations are accounts, not people)", "by-status", &bases, &outcomes, statuses) }
        </div>
    }
}

/// How much weight each rule decided.
#[component]
pub fn RuleImpact(props: &BreakdownProps) -> Html {
    let results = &props.results;
    html! {
        <div class="scroll" tabindex="0" role="region" aria-label="What each rule decided"><table class="data rule-impact" data-testid="rule-impact">
            <caption>{ "Which rule decided: person-product pairs per rule " }<Badges bases={results.bases()} place="rule-impact" /></caption>
            <thead><tr>
                <th scope="col">{ "Directive" }</th>
                <th scope="col">{ "Rule" }</th>
                <th scope="col">{ "Effect" }</th>
                <th scope="col">{ "When" }</th>
                <th scope="col">{ "Pairs decided" }</th>
            </tr></thead>
            <tbody>
                { for results.directives.iter().zip(&results.totals.rule_impact).flat_map(|(d, impact)| {
                    let mut rows: Vec<Html> = d.rules.iter().enumerate().map(|(i, (effect, when, note))| html! {
                        <tr>
                            <th scope="row">{ &d.id }</th>
                            <td>{ i + 1 }</td>
                            <td class={classes!("effect", effect.clone())}>{ effect }</td>
                            <td><code>{ when }</code>{ if note.is_empty() { html!{} } else { html!{ <div class="note">{ note }</div> } } }</td>
                            <td>{ people(impact.get(i).copied().unwrap_or(0.0)) }</td>
                        </tr>
                    }).collect();
                    rows.push(html! {
                        <tr class="default-rule">
                            <th scope="row">{ &d.id }</th>
                            <td>{ "default" }</td>
                            <td class={classes!("effect", d.default.clone())}>{ &d.default }</td>
                            <td>{ "no rule matched" }</td>
                            <td>{ people(impact.last().copied().unwrap_or(0.0)) }</td>
                        </tr>
                    });
                    rows
                }) }
            </tbody>
        </table></div>
    }
}
