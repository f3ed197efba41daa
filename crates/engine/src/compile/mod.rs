//! Resolves the names in conditions against the scenario — attributes, countries, groups,
//! statuses, segments and products — and compiles each condition once into a predicate
//! over the population's columns.

pub mod classes;

use thiserror::Error;

use crate::compile::classes::ClassMap;
use crate::load::Scenario;
use crate::model::condition::{CompareOp, Cond, CondKind, Name, SetExpr, Text};
use crate::model::population::{Population, Status, Sym};
use crate::model::reading::{self, Reading};
use crate::model::reference::{CountryId, CountrySet, reference};
use crate::model::{Baseline, CustomGroup, Directive, Effect, ProductScope, Response, Rule};
use crate::source::Loc;
use crate::source::diagnostic::{Problem, Severity};
use crate::source::suggest::{nearest, one_of};

/// The attributes every population has.
pub const BUILT_IN_ATTRIBUTES: [&str; 8] = [
    "segment",
    "nationality",
    "residence",
    "status",
    "sector",
    "product",
    "us_person",
    "foreign_person",
];

/// The three standard segments.
pub const STANDARD_SEGMENTS: [&str; 3] = ["customer", "employee", "researcher"];

/// Which country column a predicate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CountryField {
    /// `nationality`
    Nationality,
    /// `residence`
    Residence,
}

/// Which interned string column a predicate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymField {
    /// `segment`
    Segment,
    /// `sector`
    Sector,
    /// An extra column, by index.
    Extra(usize),
}

/// A compiled condition over one (record, product) pair.
#[derive(Clone, Debug, PartialEq)]
pub enum Pred {
    /// Always or never.
    Const(bool),
    /// Negation.
    Not(Box<Pred>),
    /// Both.
    And(Box<Pred>, Box<Pred>),
    /// Either.
    Or(Box<Pred>, Box<Pred>),
    /// The record's status is one of a set (bit per [`Status`]).
    Status(u8),
    /// The country is in the set.
    Country(CountryField, CountrySet),
    /// The string column's symbol is one of these.
    Sym(SymField, Vec<Sym>),
    /// The pair's product is one of these (bit per scenario product).
    Product(u64),
}

/// What a predicate can read about one person: a record of the population, or a stand-in
/// for a class of records that no condition can tell apart.
pub trait Subject {
    /// The status.
    fn status(&self) -> Option<Status>;
    /// A country attribute.
    fn country(&self, field: CountryField) -> Option<CountryId>;
    /// A string attribute's symbol.
    fn symbol(&self, field: SymField) -> Option<Sym>;
    /// The licenses held, as bits over the population's license ids.
    fn licenses(&self) -> u64;
}

/// One record of a population, read in place.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    /// The population.
    pub population: &'a Population,
    /// The record's index.
    pub record: usize,
}

impl Subject for RecordRef<'_> {
    #[inline]
    fn status(&self) -> Option<Status> {
        self.population.status().get(self.record).copied()
    }

    #[inline]
    fn country(&self, field: CountryField) -> Option<CountryId> {
        let column = match field {
            CountryField::Nationality => &self.population.nationality(),
            CountryField::Residence => &self.population.residence(),
        };
        column.get(self.record).copied()
    }

    #[inline]
    fn symbol(&self, field: SymField) -> Option<Sym> {
        let column = match field {
            SymField::Segment => self.population.segment(),
            SymField::Sector => self.population.sector(),
            SymField::Extra(index) => self.population.extras().get(index)?.values.as_slice(),
        };
        column.get(self.record).copied()
    }

    #[inline]
    fn licenses(&self) -> u64 {
        self.population
            .licenses()
            .get(self.record)
            .copied()
            .unwrap_or(0)
    }
}

impl Pred {
    /// Evaluates the predicate for record `record` and scenario product `product`.
    #[inline]
    pub fn eval(&self, population: &Population, record: usize, product: usize) -> bool {
        self.eval_on(&RecordRef { population, record }, product)
    }

