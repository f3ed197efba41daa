//! Directives (DESIGN §2.2): a standalone directive file, or a `[[directive]]` table,
//! with its rules and their conditions.

use crate::model::condition::{self, Cond};
use crate::model::{Directive, Effect, ProductScope, Rule};
use crate::source::Sources;
use crate::source::Span;
use crate::source::diagnostic::Diagnostic;
use std::cell::RefCell;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::*;

pub(crate) const EFFECTS: [&str; 3] = ["deny", "license", "allow"];

/// The keys a directive file has and a scenario does not.
pub(crate) const DIRECTIVE_KEYS: [&str; 7] = [
    "id",
    "rules",
    "default",
    "issued",
    "effective",
    "expires",
    "authority",
];

/// Loads a standalone directive file, for `cutoff check`.
pub fn load_directive(path: &str, text: &str) -> (Sources, Option<Directive>, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let file = sources.add(path, text);
    let issues = RefCell::new(Vec::new());
    let cx = Cx {
        file,
        text,
        issues: &issues,
    };
    let directive = parse_toml(&cx).and_then(|root| {
        if root.get_ref().is_empty() {
            cx.report(cx.loc(Span::default()), LoadError::EmptyFile);
            return None;
        }
        let reader = TableReader::new(&cx, root.get_ref(), Span::default(), "the directive");
        read_directive(&cx, reader)
    });
    let diagnostics = located(&sources, issues);
    (sources, directive, diagnostics)
}

pub(crate) fn array_tables<'a, 'i>(
    items: &'a DeArray<'i>,
) -> impl Iterator<Item = Result<(&'a DeTable<'i>, Span), &'a Spanned<DeValue<'i>>>> {
    items.iter().map(|item| match item.get_ref() {
        DeValue::Table(table) => Ok((table, Span::from(item.span()))),
        _ => Err(item),
    })
}

pub(crate) fn read_effect(
    cx: &Cx<'_>,
    reader: &TableReader<'_, '_>,
    key: &'static str,
) -> Option<Effect> {
    let (text, loc) = reader.string(key)?;
    let effect = Effect::parse(&text);
    if effect.is_none() {
        cx.report(loc, LoadError::BadEffect(text));
    }
    effect
}

pub(crate) fn read_rules(cx: &Cx<'_>, table: &TableReader<'_, '_>, key: &str) -> Vec<Rule> {
    let mut rules = Vec::new();
    for (item, span) in table.tables(key) {
        let reader = TableReader::new(cx, item, span, "a rule");
        let effect = read_effect(cx, &reader, "effect");
        if reader.get("effect").is_none() {
            cx.report(
                reader.header(),
                LoadError::MissingKey {
                    key: "effect",
                    what: "a rule",
                },
            );
        }
        let when = reader.string("when");
        if reader.get("when").is_none() {
            cx.report(
                reader.header(),
                LoadError::MissingKey {
                    key: "when",
                    what: "a rule",
                },
            );
        }
        let note = reader.string("note").map(|(s, _)| s);
        reader.finish(&["effect", "when", "note"]);
        let (Some(effect), Some((when_text, when_loc))) = (effect, when) else {
            continue;
        };
        let when_map = reader.text_map("when").unwrap_or_default();
        let mut rule = Rule {
            effect,
            when: None,
            when_text,
            when_map,
            when_loc,
            loc: cx.loc(span),
            note,
        };
        rule.when = parse_condition(cx, &rule);
        rules.push(rule);
    }
    rules
}

pub(crate) fn parse_condition(cx: &Cx<'_>, rule: &Rule) -> Option<Cond> {
    match condition::parse(&rule.when_text) {
        Ok(cond) => Some(cond),
        Err(errors) => {
            for (error, span) in errors {
                cx.report(rule.cond_loc(span), error);
            }
            None
        }
    }
}

pub(crate) fn read_directive(cx: &Cx<'_>, reader: TableReader<'_, '_>) -> Option<Directive> {
    let id = reader.required_id("id", "a directive");
    let issued = reader.date("issued").map(|(d, _)| d);
    let effective_at = reader.date("effective");
    let effective = effective_at.map(|(d, _)| d).or(issued);
    let expires_at = reader.date("expires");
    if let (Some(start), Some((end, loc))) = (effective, expires_at)
        && end <= start
    {
        cx.report(
            loc,
            LoadError::ExpiresBeforeEffective {
                effective: start,
                expires: end,
            },
        );
    }
    let products = reader.product_scope("products", true);
    let default = if reader.get("default").is_some() {
        read_effect(cx, &reader, "default")
    } else {
        Some(Effect::Allow)
    };
    let rules = read_rules(cx, &reader, "rules");
    let directive = Directive {
        id: id.as_ref().map(|(id, _)| id.clone()).unwrap_or_default(),
        title: reader.string("title").map(|(s, _)| s).unwrap_or_default(),
        authority: reader
            .string("authority")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        description: reader
            .string("description")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        issued,
        effective,
        expires: expires_at.map(|(d, _)| d),
        products: products.clone().unwrap_or(ProductScope::All),
        default: default.unwrap_or(Effect::Allow),
        sources: sources::read_sources(cx, &reader),
        rules,
        loc: id.as_ref().map_or(reader.header(), |(_, loc)| *loc),
    };
    reader.finish(&[
        "id",
        "title",
        "authority",
        "description",
        "issued",
        "effective",
        "expires",
        "products",
        "default",
        "sources",
        "rules",
    ]);
    (id.is_some() && products.is_some() && default.is_some()).then_some(directive)
}
