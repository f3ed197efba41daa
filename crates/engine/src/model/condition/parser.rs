//! Recursive-descent parser for the grammar of DESIGN §3.

use super::ConditionError;
use super::ast::{CompareOp, Cond, CondKind, Name, SetExpr, Text};
use super::lexer::Token;
use crate::source::Span;

/// How deeply conditions may nest before parsing stops with an error.
pub const MAX_DEPTH: usize = 64;

/// The words of the condition language, which cannot be unquoted values.
pub const KEYWORDS: [&str; 7] = ["and", "or", "not", "in", "true", "false", "group"];

type ParseResult<T> = Result<T, (ConditionError, Span)>;

/// A parser over a token list.
pub struct Parser<'t> {
    tokens: &'t [(Token, Span)],
    position: usize,
    end: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    /// A parser for `tokens`, whose text is `text_len` bytes long.
    pub fn new(tokens: &'t [(Token, Span)], text_len: usize) -> Self {
        Parser {
            tokens,
            position: 0,
            end: text_len,
            depth: 0,
        }
    }

    /// Parses a whole condition, requiring that nothing follows it.
    pub fn parse_all(mut self) -> ParseResult<Cond> {
        let cond = self.expr()?;
        match self.peek() {
            None => Ok(cond),
            Some((token, span)) => Err((ConditionError::Trailing(token.describe()), span)),
        }
    }

    fn peek(&self) -> Option<(&'t Token, Span)> {
        self.tokens.get(self.position).map(|(t, s)| (t, *s))
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some((Token::Ident(w), _)) if w == keyword)
    }

    fn bump(&mut self) -> Option<(&'t Token, Span)> {
        let next = self.peek();
        if next.is_some() {
            self.position += 1;
        }
        next
    }

    fn end_span(&self) -> Span {
        Span::new(self.end, self.end)
    }

    fn last_span(&self) -> Span {
        self.position
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(self.end_span(), |(_, s)| *s)
    }

    fn nest(&mut self, at: Span) -> ParseResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((ConditionError::TooDeep(MAX_DEPTH), at));
        }
        Ok(())
    }

    fn expr(&mut self) -> ParseResult<Cond> {
        let mut left = self.and_expr()?;
        while self.peek_keyword("or") {
            self.bump();
            let right = self.operand("or", Self::and_expr)?;
            let span = left.span.to(right.span);
            left = Cond {
                kind: CondKind::Or(Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> ParseResult<Cond> {
        let mut left = self.unary()?;
        while self.peek_keyword("and") {
            self.bump();
            let right = self.operand("and", Self::unary)?;
            let span = left.span.to(right.span);
            left = Cond {
                kind: CondKind::And(Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    /// Parses what must follow an operator, naming the operator if it is missing.
    fn operand(
        &mut self,
        operator: &'static str,
        parse: fn(&mut Self) -> ParseResult<Cond>,
    ) -> ParseResult<Cond> {
        let operator_span = self.last_span();
        match self.peek() {
            None => Err((ConditionError::Dangling(operator), operator_span)),
            Some((Token::Ident(w), _)) if w == "and" || w == "or" => {
                Err((ConditionError::Dangling(operator), operator_span))
            }
            Some((Token::RParen, _)) => Err((ConditionError::Dangling(operator), operator_span)),
            Some(_) => parse(self),
        }
    }

    fn unary(&mut self) -> ParseResult<Cond> {
        if self.peek_keyword("not") {
            let (_, start) = self.bump().unwrap_or((&Token::Comma, self.end_span()));
            self.nest(start)?;
            let inner = self.operand("not", Self::unary)?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Cond {
                kind: CondKind::Not(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> ParseResult<Cond> {
        let Some((token, span)) = self.bump() else {
            return Err((
                ConditionError::ExpectedCondition("the end".into()),
                self.end_span(),
            ));
        };
        match token {
            Token::LParen => {
                self.nest(span)?;
                let inner = self.expr()?;
                self.depth -= 1;
                match self.bump() {
                    Some((Token::RParen, _)) => Ok(inner),
                    Some((other, at)) => Err((ConditionError::UnclosedParen(other.describe()), at)),
                    None => Err((ConditionError::UnclosedParen("the end".into()), span)),
                }
            }
            Token::Ident(word) if word == "true" || word == "false" => Ok(Cond {
                kind: CondKind::Bool(word == "true"),
                span,
            }),
            Token::Ident(word) if KEYWORDS.contains(&word.as_str()) => {
                Err((ConditionError::ExpectedCondition(token.describe()), span))
            }
            Token::Ident(word) => {
                let attr = Name {
                    name: word.clone(),
                    span,
                };
                self.after_attribute(attr)
            }
            other => Err((ConditionError::ExpectedCondition(other.describe()), span)),
        }
    }

    fn after_attribute(&mut self, attr: Name) -> ParseResult<Cond> {
        let op = match self.peek() {
            Some((Token::EqEq, _)) => Some(CompareOp::Eq),
            Some((Token::NotEq, _)) => Some(CompareOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let value = self.string(&attr)?;
            let span = attr.span.to(value.span);
            return Ok(Cond {
                kind: CondKind::Compare { attr, op, value },
                span,
            });
        }
        let negated = self.peek_keyword("not");
        if negated {
            self.bump();
            if !self.peek_keyword("in") {
                let at = self.peek().map_or(self.end_span(), |(_, s)| s);
                return Err((ConditionError::NotWithoutIn(attr.name.clone()), at));
            }
        }
        if self.peek_keyword("in") {
            self.bump();
            let set = self.set()?;
            let span = attr.span.to(set.span());
            return Ok(Cond {
                kind: CondKind::In { attr, negated, set },
                span,
            });
        }
        if let Some((Token::Str(_), at)) = self.peek() {
            return Err((ConditionError::MissingOperator(attr.name.clone()), at));
        }
        let span = attr.span;
        Ok(Cond {
            kind: CondKind::Attr(attr),
            span,
        })
    }

    fn string(&mut self, attr: &Name) -> ParseResult<Text> {
        match self.bump() {
            Some((Token::Str(value), span)) => Ok(Text {
                value: value.clone(),
                span,
            }),
            Some((Token::Ident(word), span)) if !KEYWORDS.contains(&word.as_str()) => {
                Err((ConditionError::UnquotedValue(word.clone()), span))
            }
            Some((other, span)) => Err((
                ConditionError::ExpectedString(attr.name.clone(), other.describe()),
                span,
            )),
            None => Err((
                ConditionError::ExpectedString(attr.name.clone(), "the end".into()),
                self.last_span(),
            )),
        }
    }

    fn set(&mut self) -> ParseResult<SetExpr> {
        match self.bump() {
            Some((Token::LBracket, start)) => self.list(start),
            Some((Token::Ident(word), start)) if word == "group" => self.group(start),
            Some((other, span)) => Err((ConditionError::ExpectedSet(other.describe()), span)),
            None => Err((
                ConditionError::ExpectedSet("the end".into()),
                self.last_span(),
            )),
        }
    }

    /// The rest of `[ "a", "b" ]` after its opening bracket at `start`.
    fn list(&mut self, start: Span) -> ParseResult<SetExpr> {
        let mut items = Vec::new();
        loop {
            match self.bump() {
                Some((Token::RBracket, end)) if items.is_empty() => {
                    return Ok(SetExpr::List {
                        items,
                        span: start.to(end),
                    });
                }
                Some((Token::Str(value), span)) => items.push(Text {
                    value: value.clone(),
                    span,
                }),
                Some((Token::Ident(word), span)) if !KEYWORDS.contains(&word.as_str()) => {
                    return Err((ConditionError::UnquotedValue(word.clone()), span));
                }
                Some((other, span)) => {
                    return Err((ConditionError::ExpectedListItem(other.describe()), span));
                }
                None => return Err((ConditionError::UnclosedList, start)),
            }
            match self.bump() {
                Some((Token::Comma, _)) => {}
                Some((Token::RBracket, end)) => {
                    return Ok(SetExpr::List {
                        items,
                        span: start.to(end),
                    });
                }
                Some((other, span)) => {
                    let problem = ConditionError::ExpectedListSeparator(other.describe());
                    return Err((problem, span));
                }
                None => return Err((ConditionError::UnclosedList, start)),
            }
        }
    }

    /// The rest of `group("name")` after the word `group` at `start`.
    fn group(&mut self, start: Span) -> ParseResult<SetExpr> {
        match self.bump() {
            Some((Token::LParen, _)) => {}
            Some((other, span)) => {
                return Err((ConditionError::ExpectedGroupParen(other.describe()), span));
            }
            None => {
                return Err((ConditionError::ExpectedGroupParen("the end".into()), start));
            }
        }
        let name = match self.bump() {
            Some((Token::Str(value), span)) => Text {
                value: value.clone(),
                span,
            },
            Some((other, span)) => {
                return Err((ConditionError::ExpectedGroupName(other.describe()), span));
            }
            None => {
                return Err((ConditionError::ExpectedGroupName("the end".into()), start));
            }
        };
        match self.bump() {
            Some((Token::RParen, end)) => Ok(SetExpr::Group {
                name,
                span: start.to(end),
            }),
            Some((other, span)) => Err((ConditionError::UnclosedParen(other.describe()), span)),
            None => Err((ConditionError::UnclosedParen("the end".into()), start)),
        }
    }
}
