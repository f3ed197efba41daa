//! Decides every (record, product) pair exactly as DESIGN §4 says, and aggregates the
//! outcomes in the same pass.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compile::{CompiledPolicy, CompiledRule, CompiledScenario, RecordRef, Subject};
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
    /// Served now but not before. Only with a baseline.
    Gains,
    /// Barred by law but still served.
    Leaked,
    /// Lawful because an explicit exemption matched, and served.
    Exempt,
    /// Lawful and served.
    Retains,
    /// Not served now and not served before either: it never had access (an existing
    /// sanction, a region the provider does not serve). Only with a baseline.
    Unavailable,
}

impl Outcome {
    /// Every outcome, most severe first: a person's worst outcome over the products they
    /// use is the first in this order, so one who gains is one who gains and loses nothing.
    pub const ALL: [Outcome; 8] = [
        Outcome::Denied,
        Outcome::LicenseRequired,
        Outcome::Collateral,
        Outcome::Gains,
        Outcome::Leaked,
        Outcome::Exempt,
        Outcome::Retains,
        Outcome::Unavailable,
    ];

    /// How many outcomes there are.
    pub const COUNT: usize = Outcome::ALL.len();

    /// The name used in files and test hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Denied => "denied",
            Outcome::LicenseRequired => "license_required",
            Outcome::Collateral => "collateral",
            Outcome::Leaked => "leaked",
            Outcome::Exempt => "exempt",
            Outcome::Retains => "retains",
            Outcome::Unavailable => "unavailable",
            Outcome::Gains => "gains",
        }
    }

    /// Parses the name used in files.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// Whether the pair has access: the gate lets it through (DESIGN §4.7).
    pub fn served(self) -> bool {
        matches!(
            self,
            Outcome::Retains | Outcome::Exempt | Outcome::Leaked | Outcome::Gains
        )
    }

    /// The outcome counted against a baseline in which the pair's outcome was `before`:
    /// a pair served before keeps its outcome; one that was not is `gains` if served now,
    /// else `unavailable`.
    pub fn against(self, before: Outcome) -> Outcome {
        match (before.served(), self.served()) {
            (true, _) => self,
            (false, true) => Outcome::Gains,
            (false, false) => Outcome::Unavailable,
        }
    }

    /// Whether the person loses access to the product.
    pub fn loses_access(self) -> bool {
        matches!(
            self,
            Outcome::Denied | Outcome::LicenseRequired | Outcome::Collateral
        )
    }

    /// Position in [`Outcome::ALL`] (the declaration order).
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
    /// The pair's outcome under the baseline, if the scenario has one.
    pub before: Option<Outcome>,
}

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
    /// The outcome under the baseline, if the scenario has one.
    pub before: Option<Outcome>,
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
            before: self.before,
        }
    }
}

/// Decides one pair.
#[inline]
pub fn decide(
    compiled: &CompiledScenario,
    in_force: &InForce,
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

/// Which directives are in force: the scenario's on its day, the baseline's on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InForce {
    /// The scenario's directives.
    pub now: Vec<bool>,
    /// The baseline's directives.
    pub before: Vec<bool>,
}

/// Decides one person's access to one product, exactly as DESIGN §4 says, counted
/// against the baseline when there is one (§4.7).
pub fn verdict(
    compiled: &CompiledScenario,
    in_force: &InForce,
    subject: &impl Subject,
    product: usize,
) -> Verdict {
    let now = policy_verdict(&compiled.policy, &in_force.now, subject, product);
    match &compiled.baseline {
        None => now,
        Some(baseline) => {
            let before = policy_verdict(baseline, &in_force.before, subject, product).outcome;
            Verdict {
                outcome: now.outcome.against(before),
                before: Some(before),
                ..now
            }
        }
    }
}

/// The baseline's own verdict on a pair (rules 1 to 6 under the baseline), if the
/// scenario has a baseline.
pub fn baseline_verdict(
    compiled: &CompiledScenario,
    in_force: &InForce,
    subject: &impl Subject,
    product: usize,
) -> Option<Verdict> {
    let baseline = compiled.baseline.as_ref()?;
    Some(policy_verdict(baseline, &in_force.before, subject, product))
}

