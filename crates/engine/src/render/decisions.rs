//! The `--decisions` CSV of DESIGN §5.

use crate::model::outcome::Outcome;
use crate::simulate::Decision;

use crate::load::Scenario;

/// The `--decisions` CSV of DESIGN §5: `id,product,legal,outcome,directive,rule,before`
/// (`before` is the baseline's outcome, empty without a baseline).
pub fn decisions_csv(scenario: &Scenario, decisions: &[Decision]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header = [
        "id",
        "product",
        "legal",
        "outcome",
        "directive",
        "rule",
        "before",
    ];
    // Writing to memory cannot fail.
    let _ = writer.write_record(header);
    for decision in decisions {
        let id = scenario
            .population
            .ids()
            .get(decision.record as usize)
            .unwrap_or_default();
        let product = scenario
            .products
            .get(usize::from(decision.product))
            .map_or("", |p| p.id.as_str());
        let (directive, rule) = match decision.trace {
            Some((d, rule)) => (
                scenario
                    .directives
                    .get(usize::from(d))
                    .map_or("", |d| d.id.as_str()),
                rule.label(),
            ),
            None => ("", String::new()),
        };
        let before = decision.before.map_or("", Outcome::as_str);
        let _ = writer.write_record([
            id,
            product,
            decision.legal.as_str(),
            decision.outcome.as_str(),
            directive,
            &rule,
            before,
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
