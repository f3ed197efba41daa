//! Reads `sources` lists (DESIGN §2): each entry a plain string or a table `{ title,
//! publisher, date, url, basis }`, where `basis` says what kind of fact it is.

use toml::de::DeValue;

use super::{Cx, LoadError, TableReader};
use crate::model::{Basis, Source};

/// Reads the `sources` list of a table, reporting every entry that is neither a string nor
/// a source table, and every unknown basis.
pub(crate) fn read_sources(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Vec<Source> {
    let Some(value) = table.get("sources") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        table.wrong_type("sources", value, "a list of sources");
        return Vec::new();
    };
    let mut sources = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(text) => sources.push(Source::text(text.as_ref())),
            DeValue::Table(entry) => {
                let reader = TableReader::new(cx, entry, item.span().into(), "a source");
                sources.push(read_source(cx, &reader));
            }
            _ => table.wrong_type("sources", item, "a list of sources"),
        }
    }
    sources
}

/// Reads one source table.
pub(crate) fn read_source(cx: &Cx<'_>, reader: &TableReader<'_, '_>) -> Source {
    let text = |key: &str| reader.string(key).map(|(s, _)| s).unwrap_or_default();
    if reader.get("title").is_none() {
        cx.report(
            reader.header(),
            LoadError::MissingKey {
                key: "title",
                what: "a source",
            },
        );
    }
    let basis = reader.string("basis").and_then(|(name, loc)| {
        let basis = Basis::parse(&name);
        if basis.is_none() {
            cx.report(loc, LoadError::UnknownBasis(name));
        }
        basis
    });
    let source = Source {
        title: text("title"),
        publisher: text("publisher"),
        date: reader.date_text("date"),
        url: text("url"),
        basis,
    };
    reader.finish(&[
        "id",
        "title",
        "publisher",
        "date",
        "url",
        "basis",
        "license",
        "used_for",
    ]);
    source
}
