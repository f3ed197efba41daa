//! Prints a condition back to text that parses to the same tree.

use std::fmt::Write;

use super::ast::{CompareOp, Cond, CondKind, SetExpr};

/// The canonical text of a condition, with the fewest parentheses that keep its meaning.
pub fn print(cond: &Cond) -> String {
    let mut out = String::new();
    write_cond(&mut out, cond, 0);
    out
}

/// A string literal with `"` and `\` escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn precedence(cond: &Cond) -> u8 {
    match cond.kind {
        CondKind::Or(..) => 1,
        CondKind::And(..) => 2,
        _ => 3,
    }
}

/// Writes `cond`, in parentheses if it binds less tightly than `min` requires.
fn write_cond(out: &mut String, cond: &Cond, min: u8) {
    let parens = precedence(cond) < min;
    if parens {
        out.push('(');
    }
    match &cond.kind {
        CondKind::Or(a, b) => {
            write_cond(out, a, 1);
            out.push_str(" or ");
            write_cond(out, b, 2);
        }
        CondKind::And(a, b) => {
            write_cond(out, a, 2);
            out.push_str(" and ");
            write_cond(out, b, 3);
        }
        CondKind::Not(a) => {
            out.push_str("not ");
            write_cond(out, a, 3);
        }
        CondKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        CondKind::Attr(name) => out.push_str(&name.name),
        CondKind::Compare { attr, op, value } => {
            let op = match op {
                CompareOp::Eq => "==",
                CompareOp::Ne => "!=",
            };
            let _ = write!(out, "{} {op} {}", attr.name, quote(&value.value));
        }
        CondKind::In { attr, negated, set } => {
            out.push_str(&attr.name);
            out.push_str(if *negated { " not in " } else { " in " });
            match set {
                SetExpr::List { items, .. } => {
                    let items: Vec<String> = items.iter().map(|t| quote(&t.value)).collect();
                    let _ = write!(out, "[{}]", items.join(", "));
                }
                SetExpr::Group { name, .. } => {
                    let _ = write!(out, "group({})", quote(&name.value));
                }
            }
        }
    }
    if parens {
        out.push(')');
    }
}
