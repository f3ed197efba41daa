//! Why one person has the outcome they have for one product: every directive's rules with
//! whether each part of each condition held, the response's rules, and the smallest change
//! of one attribute that would change whether they lose access.

use crate::compile::{
    CompiledDirective, CompiledRule, CompiledScenario, RecordRef, Vocabulary, compile_condition,
};
use crate::load::Scenario;
use crate::model::condition::{Cond, CondKind, print};
use crate::model::date::Date;
use crate::model::outcome::{Outcome, has_bit};
use crate::model::population::{Change, Population, Status, Sym};
use crate::model::reference::{CountryId, reference};
use crate::model::{Directive, Effect, Rule};
use crate::simulate::{Decision, InForce, baseline_verdict, decide, in_force};

/// One rule as it applied to the pair.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleTrace {
    /// Its effect.
    pub effect: Effect,
    /// Its condition as written.
    pub when: String,
    /// Whether the condition held.
    pub matched: bool,
    /// Each comparison in the condition, printed, and whether it held.
    pub parts: Vec<(String, bool)>,
    /// Its note.
    pub note: String,
}

/// One directive as it applied to the pair.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveTrace {
    /// Its id.
    pub id: String,
    /// Whether it is in force on the day.
    pub in_force: bool,
    /// Whether it covers the product.
    pub covers: bool,
    /// Its rules in order.
    pub rules: Vec<RuleTrace>,
    /// The 0-based index of the rule that decided, or `None` for the default.
    pub decided_by: Option<usize>,
    /// What it said (after a held license), if it had an opinion.
    pub effect: Option<Effect>,
    /// Whether the person holds a license for it.
    pub license_held: bool,
}

/// A single change that would flip whether the person loses access to the product.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterfactual {
    /// The attribute changed.
    pub attribute: &'static str,
    /// Its new value.
    pub value: String,
    /// The outcome it would give.
    pub outcome: Outcome,
}

/// The full explanation of one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The decision.
    pub decision: Decision,
    /// Every directive, in scenario order.
    pub directives: Vec<DirectiveTrace>,
    /// The response's rules, if the response covers the product.
    pub response: Vec<RuleTrace>,
    /// The smallest change that would flip losing access, if one was found.
    pub counterfactual: Option<Counterfactual>,
    /// What the baseline decided, if the scenario has one.
    pub before: Option<Before>,
}

/// The pair under the baseline: whether it had access before, and which rule said so.
#[derive(Clone, Debug, PartialEq)]
pub struct Before {
    /// The baseline's outcome.
    pub outcome: Outcome,
    /// The baseline directive and rule (1-based, or `default`) behind its legal effect.
    pub directive: Option<(String, String)>,
    /// The baseline response rule (1-based) that blocked, if one did.
    pub response_rule: Option<usize>,
}

/// The comparisons of a condition, left to right.
fn leaves(cond: &Cond, out: &mut Vec<Cond>) {
    match &cond.kind {
        CondKind::Or(a, b) | CondKind::And(a, b) => {
            leaves(a, out);
            leaves(b, out);
        }
        CondKind::Not(a) => leaves(a, out),
        CondKind::Bool(_) => {}
        _ => out.push(cond.clone()),
    }
}

