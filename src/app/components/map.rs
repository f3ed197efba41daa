//! A world map of the share of people who lose access, by country of residence or by
//! nationality. The geometry is Natural Earth 1:110m, projected once at build time by
//! `scripts/build_map.mjs` into `world.map`; small places are circles.

use std::sync::OnceLock;

use yew::prelude::*;

use super::basis::Badges;
use super::chart_export::ExportButtons;
use super::format::people;
use crate::app::hooks::{use_after_first_paint, use_deferred};
use crate::app::state::Figures;
use crate::engine::aggregate::People;
use crate::engine::model::reference::reference;

/// One country's shape.
struct Shape {
    alpha2: &'static str,
    path: &'static str,
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        include_str!("world.map")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let mut parts = line.splitn(4, ' ');
                let alpha2 = parts.next()?;
                let (_x, _y) = (parts.next()?, parts.next()?);
                Some(Shape {
                    alpha2,
                    path: parts.next()?,
                })
            })
            .collect()
    })
}

/// Sequential bins for the share losing access, light to dark (a colour-blind-safe
/// single-hue ramp), with the bin's lower bound.
const BINS: [(f64, &str); 5] = [
    (0.0, "#f2f0f7"),
    (0.2, "#cbc9e2"),
    (0.4, "#9e9ac8"),
    (0.6, "#756bb1"),
    (0.8, "#54278f"),
];

fn fill(share: f64) -> &'static str {
    BINS.iter()
        .rev()
        .find(|(low, _)| share >= *low)
        .map_or("#f2f0f7", |(_, c)| c)
}

/// Properties of the table behind the map.
#[derive(Properties, PartialEq)]
struct MapTableProps {
    /// The results the map shows.
    results: Figures,
    /// Whether the map shows nationality rather than residence.
    by_nationality: bool,
}

/// The people of each country `table` counts (by residence or nationality) with anyone
/// in it, by name, most losing access first.
fn country_rows(table: &[People]) -> Vec<(String, People)> {
    let reference = reference();
    let mut rows: Vec<(String, People)> = table
        .iter()
        .enumerate()
        .filter(|(_, p)| p.total > 0.0)
        .filter_map(|(i, p)| {
            let info = reference.country_info(u16::try_from(i).ok()?)?;
            Some((format!("{} ({})", info.name, info.alpha2), *p))
        })
        .collect();
    crate::engine::source::ordering::sort_by(&mut rows, |a, b| {
        b.1.lose_any.total_cmp(&a.1.lose_any)
    });
    rows
}

/// The people counted by nationality or by residence, by country.
fn by_country(results: &Figures, by_nationality: bool) -> &[People] {
    if by_nationality {
        &results.totals.people_by_nationality
    } else {
        &results.totals.people_by_residence
    }
}

/// The numbers behind the map, in a disclosure. Its rows (one per country, a few hundred
/// cells) are written only while it is open, so that new results are not held up by a
/// table no one is reading.
#[component]
fn MapTable(props: &MapTableProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(details.open());
        })
    };
    let baseline = props.results.baseline.is_some();
    let rows = country_rows(by_country(&props.results, props.by_nationality));
    html! {
        <details {ontoggle}>
            <summary>{ format!("The numbers behind the map ({} countries)", rows.len()) }</summary>
            <table class="data">
                <thead><tr><th scope="col">{ "Country" }</th><th scope="col">{ if baseline { "Had access" } else { "People" } }</th><th scope="col">{ "Lose access" }</th><th scope="col">{ "Share" }</th></tr></thead>
                <tbody>
                    if *open {
                        { for rows.iter().map(|(name, p)| html! {
                            <tr><th scope="row">{ name }</th><td>{ people(p.had_any()) }</td><td>{ people(p.lose_any) }</td><td>{ if p.had_any() > 0.0 { format!("{:.0}%", p.lose_any / p.had_any() * 100.0) } else { "—".to_owned() } }</td></tr>
                        }) }
                    }
                </tbody>
            </table>
        </details>
    }
}

/// Properties of the map's shapes.
#[derive(Properties, PartialEq)]
struct ShapesProps {
    /// The results the shapes are coloured by.
    results: Figures,
    /// Whether they are coloured by nationality rather than residence.
    by_nationality: bool,
    /// Whether to draw them at all (not until the first screen is painted).
    drawn: bool,
}

