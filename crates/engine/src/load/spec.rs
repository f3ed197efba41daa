//! Populations described by sourced parameters (`*.population.toml`): segment sizes and
//! shares by residence, U.S.-person status, nationality, sector, products and any extra
//! attribute, each naming its source. The engine expands a spec deterministically into
//! weighted records, assuming the dimensions independent within a segment.

use thiserror::Error;
use toml::de::{DeTable, DeValue};

use std::cell::Cell;

use crate::load::{Cx, LoadError, TableReader};
use crate::model::population::{
    MAX_IDS, MAX_ROWS, Population, Record, Status, UsedId, WRITTEN_COLUMNS, csv_writer,
};
use crate::model::reading::Reading;
use crate::model::reference::reference;
use crate::source::Loc;
use crate::source::Span;
use crate::source::diagnostic::Problem;

/// A named share table: value → relative weight (normalized on expansion).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shares {
    /// Values and their relative weights, in file order.
    pub entries: Vec<(String, f64)>,
    /// The id of the source the numbers come from, or `illustrative`.
    pub source: String,
    /// Entries written with bounds, `{ value, low, high }`: the entry's low and high
    /// weights, on the same scale as its value.
    pub bounds: Vec<(String, Option<f64>, Option<f64>)>,
}

impl Shares {
    /// Adds an entry, keeping its bounds if it has any.
    fn push_bounded(&mut self, key: &str, value: f64, low: Option<f64>, high: Option<f64>) {
        self.entries.push((key.to_owned(), value));
        if low.is_some() || high.is_some() {
            self.bounds.push((key.to_owned(), low, high));
        }
    }

    /// The table as the spec writes it: each entry's weight, with its bounds where it has
    /// any.
    fn inline_table(&self) -> toml_edit::InlineTable {
        self.entries
            .iter()
            .map(|(key, weight)| {
                let bounds = self.bounds.iter().find(|(k, ..)| k == key);
                let param = Param {
                    value: *weight,
                    low: bounds.and_then(|b| b.1),
                    high: bounds.and_then(|b| b.2),
                    source: String::new(),
                };
                (key.as_str(), bounded_value(&param))
            })
            .collect()
    }

    fn total(&self) -> f64 {
        self.entries.iter().map(|(_, w)| w).sum()
    }

    /// Each value with its share of the total (0 when the total is 0).
    pub fn normalized(&self) -> impl Iterator<Item = (&str, f64)> {
        let total = self.total();
        self.entries
            .iter()
            .map(move |(v, w)| (v.as_str(), if total > 0.0 { w / total } else { 0.0 }))
    }

    /// The share of one value (0 if absent).
    pub fn share(&self, value: &str) -> f64 {
        self.normalized()
            .find(|(v, _)| *v == value)
            .map_or(0.0, |(_, s)| s)
    }
}

/// Where the spec's numbers come from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecSource {
    /// Referenced from share tables.
    pub id: String,
    /// Title of the work.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// When.
    pub date: String,
    /// Where to find it.
    pub url: String,
    /// What kind of fact it is.
    pub basis: Option<crate::model::Basis>,
}

/// One number of a spec with the bounds its sources give (or, where none does, the
/// bounds an illustration assumes), and the source it comes from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Param {
    /// The value used.
    pub value: f64,
    /// The lowest plausible value, if given.
    pub low: Option<f64>,
    /// The highest plausible value, if given.
    pub high: Option<f64>,
    /// The id of its source, or `illustrative`.
    pub source: String,
}

/// Accounts held by organisations rather than people (`status = "entity"`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Organisations {
    /// Share (0–1) of the segment's accounts held by organisations.
    pub share: Param,
    /// Share (0–1) of the organisations' accounts outside the United States that belong to
    /// offices of U.S.-organised organisations (U.S. persons under 15 CFR 772.1).
    pub us_organised_abroad: Param,
    /// Share (0–1) of the organisations' accounts inside the United States that belong to
    /// U.S. offices of organisations organised elsewhere (their nationality follows
    /// `nationality_in_us`).
    pub foreign_organised_in_us: Param,
}

/// One segment's parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentSpec {
    /// The segment name (`customer`, `employee`, `researcher`, …).
    pub segment: String,
    /// How many people.
    pub people: f64,
    /// The source of `people`.
    pub people_source: String,
    /// Bounds on `people`, where given.
    pub people_range: (Option<f64>, Option<f64>),
    /// Accounts held by organisations.
    pub organisations: Organisations,
    /// Share (0–1) of the individuals living outside the United States who are U.S.
    /// citizens.
    pub us_citizens_abroad: Param,
    /// Where they live.
    pub residence: Shares,
    /// Status of those who live in the United States.
    pub status_in_us: Shares,
    /// Nationality of the non-citizens who live in the United States.
    pub nationality_in_us: Shares,
    /// Sector.
    pub sector: Shares,
    /// Product sets (`"fable-5;mythos-5"`).
    pub products: Shares,
    /// Extra attributes, each a share table.
    pub attributes: Vec<(String, Shares)>,
}

impl PopulationSpec {
    /// What a share or size rests on: its source's basis, or illustrative when no source
    /// (or `illustrative`) is named.
    pub fn basis_of(&self, source_id: &str) -> Option<crate::model::Basis> {
        if source_id.is_empty() || source_id == "illustrative" {
            return Some(crate::model::Basis::Illustrative);
        }
        self.sources
            .iter()
            .find(|s| s.id == source_id)
            .and_then(|s| s.basis)
    }
}

/// A whole population spec.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PopulationSpec {
    /// Title.
    pub title: String,
    /// What it describes, and what is illustrative.
    pub description: String,
    /// Sources.
    pub sources: Vec<SpecSource>,
    /// Segments in file order.
    pub segments: Vec<SegmentSpec>,
}

/// Changes a reader makes to a spec's key parameters, such as with the app's sliders.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Adjustments {
    /// Per segment, by name.
    pub segments: Vec<SegmentAdjustment>,
}

/// Changes to one segment; `None` keeps the spec's value.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SegmentAdjustment {
    /// The segment's name.
    pub segment: String,
    /// How many people.
    pub people: Option<f64>,
    /// The share (0–1) who live in the United States.
    pub us_share: Option<f64>,
    /// The share (0–1) of U.S. residents who are foreign nationals.
    pub foreign_share: Option<f64>,
    /// Other numbers of the segment set by name (`organisations.share`,
    /// `us_citizens_abroad`, `TABLE.KEY`, `attributes.NAME.KEY`; see
    /// [`crate::load::parameters`]), applied before the three above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<(String, f64)>,
}

/// What can be wrong with a `--set PARAM=VALUE`.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SetError {
    /// Not `PARAM=VALUE`.
    #[error("`{0}` is not `PARAM=VALUE`")]
    NotAnAssignment(String),
    /// A parameter the spec does not have.
    #[error("unknown parameter `{name}`")]
    UnknownParameter {
        /// The parameter.
        name: String,
        /// Every parameter the spec has.
        known: Vec<String>,
    },
    /// A value that is not a number in range.
    #[error("`{name}` must be {expected}, not `{value}`")]
    BadValue {
        /// The parameter.
        name: String,
        /// What it must be.
        expected: &'static str,
        /// What was given.
        value: String,
    },
}

