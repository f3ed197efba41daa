//! Decides every (record, product) pair exactly as DESIGN §4 says, and aggregates the
//! outcomes in the same pass.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compile::{CompiledRule, CompiledScenario, RecordRef, Subject};
use super::date::Date;
use super::decision_table::{ClassMap, DecisionTable};
use super::load::Scenario;
use super::model::Effect;
use super::population::{Population, Status};
use super::reference::MAX_COUNTRIES;

/// What happens to one person's access to one product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Barred by law and blocked.
    Denied,
    /// Needs a license they do not hold, and blocked.
    LicenseRequired,
    /// Lawful, but blocked by the provider anyway.
    Collateral,
    /// Barred by law but still served.
    Leaked,
    /// Lawful because an explicit exemption matched, and served.
    Exempt,
    /// Lawful and served.
    Retains,
}

impl Outcome {
    /// Every outcome, in display order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Denied,
        Outcome::LicenseRequired,
        Outcome::Collateral,
        Outcome::Leaked,
        Outcome::Exempt,
        Outcome::Retains,
    ];

    /// The name used in files and test hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Denied => "denied",
            Outcome::LicenseRequired => "license_required",
            Outcome::Collateral => "collateral",
            Outcome::Leaked => "leaked",
            Outcome::Exempt => "exempt",
            Outcome::Retains => "retains",
        }
    }

    /// Whether the person loses access to the product.
    pub fn loses_access(self) -> bool {
        matches!(
            self,
            Outcome::Denied | Outcome::LicenseRequired | Outcome::Collateral
        )
    }

    /// Position in [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Whether bit `index` of `mask` is set; indices past 63 are never set.
#[inline]
pub fn has_bit(mask: u64, index: usize) -> bool {
    index < 64 && (mask >> index) & 1 == 1
}

/// Which rule of a directive decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleRef {
    /// The rule at this 0-based index.
    Rule(u16),
    /// The directive's default.
    Default,
}

impl RuleRef {
    /// `1`-based index, or `default`.
    pub fn label(self) -> String {
        match self {
            RuleRef::Rule(index) => (usize::from(index) + 1).to_string(),
            RuleRef::Default => "default".into(),
        }
    }
}

/// The decision for one pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    /// Record index in the population.
    pub record: u32,
    /// Product index in the scenario.
    pub product: u16,
    /// The legal effect after licenses.
    pub legal: Effect,
    /// What happens.
    pub outcome: Outcome,
    /// The directive (scenario index) and rule behind `legal`, if any directive had an opinion.
    pub trace: Option<(u16, RuleRef)>,
    /// The response rule (0-based) that blocked, if the provider's own rule did.
    pub response_rule: Option<u16>,
}

/// Sums per outcome.
pub type OutcomeWeights = [f64; 6];

/// Who is counted, and who loses access.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct People {
    /// Everyone, by weight.
    pub total: f64,
    /// Those who lose at least one product they use.
    pub lose_any: f64,
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
    pub by_status: [OutcomeWeights; 4],
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
            by_segment: vec![[0.0; 6]; segments],
            by_product: vec![[0.0; 6]; products],
            people: vec![People::default(); segments],
            people_by_outcome: vec![[0.0; 6]; segments],
            by_residence: vec![[0.0; 6]; MAX_COUNTRIES],
            by_nationality: vec![[0.0; 6]; MAX_COUNTRIES],
            people_by_residence: vec![People::default(); MAX_COUNTRIES],
            people_by_nationality: vec![People::default(); MAX_COUNTRIES],
            by_sector: vec![[0.0; 6]; sectors],
            by_status: [[0.0; 6]; 4],
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
        let mut total = [0.0; 6];
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
        })
    }
}

/// First matching rule's effect and index, or the default.
#[inline]
fn first_match(
    rules: &[CompiledRule],
    default: Effect,
    subject: &impl Subject,
    product: usize,
) -> (Effect, RuleRef, bool) {
    for (index, rule) in rules.iter().enumerate() {
        if rule.pred.eval_on(subject, product) {
            let index = u16::try_from(index).unwrap_or(u16::MAX);
            return (rule.effect, RuleRef::Rule(index), true);
        }
    }
    (default, RuleRef::Default, false)
}

