//! Syntax highlighting for the scenario editor: TOML structure, and inside condition
//! strings the keywords and attributes of the condition language. Diagnostics are marked
//! at their line and column. Pure functions from text to styled runs, tested natively.

/// A run of text with a style class (empty: plain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The CSS class.
    pub class: &'static str,
    /// The text.
    pub text: String,
    /// Whether a diagnostic covers it, and how serious.
    pub mark: Option<&'static str>,
}

use crate::engine::compile::BUILT_IN_ATTRIBUTES as ATTRIBUTES;
use crate::engine::model::condition::KEYWORDS;

fn push(runs: &mut Vec<Run>, class: &'static str, text: &str) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.class == class && last.mark.is_none() => last.text.push_str(text),
        _ => runs.push(Run {
            class,
            text: text.to_owned(),
            mark: None,
        }),
    }
}

/// Highlights the inside of a condition string.
fn condition(runs: &mut Vec<Run>, text: &str) {
    let mut word = String::new();
    let flush = |runs: &mut Vec<Run>, word: &mut String| {
        let class = if KEYWORDS.contains(&word.as_str()) {
            "keyword"
        } else if ATTRIBUTES.contains(&word.as_str()) {
            "attribute"
        } else {
            "condition"
        };
        push(runs, class, word);
        word.clear();
    };
    let mut in_string = false;
    for c in text.chars() {
        if in_string {
            push(runs, "value", &c.to_string());
            if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        flush(runs, &mut word);
        if c == '"' {
            in_string = true;
            push(runs, "value", "\"");
        } else {
            push(runs, "condition", &c.to_string());
        }
    }
    flush(runs, &mut word);
}

/// Highlights one line of TOML. `when` values are highlighted as conditions.
pub fn line(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let trimmed = text.trim_start();
    let indent = text.len() - trimmed.len();
    push(&mut runs, "", text.get(..indent).unwrap_or_default());
    if trimmed.starts_with('#') {
        push(&mut runs, "comment", trimmed);
        return runs;
    }
    if trimmed.starts_with('[') {
        push(&mut runs, "header", trimmed);
        return runs;
    }
    let Some(eq) = trimmed.find('=') else {
        push(&mut runs, "", trimmed);
        return runs;
    };
    let (key, rest) = trimmed.split_at(eq);
    push(&mut runs, "key", key);
    push(&mut runs, "", "=");
    let value = rest.get(1..).unwrap_or_default();
    let is_when = key.trim() == "when";
    let value_trim = value.trim_start();
    push(
        &mut runs,
        "",
        value
            .get(..value.len() - value_trim.len())
            .unwrap_or_default(),
    );
    let quote = value_trim.chars().next();
    match quote {
        Some(q @ ('\'' | '"')) if is_when => {
            // The quote, the condition, and the closing quote with anything after it.
            let body = value_trim.get(1..).unwrap_or_default();
            let close = body.rfind(q).unwrap_or(body.len());
            push(&mut runs, "string", &q.to_string());
            condition(&mut runs, body.get(..close).unwrap_or_default());
            push(&mut runs, "string", body.get(close..).unwrap_or_default());
        }
        Some('\'' | '"') => push(&mut runs, "string", value_trim),
        Some(c) if c.is_ascii_digit() => push(&mut runs, "number", value_trim),
        _ if value_trim.starts_with("true") || value_trim.starts_with("false") => {
            push(&mut runs, "keyword", value_trim)
        }
        _ => push(&mut runs, "", value_trim),
    }
    runs
}

/// Marks columns `start..end` (1-based, in characters) of a highlighted line.
pub fn mark(runs: Vec<Run>, start: usize, end: usize, severity: &'static str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut column = 1;
    let (start, end) = (start, end.max(start + 1));
    for run in runs {
        let mut current = Run {
            class: run.class,
            text: String::new(),
            mark: run.mark,
        };
        for c in run.text.chars() {
            let marked = (start..end).contains(&column);
            let want = if marked { Some(severity) } else { run.mark };
            if want != current.mark && !current.text.is_empty() {
                out.push(current.clone());
                current.text.clear();
            }
            current.mark = want;
            current.text.push(c);
            column += 1;
        }
        if !current.text.is_empty() {
            out.push(current);
        }
    }
    if column <= start {
        // The mark is past the end of the line: show it as a marked space.
        out.push(Run {
            class: "",
            text: " ".into(),
            mark: Some(severity),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(runs: &[Run]) -> Vec<(&str, &str)> {
        runs.iter().map(|r| (r.class, r.text.as_str())).collect()
    }

    #[test]
    fn highlights_toml_and_conditions() {
        assert_eq!(classes(&line("[[rules]]")), vec![("header", "[[rules]]")]);
        assert_eq!(classes(&line("# note")), vec![("comment", "# note")]);
        assert_eq!(
            classes(&line(r#"when = 'not us_person and residence == "CN"'"#)),
            vec![
                ("key", "when "),
                ("", "= "),
                ("string", "'"),
                ("keyword", "not"),
                ("condition", " "),
                ("attribute", "us_person"),
                ("condition", " "),
                ("keyword", "and"),
                ("condition", " "),
                ("attribute", "residence"),
                ("condition", " == "),
                ("value", "\"CN\""),
                ("string", "'"),
            ]
        );
        assert_eq!(
            classes(&line("as_of = 2026-11-21")),
            vec![("key", "as_of "), ("", "= "), ("number", "2026-11-21")]
        );
    }

    #[test]
    fn marks_a_column_range() {
        let runs = mark(line("id = \"UK\""), 6, 10, "error");
        let marked: String = runs
            .iter()
            .filter(|r| r.mark.is_some())
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(marked, "\"UK\"");
        let past = mark(line("x"), 5, 6, "error");
        assert_eq!(past.last().map(|r| r.mark), Some(Some("error")));
    }
}
