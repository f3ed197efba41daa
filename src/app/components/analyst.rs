//! The analyst's views: the exact range of people who lose access over the bounds of the
//! population's figures (on the headline), each figure's swing as a tornado chart, people
//! who lose access against one parameter, and over the days directives enter and leave
//! force. The worker works them out (`app::analysis`); each chart has a table twin with
//! the same numbers for screen readers.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::format::{exact, people};
use crate::app::analysis::{Answer, Bar, Interval, Point, RangeAnswer};
use crate::app::hooks::{ANALYST_WATCHDOG_MS, AnalystStore, SWEEP_STEPS, use_analysis, use_store};
use crate::app::state::analysis::{AnalystAction, Slot, SweepChoice, default_span, sweep_for};
use crate::engine::load::parameters::{bounded, settable, split_name, value_of};
use crate::engine::load::spec::PopulationSpec;
use crate::engine::model::date::Date;

/// Properties of the provider: the views it serves.
#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    /// The views.
    pub children: Html,
}

/// Asks the worker the analyst's questions and gives the answers to the views inside it.
#[component]
pub fn AnalystProvider(props: &ProviderProps) -> Html {
    let store = use_store();
    let analyst = use_analysis(store.as_ref());
    html! {
        <ContextProvider<AnalystStore> context={analyst}>
            { props.children.clone() }
        </ContextProvider<AnalystStore>>
    }
}

fn range_of(slot: &Slot) -> Option<&RangeAnswer> {
    match slot.answer.as_deref() {
        Some(Answer::Range(range)) => Some(range),
        _ => None,
    }
}

/// The range to show beside the current results: only for a population spec (whose
/// figures have bounds), and only once worked out.
pub(super) fn current_range<'a>(
    analyst: &'a crate::app::state::analysis::Analyst,
    store: &crate::app::state::State,
) -> Option<&'a RangeAnswer> {
    store
        .population_spec()
        .and_then(|_| range_of(&analyst.range))
}

