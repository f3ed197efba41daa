//! The condition language of DESIGN §3: `segment == "researcher" and residence in
//! group("tier1")`. Lexing and parsing give a tree with byte spans; `compile` resolves
//! its names against a scenario.

pub mod ast;
mod lexer;
mod parser;
mod printer;

use thiserror::Error;

pub use ast::{CompareOp, Cond, CondKind, Name, SetExpr, Text};
pub use parser::{KEYWORDS, MAX_DEPTH};
pub use printer::{print, quote};

use crate::source::Span;
use crate::source::diagnostic::Problem;

/// What can be wrong with the text of a condition.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum ConditionError {
    /// A string without its closing quote.
    #[error("unterminated string")]
    UnterminatedString,
    /// A backslash before something other than `"` or `\`.
    #[error("unknown escape `\\{0}` in string")]
    BadEscape(char),
    /// A character that starts no token.
    #[error("unexpected character `{0}`")]
    UnexpectedChar(char),
    /// `'` inside a condition.
    #[error("strings in conditions use double quotes")]
    SingleQuote,
    /// `&&` or `||`.
    #[error("unexpected `{0}`")]
    SymbolOperator(char),
    /// `=` alone.
    #[error("unexpected `=`")]
    SingleEquals,
    /// An operator with nothing after it.
    #[error("`{0}` needs a condition after it")]
    Dangling(&'static str),
    /// Something that cannot start a condition.
    #[error("expected a condition, found {0}")]
    ExpectedCondition(String),
    /// `(` without `)`.
    #[error("expected `)`, found {0}")]
    UnclosedParen(String),
    /// Text after a complete condition.
    #[error("unexpected {0} after the condition")]
    Trailing(String),
    /// `attr not` without `in`.
    #[error("expected `in` after `{0} not`")]
    NotWithoutIn(String),
    /// `attr "value"`.
    #[error("expected `==`, `!=` or `in` after `{0}`")]
    MissingOperator(String),
    /// `attr == value` without quotes.
    #[error("expected a string, found `{0}`")]
    UnquotedValue(String),
    /// `attr ==` followed by something other than a string.
    #[error("expected a string after `{0} ==`, found {1}")]
    ExpectedString(String, String),
    /// `in` followed by neither a list nor a group.
    #[error("expected `[` or `group(` after `in`, found {0}")]
    ExpectedSet(String),
    /// A list item that is not a string.
    #[error("expected a string in the list, found {0}")]
    ExpectedListItem(String),
    /// Two list items without a comma.
    #[error("expected `,` or `]` in the list, found {0}")]
    ExpectedListSeparator(String),
    /// `[` without `]`.
    #[error("unclosed list")]
    UnclosedList,
    /// `group` without `(`.
    #[error("expected `(` after `group`, found {0}")]
    ExpectedGroupParen(String),
    /// `group(` without a string.
    #[error("expected a group name in quotes, found {0}")]
    ExpectedGroupName(String),
    /// Nesting past the limit.
    #[error("condition nests deeper than {0} levels")]
    TooDeep(usize),
}

impl Problem for ConditionError {
    fn help(&self) -> Option<String> {
        Some(match self {
            ConditionError::UnterminatedString => "add the closing `\"`".into(),
            ConditionError::BadEscape(_) => "only `\\\"` and `\\\\` are escapes".into(),
            ConditionError::SingleQuote => "write `\"value\"`".into(),
            ConditionError::SymbolOperator('&') => "write `and`".into(),
            ConditionError::SymbolOperator(_) => "write `or`".into(),
            ConditionError::SingleEquals => "compare with `==`".into(),
            ConditionError::Dangling(_) | ConditionError::ExpectedCondition(_) => {
                "a condition is, for example, `status == \"citizen\"`, `residence in group(\"EU\")` or `not us_person`".into()
            }
            ConditionError::Trailing(_) => "join conditions with `and` or `or`".into(),
            ConditionError::MissingOperator(attr) => format!("write `{attr} == \"...\"`"),
            ConditionError::UnquotedValue(word) => format!("write `\"{word}\"`"),
            ConditionError::ExpectedSet(_) => {
                "write a list such as `[\"CN\", \"RU\"]` or a group such as `group(\"D:5\")`".into()
            }
            ConditionError::ExpectedGroupName(_) => "write, for example, `group(\"A:5\")`".into(),
            ConditionError::TooDeep(_) => "split the rule into several rules".into(),
            _ => return None,
        })
    }
}

/// Parses condition text, returning every lexical error, or the first syntax error.
pub fn parse(text: &str) -> Result<Cond, Vec<(ConditionError, Span)>> {
    let (tokens, errors) = lexer::lex(text);
    if !errors.is_empty() {
        return Err(errors);
    }
    parser::Parser::new(&tokens, text.len())
        .parse_all()
        .map_err(|error| vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        match parse(text) {
            Ok(cond) => print(&cond),
            Err(errors) => format!("{errors:?}"),
        }
    }

    #[test]
    fn prints_with_the_fewest_parentheses() {
        assert_eq!(round_trip("a or b and c"), "a or b and c");
        assert_eq!(round_trip("(a or b) and c"), "(a or b) and c");
        assert_eq!(round_trip("a and (b and c)"), "a and (b and c)");
        assert_eq!(round_trip("not (a or b)"), "not (a or b)");
        assert_eq!(round_trip("not not a"), "not not a");
        assert_eq!(
            round_trip(r#"x not in ["a\"b", "c\\"] and y in group("D:5") or z != "" "#),
            r#"x not in ["a\"b", "c\\"] and y in group("D:5") or z != """#
        );
        assert_eq!(round_trip("x in []"), "x in []");
    }

    #[test]
    fn spans_cover_their_text() {
        let text = r#"segment == "researcher" and residence in group("tier1")"#;
        let Ok(cond) = parse(text) else {
            panic!("parse failed")
        };
        assert_eq!(cond.span, Span::new(0, text.len()));
        let CondKind::And(left, right) = cond.kind else {
            panic!("not and")
        };
        assert_eq!(
            text.get(left.span.start..left.span.end),
            Some(r#"segment == "researcher""#)
        );
        assert_eq!(
            text.get(right.span.start..right.span.end),
            Some(r#"residence in group("tier1")"#)
        );
    }

    #[test]
    fn depth_is_limited() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(
            parse(&deep).map_err(|e| e.into_iter().map(|(e, _)| e).collect::<Vec<_>>()),
            Err(vec![ConditionError::TooDeep(MAX_DEPTH)])
        );
        let nots = format!("{}a", "not ".repeat(100));
        assert!(parse(&nots).is_err());
    }
}
