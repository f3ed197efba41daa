//! Edits to scenario text that keep everything else as the user wrote it: the app's forms
//! (the response picker, importing a population, the rule builder) and the self-contained
//! export change the document through these, so switching between the text and the forms
//! never loses anything. Every edit goes through `toml_edit`, which keeps comments, key
//! order and formatting for all that it does not change.

pub mod clauses;
pub mod share;
pub mod story;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value, value};

use crate::source::toml_text::toml_string;

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

/// The text parsed, changed by `change` and written back. Text that does not parse comes
/// back unchanged: where its tables begin and end is not known.
fn edited(text: &str, change: impl FnOnce(&mut DocumentMut)) -> String {
    match text.parse::<DocumentMut>() {
        Ok(mut doc) => {
            change(&mut doc);
            doc.to_string()
        }
        Err(_) => text.to_owned(),
    }
}

/// Calls `visit` on `table` and on every table inside it, parents first.
fn each_table(table: &mut Table, visit: &mut dyn FnMut(&mut Table)) {
    visit(table);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => each_table(inner, visit),
            Item::ArrayOfTables(array) => {
                for inner in array.iter_mut() {
                    each_table(inner, visit);
                }
            }
            _ => {}
        }
    }
}

/// Prints `table` and every table inside it where the table at document position
/// `position` stands; among themselves they keep their order in the tree.
fn place(table: &mut Table, position: isize) {
    each_table(table, &mut |t| t.set_position(Some(position)));
}

/// The last document position held by `table` or by a table inside it.
fn last_position(table: &mut Table) -> isize {
    let mut last = 0;
    each_table(table, &mut |t| last = last.max(t.position().unwrap_or(0)));
    last
}

/// Gives every table a position in tree order, so that tables brought in from other
/// files print after the ones around them instead of where they stood in their own file.
fn renumber_tables(table: &mut Table) {
    let mut next = 0;
    each_table(table, &mut |t| {
        t.set_position(Some(next));
        next += 1;
    });
}

/// Appends `table` to the array of tables `key` in `parent`, printed right after the
/// array's last table or, for a new array, after everything in `parent`.
fn push_table(parent: &mut Table, key: &str, mut table: Table) {
    let last = parent
        .get_mut(key)
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|array| array.iter_mut().last())
        .map(last_position);
    place(&mut table, last.unwrap_or_else(|| last_position(parent)));
    let item = parent
        .entry(key)
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    if let Some(array) = item.as_array_of_tables_mut() {
        array.push(table);
    }
}

/// Removes table `index` of the array of tables `key` in `parent`; an array left empty
/// goes too.
fn remove_table(parent: &mut Table, key: &str, index: usize) {
    let Some(array) = parent.get_mut(key).and_then(Item::as_array_of_tables_mut) else {
        return;
    };
    if index < array.len() {
        array.remove(index);
    }
    if array.is_empty() {
        parent.remove(key);
    }
}

/// Swaps table `index` of the array of tables `key` in `parent` with the one before it
/// (`up`) or after it; each, with the tables inside it, prints where the other stood.
fn swap_tables(parent: &mut Table, key: &str, index: usize, up: bool) {
    let Some(array) = parent.get_mut(key).and_then(Item::as_array_of_tables_mut) else {
        return;
    };
    let first = if up {
        index.checked_sub(1)
    } else {
        Some(index)
    };
    let position = |i: usize| array.get(i).and_then(Table::position);
    let Some((first, before, after)) =
        first.and_then(|f| Some((f, position(f)?, position(f + 1)?)))
    else {
        return;
    };
    let mut second = array.remove(first + 1);
    place(&mut second, before);
    array.insert(first, second);
    if let Some(moved) = array.get_mut(first + 1) {
        place(moved, after);
    }
}

/// Sets string `key` of `table` to `new`, keeping the spaces and comment around the old
/// value; a value that does not change keeps the way it was written.
fn set_string(table: &mut Table, key: &str, mut new: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) if old.as_str() == new.as_str() => {}
        Some(old) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        None => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// The text with its `[response]` table (and `[[response.rules]]`) replaced by `table`, or
