//! Decides every (record, product) pair exactly as DESIGN §4 says: the verdict of each
//! directive in force, the law after licenses, the provider's response and the baseline.

use crate::model::outcome::{Outcome, has_bit};

use crate::compile::classes::ClassMap;
use crate::compile::{CompiledPolicy, CompiledRule, CompiledScenario, RecordRef, Subject};
use crate::load::Scenario;
use crate::model::Effect;
use crate::model::date::Date;
use crate::model::population::Population;

mod table;
pub use table::DecisionTable;

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

/// The first matching rule's effect and index, or the default.
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
pub(crate) fn products_used(
    compiled: &CompiledScenario,
    mask: u64,
) -> impl Iterator<Item = usize> + '_ {
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
                    let mask = population.products().get(record).copied().unwrap_or(0);
                    products_of(mask, covers)
                        .any(|product| rule.pred.eval(population, record, product))
                }),
            })
            .collect();
        out.push(matched);
    }
    out
}
