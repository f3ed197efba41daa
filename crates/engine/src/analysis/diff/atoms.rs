//! The words regions are written in: every atomic condition the two scenarios' rules
//! use (`us_person`, `residence in group("tier1")`, `segment == "researcher"`), then
//! each leaf of their compiled rules written as a condition (for groups only one
//! scenario knows, and the parts of `us_person`), then each product. A region is a
//! disjunction of conjunctions of these, so it reads in the user's own terms.

use crate::compile::{CompiledScenario, Pred, SymField, Vocabulary, country_codes};
use crate::load::Scenario;
use crate::model::Rule;
use crate::model::condition::{CompareOp, Cond, CondKind, print, quote};
use crate::model::population::{Population, Status};
use crate::model::reference::reference;

use super::compile_text;
use crate::source::Loc;

/// The most atoms a region may use (one bit each).
pub(super) const MAX_ATOMS: usize = 128;

/// How readily an atom is kept in a region: the user's own words first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    /// An atomic condition a rule writes.
    Written,
    /// A leaf of a compiled rule, written out.
    Leaf,
    /// `product == "…"`.
    Product,
}

/// One atomic condition, with its text and its negation's.
#[derive(Clone, Debug)]
pub(super) struct Atom {
    /// The text when it holds.
    pub yes: String,
    /// The text when it does not.
    pub no: String,
    /// Compiled with A's vocabulary.
    pub pred: Pred,
    /// How readily it is kept.
    pub rank: Rank,
}

/// Every rule of a scenario: directives, response, then the baseline's.
pub(super) fn rules(scenario: &Scenario) -> impl Iterator<Item = &Rule> {
    let baseline = scenario.baseline.iter().flat_map(|b| {
        b.directives
            .iter()
            .flat_map(|d| &d.rules)
            .chain(&b.response.rules)
    });
    scenario
        .directives
        .iter()
        .flat_map(|d| &d.rules)
        .chain(&scenario.response.rules)
        .chain(baseline)
}

/// Every rule condition of a scenario with its rule, in the order of [`rules`].
fn conditions(scenario: &Scenario) -> Vec<(&Rule, &Cond)> {
    rules(scenario)
        .filter_map(|r| Some((r, r.when.as_ref()?)))
        .collect()
}

/// Where the first atom left out by [`MAX_ATOMS`] is written: in A (`true`) or B, and
/// where; `None` for an atom no rule writes (a leaf of a group, a product).
pub(super) type LeftOut = Option<(bool, Loc)>;

/// The atomic parts of a condition, in writing order.
fn atomic<'c>(cond: &'c Cond, out: &mut Vec<&'c Cond>) {
    match &cond.kind {
        CondKind::Or(x, y) | CondKind::And(x, y) => {
            atomic(x, out);
            atomic(y, out);
        }
        CondKind::Not(x) => atomic(x, out),
        CondKind::Bool(_) => {}
        CondKind::Attr(_) | CondKind::Compare { .. } | CondKind::In { .. } => out.push(cond),
    }
}

/// The atom's attribute, its text when it holds, and when it does not.
fn texts(cond: &Cond) -> Option<(&str, String, String)> {
    let with = |kind: CondKind| {
        print(&Cond {
            kind,
            span: cond.span,
        })
    };
    match &cond.kind {
        CondKind::Attr(name) => Some((&name.name, name.name.clone(), format!("not {}", name.name))),
        CondKind::Compare { attr, value, .. } => {
            let eq = |op| {
                with(CondKind::Compare {
                    attr: attr.clone(),
                    op,
                    value: value.clone(),
                })
            };
            Some((&attr.name, eq(CompareOp::Eq), eq(CompareOp::Ne)))
        }
        CondKind::In { attr, set, .. } => {
            let is_in = |negated| {
                with(CondKind::In {
                    attr: attr.clone(),
                    negated,
                    set: set.clone(),
                })
            };
            Some((&attr.name, is_in(false), is_in(true)))
        }
        _ => None,
    }
}

/// Adds to `population` every value of a string attribute that a rule of A or B names,
/// and one value no rule names (`other`), so that every class of values has a member.
pub(super) fn add_named_values(a: &Scenario, b: &Scenario, population: &mut Population) {
    let mut atoms = Vec::new();
    for (_, cond) in conditions(a).into_iter().chain(conditions(b)) {
        atomic(cond, &mut atoms);
    }
    let mut attributes: Vec<&str> = Vec::new();
    for atom in atoms {
        let (attr, values): (&str, Vec<&str>) = match &atom.kind {
            CondKind::Compare { attr, value, .. } => (&attr.name, vec![value.value.as_str()]),
            CondKind::In {
                attr,
                set: crate::model::condition::SetExpr::List { items, .. },
                ..
            } => (&attr.name, items.iter().map(|t| t.value.as_str()).collect()),
            _ => continue,
        };
        if matches!(attr, "nationality" | "residence" | "status" | "product") {
            continue;
        }
        for value in values {
            population.add_value(attr, value);
        }
        if !attributes.contains(&attr) {
            attributes.push(attr);
        }
    }
    for attr in attributes {
        let taken = |v: &str| match attr {
            "segment" => population.segments.get(v).is_some(),
            "sector" => population.sectors.get(v).is_some(),
            name => population
                .extra(name)
                .is_some_and(|c| c.interner.get(v).is_some()),
        };
        let fresh = std::iter::once("other".to_owned())
            .chain((2..).map(|n| format!("other-{n}")))
            .find(|v| !taken(v))
            .unwrap_or_default();
        population.add_value(attr, &fresh);
    }
}