fn trace_rules(
    rules: &[Rule],
    compiled: &[CompiledRule],
    vocabulary: &Vocabulary<'_>,
    population: &Population,
    record: usize,
    product: usize,
) -> Vec<RuleTrace> {
    rules
        .iter()
        .zip(compiled)
        .map(|(rule, compiled)| {
            let mut parts = Vec::new();
            if let Some(cond) = &rule.when {
                let mut atoms = Vec::new();
                leaves(cond, &mut atoms);
                for atom in atoms {
                    let mut issues = Vec::new();
                    let holds = compile_condition(&atom, vocabulary, &mut issues)
                        .is_some_and(|pred| pred.eval(population, record, product));
                    parts.push((print(&atom), holds));
                }
            }
            RuleTrace {
                effect: rule.effect,
                when: rule.when_text.clone(),
                matched: compiled.pred.eval(population, record, product),
                parts,
                note: rule.note.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// The pair being explained, with the names its rules resolve against.
struct Pair<'a> {
    vocabulary: &'a Vocabulary<'a>,
    population: &'a Population,
    record: usize,
    product: usize,
}

/// How one directive treated the pair: whether it was in force and covered the product,
/// each rule's parts, which rule decided and the effect after licenses.
fn trace_directive(
    directive: &Directive,
    compiled: &CompiledDirective,
    forces: &InForce,
    licenses: u64,
    pair: &Pair<'_>,
) -> DirectiveTrace {
    let rules = trace_rules(
        &directive.rules,
        &compiled.rules,
        pair.vocabulary,
        pair.population,
        pair.record,
        pair.product,
    );
    let decided_by = rules.iter().position(|r| r.matched);
    let in_force = forces.now.get(compiled.index).copied().unwrap_or(false);
    let covers = has_bit(compiled.covers, pair.product);
    let license_held = compiled
        .license_bit
        .is_some_and(|bit| has_bit(licenses, bit as usize));
    let effect = (in_force && covers).then(|| {
        let effect = decided_by
            .and_then(|i| rules.get(i))
            .map_or(directive.default, |r| r.effect);
        if effect == Effect::License && license_held {
            Effect::Allow
        } else {
            effect
        }
    });
    DirectiveTrace {
        id: directive.id.clone(),
        in_force,
        covers,
        rules,
        decided_by,
        effect,
        license_held,
    }
}

/// Explains the decision for `record` and scenario product `product` on `as_of`.
pub fn explain(
    scenario: &Scenario,
    compiled: &CompiledScenario,
    as_of: Date,
    record: usize,
    product: usize,
) -> Explanation {
    let population = &scenario.population;
    let vocabulary = Vocabulary::of(scenario);
    let forces = in_force(scenario, as_of);
    let decision = decide(compiled, &forces, population, record, product);
    let licenses = population.licenses().get(record).copied().unwrap_or(0);
    let pair = Pair {
        vocabulary: &vocabulary,
        population,
        record,
        product,
    };
    let directives = scenario
        .directives
        .iter()
        .zip(&compiled.policy.directives)
        .map(|(directive, c)| trace_directive(directive, c, &forces, licenses, &pair))
        .collect();
    let response = if has_bit(compiled.policy.response_covers, product) {
        trace_rules(
            &scenario.response.rules,
            &compiled.policy.response_rules,
            &vocabulary,
            population,
            record,
            product,
        )
    } else {
        Vec::new()
    };
    let counterfactual = counterfactual(
        scenario,
        compiled,
        &forces,
        record,
        product,
        decision.outcome,
    );
    let subject = RecordRef { population, record };
    let before = baseline_verdict(compiled, &forces, &subject, product).map(|v| Before {
        outcome: v.outcome,
        directive: v.trace.and_then(|(d, rule)| {
            let baseline = scenario.baseline.as_ref()?;
            let directive = baseline.directives.get(usize::from(d))?;
            Some((directive.id.clone(), rule.label()))
        }),
        response_rule: v.response_rule.map(|r| usize::from(r) + 1),
    });
    Explanation {
        decision,
        directives,
        response,
        counterfactual,
        before,
    }
}

fn counterfactual(
    scenario: &Scenario,
    compiled: &CompiledScenario,
    forces: &InForce,
    record: usize,
    product: usize,
    current: Outcome,
) -> Option<Counterfactual> {
    let base = scenario.population.only(record)?;
    changes(&scenario.population, &base)
        .into_iter()
        .find_map(|(attribute, change, value)| {
            let mut candidate = base.clone();
            candidate.set(0, change);
            let outcome = decide(compiled, forces, &candidate, 0, product).outcome;
            (outcome.loses_access() != current.loses_access()).then_some(Counterfactual {
                attribute,
                value,
                outcome,
            })
        })
}

/// The one-attribute changes to try, in order, each with its attribute and value as
/// written. Status first: the smallest change in law is often a change of status (a person
/// stays a person and an organisation an organisation). Then countries: the United States
/// first, then the person's other country, then every country the population has, in order
/// of first appearance. Then sectors and segments.
fn changes(population: &Population, base: &Population) -> Vec<(&'static str, Change, String)> {
    let entity = base.status().first().is_some_and(|s| s.is_entity());
    let mut changes: Vec<(&'static str, Change, String)> = Status::ALL
        .into_iter()
        .filter(|s| s.is_entity() == entity)
        .map(|s| ("status", Change::Status(s), s.as_str().to_owned()))
        .collect();
    let mut countries: Vec<CountryId> = reference().country("US").into_iter().collect();
    for column in [
        base.nationality(),
        base.residence(),
        population.residence(),
        population.nationality(),
    ] {
        for &c in column {
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
    }
    for (attribute, change) in [
        ("residence", Change::Residence as fn(CountryId) -> Change),
        ("nationality", Change::Nationality),
    ] {
        for &country in &countries {
            let code = reference().code(country).to_owned();
            changes.push((attribute, change(country), code));
        }
    }
    for (attribute, change, interner) in [
        ("sector", Change::Sector as fn(Sym) -> Change, &base.sectors),
        ("segment", Change::Segment, &base.segments),
    ] {
        for (index, value) in interner.values().iter().enumerate() {
            let sym = Sym::try_from(index).unwrap_or(0);
            changes.push((attribute, change(sym), value.clone()));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{MemoryFileSystem, load_scenario};
    use crate::prepare;

    #[test]
    fn explains_a_denial_part_by_part_with_a_counterfactual() {
        let scenario = r#"
as_of = 2026-11-21
[[products]]
id = "fable-5"
[[directive]]
id = "letter"
products = ["*"]
[[directive.rules]]
effect = "allow"
when = 'segment == "researcher" and residence in group("tier1")'
[[directive.rules]]
effect = "deny"
when = "foreign_person"
[population]
csv = '''
id,segment,nationality,residence,status,products
h1b,employee,CN,US,foreign_national,fable-5
'''
"#;
        let prepared = prepare(load_scenario(
            "s.toml",
            scenario,
            &MemoryFileSystem::default(),
        ));
        let compiled = prepared.compiled.as_ref().expect("compiles");
        let as_of = prepared.scenario.as_of.expect("date");
        let why = explain(&prepared.scenario, compiled, as_of, 0, 0);
        assert_eq!(why.decision.outcome, Outcome::Denied);
        let letter = &why.directives[0];
        assert_eq!(letter.decided_by, Some(1));
        assert_eq!(
            letter.rules[0].parts,
            vec![
                (r#"segment == "researcher""#.to_owned(), false),
                (r#"residence in group("tier1")"#.to_owned(), true)
            ]
        );
        assert_eq!(
            letter.rules[1].parts,
            vec![("foreign_person".to_owned(), true)]
        );
        assert_eq!(
            why.counterfactual,
            Some(Counterfactual {
                attribute: "status",
                value: "citizen".into(),
                outcome: Outcome::Retains
            })
        );

        // Under 15 CFR 772.1 the same person, living in the United States, is a U.S.
        // person: `not us_person` does not bar them.
        let under_772 = scenario.replace("when = \"foreign_person\"", "when = \"not us_person\"");
        let prepared = prepare(load_scenario(
            "s.toml",
            &under_772,
            &MemoryFileSystem::default(),
        ));
        let compiled = prepared.compiled.as_ref().expect("compiles");
        let why = explain(&prepared.scenario, compiled, as_of, 0, 0);
        assert_eq!(why.decision.outcome, Outcome::Retains);
        assert_eq!(
            why.directives[0].rules[1].parts,
            vec![("us_person".to_owned(), true)]
        );
    }
}
