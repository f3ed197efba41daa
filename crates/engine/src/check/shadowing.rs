//! Static analysis of rules: finds a rule that can never match because an earlier rule of
//! the same directive matches everything it matches.
//!
//! The check is exact over a finite abstraction: each attribute's values are split into
//! the classes that the rules' sets distinguish, and every combination of classes is
//! tried. When there are too many combinations it says nothing rather than guess.

use std::collections::BTreeMap;

use crate::model::Rule;
use crate::model::condition::{CompareOp, Cond, CondKind, SetExpr};
use crate::model::reading::{Reading, definition};

/// Beyond this many combinations the check gives up.
const MAX_COMBINATIONS: usize = 1 << 14;

/// An attribute value set as the condition names it: explicit values, or a group.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Atom {
    Values(Vec<String>),
    Group(String),
}

/// Pairs `(rule, earlier)` of 0-based indices where `earlier` matches everything `rule`
/// matches, with `us_person` and `foreign_person` read as `reading` defines them.
pub fn shadowed_rules(rules: &[Rule], reading: Reading) -> Vec<(usize, usize)> {
    let conds: Vec<Option<Cond>> = rules
        .iter()
        .map(|r| r.when.as_ref().map(|c| expand_readings(c, reading)))
        .collect();
    let mut out = Vec::new();
    for (index, cond) in conds.iter().enumerate() {
        let Some(cond) = cond else { continue };
        // A rule that can never hold is reported as matching no record, not as shadowed.
        let never = Cond {
            kind: CondKind::Bool(false),
            span: cond.span,
        };
        if implies(cond, &never) != Some(false) {
            continue;
        }
        for (earlier_index, earlier_cond) in conds.iter().enumerate().take(index) {
            let Some(earlier_cond) = earlier_cond else {
                continue;
            };
            if implies(cond, earlier_cond) == Some(true) {
                out.push((index, earlier_index));
                break;
            }
        }
    }
    out
}

/// The condition with each boolean attribute replaced by the condition it stands for
/// (DESIGN §3), so that the check sees the statuses, countries and groups they read.
pub fn expand_readings(cond: &Cond, reading: Reading) -> Cond {
    let kind = match &cond.kind {
        CondKind::Or(a, b) => CondKind::Or(
            Box::new(expand_readings(a, reading)),
            Box::new(expand_readings(b, reading)),
        ),
        CondKind::And(a, b) => CondKind::And(
            Box::new(expand_readings(a, reading)),
            Box::new(expand_readings(b, reading)),
        ),
        CondKind::Not(a) => CondKind::Not(Box::new(expand_readings(a, reading))),
        CondKind::Attr(name) => match definition(&name.name, reading) {
            Some(definition) => return expand_readings(&definition, reading),
            None => CondKind::Attr(name.clone()),
        },
        other => other.clone(),
    };
    Cond {
        kind,
        span: cond.span,
    }
}

/// Whether `a` implies `b` for every record, or `None` if the check gave up.
pub fn implies(a: &Cond, b: &Cond) -> Option<bool> {
    let mut atoms: BTreeMap<String, Vec<Atom>> = BTreeMap::new();
    collect(a, &mut atoms);
    collect(b, &mut atoms);
    // Each attribute's domain is cut into classes: a class is which atoms hold.
    let mut classes: Vec<(String, Vec<Vec<bool>>)> = Vec::new();
    let mut combinations = 1usize;
    for (attr, list) in &atoms {
        let signatures = signatures(attr, list)?;
        combinations = combinations.checked_mul(signatures.len())?;
        if combinations > MAX_COMBINATIONS {
            return None;
        }
        classes.push((attr.clone(), signatures));
    }
    let mut choice = vec![0usize; classes.len()];
    loop {
        let lookup = |attr: &str, atom: &Atom| -> bool {
            classes
                .iter()
                .zip(&choice)
                .find(|((name, _), _)| name == attr)
                .and_then(|((name, sigs), &c)| {
                    let position = atoms.get(name)?.iter().position(|x| x == atom)?;
                    sigs.get(c)?.get(position).copied()
                })
                .unwrap_or(false)
        };
        if eval(a, &lookup) && !eval(b, &lookup) {
            return Some(false);
        }
        // Next combination.
        let mut position = 0;
        loop {
            let Some(slot) = choice.get_mut(position) else {
                return Some(true);
            };
            let limit = classes.get(position).map_or(1, |(_, s)| s.len());
            *slot += 1;
            if *slot < limit {
                break;
            }
            *slot = 0;
            position += 1;
        }
    }
}

fn collect(cond: &Cond, atoms: &mut BTreeMap<String, Vec<Atom>>) {
    let mut add = |attr: &str, atom: Atom| {
        let list = atoms.entry(canonical(attr).to_owned()).or_default();
        if !list.contains(&atom) {
            list.push(atom);
        }
    };
    match &cond.kind {
        CondKind::Or(a, b) | CondKind::And(a, b) => {
            collect(a, atoms);
            collect(b, atoms);
        }
        CondKind::Not(a) => collect(a, atoms),
        CondKind::Bool(_) => {}
        CondKind::Attr(name) => add(&name.name, atom_for_bare(&name.name)),
        CondKind::Compare { attr, value, .. } => {
            add(&attr.name, Atom::Values(vec![value.value.clone()]))
        }
        CondKind::In { attr, set, .. } => add(&attr.name, set_atom(set)),
    }
}