impl Problem for SetError {
    fn help(&self) -> Option<String> {
        match self {
            SetError::UnknownParameter { name, known } => Some(
                match crate::source::suggest::nearest(name, known.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "parameters are {}, and any number the spec writes, as `SEGMENT.TABLE.KEY`",
                        known
                            .iter()
                            .filter(|k| k.matches('.').count() == 1)
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            ),
            SetError::NotAnAssignment(_) => {
                Some("write it as `customer.size=50000` or `employee.foreign_share=0.2`".into())
            }
            SetError::BadValue { .. } => None,
        }
    }
}

/// The parameters `--set` can change in a spec: `SEGMENT.size`, `SEGMENT.us_share` and
/// `SEGMENT.foreign_share` for each segment.
pub fn parameters(spec: &PopulationSpec) -> Vec<String> {
    spec.segments
        .iter()
        .flat_map(|s| ["size", "us_share", "foreign_share"].map(|p| format!("{}.{p}", s.segment)))
        .collect()
}

impl Adjustments {
    /// Applies `PARAM=VALUE` (DESIGN §5 `--set`) for `spec`: `SEGMENT.size`,
    /// `SEGMENT.us_share`, `SEGMENT.foreign_share`, or any number the spec writes (see
    /// [`crate::load::parameters`]).
    pub fn set(&mut self, spec: &PopulationSpec, assignment: &str) -> Result<(), SetError> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| SetError::NotAnAssignment(assignment.to_owned()))?;
        let (name, value) = (name.trim(), value.trim());
        let unknown = || SetError::UnknownParameter {
            name: name.to_owned(),
            known: crate::load::parameters::settable(spec),
        };
        let (segment, parameter) =
            crate::load::parameters::split_name(spec, name).ok_or_else(unknown)?;
        let kind = crate::load::parameters::kind(segment, parameter).ok_or_else(unknown)?;
        let number = value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .filter(|v| kind.accepts(*v))
            .ok_or_else(|| SetError::BadValue {
                name: name.to_owned(),
                expected: kind.expected(),
                value: value.to_owned(),
            })?;
        let change = self.segment_mut(&segment.segment);
        match parameter {
            "size" => change.people = Some(number),
            "us_share" => change.us_share = Some(number),
            "foreign_share" => change.foreign_share = Some(number),
            path => {
                change.values.retain(|(p, _)| p != path);
                change.values.push((path.to_owned(), number));
            }
        }
        Ok(())
    }

    /// The adjustment for a segment, created if absent.
    pub fn segment_mut(&mut self, segment: &str) -> &mut SegmentAdjustment {
        let index = match self.segments.iter().position(|s| s.segment == segment) {
            Some(index) => index,
            None => {
                self.segments.push(SegmentAdjustment {
                    segment: segment.to_owned(),
                    ..SegmentAdjustment::default()
                });
                self.segments.len() - 1
            }
        };
        #[expect(
            clippy::indexing_slicing,
            reason = "the index was just found or pushed"
        )]
        &mut self.segments[index]
    }
}

impl Shares {
    /// Sets the share (0–1) of the entries in `group` together, keeping the proportions
    /// within the group and among the others; the first of `group` stands for it when none
    /// of its entries is present.
    pub fn set_group_share(&mut self, group: &[&str], share: f64) {
        let in_group = |key: &str| group.iter().any(|g| g.eq_ignore_ascii_case(key));
        let inside: f64 = self
            .entries
            .iter()
            .filter(|(k, _)| in_group(k))
            .map(|(_, w)| w)
            .sum();
        match group.first() {
            Some(first) if inside <= 0.0 => self.set_share(first, share),
            _ => {
                let total = self.total();
                let share = share.clamp(0.0, 1.0);
                let outside = total - inside;
                self.bounds.clear();
                for (key, w) in &mut self.entries {
                    *w = if in_group(key) {
                        *w / inside * share
                    } else if outside > 0.0 {
                        *w / outside * (1.0 - share)
                    } else {
                        *w
                    };
                }
            }
        }
    }

    /// The share (0–1) of the entries in `group` together.
    pub fn group_share(&self, group: &[&str]) -> f64 {
        let total = self.total();
        if total <= 0.0 {
            return 0.0;
        }
        let inside: f64 = self
            .entries
            .iter()
            .filter(|(k, _)| group.iter().any(|g| g.eq_ignore_ascii_case(k)))
            .map(|(_, w)| w)
            .sum();
        inside / total
    }

    /// Sets `key`'s share of the total to `share` (0–1), keeping the others' proportions.
    pub fn set_share(&mut self, key: &str, share: f64) {
        // The reader's value replaces the spec's, and the table is now on another scale:
        // its bounds no longer apply.
        self.bounds.clear();
        let share = share.clamp(0.0, 1.0);
        let others: f64 = self
            .entries
            .iter()
            .filter(|(k, _)| k != key)
            .map(|(_, w)| w)
            .sum();
        let total = if others > 0.0 {
            1.0
        } else {
            share.max(f64::MIN_POSITIVE)
        };
        for (k, w) in &mut self.entries {
            if k != key {
                *w = *w / others.max(f64::MIN_POSITIVE) * (1.0 - share) * total;
            }
        }
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some((_, w)) => *w = share,
            None => self.entries.push((key.to_owned(), share)),
        }
    }
}

impl PopulationSpec {
    /// Applies a reader's adjustments.
    pub fn adjust(&mut self, adjustments: &Adjustments) {
        for change in &adjustments.segments {
            let Some(segment) = self
                .segments
                .iter_mut()
                .find(|s| s.segment == change.segment)
            else {
                continue;
            };
            for (path, value) in &change.values {
                crate::load::parameters::set_value(segment, path, *value);
            }
            if let Some(people) = change.people.filter(|p| p.is_finite() && *p >= 0.0) {
                segment.people = people;
            }
            if let Some(share) = change.us_share {
                segment.residence.set_group_share(&united_states(), share);
            }
            if let Some(share) = change.foreign_share {
                segment.status_in_us.set_share("foreign_national", share);
                if segment.nationality_in_us.entries.is_empty() && share > 0.0 {
                    segment.nationality_in_us.entries.push(("CN".into(), 1.0));
                }
            }
        }
    }

    /// The share (0–1) of `segment` living in the U.S., and of those the foreign nationals.
    pub fn key_shares(&self, segment: &str) -> Option<(f64, f64, f64)> {
        let s = self.segments.iter().find(|s| s.segment == segment)?;
        Some((
            s.people,
            s.residence.group_share(&united_states()),
            s.status_in_us.share("foreign_national"),
        ))
    }
}

/// The country codes of the United States as 15 CFR 772.1 defines it (`US` first).
fn united_states() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = reference()
        .group(crate::model::reference::UNITED_STATES)
        .map(|g| g.members.iter().map(String::as_str).collect())
        .unwrap_or_default();
    crate::source::ordering::sort_by_key(&mut codes, |c| *c != "US");
    codes
}

