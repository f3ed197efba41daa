//! The numbers of a population spec by name, so that `--set`, sweeps and ranges can
//! change any of them the same way: `SEGMENT.size`, `SEGMENT.us_share` and
//! `SEGMENT.foreign_share` (the app's controls), and every number the spec writes:
//! `SEGMENT.organisations.share` (and `.us_organised_abroad`, `.foreign_organised_in_us`),
//! `SEGMENT.us_citizens_abroad`, a share table's entry `SEGMENT.TABLE.KEY` (such as
//! `customer.status_in_us.foreign_national`, on the table's own scale) and an extra
//! attribute's `SEGMENT.attributes.NAME.KEY`. A spec has no other named parameters.

use crate::load::spec::{Param, PopulationSpec, SegmentSpec, Shares};

/// The share tables of a segment, by the name a parameter uses.
const TABLES: [&str; 5] = [
    "residence",
    "status_in_us",
    "nationality_in_us",
    "sector",
    "products",
];

/// The scalar shares of a segment, by the name a parameter uses.
const SCALARS: [&str; 4] = [
    "organisations.share",
    "organisations.us_organised_abroad",
    "organisations.foreign_organised_in_us",
    "us_citizens_abroad",
];

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number of people.
    People,
    /// A share from 0 to 1.
    Share,
    /// A relative weight in a share table (zero or more).
    Weight,
}

impl Kind {
    /// Whether `value` (already a finite number of zero or more) fits.
    pub fn accepts(self, value: f64) -> bool {
        self != Kind::Share || value <= 1.0
    }

    /// What a value must be, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::People => "a number of people",
            Kind::Share => "a share from 0 to 1",
            Kind::Weight => "a weight of zero or more",
        }
    }
}

/// One parameter with bounds: its name, value and bounds (a missing bound is the value).
#[derive(Clone, Debug, PartialEq)]
pub struct Bounded {
    /// The segment it belongs to.
    pub segment: String,
    /// Its full name, `SEGMENT.…`.
    pub name: String,
    /// The spec's value.
    pub value: f64,
    /// The low bound.
    pub low: f64,
    /// The high bound.
    pub high: f64,
}

/// The segment a parameter name starts with, and the rest of the name.
pub fn split_name<'s, 'n>(
    spec: &'s PopulationSpec,
    name: &'n str,
) -> Option<(&'s SegmentSpec, &'n str)> {
    spec.segments
        .iter()
        .filter_map(|s| {
            let rest = name.strip_prefix(s.segment.as_str())?.strip_prefix('.')?;
            Some((s, rest))
        })
        .max_by_key(|(s, _)| s.segment.len())
}

/// What kind of value parameter `path` (the name after `SEGMENT.`) of `segment` takes,
/// or `None` when the segment has no such parameter.
pub fn kind(segment: &SegmentSpec, path: &str) -> Option<Kind> {
    match path {
        "size" => Some(Kind::People),
        "us_share" | "foreign_share" => Some(Kind::Share),
        _ if SCALARS.contains(&path) => Some(Kind::Share),
        _ => value_of(segment, path).map(|_| Kind::Weight),
    }
}

/// The share table a `TABLE.KEY` or `attributes.NAME.KEY` path names, and the key.
fn table<'s, 'p>(segment: &'s SegmentSpec, path: &'p str) -> Option<(&'s Shares, &'p str)> {
    if let Some(rest) = path.strip_prefix("attributes.") {
        return segment.attributes.iter().find_map(|(name, shares)| {
            Some((shares, rest.strip_prefix(name.as_str())?.strip_prefix('.')?))
        });
    }
    let (name, key) = path.split_once('.')?;
    let index = TABLES.iter().position(|t| *t == name)?;
    tables(segment).into_iter().nth(index).map(|t| (t, key))
}

fn tables(segment: &SegmentSpec) -> [&Shares; 5] {
    [
        &segment.residence,
        &segment.status_in_us,
        &segment.nationality_in_us,
        &segment.sector,
        &segment.products,
    ]
}

