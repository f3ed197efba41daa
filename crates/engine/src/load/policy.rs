//! Reads the parts of a scenario that say what the rules are — custom groups, directives
//! (files and inline tables) and the provider's response — and the baseline (DESIGN §4.7),
//! which is made of the same parts. A scenario and its baseline share these readers, so a
//! baseline is checked exactly as a scenario is.

use std::cell::RefCell;
use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use super::{
    Cx, FileSystem, Issue, LoadError, TableReader, decode_utf8, normalize_path, parse_toml,
    read_directive, read_rules, read_utf8, relative_to,
};
use crate::model::date::Date;
use crate::model::reference::reference;
use crate::model::{Baseline, CustomGroup, Directive, ProductScope, Response};
use crate::source::Span;
use crate::source::{Loc, Sources};

/// The rule-making parts of one table, with the directive files it names read but not
/// yet parsed (each is parsed against its own text once it has a file id).
#[derive(Default)]
pub(super) struct PolicyText {
    pub(super) groups: Vec<CustomGroup>,
    /// Each directive file: resolved path and text.
    pub(super) directive_files: Vec<(String, String)>,
    pub(super) inline: Vec<Directive>,
    pub(super) response: Option<Response>,
}

/// Reads `[groups]`, `directives`, `[[directive]]` and `[response]` of a table.
pub(super) fn read_policy(
    cx: &Cx<'_>,
    table: &TableReader<'_, '_>,
    path: &str,
    fs: &dyn FileSystem,
) -> PolicyText {
    PolicyText {
        groups: read_groups(cx, table),
        directive_files: read_directive_refs(cx, table, path, fs),
        inline: table
            .tables("directive")
            .into_iter()
            .filter_map(|(item, span)| {
                read_directive(cx, TableReader::new(cx, item, span, "a directive"))
            })
            .collect(),
        response: read_response(cx, table),
    }
}

fn read_groups(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Vec<CustomGroup> {
    let Some((groups, _)) = table.table("groups") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in groups.iter() {
        let id = key.get_ref().to_string();
        let loc = cx.loc(key.span());
        if reference().group(&id).is_some() {
            cx.report(loc, LoadError::ShadowsBuiltinGroup(id.clone()));
        }
        let members = match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| group_member(cx, &id, item))
                .collect(),
            _ => {
                report_not_codes(cx, &id, cx.loc(value.span()));
                Vec::new()
            }
        };
        out.push(CustomGroup { id, members, loc });
    }
    out
}

fn group_member(
    cx: &Cx<'_>,
    group: &str,
    item: &toml::Spanned<DeValue<'_>>,
) -> Option<(String, Loc)> {
    let loc = cx.loc(item.span());
    let DeValue::String(code) = item.get_ref() else {
        report_not_codes(cx, group, loc);
        return None;
    };
    if reference().country(code).is_none() {
        let suggestion = reference()
            .suggest_country(code)
            .map(|c| (c.alpha2.clone(), c.name.clone()));
        cx.report(
            loc,
            LoadError::UnknownGroupCountry {
                group: group.to_owned(),
                code: code.to_string(),
                suggestion,
            },
        );
    }
    Some((code.to_ascii_uppercase(), loc))
}

fn report_not_codes(cx: &Cx<'_>, group: &str, loc: Loc) {
    cx.report(
        loc,
        LoadError::WrongType {
            key: format!("groups.{group}"),
            expected: "a list of country codes",
        },
    );
}

/// Reads the text of every directive file a table's `directives` names.
fn read_directive_refs(
    cx: &Cx<'_>,
    table: &TableReader<'_, '_>,
    path: &str,
    fs: &dyn FileSystem,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (relative, loc) in table.string_list("directives") {
        let resolved = relative_to(path, &relative);
        match read_utf8(fs, &resolved, &relative) {
            Ok(text) => files.push((resolved, text.to_string())),
            Err(error) => cx.report(loc, error),
        }
    }
    files
}

