//! Charts as SVG components: the "who loses access" unit chart, the law-versus-provider
//! matrix and the directive timeline. Each has a data table or text beside it, and every
//! outcome has a shape as well as a colour.

use yew::prelude::*;

use super::basis::Badges;
use super::chart_export::ExportButtons;
use super::format::{exact, people};
use crate::app::state::{Action, Figures, Highlight, Results};
use crate::engine::model::date::Date;
use crate::engine::model::outcome::Outcome;

/// A human name for an outcome.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Denied => "Denied by law",
        Outcome::LicenseRequired => "Needs a license",
        Outcome::Collateral => "Blocked though lawful",
        Outcome::Leaked => "Served though barred",
        Outcome::Exempt => "Exempt",
        Outcome::Retains => "Keeps access",
        Outcome::Gains => "Gains access",
        Outcome::Unavailable => "Never had access",
    }
}

/// One unit's mark: a shape per outcome, so colour is not the only cue. Every shape is a
/// `path`, so that a mark whose outcome changes is redrawn by changing its attributes
/// rather than replacing the element.
fn mark(outcome: Outcome, x: f64, y: f64, size: f64) -> Html {
    let class = format!("mark {}", outcome.as_str());
    let d = mark_path(outcome, x, y, size);
    html! { <path {class} {d} /> }
}

/// The outline of `outcome`'s mark in the square of side `size` at (`x`, `y`).
fn mark_path(outcome: Outcome, x: f64, y: f64, size: f64) -> String {
    let half = size / 2.0;
    let (cx, cy) = (x + half, y + half);
    let square = |inset: f64| {
        let side = size - 2.0 * inset;
        format!("M{},{}h{side}v{side}h-{side}Z", x + inset, y + inset)
    };
    let circle = |r: f64| {
        format!(
            "M{},{cy}a{r},{r} 0 1,0 {},0a{r},{r} 0 1,0 -{},0Z",
            cx - r,
            2.0 * r,
            2.0 * r
        )
    };
    match outcome {
        Outcome::Denied => square(0.0),
        Outcome::LicenseRequired => {
            format!("M{cx},{y}L{},{}L{x},{}Z", x + size, y + size, y + size)
        }
        Outcome::Collateral => circle(half),
        Outcome::Leaked => format!("M{cx},{y}L{},{cy}L{cx},{}L{x},{cy}Z", x + size, y + size),
        Outcome::Exempt => {
            // A square with rounded corners.
            let (r, side) = (2.0, size - 2.0);
            let straight = side - 2.0 * r;
            format!(
                "M{},{}h{straight}a{r},{r} 0 0,1 {r},{r}v{straight}a{r},{r} 0 0,1 -{r},{r}h-{straight}a{r},{r} 0 0,1 -{r},-{r}v-{straight}a{r},{r} 0 0,1 {r},-{r}Z",
                x + 1.0 + r,
                y + 1.0
            )
        }
        Outcome::Retains => square(2.0),
        Outcome::Gains => {
            let third = size / 3.0;
            format!(
                "M{a},{y}L{b},{y}L{b},{a2}L{r},{a2}L{r},{b2}L{b},{b2}L{b},{bottom}L{a},{bottom}L{a},{b2}L{x},{b2}L{x},{a2}L{a},{a2}Z",
                a = x + third,
                b = x + 2.0 * third,
                a2 = y + third,
                b2 = y + 2.0 * third,
                r = x + size,
                bottom = y + size,
            )
        }
        Outcome::Unavailable => circle(half - 1.5),
    }
}

/// The outcomes a scenario can have: the two baseline outcomes only with a baseline.
pub fn outcomes_of(results: &Results) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| {
            results.baseline.is_some() || !matches!(o, Outcome::Gains | Outcome::Unavailable)
        })
        .collect()
}

/// Properties of the legend.
#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// The outcomes to list.
    pub outcomes: Vec<Outcome>,
    /// The outcome highlighted, if any.
    #[prop_or_default]
    pub highlighted: Option<Outcome>,
}

