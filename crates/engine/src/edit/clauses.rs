//! The rule builder's view of a condition: a list of clauses joined by `and`, each an
//! attribute, an [`Operator`] and values. The app's form edits clauses and writes them
//! back as condition text; a condition with `or` or nesting has no clause form and stays
//! text. Kept here, beside the other text edits, so that it is tested without a browser.

use crate::model::condition::{self, CompareOp, Cond, CondKind, Name, SetExpr, Text};
use crate::model::reading::BOOLEAN_ATTRIBUTES;
use crate::model::reference::reference;
use crate::source::Span;

/// The attributes the form offers, `everyone` (the condition `true`) first.
pub const ATTRIBUTES: [&str; 8] = [
    "everyone",
    "us_person",
    "foreign_person",
    "segment",
    "nationality",
    "residence",
    "status",
    "sector",
];

/// The attribute that stands for the condition `true`.
pub const EVERYONE: &str = "everyone";

/// How a clause compares its attribute with its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// A boolean attribute holds (or, for `everyone`, always).
    Is,
    /// A boolean attribute does not hold.
    IsNot,
    /// `==`: equals the one value.
    Eq,
    /// `!=`: differs from the one value.
    Ne,
    /// `in`: is one of the values.
    In,
    /// `not in`: is none of the values.
    NotIn,
    /// `in group`: is a member of the named group.
    InGroup,
    /// `not in group`: is not a member of the named group.
    NotInGroup,
}

impl Operator {
    /// The operators the form offers for an attribute with values.
    pub const FOR_VALUES: [Operator; 6] = [
        Operator::Eq,
        Operator::Ne,
        Operator::In,
        Operator::NotIn,
        Operator::InGroup,
        Operator::NotInGroup,
    ];

    /// The operators the form offers for a boolean attribute.
    pub const FOR_BOOLEANS: [Operator; 2] = [Operator::Is, Operator::IsNot];

    /// The operator as the form shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Is => "is",
            Operator::IsNot => "is not",
            Operator::Eq => "==",
            Operator::Ne => "!=",
            Operator::In => "in",
            Operator::NotIn => "not in",
            Operator::InGroup => "in group",
            Operator::NotInGroup => "not in group",
        }
    }

    /// The operator the form shows as `text`.
    pub fn parse(text: &str) -> Option<Operator> {
        [Operator::Is, Operator::IsNot]
            .into_iter()
            .chain(Operator::FOR_VALUES)
            .find(|o| o.as_str() == text)
    }

    /// Whether it excludes its values (`!=`, `not in`, `not in group`; `is not` is a
    /// boolean's negation, not an exclusion).
    fn excludes(self) -> bool {
        matches!(self, Operator::Ne | Operator::NotIn | Operator::NotInGroup)
    }
}

/// Whether an attribute is one of the two readings of "U.S. person" (a boolean).
pub fn is_boolean(attribute: &str) -> bool {
    BOOLEAN_ATTRIBUTES.contains(&attribute)
}

/// One clause of a condition in the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// The attribute, or [`EVERYONE`] for `true`.
    pub attribute: String,
    /// How it is compared.
    pub operator: Operator,
    /// The values.
    pub values: Vec<String>,
}

impl Clause {
    fn new(attribute: &str, operator: Operator, values: Vec<String>) -> Clause {
        Clause {
            attribute: attribute.to_owned(),
            operator,
            values,
        }
    }

    /// Whether the clause takes no values: `everyone` or a boolean attribute.
    pub fn is_boolean(&self) -> bool {
        self.attribute == EVERYONE || is_boolean(&self.attribute)
    }

    /// Changes the attribute; the operator and values follow when the kind of attribute
    /// changes between boolean and valued.
    pub fn set_attribute(&mut self, attribute: &str) {
        self.attribute = attribute.to_owned();
        if self.is_boolean() {
            self.operator = Operator::Is;
            self.values.clear();
        } else if matches!(self.operator, Operator::Is | Operator::IsNot) {
            self.operator = Operator::Eq;
            self.values = vec![String::new()];
        }
    }

    /// Sets the values from the form's comma-separated text.
    pub fn set_values(&mut self, text: &str) {
        self.values = text
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
    }