    /// Evaluates the predicate for `subject` and scenario product `product`.
    #[inline]
    pub fn eval_on(&self, subject: &impl Subject, product: usize) -> bool {
        match self {
            Pred::Const(b) => *b,
            Pred::Not(p) => !p.eval_on(subject, product),
            Pred::And(a, b) => a.eval_on(subject, product) && b.eval_on(subject, product),
            Pred::Or(a, b) => a.eval_on(subject, product) || b.eval_on(subject, product),
            Pred::Status(mask) => subject.status().is_some_and(|s| mask >> (s as u8) & 1 == 1),
            Pred::Country(field, set) => subject.country(*field).is_some_and(|c| set.contains(c)),
            Pred::Sym(field, syms) => subject.symbol(*field).is_some_and(|s| syms.contains(&s)),
            Pred::Product(mask) => crate::model::outcome::has_bit(*mask, product),
        }
    }

    /// Calls `visit` with every leaf that reads an attribute of the person.
    pub fn for_each_leaf<'p>(&'p self, visit: &mut impl FnMut(&'p Pred)) {
        match self {
            Pred::Not(p) => p.for_each_leaf(visit),
            Pred::And(a, b) | Pred::Or(a, b) => {
                a.for_each_leaf(visit);
                b.for_each_leaf(visit);
            }
            Pred::Status(_) | Pred::Country(..) | Pred::Sym(..) => visit(self),
            Pred::Const(_) | Pred::Product(_) => {}
        }
    }
}

/// What can be wrong with the names and types in a condition or scenario.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum ResolveError {
    /// An attribute that the population does not have.
    #[error("unknown attribute `{name}`")]
    UnknownAttribute {
        /// The name.
        name: String,
        /// The nearest known attribute.
        suggestion: Option<String>,
        /// Whether there is a population to know the extra columns from.
        open: bool,
    },
    /// A string attribute used as a boolean.
    #[error("`{0}` is not a boolean attribute")]
    NotBoolean(String),
    /// A boolean attribute compared with a string.
    #[error("`{0}` is a boolean and cannot be compared with a string")]
    BooleanCompared(String),
    /// A country code that is not ISO 3166-1 alpha-2.
    #[error("unknown country `{code}`")]
    UnknownCountry {
        /// The code.
        code: String,
        /// A likely intended code and its name.
        suggestion: Option<(String, String)>,
    },
    /// A group that is neither built in nor defined by the scenario.
    #[error("unknown group `{name}`")]
    UnknownGroup {
        /// The name.
        name: String,
        /// The nearest group name.
        suggestion: Option<String>,
    },
    /// A group a standalone directive uses that only a scenario can define.
    #[error("group `{0}` is not built in")]
    GroupNotBuiltIn(String),
    /// `group(...)` with an attribute that is not a country.
    #[error("`{0}` is not a country attribute, so it cannot be in a group")]
    GroupNotCountry(String),
    /// A status that is not one of the four.
    #[error("unknown status `{0}`")]
    UnknownStatus(String),
    /// A segment that no record has and that is not standard (a warning: the rule may be
    /// meant for another population).
    #[error("no record has segment `{value}`")]
    UnknownSegment {
        /// The value.
        value: String,
        /// The nearest known segment.
        suggestion: Option<String>,
    },
    /// A product that the scenario does not define.
    #[error("unknown product `{value}`")]
    UnknownProduct {
        /// The id.
        value: String,
        /// The nearest product id.
        suggestion: Option<String>,
    },
    /// A product a directive or response covers that the scenario does not have: shared
    /// directive files name products of other scenarios.
    #[error("{} names product `{value}`, which this scenario does not have", if *.in_baseline { "the baseline" } else { "this list" })]
    ProductNotInScenario {
        /// The id.
        value: String,
        /// Whether the list is the baseline's.
        in_baseline: bool,
        /// The nearest product id.
        suggestion: Option<String>,
    },
    /// A value no record has (a likely typo).
    #[error("no record has `{attr}` equal to `{value}`")]
    ValueNotInPopulation {
        /// The attribute.
        attr: String,
        /// The value.
        value: String,
        /// The nearest value that records have.
        suggestion: Option<String>,
    },
    /// A license for a directive the scenario does not have.
    #[error("license for unknown directive `{value}`")]
    UnknownLicense {
        /// The directive id.
        value: String,
        /// The nearest directive id.
        suggestion: Option<String>,
    },
}

