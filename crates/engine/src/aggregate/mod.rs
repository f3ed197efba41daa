//! Runs the decisions over the whole population and sums them: totals by segment,
//! product, country, sector and status, and the people behind the pairs.

use crate::model::outcome::Outcome;
use crate::simulate::{Decision, RuleRef, decide, in_force, products_used};

use serde::Serialize;

use crate::compile::CompiledScenario;
use crate::compile::classes::ClassMap;
use crate::load::Scenario;
use crate::model::date::Date;
use crate::model::population::{Profile, Status};
use crate::model::reference::MAX_COUNTRIES;
use crate::simulate::DecisionTable;

/// Sums per outcome.
pub type OutcomeWeights = [f64; Outcome::COUNT];

/// Who is counted, and who loses access.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct People {
    /// Everyone, by weight.
    pub total: f64,
    /// Those who lose at least one product they use.
    pub lose_any: f64,
    /// Those who gain at least one product they use and lose none (only with a baseline).
    pub gain_any: f64,
    /// Those who had access to none of the products they use before (only with a
    /// baseline): every pair `unavailable` or `gains`.
    pub without_before: f64,
}

impl People {
    /// Adds `weight` people whose worst outcome is `worst`.
    pub fn add(&mut self, weight: f64, worst: Option<Outcome>) {
        self.total += weight;
        if worst.is_some_and(Outcome::loses_access) {
            self.lose_any += weight;
        }
        if worst == Some(Outcome::Gains) {
            self.gain_any += weight;
        }
    }

    /// Those who had access to at least one product they use before (everyone, without
    /// a baseline).
    pub fn had_any(&self) -> f64 {
        self.total - self.without_before
    }
}

/// Every aggregate the app and the CLI show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Totals {
    /// Per segment symbol.
    pub by_segment: Vec<OutcomeWeights>,
    /// Per scenario product.
    pub by_product: Vec<OutcomeWeights>,
    /// Per segment symbol.
    pub people: Vec<People>,
    /// People per segment under their most severe outcome across the products they use
    /// (in the order of [`Outcome::ALL`]), each person counted once.
    pub people_by_outcome: Vec<OutcomeWeights>,
    /// Per country of residence (pair weights).
    pub by_residence: Vec<OutcomeWeights>,
    /// Per nationality (pair weights).
    pub by_nationality: Vec<OutcomeWeights>,
    /// People per country of residence.
    pub people_by_residence: Vec<People>,
    /// People per nationality.
    pub people_by_nationality: Vec<People>,
    /// Per sector symbol.
    pub by_sector: Vec<OutcomeWeights>,
    /// Per status.
    pub by_status: [OutcomeWeights; Status::ALL.len()],
    /// Pair weight decided by each directive's rules (then its default, last).
    pub rule_impact: Vec<Vec<f64>>,
    /// Pair weight blocked by each response rule.
    pub response_impact: Vec<f64>,
    /// Pairs decided.
    pub pairs: u64,
}

impl Totals {
    /// Zero totals shaped for `scenario`.
    pub fn empty(scenario: &Scenario) -> Totals {
        let population = &scenario.population;
        let segments = population.segments.values().len();
        let sectors = population.sectors.values().len();
        let products = scenario.products.len();
        Totals {
            by_segment: vec![[0.0; Outcome::COUNT]; segments],
            by_product: vec![[0.0; Outcome::COUNT]; products],
            people: vec![People::default(); segments],
            people_by_outcome: vec![[0.0; Outcome::COUNT]; segments],
            by_residence: vec![[0.0; Outcome::COUNT]; MAX_COUNTRIES],
            by_nationality: vec![[0.0; Outcome::COUNT]; MAX_COUNTRIES],
            people_by_residence: vec![People::default(); MAX_COUNTRIES],
            people_by_nationality: vec![People::default(); MAX_COUNTRIES],
            by_sector: vec![[0.0; Outcome::COUNT]; sectors],
            by_status: [[0.0; Outcome::COUNT]; Status::ALL.len()],
            rule_impact: scenario
                .directives
                .iter()
                .map(|d| vec![0.0; d.rules.len() + 1])
                .collect(),
            response_impact: vec![0.0; scenario.response.rules.len()],
            pairs: 0,
        }
    }

