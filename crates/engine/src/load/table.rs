//! Reading TOML tables with spans: each value's place in its file, type errors and
//! unknown keys reported where they are, so that the section readers stay short.

use crate::model::date::Date;
use crate::model::{ProductRef, ProductScope};
use crate::source::Span;
use crate::source::diagnostic::{Diagnostic, Problem, Severity, sort_diagnostics};
use crate::source::suggest::nearest;
use crate::source::toml_text::TextMap;
use crate::source::{FileId, Loc, Sources};
use std::cell::RefCell;
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::*;

/// A problem found while loading, located but not yet rendered.
pub(crate) type Issue = (Loc, Box<dyn Problem>);

/// Every issue located in `sources`, sorted.
pub(crate) fn located(sources: &Sources, issues: RefCell<Vec<Issue>>) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = issues
        .into_inner()
        .iter()
        .map(|(loc, p)| sources.diagnostic(*loc, p.as_ref()))
        .collect();
    sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// The file being read and where its problems go.
pub(crate) struct Cx<'a> {
    pub(crate) file: FileId,
    pub(crate) text: &'a str,
    pub(crate) issues: &'a RefCell<Vec<Issue>>,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, span: impl Into<Span>) -> Loc {
        Loc {
            file: self.file,
            span: span.into(),
        }
    }

    pub(crate) fn report(&self, loc: Loc, problem: impl Problem + 'static) {
        self.issues.borrow_mut().push((loc, Box::new(problem)));
    }
}

pub(crate) fn parse_toml<'i>(cx: &Cx<'i>) -> Option<Spanned<DeTable<'i>>> {
    match DeTable::parse(cx.text) {
        Ok(root) => Some(root),
        Err(error) => {
            let span = error.span().map_or(Span::default(), Span::from);
            let message = error.message().trim_end_matches('.').to_owned();
            cx.report(cx.loc(span), LoadError::Toml(lowercase_first(&message)));
            None
        }
    }
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads one TOML table, remembering which keys were used.
pub(crate) struct TableReader<'a, 'i> {
    cx: &'a Cx<'a>,
    table: &'a DeTable<'i>,
    span: Span,
    what: &'static str,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub(crate) fn new(
        cx: &'a Cx<'a>,
        table: &'a DeTable<'i>,
        span: Span,
        what: &'static str,
    ) -> Self {
        TableReader {
            cx,
            table,
            span,
            what,
        }
    }

    pub(crate) fn header(&self) -> Loc {
        self.cx.loc(self.span)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &'static str,
    ) {
        self.cx.report(
            self.cx.loc(value.span()),
            LoadError::WrongType {
                key: key.to_owned(),
                expected,
            },
        );
    }

    pub(crate) fn string(&self, key: &str) -> Option<(String, Loc)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some((s.to_string(), self.cx.loc(value.span()))),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    pub(crate) fn text_map(&self, key: &str) -> Option<TextMap> {
        let value = self.get(key)?;
        let DeValue::String(s) = value.get_ref() else {
            return None;
        };
        let span = value.span();
        let raw = self.cx.text.get(span.clone()).unwrap_or_default();
        Some(TextMap::new(raw, span.start, s))
    }

    pub(crate) fn required_id(
        &self,
        key: &'static str,
        what: &'static str,
    ) -> Option<(String, Loc)> {
        match self.string(key) {
            Some((id, loc)) if id.trim().is_empty() => {
                self.cx
                    .report(loc, LoadError::EmptyId(what.trim_start_matches("a ")));
                None
            }
            Some((id, loc)) => Some((id, loc)),
            None => {
                if self.get(key).is_none() {
                    self.cx
                        .report(self.header(), LoadError::MissingKey { key, what });
                }
                None
            }
        }
    }

    pub(crate) fn boolean(&self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A date written as a TOML date or as a string ("2024-12", "2025"), as text.
    pub(crate) fn date_text(&self, key: &str) -> String {
        match self.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Datetime(dt)) => dt.to_string(),
            Some(DeValue::String(s)) => s.to_string(),
            Some(_) => {
                if let Some(value) = self.get(key) {
                    self.wrong_type(key, value, "a date or a string");
                }
                String::new()
            }
            None => String::new(),
        }
    }

    pub(crate) fn date(&self, key: &str) -> Option<(Date, Loc)> {
        let value = self.get(key)?;
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| Date::new(d.year, d.month, d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.wrong_type(key, value, "a date such as 2026-11-21");
        }
        date.map(|d| (d, self.cx.loc(value.span())))
    }

    pub(crate) fn string_list(&self, key: &str) -> Vec<(String, Loc)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), self.cx.loc(item.span()))),
                _ => self.wrong_type(key, item, "a list of strings"),
            }
        }
        out
    }

    pub(crate) fn product_scope(&self, key: &str, required: bool) -> Option<ProductScope> {
        let Some(value) = self.get(key) else {
            if required {
                self.cx.report(
                    self.header(),
                    LoadError::MissingKey {
                        key: "products",
                        what: self.what,
                    },
                );
            }
            return None;
        };
        let list = self.string_list(key);
        if list.is_empty() {
            if matches!(value.get_ref(), DeValue::Array(_)) {
                self.cx
                    .report(self.cx.loc(value.span()), LoadError::NoProducts);
            }
            return None;
        }
        if list.iter().any(|(id, _)| id == "*") {
            return Some(ProductScope::All);
        }
        Some(ProductScope::Only(
            list.into_iter()
                .map(|(id, loc)| ProductRef { id, loc })
                .collect(),
        ))
    }

    pub(crate) fn table(&self, key: &str) -> Option<(&'a DeTable<'i>, Span)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span().into())),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// The tables of an array of tables (`[[key]]`).
    pub(crate) fn tables(&self, key: &str) -> Vec<(&'a DeTable<'i>, Span)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables");
            return Vec::new();
        };
        array_tables(items)
            .inspect(|r| {
                if let Err(item) = r {
                    self.wrong_type(key, item, "an array of tables");
                }
            })
            .filter_map(Result::ok)
            .collect()
    }

    /// Reports every key not in `allowed`.
    pub(crate) fn finish(&self, allowed: &[&'static str]) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                let suggestion = nearest(name, allowed.iter().copied());
                self.cx.report(
                    self.cx.loc(key.span()),
                    LoadError::UnknownKey {
                        key: name.to_owned(),
                        what: self.what,
                        suggestion,
                    },
                );
            }
        }
    }
}

/// Reports every id after the first of the same name.
pub(crate) fn check_unique<'a>(
    cx: &Cx<'_>,
    kind: &'static str,
    ids: impl Iterator<Item = (&'a str, Loc)>,
    text: &str,
) {
    let mut first: HashMap<&str, Loc> = HashMap::new();
    for (id, loc) in ids {
        match first.get(id) {
            Some(earlier) => {
                let first_line = text
                    .get(..earlier.span.start)
                    .map_or(0, |t| t.matches('\n').count() + 1);
                cx.report(
                    loc,
                    LoadError::DuplicateId {
                        kind,
                        id: id.to_owned(),
                        first_line,
                    },
                );
            }
            None => {
                first.insert(id, loc);
            }
        }
    }
}

impl Problem for Box<dyn Problem> {
    fn help(&self) -> Option<String> {
        self.as_ref().help()
    }
    fn severity(&self) -> Severity {
        self.as_ref().severity()
    }
}