/// `table` appended when there was none.
pub fn set_response(text: &str, table: &str) -> String {
    let Ok(preset) = table.parse::<DocumentMut>() else {
        return text.to_owned();
    };
    let Some(Item::Table(response)) = preset.into_table().remove("response") else {
        return text.to_owned();
    };
    edited(text, |doc| replace_response(doc, response))
}

/// Puts `response` where the document's `[response]` stood, with the comments above it,
/// or at the document's end.
fn replace_response(doc: &mut DocumentMut, mut response: Table) {
    let end = last_position(doc.as_table_mut()) + 1;
    match doc.remove("response") {
        Some(Item::Table(old)) if !old.is_implicit() => {
            place(&mut response, old.position().unwrap_or(end));
            *response.decor_mut() = old.decor().clone();
        }
        _ => {
            place(&mut response, end);
            response.decor_mut().clear();
        }
    }
    doc.insert("response", Item::Table(response));
}

/// The text with its population replaced by a file of that name, such as a large CSV the
/// reader opened, which the app keeps beside the text instead of inside it.
pub fn set_population_path(text: &str, path: &str) -> String {
    edited(text, |doc| {
        let mut path = toml_string(path);
        match doc.get_mut("population").and_then(Item::as_value_mut) {
            Some(old) => {
                *path.decor_mut() = old.decor().clone();
                *old = path;
            }
            None => {
                doc.remove("population");
                doc.insert("population", Item::Value(path));
            }
        }
    })
}

/// The text with its population replaced by an inline CSV.
pub fn set_inline_population(text: &str, csv: &str) -> String {
    edited(text, |doc| write_population(doc, "csv", csv))
}

/// Replaces the document's population with a `[population]` table at its end, holding
/// `text` under `key` (`csv` or `spec`).
fn write_population(doc: &mut DocumentMut, key: &str, text: &str) {
    doc.remove("population");
    let mut table = Table::new();
    table.insert(key, Item::Value(toml_string(text)));
    place(&mut table, last_position(doc.as_table_mut()) + 1);
    doc.insert("population", Item::Table(table));
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_population_path_replaces_an_inline_population_before_the_first_table() {
        let text = "title = \"t\"\nas_of = 2026-11-21\n\n[[products]]\nid = \"a\"\n\n[population]\ncsv = \'\'\'\nid\n\'\'\'\n";
        let with_path = super::set_population_path(text, "big \"one\".csv");
        assert_eq!(
            with_path,
            "title = \"t\"\nas_of = 2026-11-21\npopulation = 'big \"one\".csv'\n\n[[products]]\nid = \"a\"\n"
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

/// An inline `[[directive]]` as byte ranges: the whole directive (with its rules), and
/// each `[[directive.rules]]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectiveBlock {
    /// From the `[[directive]]` header to the next header outside the directive.
    pub range: (usize, usize),
    /// Each rule's table, from its header to the next header.
    pub rules: Vec<(usize, usize)>,
}

/// The inline directives, in file order; none if the text does not parse.
pub fn inline_directives(text: &str) -> Vec<DirectiveBlock> {
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return Vec::new();
    };
    let mut headers = Vec::new();
    header_starts(doc.as_table(), &mut headers);
    // Where the next header after `start` begins, leaving out those in `inside`.
    let next = |start: usize, inside: &[usize]| {
        headers
            .iter()
            .copied()
            .filter(|h| *h > start && !inside.contains(h))
            .min()
            .unwrap_or(text.len())
    };
    let Some(directives) = doc.get("directive").and_then(Item::as_array_of_tables) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for directive in directives.iter() {
        let Some(start) = directive.span().map(|s| s.start) else {
            continue;
        };
        let mut inside = Vec::new();
        header_starts(directive, &mut inside);
        let rules = directive
            .get("rules")
            .and_then(Item::as_array_of_tables)
            .map(|rules| rules.iter().filter_map(Table::span))
            .into_iter()
            .flatten()
            .map(|span| (span.start, next(span.start, &[])))
            .collect();
        out.push(DirectiveBlock {
            range: (start, next(start, &inside)),
            rules,
        });
    }
    out
}

/// Where the headers of the tables inside `table` start in the parsed text.
fn header_starts(table: &Table, out: &mut Vec<usize>) {
    for (_, item) in table.iter() {
        let inner: Vec<&Table> = match item {
            Item::Table(inner) => vec![inner],
            Item::ArrayOfTables(array) => array.iter().collect(),
            _ => Vec::new(),
        };
        for inner in inner {
            if !inner.is_implicit() && !inner.is_dotted() {
                out.extend(inner.span().map(|s| s.start));
            }
            header_starts(inner, out);
        }
    }
}

/// Whose rules an edit changes: an inline directive's, or the provider's response's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleOwner {
    /// The inline directive with this index.
    Directive(usize),
    /// The `[response]` table.
    Response,
}

