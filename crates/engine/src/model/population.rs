//! The population: who uses which product, stored column by column so that simulation
//! runs over flat arrays of small integers.

use crate::model::FastMap;
use crate::model::reference::CountryId;
use crate::source::{FileId, Loc};

/// An interned string within one column.
pub type Sym = u32;

/// The most rows a population may have.
pub const MAX_ROWS: usize = 5_000_000;

/// The most distinct product ids, and distinct license ids, a population may use.
pub const MAX_IDS: usize = 64;

/// Distinct strings of one column, each stored once.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    values: Vec<String>,
    index: FastMap<String, Sym>,
}

impl Interner {
    /// The symbol for `value`, adding it if new.
    pub fn intern(&mut self, value: &str) -> Sym {
        if let Some(&sym) = self.index.get(value) {
            return sym;
        }
        let sym = Sym::try_from(self.values.len()).unwrap_or(Sym::MAX);
        self.values.push(value.to_owned());
        self.index.insert(value.to_owned(), sym);
        sym
    }

    /// The symbol for `value`, if present.
    pub fn get(&self, value: &str) -> Option<Sym> {
        self.index.get(value).copied()
    }

    /// The string of a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        self.values.get(sym as usize).map_or("", String::as_str)
    }

    /// Every distinct value, in first-seen order.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// The strings of one column stored end to end in one buffer: a million ids are two
/// allocations rather than a million, each of which would be freed on its own when the
/// population goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringColumn {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl StringColumn {
    /// Adds a string at the end.
    pub fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends.push(self.text.len());
    }

    /// Makes room for `additional` more strings.
    pub fn reserve(&mut self, additional: usize) {
        self.ends.reserve(additional);
    }

    /// The string at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every string, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|index| self.get(index).unwrap_or_default())
    }

    /// The one string at `index`, as a column of its own.
    fn only(&self, index: usize) -> Option<StringColumn> {
        let mut column = StringColumn::default();
        column.push(self.get(index)?);
        Some(column)
    }
}

/// A person's standing under U.S. law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// A U.S. citizen.
    Citizen,
    /// A lawful permanent resident.
    PermanentResident,
    /// A protected individual (refugee, asylee).
    Protected,
    /// An individual who is none of the above.
    ForeignNational,
    /// An organisation (a company, university or agency holding the account): its
    /// `nationality` is the country under whose laws it is organised, its `residence` the
    /// office that uses the product.
    Entity,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 5] = [
        Status::Citizen,
        Status::PermanentResident,
        Status::Protected,
        Status::ForeignNational,
        Status::Entity,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Citizen => "citizen",
            Status::PermanentResident => "permanent_resident",
            Status::Protected => "protected",
            Status::ForeignNational => "foreign_national",
            Status::Entity => "entity",
        }
    }

    /// Parses the name used in files.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the status alone makes an individual a U.S. person wherever they live
    /// (15 CFR 772.1): a citizen, a permanent resident or a protected individual.
    pub fn is_us_person_individual(self) -> bool {
        matches!(
            self,
            Status::Citizen | Status::PermanentResident | Status::Protected
        )
    }

    /// Whether the record is an organisation rather than a person.
    pub fn is_entity(self) -> bool {
        self == Status::Entity
    }

    /// The names, for messages.
    pub fn names() -> [&'static str; 5] {
        Status::ALL.map(Status::as_str)
    }
}

/// A column beyond the standard ones, as a string attribute.
#[derive(Clone, Debug, Default)]
pub struct ExtraColumn {
    /// The header name.
    pub name: String,
    /// One symbol per record.
    pub values: Vec<Sym>,
    /// Its distinct values.
    pub interner: Interner,
}

/// An id used in the `products` or `licenses` column, with its first appearance.
#[derive(Clone, Debug, PartialEq)]
pub struct UsedId {
    /// The id.
    pub id: String,
    /// Where it first appears.
    pub loc: Loc,
}