/// A leaf of a compiled rule as a condition: a group A knows when the set is one, else
/// the list of its values.
fn leaf_texts(leaf: &Pred, vocabulary: &Vocabulary<'_>) -> Option<(String, String)> {
    let population = vocabulary.population?;
    let list = |attr: &str, values: Vec<String>| match values.as_slice() {
        [one] => (
            format!("{attr} == {}", quote(one)),
            format!("{attr} != {}", quote(one)),
        ),
        _ => {
            let items: Vec<String> = values.iter().map(|v| quote(v)).collect();
            let items = items.join(", ");
            (
                format!("{attr} in [{items}]"),
                format!("{attr} not in [{items}]"),
            )
        }
    };
    match leaf {
        Pred::Status(mask) => Some(list(
            "status",
            Status::ALL
                .iter()
                .filter(|s| mask >> (**s as u8) & 1 == 1)
                .map(|s| s.as_str().to_owned())
                .collect(),
        )),
        Pred::Country(field, set) => {
            let attr = match field {
                crate::compile::CountryField::Nationality => "nationality",
                crate::compile::CountryField::Residence => "residence",
            };
            let group = vocabulary
                .groups
                .iter()
                .map(|(id, s)| (id.as_str(), *s))
                .chain(reference().groups.iter().map(|g| (g.id.as_str(), g.set)))
                .find(|(_, s)| s == set);
            Some(match group {
                Some((id, _)) => {
                    let g = format!("group({})", quote(id));
                    (format!("{attr} in {g}"), format!("{attr} not in {g}"))
                }
                None => list(
                    attr,
                    country_codes(set).into_iter().map(str::to_owned).collect(),
                ),
            })
        }
        Pred::Sym(field, syms) => {
            let (attr, interner) = match field {
                SymField::Segment => ("segment", &population.segments),
                SymField::Sector => ("sector", &population.sectors),
                SymField::Extra(i) => {
                    let column = population.extras().get(*i)?;
                    (column.name.as_str(), &column.interner)
                }
            };
            Some(list(
                attr,
                syms.iter()
                    .map(|s| interner.resolve(*s).to_owned())
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// Every atom of A's and B's rules, compiled with A's vocabulary, without two of the
/// same meaning: written ones, then leaves, then products; and, when there are more than
/// [`MAX_ATOMS`], whether any was left out and where the first is written.
pub(super) fn atoms(
    a: &Scenario,
    b: &Scenario,
    compiled_a: &CompiledScenario,
    compiled_b: &CompiledScenario,
) -> (Vec<Atom>, Option<LeftOut>) {
    let vocabulary = Vocabulary::of(a);
    let mut out: Vec<Atom> = Vec::new();
    let mut left_out: Option<LeftOut> = None;
    let mut push = |yes: String, no: String, rank: Rank, at: LeftOut, out: &mut Vec<Atom>| {
        if let Some(pred) = compile_text(&yes, &vocabulary)
            && !out.iter().any(|atom| atom.pred == pred)
        {
            if out.len() >= MAX_ATOMS {
                left_out.get_or_insert(at);
                return;
            }
            out.push(Atom {
                yes,
                no,
                pred,
                rank,
            });
        }
    };
    let mut written = Vec::new();
    let sides = [(true, conditions(a)), (false, conditions(b))];
    for (in_a, conds) in &sides {
        for (rule, cond) in conds {
            let mut parts = Vec::new();
            atomic(cond, &mut parts);
            written.extend(parts.into_iter().map(|part| (*in_a, *rule, part)));
        }
    }
    for (in_a, rule, cond) in written {
        if let Some((attr, yes, no)) = texts(cond)
            && attr != "product"
        {
            let at = Some((in_a, rule.cond_loc(cond.span)));
            push(yes, no, Rank::Written, at, &mut out);
        }
    }
    let mut leaves = Vec::new();
    for policy in compiled_a.policies().chain(compiled_b.policies()) {
        for rule in policy.rules() {
            rule.pred
                .for_each_leaf(&mut |leaf| leaves.push(leaf.clone()));
        }
    }
    for leaf in &leaves {
        if let Some((yes, no)) = leaf_texts(leaf, &vocabulary) {
            push(yes, no, Rank::Leaf, None, &mut out);
        }
    }
    for product in &a.products {
        let id = quote(&product.id);
        let (yes, no) = (format!("product == {id}"), format!("product != {id}"));
        push(yes, no, Rank::Product, None, &mut out);
    }
    (out, left_out)
}