fn tables_mut(segment: &mut SegmentSpec) -> [&mut Shares; 5] {
    [
        &mut segment.residence,
        &mut segment.status_in_us,
        &mut segment.nationality_in_us,
        &mut segment.sector,
        &mut segment.products,
    ]
}

fn scalar<'s>(segment: &'s SegmentSpec, path: &str) -> Option<&'s Param> {
    let o = &segment.organisations;
    match path {
        "organisations.share" => Some(&o.share),
        "organisations.us_organised_abroad" => Some(&o.us_organised_abroad),
        "organisations.foreign_organised_in_us" => Some(&o.foreign_organised_in_us),
        "us_citizens_abroad" => Some(&segment.us_citizens_abroad),
        _ => None,
    }
}

fn scalar_mut<'s>(segment: &'s mut SegmentSpec, path: &str) -> Option<&'s mut Param> {
    let o = &mut segment.organisations;
    match path {
        "organisations.share" => Some(&mut o.share),
        "organisations.us_organised_abroad" => Some(&mut o.us_organised_abroad),
        "organisations.foreign_organised_in_us" => Some(&mut o.foreign_organised_in_us),
        "us_citizens_abroad" => Some(&mut segment.us_citizens_abroad),
        _ => None,
    }
}

/// The value of a number the spec writes (`path` after `SEGMENT.`, not one of the three
/// app controls), if the segment has it.
pub fn value_of(segment: &SegmentSpec, path: &str) -> Option<f64> {
    if path == "size" {
        return Some(segment.people);
    }
    if let Some(param) = scalar(segment, path) {
        return Some(param.value);
    }
    let (shares, key) = table(segment, path)?;
    shares
        .entries
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, w)| *w)
}

/// Sets a number the spec writes (`path` after `SEGMENT.`); a share table's bounds stay,
/// since the table keeps its scale. Returns whether the segment has it.
pub fn set_value(segment: &mut SegmentSpec, path: &str, value: f64) -> bool {
    if path == "size" {
        segment.people = value;
        return true;
    }
    if let Some(param) = scalar_mut(segment, path) {
        param.value = value;
        return true;
    }
    let shares = if let Some(rest) = path.strip_prefix("attributes.") {
        segment.attributes.iter_mut().find_map(|(name, shares)| {
            let key = rest.strip_prefix(name.as_str())?.strip_prefix('.')?;
            Some((shares, key))
        })
    } else {
        path.split_once('.').and_then(|(name, key)| {
            let index = TABLES.iter().position(|t| *t == name)?;
            tables_mut(segment).into_iter().nth(index).map(|t| (t, key))
        })
    };
    let entry = shares.and_then(|(shares, key)| shares.entries.iter_mut().find(|(k, _)| k == key));
    match entry {
        Some((_, weight)) => {
            *weight = value;
            true
        }
        None => false,
    }
}

/// Every parameter `--set` can change in `spec`: the three app controls of each segment,
/// its scalar shares, and every entry of its share tables.
pub fn settable(spec: &PopulationSpec) -> Vec<String> {
    let mut names = Vec::new();
    for segment in &spec.segments {
        let name = |path: &str| format!("{}.{path}", segment.segment);
        names.extend(["size", "us_share", "foreign_share"].map(name));
        names.extend(SCALARS.map(name));
        for (table, shares) in TABLES.iter().zip(tables(segment)) {
            names.extend(
                shares
                    .entries
                    .iter()
                    .map(|(k, _)| name(&format!("{table}.{k}"))),
            );
        }
        for (attribute, shares) in &segment.attributes {
            let path = |k: &str| name(&format!("attributes.{attribute}.{k}"));
            names.extend(shares.entries.iter().map(|(k, _)| path(k)));
        }
    }
    names
}