/// Every attribute is its own; the boolean ones are expanded before the check.
fn canonical(attr: &str) -> &str {
    attr
}

fn atom_for_bare(name: &str) -> Atom {
    Atom::Values(vec![format!("\u{0}bare:{name}")])
}

fn set_atom(set: &SetExpr) -> Atom {
    match set {
        SetExpr::List { items, .. } => {
            let mut values: Vec<String> = items.iter().map(|t| t.value.clone()).collect();
            crate::source::ordering::sort(&mut values);
            values.dedup();
            Atom::Values(values)
        }
        SetExpr::Group { name, .. } => Atom::Group(name.value.clone()),
    }
}

/// The distinct membership signatures of an attribute's values over its atoms.
fn signatures(attr: &str, atoms: &[Atom]) -> Option<Vec<Vec<bool>>> {
    let countries = attr == "nationality" || attr == "residence";
    let groups_present = atoms.iter().any(|a| matches!(a, Atom::Group(_)));
    if groups_present && !countries {
        return None;
    }
    // The values worth trying: everything named, plus one value outside all of them.
    let mut values: Vec<String> = Vec::new();
    if countries {
        let reference = crate::model::reference::reference();
        values.extend(reference.countries.iter().map(|c| c.alpha2.clone()));
        for atom in atoms {
            if let Atom::Group(name) = atom {
                // A custom group is unknown here; give up rather than guess.
                reference.group(name)?;
            }
        }
    } else if attr == "status" {
        values.extend(
            crate::model::population::Status::names()
                .iter()
                .map(|s| (*s).to_owned()),
        );
    } else {
        for atom in atoms {
            if let Atom::Values(v) = atom {
                values.extend(v.iter().cloned());
            }
        }
        values.push("\u{0}other".into());
    }
    let mut signatures: Vec<Vec<bool>> = Vec::new();
    for value in &values {
        let signature: Vec<bool> = atoms
            .iter()
            .map(|atom| match atom {
                Atom::Values(v) => v
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(value) && (countries || x == value)),
                Atom::Group(name) => crate::model::reference::reference()
                    .group(name)
                    .is_some_and(|g| g.members.iter().any(|m| m == value)),
            })
            .collect();
        if !signatures.contains(&signature) {
            signatures.push(signature);
        }
    }
    Some(signatures)
}

fn eval(cond: &Cond, lookup: &dyn Fn(&str, &Atom) -> bool) -> bool {
    match &cond.kind {
        CondKind::Or(a, b) => eval(a, lookup) || eval(b, lookup),
        CondKind::And(a, b) => eval(a, lookup) && eval(b, lookup),
        CondKind::Not(a) => !eval(a, lookup),
        CondKind::Bool(b) => *b,
        CondKind::Attr(name) => lookup(canonical(&name.name), &atom_for_bare(&name.name)),
        CondKind::Compare { attr, op, value } => {
            let holds = lookup(
                canonical(&attr.name),
                &Atom::Values(vec![value.value.clone()]),
            );
            if *op == CompareOp::Eq { holds } else { !holds }
        }
        CondKind::In { attr, negated, set } => {
            lookup(canonical(&attr.name), &set_atom(set)) != *negated
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::condition::parse;

    fn implied(a: &str, b: &str) -> Option<bool> {
        let (Ok(a), Ok(b)) = (parse(a), parse(b)) else {
            return None;
        };
        let reading = Reading::Part772;
        implies(&expand_readings(&a, reading), &expand_readings(&b, reading))
    }

    #[test]
    fn decides_implication_over_classes() {
        assert_eq!(
            implied(r#"segment == "x" and not us_person"#, "not us_person"),
            Some(true)
        );
        assert_eq!(implied("not us_person", r#"segment == "x""#), Some(false));
        assert_eq!(
            implied(r#"residence == "CN""#, r#"residence in group("D:5")"#),
            Some(true)
        );
        assert_eq!(
            implied(r#"residence == "GB""#, r#"residence in group("D:5")"#),
            Some(false)
        );
        assert_eq!(implied(r#"status == "citizen""#, "us_person"), Some(true));
        // Under 15 CFR 772.1 a foreign national in the United States is a U.S. person, so
        // `not us_person` does not cover every foreign national; `foreign_person` does.
        assert_eq!(
            implied(r#"status == "foreign_national""#, "not us_person"),
            Some(false)
        );
        assert_eq!(
            implied(r#"status == "foreign_national""#, "foreign_person"),
            Some(true)
        );
        assert_eq!(implied(r#"residence == "PR""#, "us_person"), Some(true));
        assert_eq!(
            implied(r#"status == "entity" and nationality == "US""#, "us_person"),
            Some(true)
        );
        assert_eq!(
            implied(r#"nationality in ["RU", "IR"]"#, r#"nationality != "FR""#),
            Some(true)
        );
        assert_eq!(implied("a", "true"), Some(true));
        assert_eq!(implied(r#"residence in group("mine")"#, "true"), None);
    }
}