/// The table that holds `owner`'s rules, if the document has it.
fn owner_table(doc: &mut DocumentMut, owner: RuleOwner) -> Option<&mut Table> {
    match owner {
        RuleOwner::Directive(index) => doc
            .get_mut("directive")?
            .as_array_of_tables_mut()?
            .get_mut(index),
        RuleOwner::Response => doc.get_mut("response")?.as_table_mut(),
    }
}

/// How many rules `owner` has in the text.
pub fn rule_count(text: &str, owner: RuleOwner) -> usize {
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return 0;
    };
    owner_table(&mut doc, owner)
        .and_then(|t| t.get("rules"))
        .and_then(Item::as_array_of_tables)
        .map_or(0, ArrayOfTables::len)
}

/// A new rule's table.
fn rule_table(effect: &str, when: &str) -> Table {
    let mut rule = Table::new();
    rule.insert("effect", value(effect));
    rule.insert("when", Item::Value(toml_string(when)));
    rule
}

/// Appends a new inline directive after the last one.
pub fn add_directive(text: &str, id: &str, issued: &str) -> String {
    let mut directive = Table::new();
    directive.insert("id", value(id));
    directive.insert("title", value("New directive"));
    let issued = match issued.parse::<toml_edit::Datetime>() {
        Ok(day) => value(day),
        Err(_) => value(issued),
    };
    directive.insert("issued", issued);
    directive.insert("products", value(toml_edit::Array::from_iter(["*"])));
    let mut rules = ArrayOfTables::new();
    rules.push(rule_table("deny", "not us_person"));
    directive.insert("rules", Item::ArrayOfTables(rules));
    edited(text, |doc| {
        push_table(doc.as_table_mut(), "directive", directive);
    })
}

/// Removes inline directive `index` and its rules.
pub fn remove_directive(text: &str, index: usize) -> String {
    edited(text, |doc| {
        remove_table(doc.as_table_mut(), "directive", index);
    })
}

/// Swaps inline directive `index` with the one before it (`up`) or after it.
pub fn move_directive(text: &str, index: usize, up: bool) -> String {
    edited(text, |doc| {
        swap_tables(doc.as_table_mut(), "directive", index, up);
    })
}

/// Appends a rule to `owner`, adding a `[response]` table first if the text has none.
pub fn add_rule(text: &str, owner: RuleOwner, effect: &str, when: &str) -> String {
    edited(text, |doc| {
        if owner == RuleOwner::Response && !doc.contains_key("response") {
            let mut response = Table::new();
            response.insert("title", value("Custom response"));
            response.insert("follows_law", value(true));
            replace_response(doc, response);
        }
        if let Some(table) = owner_table(doc, owner) {
            push_table(table, "rules", rule_table(effect, when));
        }
    })
}