    /// Adds `weight` to the directive rule (`trace`) and the response rule that decided.
    fn count_rules(
        &mut self,
        trace: Option<(u16, RuleRef)>,
        response_rule: Option<u16>,
        weight: f64,
    ) {
        if let Some((directive, rule)) = trace
            && let Some(rules) = self.rule_impact.get_mut(usize::from(directive))
        {
            let slot = match rule {
                RuleRef::Rule(i) => usize::from(i),
                RuleRef::Default => rules.len().saturating_sub(1),
            };
            if let Some(cell) = rules.get_mut(slot) {
                *cell += weight;
            }
        }
        if let Some(rule) = response_rule
            && let Some(cell) = self.response_impact.get_mut(usize::from(rule))
        {
            *cell += weight;
        }
    }
    /// People, all segments together, under their most severe outcome.
    pub fn people_by_outcome_total(&self) -> OutcomeWeights {
        let mut total = [0.0; Outcome::COUNT];
        for row in &self.people_by_outcome {
            for (sum, value) in total.iter_mut().zip(row) {
                *sum += value;
            }
        }
        total
    }

    /// Everyone, all segments together.
    pub fn people_total(&self) -> People {
        self.people.iter().fold(People::default(), |a, p| People {
            total: a.total + p.total,
            lose_any: a.lose_any + p.lose_any,
            gain_any: a.gain_any + p.gain_any,
            without_before: a.without_before + p.without_before,
        })
    }
}

/// Decides every pair, calling `each` with every decision, and returns the totals.
pub fn simulate(
    scenario: &Scenario,
    compiled: &CompiledScenario,
    as_of: Date,
    mut each: impl FnMut(&Decision),
) -> Totals {
    match Simulation::new(scenario, compiled, as_of) {
        Some(mut simulation) => {
            simulation.advance(scenario, compiled, usize::MAX, &mut each);
            simulation.finish(scenario)
        }
        None => simulate_record_by_record(scenario, compiled, as_of, each),
    }
}

/// The sums for one breakdown profile, so that a record touches one place.
#[derive(Clone, Copy, Debug, Default)]
struct ProfileSums {
    /// Pair weight per outcome.
    pairs: OutcomeWeights,
    /// People per worst outcome; the last slot holds people who use none of the
    /// scenario's products.
    people: [f64; Outcome::COUNT + 1],
    /// People who had access to none of their products before.
    without_before: f64,
}

/// The outcomes of pairs that were not served before, as bits by index.
const NOT_SERVED_BEFORE: u32 = 1 << Outcome::Gains as u32 | 1 << Outcome::Unavailable as u32;

/// Records decided in one go: their class combinations are worked out a column at a time
/// into a buffer that stays in cache.
const BLOCK: usize = 2048;

/// A simulation through the decision table that runs a number of records at a time, so
/// that a caller can show progress, and give up on a run nobody wants any more, between
/// steps. It sums weights per breakdown profile as it decides, and spreads the sums into
/// every breakdown at the end.
#[derive(Clone, Debug)]
pub struct Simulation {
    table: DecisionTable,
    /// One row per breakdown profile, so that a record touches one place.
    profile_weights: Vec<ProfileSums>,
    /// Pair weight per verdict, in four banks taken in turn so that consecutive additions
    /// to one verdict do not wait for each other.
    verdict_weights: Vec<[f64; 4]>,
    pairs: u64,
    /// The next record to decide.
    next: usize,
    /// How many records there are.
    records: usize,
}

impl Simulation {
    /// A simulation of `scenario` on `as_of`, or `None` when its rules split the
    /// population too finely for a decision table.
    pub fn new(scenario: &Scenario, compiled: &CompiledScenario, as_of: Date) -> Option<Self> {
        let population = &scenario.population;
        let classes = compiled.classes.as_ref().filter(|c| c.fits(population))?;
        let profiles = population.profiles();
        let records = population
            .products()
            .len()
            .min(population.weight().len())
            .min(profiles.of_record.len());
        Some(Simulation {
            table: DecisionTable::new(classes, in_force(scenario, as_of)),
            profile_weights: vec![ProfileSums::default(); profiles.keys.len()],
            verdict_weights: Vec::new(),
            pairs: 0,
            next: 0,
            records,
        })
    }