/// The legend entries with their marks.
#[component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for props.outcomes.iter().map(|&o| html! {
                <li data-testid={format!("legend-{}", o.as_str())}
                    class={classes!((props.highlighted == Some(o)).then_some("highlighted"))}
                    data-highlighted={(props.highlighted == Some(o)).then_some("true")}>
                    <svg width="14" height="14" aria-hidden="true">{ mark(o, 1.0, 1.0, 12.0) }</svg>
                    { outcome_label(o) }
                </li>
            }) }
        </ul>
    }
}

/// The highlight on screen (none outside the app's store).
fn highlight_of(store: Option<&crate::app::hooks::Store>) -> Highlight {
    store.map(|s| s.highlight.clone()).unwrap_or_default()
}

/// The controls that mark a segment or an outcome on the charts: toggle buttons, one per
/// segment and one per outcome, and one that clears both. A story step keeps what they
/// mark.
#[component]
pub fn HighlightPicker() -> Html {
    let Some(store) = crate::app::hooks::use_store() else {
        return html! {};
    };
    let Some(results) = store.results.clone() else {
        return html! {};
    };
    let highlight = store.highlight.clone();
    let set = |next: Highlight| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Highlight(next.clone())))
    };
    let words = match (&highlight.segment, highlight.outcome) {
        (None, None) => "Nothing is highlighted.".to_owned(),
        (Some(s), None) => format!("Highlighted: the {s} segment."),
        (None, Some(o)) => format!("Highlighted: {}.", outcome_label(o).to_lowercase()),
        (Some(s), Some(o)) => format!(
            "Highlighted: the {s} segment and {}.",
            outcome_label(o).to_lowercase()
        ),
    };
    html! {
        <div class="highlight-picker" role="group" aria-labelledby="highlight-heading" data-testid="highlight-picker">
            <p id="highlight-heading" class="highlight-heading">{ "Highlight on the charts" }</p>
            <div class="highlight-row">
                <span class="highlight-kind">{ "Segment:" }</span>
                { for results.segments.iter().map(|segment| {
                    let pressed = highlight.marks_segment(segment);
                    html! {
                        <button type="button" class={classes!("highlight-toggle", pressed.then_some("pressed"))}
                            data-testid={format!("highlight-segment-{segment}")} aria-pressed={pressed.to_string()}
                            onclick={set(highlight.toggle_segment(segment))}>{ segment }</button>
                    }
                }) }
            </div>
            <div class="highlight-row">
                <span class="highlight-kind">{ "Outcome:" }</span>
                { for outcomes_of(&results).into_iter().map(|outcome| {
                    let pressed = highlight.marks_outcome(outcome);
                    html! {
                        <button type="button" class={classes!("highlight-toggle", pressed.then_some("pressed"))}
                            data-testid={format!("highlight-outcome-{}", outcome.as_str())} aria-pressed={pressed.to_string()}
                            onclick={set(highlight.toggle_outcome(outcome))}>
                            <svg width="12" height="12" aria-hidden="true">{ mark(outcome, 0.0, 0.0, 12.0) }</svg>
                            { outcome_label(outcome) }
                        </button>
                    }
                }) }
            </div>
            <p class="highlight-state" role="status" data-testid="highlight-state">
                { words }
                if !highlight.is_empty() {
                    { " " }
                    <button type="button" data-testid="highlight-clear" onclick={set(Highlight::default())}>{ "Clear highlight" }</button>
                }
            </p>
        </div>
    }
}

/// People per icon: a round number that keeps the chart under `max_icons`.
pub fn people_per_icon(total: f64, max_icons: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for factor in [1.0, 2.0, 5.0] {
            if total / (step * factor) <= max_icons {
                return step * factor;
            }
        }
        step *= 10.0;
    }
}

/// A unit chart's mark size, the gap between marks and the marks in a row.
const MARK_SIZE: f64 = 10.0;
const MARK_GAP: f64 = 2.0;
const MARKS_PER_ROW: usize = 40;

/// Properties of one segment's marks.
#[derive(Properties, PartialEq)]
struct SegmentMarksProps {
    /// How many marks each outcome has, in the order they are drawn.
    counts: Vec<(Outcome, usize)>,
    /// Where the first row starts.
    top: f64,
    /// The highlighted outcome, if any.
    marked: Option<Outcome>,
}

