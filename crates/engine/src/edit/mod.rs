//! Edits to scenario text that keep everything else as the user wrote it: the app's forms
//! (the response picker, importing a population) change the document through these, so
//! switching between the text and the forms never loses anything.

pub mod clauses;
pub mod share;

/// The provider responses the app offers as one click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponsePreset {
    /// Blocks exactly what the law denies or licenses.
    FollowsLaw,
    /// Takes every covered product offline for everyone.
    OfflineForEveryone,
    /// Blocks every account outside the United States and nothing else.
    Geofence,
}

impl ResponsePreset {
    /// Every preset, in the order the app lists them.
    pub const ALL: [ResponsePreset; 3] = [
        ResponsePreset::FollowsLaw,
        ResponsePreset::OfflineForEveryone,
        ResponsePreset::Geofence,
    ];

    /// A short name for controls.
    pub fn label(self) -> &'static str {
        match self {
            ResponsePreset::FollowsLaw => "Follows the law exactly",
            ResponsePreset::OfflineForEveryone => "Offline for everyone",
            ResponsePreset::Geofence => "Geofence: block accounts outside the U.S.",
        }
    }

    /// The `[response]` table it writes.
    pub fn toml(self) -> &'static str {
        match self {
            ResponsePreset::FollowsLaw => {
                "[response]\ntitle = \"Follows the law exactly\"\nfollows_law = true\n"
            }
            ResponsePreset::OfflineForEveryone => {
                "[response]\ntitle = \"Offline for everyone\"\nfollows_law = true\nproducts = [\"*\"]\n\n[[response.rules]]\neffect = \"deny\"\nwhen = \"true\"\n"
            }
            ResponsePreset::Geofence => {
                "[response]\ntitle = \"Geofence: block accounts outside the U.S.\"\nfollows_law = false\nproducts = [\"*\"]\n\n[[response.rules]]\neffect = \"deny\"\nwhen = 'residence != \"US\"'\n"
            }
        }
    }
}

/// Whether a trimmed line is a table header, and of which table.
fn header_name(line: &str) -> Option<&str> {
    let line = line.trim();
    let inner = line
        .strip_prefix("[[")
        .and_then(|l| l.split("]]").next())
        .or_else(|| line.strip_prefix('[').and_then(|l| l.split(']').next()))?;
    Some(inner.trim())
}

/// The byte range of the lines that belong to table `name` (its header, its sub-tables and
/// their keys), if the text has it.
fn table_range(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut start = None;
    let mut offset = 0;
    let mut in_multiline = false;
    for line in text.split_inclusive('\n') {
        // Multi-line strings may hold lines that look like headers.
        let quotes = line.matches("'''").count() + line.matches("\"\"\"").count();
        let header = if in_multiline {
            None
        } else {
            header_name(line)
        };
        if quotes % 2 == 1 {
            in_multiline = !in_multiline;
        }
        if let Some(header) = header {
            let ours = header == name || header.starts_with(&format!("{name}."));
            match (start, ours) {
                (None, true) => start = Some(offset),
                (Some(s), false) => return Some((s, offset)),
                _ => {}
            }
        }
        offset += line.len();
    }
    start.map(|s| (s, text.len()))
}

/// The text with its `[response]` table (and `[[response.rules]]`) replaced by `table`, or
/// `table` appended when there was none.
pub fn set_response(text: &str, table: &str) -> String {
    match table_range(text, "response") {
        Some((start, end)) => {
            let mut out = String::with_capacity(text.len() + table.len());
            out.push_str(text.get(..start).unwrap_or_default());
            out.push_str(table);
            let rest = text.get(end..).unwrap_or_default();
            if !rest.is_empty() {
                out.push('\n');
            }
            out.push_str(rest);
            out
        }
        None => {
            let mut out = text.trim_end().to_owned();
            out.push_str("\n\n");
            out.push_str(table);
            out
        }
    }
}