    /// Records decided so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.records)
    }

    /// Whether every record is decided.
    pub fn is_done(&self) -> bool {
        self.next >= self.records
    }

    /// Decides at least `records` more records (whole blocks), or the rest, calling `each`
    /// with every decision.
    pub fn advance(
        &mut self,
        scenario: &Scenario,
        compiled: &CompiledScenario,
        records: usize,
        each: &mut impl FnMut(&Decision),
    ) {
        let Some(classes) = compiled.classes.as_ref() else {
            return;
        };
        let population = &scenario.population;
        let profiles = population.profiles();
        let stop = self.next.saturating_add(records).min(self.records);
        let mut block_classes = [0u32; BLOCK];
        while self.next < stop {
            let first = self.next;
            let end = (first + BLOCK).min(self.records);
            let classes_here = block_classes.get_mut(..end - first).unwrap_or_default();
            classes.classes_of_records(population, first, classes_here);
            let columns = classes_here
                .iter()
                .zip(population.products().get(first..end).unwrap_or_default())
                .zip(population.weight().get(first..end).unwrap_or_default())
                .zip(profiles.of_record.get(first..end).unwrap_or_default());
            for (offset, (((&class, &products), &weight), &profile)) in columns.enumerate() {
                let row = BlockRow {
                    record: first + offset,
                    class,
                    products,
                    weight,
                    profile: profile as usize,
                };
                self.decide_record(classes, compiled, row, each);
            }
            self.next = end;
        }
    }

    /// Decides every pair of one record through the table and adds it to the sums.
    #[inline]
    fn decide_record(
        &mut self,
        classes: &ClassMap,
        compiled: &CompiledScenario,
        row: BlockRow,
        each: &mut impl FnMut(&Decision),
    ) {
        let mut worst = Outcome::ALL.len();
        let mut had_before = false;
        // The loop of `products_used`, written out: the iterator costs about 15% here, the
        // hottest loop of the engine.
        let mut bits = row.products;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(&Some(product)) = compiled.product_of_bit.get(bit) else {
                continue;
            };
            let Some((index, verdict)) = self.table.decide(classes, compiled, row.class, product)
            else {
                continue;
            };
            if index >= self.verdict_weights.len() {
                self.verdict_weights.resize(index + 1, [0.0; 4]);
            }
            if let Some(sum) = self
                .verdict_weights
                .get_mut(index)
                .and_then(|banks| banks.get_mut(row.record % 4))
            {
                *sum += row.weight;
            }
            let outcome = verdict.outcome.index();
            if let Some(sum) = self
                .profile_weights
                .get_mut(row.profile)
                .and_then(|sums| sums.pairs.get_mut(outcome))
            {
                *sum += row.weight;
            }
            worst = worst.min(outcome);
            had_before |= (NOT_SERVED_BEFORE >> outcome) & 1 == 0;
            self.pairs += 1;
            each(&verdict.for_pair(row.record, product));
        }
        if let Some(sums) = self.profile_weights.get_mut(row.profile) {
            if let Some(sum) = sums.people.get_mut(worst) {
                *sum += row.weight;
            }
            if !had_before && worst < Outcome::COUNT {
                sums.without_before += row.weight;
            }
        }
    }

    /// The totals of the records decided so far (all of them once [`Self::is_done`]).
    pub fn finish(&self, scenario: &Scenario) -> Totals {
        let profiles = scenario.population.profiles();
        let mut totals = Totals::empty(scenario);
        totals.pairs = self.pairs;
        for (key, sums) in profiles.keys.iter().zip(&self.profile_weights) {
            let place = Place::of(key);
            for (&outcome, &weight) in Outcome::ALL.iter().zip(&sums.pairs) {
                if weight != 0.0 {
                    totals.add_pairs(place, outcome, weight);
                }
            }
            if sums.without_before != 0.0 {
                totals.add_without_before(place, sums.without_before);
            }
            for (slot, &weight) in sums.people.iter().enumerate() {
                if weight != 0.0 {
                    totals.add_people(place, weight, Outcome::ALL.get(slot).copied());
                }
            }
        }
        for ((verdict, product), banks) in self.table.verdicts().iter().zip(&self.verdict_weights) {
            let weight = banks.iter().sum();
            add_weight(&mut totals.by_product, *product, verdict.outcome, weight);
            totals.count_rules(verdict.trace, verdict.response_rule, weight);
        }
        totals
    }
}

fn add_weight(table: &mut [OutcomeWeights], index: usize, outcome: Outcome, weight: f64) {
    if let Some(cell) = table
        .get_mut(index)
        .and_then(|row| row.get_mut(outcome.index()))
    {
        *cell += weight;
    }
}