/// What can be wrong with a population spec.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SpecError {
    /// A share that is not a non-negative number.
    #[error("share `{0}` must be a number of zero or more")]
    BadShare(String),
    /// A country code that is not ISO 3166-1 alpha-2.
    #[error("unknown country code `{0}`")]
    UnknownCountry(String),
    /// A status name that is not one of the four.
    #[error("unknown status `{0}`")]
    UnknownStatus(String),
    /// A table whose shares add up to nothing.
    #[error("the shares of `{0}` add up to zero")]
    ZeroShares(String),
    /// `people` that is not positive.
    #[error("`people` must be a positive number")]
    BadPeople,
    /// Non-citizens or foreign organisations in the U.S. with no `nationality_in_us`.
    #[error("non-citizens in the United States need `nationality_in_us`")]
    NoNationalities,
    /// A share outside 0 to 1.
    #[error("`{0}` must be a share from 0 to 1")]
    NotAShare(String),
    /// Bounds that do not hold the value.
    #[error("bounds {low} to {high} do not hold the value {value}")]
    BadBounds {
        /// The low bound.
        low: f64,
        /// The value.
        value: f64,
        /// The high bound.
        high: f64,
    },
    /// A source id not listed under `[[sources]]`.
    #[error("unknown source `{0}`")]
    UnknownSource(String),
    /// A counts file that could not be read or parsed.
    #[error("cannot use `{path}`: {reason}")]
    CountsFile {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Problem for SpecError {
    fn help(&self) -> Option<String> {
        Some(match self {
            SpecError::NoNationalities => {
                "add their countries as relative weights, such as `nationality_in_us = { IN = 40, CN = 30 }`".into()
            }
            SpecError::BadBounds { .. } => {
                "write the bounds so that `low` ≤ `value` ≤ `high`".into()
            }
            SpecError::NotAShare(_) => "a share is a number from 0 to 1, such as `0.25`".into(),
            SpecError::BadShare(_) => "shares are relative weights such as `0.3` or `2500`".into(),
            SpecError::UnknownCountry(_) => {
                "use ISO 3166-1 alpha-2 codes such as `US` or `IN`".into()
            }
            SpecError::UnknownStatus(status) if status == "entity" => {
                "organisations are written with `organisations = { share = 0.3 }`, not as a status of people".into()
            }
            SpecError::UnknownStatus(_) => {
                "statuses are `citizen`, `permanent_resident`, `protected` and `foreign_national`"
                    .into()
            }
            SpecError::UnknownSource(_) => {
                "list it under `[[sources]]` with an `id`, or write `illustrative`".into()
            }
            _ => return None,
        })
    }
}

const DIMENSIONS: [&str; 5] = [
    "residence",
    "status_in_us",
    "nationality_in_us",
    "sector",
    "products",
];

/// Reads a spec from a parsed TOML root. `read_counts` reads a counts CSV named by
/// `residence = { counts = "file.csv" }`, relative to the spec.
pub(crate) fn read_spec(
    cx: &Cx<'_>,
    root: &DeTable<'_>,
    read_counts: &dyn Fn(&str) -> Result<String, String>,
) -> Option<PopulationSpec> {
    let table = TableReader::new(cx, root, Span::default(), "the population spec");
    let mut spec = PopulationSpec {
        title: table.string("title").map(|(s, _)| s).unwrap_or_default(),
        description: table
            .string("description")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        sources: read_spec_sources(cx, &table),
        ..PopulationSpec::default()
    };
    let mut ok = true;
    for (item, span) in table.tables("segments") {
        let segment = SegmentReader {
            cx,
            reader: TableReader::new(cx, item, span, "a segment"),
            sources: &spec.sources,
            read_counts,
            ok: Cell::new(true),
        };
        let read = segment.read();
        ok &= segment.ok.get();
        spec.segments.push(read);
    }
    table.finish(&["title", "description", "sources", "segments"]);
    ok.then_some(spec)
}

/// Reads `[[sources]]`: each with an `id` the segments cite.
fn read_spec_sources(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Vec<SpecSource> {
    table
        .tables("sources")
        .into_iter()
        .map(|(item, span)| {
            let reader = TableReader::new(cx, item, span, "a source");
            let id = reader.string("id").map(|(s, _)| s).unwrap_or_default();
            let source = crate::load::read_source(cx, &reader);
            SpecSource {
                id,
                title: source.title,
                publisher: source.publisher,
                date: source.date,
                url: source.url,
                basis: source.basis,
            }
        })
        .collect()
}

/// The reader of one `[[segments]]` table; `ok` turns false on any error.
struct SegmentReader<'a, 'c, 't> {
    cx: &'a Cx<'c>,
    reader: TableReader<'a, 't>,
    sources: &'a [SpecSource],
    read_counts: &'a dyn Fn(&str) -> Result<String, String>,
    ok: Cell<bool>,
}

impl SegmentReader<'_, '_, '_> {
    fn fail(&self, loc: Loc, problem: impl Problem + 'static) {
        self.cx.report(loc, problem);
        self.ok.set(false);
    }

    /// Reads the whole segment.
    fn read(&self) -> SegmentSpec {
        let reader = &self.reader;
        let (people, people_range) = self.people();
        let residence = self.shares("residence", Check::Country);
        let status_in_us = self.shares("status_in_us", Check::Status);
        let nationality_in_us = self.shares("nationality_in_us", Check::Country);
        let sector = self.shares("sector", Check::Any);
        let products = self.shares("products", Check::Any);
        let attributes = self.attributes();
        self.check_dimensions();
        let organisations = self.organisations();
        let us_citizens_abroad = self.share("us_citizens_abroad", reader.get("us_citizens_abroad"));
        if nationality_in_us.entries.is_empty() {
            self.check_nationalities_needed(&status_in_us, &organisations);
        }
        reader.finish(&[
            "segment",
            "people",
            "organisations",
            "us_citizens_abroad",
            "residence",
            "status_in_us",
            "nationality_in_us",
            "sector",
            "products",
            "attributes",
            "sources",
        ]);
        SegmentSpec {
            segment: reader.string("segment").map(|(s, _)| s).unwrap_or_default(),
            people,
            people_source: self.source_of("people"),
            people_range,
            organisations,
            us_citizens_abroad,
            residence,
            status_in_us,
            nationality_in_us,
            sector,
            products,
            attributes,
        }
    }

    /// `people`: a positive number, with its bounds.
    fn people(&self) -> (f64, (Option<f64>, Option<f64>)) {
        let Some(value) = self.reader.get("people") else {
            let key = "people";
            let what = "a segment";
            self.fail(self.reader.header(), LoadError::MissingKey { key, what });
            return (0.0, (None, None));
        };
        match bounded(self.cx, value) {
            Some((people, low, high)) if people > 0.0 => (people, (low, high)),
            param => {
                self.fail(self.cx.loc(value.span()), SpecError::BadPeople);
                (
                    0.0,
                    param.map_or((None, None), |(_, low, high)| (low, high)),
                )
            }
        }
    }

    /// The source a dimension cites in the segment's `[sources]`, or `illustrative`.
    fn source_of(&self, dimension: &str) -> String {
        let Some((sources, _)) = self.reader.table("sources") else {
            return "illustrative".into();
        };
        let Some((_, value)) = sources.iter().find(|(k, _)| k.get_ref() == dimension) else {
            return "illustrative".into();
        };
        let DeValue::String(id) = value.get_ref() else {
            return "illustrative".into();
        };
        if id != "illustrative" && !self.sources.iter().any(|s| s.id == *id) {
            let problem = SpecError::UnknownSource(id.to_string());
            self.cx.report(self.cx.loc(value.span()), problem);
        }
        id.to_string()
    }

    /// A table of shares, or `{ counts = "file.csv" }`.
    fn shares(&self, key: &str, check: Check) -> Shares {
        let Some(value) = self.reader.get(key) else {
            return Shares::default();
        };
        let reported = self.cx.issues.borrow().len();
        let mut out = Shares {
            entries: Vec::new(),
            source: self.source_of(key),
            bounds: Vec::new(),
        };
        let DeValue::Table(entries) = value.get_ref() else {
            self.reader.wrong_type(key, value, "a table of shares");
            return out;
        };
        match entries.iter().find(|(k, _)| k.get_ref() == "counts") {
            Some((_, counts)) => self.counts_file(key, counts, &mut out),
            None => self.listed_shares(entries, check, &mut out),
        }
        // Say the total is zero only when nothing more precise was said.
        if out.total() <= 0.0 && self.cx.issues.borrow().len() == reported {
            let problem = SpecError::ZeroShares(key.to_owned());
            self.fail(self.cx.loc(value.span()), problem);
        }
        out
    }

    /// Shares read from a counts CSV beside the spec.
    fn counts_file(&self, key: &str, counts: &toml::Spanned<DeValue<'_>>, out: &mut Shares) {
        let DeValue::String(path) = counts.get_ref() else {
            self.reader.wrong_type(key, counts, "a path");
            return;
        };
        match (self.read_counts)(path).and_then(|text| parse_counts(&text)) {
            Ok(entries) => out.entries = entries,
            Err(reason) => {
                let path = path.to_string();
                self.fail(
                    self.cx.loc(counts.span()),
                    SpecError::CountsFile { path, reason },
                );
            }
        }
    }

    /// Shares written out as `name = share`, each name checked.
    fn listed_shares(&self, entries: &DeTable<'_>, check: Check, out: &mut Shares) {
        for (name, weight) in entries.iter() {
            let name_text: &str = name.get_ref();
            if !check.accepts(name_text) {
                let problem = match check {
                    Check::Country => SpecError::UnknownCountry(name_text.to_owned()),
                    _ => SpecError::UnknownStatus(name_text.to_owned()),
                };
                self.fail(self.cx.loc(name.span()), problem);
                continue;
            }
            self.push_share(out, name_text, weight);
        }
    }

    /// Adds one non-negative share with its bounds, or reports it.
    fn push_share(&self, out: &mut Shares, name: &str, weight: &toml::Spanned<DeValue<'_>>) {
        match bounded(self.cx, weight) {
            Some((w, low, high)) if w >= 0.0 && w.is_finite() => {
                out.push_bounded(name, w, low, high);
            }
            _ => {
                let problem = SpecError::BadShare(name.to_owned());
                self.fail(self.cx.loc(weight.span()), problem);
            }
        }
    }

    /// `[segments.attributes]`: extra columns, each a table of shares.
    fn attributes(&self) -> Vec<(String, Shares)> {
        let Some((extra, _)) = self.reader.table("attributes") else {
            return Vec::new();
        };
        let mut attributes = Vec::new();
        for (name, value) in extra.iter() {
            let name: &str = name.get_ref();
            let DeValue::Table(entries) = value.get_ref() else {
                continue;
            };
            let mut out = Shares {
                entries: Vec::new(),
                source: self.source_of(name),
                bounds: Vec::new(),
            };
            for (key, weight) in entries.iter() {
                self.push_share(&mut out, key.get_ref(), weight);
            }
            attributes.push((name.to_owned(), out));
        }
        attributes
    }

    /// Every dimension a segment must have (all but the two in-U.S. ones).
    fn check_dimensions(&self) {
        for dimension in DIMENSIONS {
            if self.reader.get(dimension).is_none()
                && dimension != "nationality_in_us"
                && dimension != "status_in_us"
            {
                let key = dimension_key(dimension);
                let what = "a segment";
                self.fail(self.reader.header(), LoadError::MissingKey { key, what });
            }
        }
    }

    /// One share between 0 and 1, with its bounds and source.
    fn share(&self, key: &str, value: Option<&toml::Spanned<DeValue<'_>>>) -> Param {
        let Some(value) = value else {
            return Param {
                source: self.source_of(key),
                ..Param::default()
            };
        };
        let (v, low, high) = bounded(self.cx, value).unwrap_or_default();
        if !(0.0..=1.0).contains(&v) {
            let problem = SpecError::NotAShare(key.to_owned());
            self.cx.report(self.cx.loc(value.span()), problem);
        }
        Param {
            value: v,
            low,
            high,
            source: self.source_of(key),
        }
    }

    /// `[segments.organisations]`: the share of records that are organisations, and where
    /// they are organised.
    fn organisations(&self) -> Organisations {
        let Some((table, span)) = self.reader.table("organisations") else {
            return Organisations::default();
        };
        let inner = TableReader::new(self.cx, table, span, "the organisations");
        let param = |key: &str| self.share("organisations", inner.get(key));
        let organisations = Organisations {
            share: param("share"),
            us_organised_abroad: param("us_organised_abroad"),
            foreign_organised_in_us: param("foreign_organised_in_us"),
        };
        inner.finish(&["share", "us_organised_abroad", "foreign_organised_in_us"]);
        organisations
    }

    /// Non-citizens in the U.S. need countries: without them they would vanish.
    fn check_nationalities_needed(&self, status_in_us: &Shares, organisations: &Organisations) {
        let non_citizens = status_in_us
            .entries
            .iter()
            .any(|(status, w)| status != "citizen" && *w > 0.0);
        let foreign_offices =
            organisations.share.value > 0.0 && organisations.foreign_organised_in_us.value > 0.0;
        let at = match (non_citizens, foreign_offices) {
            (true, _) => self.reader.get("status_in_us"),
            (false, true) => self.reader.get("organisations"),
            (false, false) => None,
        };
        if let Some(value) = at {
            self.fail(self.cx.loc(value.span()), SpecError::NoNationalities);
        }
    }
}

