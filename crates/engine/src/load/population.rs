//! Reads a population CSV into columns, with a located diagnostic for every bad field.

use crate::model::population::{
    MAX_IDS, MAX_ROWS, Population, Record, Status, StringColumn, UsedId,
};
use crate::model::reference::CountryId;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::model::FastMap;

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
    let bom = if full.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = CsvReader {
        sources,
        file,
        map,
        bom,
        text: full.get(bom..).unwrap_or_default(),
        diagnostics: Vec::new(),
        ids: IdCheck::AfterReading,
    };
    let Some(population) = reader.read() else {
        return (Population::new(file, []), reader.diagnostics);
    };
    if reader.diagnostics.is_empty() && !may_share_ids(population.ids()) {
        return (population, reader.diagnostics);
    }
    // A file with a problem is read again, checking each id as its row is read, so that
    // every duplicate is reported with the line that used the id first.
    drop(population);
    reader.diagnostics.clear();
    reader.ids = IdCheck::EachRow;
    let population = reader.read().unwrap_or_else(|| Population::new(file, []));
    (population, reader.diagnostics)
}

/// About how many rows `body` (a file after its header) has, from the mean length of its
/// first lines, so that the population's columns are allocated once. A short line among
/// them (a blank row) moves the mean a little, not the estimate by a factor.
fn expected_rows(body: &str) -> usize {
    const SAMPLE_LINES: usize = 64;
    let (lines, sampled) = match body.match_indices('\n').nth(SAMPLE_LINES - 1) {
        Some((end, _)) => (SAMPLE_LINES, end + 1),
        None => (body.matches('\n').count().max(1), body.len()),
    };
    (body.len().saturating_mul(lines) / sampled.max(1)).min(MAX_ROWS)
}

/// When the reader looks for an id used twice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdCheck {
    /// Once every row is read, by sorting their hashes: a table of a million ids, looked
    /// up and filled a row at a time, was a third of reading a million-row file. Only a
    /// file read without any problem is checked this way: a row left out for another
    /// error still claims its id.
    AfterReading,
    /// As each row is read, remembering every id's first line for the message.
    EachRow,
}

/// Whether two records may share an id: whether two ids have the same 64-bit hash. A
/// sorted list of hashes is a tenth the memory of the ids; two different ids with one hash
/// (about one file in thirty million, at a million rows) only send the file down the
/// exact path.
fn may_share_ids(ids: &StringColumn) -> bool {
    let hasher = foldhash::fast::FixedState::default();
    let mut hashes: Vec<u64> = ids.iter().map(|id| hasher.hash_one(id)).collect();
    hashes.sort_unstable();
    hashes.windows(2).any(|pair| match pair {
        [first, second] => first == second,
        _ => false,
    })
}

/// The reader of one population file: where its text is, and what it has reported.
struct CsvReader<'a> {
    sources: &'a Sources,
    file: FileId,
    map: &'a TextMap,
    /// Bytes of byte-order mark before `text`.
    bom: usize,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
    ids: IdCheck,
}

/// What the rows are read into: the header's columns, what earlier rows used, and the
/// population so far.
struct Rows<'r, 'a> {
    header: &'r Header,
    seen: &'r mut Seen<'a>,
    population: &'r mut Population,
}

/// Where each column is, from the header row.
struct Header {
    id: usize,
    segment: usize,
    nationality: usize,
    residence: usize,
    status: usize,
    products: usize,
    sector: Option<usize>,
    weight: Option<usize>,
    licenses: Option<usize>,
    label: Option<usize>,
    /// The columns beyond the standard ones, with their names.
    extras: Vec<(usize, String)>,
    /// How many fields every row must have.
    width: usize,
    /// Where the header row ends.
    end: usize,
}

/// What the rows read so far have used: ids with their lines, product and license bits.
///
/// Ids are kept as slices of the file's text where they are written plainly, so that a
/// million rows do not leave a million small strings to free after loading (glibc then
/// spends tens of milliseconds consolidating them on the next large allocation, which
/// made the first simulation three times slower than the rest).
#[derive(Default)]
struct Seen<'a> {
    first_line: FastMap<Cow<'a, str>, u32>,
    products: ListTable,
    licenses: ListTable,
}

/// How many distinct lists a column remembers.
const MAX_REMEMBERED_LISTS: usize = 4_096;

/// The ids one list column has used, each with its bit, and the lists already read
/// without a problem with their bits, so that a list written again is one lookup.
#[derive(Default)]
struct ListTable {
    bits: FastMap<String, u32>,
    lists: FastMap<String, u64>,
}

