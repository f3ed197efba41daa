//! The syntax tree of a condition, with the span of every part.

use crate::source::Span;

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    /// What it is.
    pub kind: CondKind,
    /// Where it is, in bytes of the condition text.
    pub span: Span,
}

/// The forms of a condition; `and` and `or` are binary and left-associative.
#[derive(Clone, Debug, PartialEq)]
pub enum CondKind {
    /// `a or b`
    Or(Box<Cond>, Box<Cond>),
    /// `a and b`
    And(Box<Cond>, Box<Cond>),
    /// `not a`
    Not(Box<Cond>),
    /// `true` or `false`
    Bool(bool),
    /// A boolean attribute on its own, such as `us_person`.
    Attr(Name),
    /// `attr == "v"` or `attr != "v"`
    Compare {
        /// The attribute.
        attr: Name,
        /// `==` or `!=`.
        op: CompareOp,
        /// The value compared with.
        value: Text,
    },
    /// `attr in set` or `attr not in set`
    In {
        /// The attribute.
        attr: Name,
        /// True for `not in`.
        negated: bool,
        /// The set.
        set: SetExpr,
    },
}

/// An equality operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The identifier.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal's value with the span of the literal, quotes included.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The value, escapes resolved.
    pub value: String,
    /// Where it is.
    pub span: Span,
}

/// The right-hand side of `in`.
#[derive(Clone, Debug, PartialEq)]
pub enum SetExpr {
    /// `["a", "b"]`
    List {
        /// The items.
        items: Vec<Text>,
        /// The brackets and all between.
        span: Span,
    },
    /// `group("A:5")`
    Group {
        /// The group's name.
        name: Text,
        /// `group(...)` as a whole.
        span: Span,
    },
}

impl SetExpr {
    /// The span of the whole set expression.
    pub fn span(&self) -> Span {
        match self {
            SetExpr::List { span, .. } | SetExpr::Group { span, .. } => *span,
        }
    }
}

impl Cond {
    /// The same condition with every span set to zero, for comparing structure only.
    pub fn without_spans(&self) -> Cond {
        let zero = Span::default();
        let name = |n: &Name| Name {
            name: n.name.clone(),
            span: zero,
        };
        let text = |t: &Text| Text {
            value: t.value.clone(),
            span: zero,
        };
        let kind = match &self.kind {
            CondKind::Or(a, b) => {
                CondKind::Or(Box::new(a.without_spans()), Box::new(b.without_spans()))
            }
            CondKind::And(a, b) => {
                CondKind::And(Box::new(a.without_spans()), Box::new(b.without_spans()))
            }
            CondKind::Not(a) => CondKind::Not(Box::new(a.without_spans())),
            CondKind::Bool(b) => CondKind::Bool(*b),
            CondKind::Attr(n) => CondKind::Attr(name(n)),
            CondKind::Compare { attr, op, value } => CondKind::Compare {
                attr: name(attr),
                op: *op,
                value: text(value),
            },
            CondKind::In { attr, negated, set } => CondKind::In {
                attr: name(attr),
                negated: *negated,
                set: match set {
                    SetExpr::List { items, .. } => SetExpr::List {
                        items: items.iter().map(text).collect(),
                        span: zero,
                    },
                    SetExpr::Group { name, .. } => SetExpr::Group {
                        name: text(name),
                        span: zero,
                    },
                },
            },
        };
        Cond { kind, span: zero }
    }

    /// How deeply the condition nests.
    pub fn depth(&self) -> usize {
        match &self.kind {
            CondKind::Or(a, b) | CondKind::And(a, b) => 1 + a.depth().max(b.depth()),
            CondKind::Not(a) => 1 + a.depth(),
            _ => 1,
        }
    }
}