/// The text without its population: no top-level `population = ...` line and no
/// `[population]` table.
fn without_population(text: &str) -> String {
    let mut out = String::new();
    let mut top_level = true;
    for line in text.split_inclusive('\n') {
        if header_name(line).is_some() {
            top_level = false;
        }
        if top_level && line.trim_start().starts_with("population") && line.contains('=') {
            continue;
        }
        out.push_str(line);
    }
    if let Some((start, end)) = table_range(&out, "population") {
        out.replace_range(start..end, "");
    }
    out
}

/// The text with its population replaced by a file of that name, such as a large CSV the
/// reader opened, which the app keeps beside the text instead of inside it.
pub fn set_population_path(text: &str, path: &str) -> String {
    let rest = without_population(text);
    let line = format!(
        "population = {}\n",
        crate::source::toml_text::toml_string(path)
    );
    // A top-level key belongs before the first table.
    let mut offset = 0;
    for piece in rest.split_inclusive('\n') {
        if header_name(piece).is_some() {
            let mut out = rest.clone();
            out.insert_str(offset, &line);
            return out;
        }
        offset += piece.len();
    }
    let mut out = rest.trim_end().to_owned();
    out.push('\n');
    out.push_str(&line);
    out
}

/// The text with its population replaced by an inline CSV.
pub fn set_inline_population(text: &str, csv: &str) -> String {
    let out = without_population(text);
    let mut out = out.trim_end().to_owned();
    out.push_str("\n\n[population]\n");
    if csv.contains("'''") {
        out.push_str("csv = \"\"\"\n");
        out.push_str(&csv.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\""));
        out.push_str("\"\"\"\n");
    } else {
        out.push_str("csv = '''\n");
        out.push_str(csv);
        if !csv.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("'''\n");
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_population_path_replaces_an_inline_population_before_the_first_table() {
        let text = "title = \"t\"\nas_of = 2026-11-21\n\n[[products]]\nid = \"a\"\n\n[population]\ncsv = \'\'\'\nid\n\'\'\'\n";
        let with_path = super::set_population_path(text, "big \"one\".csv");
        assert_eq!(
            with_path,
            "title = \"t\"\nas_of = 2026-11-21\n\npopulation = 'big \"one\".csv'\n[[products]]\nid = \"a\"\n\n"
        );
        // Setting it again replaces the line, it does not add a second one.
        assert_eq!(
            super::set_population_path(&with_path, "big \"one\".csv"),
            with_path
        );
    }
    use super::*;

    const SCENARIO: &str = "title = \"t\"\npopulation = \"p.csv\"\n\n[[products]]\nid = \"a\"\n\n[response]\nfollows_law = true\n\n[[response.rules]]\neffect = \"deny\"\nwhen = \"true\"\n\n[[directive]]\nid = \"d\"\n";

    #[test]
    fn replaces_the_response_and_keeps_the_rest() {
        let edited = set_response(SCENARIO, ResponsePreset::Geofence.toml());
        assert!(edited.starts_with("title = \"t\"\npopulation = \"p.csv\"\n\n[[products]]\nid = \"a\"\n\n[response]\ntitle = \"Geofence"));
        assert!(edited.ends_with("[[directive]]\nid = \"d\"\n"));
        assert_eq!(edited.matches("[response]").count(), 1);
        assert!(!edited.contains("when = \"true\""));
        let appended = set_response("title = \"t\"\n", ResponsePreset::FollowsLaw.toml());
        assert_eq!(
            appended,
            format!("title = \"t\"\n\n{}", ResponsePreset::FollowsLaw.toml())
        );
    }

    #[test]
    fn inlines_a_population() {
        let edited = set_inline_population(SCENARIO, "id,segment\nx,y\n");
        assert!(!edited.contains("p.csv"));
        assert!(edited.ends_with("[population]\ncsv = '''\nid,segment\nx,y\n'''\n"));
        let again = set_inline_population(&edited, "id\nz\n");
        assert_eq!(again.matches("[population]").count(), 1);
        assert!(again.ends_with("csv = '''\nid\nz\n'''\n"));
    }
}

/// The lines of one table in the text: its header and everything up to the next header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Section<'t> {
    name: &'t str,
    start: usize,
    end: usize,
}

