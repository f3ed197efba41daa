//! The compiled form simulation runs on. A condition only ever asks whether a value is in
//! a set, so the values of each column fall into a few classes that no rule of the
//! scenario can tell apart (for the Friday letter, nationality has two: U.S. and not).
//! A person's decision for a product depends only on their class in each column the rules
//! read, and on the licenses the rules can use. Compiling a scenario maps every column
//! value to its class once; simulating a record is then a few array lookups to find its
//! class combination, and the decision for a combination is worked out the first time a
//! record has it and read from the table after that.
//!
//! The table never changes a decision: the decision for a combination is made by
//! [`verdict`] on a representative with those classes, and `tests/properties.rs` checks
//! every pair against the record-by-record evaluation.

use std::collections::HashMap;

use crate::compile::{CompiledScenario, CountryField, Pred, Subject, SymField};
use crate::model::population::{Population, Status, Sym};
use crate::model::reference::{CountryId, MAX_COUNTRIES, reference};

/// The most (class combination, product) cells a table may have; a scenario whose rules
/// split the population more finely is simulated record by record.
pub const MAX_CELLS: usize = 1 << 20;

/// A column the rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Column {
    Status,
    Country(CountryField),
    Symbol(SymField),
}

/// How one column's values map to classes.
#[derive(Clone, Debug)]
struct ColumnClasses {
    column: Column,
    /// For each value, its class times the column's stride.
    offset_of_value: Vec<u32>,
    /// One value of each class.
    representatives: Vec<u32>,
    /// The class count times the stride: the stride of the next column.
    stride: u32,
}

/// Each column's classes and the licenses the rules can use, for one compiled scenario and
/// its population.
#[derive(Clone, Debug)]
pub struct ClassMap {
    columns: Vec<ColumnClasses>,
    /// The license bits directives use, each a factor of two in the class count.
    license_bits: Vec<u32>,
    /// The stride of the first license bit.
    license_stride: u32,
    /// Distinct class combinations.
    pub(crate) combinations: usize,
    /// Scenario products.
    pub(crate) products: usize,
}

fn column_domain(column: Column, population: &Population) -> usize {
    match column {
        Column::Status => Status::ALL.len(),
        Column::Country(_) => MAX_COUNTRIES,
        Column::Symbol(SymField::Segment) => population.segments.values().len(),
        Column::Symbol(SymField::Sector) => population.sectors.values().len(),
        Column::Symbol(SymField::Extra(index)) => population
            .extras()
            .get(index)
            .map_or(0, |c| c.interner.values().len()),
    }
}

fn leaf_column(leaf: &Pred) -> Option<Column> {
    match leaf {
        Pred::Status(_) => Some(Column::Status),
        Pred::Country(field, _) => Some(Column::Country(*field)),
        Pred::Sym(field, _) => Some(Column::Symbol(*field)),
        _ => None,
    }
}

/// Whether `leaf` holds for `value` of its column.
fn leaf_holds(leaf: &Pred, value: u32) -> bool {
    match leaf {
        Pred::Status(mask) => value < 8 && (mask >> value) & 1 == 1,
        Pred::Country(_, set) => CountryId::try_from(value).is_ok_and(|c| set.contains(c)),
        Pred::Sym(_, syms) => syms.contains(&value),
        _ => false,
    }
}

impl ClassMap {
    /// Works out the classes of every column the scenario's rules read, or `None` when the
    /// rules split the population into more than [`MAX_CELLS`] cells.
    pub fn build(
        compiled: &CompiledScenario,
        population: &Population,
        products: usize,
    ) -> Option<ClassMap> {
        Self::build_within(compiled, population, products, MAX_CELLS)
    }

    /// Works out the classes like [`Self::build`], with `limit` cells instead of
    /// [`MAX_CELLS`] (tests use it to run the table on rules too fine for it).
    pub fn build_within(
        compiled: &CompiledScenario,
        population: &Population,
        products: usize,
        limit: usize,
    ) -> Option<ClassMap> {
        let preds: Vec<&Pred> = compiled
            .policies()
            .flat_map(|p| p.rules())
            .map(|r| &r.pred)
            .collect();
        let license_bits: Vec<u32> = compiled
            .policies()
            .flat_map(|p| &p.directives)
            .filter_map(|d| d.license_bit)
            .collect();
        Self::from_preds(&preds, license_bits, population, products, limit)
    }

