//! Every kind of record a population spec can expand to, read and compiled once, so that
//! sweeps and ranges re-weigh the records instead of expanding, reading and compiling the
//! population again at every value. A record's outcome does not depend on how many people
//! it stands for, and every total is a sum of whole people (each row's apportioned count),
//! so the totals at any setting of the spec's numbers are exactly those a simulation of
//! the expanded population gives.

use std::sync::Arc;

use crate::aggregate::{Totals, simulate};
use crate::compile::{CompiledScenario, compile};
use crate::load::Scenario;
use crate::load::population::load_population;
use crate::load::spec::{
    PopulationSpec, apportion, every_row_csv, every_row_population, segment_rows, segment_weights,
};
use crate::model::date::Date;
use crate::model::population::Population;
use crate::model::reading::Reading;
use crate::source::diagnostic::Diagnostic;
use crate::source::toml_text::TextMap;

/// A scenario over every row its spec can expand to, compiled.
pub struct EveryRow {
    /// The scenario, its population every row of the spec.
    pub scenario: Scenario,
    /// The scenario compiled for that population.
    pub compiled: CompiledScenario,
    /// The spec the rows come from.
    pub spec: PopulationSpec,
    /// The reading of "U.S. person" the rows were expanded under.
    pub reading: Reading,
    /// How many rows each segment has, in the spec's order.
    pub counts: Vec<usize>,
}

impl EveryRow {
    /// Every row `scenario`'s spec can expand to, with the scenario compiled for them;
    /// `None` without a spec or when the rows cannot be read or compiled. The rows are
    /// built directly; only a spec whose rows would not read back cleanly goes through
    /// the CSV, so that its reader decides.
    pub fn new(mut scenario: Scenario) -> Option<EveryRow> {
        let spec = scenario.population_spec.clone()?;
        let reading = scenario.reading;
        let counts: Vec<usize> = (0..spec.segments.len())
            .map(|i| segment_rows(&spec, i, reading))
            .collect();
        let file = scenario.sources.add("every row of the spec", String::new());
        let population = match every_row_population(&spec, reading, file) {
            Some(population) => population,
            None => read_every_row(&mut scenario, &spec, reading)?,
        };
        if population.len() != counts.iter().sum::<usize>() {
            return None;
        }
        scenario.population = Arc::new(population);
        let (compiled, _) = compile(&scenario);
        Some(EveryRow {
            scenario,
            compiled: compiled?,
            spec,
            reading,
            counts,
        })
    }

    /// Each row's whole people when `spec` (the rows' spec with some numbers changed) is
    /// expanded, apportioned segment by segment as the expansion does.
    pub fn people(&self, spec: &PopulationSpec) -> Vec<f64> {
        (0..self.counts.len())
            .flat_map(|index| {
                let people = spec.segments.get(index).map_or(0.0, |s| s.people.round());
                apportion(&segment_weights(spec, index, self.reading), people)
            })
            .map(|n| n as f64)
            .collect()
    }

    /// The totals on `as_of` of the population `spec` expands to; `None` when `spec`
    /// expands to other kinds of rows (a table entry added) or a segment would have no one
    /// (the expanded population would not name it, so its totals would not either).
    pub fn totals(&mut self, spec: &PopulationSpec, as_of: Date) -> Option<Totals> {
        let same_rows = spec.segments.len() == self.counts.len()
            && (0..self.counts.len()).all(|i| {
                segment_rows(spec, i, self.reading) == self.counts.get(i).copied().unwrap_or(0)
            });
        if !same_rows {
            return None;
        }
        let people = self.people(spec);
        let mut start = 0;
        for count in &self.counts {
            let end = start + count;
            if people
                .get(start..end)
                .is_none_or(|p| p.iter().sum::<f64>() <= 0.0)
            {
                return None;
            }
            start = end;
        }
        Arc::make_mut(&mut self.scenario.population).set_weights(people);
        Some(simulate(&self.scenario, &self.compiled, as_of, |_| {}))
    }
}

/// Every row of `spec` written as CSV and read back, as a population file is read; `None`
/// when the reader reports an error.
fn read_every_row(
    scenario: &mut Scenario,
    spec: &PopulationSpec,
    reading: Reading,
) -> Option<Population> {
    let csv = every_row_csv(spec, reading);
    let file = scenario
        .sources
        .add("every row of the spec (CSV)", csv.clone());
    let map = TextMap::identity(0, csv.len());
    let (population, diagnostics) = load_population(&scenario.sources, file, &csv, &map);
    (!diagnostics.iter().any(Diagnostic::is_error)).then_some(population)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{NativeFileSystem, load_scenario_file};

    /// Every decision over `population`, in order.
    fn decisions(rows: &mut EveryRow, population: Arc<Population>) -> Vec<(u32, u16, String)> {
        rows.scenario.population = population;
        let scenario = &rows.scenario;
        let (compiled, _) = compile(scenario);
        let compiled = compiled.expect("compiles");
        let as_of = scenario.as_of.expect("dated");
        let mut out = Vec::new();
        simulate(scenario, &compiled, as_of, |d| {
            out.push((d.record, d.product, format!("{:?}", d.outcome)));
        });
        out
    }

    #[test]
    fn the_rows_built_directly_are_the_rows_the_csv_reads_back_to() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/");
        for path in [
            "friday-letter/complies-exactly.scenario.toml",
            "friday-letter/reading-772.scenario.toml",
        ] {
            let scenario = load_scenario_file(&format!("{root}{path}"), &NativeFileSystem);
            let mut rows = EveryRow::new(scenario).expect("rows");
            let (spec, reading) = (rows.spec.clone(), rows.reading);
            for i in 0..spec.segments.len() {
                let weights = segment_weights(&spec, i, reading);
                assert_eq!(segment_rows(&spec, i, reading), weights.len());
            }
            let read = read_every_row(&mut rows.scenario, &spec, reading).expect("read");
            let built = rows.scenario.population.clone();
            assert_eq!(read.len(), built.len(), "{path}");
            assert_eq!(read.ids(), built.ids());
            assert_eq!(read.segments.values(), built.segments.values());
            assert_eq!(read.sectors.values(), built.sectors.values());
            assert_eq!(read.segment(), built.segment());
            assert_eq!(read.products(), built.products());
            let ids = |p: &Population| {
                p.product_ids
                    .iter()
                    .map(|u| u.id.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&read), ids(&built));
            let read = decisions(&mut rows, Arc::new(read));
            assert_eq!(read, decisions(&mut rows, built), "{path}");
        }
    }
}
