//! The population: who uses which product, stored column by column so that simulation
//! runs over flat arrays of small integers.

use std::collections::HashMap;

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
    index: HashMap<String, Sym>,
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

/// The records, column by column.
#[derive(Clone, Debug, Default)]
pub struct Population {
    /// The file it came from.
    pub file: FileId,
    /// Record ids.
    pub ids: Vec<String>,
    /// Human names of rows (may be empty).
    pub labels: Vec<String>,
    /// The 1-based line of each record.
    pub lines: Vec<u32>,
    /// Segments.
    pub segment: Vec<Sym>,
    /// Distinct segments.
    pub segments: Interner,
    /// Nationalities.
    pub nationality: Vec<CountryId>,
    /// Countries of residence.
    pub residence: Vec<CountryId>,
    /// Statuses.
    pub status: Vec<Status>,
    /// Sectors (the empty string when absent).
    pub sector: Vec<Sym>,
    /// Distinct sectors.
    pub sectors: Interner,
    /// Products each record uses, as bits over `product_ids`.
    pub products: Vec<u64>,
    /// The distinct product ids used.
    pub product_ids: Vec<UsedId>,
    /// Weights.
    pub weight: Vec<f64>,
    /// Licenses each record holds, as bits over `license_ids`.
    pub licenses: Vec<u64>,
    /// The distinct directive ids licensed.
    pub license_ids: Vec<UsedId>,
    /// Other columns.
    pub extras: Vec<ExtraColumn>,
    /// The records' breakdown profiles, worked out on first use.
    pub profiles: std::sync::OnceLock<Profiles>,
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
        let mut index: HashMap<Profile, u32> = HashMap::new();
        let mut keys = Vec::new();
        let of_record = population
            .segment
            .iter()
            .zip(&population.residence)
            .zip(&population.nationality)
            .zip(&population.sector)
            .zip(&population.status)
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

impl Population {
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
