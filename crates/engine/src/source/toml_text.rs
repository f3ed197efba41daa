//! TOML strings both ways: positions inside a string's value map back to the file, so
//! that an error in a condition points at the right line and column even through escapes
//! and multi-line strings; and text written into a document takes one quoting style, so
//! that what the app writes reads like what a person writes.

/// Where each byte of a decoded TOML string stands in the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextMap {
    /// `offsets[i]` is the file offset of decoded byte `i`; one extra entry marks the end.
    offsets: Vec<usize>,
    /// Used when the map could not be built: everything maps to the literal's start.
    fallback: usize,
    /// For text that is the file itself from `fallback` on, its length, in place of a table
    /// of offsets (which, for a 58 MB population file, would take 460 MB).
    identity_len: Option<usize>,
}

impl TextMap {
    /// Builds the map for the literal `raw` found at file offset `start`, whose decoded
    /// value is `value`.
    pub fn new(raw: &str, start: usize, value: &str) -> TextMap {
        match decode(raw) {
            Some((decoded, offsets)) if decoded == value => TextMap {
                offsets: offsets.into_iter().map(|o| o + start).collect(),
                fallback: start,
                identity_len: None,
            },
            _ => TextMap {
                offsets: Vec::new(),
                fallback: start,
                identity_len: None,
            },
        }
    }

    /// A map for text that is the file itself from `start` on, byte for byte.
    pub fn identity(start: usize, len: usize) -> TextMap {
        TextMap {
            offsets: Vec::new(),
            fallback: start,
            identity_len: Some(len),
        }
    }

    /// The file offset of decoded byte `offset`.
    pub fn file_offset(&self, offset: usize) -> usize {
        if let Some(len) = self.identity_len {
            return self.fallback + offset.min(len);
        }
        self.offsets
            .get(offset)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(self.fallback)
    }

    /// A span in the decoded text as a span in the file.
    pub fn file_span(&self, span: crate::source::Span) -> crate::source::Span {
        let start = self.file_offset(span.start);
        // Where the next decoded byte starts, so an escape is underlined whole.
        let end = if span.end > span.start {
            self.file_offset(span.end)
        } else {
            start
        };
        crate::source::Span::new(start, end.max(start))
    }
}

/// Decodes a TOML string literal, returning the value and the raw offset of each byte.
fn decode(raw: &str) -> Option<(String, Vec<usize>)> {
    let (quote, basic) = delimiters(raw)?;
    let body_end = raw.len().checked_sub(quote)?;
    let mut start = quote;
    if quote == 3 {
        // A newline right after the opening delimiter is trimmed.
        if raw.get(start..)?.starts_with("\r\n") {
            start += 2;
        } else if raw.get(start..)?.starts_with('\n') {
            start += 1;
        }
    }
    let body = raw.get(start..body_end)?;
    let mut value = String::new();
    let mut offsets = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = start + i;
        if !basic || c != '\\' {
            offsets.extend((0..c.len_utf8()).map(|k| at + k));
            value.push(c);
            continue;
        }
        let (_, e) = chars.next()?;
        // Every byte of an escaped character maps to its backslash.
        if let Some(c) = escaped(e, &mut chars, quote == 3)? {
            offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
            value.push(c);
        }
    }
    offsets.push(start + body.len());
    Some((value, offsets))
}

/// The length of a string literal's delimiters, and whether it is a basic string (with
/// escapes) rather than a literal one.
fn delimiters(raw: &str) -> Option<(usize, bool)> {
    if raw.starts_with("\"\"\"") {
        Some((3, true))
    } else if raw.starts_with("'''") {
        Some((3, false))
    } else if raw.starts_with('"') {
        Some((1, true))
    } else if raw.starts_with('\'') {
        Some((1, false))
    } else {
        None
    }
}