fn dimension_key(dimension: &str) -> &'static str {
    DIMENSIONS
        .iter()
        .find(|d| **d == dimension)
        .copied()
        .unwrap_or("residence")
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn sets_one_share_and_keeps_the_others_proportions() {
        let mut shares = super::Shares {
            bounds: Vec::new(),
            entries: vec![
                ("US".into(), 60.0),
                ("DE".into(), 30.0),
                ("FR".into(), 10.0),
            ],
            source: String::new(),
        };
        shares.set_share("US", 0.2);
        assert!((shares.share("US") - 0.2).abs() < 1e-12);
        assert!((shares.share("DE") - 0.6).abs() < 1e-12);
        assert!((shares.share("FR") - 0.2).abs() < 1e-12);
        let mut only = super::Shares {
            bounds: Vec::new(),
            entries: vec![("citizen".into(), 1.0)],
            source: String::new(),
        };
        only.set_share("foreign_national", 0.25);
        assert!((only.share("foreign_national") - 0.25).abs() < 1e-12);
    }

    #[test]
    fn the_apportioned_sum_is_the_sum_of_the_apportioned_rows() {
        use super::{ApportionScratch, apportioned_sum};
        let mut scratch = ApportionScratch::default();
        // A small deterministic generator: weights with many ties, zeros and tiny rows.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..400 {
            let rows = 1 + (next() % 300) as usize;
            let weights: Vec<f64> = (0..rows)
                .map(|_| match next() % 5 {
                    0 => 0.0,
                    1 => 1.0,
                    2 => (next() % 7) as f64 * 0.25,
                    _ => (next() % 1_000_000) as f64 / 1e7,
                })
                .collect();
            let chosen: Vec<bool> = (0..rows).map(|_| next() % 3 == 0).collect();
            let total = [0.0, 1.0, 7.0, 1000.0, 123_457.0][case % 5] + (next() % 50) as f64;
            let expected: u64 = apportion(&weights, total)
                .iter()
                .zip(&chosen)
                .filter(|(_, c)| **c)
                .map(|(n, _)| *n)
                .sum();
            assert_eq!(
                apportioned_sum(&weights, total, &chosen, &mut scratch),
                expected,
                "case {case}: {weights:?} {total}"
            );
        }
    }

    #[test]
    fn apportions_whole_people_exactly() {
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 10.0), vec![4, 3, 3]);
        assert_eq!(apportion(&[0.6, 0.4], 5.0), vec![3, 2]);
        assert_eq!(apportion(&[0.0, 2.0], 7.0), vec![0, 7]);
        assert_eq!(apportion(&[], 7.0), Vec::<u64>::new());
        let many: Vec<f64> = (1..500).map(f64::from).collect();
        assert_eq!(apportion(&many, 200_000.0).iter().sum::<u64>(), 200_000);
    }

    /// The largest remainder method written plainly: floors, then one more person for
    /// each row in order of remainder (earlier rows first on ties), every row sorted.
    fn plainly(weights: &[f64], total: f64) -> Vec<u64> {
        let sum: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights.iter().map(|w| w / sum * total).collect();
        let mut people: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
        let left = total as u64 - people.iter().sum::<u64>();
        let mut order: Vec<usize> = (0..exact.len()).collect();
        let remainder = |i: usize| exact[i] - exact[i].floor();
        order.sort_by(|a, b| remainder(*b).total_cmp(&remainder(*a)).then(a.cmp(b)));
        for index in order.into_iter().take(left as usize) {
            people[index] += 1;
        }
        people
    }

    #[test]
    fn apportions_as_the_plain_method_does_with_empty_and_whole_rows() {
        // Rows with no one, rows whose share is whole, ties, and many small rows: the
        // cases where ranking only rows with a remainder could differ.
        let cases: Vec<(Vec<f64>, f64)> = vec![
            (vec![0.0, 1.0, 0.0, 1.0, 0.0, 1.0], 10.0),
            (vec![2.0, 2.0, 0.0, 4.0], 8.0),
            (vec![0.1, 0.0, 0.2, 0.0, 0.3, 0.4], 7.0),
            (
                (0..3000).map(|i| f64::from(i % 7) * 0.37).collect(),
                200_000.0,
            ),
            ((0..3000).map(|i| f64::from((i * 31) % 11)).collect(), 999.0),
            (vec![1.0 / 3.0; 9], 10.0),
        ];
        for (weights, total) in cases {
            assert_eq!(
                apportion(&weights, total),
                plainly(&weights, total),
                "{weights:?}"
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Check {
    Country,
    Status,
    Any,
}

impl Check {
    fn accepts(self, value: &str) -> bool {
        match self {
            Check::Country => reference().country(value).is_some(),
            // Organisations are written with `organisations`, not as a status of people.
            Check::Status => Status::parse(value).is_some_and(|s| !s.is_entity()),
            Check::Any => true,
        }
    }
}

/// A number as the spec writes it: plain, or `{ value, low, high }` with its bounds.
fn bounded_value(param: &Param) -> toml_edit::Value {
    if param.low.is_none() && param.high.is_none() {
        return param.value.into();
    }
    let mut table = toml_edit::InlineTable::new();
    table.insert("value", param.value.into());
    if let Some(low) = param.low {
        table.insert("low", low.into());
    }
    if let Some(high) = param.high {
        table.insert("high", high.into());
    }
    table.into()
}

/// A number, or a table `{ value, low, high }` with bounds: the value and the bounds given.
fn bounded(
    cx: &Cx<'_>,
    value: &toml::Spanned<DeValue<'_>>,
) -> Option<(f64, Option<f64>, Option<f64>)> {
    let DeValue::Table(table) = value.get_ref() else {
        return number(value.get_ref()).map(|v| (v, None, None));
    };
    let reader = TableReader::new(cx, table, value.span().into(), "a bounded number");
    let get = |key: &str| reader.get(key).and_then(|v| number(v.get_ref()));
    let found = get("value").map(|v| (v, get("low"), get("high")));
    if found.is_none() {
        cx.report(
            reader.header(),
            crate::load::LoadError::MissingKey {
                key: "value",
                what: "a bounded number",
            },
        );
    }
    if let Some((v, Some(low), Some(high))) = found
        && !(low <= v && v <= high)
    {
        cx.report(
            reader.header(),
            SpecError::BadBounds {
                low,
                value: v,
                high,
            },
        );
    }
    reader.finish(&["value", "low", "high"]);
    found
}

fn number(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    }
}

/// Reads `code,count` rows after a header; rows whose code is not a country (such as
/// GitHub's `EU` aggregate) are left out.
fn parse_counts(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let (Some(code), Some(count)) = (record.get(0), record.get(1)) else {
            continue;
        };
        let line = record.position().map_or(0, csv::Position::line);
        let count: f64 = count
            .parse()
            .map_err(|_| format!("line {line}: `{count}` is not a number"))?;
        if reference().country(code.trim()).is_some() && count > 0.0 {
            out.push((code.trim().to_ascii_uppercase(), count));
        }
    }
    if out.is_empty() {
        return Err("no country rows".into());
    }
    Ok(out)
}

/// A nationality, status and residence combination of a segment, with its share; the
/// names borrow from the spec (or are `US`), so that listing them allocates no string.
type Origin<'s> = (&'s str, &'static str, &'s str, f64);

