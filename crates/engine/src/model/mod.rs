//! The scenario as loaded: products, directives with their rules, custom groups and the
//! provider's response, each part remembering where in which file it was written.

use crate::source::Loc;
pub mod condition;
pub mod date;
pub mod outcome;
pub mod population;
pub mod reading;
pub mod reference;

use std::fmt;

use serde::Serialize;

/// A hash map with a fast, fixed hasher, for the tables a large population fills row by
/// row (ids, codes, list items, profiles). Its keys come from the user's own files in
/// their own browser, so a hasher that resists flooding buys nothing here, and a fixed one
/// keeps every run alike.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

use crate::model::condition::Cond;
use crate::model::date::Date;
use crate::source::Span;
use crate::source::toml_text::TextMap;

/// What a rule, a default or the law says about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Access is lawful.
    Allow,
    /// Access needs a license.
    License,
    /// Access is barred.
    Deny,
}

impl Effect {
    /// Every effect, least restrictive first.
    pub const ALL: [Effect; 3] = [Effect::Allow, Effect::License, Effect::Deny];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::License => "license",
            Effect::Deny => "deny",
        }
    }

    /// Parses the name used in files.
    pub fn parse(text: &str) -> Option<Effect> {
        Effect::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of fact a source is (DESIGN §2); the app shows it beside every number that
/// rests on the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Basis {
    /// The text of a published regulation or statute, cited.
    Law,
    /// A published proposal that was never adopted.
    Proposed,
    /// A news account whose underlying text is not public.
    Reported,
    /// A published statistic.
    Data,
    /// Made up to teach: sizes and shares no source gives.
    Illustrative,
}

impl Basis {
    /// Every basis.
    pub const ALL: [Basis; 5] = [
        Basis::Law,
        Basis::Proposed,
        Basis::Reported,
        Basis::Data,
        Basis::Illustrative,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Law => "law",
            Basis::Proposed => "proposed",
            Basis::Reported => "reported",
            Basis::Data => "data",
            Basis::Illustrative => "illustrative",
        }
    }

    /// Parses the name used in files.
    pub fn parse(text: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// The names, for messages.
    pub fn names() -> [&'static str; 5] {
        Basis::ALL.map(Basis::as_str)
    }
}

/// Where a fact comes from: a plain string, or a table with its basis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// The title of the work (or the whole string, for a plain-string source).
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// When (as written: a date, a month or a year).
    pub date: String,
    /// Where to find it.
    pub url: String,
    /// What kind of fact it is; `None` for a plain-string source.
    pub basis: Option<Basis>,
}

impl Source {
    /// A plain-string source.
    pub fn text(text: impl Into<String>) -> Source {
        Source {
            title: text.into(),
            ..Source::default()
        }
    }

    /// The citation as one line: title, publisher and date.
    pub fn citation(&self) -> String {
        let mut out = self.title.clone();
        for part in [&self.publisher, &self.date] {
            if !part.is_empty() {
                out.push_str(if out.is_empty() { "" } else { ", " });
                out.push_str(part);
            }
        }
        out
    }
}

/// Something people access.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    /// A slug such as `fable-5`.
    pub id: String,
    /// A display name.
    pub name: String,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Where the id is written.
    pub loc: Loc,
}

/// A product id as written in a `products` list, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductRef {
    /// The id, or `*`.
    pub id: String,
    /// Where.
    pub loc: Loc,
}

/// Which products a directive or response covers.
#[derive(Clone, Debug, PartialEq)]
pub enum ProductScope {
    /// `["*"]`: every product.
    All,
    /// The listed product ids.
    Only(Vec<ProductRef>),
}

impl ProductScope {
    /// Whether the scope covers the product.
    pub fn covers(&self, product: &str) -> bool {
        match self {
            ProductScope::All => true,
            ProductScope::Only(ids) => ids.iter().any(|p| p.id == product),
        }
    }
}

/// One rule: an effect when a condition holds.
#[derive(Clone, Debug)]
pub struct Rule {
    /// What the rule says.
    pub effect: Effect,
    /// The parsed condition, or `None` if it did not parse.
    pub when: Option<Cond>,
    /// The condition's text.
    pub when_text: String,
    /// Maps condition offsets to the file.
    pub when_map: TextMap,
    /// Where `when` is written (the whole value).
    pub when_loc: Loc,
    /// Where the `[[rules]]` table starts.
    pub loc: Loc,
    /// An explanation shown beside the rule.
    pub note: Option<String>,
}

impl Rule {
    /// Where a span of the condition text stands in the file.
    pub fn cond_loc(&self, span: Span) -> Loc {
        Loc {
            file: self.when_loc.file,
            span: self.when_map.file_span(span),
        }
    }
}

/// A legal instrument.
#[derive(Clone, Debug)]
pub struct Directive {
    /// A unique slug.
    pub id: String,
    /// A title.
    pub title: String,
    /// Who issued it.
    pub authority: String,
    /// A longer explanation.
    pub description: String,
    /// When it was issued.
    pub issued: Option<Date>,
    /// When it takes effect (default: issued; neither: always).
    pub effective: Option<Date>,
    /// When it stops (not in force on or after this day).
    pub expires: Option<Date>,
    /// The products it covers.
    pub products: ProductScope,
    /// The effect when no rule matches.
    pub default: Effect,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// Where the id is written (or the table, if it has none).
    pub loc: Loc,
}

impl Directive {
    /// Whether the directive is in force on `day`. Without `effective` or `issued` it has
    /// no start: a what-if directive is in force until it expires.
    pub fn in_force(&self, day: Date) -> bool {
        self.effective.is_none_or(|start| start <= day) && self.expires.is_none_or(|end| day < end)
    }
}

/// A scenario-defined country group.
#[derive(Clone, Debug)]
pub struct CustomGroup {
    /// Its name in `group("...")`.
    pub id: String,
    /// Member codes with where each is written.
    pub members: Vec<(String, Loc)>,
    /// Where the name is written.
    pub loc: Loc,
}

/// What the provider does to comply.
#[derive(Clone, Debug)]
pub struct Response {
    /// A title.
    pub title: String,
    /// A longer explanation.
    pub description: String,
    /// Whether the gate blocks everything the law denies or licenses.
    pub follows_law: bool,
    /// What the response rules cover.
    pub products: ProductScope,
    /// The provider's own rules.
    pub rules: Vec<Rule>,
}

impl Default for Response {
    fn default() -> Self {
        Response {
            title: "Follows the law exactly".into(),
            description: String::new(),
            follows_law: true,
            products: ProductScope::All,
            rules: Vec::new(),
        }
    }
}

/// Who had access before (DESIGN §4.7): another set of directives, groups and response,
/// simulated over the scenario's own population and products.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// A title (the baseline file's, or the inline table's).
    pub title: String,
    /// The day it looks at; `None` is the scenario's day.
    pub as_of: Option<Date>,
    /// Its directives: from files first, then inline ones.
    pub directives: Vec<Directive>,
    /// Its own custom groups (it never sees the scenario's).
    pub groups: Vec<CustomGroup>,
    /// What the provider did then.
    pub response: Response,
    /// Where `baseline` is written in the scenario.
    pub loc: Loc,
    /// The baseline file, when it is one.
    pub path: Option<String>,
}

impl Baseline {
    /// Which of its directives are in force on `day`.
    pub fn in_force(&self, day: Date) -> Vec<bool> {
        self.directives.iter().map(|d| d.in_force(day)).collect()
    }
}