impl Problem for ResolveError {
    fn help(&self) -> Option<String> {
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            ResolveError::UnknownAttribute { suggestion: Some(s), .. } => Some(format!("did you mean `{s}`?")),
            ResolveError::UnknownAttribute { open: true, .. } => {
                Some("attributes are the built-in ones or columns of the population".into())
            }
            ResolveError::UnknownAttribute { .. } => Some(format!(
                "attributes are {} and the population's extra columns",
                one_of(&BUILT_IN_ATTRIBUTES)
            )),
            ResolveError::NotBoolean(name) => Some(format!("compare it with a value: `{name} == \"...\"`")),
            ResolveError::BooleanCompared(name) => Some(format!("write `{name}` or `not {name}`")),
            ResolveError::UnknownCountry { suggestion: Some((code, name)), .. } => {
                Some(format!("did you mean `{code}` ({name})?"))
            }
            ResolveError::UnknownCountry { .. } => {
                Some("use an ISO 3166-1 alpha-2 code such as `US`, `GB` or `CN`".into())
            }
            ResolveError::UnknownGroup { suggestion, .. } => did_you_mean(suggestion).or_else(|| {
                Some("built-in groups are `A:1` … `A:6`, `B`, `D:1` … `D:5`, `E:1`, `E:2`, `tier1`, `tier2`, `tier3`, `EU` and `united-states`; define others under `[groups]`".into())
            }),
            ResolveError::GroupNotBuiltIn(_) => {
                Some("the scenario that uses this directive must define it under `[groups]`".into())
            }
            ResolveError::GroupNotCountry(_) => {
                Some("use `group(...)` with `nationality` or `residence`".into())
            }
            ResolveError::UnknownStatus(wrong) => Some(match nearest(wrong, Status::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("status is one of {}", one_of(&Status::names())),
            }),
            ResolveError::UnknownSegment { suggestion, .. } => did_you_mean(suggestion).or_else(|| {
                Some(format!("a segment is {}, or another value of the population's `segment` column", one_of(&STANDARD_SEGMENTS)))
            }),
            ResolveError::UnknownProduct { suggestion, .. } => did_you_mean(suggestion)
                .or_else(|| Some("products are defined under `[[products]]`".into())),
            ResolveError::ValueNotInPopulation { suggestion, .. } => did_you_mean(suggestion),
            ResolveError::ProductNotInScenario { suggestion, .. } => did_you_mean(suggestion)
                .or_else(|| Some("it is ignored here; the scenario's products are under `[[products]]`".into())),
            ResolveError::UnknownLicense { suggestion, .. } => did_you_mean(suggestion)
                .or_else(|| Some("a license names the id of a directive of this scenario".into())),
        }
    }

    fn severity(&self) -> Severity {
        match self {
            ResolveError::ValueNotInPopulation { .. }
            | ResolveError::ProductNotInScenario { .. }
            | ResolveError::UnknownSegment { .. }
            | ResolveError::UnknownLicense { .. }
            | ResolveError::GroupNotBuiltIn(_) => Severity::Warning,
            ResolveError::UnknownAttribute { open: true, .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// Each custom group's name and members.
fn group_sets(groups: &[CustomGroup]) -> Vec<(String, CountrySet)> {
    groups
        .iter()
        .map(|g| {
            let mut set = CountrySet::default();
            for (code, _) in &g.members {
                if let Some(id) = reference().country(code) {
                    set.insert(id);
                }
            }
            (g.id.clone(), set)
        })
        .collect()
}

/// What names mean in one scenario.
pub struct Vocabulary<'a> {
    /// The population, if there is one.
    pub population: Option<&'a Population>,
    /// Product ids in scenario order.
    pub products: Vec<String>,
    /// Custom groups: name and members.
    pub groups: Vec<(String, CountrySet)>,
    /// What `us_person` means.
    pub reading: Reading,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of a loaded scenario.
    pub fn of(scenario: &'a Scenario) -> Self {
        Vocabulary {
            population: scenario.has_population.then_some(&scenario.population),
            products: scenario.products.iter().map(|p| p.id.clone()).collect(),
            groups: group_sets(&scenario.groups),
            reading: scenario.reading,
        }
    }

    /// The vocabulary of a scenario's baseline: the scenario's population and products,
    /// the baseline's own groups.
    pub fn of_baseline(scenario: &'a Scenario, baseline: &Baseline) -> Self {
        Vocabulary {
            groups: group_sets(&baseline.groups),
            ..Vocabulary::of(scenario)
        }
    }

    fn attributes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = BUILT_IN_ATTRIBUTES.to_vec();
        if let Some(population) = self.population {
            names.extend(population.extras().iter().map(|c| c.name.as_str()));
        }
        names
    }

    fn group(&self, name: &str) -> Option<CountrySet> {
        self.groups
            .iter()
            .find(|(id, _)| id == name)
            .map(|(_, set)| *set)
            .or_else(|| reference().group(name).map(|g| g.set))
    }

    fn group_names(&self) -> Vec<&str> {
        reference()
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .chain(self.groups.iter().map(|(id, _)| id.as_str()))
            .collect()
    }
}

/// A problem in a condition, located in condition-text bytes.
pub type CondIssue = (crate::source::Span, ResolveError);

/// Compiles a condition, collecting every problem in it.
pub fn compile_condition(
    cond: &Cond,
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<CondIssue>,
) -> Option<Pred> {
    let pred = match &cond.kind {
        CondKind::Bool(b) => Pred::Const(*b),
        CondKind::Not(inner) => Pred::Not(Box::new(compile_condition(inner, vocabulary, issues)?)),
        CondKind::And(a, b) | CondKind::Or(a, b) => {
            let left = compile_condition(a, vocabulary, issues);
            let right = compile_condition(b, vocabulary, issues);
            let (left, right) = (Box::new(left?), Box::new(right?));
            if matches!(cond.kind, CondKind::And(..)) {
                Pred::And(left, right)
            } else {
                Pred::Or(left, right)
            }
        }
        CondKind::Attr(name) => match resolve_attribute(name, vocabulary, issues)? {
            Attribute::Boolean => {
                let definition = reading::definition(&name.name, vocabulary.reading)?;
                // The definitions name only built-in attributes and groups.
                compile_condition(&definition, vocabulary, &mut Vec::new())?
            }
            _ => {
                issues.push((name.span, ResolveError::NotBoolean(name.name.clone())));
                return None;
            }
        },
        CondKind::Compare { attr, op, value } => {
            let attribute = resolve_attribute(attr, vocabulary, issues)?;
            let pred = membership(
                attr,
                attribute,
                std::slice::from_ref(value),
                vocabulary,
                issues,
            )?;
            match op {
                CompareOp::Eq => pred,
                CompareOp::Ne => Pred::Not(Box::new(pred)),
            }
        }
        CondKind::In { attr, negated, set } => {
            let attribute = resolve_attribute(attr, vocabulary, issues)?;
            let pred = match set {
                SetExpr::List { items, .. } => {
                    membership(attr, attribute, items, vocabulary, issues)?
                }
                SetExpr::Group { name, .. } => {
                    group_membership(attr, attribute, name, vocabulary, issues)?
                }
            };
            if *negated {
                Pred::Not(Box::new(pred))
            } else {
                pred
            }
        }
    };
    Some(pred)
}

/// `attr in group("name")`: only country attributes can be in a group.
fn group_membership(
    attr: &Name,
    attribute: Attribute,
    name: &Text,
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<CondIssue>,
) -> Option<Pred> {
    let field = match attribute {
        Attribute::Country(field) => field,
        Attribute::Boolean => {
            let problem = ResolveError::BooleanCompared(attr.name.clone());
            issues.push((attr.span, problem));
            return None;
        }
        _ => {
            let problem = ResolveError::GroupNotCountry(attr.name.clone());
            issues.push((attr.span, problem));
            return None;
        }
    };
    if let Some(set) = vocabulary.group(&name.value) {
        return Some(Pred::Country(field, set));
    }
    let suggestion = nearest(&name.value, vocabulary.group_names()).map(str::to_owned);
    let problem = ResolveError::UnknownGroup {
        name: name.value.clone(),
        suggestion,
    };
    issues.push((name.span, problem));
    None
}

/// What an attribute name refers to.
#[derive(Clone, Copy, Debug)]
enum Attribute {
    /// `us_person` or `foreign_person`: a condition of its own (see [`reading`]).
    Boolean,
    Country(CountryField),
    Status,
    Product,
    Sym(SymField),
    /// A column that may exist but cannot be checked without a population.
    Unchecked,
}

fn resolve_attribute(
    name: &Name,
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<CondIssue>,
) -> Option<Attribute> {
    let attribute = match name.name.as_str() {
        "us_person" | "foreign_person" => Attribute::Boolean,
        "nationality" => Attribute::Country(CountryField::Nationality),
        "residence" => Attribute::Country(CountryField::Residence),
        "status" => Attribute::Status,
        "product" => Attribute::Product,
        "segment" => Attribute::Sym(SymField::Segment),
        "sector" => Attribute::Sym(SymField::Sector),
        other => {
            let extra = vocabulary
                .population
                .and_then(|p| p.extras().iter().position(|c| c.name == other));
            match (extra, vocabulary.population) {
                (Some(index), _) => Attribute::Sym(SymField::Extra(index)),
                (None, population) => {
                    let attributes = vocabulary.attributes();
                    let suggestion = nearest(other, attributes).map(str::to_owned);
                    let open = population.is_none();
                    issues.push((
                        name.span,
                        ResolveError::UnknownAttribute {
                            name: other.to_owned(),
                            suggestion: suggestion.clone(),
                            open,
                        },
                    ));
                    if open && suggestion.is_none() {
                        Attribute::Unchecked
                    } else {
                        return None;
                    }
                }
            }
        }
    };
    Some(attribute)
}

/// `attr` is one of `values`.
fn membership(
    attr: &Name,
    attribute: Attribute,
    values: &[Text],
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<CondIssue>,
) -> Option<Pred> {
    let before = issues.len();
    let pred = match attribute {
        Attribute::Boolean => {
            issues.push((attr.span, ResolveError::BooleanCompared(attr.name.clone())));
            return None;
        }
        Attribute::Unchecked => Pred::Const(false),
        Attribute::Country(field) => Pred::Country(field, country_set(values, issues)),
        Attribute::Status => Pred::Status(status_mask(values, issues)),
        Attribute::Product => Pred::Product(product_mask(values, vocabulary, issues)),
        Attribute::Sym(field) => {
            let Some(population) = vocabulary.population else {
                if field == SymField::Segment {
                    check_standard_segments(values, issues);
                }
                return (issues.len() == before).then_some(Pred::Const(false));
            };
            Pred::Sym(field, symbols(attr, field, values, population, issues)?)
        }
    };
    let errors = issues
        .iter()
        .skip(before)
        .any(|(_, e)| e.severity() == Severity::Error);
    (!errors).then_some(pred)
}

fn country_set(values: &[Text], issues: &mut Vec<CondIssue>) -> CountrySet {
    let mut set = CountrySet::default();
    for value in values {
        match reference().country(&value.value) {
            Some(id) => set.insert(id),
            None => {
                let suggestion = reference()
                    .suggest_country(&value.value)
                    .map(|c| (c.alpha2.clone(), c.name.clone()));
                let code = value.value.clone();
                issues.push((
                    value.span,
                    ResolveError::UnknownCountry { code, suggestion },
                ));
            }
        }
    }
    set
}

fn status_mask(values: &[Text], issues: &mut Vec<CondIssue>) -> u8 {
    let mut mask = 0u8;
    for value in values {
        match Status::parse(&value.value) {
            Some(status) => mask |= 1 << (status as u8),
            None => issues.push((value.span, ResolveError::UnknownStatus(value.value.clone()))),
        }
    }
    mask
}

fn product_mask(values: &[Text], vocabulary: &Vocabulary<'_>, issues: &mut Vec<CondIssue>) -> u64 {
    let mut mask = 0u64;
    for value in values {
        match vocabulary.products.iter().position(|p| *p == value.value) {
            Some(index) if index < 64 => mask |= 1 << index,
            Some(_) => {}
            None => {
                let known = vocabulary.products.iter().map(String::as_str);
                let suggestion = nearest(&value.value, known).map(str::to_owned);
                let value_text = value.value.clone();
                let problem = ResolveError::UnknownProduct {
                    value: value_text,
                    suggestion,
                };
                issues.push((value.span, problem));
            }
        }
    }
    mask
}

/// The population's symbols for `values` of a string column. A segment outside the
/// standard three that no record has is an error; another column's value that no
/// record has is a warning.
fn symbols(
    attr: &Name,
    field: SymField,
    values: &[Text],
    population: &Population,
    issues: &mut Vec<CondIssue>,
) -> Option<Vec<Sym>> {
    let interner = match field {
        SymField::Segment => &population.segments,
        SymField::Sector => &population.sectors,
        SymField::Extra(index) => &population.extras().get(index)?.interner,
    };
    let mut syms = Vec::new();
    for value in values {
        if let Some(sym) = interner.get(&value.value) {
            syms.push(sym);
            continue;
        }
        let standard = STANDARD_SEGMENTS.contains(&value.value.as_str());
        let problem = match field {
            SymField::Segment if standard => continue,
            SymField::Segment => {
                let known = STANDARD_SEGMENTS
                    .iter()
                    .copied()
                    .chain(interner.values().iter().map(String::as_str));
                let suggestion = nearest(&value.value, known).map(str::to_owned);
                let value = value.value.clone();
                ResolveError::UnknownSegment { value, suggestion }
            }
            _ => {
                let known = interner.values().iter().map(String::as_str);
                let suggestion = nearest(&value.value, known).map(str::to_owned);
                ResolveError::ValueNotInPopulation {
                    attr: attr.name.clone(),
                    value: value.value.clone(),
                    suggestion,
                }
            }
        };
        issues.push((value.span, problem));
    }
    Some(syms)
}

fn check_standard_segments(values: &[Text], issues: &mut Vec<CondIssue>) {
    for value in values {
        if !STANDARD_SEGMENTS.contains(&value.value.as_str())
            && let Some(s) = nearest(&value.value, STANDARD_SEGMENTS)
        {
            issues.push((
                value.span,
                ResolveError::UnknownSegment {
                    value: value.value.clone(),
                    suggestion: Some(s.to_owned()),
                },
            ));
        }
    }
}

/// One rule, compiled.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// Its effect.
    pub effect: Effect,
    /// Its condition.
    pub pred: Pred,
}