/// Every combination of nationality, status and residence in a segment with its share:
/// organisations first, then individuals, in the United States (`in_united_states`) by
/// `status_in_us` and abroad as foreign nationals or U.S. citizens.
/// With `keep_zero`, combinations with no one are kept, so that the list depends only on
/// which entries the spec's tables have, not on their values.
fn origins<'s>(
    segment: &'s SegmentSpec,
    in_united_states: &dyn Fn(&str) -> bool,
    keep_zero: bool,
) -> Vec<Origin<'s>> {
    let organisations = &segment.organisations;
    let entity = organisations.share.value.clamp(0.0, 1.0);
    let mut out: Vec<Origin<'s>> = Vec::new();
    for (place, r) in segment.residence.normalized() {
        if in_united_states(place) {
            let foreign = organisations.foreign_organised_in_us.value.clamp(0.0, 1.0);
            out.push(("US", "entity", place, r * entity * (1.0 - foreign)));
            for (nationality, n) in segment.nationality_in_us.normalized() {
                out.push((nationality, "entity", place, r * entity * foreign * n));
            }
            people_in_us(&mut out, segment, place, r * (1.0 - entity));
        } else {
            let us_organised = organisations.us_organised_abroad.value.clamp(0.0, 1.0);
            let citizens = segment.us_citizens_abroad.value.clamp(0.0, 1.0);
            let people = r * (1.0 - entity);
            out.push(("US", "entity", place, r * entity * us_organised));
            out.push((place, "entity", place, r * entity * (1.0 - us_organised)));
            out.push(("US", "citizen", place, people * citizens));
            out.push((place, "foreign_national", place, people * (1.0 - citizens)));
        }
    }
    out.retain(|(.., w)| keep_zero || *w > 0.0);
    out
}

/// The individuals of a segment living at `place` in the United States, by status,
/// added to `out`.
fn people_in_us<'s>(
    out: &mut Vec<Origin<'s>>,
    segment: &'s SegmentSpec,
    place: &'s str,
    share: f64,
) {
    for (status, s) in segment.status_in_us.normalized() {
        if status == "citizen" {
            out.push(("US", "citizen", place, share * s));
            continue;
        }
        let status = Status::parse(status).map_or("foreign_national", Status::as_str);
        for (nationality, n) in segment.nationality_in_us.normalized() {
            out.push((nationality, status, place, share * s * n));
        }
    }
    if segment.status_in_us.entries.is_empty() {
        out.push(("US", "citizen", place, share));
    }
}