/// Splits the text at its table headers (ignoring lines inside multi-line strings). The
/// first section, named "", holds the top-level keys.
fn sections(text: &str) -> Vec<Section<'_>> {
    let mut out = vec![Section {
        name: "",
        start: 0,
        end: text.len(),
    }];
    let mut offset = 0;
    let mut in_multiline = false;
    for line in text.split_inclusive('\n') {
        let header = if in_multiline {
            None
        } else {
            header_name(line)
        };
        if (line.matches("'''").count() + line.matches("\"\"\"").count()) % 2 == 1 {
            in_multiline = !in_multiline;
        }
        if let Some(name) = header {
            if let Some(last) = out.last_mut() {
                last.end = offset;
            }
            out.push(Section {
                name,
                start: offset,
                end: text.len(),
            });
        }
        offset += line.len();
    }
    out
}

/// An inline `[[directive]]` as byte ranges: the whole directive (with its rules), and
/// each `[[directive.rules]]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectiveBlock {
    /// From the `[[directive]]` header to the end of its last sub-table.
    pub range: (usize, usize),
    /// Each rule's table.
    pub rules: Vec<(usize, usize)>,
}

/// The inline directives, in file order.
pub fn inline_directives(text: &str) -> Vec<DirectiveBlock> {
    let mut out: Vec<DirectiveBlock> = Vec::new();
    let mut open = false;
    for section in sections(text) {
        if section.name == "directive" {
            out.push(DirectiveBlock {
                range: (section.start, section.end),
                rules: Vec::new(),
            });
            open = true;
        } else if open && section.name.starts_with("directive.") {
            if let Some(block) = out.last_mut() {
                block.range.1 = section.end;
                if section.name == "directive.rules" {
                    block.rules.push((section.start, section.end));
                }
            }
        } else {
            open = false;
        }
    }
    out
}

/// Whose rules an edit changes: an inline directive's, or the provider's response's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleOwner {
    /// The inline directive with this index.
    Directive(usize),
    /// The `[response]` table.
    Response,
}

impl RuleOwner {
    fn table(self) -> &'static str {
        match self {
            RuleOwner::Directive(_) => "directive",
            RuleOwner::Response => "response",
        }
    }
}

/// How many rules `owner` has in the text.
pub fn rule_count(text: &str, owner: RuleOwner) -> usize {
    owner_block(text, owner).map_or(0, |b| b.rules.len())
}

/// The owner's range and its rules' ranges, if the text has it.
fn owner_block(text: &str, owner: RuleOwner) -> Option<DirectiveBlock> {
    match owner {
        RuleOwner::Directive(index) => inline_directives(text).into_iter().nth(index),
        RuleOwner::Response => {
            let range = table_range(text, "response")?;
            let rules = sections(text)
                .into_iter()
                .filter(|s| s.name == "response.rules" && s.start >= range.0 && s.end <= range.1)
                .map(|s| (s.start, s.end))
                .collect();
            Some(DirectiveBlock { range, rules })
        }
    }
}

/// `text` with byte range `range` replaced by `with`.
fn splice(text: &str, range: (usize, usize), with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..range.0).unwrap_or_default());
    out.push_str(with);
    out.push_str(text.get(range.1..).unwrap_or_default());
    out
}

/// A block's text ending in exactly one blank line, so that moved blocks stay apart.
fn tidy(block: &str) -> String {
    format!("{}\n\n", block.trim_end())
}

/// A new rule's table for `owner` (`directive` or `response`).
pub fn rule_table(owner: &str, effect: &str, when: &str) -> String {
    format!(
        "[[{owner}.rules]]\neffect = \"{effect}\"\nwhen = {}\n\n",
        crate::source::toml_text::toml_string(when)
    )
}

/// Appends a new inline directive.
pub fn add_directive(text: &str, id: &str, issued: &str) -> String {
    let mut out = tidy(text);
    out.push_str(&format!(
        "[[directive]]\nid = \"{id}\"\ntitle = \"New directive\"\nissued = {issued}\nproducts = [\"*\"]\n\n{}",
        rule_table("directive", "deny", "not us_person")
    ));
    out.trim_end().to_owned() + "\n"
}

/// Removes inline directive `index` and its rules.
pub fn remove_directive(text: &str, index: usize) -> String {
    match inline_directives(text).get(index) {
        Some(block) => splice(text, block.range, ""),
        None => text.to_owned(),
    }
}