/// Each country's shape, coloured by the share losing access, with its numbers in a
/// tooltip: a component of its own, so that the few hundred shapes are written again only
/// when their figures change, not when the map waits to draw new ones.
#[component]
fn Shapes(props: &ShapesProps) -> Html {
    if !props.drawn {
        return html! {};
    }
    let results = &props.results;
    let table = by_country(results, props.by_nationality);
    let reference = reference();
    let lookup = |alpha2: &str| {
        reference
            .country(alpha2)
            .and_then(|id| table.get(usize::from(id)).copied())
    };
    let who = super::results::who(results);
    let baseline = results.baseline.is_some();
    html! {
        <>
            { for shapes().iter().map(|shape| {
                let person = lookup(shape.alpha2).unwrap_or_default();
                let name = reference.country(shape.alpha2).and_then(|id| reference.country_info(id)).map_or(shape.alpha2, |c| c.name.as_str());
                let had = person.had_any();
                let (fill, share, tip) = if had > 0.0 {
                    let share = person.lose_any / had;
                    let never = if baseline {
                        format!("; {} had no access before", people(person.without_before))
                    } else {
                        String::new()
                    };
                    (fill(share), format!("{share:.4}"), format!(
                        "{name} ({}): {} of {} {who}{} lose access ({:.0}%){never}",
                        shape.alpha2, people(person.lose_any), people(had),
                        if baseline { " who had access" } else { "" }, share * 100.0
                    ))
                } else if person.total > 0.0 {
                    ("#e3e1dc", String::new(), format!("{name} ({}): {} {who}, none of whom had access before", shape.alpha2, people(person.total)))
                } else {
                    ("#e3e1dc", String::new(), format!("{name} ({}): no one in this population", shape.alpha2))
                };
                html! {
                    <path d={shape.path} fill={fill} data-country={shape.alpha2} data-share={share} tabindex="-1">
                        <title>{ tip }</title>
                    </path>
                }
            }) }
        </>
    }
}

/// Properties of the map.
#[derive(Properties, PartialEq)]
pub struct MapProps {
    /// The results to draw.
    pub results: Figures,
}

/// The choropleth with a switch between residence and nationality, tooltips, and a table.
#[component]
pub fn WorldMap(props: &MapProps) -> Html {
    let by_nationality = use_state(|| false);
    let svg_ref = use_node_ref();
    // The map's few hundred shapes are drawn a task after the numbers, and on opening
    // once the first screen has been painted.
    let painted = use_after_first_paint();
    let (results, waiting) = use_deferred(props.results.clone());
    let waiting = waiting || !painted;
    let results = &results;
    let toggle = {
        let by_nationality = by_nationality.clone();
        Callback::from(move |_| by_nationality.set(!*by_nationality))
    };
    let dimension = if *by_nationality {
        "nationality"
    } else {
        "residence"
    };
    let who = super::results::who(results);
    let baseline = results.baseline.is_some();
    let dimension = match (*by_nationality, results.organisations) {
        (true, true) => "nationality (for organisations, where they are organised)",
        (false, true) => "residence (for organisations, the office that uses the product)",
        _ => dimension,
    };
    html! {
        <figure class="world-map" data-testid="map" aria-busy={waiting.to_string()}>
            <figcaption>
                <Badges bases={results.bases()} place="map" />{ " " }
                { if baseline {
                    format!("Share of the {who} who had access that lose it, by {dimension}")
                } else {
                    format!("Share of {who} who lose access, by {dimension}")
                } }
                <button type="button" data-testid="map-toggle" onclick={toggle}>
                    { if *by_nationality { "Show by residence" } else { "Show by nationality" } }
                </button>
                <ExportButtons target={svg_ref.clone()} name="map" />
            </figcaption>
            <svg ref={svg_ref} viewBox="0 0 960 480" width="100%" role="img"
                aria-label={format!("World map of the share losing access by {dimension}; the table below has the numbers")}>
                <Shapes results={results.clone()} by_nationality={*by_nationality} drawn={painted} />
            </svg>
            <ul class="map-legend" aria-label="Map legend">
                { for BINS.iter().enumerate().map(|(i, (low, colour))| {
                    let high = BINS.get(i + 1).map_or(100.0, |(h, _)| h * 100.0);
                    html! { <li><span class="swatch" style={format!("background:{colour}")}></span>{ format!("{:.0}–{high:.0}%", low * 100.0) }</li> }
                }) }
                <li><span class="swatch" style="background:#e3e1dc"></span>{ "no one" }</li>
            </ul>
            <MapTable results={results.clone()} by_nationality={*by_nationality} />
            <p class="map-source">{ "Map: Natural Earth 1:110m (public domain); small countries shown as circles." }</p>
        </figure>
    }
}