/// The population CSV a spec describes. Dimensions are independent within a segment:
/// each row's weight is the segment's people times the product of its shares. People
/// outside the United States are foreign nationals of their country of residence; those
/// inside it (the States, Puerto Rico and the territories, as 15 CFR 772.1 defines it)
/// take `status_in_us`, and the non-citizens among them `nationality_in_us`. Under
/// contract 1 (`reading`), only `US` itself counted as the United States.
pub fn expand(spec: &PopulationSpec, reading: Reading) -> String {
    let attribute_names = attribute_names(spec);
    // Every value goes through the CSV writer, so a value with a comma or a quote is
    // quoted; writing to memory cannot fail.
    let mut out = csv_writer();
    let header = WRITTEN_COLUMNS;
    let _ = out.write_record(header.iter().chain(&attribute_names));
    for row in expanded_rows(spec, reading, &attribute_names) {
        let people = row.people.to_string();
        let record = std::iter::once(row.id.as_str())
            .chain(row.fields.iter().copied())
            .chain(std::iter::once(people.as_str()))
            .chain(row.values.iter().copied());
        let _ = out.write_record(record);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Whether a country code is in the United States under `reading`: 15 CFR 772.1, or
/// only `US` itself under contract 1.
fn in_united_states(reading: Reading) -> impl Fn(&str) -> bool {
    move |code: &str| match reading {
        Reading::Part772 => reference().in_united_states(code),
        Reading::Contract1 => code == "US",
    }
}

/// The exact weight (people, before whole people are apportioned) of every row segment
/// `index` of `spec` can expand to, rows with no one included, in the order of
/// [`every_row_csv`]. The rows depend only on which entries the spec's tables have, so
/// setting a number of the spec changes these weights and not the rows; [`expand`] writes
/// the rows whose [`apportion`]ed people are not zero.
pub fn segment_weights(spec: &PopulationSpec, index: usize, reading: Reading) -> Vec<f64> {
    let mut out = Vec::new();
    segment_weights_into(spec, index, reading, &mut out);
    out
}

/// How many rows [`segment_weights`] gives for segment `index`, without working out
/// their weights.
pub fn segment_rows(spec: &PopulationSpec, index: usize, reading: Reading) -> usize {
    let Some(segment) = spec.segments.get(index) else {
        return 0;
    };
    let names = attribute_names(spec);
    origins(segment, &in_united_states(reading), true).len()
        * segment.sector.entries.len()
        * segment.products.entries.len()
        * attribute_values(segment, &names).len()
}

/// [`segment_weights`] written into `out` (cleared first), so that a caller that asks
/// again and again reuses one buffer.
pub fn segment_weights_into(
    spec: &PopulationSpec,
    index: usize,
    reading: Reading,
    out: &mut Vec<f64>,
) {
    out.clear();
    let Some(segment) = spec.segments.get(index) else {
        return;
    };
    let names = attribute_names(spec);
    let origins = origins(segment, &in_united_states(reading), true);
    let extras: Vec<f64> = attribute_values(segment, &names)
        .iter()
        .map(|(_, e)| *e)
        .collect();
    let sectors: Vec<f64> = segment.sector.normalized().map(|(_, s)| s).collect();
    let products: Vec<f64> = segment.products.normalized().map(|(_, p)| p).collect();
    out.reserve(origins.len() * sectors.len() * products.len() * extras.len());
    // The same products in the same order as `combinations`, so the same numbers.
    for (.., o) in &origins {
        for s in &sectors {
            for p in &products {
                out.extend(extras.iter().map(|e| segment.people * o * s * p * e));
            }
        }
    }
}

/// Every row every segment of `spec` can expand to, rows with no one included, each
/// with weight 1, segment by segment: what each kind of record is decided, whatever the
/// spec's numbers are set to.
pub fn every_row_csv(spec: &PopulationSpec, reading: Reading) -> String {
    let in_united_states = in_united_states(reading);
    let names = attribute_names(spec);
    let mut out = csv_writer();
    let header = WRITTEN_COLUMNS;
    let _ = out.write_record(header.iter().chain(&names));
    let mut row = 0usize;
    for segment in &spec.segments {
        let origins = origins(segment, &in_united_states, true);
        let extras = attribute_values(segment, &names);
        for (fields, values, _) in combinations(segment, &origins, &extras, true) {
            row += 1;
            let id = format!("row-{row}");
            let record = std::iter::once(id.as_str())
                .chain(fields.iter().copied())
                .chain(std::iter::once("1"))
                .chain(values.iter().copied());
            let _ = out.write_record(record);
        }
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The population [`every_row_csv`]'s text reads back to, built directly (no CSV written
/// or read): the same rows in the same order, each value trimmed as the reader trims it,
/// products given bits in the order they first appear. `None` when some row would not
/// read back cleanly (see [`built_population`]): the caller then reads the CSV, whose
/// reader says why.
pub fn every_row_population(
    spec: &PopulationSpec,
    reading: Reading,
    file: crate::source::FileId,
) -> Option<Population> {
    let in_united_states = in_united_states(reading);
    let names = attribute_names(spec);
    let mut rows = Vec::new();
    for segment in &spec.segments {
        let origins = origins(segment, &in_united_states, true);
        let extras = attribute_values(segment, &names);
        rows.extend(combinations(segment, &origins, &extras, true));
    }
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(index, (fields, values, _))| BuiltRow {
            id: format!("row-{}", index + 1),
            fields,
            values,
            people: 1,
        });
    built_population(&names, file, rows)
}

/// The population [`expand`]'s text reads back to, built directly (no CSV written or
/// read): the same records in the same order, with the same ids, lines and whole people.
/// `None` when the reader would report anything about that text (see
/// [`built_population`]), or two segments' ids could meet: the caller then writes and
/// reads the CSV, whose reader says what. Each product id's place is the spec file's
/// start, as there is no CSV to point into.
pub fn expanded_population(
    spec: &PopulationSpec,
    reading: Reading,
    file: crate::source::FileId,
) -> Option<Population> {
    // Ids are `{segment}-{row}`, trimmed: distinct as long as the segments' names are,
    // once their leading spaces go.
    let segments: Vec<&str> = spec
        .segments
        .iter()
        .map(|s| s.segment.trim_start())
        .collect();
    let named_before = |(i, name): (usize, &&str)| segments.iter().take(i).any(|n| n == name);
    if segments.iter().enumerate().any(named_before) {
        return None;
    }
    let names = attribute_names(spec);
    let rows = expanded_rows(spec, reading, &names);
    built_population(&names, file, rows.into_iter())
}

/// The rows a spec expands to, segment by segment: every combination with anyone in it,
/// its whole people apportioned so that they sum exactly to the segment's size, and its id
/// `{segment}-{n}`, counting the segment's rows with people.
fn expanded_rows<'s>(
    spec: &'s PopulationSpec,
    reading: Reading,
    names: &[&str],
) -> Vec<BuiltRow<'s>> {
    let in_united_states = in_united_states(reading);
    let mut rows = Vec::new();
    for segment in &spec.segments {
        let origins = origins(segment, &in_united_states, false);
        let extras = attribute_values(segment, names);
        let combined = combinations(segment, &origins, &extras, false);
        let weights: Vec<f64> = combined.iter().map(|(_, _, w)| *w).collect();
        let people = apportion(&weights, segment.people.round());
        let kept = combined.into_iter().zip(people).filter(|(_, n)| *n > 0);
        rows.extend(
            kept.enumerate()
                .map(|(index, ((fields, values, _), people))| BuiltRow {
                    id: format!("{}-{}", segment.segment, index + 1),
                    fields,
                    values,
                    people,
                }),
        );
    }
    rows
}

/// One row of a population built without CSV: its id (untrimmed, as written), its fields
/// as [`combinations`] gives them, its extra attributes' values and its whole people.
struct BuiltRow<'s> {
    id: String,
    fields: [&'s str; 6],
    values: Vec<&'s str>,
    people: u64,
}

/// The population the CSV reader reads from these rows written under the header
/// [`WRITTEN_COLUMNS`] and `names`, one line each; `None` when the reader would report
/// anything: an attribute named like a standard column or like another, an unknown country
/// or status, an empty required value, a product listed twice in a row, a value or an
/// attribute's name across lines (no message, but the rows would start a line later), too
/// many products or rows, or no rows at all.
fn built_population<'s>(
    names: &[&str],
    file: crate::source::FileId,
    rows: impl Iterator<Item = BuiltRow<'s>>,
) -> Option<Population> {
    let mut columns: Vec<&str> = WRITTEN_COLUMNS.to_vec();
    columns.extend(["licenses", "label"]);
    for name in names {
        let name = name.trim();
        if name.is_empty() || columns.contains(&name) || across_lines(name) {
            return None;
        }
        columns.push(name);
    }
    let mut population = Population::new(file, names.iter().map(|n| n.trim().to_owned()));
    let mut bits: Vec<&str> = Vec::new();
    for (index, row) in rows.enumerate() {
        if index >= MAX_ROWS {
            return None;
        }
        // The header is line 1.
        let line = u32::try_from(index + 2).ok()?;
        let record = built_record(row.fields, &row.values, &mut bits, line)?;
        let id = row.id.trim();
        // An id is `row-N` or its segment's name (checked above) and a number.
        if id.is_empty() {
            return None;
        }
        let weight = row.people as f64;
        population.push(Record {
            id,
            weight,
            ..record
        });
    }
    if population.is_empty() {
        return None;
    }
    population.product_ids = bits
        .into_iter()
        .map(|id| UsedId {
            id: id.to_owned(),
            loc: spec_loc(file),
        })
        .collect();
    Some(population)
}