/// What the rules decide for one person and one product, whoever the person is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// The legal effect after licenses.
    pub legal: Effect,
    /// What happens.
    pub outcome: Outcome,
    /// The directive (scenario index) and rule behind `legal`, if any directive had an opinion.
    pub trace: Option<(u16, RuleRef)>,
    /// The response rule (0-based) that blocked, if the provider's own rule did.
    pub response_rule: Option<u16>,
}

impl Verdict {
    /// The decision for a record and product.
    #[inline]
    pub fn for_pair(self, record: usize, product: usize) -> Decision {
        Decision {
            record: u32::try_from(record).unwrap_or(u32::MAX),
            product: u16::try_from(product).unwrap_or(u16::MAX),
            legal: self.legal,
            outcome: self.outcome,
            trace: self.trace,
            response_rule: self.response_rule,
        }
    }
}

/// Decides one pair.
#[inline]
pub fn decide(
    compiled: &CompiledScenario,
    in_force: &[bool],
    population: &Population,
    record: usize,
    product: usize,
) -> Decision {
    verdict(
        compiled,
        in_force,
        &RecordRef { population, record },
        product,
    )
    .for_pair(record, product)
}

/// Decides one person's access to one product, exactly as DESIGN §4 says.
pub fn verdict(
    compiled: &CompiledScenario,
    in_force: &[bool],
    subject: &impl Subject,
    product: usize,
) -> Verdict {
    let mut legal = Effect::Allow;
    let mut restrictive: Option<(u16, RuleRef)> = None;
    let mut explicit_allow: Option<(u16, RuleRef)> = None;
    let mut first_opinion: Option<(u16, RuleRef)> = None;
    let licenses = subject.licenses();
    for directive in &compiled.directives {
        if !in_force.get(directive.index).copied().unwrap_or(false)
            || !has_bit(directive.covers, product)
        {
            continue;
        }
        let (mut effect, rule, matched) =
            first_match(&directive.rules, directive.default, subject, product);
        if effect == Effect::License
            && directive
                .license_bit
                .is_some_and(|bit| has_bit(licenses, bit as usize))
        {
            effect = Effect::Allow;
        }
        let here = (u16::try_from(directive.index).unwrap_or(u16::MAX), rule);
        first_opinion.get_or_insert(here);
        if matched && effect == Effect::Allow && explicit_allow.is_none() {
            // A held license turns `license` into `allow`, but it is not an explicit allow rule.
            let rule_effect = match rule {
                RuleRef::Rule(i) => directive.rules.get(usize::from(i)).map(|r| r.effect),
                RuleRef::Default => None,
            };
            if rule_effect == Some(Effect::Allow) {
                explicit_allow = Some(here);
            }
        }
        if effect > legal {
            legal = effect;
            restrictive = Some(here);
        }
    }
    let trace = match legal {
        Effect::Allow => explicit_allow.or(first_opinion),
        _ => restrictive,
    };
    let mut response_rule = None;
    let mut blocks = compiled.follows_law && legal != Effect::Allow;
    if has_bit(compiled.response_covers, product)
        && let (effect, RuleRef::Rule(index), true) =
            first_match(&compiled.response_rules, Effect::Allow, subject, product)
        && effect != Effect::Allow
    {
        blocks = true;
        response_rule = Some(index);
    }
    let outcome = match (legal, blocks) {
        (Effect::Allow, true) => Outcome::Collateral,
        (Effect::Allow, false) if explicit_allow.is_some() => Outcome::Exempt,
        (Effect::Allow, false) => Outcome::Retains,
        (Effect::License, true) => Outcome::LicenseRequired,
        (Effect::Deny, true) => Outcome::Denied,
        (_, false) => Outcome::Leaked,
    };
    Verdict {
        legal,
        outcome,
        trace,
        response_rule,
    }
}

/// The scenario products (indices) a record's product bits name, in bit order.
#[inline]
fn products_used(compiled: &CompiledScenario, mask: u64) -> impl Iterator<Item = usize> + '_ {
    let mut bits = mask;
    std::iter::from_fn(move || {
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(&Some(product)) = compiled.product_of_bit.get(bit) {
                return Some(product);
            }
        }
        None
    })
}