/// One directive, compiled.
#[derive(Clone, Debug)]
pub struct CompiledDirective {
    /// Index in the scenario's directives.
    pub index: usize,
    /// Products covered, as bits over scenario products.
    pub covers: u64,
    /// Rules in order.
    pub rules: Vec<CompiledRule>,
    /// Effect when no rule matches.
    pub default: Effect,
    /// The population's license bit for this directive, if any record holds one.
    pub license_bit: Option<u32>,
}

/// The rules of one state of the world: the directives and the provider's response, either
/// the scenario's own or its baseline's.
#[derive(Clone, Debug, Default)]
pub struct CompiledPolicy {
    /// Directives in order (all of them; dates are checked at simulation).
    pub directives: Vec<CompiledDirective>,
    /// Whether the gate follows the law.
    pub follows_law: bool,
    /// Response rules.
    pub response_rules: Vec<CompiledRule>,
    /// Products the response rules cover.
    pub response_covers: u64,
}

impl CompiledPolicy {
    /// Every rule, directives first, then the response.
    pub fn rules(&self) -> impl Iterator<Item = &CompiledRule> {
        self.directives
            .iter()
            .flat_map(|d| &d.rules)
            .chain(&self.response_rules)
    }
}

/// The whole scenario, compiled for simulation.
#[derive(Clone, Debug, Default)]
pub struct CompiledScenario {
    /// The scenario's directives and response.
    pub policy: CompiledPolicy,
    /// The baseline's, if the scenario has one (DESIGN §4.7).
    pub baseline: Option<CompiledPolicy>,
    /// Scenario product index of each population product bit.
    pub product_of_bit: Vec<Option<usize>>,
    /// The classes of the population's values that the rules tell apart, unless the rules
    /// split it too finely for a decision table.
    pub classes: Option<ClassMap>,
}