fn read_response(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Option<Response> {
    let (response, span) = table.table("response")?;
    let reader = TableReader::new(cx, response, span, "the response");
    let response = Response {
        title: reader
            .string("title")
            .map(|(s, _)| s)
            .unwrap_or_else(|| "Custom response".into()),
        description: reader
            .string("description")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        follows_law: reader.boolean("follows_law").unwrap_or(true),
        products: reader
            .product_scope("products", false)
            .unwrap_or(ProductScope::All),
        rules: read_rules(cx, &reader, "rules"),
    };
    reader.finish(&["title", "description", "follows_law", "products", "rules"]);
    Some(response)
}

/// Parses each directive file against its own text, adding it to `sources`; returns the
/// directives and the problems found in them.
pub(super) fn read_directive_files(
    sources: &mut Sources,
    files: Vec<(String, String)>,
) -> (Vec<Directive>, Vec<Issue>) {
    let mut directives = Vec::new();
    let mut issues = Vec::new();
    for (resolved, text) in files {
        let file = sources.add(resolved, text.clone());
        let file_issues = RefCell::new(Vec::new());
        let cx = Cx {
            file,
            text: &text,
            issues: &file_issues,
        };
        if let Some(root) = parse_toml(&cx) {
            let reader = TableReader::new(&cx, root.get_ref(), Span::default(), "the directive");
            directives.extend(read_directive(&cx, reader));
        }
        issues.extend(file_issues.into_inner());
    }
    (directives, issues)
}

/// Reports every directive id used a second time.
pub(super) fn check_directive_ids(cx: &Cx<'_>, sources: &Sources, directives: &[Directive]) {
    let mut first: HashMap<&str, Loc> = HashMap::new();
    for directive in directives {
        match first.get(directive.id.as_str()) {
            Some(earlier) => {
                let first_line = sources
                    .file(earlier.file)
                    .map_or(0, |f| f.line_col(earlier.span.start).line);
                cx.report(
                    directive.loc,
                    LoadError::DuplicateId {
                        kind: "directive",
                        id: directive.id.clone(),
                        first_line,
                    },
                );
            }
            None => {
                first.insert(&directive.id, directive.loc);
            }
        }
    }
}

/// Where a scenario's baseline comes from, as read in the scenario's own pass.
pub(super) enum BaselineText {
    /// `baseline = "path"`: the file's text, read but not yet parsed.
    File {
        path: String,
        text: String,
        loc: Loc,
    },
    /// An inline `[baseline]` table, already read.
    Inline {
        title: String,
        as_of: Option<Date>,
        policy: PolicyText,
        loc: Loc,
    },
}

/// The keys an inline `[baseline]` may have: a scenario's, less its population, products
/// and own baseline.
const BASELINE_KEYS: [&str; 8] = [
    "title",
    "description",
    "as_of",
    "sources",
    "directives",
    "directive",
    "groups",
    "response",
];

/// Reads the `baseline` key of a scenario table, if present.
pub(super) fn read_baseline_key(
    cx: &Cx<'_>,
    table: &TableReader<'_, '_>,
    path: &str,
    fs: &dyn FileSystem,
) -> Option<BaselineText> {
    let value = table.get("baseline")?;
    let loc = cx.loc(value.span());
    match value.get_ref() {
        DeValue::String(relative) => {
            let resolved = relative_to(path, relative);
            if normalize_path(&resolved) == normalize_path(path) {
                cx.report(
                    loc,
                    LoadError::BaselineCycle(vec![path.to_owned(), path.to_owned()]),
                );
                return None;
            }
            let read = fs
                .read(&resolved)
                .map_err(|reason| LoadError::BaselineUnreadable {
                    path: relative.to_string(),
                    reason,
                })
                .and_then(|bytes| decode_utf8(relative, bytes));
            match read {
                Ok(text) => Some(BaselineText::File {
                    path: resolved,
                    text,
                    loc,
                }),
                Err(error) => {
                    cx.report(loc, error);
                    None
                }
            }
        }
        DeValue::Table(inline) => {
            let reader = TableReader::new(cx, inline, value.span().into(), "the baseline");
            let text = BaselineText::Inline {
                title: reader.string("title").map(|(s, _)| s).unwrap_or_default(),
                as_of: reader.date("as_of").map(|(d, _)| d),
                policy: read_policy(cx, &reader, path, fs),
                loc,
            };
            super::sources::read_sources(cx, &reader);
            reader.finish(&BASELINE_KEYS);
            Some(text)
        }
        _ => {
            table.wrong_type("baseline", value, "a path or a `[baseline]` table");
            None
        }
    }
}

/// Turns what the scenario's pass read into a baseline, parsing a baseline file and the
/// directive files it names (each reporting against its own text). `scenario_path` is
/// the scenario's own path, to report a cycle of baseline files.
pub(super) fn build_baseline(
    sources: &mut Sources,
    issues: &mut Vec<Issue>,
    text: BaselineText,
    fs: &dyn FileSystem,
    scenario_path: &str,
) -> Option<Baseline> {
    let (title, as_of, policy, loc, path) = match text {
        BaselineText::Inline {
            title,
            as_of,
            policy,
            loc,
        } => (title, as_of, policy, loc, None),
        BaselineText::File { path, text, loc } => {
            let file = sources.add(path.clone(), text.clone());
            let file_issues = RefCell::new(Vec::new());
            let cx = Cx {
                file,
                text: &text,
                issues: &file_issues,
            };
            let read = parse_toml(&cx)
                .map(|root| read_baseline_file(&cx, root.get_ref(), &path, fs, scenario_path, loc));
            issues.extend(file_issues.into_inner());
            let (title, as_of, policy) = read?;
            (title, as_of, policy, loc, Some(path))
        }
    };
    let (mut directives, file_issues) = read_directive_files(sources, policy.directive_files);
    issues.extend(file_issues);
    directives.extend(policy.inline);
    Some(Baseline {
        title,
        as_of,
        directives,
        groups: policy.groups,
        response: policy.response.unwrap_or_default(),
        loc,
        path,
    })
}

/// Reads a baseline file: a scenario whose population, products and own baseline are
/// ignored.
fn read_baseline_file(
    cx: &Cx<'_>,
    root: &DeTable<'_>,
    path: &str,
    fs: &dyn FileSystem,
    scenario_path: &str,
    from: Loc,
) -> (String, Option<Date>, PolicyText) {
    let table = TableReader::new(cx, root, Span::default(), "the baseline");
    if let Some((relative, _)) = table.string("baseline") {
        let next = relative_to(path, &relative);
        if normalize_path(&next) == normalize_path(scenario_path) {
            cx.issues.borrow_mut().push((
                from,
                Box::new(LoadError::BaselineCycle(vec![
                    scenario_path.to_owned(),
                    path.to_owned(),
                    scenario_path.to_owned(),
                ])),
            ));
        }
    }
    let title = table.string("title").map(|(s, _)| s).unwrap_or_default();
    let as_of = table.date("as_of").map(|(d, _)| d);
    let policy = read_policy(cx, &table, path, fs);
    table.finish(&super::SCENARIO_KEYS);
    (title, as_of, policy)
}
