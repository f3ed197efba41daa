//! Splits condition text into tokens.

use super::ConditionError;
use crate::source::Span;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    /// An identifier or keyword.
    Ident(String),
    /// A string literal's value.
    Str(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
}

impl Token {
    /// How the token reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Str(value) => format!("string \"{value}\""),
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::LBracket => "`[`".into(),
            Token::RBracket => "`]`".into(),
            Token::Comma => "`,`".into(),
            Token::EqEq => "`==`".into(),
            Token::NotEq => "`!=`".into(),
        }
    }
}

/// Tokens with their spans.
pub type Tokens = Vec<(Token, Span)>;

/// Lexical errors with their spans.
pub type LexErrors = Vec<(ConditionError, Span)>;

/// Tokenizes `text`, collecting every lexical error rather than stopping at the first.
pub fn lex(text: &str) -> (Tokens, LexErrors) {
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let single = |token: Token| (token, Span::new(start, start + 1));
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(single(Token::LParen)),
            ')' => tokens.push(single(Token::RParen)),
            '[' => tokens.push(single(Token::LBracket)),
            ']' => tokens.push(single(Token::RBracket)),
            ',' => tokens.push(single(Token::Comma)),
            '=' | '!' if chars.peek().is_some_and(|&(_, n)| n == '=') => {
                chars.next();
                let token = if c == '=' { Token::EqEq } else { Token::NotEq };
                tokens.push((token, Span::new(start, start + 2)));
            }
            '=' => errors.push((ConditionError::SingleEquals, Span::new(start, start + 1))),
            '"' => match string(start, &mut chars, &mut errors) {
                Some(token) => tokens.push(token),
                None => errors.push((
                    ConditionError::UnterminatedString,
                    Span::new(start, text.len()),
                )),
            },
            c if c.is_ascii_alphabetic() || c == '_' => {
                tokens.push(identifier(text, start, &mut chars));
            }
            '&' | '|' => {
                let double = chars.peek().is_some_and(|&(_, n)| n == c);
                if double {
                    chars.next();
                }
                let width = if double { 2 } else { 1 };
                errors.push((
                    ConditionError::SymbolOperator(c),
                    Span::new(start, start + width),
                ));
            }
            '\'' => errors.push((ConditionError::SingleQuote, Span::new(start, start + 1))),
            other => errors.push((
                ConditionError::UnexpectedChar(other),
                Span::new(start, start + other.len_utf8()),
            )),
        }
    }
    (tokens, errors)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// The rest of a string literal whose opening quote is at `start`, or `None` when it is
/// never closed. A bad escape is reported and its character kept.
fn string(start: usize, chars: &mut Chars<'_>, errors: &mut LexErrors) -> Option<(Token, Span)> {
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Token::Str(value), Span::new(start, i + 1))),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => value.push(e),
                Some((j, e)) => {
                    let span = Span::new(i, j + e.len_utf8());
                    errors.push((ConditionError::BadEscape(e), span));
                    value.push(e);
                }
                None => return None,
            },
            c => value.push(c),
        }
    }
    None
}

/// The rest of an identifier whose first character is at `start`.
fn identifier(text: &str, start: usize, chars: &mut Chars<'_>) -> (Token, Span) {
    let mut end = start + 1;
    while let Some(&(i, n)) = chars.peek() {
        if n.is_ascii_alphanumeric() || n == '_' {
            end = i + 1;
            chars.next();
        } else {
            break;
        }
    }
    let word = text.get(start..end).unwrap_or_default().to_owned();
    (Token::Ident(word), Span::new(start, end))
}