impl CompiledScenario {
    /// The scenario's policy, then the baseline's.
    pub fn policies(&self) -> impl Iterator<Item = &CompiledPolicy> {
        std::iter::once(&self.policy).chain(&self.baseline)
    }
}

fn scope_mask(
    scope: &ProductScope,
    products: &[String],
    in_baseline: bool,
    issues: &mut Vec<(Loc, ResolveError)>,
) -> u64 {
    match scope {
        ProductScope::All => products
            .iter()
            .enumerate()
            .take(64)
            .fold(0, |m, (i, _)| m | 1 << i),
        ProductScope::Only(ids) => {
            let mut mask = 0u64;
            for product in ids {
                match products.iter().position(|p| *p == product.id) {
                    Some(index) if index < 64 => mask |= 1 << index,
                    Some(_) => {}
                    None => {
                        let suggestion = nearest(&product.id, products.iter().map(String::as_str))
                            .map(str::to_owned);
                        issues.push((
                            product.loc,
                            ResolveError::ProductNotInScenario {
                                value: product.id.clone(),
                                in_baseline,
                                suggestion,
                            },
                        ));
                    }
                }
            }
            mask
        }
    }
}

fn compile_rules(
    rules: &[Rule],
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<(Loc, ResolveError)>,
) -> Option<Vec<CompiledRule>> {
    let mut compiled = Vec::new();
    let mut ok = true;
    for rule in rules {
        let Some(cond) = &rule.when else {
            ok = false;
            continue;
        };
        let mut cond_issues = Vec::new();
        let pred = compile_condition(cond, vocabulary, &mut cond_issues);
        issues.extend(
            cond_issues
                .into_iter()
                .map(|(span, e)| (rule.cond_loc(span), e)),
        );
        match pred {
            Some(pred) => compiled.push(CompiledRule {
                effect: rule.effect,
                pred,
            }),
            None => ok = false,
        }
    }
    ok.then_some(compiled)
}