/// One segment's marks, row by row. A component of its own, so that its hundreds of marks
/// are drawn again only when their counts change, not on every change of the app, and
/// then in a task of their own (`aria-busy` until they are); on opening, once the first
/// screen has been painted.
#[component]
fn SegmentMarks(props: &SegmentMarksProps) -> Html {
    let painted = crate::app::hooks::use_after_first_paint();
    let ((counts, top), waiting) =
        crate::app::hooks::use_deferred((props.counts.clone(), props.top));
    if !painted {
        return html! { <g class="marks" aria-busy="true"></g> };
    }
    let step = MARK_SIZE + MARK_GAP;
    let mut first = 0usize;
    let runs = counts.iter().filter(|(_, count)| *count > 0).map(|&(outcome, count)| {
        let start = first;
        first += count;
        let marked = props.marked == Some(outcome);
        html! {
            <g key={outcome.as_str()} class={classes!("outcome-marks", marked.then_some("highlighted"))}
                data-highlighted={marked.then_some("true")}>
                { for (start..start + count).map(|index| {
                    let x = (index % MARKS_PER_ROW) as f64 * step;
                    let y = top + (index / MARKS_PER_ROW) as f64 * step;
                    mark(outcome, x, y, MARK_SIZE)
                }) }
            </g>
        }
    });
    html! {
        <g class="marks" aria-busy={waiting.to_string()}>{ for runs }</g>
    }
}

/// Properties of the unit chart.
#[derive(Properties, PartialEq)]
pub struct UnitChartProps {
    /// The results to draw.
    pub results: Figures,
}