    /// Works out the classes of every column that `preds` read, with `license_bits` as
    /// the licenses that matter, or `None` beyond `limit` cells. `cutoff diff` builds one
    /// map over two scenarios' rules this way.
    pub fn from_preds(
        preds: &[&Pred],
        mut license_bits: Vec<u32>,
        population: &Population,
        products: usize,
        limit: usize,
    ) -> Option<ClassMap> {
        let mut leaves: Vec<(Column, &Pred)> = Vec::new();
        for pred in preds {
            pred.for_each_leaf(&mut |leaf| {
                if let Some(column) = leaf_column(leaf) {
                    leaves.push((column, leaf));
                }
            });
        }
        let mut order: Vec<Column> = Vec::new();
        for (column, _) in &leaves {
            if !order.contains(column) {
                order.push(*column);
            }
        }
        let mut columns = Vec::new();
        let mut stride: u32 = 1;
        for column in order {
            let column_leaves: Vec<&Pred> = leaves
                .iter()
                .filter(|(c, _)| *c == column)
                .map(|(_, leaf)| *leaf)
                .collect();
            let mut class_of_signature: HashMap<Vec<bool>, u32> = HashMap::new();
            let mut representatives = Vec::new();
            let mut offset_of_value = Vec::new();
            for value in 0..column_domain(column, population) {
                let value = u32::try_from(value).ok()?;
                let signature: Vec<bool> = column_leaves
                    .iter()
                    .map(|leaf| leaf_holds(leaf, value))
                    .collect();
                let class = *class_of_signature.entry(signature).or_insert_with(|| {
                    representatives.push(value);
                    u32::try_from(representatives.len() - 1).unwrap_or(u32::MAX)
                });
                offset_of_value.push(class.checked_mul(stride)?);
            }
            let count = u32::try_from(representatives.len().max(1)).ok()?;
            stride = stride.checked_mul(count)?;
            columns.push(ColumnClasses {
                column,
                offset_of_value,
                representatives,
                stride,
            });
        }
        license_bits.sort_unstable();
        license_bits.dedup();
        let license_stride = stride;
        let shift = u32::try_from(license_bits.len()).ok()?;
        let combinations = usize::try_from(stride)
            .ok()?
            .checked_mul(1usize.checked_shl(shift)?)?;
        (combinations.checked_mul(products.max(1))? <= limit).then_some(ClassMap {
            columns,
            license_bits,
            license_stride,
            combinations,
            products,
        })
    }

    /// Makes each class's representative a value that records have, where some record
    /// has one, so that examples read like the population (`US` rather than `AS`).
    pub fn prefer_occurring(&mut self, population: &Population) {
        let mut stride = 1;
        for column in &mut self.columns {
            let mut values: Vec<usize> = match column.column {
                Column::Status => population.status().iter().map(|&s| s as usize).collect(),
                Column::Country(CountryField::Nationality) => population
                    .nationality()
                    .iter()
                    .map(|&c| usize::from(c))
                    .collect(),
                Column::Country(CountryField::Residence) => population
                    .residence()
                    .iter()
                    .map(|&c| usize::from(c))
                    .collect(),
                Column::Symbol(SymField::Segment) => {
                    population.segment().iter().map(|&s| s as usize).collect()
                }
                Column::Symbol(SymField::Sector) => {
                    population.sector().iter().map(|&s| s as usize).collect()
                }
                Column::Symbol(SymField::Extra(index)) => population
                    .extras()
                    .get(index)
                    .map(|c| c.values.iter().map(|&s| s as usize).collect())
                    .unwrap_or_default(),
            };
            let mut seen = vec![false; column.representatives.len()];
            if let Column::Country(_) = column.column
                && let Some(us) = reference().country("US")
            {
                // A class no record is in shows the United States, if it holds it.
                values.push(usize::from(us));
            }
            for value in values {
                let Some(&offset) = column.offset_of_value.get(value) else {
                    continue;
                };
                let class = (offset / stride.max(1)) as usize;
                if seen.get(class) == Some(&false)
                    && let (Some(slot), Ok(value)) =
                        (column.representatives.get_mut(class), u32::try_from(value))
                {
                    *slot = value;
                    if let Some(done) = seen.get_mut(class) {
                        *done = true;
                    }
                }
            }
            stride = column.stride;
        }
    }

    /// Distinct class combinations.
    pub fn combinations(&self) -> usize {
        self.combinations
    }

    /// Whether the map was built for a population with these columns (the same values in
    /// every column the rules read).
    pub fn fits(&self, population: &Population) -> bool {
        self.columns
            .iter()
            .all(|c| c.offset_of_value.len() == column_domain(c.column, population))
    }

    /// Each record's class combination.
    pub fn record_classes(&self, population: &Population) -> Vec<u32> {
        let mut classes = vec![0u32; population.len()];
        self.classes_of_records(population, 0, &mut classes);
        classes
    }