/// Compiles one state's directives and response against `vocabulary`; `None` if a rule
/// does not compile.
fn compile_policy(
    directives: &[Directive],
    response: &Response,
    in_baseline: bool,
    vocabulary: &Vocabulary<'_>,
    issues: &mut Vec<(Loc, ResolveError)>,
) -> Option<CompiledPolicy> {
    let license_ids = vocabulary
        .population
        .map(|p| p.license_ids.as_slice())
        .unwrap_or_default();
    let mut ok = true;
    let mut compiled = Vec::new();
    for (index, directive) in directives.iter().enumerate() {
        let covers = scope_mask(
            &directive.products,
            &vocabulary.products,
            in_baseline,
            issues,
        );
        let license_bit = license_ids
            .iter()
            .position(|l| l.id == directive.id)
            .and_then(|b| u32::try_from(b).ok());
        match compile_rules(&directive.rules, vocabulary, issues) {
            Some(rules) => compiled.push(CompiledDirective {
                index,
                covers,
                rules,
                default: directive.default,
                license_bit,
            }),
            None => ok = false,
        }
    }
    let response_covers = scope_mask(
        &response.products,
        &vocabulary.products,
        in_baseline,
        issues,
    );
    let response_rules = compile_rules(&response.rules, vocabulary, issues);
    Some(CompiledPolicy {
        directives: compiled,
        follows_law: response.follows_law,
        response_rules: response_rules?,
        response_covers,
    })
    .filter(|_| ok)
}

