//! Source files and byte spans, so that every diagnostic can name a file, a line and a
//! column.

use std::sync::{Arc, OnceLock};
pub mod diagnostic;
pub mod ordering;
pub mod suggest;
pub mod toml_text;

/// A half-open byte range into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`, swapped if given backwards.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(end),
            end: end.max(start),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// This span moved right by `offset` bytes.
    pub fn shifted(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The text of one file with an index of where its lines start.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    /// Shared with the file system that held it, so a large file is not copied.
    text: SharedText,
    /// Built when a position is first asked for: most large files never are, and a
    /// million-line file's index is 8 MB.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Keeps `text` under the display name `name`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile::shared(name, Arc::new(text.into()))
    }

    /// Keeps `text`, shared rather than copied, under the display name `name`.
    pub fn shared(name: impl Into<String>, text: SharedText) -> Self {
        SourceFile {
            name: name.into(),
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// Where each line starts.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The display name, usually the path as the user gave it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_starts = self.line_starts();
        let line_index = line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        LineCol {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// The largest char boundary at or before `offset`.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A file's text, shared between the file system that read it and the sources that
/// quote it: a million-row file is 58 MB, and copying it on every edit showed.
pub type SharedText = Arc<String>;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// A place in one of the scenario's files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// Which file.
    pub file: FileId,
    /// Where in it.
    pub span: Span,
}

/// Every file a scenario was read from, so diagnostics can quote them.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_shared(Arc::new(SourceFile::new(name, text)))
    }

    /// Adds a file already indexed (one kept from an earlier load) and returns its id.
    pub fn add_shared(&mut self, file: Arc<SourceFile>) -> FileId {
        self.files.push(file);
        self.files.len() - 1
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file with this id, shared.
    pub fn shared(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.files.get(id).cloned()
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id).map(Arc::as_ref)
    }

    /// Locates a problem.
    pub fn diagnostic(
        &self,
        loc: Loc,
        problem: &dyn crate::source::diagnostic::Problem,
    ) -> crate::source::diagnostic::Diagnostic {
        let fallback = SourceFile::new("<unknown>", "");
        let file = self.files.get(loc.file).map_or(&fallback, |f| f.as_ref());
        crate::source::diagnostic::Diagnostic::new(file, loc.span, problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::new("f", "ab\nçd\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_text(2), "çd");
        assert_eq!(file.line_col(999), LineCol { line: 3, column: 1 });
    }
}