/// The columns a generated or expanded population CSV is written with, in order.
pub const WRITTEN_COLUMNS: [&str; 8] = [
    "id",
    "segment",
    "nationality",
    "residence",
    "status",
    "sector",
    "products",
    "weight",
];

/// A CSV writer for population rows: every value is quoted when it must be, and rows end
/// in `\n`. Writing to memory cannot fail.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// The records, column by column. The columns are private and grow only through
/// [`Population::push`], so they always have the same length.
#[derive(Clone, Debug, Default)]
pub struct Population {
    /// The file it came from.
    pub file: FileId,
    /// Record ids.
    ids: StringColumn,
    /// Human names of rows (may be empty).
    labels: StringColumn,
    /// The 1-based line of each record.
    lines: Vec<u32>,
    /// Segments.
    segment: Vec<Sym>,
    /// Distinct segments.
    pub segments: Interner,
    /// Nationalities.
    nationality: Vec<CountryId>,
    /// Countries of residence.
    residence: Vec<CountryId>,
    /// Statuses.
    status: Vec<Status>,
    /// Sectors (the empty string when absent).
    sector: Vec<Sym>,
    /// Distinct sectors.
    pub sectors: Interner,
    /// Products each record uses, as bits over `product_ids`.
    products: Vec<u64>,
    /// The distinct product ids used.
    pub product_ids: Vec<UsedId>,
    /// Weights.
    weight: Vec<f64>,
    /// Licenses each record holds, as bits over `license_ids`.
    licenses: Vec<u64>,
    /// The distinct directive ids licensed.
    pub license_ids: Vec<UsedId>,
    /// Other columns.
    extras: Vec<ExtraColumn>,
    /// The records' breakdown profiles, worked out on first use.
    profiles: std::sync::OnceLock<Profiles>,
}

/// What every breakdown groups people by: segment, residence, nationality, sector and
/// status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Profile {
    /// The segment.
    pub segment: Sym,
    /// The country of residence.
    pub residence: CountryId,
    /// The nationality.
    pub nationality: CountryId,
    /// The sector.
    pub sector: Sym,
    /// The status.
    pub status: Status,
}

/// The distinct profiles of a population and each record's, so that simulation sums
/// weights once per profile and spreads them into every breakdown at the end.
#[derive(Clone, Debug, Default)]
pub struct Profiles {
    /// Each distinct profile, in first-seen order.
    pub keys: Vec<Profile>,
    /// Each record's index into `keys`.
    pub of_record: Vec<u32>,
}

impl Profiles {
    fn of(population: &Population) -> Profiles {
        let mut index: FastMap<Profile, u32> = FastMap::default();
        let mut keys = Vec::new();
        let of_record = population
            .segment()
            .iter()
            .zip(population.residence())
            .zip(population.nationality())
            .zip(population.sector())
            .zip(population.status())
            .map(
                |((((&segment, &residence), &nationality), &sector), &status)| {
                    let profile = Profile {
                        segment,
                        residence,
                        nationality,
                        sector,
                        status,
                    };
                    *index.entry(profile).or_insert_with(|| {
                        keys.push(profile);
                        u32::try_from(keys.len() - 1).unwrap_or(u32::MAX)
                    })
                },
            )
            .collect();
        Profiles { keys, of_record }
    }
}

/// One attribute of one record, changed (the "why" panel's what-if).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change {
    /// A different status.
    Status(Status),
    /// A different country of residence.
    Residence(CountryId),
    /// A different nationality.
    Nationality(CountryId),
    /// A different sector, by symbol.
    Sector(Sym),
    /// A different segment, by symbol.
    Segment(Sym),
}