/// Each population product bit's scenario product, reporting products no
/// `[[products]]` entry defines.
fn products_of_bits(
    population: &Population,
    products: &[String],
    issues: &mut Vec<(Loc, ResolveError)>,
) -> Vec<Option<usize>> {
    let mut of_bit = Vec::new();
    for used in &population.product_ids {
        let found = products.iter().position(|p| *p == used.id);
        if found.is_none() {
            let suggestion =
                nearest(&used.id, products.iter().map(String::as_str)).map(str::to_owned);
            issues.push((
                used.loc,
                ResolveError::UnknownProduct {
                    value: used.id.clone(),
                    suggestion,
                },
            ));
        }
        of_bit.push(found);
    }
    of_bit
}

/// Reports every license for a directive that neither the scenario nor its baseline has.
fn check_licenses(scenario: &Scenario, issues: &mut Vec<(Loc, ResolveError)>) {
    let baseline = scenario.baseline.iter().flat_map(|b| &b.directives);
    let ids: Vec<&str> = scenario
        .directives
        .iter()
        .chain(baseline)
        .map(|d| d.id.as_str())
        .collect();
    for used in &scenario.population.license_ids {
        if !ids.contains(&used.id.as_str()) {
            let suggestion = nearest(&used.id, ids.iter().copied()).map(str::to_owned);
            issues.push((
                used.loc,
                ResolveError::UnknownLicense {
                    value: used.id.clone(),
                    suggestion,
                },
            ));
        }
    }
}