/// Removes rule `rule` of `owner`.
pub fn remove_rule(text: &str, owner: RuleOwner, rule: usize) -> String {
    edited(text, |doc| {
        if let Some(table) = owner_table(doc, owner) {
            remove_table(table, "rules", rule);
        }
    })
}

/// Swaps rule `rule` of `owner` with its neighbour.
pub fn move_rule(text: &str, owner: RuleOwner, rule: usize, up: bool) -> String {
    edited(text, |doc| {
        if let Some(table) = owner_table(doc, owner) {
            swap_tables(table, "rules", rule, up);
        }
    })
}

/// Sets the effect and condition of rule `rule` of `owner`, keeping the
/// rest of its table (such as its note) as written.
pub fn set_rule(text: &str, owner: RuleOwner, rule: usize, effect: &str, when: &str) -> String {
    edited(text, |doc| {
        let table = owner_table(doc, owner)
            .and_then(|t| t.get_mut("rules"))
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|rules| rules.get_mut(rule));
        if let Some(table) = table {
            set_string(table, "effect", Value::from(effect));
            set_string(table, "when", toml_string(when));
        }
    })
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
        assert!(added.ends_with("[response]\nfollows_law = true\n\n[[response.rules]]\neffect = \"deny\"\nwhen = 'sector == \"security\"'\n"));
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
    fn keeps_comments_with_what_they_describe() {
        let text = "title = \"t\" # the title\n\n# First.\n[[directive]]\nid = \"one\"\n\n[[directive.rules]]\neffect = \"deny\" # why\nwhen = 'not us_person'\n\n[response]\nfollows_law = true\n\n# Second.\n[[directive]]\nid = \"two\"\n";
        let moved = move_directive(text, 1, true);
        assert_eq!(
            moved,
            "title = \"t\" # the title\n\n# Second.\n[[directive]]\nid = \"two\"\n\n[response]\nfollows_law = true\n\n# First.\n[[directive]]\nid = \"one\"\n\n[[directive.rules]]\neffect = \"deny\" # why\nwhen = 'not us_person'\n"
        );
        assert_eq!(move_directive(&moved, 0, false), text);
        let edited = set_rule(text, RuleOwner::Directive(0), 0, "license", "true");
        assert!(edited.contains("effect = \"license\" # why\nwhen = 'true'\n"));
        assert_eq!(
            set_rule(text, RuleOwner::Directive(0), 0, "deny", "not us_person"),
            text
        );
        // Text that does not parse is left alone.
        assert_eq!(
            add_rule("[[directive]\n", RuleOwner::Response, "deny", "true"),
            "[[directive]\n"
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
    let mut doc = with_baseline
        .parse::<DocumentMut>()
        .map_err(|_| scenario.diagnostics.clone())?;
    inline_directive_files(doc.as_table_mut(), path, fs);
    if doc.get("population").is_some_and(Item::is_str) {
        let (key, written) = match &scenario.population_spec {
            Some(spec) => ("spec", crate::load::spec::to_toml(spec)),
            None => (
                "csv",
                scenario
                    .sources
                    .file(scenario.population.file)
                    .map(|f| f.text().to_owned())
                    .unwrap_or_default(),
            ),
        };
        write_population(&mut doc, key, &written);
    }
    Ok(doc.to_string().trim_end().to_owned() + "\n")
}

/// The scenario text with its baseline written in: `baseline = "file"` becomes an inline
/// `[baseline]` table holding that file's title, date, groups, response and directives,
/// and the baseline's directive files become `[[baseline.directive]]` tables, so that the
/// document needs no other file. Text without a baseline comes back unchanged.
pub fn inline_baseline(path: &str, text: &str, fs: &dyn crate::load::FileSystem) -> String {
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return text.to_owned();
    };
    let (mut table, base) = match doc.get("baseline") {
        Some(Item::Value(Value::String(relative))) => {
            let file = crate::load::relative_to(path, relative.value());
            let Some(table) = read_document(&file, fs).map(|d| baseline_part(&d)) else {
                return text.to_owned();
            };
            (table, file)
        }
        Some(Item::Table(table)) => (table.clone(), path.to_owned()),
        Some(Item::Value(Value::InlineTable(table))) => {
            (table.clone().into_table(), path.to_owned())
        }
        _ => return text.to_owned(),
    };
    inline_directive_files(&mut table, &base, fs);
    table.set_implicit(false);
    doc.remove("baseline");
    doc.insert("baseline", Item::Table(table));
    renumber_tables(doc.as_table_mut());
    doc.to_string()
}