/// Decides a pair under one state's directives and response: DESIGN §4 rules 1 to 6.
fn policy_verdict(
    compiled: &CompiledPolicy,
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
        before: None,
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

/// Which directives are in force when the scenario looks at `as_of`: the baseline's on
/// its own `as_of`, or on the same day when it has none.
pub fn in_force(scenario: &Scenario, as_of: Date) -> InForce {
    InForce {
        now: scenario
            .directives
            .iter()
            .map(|d| d.in_force(as_of))
            .collect(),
        before: scenario
            .baseline
            .as_ref()
            .map(|b| b.in_force(b.as_of.unwrap_or(as_of)))
            .unwrap_or_default(),
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

/// Pair weight per outcome, then people per worst outcome, people who use none of the
/// scenario's products, and people who had access to none of theirs before (the last
/// slot), for one profile.
type ProfileRow = [f64; 2 * Outcome::COUNT + 2];

/// The slot of people who had access to none of their products before.
const WITHOUT_BEFORE: usize = 2 * Outcome::COUNT + 1;

/// The outcomes of pairs that were not served before, as bits by index.
const NOT_SERVED_BEFORE: u32 = 1 << Outcome::Gains as u32 | 1 << Outcome::Unavailable as u32;

/// Where a profile row's people slots start.
const PEOPLE: usize = Outcome::COUNT;

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
            profile_weights: vec![[0.0; 2 * Outcome::COUNT + 2]; profiles.keys.len()],
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
                let mut had_before = false;
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
                    had_before |= (NOT_SERVED_BEFORE >> outcome) & 1 == 0;
                    self.pairs += 1;
                    each(&verdict.for_pair(record, product));
                }
                let row = self.profile_weights.get_mut(profile);
                if let Some(row) = row {
                    if let Some(sum) = row.get_mut(PEOPLE + worst) {
                        *sum += weight;
                    }
                    if !had_before
                        && worst < Outcome::COUNT
                        && let Some(sum) = row.get_mut(WITHOUT_BEFORE)
                    {
                        *sum += weight;
                    }
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
            let without_before = row.get(WITHOUT_BEFORE).copied().unwrap_or(0.0);
            if without_before != 0.0 {
                add_without_before(&mut totals.people, segment, without_before);
                add_without_before(&mut totals.people_by_residence, residence, without_before);
                add_without_before(
                    &mut totals.people_by_nationality,
                    nationality,
                    without_before,
                );
            }
            for (slot, &weight) in people_row.iter().enumerate().take(Outcome::COUNT + 1) {
                if weight == 0.0 {
                    continue;
                }
                let worst = Outcome::ALL.get(slot).copied();
                add_person(&mut totals.people, segment, weight, worst);
                add_person(&mut totals.people_by_residence, residence, weight, worst);
                add_person(
                    &mut totals.people_by_nationality,
                    nationality,
                    weight,
                    worst,
                );
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
        let mut worst: Option<Outcome> = None;
        let mut had_before = false;
        for product in products_used(compiled, mask) {
            let decision = decide(compiled, &in_force, population, record, product);
            let outcome = decision.outcome;
            worst = Some(worst.map_or(outcome, |w| w.min(outcome)));
            had_before |= decision.before.is_none_or(Outcome::served);
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
        if worst.is_some() && !had_before {
            add_without_before(&mut totals.people, segment as usize, weight);
            add_without_before(
                &mut totals.people_by_residence,
                usize::from(residence),
                weight,
            );
            add_without_before(
                &mut totals.people_by_nationality,
                usize::from(nationality),
                weight,
            );
        }
        add_person(&mut totals.people, segment as usize, weight, worst);
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
            worst,
        );
        add_person(
            &mut totals.people_by_nationality,
            usize::from(nationality),
            weight,
            worst,
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
        .policy
        .directives
        .iter()
        .map(|d| (&d.rules, d.covers))
        .chain(std::iter::once((
            &compiled.policy.response_rules,
            compiled.policy.response_covers,
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