/// One icon per N people, grouped by segment, coloured and shaped by each person's most
/// severe outcome.
#[component]
pub fn UnitChart(props: &UnitChartProps) -> Html {
    let svg_ref = use_node_ref();
    let (analyst, store) = (
        use_context::<crate::app::hooks::AnalystStore>(),
        crate::app::hooks::use_store(),
    );
    // Over the bounds of the population's figures, each segment's range, where known.
    let range = analyst
        .as_ref()
        .zip(store.as_ref())
        .and_then(|(analyst, store)| super::analyst::current_range(analyst, store));
    let highlight = highlight_of(store.as_ref());
    let results = &props.results;
    let everyone = results.totals.people_total().total;
    let per_icon = people_per_icon(everyone, 400.0);
    let (size, gap, per_row) = (MARK_SIZE, MARK_GAP, MARKS_PER_ROW);
    let mut y = 0.0;
    let mut groups = Vec::new();
    for (segment, row) in results
        .segments
        .iter()
        .zip(&results.totals.people_by_outcome)
    {
        let title_y = y + 14.0;
        y += 22.0;
        let counts: Vec<(Outcome, usize)> = Outcome::ALL
            .into_iter()
            .map(|outcome| {
                let people = row.get(outcome.index()).copied().unwrap_or(0.0);
                (outcome, (people / per_icon).round() as usize)
            })
            .collect();
        let index: usize = counts.iter().map(|(_, count)| count).sum();
        let marks = html! { <SegmentMarks {counts} top={y} marked={highlight.outcome} /> };
        let marked = highlight.marks_segment(segment);
        let rows = index.div_ceil(per_row).max(1);
        y += rows as f64 * (size + gap) + 6.0;
        let span = range.and_then(|r| r.spans.iter().find(|s| s.segment == *segment));
        let right = (per_row as f64 * (size + gap)).to_string();
        groups.push(html! {
            <g class={classes!("segment-group", marked.then_some("highlighted"))}
                data-testid={format!("units-segment-{segment}")} data-highlighted={marked.then_some("true")}>
                if marked {
                    <rect class="segment-highlight" x="1" y={(title_y - 15.0).to_string()}
                        width={(per_row as f64 * (size + gap) - 2.0).to_string()} height={(y - title_y + 13.0).to_string()} rx="4" />
                }
                <text x={if marked { "6" } else { "0" }} y={title_y.to_string()} class="segment-title">{ if marked { format!("{segment} (highlighted)") } else { segment.clone() } }</text>
                if let Some(s) = span {
                    <text x={right} y={title_y.to_string()} text-anchor="end" class="segment-range"
                        data-testid={format!("units-range-{segment}")} data-low={exact(s.low)} data-high={exact(s.high)}>
                        { format!("between {} and {} lose access", people(s.low), people(s.high)) }
                    </text>
                }
                { marks }
            </g>
        });
    }
    let width = per_row as f64 * (size + gap);
    html! {
        <figure class={classes!(
            "unit-chart",
            highlight.segment.is_some().then_some("segment-highlighted"),
            highlight.outcome.is_some().then_some("outcome-highlighted"),
        )}>
            <figcaption>
                <Badges bases={results.bases()} place="units" />{ " " }
                { format!(
                    "Who loses access: one mark for every {} {}",
                    people(per_icon),
                    match (per_icon == 1.0, results.organisations) {
                        (true, false) => "person",
                        (true, true) => "person or organisation",
                        (false, false) => "people",
                        (false, true) => "people or organisations",
                    }
                ) }
                <ExportButtons target={svg_ref.clone()} name="units" />
            </figcaption>
            <svg ref={svg_ref} viewBox={format!("0 0 {width} {y}")} width="100%" role="img"
                aria-label="Unit chart of people by segment and outcome; the table below has the numbers">
                { for groups }
            </svg>
            <Legend outcomes={outcomes_of(results)} highlighted={highlight.outcome} />
            <details>
                <summary>{ "The numbers behind the chart" }</summary>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{ "Segment" }</th>
                        { for Outcome::ALL.iter().map(|&o| html! { <th scope="col">{ outcome_label(o) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for results.segments.iter().zip(&results.totals.people_by_outcome).map(|(segment, row)| html! {
                            <tr class={classes!(highlight.marks_segment(segment).then_some("highlighted"))}>
                                <th scope="row">{ segment }</th>
                                { for row.iter().map(|w| html! { <td>{ people(*w) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Properties of the law-versus-provider matrix.
#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    /// The results to draw.
    pub results: Figures,
}

/// What the law says against what the provider does, over every person-product pair, so
/// that a leak on one product is not hidden by a denial on another.
#[component]
pub fn LawMatrix(props: &MatrixProps) -> Html {
    let store = crate::app::hooks::use_store();
    let highlight = highlight_of(store.as_ref());
    let mut by = [0.0; Outcome::COUNT];
    for row in &props.results.totals.by_segment {
        for (sum, value) in by.iter_mut().zip(row) {
            *sum += value;
        }
    }
    let get = |o: Outcome| by.get(o.index()).copied().unwrap_or(0.0);
    // A cell is highlighted when it counts the outcome highlighted.
    let cell = |id: &str, value: f64, label: &str, class: &str, counts: &[Outcome]| {
        let marked = highlight.outcome.is_some_and(|o| counts.contains(&o));
        html! {
            <td class={classes!("matrix-cell", class.to_owned(), marked.then_some("highlighted"))} data-testid={format!("matrix-{id}")} data-value={exact(value)}
                data-highlighted={marked.then_some("true")}>
                <span class="matrix-value">{ people(value) }</span>
                <span class="matrix-label">{ label.to_owned() }</span>
            </td>
        }
    };
    html! {
        <table class="matrix">
            <caption>{ "The law against the provider's gate: person-product pairs (a person counts once for each product they use) " }<Badges bases={props.results.bases()} place="matrix" /></caption>
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">{ "Provider blocks" }</th>
                    <th scope="col">{ "Provider serves" }</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">{ "Barred by law" }</th>
                    { cell("barred-blocked", get(Outcome::Denied) + get(Outcome::LicenseRequired), "denied or needs a license", "denied", &[Outcome::Denied, Outcome::LicenseRequired]) }
                    { cell("barred-served", get(Outcome::Leaked), "leaked: served though barred", "leaked", &[Outcome::Leaked]) }
                </tr>
                <tr>
                    <th scope="row">{ "Allowed by law" }</th>
                    { cell("allowed-blocked", get(Outcome::Collateral), "collateral: blocked though lawful", "collateral", &[Outcome::Collateral]) }
                    { cell("allowed-served", get(Outcome::Exempt) + get(Outcome::Retains), "keep access", "retains", &[Outcome::Exempt, Outcome::Retains]) }
                </tr>
                if props.results.baseline.is_some() {
                    <tr>
                        <th scope="row">{ "No access before" }</th>
                        { cell("before-blocked", get(Outcome::Unavailable), "never had access: still without it", "unavailable", &[Outcome::Unavailable]) }
                        { cell("before-served", get(Outcome::Gains), "gains access", "gains", &[Outcome::Gains]) }
                    </tr>
                }
            </tbody>
        </table>
    }
}

/// Properties of the timeline.
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The results to draw.
    pub results: Figures,
}

/// When each directive starts and ends, with the as-of day marked.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let svg_ref = use_node_ref();
    let results = &props.results;
    if results.directives.is_empty() {
        return html! {};
    }
    let as_of = results.as_of.days_since_epoch();
    let mut first = as_of;
    let mut last = as_of;
    for d in &results.directives {
        for day in [d.effective, d.expires].into_iter().flatten() {
            first = first.min(day.days_since_epoch());
            last = last.max(day.days_since_epoch());
        }
    }
    let span = (last - first).max(30);
    let (first, last) = (first - span / 10, last + span / 10);
    let (left, width, row) = (0.0, 600.0, 26.0);
    let x = |day: i64| left + (day - first) as f64 / (last - first).max(1) as f64 * width;
    let height = results.directives.len() as f64 * row + 24.0;
    let date_label =
        |d: Option<Date>, none: &str| d.map_or_else(|| none.to_owned(), |d| d.to_string());
    html! {
        <figure class="timeline">
            <figcaption>
                <Badges bases={results.bases()} place="timeline" />{ " When each directive is in force" }
                <ExportButtons target={svg_ref.clone()} name="timeline" />
            </figcaption>
            <svg ref={svg_ref} viewBox={format!("0 0 {width} {height}")} width="100%" role="img" aria-label="Timeline of directives; the list below has the dates">
                { for results.directives.iter().enumerate().map(|(i, d)| {
                    let y = i as f64 * row + 4.0;
                    let start = x(d.effective.map_or(first, Date::days_since_epoch));
                    let end = x(d.expires.map_or(last, Date::days_since_epoch));
                    html! {
                        <g class={classes!("bar", d.in_force.then_some("in-force"))}>
                            <rect x={start.to_string()} y={y.to_string()} width={(end - start).max(2.0).to_string()} height="16" rx="3" />
                            <text x={(start + 4.0).to_string()} y={(y + 12.0).to_string()}>{ &d.id }</text>
                        </g>
                    }
                }) }
                <line class="as-of-line" x1={x(as_of).to_string()} x2={x(as_of).to_string()} y1="0" y2={(height - 16.0).to_string()} />
                <text class="as-of-label" x={x(as_of).to_string()} y={(height - 4.0).to_string()} text-anchor="middle">{ format!("as of {}", results.as_of) }</text>
            </svg>
            <ul class="timeline-list">
                { for results.directives.iter().map(|d| html! {
                    <li data-testid={format!("directive-{}", d.id)} data-in-force={d.in_force.to_string()}>
                        <strong>{ &d.id }</strong>{ " " }
                        <Badges bases={d.bases.clone()} place={format!("directive-{}", d.id)} />
                        { format!(" — from {} until {}; {}", date_label(d.effective, "always"), date_label(d.expires, "no end date"), if d.in_force { "in force" } else { "not in force" }) }
                    </li>
                }) }
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::people_per_icon;

    #[test]
    fn picks_a_round_number_of_people_per_icon() {
        assert_eq!(people_per_icon(300.0, 400.0), 1.0);
        assert_eq!(people_per_icon(692.0, 400.0), 2.0);
        assert_eq!(people_per_icon(208_000.0, 400.0), 1000.0);
        assert_eq!(people_per_icon(1500.0, 400.0), 5.0);
    }
}