/// The range on the headline: between how many and how many lose access over the bounds
/// of the population's figures, per segment, what the range means, and its sources.
#[component]
pub fn RangeLine() -> Html {
    let (Some(analyst), Some(store)) = (use_context::<AnalystStore>(), use_store()) else {
        return html! {};
    };
    // Only a population spec has bounds; an answer about an earlier one is not shown.
    let Some(range) = current_range(&analyst, &store) else {
        if store.population_spec().is_some() && analyst.range.busy {
            return html! { <p class="range-note" data-testid="range" data-busy="true">{ "Working out the range over the bounds of the population's figures…" }</p> };
        }
        return html! {};
    };
    let sources = store
        .results
        .as_ref()
        .map(|r| {
            r.population_sources
                .iter()
                .map(|s| s.citation())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let span = |testid: String, s: &crate::app::analysis::Span| {
        html! {
            <li data-testid={testid} data-low={exact(s.low)} data-value={exact(s.value)} data-high={exact(s.high)}>
                { format!("{}: between {} and {} ({} at the spec's values)", s.segment, people(s.low), people(s.high), people(s.value)) }
            </li>
        }
    };
    let everyone = range.spans.iter().find(|s| s.segment == "everyone");
    html! {
        <div class={classes!("range-note", analyst.range.busy.then_some("stale"))} data-testid="range" data-busy={analyst.range.busy.to_string()}>
            if let Some(all) = everyone {
                <p class="range-headline">
                    { format!("Over the bounds of the population's figures: between {} and {} people lose access ({} at the spec's values).", people(all.low), people(all.high), people(all.value)) }
                </p>
            }
            <ul class="range-segments">
                { for range.spans.iter().map(|s| span(format!("range-{}", s.segment), s)) }
            </ul>
            <p class="range-meaning">
                { "The range is not a probability or a confidence interval: each figure with bounds takes the low and high its source gives (or, for an illustrative figure, the bounds the spec assumes), and the lowest and highest are over every combination of those bounds. " }
                if !sources.is_empty() {
                    { format!("The figures' sources: {}.", sources.join("; ")) }
                }
            </p>
        </div>
    }
}

/// Everything below the results: the tornado chart and the sweep (over a population
/// spec's figures), and the timeline sweep (for any population).
#[component]
pub fn AnalystViews() -> Html {
    let (Some(analyst), Some(store)) = (use_context::<AnalystStore>(), use_store()) else {
        return html! {};
    };
    if store.results.as_ref().is_none_or(|r| r.sample.is_some()) {
        return html! {};
    }
    let spec = store.population_spec().cloned();
    let retry = {
        let analyst = analyst.clone();
        Callback::from(move |_| analyst.dispatch(AnalystAction::Retry))
    };
    html! {
        <section class="analyst" aria-label="How the answer moves with the population's figures and the date">
            <h3>{ "How the answer moves" }</h3>
            if analyst.stalled {
                <p class="worker-stalled" role="alert" data-testid="analyst-stalled">
                    { format!("The background analysis has not answered for {} seconds; it may have stopped. ", ANALYST_WATCHDOG_MS / 1000) }
                    <button type="button" data-testid="analyst-retry" onclick={retry}>{ "Start it again" }</button>
                </p>
            }
            if let Some(spec) = spec {
                if let Some(range) = range_of(&analyst.range) {
                    <Tornado bars={range.bars.clone()} value={range.spans.iter().find(|s| s.segment == "everyone").map_or(0.0, |s| s.value)} />
                }
                <SweepView spec={spec} />
            }
            <DaysView />
        </section>
    }
}

/// Properties of the tornado chart.
#[derive(Properties, PartialEq)]
pub struct TornadoProps {
    /// Largest swing first.
    pub bars: Vec<Bar>,
    /// Everyone who loses access at the spec's values.
    pub value: f64,
}

/// Each bounded figure's swing: everyone who loses access at its low and its high bound,
/// the others at the spec's values, largest first.
#[component]
pub fn Tornado(props: &TornadoProps) -> Html {
    if props.bars.is_empty() {
        return html! {};
    }
    let lo = props
        .bars
        .iter()
        .map(|b| b.low.min(b.high))
        .fold(props.value, f64::min);
    let hi = props
        .bars
        .iter()
        .map(|b| b.low.max(b.high))
        .fold(props.value, f64::max);
    let (label, width, row) = (300.0, 340.0, 22.0);
    let x = |v: f64| label + (v - lo) / (hi - lo).max(1.0) * width;
    let height = props.bars.len() as f64 * row + 24.0;
    let centre = x(props.value);
    html! {
        <figure class="tornado">
            <figcaption>{ "Each figure alone from its low to its high bound, the others at the spec's values: everyone who loses access (darker: at the high bound), largest swing first" }</figcaption>
            <svg viewBox={format!("0 0 {} {height}", label + width + 10.0)} width="100%" role="img" aria-label="Tornado chart of each figure's swing; the table below has the numbers">
                { for props.bars.iter().enumerate().map(|(i, b)| {
                    let y = i as f64 * row + 4.0;
                    let (at_low, at_high) = (x(b.low), x(b.high));
                    html! {
                        <g data-testid={format!("tornado-{}", b.param)} data-low={exact(b.low)} data-high={exact(b.high)}>
                            <text x={(label - 6.0).to_string()} y={(y + 12.0).to_string()} text-anchor="end">{ &b.param }</text>
                            <rect class="at-low" x={at_low.min(centre).to_string()} y={y.to_string()} width={(at_low - centre).abs().max(1.0).to_string()} height="16" />
                            <rect class="at-high" x={at_high.min(centre).to_string()} y={y.to_string()} width={(at_high - centre).abs().max(1.0).to_string()} height="16" />
                        </g>
                    }
                }) }
                <line class="value-line" x1={centre.to_string()} x2={centre.to_string()} y1="0" y2={(height - 16.0).to_string()} />
                <text class="value-label" x={centre.to_string()} y={(height - 4.0).to_string()} text-anchor="middle">{ format!("{} at the spec's values", people(props.value)) }</text>
            </svg>
            <div class="scroll" tabindex="0" role="region" aria-label="Each figure's swing">
                <table class="tornado-table">
                    <thead><tr>
                        <th scope="col">{ "Figure" }</th><th scope="col">{ "Bounds" }</th>
                        <th scope="col">{ "Lose access at low" }</th><th scope="col">{ "At high" }</th><th scope="col">{ "Swing" }</th>
                    </tr></thead>
                    <tbody>
                        { for props.bars.iter().map(|b| html! {
                            <tr>
                                <th scope="row">{ &b.param }</th>
                                <td>{ format!("{} to {}", b.bound_low, b.bound_high) }</td>
                                <td>{ people(b.low) }</td><td>{ people(b.high) }</td>
                                <td>{ people((b.high - b.low).abs()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// The current value of a parameter in the (adjusted) spec, where the chart marks it.
fn current_value(spec: &PopulationSpec, param: &str) -> Option<f64> {
    let (segment, path) = split_name(spec, param)?;
    let (_, us, foreign) = spec.key_shares(&segment.segment)?;
    match path {
        "us_share" => Some(us),
        "foreign_share" => Some(foreign),
        _ => value_of(segment, path),
    }
}

/// A line or step chart of people who lose access: `points` are (x, people), `marks`
/// are x values drawn as dashed lines with their labels.
fn line_chart(label: &str, points: &[(f64, f64)], steps: bool, marks: &[(f64, String)]) -> Html {
    if points.is_empty() {
        return html! {};
    }
    let xs = points.iter().map(|p| p.0).chain(marks.iter().map(|m| m.0));
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let top = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0);
    let (left, width, height) = (70.0, 540.0, 200.0);
    let x = |v: f64| left + (v - x0) / (x1 - x0).max(f64::MIN_POSITIVE) * width;
    let y = |v: f64| 10.0 + (1.0 - v / top) * (height - 30.0);
    let mut path = String::new();
    for (i, (px, py)) in points.iter().enumerate() {
        let command = if i == 0 { 'M' } else { 'L' };
        if steps && i > 0 {
            let previous = points.get(i - 1).map_or(*py, |p| p.1);
            path.push_str(&format!("L{:.1},{:.1} ", x(*px), y(previous)));
        }
        path.push_str(&format!("{command}{:.1},{:.1} ", x(*px), y(*py)));
    }
    html! {
        <svg viewBox={format!("0 0 {} {height}", left + width + 20.0)} width="100%" role="img" aria-label={format!("{label}; the table below has the numbers")}>
            <line class="axis" x1={left.to_string()} x2={(left + width).to_string()} y1={y(0.0).to_string()} y2={y(0.0).to_string()} />
            <text class="axis-label" x={(left - 6.0).to_string()} y={(y(top) + 4.0).to_string()} text-anchor="end">{ people(top) }</text>
            <text class="axis-label" x={(left - 6.0).to_string()} y={(y(0.0) + 4.0).to_string()} text-anchor="end">{ "0" }</text>
            <path class="sweep-line" d={path} />
            { for points.iter().map(|(px, py)| html! { <circle class="sweep-dot" cx={format!("{:.1}", x(*px))} cy={format!("{:.1}", y(*py))} r="3" /> }) }
            { for marks.iter().map(|(mx, text)| html! {
                <>
                    <line class="value-line" x1={x(*mx).to_string()} x2={x(*mx).to_string()} y1="10" y2={y(0.0).to_string()} />
                    <text class="value-label" x={x(*mx).to_string()} y={(height - 4.0).to_string()} text-anchor="middle">{ text }</text>
                </>
            }) }
        </svg>
    }
}

/// Properties of the sweep.
#[derive(Properties, PartialEq)]
pub struct SweepProps {
    /// The population spec, as adjusted.
    pub spec: PopulationSpec,
}

/// People who lose access against one population parameter, over a span the reader
/// chooses, the current value marked.
#[component]
pub fn SweepView(props: &SweepProps) -> Html {
    let Some(analyst) = use_context::<AnalystStore>() else {
        return html! {};
    };
    let spec = &props.spec;
    let Some(choice) = sweep_for(spec, analyst.sweep_choice.as_ref()) else {
        return html! {};
    };
    // Parameters with bounds first, then the rest the spec writes.
    let mut names: Vec<String> = bounded(spec).into_iter().map(|b| b.name).collect();
    names.extend(
        settable(spec)
            .into_iter()
            .filter(|n| !names.contains(n))
            .collect::<Vec<_>>(),
    );
    let choose_param = {
        let (analyst, spec) = (analyst.clone(), spec.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let param = select.value();
            if let Some((from, to)) = default_span(&spec, &param) {
                analyst.dispatch(AnalystAction::ChooseSweep(SweepChoice { param, from, to }));
            }
        })
    };
    let set_end = |is_from: bool| {
        let (analyst, choice) = (analyst.clone(), choice.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(value) = input.value().parse::<f64>() {
                let mut next = choice.clone();
                if is_from {
                    next.from = value
                } else {
                    next.to = value
                }
                analyst.dispatch(AnalystAction::ChooseSweep(next));
            }
        })
    };
    let points: Vec<Point> = match analyst.sweep.answer.as_deref() {
        Some(Answer::Sweep(points)) => points.clone(),
        _ => Vec::new(),
    };
    let unavailable = match analyst.sweep.answer.as_deref() {
        Some(Answer::Unavailable(why)) => Some(why.clone()),
        _ => None,
    };
    let marks: Vec<(f64, String)> = current_value(spec, &choice.param)
        .map(|v| (v, format!("now: {v}")))
        .into_iter()
        .collect();
    let line: Vec<(f64, f64)> = points.iter().map(|p| (p.value, p.lose)).collect();
    html! {
        <figure class="sweep" data-testid="sweep" data-busy={analyst.sweep.busy.to_string()} data-param={choice.param.clone()}>
            <figcaption>{ format!("People who lose access as {} goes from {} to {} ({} values)", choice.param, choice.from, choice.to, if points.is_empty() { SWEEP_STEPS + 1 } else { points.len() }) }</figcaption>
            <div class="sweep-controls">
                <label>{ "Figure " }
                    <select data-testid="sweep-param" onchange={choose_param}>
                        { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == choice.param}>{ n }</option> }) }
                    </select>
                </label>
                <label>{ " from " }<input type="number" step="any" data-testid="sweep-from" value={choice.from.to_string()} onchange={set_end(true)} /></label>
                <label>{ " to " }<input type="number" step="any" data-testid="sweep-to" value={choice.to.to_string()} onchange={set_end(false)} /></label>
            </div>
            if let Some(why) = unavailable {
                <p class="hint" data-testid="sweep-unavailable">{ why }</p>
            }
            { line_chart(&format!("People who lose access against {}", choice.param), &line, false, &marks) }
            <div class="scroll" tabindex="0" role="region" aria-label="People who lose access at each value">
                <table class="sweep-table">
                    <thead><tr><th scope="col">{ &choice.param }</th><th scope="col">{ "People who lose access" }</th></tr></thead>
                    <tbody>
                        { for points.iter().map(|p| html! {
                            <tr data-testid="sweep-point" data-value={exact(p.value)} data-lose={exact(p.lose)}>
                                <th scope="row">{ exact(p.value) }</th><td>{ people(p.lose) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// People who lose access over days, cut exactly where a directive of the scenario or
/// its baseline enters or leaves force, as a step chart.
#[component]
pub fn DaysView() -> Html {
    let (Some(analyst), Some(store)) = (use_context::<AnalystStore>(), use_store()) else {
        return html! {};
    };
    let intervals: Vec<Interval> = match analyst.days.answer.as_deref() {
        Some(Answer::Days(intervals)) => intervals.clone(),
        _ => Vec::new(),
    };
    let unavailable = match analyst.days.answer.as_deref() {
        Some(Answer::Unavailable(why)) => Some(why.clone()),
        _ => None,
    };
    let shown = analyst
        .days_choice
        .or_else(|| Some((intervals.first()?.from, intervals.last()?.to)));
    let set_day = |is_from: bool| {
        let analyst = analyst.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let (Some(day), Some((from, to))) = (Date::parse(&input.value()), shown) {
                let (from, to) = if is_from { (day, to) } else { (from, day) };
                analyst.dispatch(AnalystAction::ChooseDays(from, to));
            }
        })
    };
    let day = |d: Date| d.days_since_epoch() as f64;
    // Each span drawn from its first day to the day after its last.
    let mut steps: Vec<(f64, f64)> = intervals.iter().map(|i| (day(i.from), i.lose)).collect();
    if let Some(last) = intervals.last() {
        steps.push((day(last.to) + 1.0, last.lose));
    }
    let marks: Vec<(f64, String)> = store
        .results
        .as_ref()
        .map(|r| (day(r.as_of), format!("as of {}", r.as_of)))
        .into_iter()
        .collect();
    html! {
        <figure class="days" data-testid="days" data-busy={analyst.days.busy.to_string()}>
            <figcaption>{ "People who lose access day by day, cut where a directive enters or leaves force" }</figcaption>
            if let Some((from, to)) = shown {
                <div class="sweep-controls">
                    <label>{ "From " }<input type="date" data-testid="days-from" value={from.to_string()} onchange={set_day(true)} /></label>
                    <label>{ " to " }<input type="date" data-testid="days-to" value={to.to_string()} onchange={set_day(false)} /></label>
                </div>
            }
            if let Some(why) = unavailable {
                <p class="hint" data-testid="days-unavailable">{ why }</p>
            }
            { line_chart("People who lose access over the days", &steps, true, &marks) }
            <div class="scroll" tabindex="0" role="region" aria-label="People who lose access over each span of days">
                <table class="days-table">
                    <thead><tr><th scope="col">{ "Days (both included)" }</th><th scope="col">{ "People who lose access" }</th></tr></thead>
                    <tbody>
                        { for intervals.iter().map(|i| html! {
                            <tr data-testid="timeline-interval" data-from={i.from.to_string()} data-to={i.to.to_string()} data-lose={exact(i.lose)}>
                                <th scope="row">{ format!("{} to {}", i.from, i.to) }</th><td>{ people(i.lose) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </figure>
    }
}