/// Every parameter of `spec` with bounds that let it move (`low` < `high`), segment by
/// segment in file order: size, scalar shares, then share-table entries.
pub fn bounded(spec: &PopulationSpec) -> Vec<Bounded> {
    let mut out = Vec::new();
    for segment in &spec.segments {
        let mut push = |path: String, value: f64, low: Option<f64>, high: Option<f64>| {
            let (low, high) = (low.unwrap_or(value), high.unwrap_or(value));
            if low < high {
                let name = format!("{}.{path}", segment.segment);
                let segment = segment.segment.clone();
                out.push(Bounded {
                    segment,
                    name,
                    value,
                    low,
                    high,
                });
            }
        };
        let (low, high) = segment.people_range;
        push("size".into(), segment.people, low, high);
        for path in SCALARS {
            if let Some(param) = scalar(segment, path) {
                push(path.into(), param.value, param.low, param.high);
            }
        }
        let named = TABLES.iter().map(|t| (*t).to_owned()).zip(tables(segment));
        let attributes = segment
            .attributes
            .iter()
            .map(|(n, s)| (format!("attributes.{n}"), s));
        for (table, shares) in named.chain(attributes) {
            for (key, low, high) in &shares.bounds {
                let value = shares
                    .entries
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(0.0, |e| e.1);
                push(format!("{table}.{key}"), value, *low, *high);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::spec::{Adjustments, SetError};

    fn spec() -> PopulationSpec {
        let mut segment = SegmentSpec {
            segment: "customer".into(),
            people: 1000.0,
            people_range: (Some(500.0), Some(2000.0)),
            ..SegmentSpec::default()
        };
        segment.status_in_us.entries =
            vec![("citizen".into(), 90.0), ("foreign_national".into(), 10.0)];
        segment.status_in_us.bounds = vec![("foreign_national".into(), Some(5.0), Some(20.0))];
        segment.organisations.share = Param {
            value: 0.3,
            low: Some(0.1),
            high: None,
            source: String::new(),
        };
        let use_case = Shares {
            entries: vec![("fix".into(), 1.0), ("review".into(), 3.0)],
            ..Shares::default()
        };
        segment.attributes = vec![("use_case".into(), use_case)];
        PopulationSpec {
            segments: vec![segment],
            ..PopulationSpec::default()
        }
    }

    #[test]
    fn every_number_the_spec_writes_can_be_set_by_name() {
        let mut spec = spec();
        let mut adjustments = Adjustments::default();
        for set in [
            "customer.status_in_us.foreign_national=20",
            "customer.organisations.share=0.5",
            "customer.attributes.use_case.fix=3",
            "customer.size=1500",
        ] {
            adjustments.set(&spec, set).expect(set);
        }
        spec.adjust(&adjustments);
        let segment = &spec.segments[0];
        assert_eq!(
            value_of(segment, "status_in_us.foreign_national"),
            Some(20.0)
        );
        assert_eq!(value_of(segment, "organisations.share"), Some(0.5));
        assert_eq!(value_of(segment, "attributes.use_case.fix"), Some(3.0));
        assert_eq!(segment.people, 1500.0);
        // A table entry keeps its bounds: the table keeps its scale.
        assert_eq!(segment.status_in_us.bounds.len(), 1);
    }

    #[test]
    fn unknown_names_and_bad_values_are_errors() {
        let spec = spec();
        let mut adjustments = Adjustments::default();
        let error = adjustments.set(&spec, "customer.status_in_us.foreign_nationl=3");
        assert!(matches!(error, Err(SetError::UnknownParameter { .. })));
        let error = adjustments.set(&spec, "customer.organisations.share=2");
        assert!(matches!(error, Err(SetError::BadValue { .. })));
        let error = adjustments.set(&spec, "customer.sector.software=1");
        assert!(matches!(error, Err(SetError::UnknownParameter { .. })));
        assert!(settable(&spec).contains(&"customer.attributes.use_case.review".to_owned()));
    }

    #[test]
    fn bounded_parameters_take_the_value_for_a_missing_bound() {
        let bounded = bounded(&spec());
        let names: Vec<&str> = bounded.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "customer.size",
                "customer.organisations.share",
                "customer.status_in_us.foreign_national"
            ]
        );
        assert_eq!((bounded[1].low, bounded[1].high), (0.1, 0.3));
    }
}