    /// Adds a country or group found by a search: a group replaces the values (keeping
    /// whether the clause excludes), a country joins a list.
    pub fn pick(&mut self, code: &str, group: bool) {
        let excludes = self.operator.excludes();
        if group {
            self.operator = if matches!(self.operator, Operator::NotIn | Operator::NotInGroup) {
                Operator::NotInGroup
            } else {
                Operator::InGroup
            };
            self.values = vec![code.to_owned()];
            return;
        }
        if matches!(
            self.operator,
            Operator::InGroup | Operator::NotInGroup | Operator::Eq | Operator::Ne
        ) {
            self.operator = if excludes {
                Operator::NotIn
            } else {
                Operator::In
            };
            self.values.clear();
        }
        if !self.values.iter().any(|v| v == code) {
            self.values.push(code.to_owned());
        }
    }
}

/// The clauses of a condition that is a chain of `and`, or `None`.
pub fn clauses(cond: &Cond) -> Option<Vec<Clause>> {
    Some(match &cond.kind {
        CondKind::And(a, b) => {
            let mut left = clauses(a)?;
            left.extend(clauses(b)?);
            left
        }
        CondKind::Bool(true) => vec![Clause::new(EVERYONE, Operator::Is, Vec::new())],
        CondKind::Attr(n) if is_boolean(&n.name) => {
            vec![Clause::new(&n.name, Operator::Is, Vec::new())]
        }
        CondKind::Not(inner) => match &inner.kind {
            CondKind::Attr(n) if is_boolean(&n.name) => {
                vec![Clause::new(&n.name, Operator::IsNot, Vec::new())]
            }
            _ => return None,
        },
        CondKind::Compare { attr, op, value } => vec![Clause::new(
            &attr.name,
            if *op == CompareOp::Eq {
                Operator::Eq
            } else {
                Operator::Ne
            },
            vec![value.value.clone()],
        )],
        CondKind::In {
            attr,
            negated,
            set: SetExpr::List { items, .. },
        } => vec![Clause::new(
            &attr.name,
            if *negated {
                Operator::NotIn
            } else {
                Operator::In
            },
            items.iter().map(|t| t.value.clone()).collect(),
        )],
        CondKind::In {
            attr,
            negated,
            set: SetExpr::Group { name, .. },
        } => vec![Clause::new(
            &attr.name,
            if *negated {
                Operator::NotInGroup
            } else {
                Operator::InGroup
            },
            vec![name.value.clone()],
        )],
        _ => return None,
    })
}

/// One clause as a condition.
fn clause_condition(clause: &Clause) -> Cond {
    let span = Span::default();
    let name = |n: &str| Name {
        name: n.to_owned(),
        span,
    };
    let text = |v: &str| Text {
        value: v.to_owned(),
        span,
    };
    let first = clause.values.first().map_or("", String::as_str);
    let attr = clause.attribute.as_str();
    let kind = match clause.operator {
        _ if attr == EVERYONE => CondKind::Bool(true),
        Operator::IsNot if is_boolean(attr) => CondKind::Not(Box::new(Cond {
            kind: CondKind::Attr(name(attr)),
            span,
        })),
        _ if is_boolean(attr) => CondKind::Attr(name(attr)),
        op @ (Operator::Eq | Operator::Ne) => CondKind::Compare {
            attr: name(attr),
            op: if op == Operator::Eq {
                CompareOp::Eq
            } else {
                CompareOp::Ne
            },
            value: text(first),
        },
        op @ (Operator::InGroup | Operator::NotInGroup) => CondKind::In {
            attr: name(attr),
            negated: op == Operator::NotInGroup,
            set: SetExpr::Group {
                name: text(first),
                span,
            },
        },
        op => CondKind::In {
            attr: name(attr),
            negated: op == Operator::NotIn,
            set: SetExpr::List {
                items: clause.values.iter().map(|v| text(v)).collect(),
                span,
            },
        },
    };
    Cond { kind, span }
}

/// The condition text for clauses joined by `and` (`true` for none).
pub fn condition_text(clauses: &[Clause]) -> String {
    let span = Span::default();
    let joined = clauses.iter().map(clause_condition).reduce(|a, b| Cond {
        kind: CondKind::And(Box::new(a), Box::new(b)),
        span,
    });
    joined.map_or_else(|| "true".to_owned(), |c| condition::print(&c))
}

/// The clauses with a new one added: residence in group `D:5`. `everyone` goes, since the
/// condition is no longer `true`.
pub fn with_clause_added(clauses: &[Clause]) -> Vec<Clause> {
    let mut next: Vec<Clause> = clauses
        .iter()
        .filter(|c| c.attribute != EVERYONE)
        .cloned()
        .collect();
    next.push(Clause::new(
        "residence",
        Operator::InGroup,
        vec!["D:5".to_owned()],
    ));
    next
}