/// What the escape `\e` stands for, reading the hex digits that follow it from `chars`:
/// a character, or none for a line-ending backslash of a multi-line string (which trims
/// the whitespace after it). `None` when the escape is not valid.
fn escaped(
    e: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    multi_line: bool,
) -> Option<Option<char>> {
    let simple = match e {
        'b' => Some('\u{8}'),
        't' => Some('\t'),
        'n' => Some('\n'),
        'f' => Some('\u{c}'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if simple.is_some() {
        return Some(simple);
    }
    let digits = match e {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => 0,
    };
    if digits > 0 {
        let mut hex = String::new();
        for _ in 0..digits {
            hex.push(chars.next()?.1);
        }
        return char::from_u32(u32::from_str_radix(&hex, 16).ok()?).map(Some);
    }
    if e.is_whitespace() && multi_line {
        while chars.peek().is_some_and(|&(_, w)| w.is_whitespace()) {
            chars.next();
        }
        return Some(None);
    }
    None
}

/// Text as a TOML string value, written the way Cutoff writes conditions and embedded files:
/// single-quoted where it can be (a condition quotes its own strings with double quotes),
/// a multi-line literal for text of several lines where it can be, otherwise escaped.
pub fn toml_string(text: &str) -> toml_edit::Value {
    use toml_writer::ToTomlValue as _;
    let styles = toml_writer::TomlStringBuilder::new(text);
    let written = if text.contains('\n') {
        styles
            .as_ml_literal()
            .unwrap_or_else(|| styles.as_default())
    } else {
        styles.as_literal().unwrap_or_else(|| styles.as_basic())
    };
    written
        .to_toml_value()
        .parse()
        .unwrap_or_else(|_| toml_edit::Value::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn an_identity_map_shifts_offsets_and_stops_at_the_end() {
        let map = TextMap::identity(10, 5);
        assert_eq!(map.file_offset(0), 10);
        assert_eq!(map.file_offset(5), 15);
        assert_eq!(map.file_offset(99), 15);
        assert_eq!(map.file_span(Span::new(1, 3)), Span::new(11, 13));
        assert_eq!(map.file_span(Span::new(4, 40)), Span::new(14, 15));
    }

    #[test]
    fn maps_literal_and_basic_strings() {
        let map = TextMap::new("'a == \"b\"'", 10, "a == \"b\"");
        assert_eq!(map.file_offset(0), 11);
        assert_eq!(map.file_offset(5), 16);
        let map = TextMap::new(r#""a == \"b\"""#, 0, "a == \"b\"");
        assert_eq!(map.file_offset(5), 6);
        assert_eq!(map.file_span(Span::new(5, 8)), Span::new(6, 11));
        let map = TextMap::new("'''\nx\ny'''", 0, "x\ny");
        assert_eq!(map.file_offset(2), 6);
        let map = TextMap::new("\"\"\"a \\\n   b\"\"\"", 0, "a b");
        assert_eq!(map.file_offset(2), 10);
        let map = TextMap::new("\"é\\u00e9\"", 0, "éé");
        assert_eq!(map.file_offset(2), 3);
    }

    #[test]
    fn writes_conditions_single_quoted_and_files_as_multi_line_literals() {
        let written = |text: &str| toml_string(text).to_string();
        assert_eq!(written("true"), "'true'");
        assert_eq!(written("a == \"b\""), "'a == \"b\"'");
        assert_eq!(written("a == \"it's\""), r#""a == \"it's\"""#);
        assert_eq!(written("id\nx\n"), "'''\nid\nx\n'''");
        for text in [
            "true",
            "a == \"it's\"",
            "id\nx\n",
            "a'''b\n\"\"\"",
            "\u{1}\n",
        ] {
            assert_eq!(toml_string(text).as_str(), Some(text));
        }
    }

    #[test]
    fn falls_back_to_the_literal_start() {
        let map = TextMap::new("nonsense", 7, "x");
        assert_eq!(map.file_offset(3), 7);
    }
}