/// Swaps inline directive `index` with the one before it (`up`) or after it.
pub fn move_directive(text: &str, index: usize, up: bool) -> String {
    let blocks = inline_directives(text);
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1)
    };
    let (Some(a), Some(b)) = (
        other.and_then(|o| blocks.get(o.min(index))),
        other.and_then(|o| blocks.get(o.max(index))),
    ) else {
        return text.to_owned();
    };
    swap(text, a.range, b.range)
}

/// Swaps two non-overlapping ranges, `first` before `second`.
fn swap(text: &str, first: (usize, usize), second: (usize, usize)) -> String {
    let part = |r: (usize, usize)| text.get(r.0..r.1).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str(text.get(..first.0).unwrap_or_default());
    out.push_str(&tidy(part(second)));
    out.push_str(text.get(first.1..second.0).unwrap_or_default());
    out.push_str(&tidy(part(first)));
    out.push_str(text.get(second.1..).unwrap_or_default());
    out
}

/// Appends a rule to `owner`, adding a `[response]` table first if the response has none.
pub fn add_rule(text: &str, owner: RuleOwner, effect: &str, when: &str) -> String {
    let text = if owner == RuleOwner::Response && owner_block(text, owner).is_none() {
        set_response(
            text,
            "[response]\ntitle = \"Custom response\"\nfollows_law = true\n",
        )
    } else {
        text.to_owned()
    };
    match owner_block(&text, owner) {
        Some(block) => {
            let body = text.get(block.range.0..block.range.1).unwrap_or_default();
            splice(
                &text,
                block.range,
                &(tidy(body) + &rule_table(owner.table(), effect, when)),
            )
        }
        None => text,
    }
}

/// Removes rule `rule` of `owner`.
pub fn remove_rule(text: &str, owner: RuleOwner, rule: usize) -> String {
    match owner_block(text, owner).and_then(|b| b.rules.get(rule).copied()) {
        Some(range) => splice(text, range, ""),
        None => text.to_owned(),
    }
}

/// Swaps rule `rule` of `owner` with its neighbour.
pub fn move_rule(text: &str, owner: RuleOwner, rule: usize, up: bool) -> String {
    let Some(block) = owner_block(text, owner) else {
        return text.to_owned();
    };
    let other = if up {
        rule.checked_sub(1)
    } else {
        Some(rule + 1)
    };
    let (Some(a), Some(b)) = (
        other.and_then(|o| block.rules.get(o.min(rule))),
        other.and_then(|o| block.rules.get(o.max(rule))),
    ) else {
        return text.to_owned();
    };
    swap(text, *a, *b)
}

/// Sets the effect and condition of rule `rule` of `owner`, keeping the
/// rest of its table (such as its note) as written.
pub fn set_rule(text: &str, owner: RuleOwner, rule: usize, effect: &str, when: &str) -> String {
    let Some(range) = owner_block(text, owner).and_then(|b| b.rules.get(rule).copied()) else {
        return text.to_owned();
    };
    let block = text.get(range.0..range.1).unwrap_or_default();
    let Ok(table) = toml::de::DeTable::parse(block) else {
        return text.to_owned();
    };
    // The rule's keys sit inside the one-element `directive.rules` array.
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let rules = table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == owner.table())
        .and_then(|(_, v)| match v.get_ref() {
            toml::de::DeValue::Table(t) => t
                .iter()
                .find(|(k, _)| k.get_ref() == "rules")
                .map(|(_, v)| v),
            _ => None,
        });
    if let Some(toml::de::DeValue::Array(items)) = rules.map(|v| v.get_ref())
        && let Some(toml::de::DeValue::Table(keys)) = items.first().map(|i| i.get_ref())
    {
        for (key, value) in keys.iter() {
            match key.get_ref().as_ref() {
                // A value that does not change keeps the way it was written.
                "effect" if !matches!(value.get_ref(), toml::de::DeValue::String(s) if s == effect) =>
                {
                    spans.push((value.span(), format!("\"{effect}\"")));
                }
                "when" if !matches!(value.get_ref(), toml::de::DeValue::String(s) if s == when) => {
                    spans.push((value.span(), crate::source::toml_text::toml_string(when)));
                }
                _ => {}
            }
        }
    }
    let mut edited = block.to_owned();
    spans.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (span, replacement) in spans {
        if edited.get(span.clone()).is_some() {
            edited.replace_range(span, &replacement);
        }
    }
    splice(text, range, &edited)
}

