//! Edits to scenario text that keep everything else as the user wrote it: the app's forms
//! (the response picker, importing a population) change the document through these, so
//! switching between the text and the forms never loses anything.

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

/// The text with its population replaced by an inline CSV.
pub fn set_inline_population(text: &str, csv: &str) -> String {
    // Drop a top-level `population = ...` line and any `[population]` table.
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
