//! What can be wrong with a scenario or directive file as TOML: every problem the
//! loaders report, with its help.

use crate::model::Basis;
use crate::model::date::Date;
use crate::source::diagnostic::{Problem, Severity};
use crate::source::suggest::{nearest, one_of};
use thiserror::Error;

use super::*;

/// What can be wrong with the structure of a scenario or directive file.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum LoadError {
    /// TOML syntax.
    #[error("invalid TOML: {0}")]
    Toml(String),
    /// A file that could not be read.
    #[error("cannot read `{path}`: {reason}")]
    ReadFailed {
        /// The path as resolved.
        path: String,
        /// Why.
        reason: String,
    },
    /// A file that is not UTF-8.
    #[error("`{0}` is not valid UTF-8")]
    NotUtf8(String),
    /// A required key is absent.
    #[error("missing `{key}` in {what}")]
    MissingKey {
        /// The key.
        key: &'static str,
        /// The table.
        what: &'static str,
    },
    /// A value of the wrong type.
    #[error("`{key}` must be {expected}")]
    WrongType {
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A key the format does not have.
    #[error("unknown key `{key}` in {what}")]
    UnknownKey {
        /// The key.
        key: String,
        /// The table.
        what: &'static str,
        /// The nearest known key.
        suggestion: Option<&'static str>,
    },
    /// An effect other than deny, license or allow.
    #[error("unknown effect `{0}`")]
    BadEffect(String),
    /// Two things with one id.
    #[error("duplicate {kind} id `{id}`")]
    DuplicateId {
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
        /// Where the first one is.
        first_line: usize,
    },
    /// An id that is empty.
    #[error("empty {0} id")]
    EmptyId(&'static str),
    /// `expires` on or before `effective`: never in force.
    #[error(
        "`expires` ({expires}) is not after `effective` ({effective}), so the directive is never in force"
    )]
    ExpiresBeforeEffective {
        /// Start.
        effective: Date,
        /// End.
        expires: Date,
    },
    /// A custom group that reuses a built-in name.
    #[error("group `{0}` is already a built-in group")]
    ShadowsBuiltinGroup(String),
    /// A country code in a custom group that is not ISO 3166-1 alpha-2.
    #[error("unknown country code `{code}` in group `{group}`")]
    UnknownGroupCountry {
        /// The group.
        group: String,
        /// The code.
        code: String,
        /// A likely intended code and its name.
        suggestion: Option<(String, String)>,
    },
    /// `products = []`.
    #[error("`products` is empty")]
    NoProducts,
    /// A scenario without a population.
    #[error("missing `population`")]
    NoPopulation,
    /// More products than the engine's masks hold.
    #[error("more than {0} products")]
    TooManyProducts(usize),
    /// A file with nothing in it.
    #[error("the file holds no scenario and no directive")]
    EmptyFile,
    /// A baseline that leads back to the scenario: itself (an error), or through the
    /// baseline file's own baseline (a warning: that one is ignored).
    #[error("baseline cycle: {}", .0.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" → "))]
    BaselineCycle(Vec<String>),
    /// A baseline file that could not be read.
    #[error("cannot read baseline `{path}`: {reason}")]
    BaselineUnreadable {
        /// The path as written.
        path: String,
        /// Why.
        reason: String,
    },
    /// A source's `basis` that is not one of the five.
    #[error("unknown basis `{0}`")]
    UnknownBasis(String),
    /// A `contract` other than 1 or 2.
    #[error("unknown contract `{0}`")]
    UnknownContract(String),
}

impl Problem for LoadError {
    /// A directive that is never in force is a warning (it is simply never applied);
    /// everything else is an error.
    fn severity(&self) -> Severity {
        match self {
            LoadError::ExpiresBeforeEffective { .. } => Severity::Warning,
            LoadError::BaselineCycle(files) if files.len() > 2 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            LoadError::MissingKey { key: "as_of", .. } => "add a date such as `as_of = 2026-11-21`".into(),
            LoadError::MissingKey { key: "when", .. } => {
                "add a condition such as `when = 'not us_person'`, or `when = \"true\"` for everyone".into()
            }
            LoadError::MissingKey { key: "effect", .. } => {
                format!("add `effect = \"deny\"`; an effect is {}", one_of(&EFFECTS))
            }
            LoadError::WrongType { expected, .. } if expected.starts_with("a date") => {
                "write a TOML date without quotes, such as `2026-11-21`".into()
            }
            LoadError::UnknownKey {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            LoadError::UnknownKey {
                key,
                what: "the baseline",
                ..
            } if ["population", "products", "baseline"].contains(&key.as_str()) => {
                "a baseline is simulated over the scenario's own population and products, and has no baseline of its own".into()
            }
            LoadError::BadEffect(wrong) => match nearest(wrong, EFFECTS) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("an effect is {}", one_of(&EFFECTS)),
            },
            LoadError::DuplicateId { first_line, .. } => format!("first defined on line {first_line}"),
            LoadError::ShadowsBuiltinGroup(_) => "choose another name for the custom group".into(),
            LoadError::UnknownGroupCountry {
                suggestion: Some((code, name)),
                ..
            } => format!("did you mean `{code}` ({name})?"),
            LoadError::UnknownGroupCountry { .. } => {
                "use ISO 3166-1 alpha-2 codes such as `GB` or `JP`".into()
            }
            LoadError::NoProducts => "list product ids, or `[\"*\"]` for every product".into(),
            LoadError::NoPopulation => {
                "add `population = \"people.csv\"` or a `[population]` table with `csv = '''...'''`".into()
            }
            LoadError::NotUtf8(_) => "save the file as UTF-8".into(),
            LoadError::TooManyProducts(_) => "split the scenario into several scenarios".into(),
            LoadError::ExpiresBeforeEffective { .. } => {
                "set `expires` to a day after `effective`, or remove it".into()
            }
            LoadError::BaselineUnreadable { .. } => {
                "a baseline is another scenario file, relative to this one; or write the earlier state inline as a `[baseline]` table".into()
            }
            LoadError::BaselineCycle(files) if files.len() > 2 => format!(
                "a baseline's own baseline is ignored, so this scenario is counted against `{}` as written; remove `baseline` from one of the two to say so plainly",
                files.get(1).map_or("", String::as_str)
            ),
            LoadError::BaselineCycle(_) => {
                "a scenario cannot be its own baseline; point `baseline` at a scenario of the earlier state, or write an inline `[baseline]`".into()
            }
            LoadError::UnknownKey { key, what: "the baseline", .. }
                if DIRECTIVE_KEYS.contains(&key.as_str()) =>
            {
                "a baseline file is a scenario (with `as_of`, `directives`, `[response]`), not a directive; to count against a directive, write an inline `[baseline]` with `directives = [\"...\"]`".into()
            }
            LoadError::UnknownBasis(wrong) => match nearest(wrong, Basis::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("a basis is {}", one_of(&Basis::names())),
            },
            LoadError::UnknownContract(_) => {
                "leave `contract` out for 15 CFR 772.1; `contract = 1` reads `us_person` as contract 1 did (`not foreign_person`)".into()
            }
            LoadError::EmptyFile => "a scenario needs `as_of`, `[[products]]` and `population`; a directive needs `id`, `products` and `[[rules]]`".into(),
            _ => return None,
        })
    }
}