/// Compiles a loaded scenario, reporting every name that does not resolve. Returns `None`
/// if anything is an error.
pub fn compile(scenario: &Scenario) -> (Option<CompiledScenario>, Vec<(Loc, ResolveError)>) {
    let vocabulary = Vocabulary::of(scenario);
    let mut issues = Vec::new();
    let policy = compile_policy(
        &scenario.directives,
        &scenario.response,
        false,
        &vocabulary,
        &mut issues,
    );
    let baseline = scenario.baseline.as_ref().map(|baseline| {
        let vocabulary = Vocabulary::of_baseline(scenario, baseline);
        compile_policy(
            &baseline.directives,
            &baseline.response,
            true,
            &vocabulary,
            &mut issues,
        )
    });
    let population = &scenario.population;
    let product_of_bit = products_of_bits(population, &vocabulary.products, &mut issues);
    check_licenses(scenario, &mut issues);
    let errors = issues.iter().any(|(_, e)| e.severity() == Severity::Error);
    let (Some(policy), false, false) = (policy, errors, matches!(baseline, Some(None))) else {
        return (None, issues);
    };
    let mut compiled = CompiledScenario {
        policy,
        baseline: baseline.flatten(),
        product_of_bit,
        classes: None,
    };
    compiled.classes = ClassMap::build(&compiled, population, vocabulary.products.len());
    (Some(compiled), issues)
}

/// Compiles a standalone directive's conditions, for `cutoff check` on a directive file.
pub fn check_directive(directive: &crate::model::Directive) -> Vec<(Loc, ResolveError)> {
    let products = match &directive.products {
        ProductScope::All => Vec::new(),
        ProductScope::Only(ids) => ids.iter().map(|p| p.id.clone()).collect(),
    };
    let vocabulary = Vocabulary {
        population: None,
        products,
        groups: Vec::new(),
        reading: Reading::default(),
    };
    let mut issues = Vec::new();
    let all_products = matches!(directive.products, ProductScope::All);
    let _ = compile_rules(&directive.rules, &vocabulary, &mut issues);
    if all_products {
        // Without a scenario, any product id may exist.
        issues.retain(|(_, e)| !matches!(e, ResolveError::UnknownProduct { .. }));
    }
    // Without a scenario, a group that is not near a built-in name may be a custom one.
    for (_, issue) in &mut issues {
        if let ResolveError::UnknownGroup {
            name,
            suggestion: None,
        } = issue
        {
            *issue = ResolveError::GroupNotBuiltIn(std::mem::take(name));
        }
    }
    issues
}

/// The country ids of a set, as codes.
pub fn country_codes(set: &CountrySet) -> Vec<&'static str> {
    set.iter()
        .map(|id: CountryId| reference().code(id))
        .collect()
}
