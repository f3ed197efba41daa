//! Diagnostics: what went wrong (or looks wrong), where, and how to fix it.
//!
//! Every operation has its own error enum; each implements [`Problem`] so that it can
//! become a located [`Diagnostic`] and be rendered with a caret under the offending text.

use std::fmt;

use serde::Serialize;

use crate::source::{SourceFile, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input works but probably does not say what its author meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem that can be reported: its message comes from `Display`.
pub trait Problem: fmt::Display {
    /// A separate hint on how to fix it, if there is one.
    fn help(&self) -> Option<String> {
        None
    }

    /// Errors stop a simulation; warnings do not.
    fn severity(&self) -> Severity {
        Severity::Error
    }
}

/// One located problem.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file's display name.
    pub file: String,
    /// Byte range in the file.
    #[serde(skip)]
    pub span: Span,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based character column of the span's start.
    pub column: usize,
    /// 1-based character column just past the span's end on the same line.
    pub end_column: usize,
    /// Lowercase message, user input in backticks, no final period.
    pub message: String,
    /// A hint on how to fix it.
    pub help: Option<String>,
    /// The text of the line the span starts on.
    pub source_line: String,
}

impl Diagnostic {
    /// Locates `problem` at `span` in `file`.
    pub fn new(file: &SourceFile, span: Span, problem: &dyn Problem) -> Self {
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        let source_line = file.line_text(start.line).to_owned();
        let end_column = if span.end <= span.start {
            start.column + 1
        } else if end.line == start.line && end.column > start.column {
            end.column
        } else {
            // A span that runs past its line is underlined to the end of that line.
            (source_line.chars().count() + 1).max(start.column + 1)
        };
        Diagnostic {
            severity: problem.severity(),
            file: file.name().to_owned(),
            span,
            line: start.line,
            column: start.column,
            end_column,
            message: problem.to_string(),
            help: problem.help(),
            source_line,
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic with its source line, a caret underline and its help, as a compiler
    /// prints it.
    pub fn render(&self) -> String {
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        let indent: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = "^".repeat(self.end_column.saturating_sub(self.column).max(1));
        let mut out = format!(
            "{self}\n{pad} |\n{line} | {text}\n{pad} | {indent}{carets}\n",
            line = self.line,
            text = self.source_line,
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )
    }
}

/// Sorts diagnostics by file, position and severity, dropping exact repeats.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    crate::source::ordering::sort_by(diagnostics, |a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;
    impl fmt::Display for Plain {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("unknown country `UK`")
        }
    }
    impl Problem for Plain {
        fn help(&self) -> Option<String> {
            Some("did you mean `GB`?".into())
        }
    }

    #[test]
    fn renders_a_caret_under_the_span() {
        let file = SourceFile::new("d.toml", "x = 1\nwhen = 'residence == \"UK\"'\n");
        let start = file.text().find("\"UK\"").unwrap_or(0);
        let diagnostic = Diagnostic::new(&file, Span::new(start, start + 4), &Plain);
        assert_eq!(
            diagnostic.render(),
            "d.toml:2:22: error: unknown country `UK`\n  |\n2 | when = 'residence == \"UK\"'\n  |                      ^^^^\n  = help: did you mean `GB`?\n"
        );
    }
}
