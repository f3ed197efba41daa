//! The `--totals` JSON of DESIGN §5.

use crate::aggregate::{OutcomeWeights, Totals};
use crate::model::outcome::Outcome;
use std::collections::BTreeMap;

use crate::load::Scenario;

/// The `--totals` JSON of DESIGN §5: by segment, by product, and people, every outcome
/// present.
pub fn totals_json(scenario: &Scenario, totals: &Totals) -> serde_json::Value {
    let products: Vec<&str> = scenario.products.iter().map(|p| p.id.as_str()).collect();
    totals_json_named(scenario.population.segments.values(), &products, totals)
}

/// The `--totals` JSON for totals indexed by these segment names and product ids.
pub fn totals_json_named(
    segments: &[String],
    products: &[&str],
    totals: &Totals,
) -> serde_json::Value {
    let outcomes = |row: &OutcomeWeights| -> BTreeMap<&'static str, f64> {
        Outcome::ALL
            .iter()
            .map(|o| (o.as_str(), row.get(o.index()).copied().unwrap_or(0.0)))
            .collect()
    };
    let by_segment: BTreeMap<&str, _> = segments
        .iter()
        .zip(&totals.by_segment)
        .map(|(s, row)| (s.as_str(), outcomes(row)))
        .collect();
    let by_product: BTreeMap<&str, _> = products
        .iter()
        .zip(&totals.by_product)
        .map(|(p, row)| (*p, outcomes(row)))
        .collect();
    let people: BTreeMap<&str, _> = segments
        .iter()
        .zip(&totals.people)
        .map(|(s, p)| {
            let counts = serde_json::json!({
                "total": p.total,
                "lose_any": p.lose_any,
                "gain_any": p.gain_any,
            });
            (s.as_str(), counts)
        })
        .collect();
    // Keys in sorted order, so the file is the same whether or not serde_json keeps
    // insertion order (a feature another crate in the build may turn on).
    serde_json::json!({
        "by_product": by_product,
        "by_segment": by_segment,
        "people": people,
    })
}