/// One record's values, added to every column at once by [`Population::push`].
#[derive(Clone, Debug)]
pub struct Record<'a> {
    /// The record's id.
    pub id: &'a str,
    /// Its human name (may be empty).
    pub label: &'a str,
    /// The 1-based line it was read from.
    pub line: u32,
    /// Its segment.
    pub segment: &'a str,
    /// Its nationality.
    pub nationality: CountryId,
    /// Its country of residence.
    pub residence: CountryId,
    /// Its status.
    pub status: Status,
    /// Its sector (empty when absent).
    pub sector: &'a str,
    /// The products it uses, as bits over `product_ids`.
    pub products: u64,
    /// How many people it stands for.
    pub weight: f64,
    /// The licenses it holds, as bits over `license_ids`.
    pub licenses: u64,
    /// Its values in the extra columns, in their order (missing ones are empty).
    pub extras: Vec<&'a str>,
}

impl Population {
    /// An empty population read from `file`, with these extra columns.
    pub fn new(file: FileId, extra_columns: impl IntoIterator<Item = String>) -> Self {
        Population {
            file,
            extras: extra_columns
                .into_iter()
                .map(|name| ExtraColumn {
                    name,
                    ..ExtraColumn::default()
                })
                .collect(),
            ..Population::default()
        }
    }

    /// Makes room for `additional` more records, so that a large file fills each column
    /// without copying it as it grows.
    pub fn reserve(&mut self, additional: usize) {
        self.ids.reserve(additional);
        self.labels.reserve(additional);
        self.lines.reserve(additional);
        self.segment.reserve(additional);
        self.nationality.reserve(additional);
        self.residence.reserve(additional);
        self.status.reserve(additional);
        self.sector.reserve(additional);
        self.products.reserve(additional);
        self.weight.reserve(additional);
        self.licenses.reserve(additional);
        for column in &mut self.extras {
            column.values.reserve(additional);
        }
    }

    /// Adds one record to every column.
    pub fn push(&mut self, record: Record<'_>) {
        self.ids.push(record.id);
        self.labels.push(record.label);
        self.lines.push(record.line);
        self.segment.push(self.segments.intern(record.segment));
        self.nationality.push(record.nationality);
        self.residence.push(record.residence);
        self.status.push(record.status);
        self.sector.push(self.sectors.intern(record.sector));
        self.products.push(record.products);
        self.weight.push(record.weight);
        self.licenses.push(record.licenses);
        for (index, column) in self.extras.iter_mut().enumerate() {
            let value = record.extras.get(index).copied().unwrap_or_default();
            column.values.push(column.interner.intern(value));
        }
        self.profiles = std::sync::OnceLock::new();
    }