/// The clauses without the one at `index`.
pub fn without_clause(clauses: &[Clause], index: usize) -> Vec<Clause> {
    let mut next = clauses.to_vec();
    if index < next.len() {
        next.remove(index);
    }
    next
}

/// The clause a country or group found by a search goes into: the last one on
/// nationality or residence.
pub fn place_clause(clauses: &[Clause]) -> Option<usize> {
    clauses
        .iter()
        .rposition(|c| c.attribute == "nationality" || c.attribute == "residence")
}

/// A country or group that matches a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Its code: an ISO alpha-2 code or a group id.
    pub code: String,
    /// Its name (a group's with its size).
    pub label: String,
    /// A group's members and source; empty for a country.
    pub members: String,
    /// Whether it is a group.
    pub group: bool,
}

/// Countries and groups matching a search, groups first, at most ten.
pub fn find_places(search: &str) -> Vec<Place> {
    let needle = search.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let reference = reference();
    let groups = reference
        .groups
        .iter()
        .filter(|g| {
            g.id.to_lowercase().contains(&needle) || g.label.to_lowercase().contains(&needle)
        })
        .map(|g| Place {
            code: g.id.clone(),
            label: format!("{} ({} countries)", g.label, g.members.len()),
            members: format!(
                "{} — source: {}, {}",
                g.members.join(", "),
                g.source,
                g.date
            ),
            group: true,
        });
    let countries = reference
        .countries
        .iter()
        .filter(|c| c.alpha2.to_lowercase() == needle || c.name.to_lowercase().contains(&needle))
        .map(|c| Place {
            code: c.alpha2.clone(),
            label: c.name.clone(),
            members: String::new(),
            group: false,
        });
    groups.chain(countries).take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Vec<Clause> {
        let cond = condition::parse(text).expect("parses");
        clauses(&cond).expect("has clauses")
    }

    #[test]
    fn conditions_round_trip_through_clauses() {
        for text in [
            r#"segment == "researcher" and residence in group("tier1")"#,
            "not us_person",
            r#"nationality in ["RU", "IR"] and status == "foreign_national""#,
            "true",
            r#"residence not in group("EU") and sector != "security""#,
        ] {
            assert_eq!(condition_text(&form(text)), text);
        }
        let either = condition::parse(r#"a == "x" or b == "y""#).expect("parses");
        assert_eq!(clauses(&either), None);
        assert_eq!(condition_text(&[]), "true");
    }

    #[test]
    fn operators_read_back_as_shown() {
        for op in Operator::FOR_VALUES
            .into_iter()
            .chain(Operator::FOR_BOOLEANS)
        {
            assert_eq!(Operator::parse(op.as_str()), Some(op));
        }
        assert_eq!(Operator::parse("like"), None);
    }

    #[test]
    fn changing_the_attribute_changes_the_kind_of_clause() {
        let mut clause = form("not us_person").remove(0);
        clause.set_attribute("sector");
        assert_eq!((clause.operator, clause.values.len()), (Operator::Eq, 1));
        clause.set_values(" security, , research ");
        assert_eq!(clause.values, ["security", "research"]);
        clause.set_attribute("foreign_person");
        assert_eq!(condition_text(&[clause]), "foreign_person");
    }

    #[test]
    fn picking_a_place_fits_it_into_the_clause() {
        let mut clause = form(r#"residence != "RU""#).remove(0);
        clause.pick("IR", false);
        assert_eq!(
            condition_text(&[clause.clone()]),
            r#"residence not in ["IR"]"#
        );
        clause.pick("IR", false);
        clause.pick("KP", false);
        assert_eq!(clause.values, ["IR", "KP"]);
        clause.pick("D:5", true);
        assert_eq!(
            condition_text(&[clause]),
            r#"residence not in group("D:5")"#
        );
    }

    #[test]
    fn adding_and_removing_clauses() {
        let added = with_clause_added(&form("true"));
        assert_eq!(condition_text(&added), r#"residence in group("D:5")"#);
        let two = with_clause_added(&form("not us_person"));
        assert_eq!(place_clause(&two), Some(1));
        assert_eq!(condition_text(&without_clause(&two, 1)), "not us_person");
        assert_eq!(without_clause(&two, 9), two);
    }

    #[test]
    fn finds_countries_and_groups_with_members() {
        let results = find_places("d:5");
        assert_eq!(
            results.first().map(|r| (r.code.as_str(), r.group)),
            Some(("D:5", true))
        );
        assert!(results.first().is_some_and(|r| r.members.contains("CN")));
        assert!(find_places("germ").iter().any(|r| r.code == "DE"));
        assert!(find_places("  ").is_empty());
    }
}