/// A file parsed as a TOML document, if it can be read and parsed.
fn read_document(path: &str, fs: &dyn crate::load::FileSystem) -> Option<DocumentMut> {
    let bytes = fs.read(path).ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

/// The keys of a baseline file that a baseline uses: its population, products and own
/// baseline are ignored (DESIGN §2).
fn baseline_part(doc: &DocumentMut) -> Table {
    let mut table = Table::new();
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

/// Replaces a table's `directives` paths (relative to `base`) with `[[directive]]` tables,
/// keeping their order: before its inline ones and printed where the first of those
/// stands, or after everything when it has none.
fn inline_directive_files(table: &mut Table, base: &str, fs: &dyn crate::load::FileSystem) {
    let paths: Vec<String> = table
        .get("directives")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    // Inline directives written some other way are left as they are.
    if paths.is_empty() || !matches!(table.get("directive"), None | Some(Item::ArrayOfTables(_))) {
        return;
    }
    table.remove("directives");
    let first_inline = table
        .get("directive")
        .and_then(Item::as_array_of_tables)
        .and_then(|a| a.get(0))
        .and_then(Table::position);
    let position = first_inline.unwrap_or_else(|| last_position(table) + 1);
    let item = table
        .entry("directive")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    let Some(directives) = item.as_array_of_tables_mut() else {
        return;
    };
    let files = paths
        .iter()
        .filter_map(|relative| read_document(&crate::load::relative_to(base, relative), fs));
    for (index, file) in files.enumerate() {
        let mut directive = file.into_table();
        directive.decor_mut().clear();
        place(&mut directive, position);
        directives.insert(index, directive);
    }
}

/// The text with `contract = 1` at its top, unless it already names a contract: a document
/// made before contract 2 keeps reading `us_person` as `not foreign_person`.
pub fn mark_contract_1(text: &str) -> String {
    let has_contract = text
        .parse::<DocumentMut>()
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
            renumber_tables(doc.as_table_mut());
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
    fn directive_files_go_before_the_inline_directives_and_the_population_at_the_end() {
        let mut fs = crate::load::MemoryFileSystem::default();
        fs.insert(
            "d.toml",
            "# The letter.\nid = \"file\"\nproducts = [\"*\"]\n\n[[rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n",
        );
        fs.insert(
            "p.csv",
            "id,segment,nationality,residence,status,sector,products,weight\nr1,customer,CN,CN,foreign_national,commercial,a,1\n",
        );
        let text = "as_of = 2026-11-21\ndirectives = [\"d.toml\"]\npopulation = \"p.csv\"\n\n[[products]]\nid = \"a\"\n\n[[directive]]\nid = \"inline\"\nproducts = [\"*\"]\n\n[response]\nfollows_law = true\n";
        let written = self_contained("s.toml", text, &fs, &Default::default()).expect("resolves");
        assert_eq!(
            written,
            "as_of = 2026-11-21\n\n[[products]]\nid = \"a\"\n\n[[directive]]\n# The letter.\nid = \"file\"\nproducts = [\"*\"]\n\n[[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n\n[[directive]]\nid = \"inline\"\nproducts = [\"*\"]\n\n[response]\nfollows_law = true\n\n[population]\ncsv = \'\'\'\nid,segment,nationality,residence,status,sector,products,weight\nr1,customer,CN,CN,foreign_national,commercial,a,1\n\'\'\'\n"
        );
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