/// One row of a built population as the CSV reader would read it (its id left empty and
/// its weight 1), or `None` when the reader would report anything about it; new product
/// ids get the next bit in `bits`.
fn built_record<'s>(
    [segment, nationality, residence, status, sector, products]: [&'s str; 6],
    values: &[&'s str],
    bits: &mut Vec<&'s str>,
    line: u32,
) -> Option<Record<'s>> {
    let reference = reference();
    let fields = [segment, nationality, residence, status, sector, products];
    if fields.iter().chain(values).any(|v| across_lines(v)) {
        return None;
    }
    let segment = segment.trim();
    let mut mask = 0u64;
    for product in products.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bit = match bits.iter().position(|b| *b == product) {
            Some(bit) => bit,
            None if bits.len() >= MAX_IDS => return None,
            None => {
                bits.push(product);
                bits.len() - 1
            }
        };
        let flag = 1u64.checked_shl(u32::try_from(bit).ok()?)?;
        if mask & flag != 0 {
            return None;
        }
        mask |= flag;
    }
    if segment.is_empty() || mask == 0 {
        return None;
    }
    Some(Record {
        id: "",
        label: "",
        line,
        segment,
        nationality: reference.country(nationality.trim())?,
        residence: reference.country(residence.trim())?,
        status: Status::parse(status.trim())?,
        sector: sector.trim(),
        products: mask,
        weight: 1.0,
        licenses: 0,
        extras: values.iter().map(|v| v.trim()).collect(),
    })
}

/// Whether `value` would be written across lines (the CSV quotes it, and the rows after
/// it start a line later). Bytes, not chars: a search for either of two chars decodes the
/// text a char at a time.
fn across_lines(value: &str) -> bool {
    value.bytes().any(|b| b == b'\n' || b == b'\r')
}

/// The extra attributes of a spec's segments, each once, in the order they first appear.
fn attribute_names(spec: &PopulationSpec) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for segment in &spec.segments {
        for (name, _) in &segment.attributes {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    names
}

/// Every combination of the extra attributes `names` in a segment, one value per name in
/// the order the spec gives them (empty where the segment lacks the attribute), with its
/// share.
fn attribute_values<'s>(segment: &'s SegmentSpec, names: &[&str]) -> Vec<(Vec<&'s str>, f64)> {
    let mut extras: Vec<(Vec<&str>, f64)> = vec![(Vec::new(), 1.0)];
    for name in names {
        let shares = segment
            .attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s);
        extras = match shares {
            Some(shares) => extras
                .iter()
                .flat_map(|(values, w)| {
                    shares.normalized().map(move |(v, s)| {
                        let mut values = values.clone();
                        values.push(v);
                        (values, w * s)
                    })
                })
                .collect(),
            None => extras
                .into_iter()
                .map(|(mut values, w)| {
                    values.push("");
                    (values, w)
                })
                .collect(),
        };
    }
    extras
}

/// One row of an expanded segment before apportioning: segment, nationality, residence,
/// status, sector and products, the extra attributes' values, and its exact weight.
type Row<'s> = ([&'s str; 6], Vec<&'s str>, f64);

/// Every combination of a segment's origins, sectors, products and extra attributes with
/// its exact share of the segment's people; combinations with no one are left out unless
/// `keep_zero`.
fn combinations<'s>(
    segment: &'s SegmentSpec,
    origins: &[Origin<'s>],
    extras: &[(Vec<&'s str>, f64)],
    keep_zero: bool,
) -> Vec<Row<'s>> {
    let mut rows = Vec::new();
    for &(nationality, status, residence, o) in origins {
        for (sector, s) in segment.sector.normalized() {
            for (products, p) in segment.products.normalized() {
                for (values, e) in extras {
                    let weight = segment.people * o * s * p * e;
                    if !keep_zero && (weight <= 0.0 || !weight.is_finite()) {
                        continue;
                    }
                    let fields = [
                        segment.segment.as_str(),
                        nationality,
                        residence,
                        status,
                        sector,
                        products,
                    ];
                    rows.push((fields, values.clone(), weight));
                }
            }
        }
    }
    rows
}

/// Splits `total` whole people over rows in proportion to `weights` by the largest
/// remainder method: each row gets the floor of its share, and the people left over go
/// to the rows with the largest remainders (earlier rows first on ties).
pub fn apportion(weights: &[f64], total: f64) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || total <= 0.0 || !total.is_finite() {
        return vec![0; weights.len()];
    }
    // Exact shares are never negative, so truncating is flooring (and much cheaper than
    // `floor`, a library call on baseline x86-64); each remainder is worked out once.
    let exact = weights.iter().map(|w| w / sum * total);
    let mut people: Vec<u64> = Vec::with_capacity(weights.len());
    let mut order: Vec<(f64, usize)> = Vec::new();
    for (index, e) in exact.enumerate() {
        let whole = e as u64;
        people.push(whole);
        let remainder = e - whole as f64;
        if remainder > 0.0 {
            order.push((remainder, index));
        }
    }
    let assigned: u64 = people.iter().sum();
    let mut left = (total as u64).saturating_sub(assigned);
    // Rows without a remainder come last in the order, so only the others are ranked —
    // unless there are fewer of those than people left (only if rounding made the shares'
    // sum fall a whole person short), when every row is.
    if (order.len() as u64) < left {
        order = people
            .iter()
            .enumerate()
            .map(|(index, _)| {
                let e = weights.get(index).map_or(0.0, |w| w / sum * total);
                (e - e as u64 as f64, index)
            })
            .collect();
    }
    let by_remainder = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    // Only which rows get one more person matters, not their order among themselves: the
    // `left` first in the order, found without sorting every row.
    let first = usize::try_from(left).unwrap_or(usize::MAX);
    if first < order.len() {
        if first > 0 {
            order.select_nth_unstable_by(first - 1, by_remainder);
        }
        order.truncate(first);
    }
    for (_, index) in order {
        if left == 0 {
            break;
        }
        if let Some(slot) = people.get_mut(index) {
            *slot += 1;
            left -= 1;
        }
    }
    people
}

/// Buffers [`apportioned_sum`] reuses from one call to the next.
#[derive(Debug, Default)]
pub struct ApportionScratch {
    /// Each row's bucket (0 for a row without a remainder).
    rows: Vec<u16>,
    /// Per bucket: rows with a remainder in it.
    buckets: Vec<u32>,
    tied: Vec<(f64, usize, bool)>,
}

/// How finely [`apportioned_sum`] sorts remainders into buckets before ranking the few
/// that tie with the last row to get one more person. Bucket 0 holds no remainder.
const BUCKETS: usize = 4096;

/// The bucket of a remainder above 0: 1 to `BUCKETS - 1`, never lower for a larger one
/// (a remainder is below 1; conversions to signed integers are single instructions).
fn bucket(remainder: f64) -> u16 {
    let b = (remainder * (BUCKETS - 1) as f64) as i32 + 1;
    b.clamp(1, BUCKETS as i32 - 1) as u16
}

/// Above this many people, [`apportioned_sum`] leaves the work to [`apportion`]: below
/// it every exact share fits a signed 64-bit integer, whose conversions are cheaper.
const SIGNED_LIMIT: f64 = 4_503_599_627_370_496.0; // 2^52

/// [`apportioned_sum`] the plain way: every row apportioned, the chosen ones summed.
fn apportioned_plainly(weights: &[f64], total: f64, chosen: &[bool]) -> u64 {
    let people = apportion(weights, total);
    let picked = people.iter().zip(chosen).filter(|(_, c)| **c);
    picked.map(|(n, _)| *n).sum()
}