    /// The class combinations of the records from `first` on, one for each slot of `out`,
    /// one column at a time.
    pub fn classes_of_records(&self, population: &Population, first: usize, out: &mut [u32]) {
        fn add<T: Copy>(
            out: &mut [u32],
            values: &[T],
            first: usize,
            offsets: &[u32],
            index: impl Fn(T) -> usize,
        ) {
            let values = values.get(first..).unwrap_or_default();
            for (class, &value) in out.iter_mut().zip(values) {
                *class += offsets.get(index(value)).copied().unwrap_or(0);
            }
        }
        out.fill(0);
        for column in &self.columns {
            let offsets = column.offset_of_value.as_slice();
            match column.column {
                Column::Status => add(out, population.status(), first, offsets, |s| s as usize),
                Column::Country(CountryField::Nationality) => {
                    add(out, population.nationality(), first, offsets, usize::from);
                }
                Column::Country(CountryField::Residence) => {
                    add(out, population.residence(), first, offsets, usize::from);
                }
                Column::Symbol(SymField::Segment) => {
                    add(out, population.segment(), first, offsets, |s| s as usize);
                }
                Column::Symbol(SymField::Sector) => {
                    add(out, population.sector(), first, offsets, |s| s as usize);
                }
                Column::Symbol(SymField::Extra(index)) => {
                    if let Some(extra) = population.extras().get(index) {
                        add(out, &extra.values, first, offsets, |s| s as usize);
                    }
                }
            }
        }
        let licenses = population.licenses().get(first..).unwrap_or_default();
        for (position, &bit) in self.license_bits.iter().enumerate() {
            let weight = self.license_stride << position;
            for (class, &held) in out.iter_mut().zip(licenses) {
                if crate::model::outcome::has_bit(held, bit as usize) {
                    *class += weight;
                }
            }
        }
    }

    /// The class combinations the population's records have, each with the product bits
    /// its records use, in first-seen order.
    pub fn occurring(&self, population: &Population) -> Vec<(u32, u64)> {
        let mut masks = vec![None::<u64>; self.combinations];
        let mut order = Vec::new();
        for (&combination, &products) in self
            .record_classes(population)
            .iter()
            .zip(population.products())
        {
            if let Some(slot) = masks.get_mut(combination as usize) {
                match slot {
                    Some(mask) => *mask |= products,
                    None => {
                        *slot = Some(products);
                        order.push(combination);
                    }
                }
            }
        }
        order
            .into_iter()
            .map(|c| (c, masks.get(c as usize).copied().flatten().unwrap_or(0)))
            .collect()
    }

    /// Whether `pred` holds for the records of `combination` and `product`.
    pub fn holds(&self, pred: &Pred, combination: u32, product: usize) -> bool {
        pred.eval_on(&self.representative(combination), product)
    }

    /// A person with the classes of combination `combination`.
    pub(crate) fn representative(&self, combination: u32) -> Representative {
        let mut person = Representative::default();
        let mut rest = combination;
        let mut stride = 1;
        for column in &self.columns {
            let count = (column.stride / stride).max(1);
            let class = rest % count;
            rest /= count;
            stride = column.stride;
            let value = column
                .representatives
                .get(class as usize)
                .copied()
                .unwrap_or(0);
            match column.column {
                Column::Status => {
                    person.status = Status::ALL.get(value as usize).copied();
                }
                Column::Country(CountryField::Nationality) => {
                    person.nationality = CountryId::try_from(value).ok();
                }
                Column::Country(CountryField::Residence) => {
                    person.residence = CountryId::try_from(value).ok();
                }
                Column::Symbol(SymField::Segment) => person.segment = Some(value),
                Column::Symbol(SymField::Sector) => person.sector = Some(value),
                Column::Symbol(SymField::Extra(index)) => {
                    person.extras.push((index, value));
                }
            }
        }
        for (position, &bit) in self.license_bits.iter().enumerate() {
            if (rest >> position) & 1 == 1 && bit < 64 {
                person.licenses |= 1 << bit;
            }
        }
        person
    }
}

/// A stand-in for every record of one class combination.
#[derive(Clone, Debug, Default)]
pub(crate) struct Representative {
    /// The status, if the rules read it.
    pub(crate) status: Option<Status>,
    /// The nationality, if the rules read it.
    pub(crate) nationality: Option<CountryId>,
    /// The country of residence, if the rules read it.
    pub(crate) residence: Option<CountryId>,
    /// The segment, if the rules read it.
    pub(crate) segment: Option<Sym>,
    /// The sector, if the rules read it.
    pub(crate) sector: Option<Sym>,
    /// The extra columns the rules read, by index, with their values.
    pub(crate) extras: Vec<(usize, Sym)>,
    /// The licenses held, as bits over the population's license ids.
    pub(crate) licenses: u64,
}

impl Subject for Representative {
    fn status(&self) -> Option<Status> {
        self.status
    }

    fn country(&self, field: CountryField) -> Option<CountryId> {
        match field {
            CountryField::Nationality => self.nationality,
            CountryField::Residence => self.residence,
        }
    }

    fn symbol(&self, field: SymField) -> Option<Sym> {
        match field {
            SymField::Segment => self.segment,
            SymField::Sector => self.sector,
            SymField::Extra(index) => self
                .extras
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, value)| *value),
        }
    }

    fn licenses(&self) -> u64 {
        self.licenses
    }
}
