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
            '"' => {
                let mut value = String::new();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, e @ ('"' | '\\'))) => value.push(e),
                            Some((j, e)) => {
                                errors.push((
                                    ConditionError::BadEscape(e),
                                    Span::new(i, j + e.len_utf8()),
                                ));
                                value.push(e);
                            }
                            None => break,
                        },
                        c => value.push(c),
                    }
                }
                match end {
                    Some(end) => tokens.push((Token::Str(value), Span::new(start, end))),
                    None => errors.push((
                        ConditionError::UnterminatedString,
                        Span::new(start, text.len()),
                    )),
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
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
                tokens.push((Token::Ident(word), Span::new(start, end)));
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