/// A row's exact share of `total` cut into whole people and the remainder, as
/// [`apportion`] works them out. The share is below 2^63 (`total` is below
/// [`SIGNED_LIMIT`]), so truncating it to `i64` (at least 0) is truncating to `u64`.
#[inline]
fn share(weight: f64, sum: f64, total: f64) -> (u64, f64) {
    let e = weight / sum * total;
    let whole = (e as i64).max(0);
    (whole as u64, e - whole as f64)
}

/// The people [`apportion`] gives the rows where `chosen` holds, summed: exactly
/// `apportion(weights, total)` summed over those rows, without ranking every row. Each
/// row's whole share and remainder are worked out as [`apportion`] does; the remainders
/// are counted into buckets, which finds the bucket where the people left over run out,
/// and only the rows in that bucket are ranked (by remainder, earlier rows first on
/// ties). When rounding leaves fewer rows with a remainder than people left over,
/// [`apportion`] itself is used.
pub fn apportioned_sum(
    weights: &[f64],
    total: f64,
    chosen: &[bool],
    scratch: &mut ApportionScratch,
) -> u64 {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || total <= 0.0 || !total.is_finite() {
        return 0;
    }
    if total >= SIGNED_LIMIT || !sum.is_finite() {
        return apportioned_plainly(weights, total, chosen);
    }
    let ApportionScratch {
        rows,
        buckets,
        tied,
    } = scratch;
    rows.clear();
    buckets.clear();
    buckets.resize(BUCKETS, 0);
    let (mut assigned, mut floors) = (0u64, 0u64);
    // Branch-free where the rows differ: whether a row is chosen is data, not a jump.
    let picked = chosen.iter().copied().chain(std::iter::repeat(false));
    for (w, pick) in weights.iter().zip(picked) {
        let (whole, remainder) = share(*w, sum, total);
        assigned = assigned.wrapping_add(whole);
        floors = floors.wrapping_add(whole * u64::from(pick));
        let b = if remainder > 0.0 {
            bucket(remainder)
        } else {
            0
        };
        rows.push(b);
        if let Some(count) = buckets.get_mut(usize::from(b)) {
            *count += 1;
        }
    }
    let positive = rows.len() as u64 - buckets.first().map_or(0, |&b| u64::from(b));
    let left = (total as u64).saturating_sub(assigned);
    if positive < left {
        return apportioned_plainly(weights, total, chosen);
    }
    if left == 0 {
        return floors;
    }
    // The bucket where the people left over run out, and how many of its rows get one;
    // every row in a bucket above it gets one.
    let (mut above, mut last) = (0u64, 0u16);
    for (b, &count) in buckets.iter().enumerate().skip(1).rev() {
        if above + u64::from(count) >= left {
            last = u16::try_from(b).unwrap_or(u16::MAX);
            break;
        }
        above += u64::from(count);
    }
    let wanted = usize::try_from(left - above).unwrap_or(usize::MAX);
    tied.clear();
    // The chosen rows above that bucket; only the rows of that bucket are ranked, their
    // remainders worked out again by the same operations, so to the same values.
    let mut extra = 0u64;
    let picked = chosen.iter().copied().chain(std::iter::repeat(false));
    for (index, (&b, pick)) in rows.iter().zip(picked).enumerate() {
        extra += u64::from(pick & (b > last));
        if b == last {
            let w = weights.get(index).copied().unwrap_or(0.0);
            tied.push((share(w, sum, total).1, index, pick));
        }
    }
    let by_remainder =
        |a: &(f64, usize, bool), b: &(f64, usize, bool)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if wanted < tied.len() && wanted > 0 {
        tied.select_nth_unstable_by(wanted - 1, by_remainder);
    }
    let ranked = tied.iter().take(wanted).filter(|t| t.2).count();
    floors.wrapping_add(extra).wrapping_add(ranked as u64)
}

/// Where a spec's diagnostics point when there is nothing more precise.
pub fn spec_loc(file: usize) -> Loc {
    Loc {
        file,
        span: Span::default(),
    }
}

/// A spec as TOML that reads back to the same spec, with every share table written out
/// (counts files included), for self-contained exports and links.
pub fn to_toml(spec: &PopulationSpec) -> String {
    use toml_edit::{ArrayOfTables, DocumentMut, Item, value};
    let mut doc = DocumentMut::new();
    doc.insert("title", value(spec.title.as_str()));
    doc.insert("description", value(spec.description.as_str()));
    let sources: ArrayOfTables = spec.sources.iter().map(source_table).collect();
    if !sources.is_empty() {
        doc.insert("sources", Item::ArrayOfTables(sources));
    }
    let segments: ArrayOfTables = spec.segments.iter().map(segment_table).collect();
    if !segments.is_empty() {
        doc.insert("segments", Item::ArrayOfTables(segments));
    }
    doc.to_string()
}

/// One `[[sources]]` table of a spec.
fn source_table(source: &SpecSource) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    for (key, text) in [
        ("id", &source.id),
        ("title", &source.title),
        ("publisher", &source.publisher),
        ("date", &source.date),
        ("url", &source.url),
    ] {
        table.insert(key, toml_edit::value(text.as_str()));
    }
    if let Some(basis) = source.basis {
        table.insert("basis", toml_edit::value(basis.as_str()));
    }
    table
}

/// One `[[segments]]` table of a spec: its sizes and shares, then the sources they name.
fn segment_table(segment: &SegmentSpec) -> toml_edit::Table {
    use toml_edit::{InlineTable, value};
    let mut table = toml_edit::Table::new();
    table.insert("segment", value(segment.segment.as_str()));
    let people = Param {
        value: segment.people,
        low: segment.people_range.0,
        high: segment.people_range.1,
        source: String::new(),
    };
    table.insert("people", value(bounded_value(&people)));
    let organisations = &segment.organisations;
    if organisations.share.value > 0.0 {
        let parts: InlineTable = [
            ("share", &organisations.share),
            ("us_organised_abroad", &organisations.us_organised_abroad),
            (
                "foreign_organised_in_us",
                &organisations.foreign_organised_in_us,
            ),
        ]
        .into_iter()
        .map(|(key, param)| (key, bounded_value(param)))
        .collect();
        table.insert("organisations", value(parts));
    }
    if segment.us_citizens_abroad.value > 0.0 {
        table.insert(
            "us_citizens_abroad",
            value(bounded_value(&segment.us_citizens_abroad)),
        );
    }
    // A source is written when it names one: `illustrative` is what none means.
    let named = |source: &str| source != "illustrative" && !source.is_empty();
    let mut sources = InlineTable::new();
    for (name, param) in [
        ("organisations", &organisations.share),
        ("us_citizens_abroad", &segment.us_citizens_abroad),
    ] {
        if param.value > 0.0 && named(&param.source) {
            sources.insert(name, param.source.as_str().into());
        }
    }
    for (name, shares) in [
        ("residence", &segment.residence),
        ("status_in_us", &segment.status_in_us),
        ("nationality_in_us", &segment.nationality_in_us),
        ("sector", &segment.sector),
        ("products", &segment.products),
    ] {
        if !shares.entries.is_empty() {
            table.insert(name, value(shares.inline_table()));
            if named(&shares.source) {
                sources.insert(name, shares.source.as_str().into());
            }
        }
    }
    if !segment.attributes.is_empty() {
        let attributes: InlineTable = segment
            .attributes
            .iter()
            .map(|(name, shares)| (name.as_str(), shares.inline_table()))
            .collect();
        table.insert("attributes", value(attributes));
    }
    if named(&segment.people_source) {
        sources.insert("people", segment.people_source.as_str().into());
    }
    if !sources.is_empty() {
        table.insert("sources", value(sources));
    }
    table
}