/// One row being read. Its fields' byte ranges, which only a message (or, when a file is
/// read again row by row, an id) needs, are found when first asked for.
struct Row<'r> {
    fields: Fields<'r>,
    text: &'r str,
    ranges: OnceCell<Vec<(usize, usize)>>,
    start: usize,
    line: u32,
}

impl Row<'_> {
    fn field(&self, index: usize) -> &str {
        let field = self.fields.get(index).unwrap_or_default();
        // Most fields start and end with a printable ASCII character: no need to trim.
        match (field.as_bytes().first(), field.as_bytes().last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => {
                field
            }
            _ => field.trim(),
        }
    }

    fn ranges(&self) -> &[(usize, usize)] {
        self.ranges
            .get_or_init(|| field_ranges(self.text, self.start))
    }

    /// Where the row ends.
    fn end(&self) -> usize {
        self.ranges().last().map_or(self.start, |r| r.1)
    }

    /// The byte range of field `index`, or the row's end when it has no such field.
    fn range(&self, index: usize) -> (usize, usize) {
        self.ranges()
            .get(index)
            .copied()
            .unwrap_or((self.end(), self.end()))
    }
}

/// A row's fields as read: by the `csv` crate, or split at the commas of a line that has
/// nothing for it to unquote.
#[derive(Clone, Copy)]
enum Fields<'r> {
    Record(&'r csv::StringRecord),
    Plain(&'r [&'r str]),
}

impl<'r> Fields<'r> {
    fn get(self, index: usize) -> Option<&'r str> {
        match self {
            Fields::Record(record) => record.get(index),
            Fields::Plain(fields) => fields.get(index).copied(),
        }
    }

    fn len(self) -> usize {
        match self {
            Fields::Record(record) => record.len(),
            Fields::Plain(fields) => fields.len(),
        }
    }
}

/// Where a row starts: its byte offset in the text and its 1-based line.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Start {
    byte: usize,
    line: u32,
}

impl Start {
    fn of(position: &csv::Position) -> Start {
        Start {
            byte: usize::try_from(position.byte()).unwrap_or(usize::MAX),
            line: u32::try_from(position.line()).unwrap_or(u32::MAX),
        }
    }
}

/// Where the row that `csv` says starts at `reported` really starts: `csv` reports a row
/// that follows blank lines at the first of them, and its messages would point there.
fn past_blank_lines(text: &str, reported: Start) -> Start {
    let mut start = reported;
    let rest = text.as_bytes().get(reported.byte..).unwrap_or_default();
    for byte in rest {
        match byte {
            b'\n' => start.line = start.line.saturating_add(1),
            b'\r' => {}
            _ => break,
        }
        start.byte += 1;
    }
    start
}