#[cfg(test)]
mod block_tests {
    use super::*;

    const TEXT: &str = "as_of = 2026-11-21\n\n[[products]]\nid = \"a\"\n\n[[directive]]\nid = \"one\"\nproducts = [\"*\"]\n\n[[directive.rules]]\neffect = \"deny\"\nwhen = 'not us_person'\nnote = \"keep me\"\n\n[[directive.rules]]\neffect = \"allow\"\nwhen = \"true\"\n\n[[directive]]\nid = \"two\"\nproducts = [\"*\"]\n\n[response]\nfollows_law = true\n";

    #[test]
    fn finds_inline_directives_and_their_rules() {
        let blocks = inline_directives(TEXT);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].rules.len(), 2);
        assert!(
            TEXT[blocks[1].range.0..blocks[1].range.1].starts_with("[[directive]]\nid = \"two\"")
        );
        assert!(!TEXT[blocks[1].range.0..blocks[1].range.1].contains("[response]"));
    }

    #[test]
    fn edits_rules_in_place_and_keeps_notes() {
        let edited = set_rule(
            TEXT,
            RuleOwner::Directive(0),
            0,
            "license",
            r#"residence == "CN" and segment != 'x'"#,
        );
        assert!(edited.contains("[[directive.rules]]\neffect = \"license\"\nwhen = \"residence == \\\"CN\\\" and segment != 'x'\"\nnote = \"keep me\"\n"));
        let moved = move_rule(TEXT, RuleOwner::Directive(0), 1, true);
        let blocks = inline_directives(&moved);
        assert!(moved[blocks[0].rules[0].0..blocks[0].rules[0].1].contains("effect = \"allow\""));
        let removed = remove_rule(TEXT, RuleOwner::Directive(0), 0);
        assert!(!removed.contains("keep me"));
        assert_eq!(inline_directives(&removed)[0].rules.len(), 1);
        let added = add_rule(TEXT, RuleOwner::Directive(1), "deny", "true");
        assert_eq!(inline_directives(&added)[1].rules.len(), 1);
        assert!(added.ends_with("[response]\nfollows_law = true\n"));
    }

    #[test]
    fn edits_the_response_rules() {
        let added = add_rule(TEXT, RuleOwner::Response, "deny", "sector == \"security\"");
        assert!(added.ends_with("[response]\nfollows_law = true\n\n[[response.rules]]\neffect = \"deny\"\nwhen = 'sector == \"security\"'\n\n"));
        let edited = set_rule(&added, RuleOwner::Response, 0, "license", "true");
        assert!(edited.contains("[[response.rules]]\neffect = \"license\"\nwhen = 'true'"));
        let fresh = add_rule("as_of = 2026-11-21\n", RuleOwner::Response, "deny", "true");
        assert!(fresh.contains(
            "[response]\ntitle = \"Custom response\"\nfollows_law = true\n\n[[response.rules]]"
        ));
        assert_eq!(
            remove_rule(&edited, RuleOwner::Response, 0)
                .matches("response.rules")
                .count(),
            0
        );
    }

    #[test]
    fn adds_moves_and_removes_directives() {
        let moved = move_directive(TEXT, 1, true);
        let blocks = inline_directives(&moved);
        assert!(moved[blocks[0].range.0..].starts_with("[[directive]]\nid = \"two\""));
        assert_eq!(blocks[1].rules.len(), 2);
        let removed = remove_directive(TEXT, 0);
        assert_eq!(inline_directives(&removed).len(), 1);
        let added = add_directive("as_of = 2026-11-21\n", "new", "2026-11-21");
        assert_eq!(inline_directives(&added).len(), 1);
        assert!(added.contains("issued = 2026-11-21"));
    }
}

