//! Reads a population CSV into columns, with a located diagnostic for every bad field.

use crate::model::population::{ExtraColumn, MAX_IDS, MAX_ROWS, Population, Status, UsedId};
use std::collections::HashMap;

use thiserror::Error;

use crate::model::outcome::has_bit;
use crate::model::reference::reference;
use crate::source::Span;
use crate::source::diagnostic::{Diagnostic, Problem, Severity};
use crate::source::suggest::{all_of, nearest, one_of};
use crate::source::toml_text::TextMap;
use crate::source::{FileId, Loc, Sources};

/// What can be wrong with a population file.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum PopulationError {
    /// The file is empty.
    #[error("population file is empty")]
    Empty,
    /// A required column is absent.
    #[error("missing column `{0}`")]
    MissingColumn(&'static str),
    /// A column appears twice.
    #[error("duplicate column `{0}`")]
    DuplicateColumn(String),
    /// A row with fewer fields than the header.
    #[error("row has {found} fields but the header has {expected}")]
    ShortRow {
        /// Fields found.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A row with more fields than the header.
    #[error("row has {found} fields but the header has {expected}")]
    LongRow {
        /// Fields found.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A required value is empty.
    #[error("empty `{0}`")]
    EmptyField(&'static str),
    /// The csv reader failed.
    #[error("malformed CSV: {0}")]
    Malformed(String),
    /// A country code that is not ISO 3166-1 alpha-2.
    #[error("unknown country code `{code}` in `{column}`")]
    UnknownCountry {
        /// The column.
        column: &'static str,
        /// The code.
        code: String,
        /// A likely intended code and its name.
        suggestion: Option<(String, String)>,
        /// Whether the row is an organisation (`status = "entity"`).
        organisation: bool,
    },
    /// An id listed twice in one row's `products` or `licenses`.
    #[error("`{id}` is listed twice in `{column}`")]
    ListedTwice {
        /// The column.
        column: &'static str,
        /// The id.
        id: String,
    },
    /// A status that is not one of the five.
    #[error("unknown status `{0}`")]
    UnknownStatus(String),
    /// A weight that is not a number.
    #[error("weight `{0}` is not a number")]
    BadWeight(String),
    /// A weight that is zero, negative, infinite or NaN.
    #[error("weight `{0}` must be a positive number")]
    NonPositiveWeight(String),
    /// An id used twice.
    #[error("duplicate record id `{id}`")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it first appears.
        first_line: u32,
    },
    /// Too many rows.
    #[error("population has more than {MAX_ROWS} rows")]
    TooManyRows,
    /// Too many distinct ids in a list column.
    #[error("more than {MAX_IDS} distinct ids in `{0}`")]
    TooManyIds(&'static str),
    /// A file with a header and no rows.
    #[error("population has no records")]
    NoRecords,
    /// A byte sequence that is not UTF-8.
    #[error("population file is not valid UTF-8")]
    NotUtf8,
}

impl Problem for PopulationError {
    fn help(&self) -> Option<String> {
        Some(match self {
            PopulationError::Empty => {
                "start with a header row: `id,segment,nationality,residence,status,products`".into()
            }
            PopulationError::MissingColumn(_) => {
                format!("the required columns are {}", all_of(&REQUIRED))
            }
            PopulationError::ShortRow { .. } | PopulationError::LongRow { .. } => {
                "every row needs one value per header column; quote values that contain commas"
                    .into()
            }
            PopulationError::EmptyField("products") => {
                "list the product ids the record uses, separated by `;`".into()
            }
            PopulationError::UnknownCountry {
                suggestion: Some((code, name)),
                ..
            } => format!("did you mean `{code}` ({name})?"),
            PopulationError::UnknownCountry {
                column: "nationality",
                organisation: true,
                ..
            } => "for an organisation (`status = \"entity\"`), nationality is the country under whose laws it is organised, as an ISO 3166-1 alpha-2 code such as `US` or `DE`".into(),
            PopulationError::ListedTwice { .. } => "it counts once; remove the repeat".into(),
            PopulationError::UnknownCountry { .. } => {
                "use an ISO 3166-1 alpha-2 code such as `US`, `GB` or `CN`".into()
            }
            PopulationError::UnknownStatus(wrong) => match nearest(wrong, Status::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("status is one of {}", one_of(&Status::names())),
            },
            PopulationError::BadWeight(_) | PopulationError::NonPositiveWeight(_) => {
                "weight is how many people the row stands for, such as `1` or `2500`".into()
            }
            PopulationError::DuplicateId { first_line, .. } => {
                format!("first used on line {first_line}")
            }
            PopulationError::TooManyRows => {
                "aggregate identical people into one row with a `weight`".into()
            }
            PopulationError::NotUtf8 => "save the file as UTF-8".into(),
            PopulationError::NoRecords => {
                "add one row per person or group of identical people".into()
            }
            _ => return None,
        })
    }

    fn severity(&self) -> Severity {
        match self {
            PopulationError::NoRecords | PopulationError::ListedTwice { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

const REQUIRED: [&str; 6] = [
    "id",
    "segment",
    "nationality",
    "residence",
    "status",
    "products",
];
const OPTIONAL: [&str; 4] = ["sector", "weight", "licenses", "label"];

/// Byte ranges of the fields of the CSV record that starts at `start`.
fn field_ranges(text: &str, start: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut i = start;
    loop {
        let field_start = i;
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                if b == b'"' {
                    if bytes.get(i) == Some(&b'"') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        while let Some(&b) = bytes.get(i) {
            if b == b',' || b == b'\n' || b == b'\r' {
                break;
            }
            i += 1;
        }
        ranges.push((field_start, i));
        if bytes.get(i) == Some(&b',') {
            i += 1;
        } else {
            return ranges;
        }
    }
}

/// Splits a `;`-separated list, dropping blanks.
pub fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Reads a population CSV already added to `sources` as `file`. Every problem is reported;
/// rows with errors are left out of the returned population.
pub fn load_population(
    sources: &Sources,
    file: FileId,
    full: &str,
    map: &TextMap,
) -> (Population, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut population = Population {
        file,
        ..Population::default()
    };
    let bom = if full.starts_with('\u{feff}') { 3 } else { 0 };
    let text = full.get(bom..).unwrap_or_default();
    let at = |start: usize, end: usize| Loc {
        file,
        span: map.file_span(Span::new(start + bom, end + bom)),
    };
    let mut report = |loc: Loc, problem: PopulationError| {
        diagnostics.push(sources.diagnostic(loc, &problem));
    };
    if text.trim().is_empty() {
        report(at(0, 0), PopulationError::Empty);
        return (population, diagnostics);
    }

    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => {
            report(at(0, 0), PopulationError::Malformed(error.to_string()));
            return (population, diagnostics);
        }
        None => {
            report(at(0, 0), PopulationError::Empty);
            return (population, diagnostics);
        }
    };
    let header_ranges = field_ranges(text, 0);
    let header_end = header_ranges.last().map_or(0, |r| r.1);
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim();
        let (start, end) = header_ranges.get(index).copied().unwrap_or((0, 0));
        if columns.insert(name.to_owned(), index).is_some() {
            report(
                at(start, end),
                PopulationError::DuplicateColumn(name.to_owned()),
            );
        }
    }
    let mut missing = false;
    for name in REQUIRED {
        if !columns.contains_key(name) {
            report(at(0, header_end), PopulationError::MissingColumn(name));
            missing = true;
        }
    }
    if missing {
        return (population, diagnostics);
    }
    let column = |name: &str| columns.get(name).copied();
    let (id_col, seg_col, nat_col, res_col, status_col, products_col) = (
        column("id").unwrap_or(0),
        column("segment").unwrap_or(0),
        column("nationality").unwrap_or(0),
        column("residence").unwrap_or(0),
        column("status").unwrap_or(0),
        column("products").unwrap_or(0),
    );
    let (sector_col, weight_col, licenses_col, label_col) = (
        column("sector"),
        column("weight"),
        column("licenses"),
        column("label"),
    );
    let mut extra_cols: Vec<(usize, ExtraColumn)> = header
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            let name = name.trim();
            !REQUIRED.contains(&name) && !OPTIONAL.contains(&name) && !name.is_empty()
        })
        .map(|(index, name)| {
            (
                index,
                ExtraColumn {
                    name: name.trim().to_owned(),
                    ..ExtraColumn::default()
                },
            )
        })
        .collect();
    let mut first_line: HashMap<String, u32> = HashMap::new();
    let mut product_bits: HashMap<String, u32> = HashMap::new();
    let mut license_bits: HashMap<String, u32> = HashMap::new();
    let reference = reference();
    let width = header.len();

    for result in records {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let offset = error.position().map_or(0, |p| p.byte() as usize);
                report(
                    at(offset, offset),
                    PopulationError::Malformed(error.to_string()),
                );
                continue;
            }
        };
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue;
        }
        let position = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        let line = u32::try_from(position.line()).unwrap_or(u32::MAX);
        let start = position.byte() as usize;
        let ranges = field_ranges(text, start);
        let field_loc = |index: usize| {
            let (s, e) = ranges.get(index).copied().unwrap_or_else(|| {
                let end = ranges.last().map_or(start, |r| r.1);
                (end, end)
            });
            at(s, e)
        };
        if population.ids.len() >= MAX_ROWS {
            report(field_loc(0), PopulationError::TooManyRows);
            break;
        }
        if record.len() < width {
            let end = ranges.last().map_or(start, |r| r.1);
            report(
                at(end, end),
                PopulationError::ShortRow {
                    found: record.len(),
                    expected: width,
                },
            );
            continue;
        }
        if record.len() > width {
            report(
                field_loc(width),
                PopulationError::LongRow {
                    found: record.len(),
                    expected: width,
                },
            );
            continue;
        }
        let field = |index: usize| record.get(index).unwrap_or_default().trim();
        let mut ok = true;
        for (name, index) in [
            ("id", id_col),
            ("segment", seg_col),
            ("nationality", nat_col),
            ("residence", res_col),
            ("status", status_col),
            ("products", products_col),
        ] {
            if field(index).is_empty() {
                report(field_loc(index), PopulationError::EmptyField(name));
                ok = false;
            }
        }
        let organisation = field(status_col) == Status::Entity.as_str();
        let country =
            |name: &'static str, index: usize, report: &mut dyn FnMut(Loc, PopulationError)| {
                let code = field(index);
                if code.is_empty() {
                    return None;
                }
                let found = reference.country(code);
                if found.is_none() {
                    let suggestion = reference
                        .suggest_country(code)
                        .map(|c| (c.alpha2.clone(), c.name.clone()));
                    report(
                        field_loc(index),
                        PopulationError::UnknownCountry {
                            column: name,
                            code: code.to_owned(),
                            suggestion,
                            organisation,
                        },
                    );
                }
                found
            };
        let nationality = country("nationality", nat_col, &mut report);
        let residence = country("residence", res_col, &mut report);
        let status_text = field(status_col);
        let status = Status::parse(status_text);
        if status.is_none() && !status_text.is_empty() {
            report(
                field_loc(status_col),
                PopulationError::UnknownStatus(status_text.to_owned()),
            );
        }
        let weight = match weight_col.map(field).filter(|w| !w.is_empty()) {
            None => Some(1.0),
            Some(text) => match text.parse::<f64>() {
                Ok(w) if w.is_finite() && w > 0.0 => Some(w),
                Ok(_) => {
                    report(
                        field_loc(weight_col.unwrap_or(0)),
                        PopulationError::NonPositiveWeight(text.to_owned()),
                    );
                    None
                }
                Err(_) => {
                    report(
                        field_loc(weight_col.unwrap_or(0)),
                        PopulationError::BadWeight(text.to_owned()),
                    );
                    None
                }
            },
        };
        let id = field(id_col);
        if !id.is_empty() {
            if let Some(&first) = first_line.get(id) {
                report(
                    field_loc(id_col),
                    PopulationError::DuplicateId {
                        id: id.to_owned(),
                        first_line: first,
                    },
                );
                ok = false;
            } else {
                first_line.insert(id.to_owned(), line);
            }
        }
        let bits = |list: &str,
                    index: usize,
                    name: &'static str,
                    table: &mut HashMap<String, u32>,
                    used: &mut Vec<UsedId>,
                    report: &mut dyn FnMut(Loc, PopulationError)| {
            let mut mask = 0u64;
            for item in split_list(list) {
                let bit = match table.get(item) {
                    Some(&bit) => bit,
                    None => {
                        if used.len() >= MAX_IDS {
                            report(field_loc(index), PopulationError::TooManyIds(name));
                            return None;
                        }
                        let bit = u32::try_from(used.len()).unwrap_or(0);
                        table.insert(item.to_owned(), bit);
                        used.push(UsedId {
                            id: item.to_owned(),
                            loc: field_loc(index),
                        });
                        bit
                    }
                };
                if has_bit(mask, bit as usize) {
                    report(
                        field_loc(index),
                        PopulationError::ListedTwice {
                            column: name,
                            id: item.to_owned(),
                        },
                    );
                }
                mask |= 1u64 << bit;
            }
            Some(mask)
        };
        let products = bits(
            field(products_col),
            products_col,
            "products",
            &mut product_bits,
            &mut population.product_ids,
            &mut report,
        );
        let licenses = match licenses_col {
            Some(index) => bits(
                field(index),
                index,
                "licenses",
                &mut license_bits,
                &mut population.license_ids,
                &mut report,
            ),
            None => Some(0),
        };
        if products == Some(0) && !field(products_col).is_empty() {
            report(
                field_loc(products_col),
                PopulationError::EmptyField("products"),
            );
            continue;
        }
        let (
            Some(nationality),
            Some(residence),
            Some(status),
            Some(weight),
            Some(products),
            Some(licenses),
            true,
        ) = (
            nationality,
            residence,
            status,
            weight,
            products,
            licenses,
            ok,
        )
        else {
            continue;
        };
        population.ids.push(id.to_owned());
        population
            .labels
            .push(label_col.map(field).unwrap_or_default().to_owned());
        population.lines.push(line);
        population
            .segment
            .push(population.segments.intern(field(seg_col)));
        population.nationality.push(nationality);
        population.residence.push(residence);
        population.status.push(status);
        population.sector.push(
            population
                .sectors
                .intern(sector_col.map(field).unwrap_or_default()),
        );
        population.products.push(products);
        population.weight.push(weight);
        population.licenses.push(licenses);
        for (index, extra) in &mut extra_cols {
            let value = extra.interner.intern(field(*index));
            extra.values.push(value);
        }
    }
    population.extras = extra_cols.into_iter().map(|(_, column)| column).collect();
    if population.is_empty() && diagnostics.is_empty() {
        diagnostics.push(sources.diagnostic(at(0, header_end), &PopulationError::NoRecords));
    }
    (population, diagnostics)
}