    /// A population of the one record at `index`, with the same symbols and id tables,
    /// so that a scenario compiled for this population decides it the same way.
    pub fn only(&self, index: usize) -> Option<Population> {
        let one = index..index + 1;
        let extras = self
            .extras
            .iter()
            .map(|column| {
                Some(ExtraColumn {
                    name: column.name.clone(),
                    values: column.values.get(one.clone())?.to_vec(),
                    interner: column.interner.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Population {
            file: self.file,
            ids: self.ids.only(index)?,
            labels: self.labels.only(index)?,
            lines: self.lines.get(one.clone())?.to_vec(),
            segment: self.segment.get(one.clone())?.to_vec(),
            segments: self.segments.clone(),
            nationality: self.nationality.get(one.clone())?.to_vec(),
            residence: self.residence.get(one.clone())?.to_vec(),
            status: self.status.get(one.clone())?.to_vec(),
            sector: self.sector.get(one.clone())?.to_vec(),
            sectors: self.sectors.clone(),
            products: self.products.get(one.clone())?.to_vec(),
            product_ids: self.product_ids.clone(),
            weight: self.weight.get(one.clone())?.to_vec(),
            licenses: self.licenses.get(one)?.to_vec(),
            license_ids: self.license_ids.clone(),
            extras,
            profiles: std::sync::OnceLock::new(),
        })
    }

    /// Changes one attribute of the record at `index` (nothing when there is none).
    pub fn set(&mut self, index: usize, change: Change) {
        fn put<T>(column: &mut [T], index: usize, value: T) {
            if let Some(slot) = column.get_mut(index) {
                *slot = value;
            }
        }
        match change {
            Change::Status(status) => put(&mut self.status, index, status),
            Change::Residence(country) => put(&mut self.residence, index, country),
            Change::Nationality(country) => put(&mut self.nationality, index, country),
            Change::Sector(sym) => put(&mut self.sector, index, sym),
            Change::Segment(sym) => put(&mut self.segment, index, sym),
        }
        self.profiles = std::sync::OnceLock::new();
    }

    /// Adds `value` to the distinct values of the string attribute `attribute` (`segment`,
    /// `sector` or an extra column) without a record that has it, so that conditions can
    /// name it; `false` when the population has no such string attribute.
    pub fn add_value(&mut self, attribute: &str, value: &str) -> bool {
        let interner = match attribute {
            "segment" => &mut self.segments,
            "sector" => &mut self.sectors,
            name => match self.extras.iter_mut().find(|c| c.name == name) {
                Some(column) => &mut column.interner,
                None => return false,
            },
        };
        interner.intern(value);
        true
    }

    /// Replaces every record's weight, in record order (records beyond `weights` keep
    /// theirs); for re-weighing one population rather than reading another.
    pub fn set_weights(&mut self, weights: Vec<f64>) {
        for (slot, weight) in self.weight.iter_mut().zip(weights) {
            *slot = weight;
        }
    }

    /// Record ids.
    pub fn ids(&self) -> &StringColumn {
        &self.ids
    }

    /// Human names of rows (may be empty).
    pub fn labels(&self) -> &StringColumn {
        &self.labels
    }

    /// The 1-based line of each record.
    pub fn lines(&self) -> &[u32] {
        &self.lines
    }

    /// Segments.
    pub fn segment(&self) -> &[Sym] {
        &self.segment
    }

    /// Nationalities.
    pub fn nationality(&self) -> &[CountryId] {
        &self.nationality
    }

    /// Countries of residence.
    pub fn residence(&self) -> &[CountryId] {
        &self.residence
    }

    /// Statuses.
    pub fn status(&self) -> &[Status] {
        &self.status
    }

    /// Sectors (the empty string's symbol when absent).
    pub fn sector(&self) -> &[Sym] {
        &self.sector
    }

    /// Products each record uses, as bits over `product_ids`.
    pub fn products(&self) -> &[u64] {
        &self.products
    }

    /// Weights.
    pub fn weight(&self) -> &[f64] {
        &self.weight
    }

    /// Licenses each record holds, as bits over `license_ids`.
    pub fn licenses(&self) -> &[u64] {
        &self.licenses
    }

    /// The extra columns.
    pub fn extras(&self) -> &[ExtraColumn] {
        &self.extras
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// An extra column by name.
    pub fn extra(&self, name: &str) -> Option<&ExtraColumn> {
        self.extras.iter().find(|c| c.name == name)
    }

    /// The sum of all weights.
    pub fn total_weight(&self) -> f64 {
        self.weight.iter().sum()
    }

    /// The records' breakdown profiles (worked out once, then kept).
    pub fn profiles(&self) -> &Profiles {
        self.profiles.get_or_init(|| Profiles::of(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_column_keeps_each_string_whole_and_in_order() {
        let mut column = StringColumn::default();
        assert!(column.is_empty());
        for value in ["p1", "", "Zoë", "p1"] {
            column.push(value);
        }
        assert_eq!(column.len(), 4);
        assert_eq!(column.get(0), Some("p1"));
        assert_eq!(column.get(1), Some(""));
        assert_eq!(column.get(2), Some("Zoë"));
        assert_eq!(column.get(4), None);
        assert_eq!(column.iter().collect::<Vec<_>>(), ["p1", "", "Zoë", "p1"]);
        let only = column.only(2);
        assert_eq!(only.as_ref().map(StringColumn::len), Some(1));
        assert_eq!(only.as_ref().and_then(|c| c.get(0)), Some("Zoë"));
        assert_eq!(column.only(4), None);
    }
}