/// A directive file's text as an inline `[[directive]]` table, comments kept.
fn inline_directive(text: &str) -> String {
    let mut out = String::from("[[directive]]\n");
    for section in sections(text) {
        let body = text.get(section.start..section.end).unwrap_or_default();
        if section.name.is_empty() {
            out.push_str(body);
            continue;
        }
        let (header, rest) = body.split_once('\n').unwrap_or((body, ""));
        let renamed = header
            .replacen(
                &format!("[[{}", section.name),
                &format!("[[directive.{}", section.name),
                1,
            )
            .replacen(
                &format!("[{}", section.name),
                &format!("[directive.{}", section.name),
                1,
            );
        out.push_str(&renamed);
        out.push('\n');
        out.push_str(rest);
    }
    tidy(&out)
}

/// The byte range of a top-level `key = value` (with its line break), if present.
fn top_level_entry(text: &str, key: &str) -> Option<(usize, usize)> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let (name, value) = root.get_ref().iter().find(|(k, _)| k.get_ref() == key)?;
    if matches!(value.get_ref(), toml::de::DeValue::Table(_)) {
        return None;
    }
    let start = text
        .get(..name.span().start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = value.span().end;
    let end = text
        .get(end..)?
        .find('\n')
        .map_or(text.len(), |i| end + i + 1);
    Some((start, end))
}

/// The scenario as one self-contained document: directive files written in as inline
/// `[[directive]]` tables (before the inline ones, keeping scenario order) and the
/// population written in as `[population] csv` or, for a spec, `[population] spec` with the
/// reader's adjustments and every counts file written out. It opens with no other file.
pub fn self_contained(
    path: &str,
    text: &str,
    fs: &dyn crate::load::FileSystem,
    adjustments: &crate::load::spec::Adjustments,
) -> Result<String, Vec<crate::source::diagnostic::Diagnostic>> {
    let scenario = crate::load::load_scenario_adjusted(path, text, fs, adjustments);
    if scenario.has_errors() {
        return Err(scenario.diagnostics);
    }
    let with_baseline = inline_baseline(path, text, fs);
    let text = with_baseline.as_str();
    let root = toml::de::DeTable::parse(text).map_err(|_| scenario.diagnostics.clone())?;
    let strings = |key: &str| -> Vec<String> {
        match root
            .get_ref()
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v.get_ref())
        {
            Some(toml::de::DeValue::Array(items)) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    toml::de::DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect(),
            Some(toml::de::DeValue::String(s)) => vec![s.to_string()],
            _ => Vec::new(),
        }
    };
    let mut directives = String::new();
    for relative in strings("directives") {
        let bytes = fs
            .read(&crate::load::relative_to(path, &relative))
            .unwrap_or_default();
        directives.push_str(&inline_directive(&String::from_utf8_lossy(&bytes)));
    }
    let population = strings("population").into_iter().next();
    // Remove the two entries, the later one first so the earlier range stays valid.
    let mut out = text.to_owned();
    let mut ranges: Vec<(usize, usize)> = ["directives", "population"]
        .iter()
        .filter_map(|k| top_level_entry(text, k))
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    for range in ranges {
        out.replace_range(range.0..range.1, "");
    }
    if !directives.is_empty() {
        match inline_directives(&out).first() {
            Some(first) => out.insert_str(first.range.0, &directives),
            None => {
                out = tidy(&out);
                out.push_str(&directives);
            }
        }
    }
    if population.is_some() {
        let table = match &scenario.population_spec {
            Some(spec) => {
                let spec = crate::load::spec::to_toml(spec);
                if spec.contains("'''") {
                    format!(
                        "[population]\nspec = {}\n",
                        crate::source::toml_text::toml_basic_string(&spec)
                    )
                } else {
                    format!("[population]\nspec = '''\n{spec}'''\n")
                }
            }
            None => {
                let file = scenario
                    .sources
                    .file(scenario.population.file)
                    .map(|f| f.text().to_owned())
                    .unwrap_or_default();
                return Ok(set_inline_population(&out, &file));
            }
        };
        out = tidy(&out);
        out.push_str(&table);
    }
    Ok(out.trim_end().to_owned() + "\n")
}