/// Reads the rows after `from` of a text with no quote and no carriage return, which the
/// `csv` crate would read as plain comma-separated lines, giving `each` every row's start
/// and fields until it returns `false`. The fields are slices of the text: `csv` copies
/// every field into a record first, and a search per line and per comma cost more than
/// this one pass over the bytes. Blank lines are skipped, as `csv` skips them.
fn plain_rows<'t>(text: &'t str, from: Start, mut each: impl FnMut(Start, &[&'t str]) -> bool) {
    let mut fields: Vec<&'t str> = Vec::with_capacity(16);
    let mut line = from;
    let mut field = from.byte;
    let body = text.as_bytes().get(from.byte..).unwrap_or_default();
    for (at, byte) in (from.byte..).zip(body) {
        match byte {
            b',' => {
                fields.push(text.get(field..at).unwrap_or_default());
                field = at + 1;
            }
            b'\n' => {
                if at > line.byte {
                    fields.push(text.get(field..at).unwrap_or_default());
                    if !each(line, &fields) {
                        return;
                    }
                }
                fields.clear();
                line = Start {
                    byte: at + 1,
                    line: line.line.saturating_add(1),
                };
                field = at + 1;
            }
            _ => {}
        }
    }
    if line.byte < text.len() {
        fields.push(text.get(field..).unwrap_or_default());
        each(line, &fields);
    }
}

impl<'a> CsvReader<'a> {
    fn at(&self, (start, end): (usize, usize)) -> Loc {
        Loc {
            file: self.file,
            span: self
                .map
                .file_span(Span::new(start + self.bom, end + self.bom)),
        }
    }

    fn report(&mut self, range: (usize, usize), problem: PopulationError) {
        let diagnostic = self.sources.diagnostic(self.at(range), &problem);
        self.diagnostics.push(diagnostic);
    }

    /// Reads the whole file, or `None` when it has no usable header. One record serves
    /// every row.
    fn read(&mut self) -> Option<Population> {
        if self.text.trim().is_empty() {
            self.report((0, 0), PopulationError::Empty);
            return None;
        }
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(self.text.as_bytes());
        let mut record = csv::StringRecord::new();
        let header = match csv.read_record(&mut record) {
            Ok(true) => self.header(&record)?,
            Ok(false) => {
                self.report((0, 0), PopulationError::Empty);
                return None;
            }
            Err(error) => {
                self.report((0, 0), PopulationError::Malformed(error.to_string()));
                return None;
            }
        };
        let names = header.extras.iter().map(|(_, name)| name.clone());
        let mut population = Population::new(self.file, names.collect::<Vec<_>>());
        let expected = expected_rows(self.text.get(header.end..).unwrap_or_default());
        population.reserve(expected);
        let mut seen = Seen::default();
        if self.ids == IdCheck::EachRow {
            seen.first_line.reserve(expected);
        }
        let mut rows = Rows {
            header: &header,
            seen: &mut seen,
            population: &mut population,
        };
        // Two searches for one byte each, which run a word at a time; a search for
        // either character decoded the text a character at a time.
        let bytes = self.text.as_bytes();
        if bytes.contains(&b'"') || bytes.contains(&b'\r') {
            self.csv_rows(&mut csv, &mut record, &mut rows);
        } else {
            let text = self.text;
            plain_rows(text, Start::of(csv.position()), |start, fields| {
                self.row(Fields::Plain(fields), start, &mut rows)
            });
        }
        if population.is_empty() && self.diagnostics.is_empty() {
            self.report((0, header.end), PopulationError::NoRecords);
        }
        Some(population)
    }

    /// Reads the rows after the header with the `csv` crate.
    fn csv_rows(
        &mut self,
        csv: &mut csv::Reader<&[u8]>,
        record: &mut csv::StringRecord,
        rows: &mut Rows<'_, 'a>,
    ) {
        loop {
            match csv.read_record(record) {
                Ok(false) => return,
                Ok(true) => {
                    let reported = record
                        .position()
                        .map_or(Start { byte: 0, line: 1 }, Start::of);
                    let start = past_blank_lines(self.text, reported);
                    if !self.row(Fields::Record(record), start, rows) {
                        return;
                    }
                }
                Err(error) => {
                    let offset = error.position().map_or(0, |p| p.byte() as usize);
                    let problem = PopulationError::Malformed(error.to_string());
                    self.report((offset, offset), problem);
                }
            }
        }
    }

    /// Reads the header row: every column's place, duplicates and missing columns.
    fn header(&mut self, header: &csv::StringRecord) -> Option<Header> {
        let ranges = field_ranges(self.text, 0);
        let end = ranges.last().map_or(0, |r| r.1);
        let mut columns: HashMap<String, usize> = HashMap::new();
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            if columns.insert(name.to_owned(), index).is_some() {
                let range = ranges.get(index).copied().unwrap_or((0, 0));
                self.report(range, PopulationError::DuplicateColumn(name.to_owned()));
            }
        }
        let missing: Vec<&'static str> = REQUIRED
            .into_iter()
            .filter(|name| !columns.contains_key(*name))
            .collect();
        for name in &missing {
            self.report((0, end), PopulationError::MissingColumn(name));
        }
        if !missing.is_empty() {
            return None;
        }
        let column = |name: &str| columns.get(name).copied();
        let extras = header
            .iter()
            .map(str::trim)
            .enumerate()
            .filter(|(_, name)| {
                !REQUIRED.contains(name) && !OPTIONAL.contains(name) && !name.is_empty()
            })
            .map(|(index, name)| (index, name.to_owned()))
            .collect();
        Some(Header {
            id: column("id").unwrap_or(0),
            segment: column("segment").unwrap_or(0),
            nationality: column("nationality").unwrap_or(0),
            residence: column("residence").unwrap_or(0),
            status: column("status").unwrap_or(0),
            products: column("products").unwrap_or(0),
            sector: column("sector"),
            weight: column("weight"),
            licenses: column("licenses"),
            label: column("label"),
            extras,
            width: header.len(),
            end,
        })
    }

    /// Reads one row into the population if it has no error; `false` when reading must
    /// stop.
    fn row(&mut self, fields: Fields<'_>, start: Start, rows: &mut Rows<'_, 'a>) -> bool {
        if fields.len() == 1 && fields.get(0).is_some_and(|f| f.trim().is_empty()) {
            return true;
        }
        let row = Row {
            fields,
            text: self.text,
            ranges: OnceCell::new(),
            start: start.byte,
            line: start.line,
        };
        if rows.population.len() >= MAX_ROWS {
            self.report(row.range(0), PopulationError::TooManyRows);
            return false;
        }
        if self.has_shape(&row, rows.header.width) {
            self.record(&row, rows.header, rows.seen, rows.population);
        }
        true
    }

    /// Whether the row has one field per header column.
    fn has_shape(&mut self, row: &Row, width: usize) -> bool {
        let found = row.fields.len();
        if found < width {
            let end = row.end();
            self.report(
                (end, end),
                PopulationError::ShortRow {
                    found,
                    expected: width,
                },
            );
        } else if found > width {
            let problem = PopulationError::LongRow {
                found,
                expected: width,
            };
            self.report(row.range(width), problem);
        }
        found == width
    }

    /// Checks every field of a well-shaped row and adds it when all are good.
    fn record(
        &mut self,
        row: &Row,
        header: &Header,
        seen: &mut Seen<'a>,
        population: &mut Population,
    ) {
        let mut ok = self.required_present(row, header);
        let organisation = row.field(header.status) == Status::Entity.as_str();
        let nationality = self.country(row, "nationality", header.nationality, organisation);
        let residence = self.country(row, "residence", header.residence, organisation);
        let status = self.status(row, header.status);
        let weight = self.weight(row, header.weight);
        if self.ids == IdCheck::EachRow {
            ok &= self.id_is_new(row, header.id, seen);
        }
        let products_text = row.field(header.products);
        let products = self.bits(
            (row, header.products, "products"),
            &mut seen.products,
            &mut population.product_ids,
        );
        let licenses = match header.licenses {
            Some(index) => self.bits(
                (row, index, "licenses"),
                &mut seen.licenses,
                &mut population.license_ids,
            ),
            None => Some(0),
        };
        if products == Some(0) && !products_text.is_empty() {
            let range = row.range(header.products);
            self.report(range, PopulationError::EmptyField("products"));
            return;
        }
        let (Some(nationality), Some(residence), Some(status), Some(weight)) =
            (nationality, residence, status, weight)
        else {
            return;
        };
        let (Some(products), Some(licenses), true) = (products, licenses, ok) else {
            return;
        };
        let optional = |index: Option<usize>| index.map(|i| row.field(i)).unwrap_or_default();
        population.push(Record {
            id: row.field(header.id),
            label: optional(header.label),
            line: row.line,
            segment: row.field(header.segment),
            nationality,
            residence,
            status,
            sector: optional(header.sector),
            products,
            weight,
            licenses,
            extras: header.extras.iter().map(|(i, _)| row.field(*i)).collect(),
        });
    }

    /// Whether every required field has a value; reports each empty one.
    fn required_present(&mut self, row: &Row, header: &Header) -> bool {
        let mut ok = true;
        for (name, index) in [
            ("id", header.id),
            ("segment", header.segment),
            ("nationality", header.nationality),
            ("residence", header.residence),
            ("status", header.status),
            ("products", header.products),
        ] {
            if row.field(index).is_empty() {
                self.report(row.range(index), PopulationError::EmptyField(name));
                ok = false;
            }
        }
        ok
    }

    /// The country in field `index`, reporting an unknown code with a suggestion.
    fn country(
        &mut self,
        row: &Row,
        column: &'static str,
        index: usize,
        organisation: bool,
    ) -> Option<CountryId> {
        let code = row.field(index);
        if code.is_empty() {
            return None;
        }
        let reference = reference();
        let found = reference.country(code);
        if found.is_none() {
            let suggestion = reference
                .suggest_country(code)
                .map(|c| (c.alpha2.clone(), c.name.clone()));
            let problem = PopulationError::UnknownCountry {
                column,
                code: code.to_owned(),
                suggestion,
                organisation,
            };
            self.report(row.range(index), problem);
        }
        found
    }

    fn status(&mut self, row: &Row, index: usize) -> Option<Status> {
        let text = row.field(index);
        let status = Status::parse(text);
        if status.is_none() && !text.is_empty() {
            self.report(
                row.range(index),
                PopulationError::UnknownStatus(text.to_owned()),
            );
        }
        status
    }

    /// The row's weight: 1 without a `weight` column or value.
    fn weight(&mut self, row: &Row, index: Option<usize>) -> Option<f64> {
        let Some(index) = index.filter(|i| !row.field(*i).is_empty()) else {
            return Some(1.0);
        };
        let text = row.field(index);
        let problem = match text.parse::<f64>() {
            Ok(w) if w.is_finite() && w > 0.0 => return Some(w),
            Ok(_) => PopulationError::NonPositiveWeight(text.to_owned()),
            Err(_) => PopulationError::BadWeight(text.to_owned()),
        };
        self.report(row.range(index), problem);
        None
    }

    /// Whether the row's id is not used by an earlier row; remembers it.
    fn id_is_new(&mut self, row: &Row, index: usize, seen: &mut Seen<'a>) -> bool {
        let id = row.field(index);
        if id.is_empty() {
            return true;
        }
        if let Some(&first_line) = seen.first_line.get(id) {
            let problem = PopulationError::DuplicateId {
                id: id.to_owned(),
                first_line,
            };
            self.report(row.range(index), problem);
            return false;
        }
        let (start, end) = row.range(index);
        let raw = self.text.get(start..end).map(str::trim);
        let key = match raw {
            Some(raw) if raw == id => Cow::Borrowed(raw),
            _ => Cow::Owned(id.to_owned()),
        };
        seen.first_line.insert(key, row.line);
        true
    }

    /// The ids listed in a `;`-separated field as bits, giving new ids the next bit.
    fn bits(
        &mut self,
        (row, index, column): (&Row, usize, &'static str),
        table: &mut ListTable,
        used: &mut Vec<UsedId>,
    ) -> Option<u64> {
        let text = row.field(index);
        if let Some(&mask) = table.lists.get(text) {
            return Some(mask);
        }
        let reported = self.diagnostics.len();
        let mut mask = 0u64;
        for item in split_list(text) {
            let bit = match table.bits.get(item) {
                Some(&bit) => bit,
                None if used.len() >= MAX_IDS => {
                    self.report(row.range(index), PopulationError::TooManyIds(column));
                    return None;
                }
                None => {
                    let bit = u32::try_from(used.len()).unwrap_or(0);
                    table.bits.insert(item.to_owned(), bit);
                    let loc = self.at(row.range(index));
                    used.push(UsedId {
                        id: item.to_owned(),
                        loc,
                    });
                    bit
                }
            };
            if has_bit(mask, bit as usize) {
                let id = item.to_owned();
                self.report(
                    row.range(index),
                    PopulationError::ListedTwice { column, id },
                );
            }
            mask |= 1u64 << bit;
        }
        // A list with a problem is read again each time, so that each row says so. A file
        // of mostly different lists stops being remembered: they would cost a string a row.
        if self.diagnostics.len() == reported && table.lists.len() < MAX_REMEMBERED_LISTS {
            table.lists.insert(text.to_owned(), mask);
        }
        Some(mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to six characters from a small alphabet without quotes or
    /// carriage returns: the rows after the header are the `csv` crate's records, with the
    /// same fields, at the same bytes and lines once past any blank lines before them.
    #[test]
    fn plain_rows_are_the_csv_crates_records() {
        let alphabet = ['a', ',', '\n', ' ', 'é'];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| {
                    t.chars().count() + 1 == texts.last().map_or(0, |l| l.chars().count() + 1)
                })
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), (0..=6).map(|n| 5usize.pow(n)).sum::<usize>());
        for text in &texts {
            let mut csv = csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(false)
                .from_reader(text.as_bytes());
            let mut record = csv::StringRecord::new();
            let _ = csv.read_record(&mut record);
            let from = Start::of(csv.position());
            let mut expected = Vec::new();
            while csv.read_record(&mut record).unwrap_or(false) {
                let start = record
                    .position()
                    .map(|p| past_blank_lines(text, Start::of(p)));
                expected.push((start, record.iter().map(str::to_owned).collect::<Vec<_>>()));
            }
            let mut found = Vec::new();
            plain_rows(text, from, |start, fields| {
                found.push((Some(start), fields.iter().map(|f| f.to_string()).collect()));
                true
            });
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn the_row_estimate_follows_the_mean_line_not_a_blank_first_one() {
        let row = "p0000001,customer,US,CA,citizen,software,fable-5,1\n";
        let rows = row.repeat(10_000);
        assert_eq!(expected_rows(&rows), 10_000);
        // A blank line first: the estimate must not be the file's length over two.
        let estimate = expected_rows(&format!(" \n{rows}"));
        assert!((9_000..=11_000).contains(&estimate), "{estimate}");
        assert_eq!(expected_rows(""), 0);
        assert_eq!(expected_rows("a,b"), 1);
    }
}