fn add_without_before(table: &mut [People], index: usize, weight: f64) {
    if let Some(cell) = table.get_mut(index) {
        cell.without_before += weight;
    }
}

fn add_person(table: &mut [People], index: usize, weight: f64, worst: Option<Outcome>) {
    if let Some(cell) = table.get_mut(index) {
        cell.add(weight, worst);
    }
}

/// Decides every pair record by record, evaluating each rule's condition on the record
/// itself: the reference [`simulate`] must agree with, and what it falls back to when the
/// rules split the population too finely for a decision table.
pub fn simulate_record_by_record(
    scenario: &Scenario,
    compiled: &CompiledScenario,
    as_of: Date,
    mut each: impl FnMut(&Decision),
) -> Totals {
    let population = &scenario.population;
    let in_force = in_force(scenario, as_of);
    let mut totals = Totals::empty(scenario);
    for record in 0..population.len() {
        let (
            Some(&weight),
            Some(&mask),
            Some(&segment),
            Some(&residence),
            Some(&nationality),
            Some(&sector),
            Some(&status),
        ) = (
            population.weight().get(record),
            population.products().get(record),
            population.segment().get(record),
            population.residence().get(record),
            population.nationality().get(record),
            population.sector().get(record),
            population.status().get(record),
        )
        else {
            continue;
        };
        let place = Place::of(&Profile {
            segment,
            residence,
            nationality,
            sector,
            status,
        });
        let mut worst: Option<Outcome> = None;
        let mut had_before = false;
        for product in products_used(compiled, mask) {
            let decision = decide(compiled, &in_force, population, record, product);
            let outcome = decision.outcome;
            worst = Some(worst.map_or(outcome, |w| w.min(outcome)));
            had_before |= decision.before.is_none_or(Outcome::served);
            totals.add_pairs(place, outcome, weight);
            add_weight(&mut totals.by_product, product, outcome, weight);
            totals.count_rules(decision.trace, decision.response_rule, weight);
            totals.pairs += 1;
            each(&decision);
        }
        if worst.is_some() && !had_before {
            totals.add_without_before(place, weight);
        }
        totals.add_people(place, weight, worst);
    }
    totals
}

fn status_index(status: Status) -> usize {
    status as usize
}

/// One record of a block, with what deciding it needs.
#[derive(Clone, Copy)]
struct BlockRow {
    record: usize,
    /// Its class combination.
    class: u32,
    /// The products it uses, as bits.
    products: u64,
    weight: f64,
    /// Its breakdown profile.
    profile: usize,
}

/// Where one person or profile falls in every breakdown.
#[derive(Clone, Copy)]
struct Place {
    segment: usize,
    residence: usize,
    nationality: usize,
    sector: usize,
    status: usize,
}

impl Place {
    fn of(profile: &Profile) -> Place {
        Place {
            segment: profile.segment as usize,
            residence: usize::from(profile.residence),
            nationality: usize::from(profile.nationality),
            sector: profile.sector as usize,
            status: status_index(profile.status),
        }
    }
}

impl Totals {
    /// Adds pair weight with one outcome to every breakdown but the product's.
    fn add_pairs(&mut self, place: Place, outcome: Outcome, weight: f64) {
        add_weight(&mut self.by_segment, place.segment, outcome, weight);
        add_weight(&mut self.by_residence, place.residence, outcome, weight);
        add_weight(&mut self.by_nationality, place.nationality, outcome, weight);
        add_weight(&mut self.by_sector, place.sector, outcome, weight);
        add_weight(&mut self.by_status, place.status, outcome, weight);
    }

    /// Adds people with one worst outcome (`None`: they use none of the products).
    fn add_people(&mut self, place: Place, weight: f64, worst: Option<Outcome>) {
        add_person(&mut self.people, place.segment, weight, worst);
        add_person(
            &mut self.people_by_residence,
            place.residence,
            weight,
            worst,
        );
        add_person(
            &mut self.people_by_nationality,
            place.nationality,
            weight,
            worst,
        );
        if let Some(worst) = worst {
            add_weight(&mut self.people_by_outcome, place.segment, worst, weight);
        }
    }

    /// Adds people who had access to none of their products before.
    fn add_without_before(&mut self, place: Place, weight: f64) {
        add_without_before(&mut self.people, place.segment, weight);
        add_without_before(&mut self.people_by_residence, place.residence, weight);
        add_without_before(&mut self.people_by_nationality, place.nationality, weight);
    }
}