/// The scenario text with its baseline written in: `baseline = "file"` becomes an inline
/// `[baseline]` table holding that file's title, date, groups, response and directives,
/// and the baseline's directive files become `[[baseline.directive]]` tables, so that the
/// document needs no other file. Text without a baseline comes back unchanged.
pub fn inline_baseline(path: &str, text: &str, fs: &dyn crate::load::FileSystem) -> String {
    use toml_edit::{DocumentMut, Item};
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return text.to_owned();
    };
    let (mut table, base) = match doc.get("baseline") {
        Some(Item::Value(toml_edit::Value::String(relative))) => {
            let file = crate::load::relative_to(path, relative.value());
            let Some(table) = read_document(&file, fs).map(|d| baseline_part(&d)) else {
                return text.to_owned();
            };
            (table, file)
        }
        Some(Item::Table(table)) => (table.clone(), path.to_owned()),
        Some(Item::Value(toml_edit::Value::InlineTable(table))) => {
            (table.clone().into_table(), path.to_owned())
        }
        _ => return text.to_owned(),
    };
    inline_directive_files(&mut table, &base, fs);
    table.set_implicit(false);
    doc.remove("baseline");
    doc.insert("baseline", Item::Table(table));
    renumber_tables(doc.as_table_mut(), &mut 0);
    doc.to_string()
}

/// A file parsed as a TOML document, if it can be read and parsed.
fn read_document(path: &str, fs: &dyn crate::load::FileSystem) -> Option<toml_edit::DocumentMut> {
    let bytes = fs.read(path).ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

/// The keys of a baseline file that a baseline uses: its population, products and own
/// baseline are ignored (DESIGN §2).
fn baseline_part(doc: &toml_edit::DocumentMut) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    for key in [
        "title",
        "as_of",
        "directives",
        "groups",
        "response",
        "directive",
    ] {
        if let Some(item) = doc.get(key) {
            table.insert(key, item.clone());
        }
    }
    table
}

/// Replaces a baseline table's `directives` paths (relative to `base`) with
/// `[[directive]]` tables, before its inline ones, keeping their order.
fn inline_directive_files(
    table: &mut toml_edit::Table,
    base: &str,
    fs: &dyn crate::load::FileSystem,
) {
    use toml_edit::{ArrayOfTables, Item};
    let paths: Vec<String> = table
        .get("directives")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if paths.is_empty() {
        return;
    }
    let mut directives = ArrayOfTables::new();
    for relative in paths {
        let file = crate::load::relative_to(base, &relative);
        if let Some(doc) = read_document(&file, fs) {
            directives.push(doc.as_table().clone());
        }
    }
    if let Some(inline) = table.get("directive").and_then(Item::as_array_of_tables) {
        for directive in inline {
            directives.push(directive.clone());
        }
    }
    table.remove("directives");
    table.remove("directive");
    table.insert("directive", Item::ArrayOfTables(directives));
}

/// Gives every table a position in document order, so that tables brought in from other
/// files print after the ones around them instead of where they stood in their own file.
fn renumber_tables(table: &mut toml_edit::Table, next: &mut isize) {
    use toml_edit::Item;
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => {
                inner.set_position(Some(*next));
                *next += 1;
                renumber_tables(inner, next);
            }
            Item::ArrayOfTables(array) => {
                for inner in array.iter_mut() {
                    inner.set_position(Some(*next));
                    *next += 1;
                    renumber_tables(inner, next);
                }
            }
            _ => {}
        }
    }
}

/// The text with `contract = 1` at its top, unless it already names a contract: a document
/// made before contract 2 keeps reading `us_person` as `not foreign_person`.
pub fn mark_contract_1(text: &str) -> String {
    let has_contract = text
        .parse::<toml_edit::DocumentMut>()
        .is_ok_and(|doc| doc.contains_key("contract"));
    if has_contract {
        return text.to_owned();
    }
    format!(
        "# Made before contract 2: `us_person` reads as it did then (`not foreign_person`).\n\
         contract = 1\n{text}"
    )
}