/// Which directives are in force on `as_of`.
pub fn in_force(scenario: &Scenario, as_of: Date) -> Vec<bool> {
    scenario
        .directives
        .iter()
        .map(|d| d.in_force(as_of))
        .collect()
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

/// Pair weight per outcome (slots 0 to 5), then people per worst outcome (slots 6 to 11)
/// and people who use none of the scenario's products (slot 12), for one profile.
type ProfileRow = [f64; 13];

/// Where a profile row's people slots start.
const PEOPLE: usize = 6;

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
    profile_weights: Vec<ProfileRow>,
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
            .products
            .len()
            .min(population.weight.len())
            .min(profiles.of_record.len());
        Some(Simulation {
            table: DecisionTable::new(classes, in_force(scenario, as_of)),
            profile_weights: vec![[0.0; 13]; profiles.keys.len()],
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
                .zip(population.products.get(first..end).unwrap_or_default())
                .zip(population.weight.get(first..end).unwrap_or_default())
                .zip(profiles.of_record.get(first..end).unwrap_or_default());
            for (offset, (((&class, &mask), &weight), &profile)) in columns.enumerate() {
                let record = first + offset;
                let profile = profile as usize;
                let mut worst = Outcome::ALL.len();
                // The loop of `products_used`, written out: the iterator costs about 15%
                // here, the hottest loop of the engine.
                let mut bits = mask;
                while bits != 0 {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let Some(&Some(product)) = compiled.product_of_bit.get(bit) else {
                        continue;
                    };
                    let Some((index, verdict)) =
                        self.table.decide(classes, compiled, class, product)
                    else {
                        continue;
                    };
                    if index >= self.verdict_weights.len() {
                        self.verdict_weights.resize(index + 1, [0.0; 4]);
                    }
                    if let Some(sum) = self
                        .verdict_weights
                        .get_mut(index)
                        .and_then(|banks| banks.get_mut(record % 4))
                    {
                        *sum += weight;
                    }
                    let outcome = verdict.outcome.index();
                    if let Some(sum) = self
                        .profile_weights
                        .get_mut(profile)
                        .and_then(|row| row.get_mut(outcome))
                    {
                        *sum += weight;
                    }
                    worst = worst.min(outcome);
                    self.pairs += 1;
                    each(&verdict.for_pair(record, product));
                }
                if let Some(sum) = self
                    .profile_weights
                    .get_mut(profile)
                    .and_then(|row| row.get_mut(PEOPLE + worst))
                {
                    *sum += weight;
                }
            }
            self.next = end;
        }
    }

    /// The totals of the records decided so far (all of them once [`Self::is_done`]).
    pub fn finish(&self, scenario: &Scenario) -> Totals {
        let profiles = scenario.population.profiles();
        let mut totals = Totals::empty(scenario);
        totals.pairs = self.pairs;
        for (key, row) in profiles.keys.iter().zip(&self.profile_weights) {
            let (pair_row, people_row) = row.split_at(PEOPLE);
            let segment = key.segment as usize;
            let residence = usize::from(key.residence);
            let nationality = usize::from(key.nationality);
            for (&outcome, &weight) in Outcome::ALL.iter().zip(pair_row) {
                if weight == 0.0 {
                    continue;
                }
                add_weight(&mut totals.by_segment, segment, outcome, weight);
                add_weight(&mut totals.by_residence, residence, outcome, weight);
                add_weight(&mut totals.by_nationality, nationality, outcome, weight);
                add_weight(&mut totals.by_sector, key.sector as usize, outcome, weight);
                add_weight(
                    &mut totals.by_status,
                    status_index(key.status),
                    outcome,
                    weight,
                );
            }
            for (slot, &weight) in people_row.iter().enumerate() {
                if weight == 0.0 {
                    continue;
                }
                let worst = Outcome::ALL.get(slot).copied();
                let lost = worst.is_some_and(Outcome::loses_access);
                add_person(&mut totals.people, segment, weight, lost);
                add_person(&mut totals.people_by_residence, residence, weight, lost);
                add_person(&mut totals.people_by_nationality, nationality, weight, lost);
                if let Some(worst) = worst {
                    add_weight(&mut totals.people_by_outcome, segment, worst, weight);
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

fn add_person(table: &mut [People], index: usize, weight: f64, lost: bool) {
    if let Some(cell) = table.get_mut(index) {
        cell.total += weight;
        if lost {
            cell.lose_any += weight;
        }
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
            population.weight.get(record),
            population.products.get(record),
            population.segment.get(record),
            population.residence.get(record),
            population.nationality.get(record),
            population.sector.get(record),
            population.status.get(record),
        )
        else {
            continue;
        };
        let mut lost = false;
        let mut worst: Option<Outcome> = None;
        for product in products_used(compiled, mask) {
            let decision = decide(compiled, &in_force, population, record, product);
            let outcome = decision.outcome;
            lost |= outcome.loses_access();
            worst = Some(worst.map_or(outcome, |w| w.min(outcome)));
            add_weight(&mut totals.by_segment, segment as usize, outcome, weight);
            add_weight(&mut totals.by_product, product, outcome, weight);
            add_weight(
                &mut totals.by_residence,
                usize::from(residence),
                outcome,
                weight,
            );
            add_weight(
                &mut totals.by_nationality,
                usize::from(nationality),
                outcome,
                weight,
            );
            add_weight(&mut totals.by_sector, sector as usize, outcome, weight);
            add_weight(&mut totals.by_status, status_index(status), outcome, weight);
            totals.count_rules(decision.trace, decision.response_rule, weight);
            totals.pairs += 1;
            each(&decision);
        }
        add_person(&mut totals.people, segment as usize, weight, lost);
        if let Some(worst) = worst {
            add_weight(
                &mut totals.people_by_outcome,
                segment as usize,
                worst,
                weight,
            );
        }
        add_person(
            &mut totals.people_by_residence,
            usize::from(residence),
            weight,
            lost,
        );
        add_person(
            &mut totals.people_by_nationality,
            usize::from(nationality),
            weight,
            lost,
        );
    }
    totals
}

fn status_index(status: Status) -> usize {
    status as usize
}

/// For each directive (then the response, last), whether each rule's condition holds for
/// at least one pair it could decide.
pub fn rules_matching_something(
    scenario: &Scenario,
    compiled: &CompiledScenario,
) -> Vec<Vec<bool>> {
    let population = &scenario.population;
    // The class combinations that occur, each with the products its records use.
    let occurring: Option<(&ClassMap, Vec<(u32, u64)>)> = compiled
        .classes
        .as_ref()
        .filter(|classes| classes.fits(population))
        .map(|classes| (classes, classes.occurring(population)));
    let scopes = compiled
        .directives
        .iter()
        .map(|d| (&d.rules, d.covers))
        .chain(std::iter::once((
            &compiled.response_rules,
            compiled.response_covers,
        )));
    let products_of = |mask: u64, covers: u64| {
        products_used(compiled, mask).filter(move |&product| has_bit(covers, product))
    };
    let mut out = Vec::new();
    for (rules, covers) in scopes {
        let matched = rules
            .iter()
            .map(|rule| match &occurring {
                Some((classes, occurring)) => occurring.iter().any(|&(combination, mask)| {
                    products_of(mask, covers)
                        .any(|product| classes.holds(&rule.pred, combination, product))
                }),
                None => (0..population.len()).any(|record| {
                    let mask = population.products.get(record).copied().unwrap_or(0);
                    products_of(mask, covers)
                        .any(|product| rule.pred.eval(population, record, product))
                }),
            })
            .collect();
        out.push(matched);
    }
    out
}

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
        .map(|(s, p)| (s.as_str(), *p))
        .collect();
    // Keys in sorted order, so the file is the same whether or not serde_json keeps
    // insertion order (a feature another crate in the build may turn on).
    serde_json::json!({
        "by_product": by_product,
        "by_segment": by_segment,
        "people": people,
    })
}

/// The `--decisions` CSV of DESIGN §5: `id,product,legal,outcome,directive,rule`.
pub fn decisions_csv(scenario: &Scenario, decisions: &[Decision]) -> String {
    let mut out = String::from("id,product,legal,outcome,directive,rule\n");
    let quote = |field: &str| {
        if field.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_owned()
        }
    };
    for decision in decisions {
        let id = scenario
            .population
            .ids
            .get(decision.record as usize)
            .map_or("", String::as_str);
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
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            quote(id),
            quote(product),
            decision.legal.as_str(),
            decision.outcome.as_str(),
            quote(directive),
            rule
        ));
    }
    out
}