/// What the scenario is counted against: who had access before (DESIGN §4.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaselineChoice {
    /// No baseline: everyone had access before.
    None,
    /// Another scenario file, by its path relative to this one.
    File(String),
    /// This scenario's own directives, groups and response on an earlier day.
    Earlier(crate::model::date::Date),
}

/// The text with its baseline set to `choice`: the `baseline` key or `[baseline]` table
/// replaced, everything else kept as written.
pub fn set_baseline(text: &str, choice: &BaselineChoice) -> String {
    use toml_edit::{DocumentMut, Item, Table, value};
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return text.to_owned();
    };
    doc.remove("baseline");
    match choice {
        BaselineChoice::None => {}
        BaselineChoice::File(path) => {
            doc.insert("baseline", value(path.as_str()));
        }
        BaselineChoice::Earlier(day) => {
            let mut table = Table::new();
            table.insert(
                "title",
                value(format!("This scenario on {day}, before the change")),
            );
            match day.to_string().parse::<toml_edit::Datetime>() {
                Ok(date) => table.insert("as_of", value(date)),
                Err(_) => table.insert("as_of", value(day.to_string())),
            };
            for key in ["directives", "groups", "response", "directive"] {
                if let Some(item) = doc.get(key) {
                    table.insert(key, item.clone());
                }
            }
            doc.insert("baseline", Item::Table(table));
            renumber_tables(doc.as_table_mut(), &mut 0);
        }
    }
    doc.to_string()
}

#[cfg(test)]
mod baseline_tests {
    use super::*;
    use crate::model::date::Date;

    const TEXT: &str = "title = \"t\"\nas_of = 2026-11-21\ndirectives = [\"letter.toml\"]\n\n[[products]]\nid = \"p\"\n\n[groups]\nallies = [\"GB\"]\n\n[[directive]]\nid = \"d\"\nproducts = [\"*\"]\n\n[[directive.rules]]\neffect = \"deny\"\nwhen = \"foreign_person\"\n\n[response]\nfollows_law = true\n";

    #[test]
    fn sets_replaces_and_removes_the_baseline() {
        let file = set_baseline(TEXT, &BaselineChoice::File("before.scenario.toml".into()));
        assert!(
            file.contains("baseline = \"before.scenario.toml\"\n"),
            "{file}"
        );
        assert!(file.starts_with("title = \"t\"\n"), "{file}");
        let day = Date::parse("2026-11-19").expect("date");
        let earlier = set_baseline(&file, &BaselineChoice::Earlier(day));
        assert!(!earlier.contains("baseline = \""), "{earlier}");
        assert!(earlier.contains("[baseline]\ntitle = \"This scenario on 2026-11-19, before the change\"\nas_of = 2026-11-19\ndirectives = [\"letter.toml\"]\n"), "{earlier}");
        assert!(
            earlier.contains("[baseline.groups]\nallies = [\"GB\"]"),
            "{earlier}"
        );
        assert!(
            earlier.contains(
                "[[baseline.directive.rules]]\neffect = \"deny\"\nwhen = \"foreign_person\""
            ),
            "{earlier}"
        );
        assert!(
            earlier.contains("[baseline.response]\nfollows_law = true"),
            "{earlier}"
        );
        // The scenario's own tables are still there, and still first.
        assert!(
            earlier.find("[[directive]]") < earlier.find("[baseline]"),
            "{earlier}"
        );
        assert_eq!(
            set_baseline(&earlier, &BaselineChoice::None),
            set_baseline(TEXT, &BaselineChoice::None)
        );
        assert!(!set_baseline(&earlier, &BaselineChoice::None).contains("baseline"));
    }

    #[test]
    fn an_inline_baseline_in_one_line_is_written_in_too() {
        let mut fs = crate::load::MemoryFileSystem::default();
        fs.insert("d.toml", "id = \"d\"\nproducts = [\"*\"]\n");
        let text =
            "as_of = 2026-11-21\nbaseline = { as_of = 2026-01-01, directives = [\"d.toml\"] }\n";
        let written = inline_baseline("s.toml", text, &fs);
        assert!(
            written.contains("[[baseline.directive]]\nid = \"d\""),
            "{written}"
        );
        assert!(!written.contains("d.toml"), "{written}");
    }
}
