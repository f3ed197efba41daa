//! `cutoff diff`: the whole difference between two scenarios over one population (DESIGN
//! §5). A pair's outcome depends only on its class combination (one class per column the
//! two scenarios' rules read, see [`ClassMap`]) and its product, so the difference is
//! worked out per (combination, product) cell: the cells records have give the regions,
//! written back as conditions in the scenario language; the cells no record has, and on
//! which the scenarios still disagree, are the "possible but absent" combinations, each
//! shown with an example record that the ordinary simulation has confirmed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::aggregate::simulate;
use crate::compile::classes::{ClassMap, MAX_CELLS, Representative};
use crate::compile::{CompiledScenario, Pred, Vocabulary, compile, compile_condition};
use crate::load::Scenario;
use crate::load::population::load_population;
use crate::model::date::Date;
use crate::model::outcome::Outcome;
use crate::model::population::{Population, Status, csv_writer};
use crate::model::reference::reference;
use crate::simulate::{in_force, verdict};
use crate::source::diagnostic::{Diagnostic, Problem, Severity};
use crate::source::toml_text::TextMap;
use crate::source::{Loc, Sources};

mod atoms;
mod cover;

use atoms::{Atom, atoms};

/// One region of the difference: the pairs a condition matches, all with the same two
/// outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// The condition, in the scenario language (DESIGN §3).
    pub when: String,
    /// The outcome under A.
    pub a: Outcome,
    /// The outcome under B.
    pub b: Outcome,
    /// How many (record, product) pairs it holds.
    pub pairs: usize,
    /// Their weight (people times products).
    pub weight: f64,
}

/// A combination of attribute values no record has, on which A and B decide differently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Absent {
    /// The outcome under A.
    pub a: Outcome,
    /// The outcome under B.
    pub b: Outcome,
    /// An example: each attribute the scenarios' conditions read, with its value, then
    /// `product`.
    pub example: Vec<(String, String)>,
}

/// The whole difference between two scenarios.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// Disjoint regions covering every pair whose outcome differs, the heaviest first.
    pub regions: Vec<Region>,
    /// Every combination no record has on which the two differ.
    pub absent: Vec<Absent>,
    /// Whether some pair served under A is not served under B.
    pub new_loss: bool,
}

/// Why two scenarios cannot be compared.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum DiffError {
    /// The two scenarios' products differ.
    #[error("the scenarios have different products: A has {a}, B has {b}")]
    Products {
        /// A's product ids.
        a: String,
        /// B's product ids.
        b: String,
    },
    /// A scenario does not compile against A's population.
    #[error("scenario B does not fit the population of scenario A")]
    DoesNotFit,
    /// The two scenarios' rules split the population too finely.
    #[error("the two scenarios' rules split the population into more than {0} cells")]
    TooFine(usize),
    /// The difference depends on a license held, which no condition can name.
    #[error(
        "the difference depends on which licenses a record holds, and no condition can name a license"
    )]
    Licenses,
    /// The two scenarios' conditions have more distinct atomic conditions than a region can
    /// be written with, so regions could not be told apart.
    #[error(
        "the two scenarios' rules use more than {max} distinct conditions, too many to write the difference with"
    )]
    TooManyConditions {
        /// The most a region can use.
        max: usize,
    },
}

impl Problem for DiffError {
    fn help(&self) -> Option<String> {
        match self {
            DiffError::Products { .. } => Some(
                "`cutoff diff` compares two scenarios on the same products; give both the same `[[products]]`".into(),
            ),
            DiffError::DoesNotFit => Some(
                "B is simulated over A's population; B's conditions must name only attributes that population has".into(),
            ),
            DiffError::TooFine(_) => Some("compare scenarios with fewer distinct conditions".into()),
            DiffError::Licenses => Some(
                "records alike in every attribute the rules read differ only in the `licenses` column, which conditions cannot read; diff scenarios whose license rules belong to the same directive ids".into(),
            ),
            DiffError::TooManyConditions { max } => Some(format!(
                "a region is written with the scenarios' own atomic conditions (such as `residence in group(\"D:1\")`), {max} at most; this is the first one left out. Diff fewer directives at a time, or write the rules with fewer distinct conditions"
            )),
        }
    }
}

/// One scenario of the comparison and the day it is simulated on.
pub struct Side<'a> {
    /// The scenario; its population is replaced while the diff runs and restored after.
    pub scenario: &'a mut Scenario,
    /// The day.
    pub as_of: Date,
}

/// What one cell of the comparison holds: its outcomes and the pairs that fall in it.
#[derive(Clone, Copy, Debug)]
struct Cell {
    a: Outcome,
    b: Outcome,
    pairs: usize,
    weight: f64,
}

/// Both scenarios compiled over one population, with the class map over both.
struct Compared {
    a: CompiledScenario,
    b: CompiledScenario,
    classes: ClassMap,
    atoms: Vec<Atom>,
    /// Whether some atom was left out, there being too many, and where it is written.
    left_out: Option<atoms::LeftOut>,
    /// For each of A's products, B's index of it.
    b_product: Vec<usize>,
}

/// The whole difference between A and B over A's population (DESIGN §5). Errors are
/// located in the scenario they concern.
pub fn diff(mut a: Side<'_>, mut b: Side<'_>) -> Result<Diff, Box<Diagnostic>> {
    let b_product = product_map(a.scenario, b.scenario)?;
    let original = Arc::clone(&a.scenario.population);
    let original_b = std::mem::replace(&mut b.scenario.population, Arc::clone(&original));
    let had_population = b.scenario.has_population;
    b.scenario.has_population = a.scenario.has_population;
    let result = diff_over(&mut a, &mut b, b_product, &original);
    a.scenario.population = original;
    b.scenario.population = original_b;
    b.scenario.has_population = had_population;
    result
}

fn fail(scenario: &Scenario, error: &DiffError) -> Box<Diagnostic> {
    let loc = Loc {
        file: scenario.file,
        span: crate::source::Span::default(),
    };
    fail_at(scenario, loc, error)
}

fn fail_at(scenario: &Scenario, loc: Loc, error: &DiffError) -> Box<Diagnostic> {
    Box::new(scenario.sources.diagnostic(loc, error))
}

/// Why the cells could not be written as regions, located: at the first condition left
/// out when there were too many, else at the first `license` rule (of A, then of B),
/// whose licenses no condition can name.
fn not_written(a: &Scenario, b: &Scenario, compared: &Compared) -> Box<Diagnostic> {
    if let Some(left_out) = compared.left_out {
        let error = DiffError::TooManyConditions {
            max: atoms::MAX_ATOMS,
        };
        return match left_out {
            Some((true, loc)) => fail_at(a, loc, &error),
            Some((false, loc)) => fail_at(b, loc, &error),
            None => fail(a, &error),
        };
    }
    let license = |s: &Scenario| {
        atoms::rules(s)
            .find(|r| r.effect == crate::model::Effect::License)
            .map(|r| r.loc)
    };
    match (license(a), license(b)) {
        (Some(loc), _) => fail_at(a, loc, &DiffError::Licenses),
        (None, Some(loc)) => fail_at(b, loc, &DiffError::Licenses),
        (None, None) => fail(a, &DiffError::Licenses),
    }
}

/// For each of A's products, B's index of the same product; an error unless both have the
/// same products.
fn product_map(a: &Scenario, b: &Scenario) -> Result<Vec<usize>, Box<Diagnostic>> {
    let ids = |s: &Scenario| -> Vec<String> { s.products.iter().map(|p| p.id.clone()).collect() };
    let (a_ids, b_ids) = (ids(a), ids(b));
    let map: Option<Vec<usize>> = a_ids
        .iter()
        .map(|id| b_ids.iter().position(|p| p == id))
        .collect();
    match map {
        Some(map) if a_ids.len() == b_ids.len() => Ok(map),
        _ => {
            let list = |ids: &[String]| {
                let quoted: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
                quoted.join(", ")
            };
            let error = DiffError::Products {
                a: list(&a_ids),
                b: list(&b_ids),
            };
            let loc = b.products.iter().find(|p| !a_ids.contains(&p.id)).map_or(
                Loc {
                    file: b.file,
                    span: crate::source::Span::default(),
                },
                |p| p.loc,
            );
            Err(Box::new(b.sources.diagnostic(loc, &error)))
        }
    }
}

fn diff_over(
    a: &mut Side<'_>,
    b: &mut Side<'_>,
    b_product: Vec<usize>,
    original: &Arc<Population>,
) -> Result<Diff, Box<Diagnostic>> {
    let compared = compare(&mut *a.scenario, &mut *b.scenario, b_product)?;
    let cells =
        occurring_cells(a, b, &compared).ok_or_else(|| fail(b.scenario, &DiffError::DoesNotFit))?;
    let new_loss = cells.values().any(|c| c.a.served() && !c.b.served());
    let regions = cover::regions(&compared, &cells)
        .ok_or_else(|| not_written(a.scenario, b.scenario, &compared))?;
    let candidates = absent_candidates(a, b, &compared, &cells);
    let absent = confirm_absent(a, b, &compared, &candidates, original);
    Ok(Diff {
        regions,
        absent,
        new_loss,
    })
}

/// Compiles both scenarios over A's population with every value their conditions name
/// (and one other value per string attribute) added, and the class map over both.
fn compare(
    a: &mut Scenario,
    b: &mut Scenario,
    b_product: Vec<usize>,
) -> Result<Compared, Box<Diagnostic>> {
    let mut population = (*a.population).clone();
    atoms::add_named_values(a, b, &mut population);
    let population = Arc::new(population);
    a.population = Arc::clone(&population);
    b.population = Arc::clone(&population);
    let compiled_a = compiled_over(a)?;
    let compiled_b = compiled_over(b)?;
    let (atoms, left_out) = atoms(a, b, &compiled_a, &compiled_b);
    let mut preds: Vec<&Pred> = atoms.iter().map(|atom| &atom.pred).collect();
    let mut license_bits = Vec::new();
    for policy in compiled_a.policies().chain(compiled_b.policies()) {
        preds.extend(policy.rules().map(|r| &r.pred));
        license_bits.extend(policy.directives.iter().filter_map(|d| d.license_bit));
    }
    let products = a.products.len();
    let mut classes = ClassMap::from_preds(&preds, license_bits, &population, products, MAX_CELLS)
        .ok_or_else(|| fail(b, &DiffError::TooFine(MAX_CELLS)))?;
    classes.prefer_occurring(&population);
    Ok(Compared {
        a: compiled_a,
        b: compiled_b,
        classes,
        atoms,
        left_out,
        b_product,
    })
}

/// The scenario compiled over the population it now has, or the first error that stops
/// it (for B, a condition naming what A's population lacks), located in its file.
fn compiled_over(scenario: &Scenario) -> Result<CompiledScenario, Box<Diagnostic>> {
    let (compiled, issues) = compile(scenario);
    compiled.ok_or_else(|| {
        match issues
            .iter()
            .find(|(_, issue)| issue.severity() == Severity::Error)
        {
            Some((loc, issue)) => Box::new(scenario.sources.diagnostic(*loc, issue)),
            None => fail(scenario, &DiffError::DoesNotFit),
        }
    })
}

/// Each record's outcome for each of A's products under one scenario, by the ordinary
/// simulation: `None` for a product the record does not use.
fn outcomes(
    scenario: &Scenario,
    compiled: &CompiledScenario,
    as_of: Date,
    to_a: &[usize],
) -> Vec<Option<Outcome>> {
    let products = to_a.len();
    let mut out = vec![None; scenario.population.len() * products];
    let _ = simulate(scenario, compiled, as_of, |d| {
        let product = to_a
            .get(usize::from(d.product))
            .copied()
            .unwrap_or(usize::MAX);
        if product < products
            && let Some(slot) = out.get_mut(d.record as usize * products + product)
        {
            *slot = Some(d.outcome);
        }
    });
    out
}

/// B's product index → A's.
fn to_a(b_product: &[usize]) -> Vec<usize> {
    let mut inverse = vec![usize::MAX; b_product.len()];
    for (a_index, &b_index) in b_product.iter().enumerate() {
        if let Some(slot) = inverse.get_mut(b_index) {
            *slot = a_index;
        }
    }
    inverse
}

/// The cells the population's pairs fall in, keyed by (combination, A's product), with
/// the outcomes the ordinary simulation gave them; `None` if one cell's pairs disagree
/// (which the class map rules out).
fn occurring_cells(
    a: &Side<'_>,
    b: &Side<'_>,
    compared: &Compared,
) -> Option<HashMap<(u32, usize), Cell>> {
    let population = &a.scenario.population;
    let identity: Vec<usize> = (0..compared.b_product.len()).collect();
    let under_a = outcomes(a.scenario, &compared.a, a.as_of, &identity);
    let under_b = outcomes(b.scenario, &compared.b, b.as_of, &to_a(&compared.b_product));
    let products = identity.len();
    let mut cells: HashMap<(u32, usize), Cell> = HashMap::new();
    let combinations = compared.classes.record_classes(population);
    for (record, (&combination, &weight)) in
        combinations.iter().zip(population.weight()).enumerate()
    {
        for product in 0..products {
            let index = record * products + product;
            let (Some(Some(x)), Some(Some(y))) = (under_a.get(index), under_b.get(index)) else {
                continue;
            };
            let cell = cells.entry((combination, product)).or_insert(Cell {
                a: *x,
                b: *y,
                pairs: 0,
                weight: 0.0,
            });
            if (cell.a, cell.b) != (*x, *y) {
                return None;
            }
            cell.pairs += 1;
            cell.weight += weight;
        }
    }
    Some(cells)
}

/// Every (combination, product) cell no record has on which A and B decide differently,
/// with the two outcomes the rules give a representative of it.
fn absent_candidates(
    a: &Side<'_>,
    b: &Side<'_>,
    compared: &Compared,
    cells: &HashMap<(u32, usize), Cell>,
) -> Vec<(u32, usize)> {
    let (now_a, now_b) = (in_force(a.scenario, a.as_of), in_force(b.scenario, b.as_of));
    let mut out = Vec::new();
    for combination in 0..compared.classes.combinations() {
        let Ok(combination) = u32::try_from(combination) else {
            break;
        };
        let person = compared.classes.representative(combination);
        for (product, &b_index) in compared.b_product.iter().enumerate() {
            if cells.contains_key(&(combination, product)) {
                continue;
            }
            let x = verdict(&compared.a, &now_a, &person, product).outcome;
            let y = verdict(&compared.b, &now_b, &person, b_index).outcome;
            if x != y {
                out.push((combination, product));
            }
        }
    }
    out
}

/// The attribute values of one example record: each column the rules read, then the
/// licenses it holds (if any matter), as written in a population CSV.
fn example_values(
    person: &Representative,
    population: &Population,
    license_ids: &[String],
) -> Vec<(String, String)> {
    let mut values = Vec::new();
    let country = |id| reference().code(id).to_owned();
    if let Some(segment) = person.segment {
        values.push((
            "segment".into(),
            population.segments.resolve(segment).to_owned(),
        ));
    }
    if let Some(nationality) = person.nationality {
        values.push(("nationality".into(), country(nationality)));
    }
    if let Some(residence) = person.residence {
        values.push(("residence".into(), country(residence)));
    }
    if let Some(status) = person.status {
        values.push(("status".into(), status.as_str().to_owned()));
    }
    if let Some(sector) = person.sector {
        values.push((
            "sector".into(),
            population.sectors.resolve(sector).to_owned(),
        ));
    }
    for &(index, value) in &person.extras {
        if let Some(column) = population.extras().get(index) {
            values.push((
                column.name.clone(),
                column.interner.resolve(value).to_owned(),
            ));
        }
    }
    let held: Vec<&str> = license_ids
        .iter()
        .enumerate()
        .filter(|(bit, _)| crate::model::outcome::has_bit(person.licenses, *bit))
        .map(|(_, id)| id.as_str())
        .collect();
    if !held.is_empty() {
        values.push(("licenses".into(), held.join(";")));
    }
    values
}

/// The population CSV of the example records, one per candidate (`absent-N`, weight 1):
/// the columns the rules read from the example, the others from A's first record.
fn examples_csv(
    examples: &[Vec<(String, String)>],
    first: &[(String, String)],
    extras: &[String],
) -> String {
    let mut header: Vec<String> = ["id", "segment", "nationality", "residence", "status"]
        .into_iter()
        .chain(["sector", "products", "weight", "licenses"])
        .map(str::to_owned)
        .collect();
    header.extend(extras.iter().cloned());
    let mut writer = csv_writer();
    let _ = writer.write_record(&header);
    for (index, example) in examples.iter().enumerate() {
        let row: Vec<String> = header
            .iter()
            .map(|column| {
                let find = |values: &[(String, String)]| {
                    values
                        .iter()
                        .find(|(k, _)| k == column)
                        .map(|(_, v)| v.clone())
                };
                match column.as_str() {
                    "id" => format!("absent-{}", index + 1),
                    "weight" => "1".into(),
                    "products" => find(example).unwrap_or_default(),
                    _ => find(example).or_else(|| find(first)).unwrap_or_default(),
                }
            })
            .collect();
        let _ = writer.write_record(&row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A's first record's values of the columns an example may leave out (any value does:
/// no rule reads them), with a status that is valid for every nationality.
fn first_record(population: &Population) -> Vec<(String, String)> {
    let mut values = vec![("status".to_owned(), Status::Citizen.as_str().to_owned())];
    let country = |column: &[crate::model::reference::CountryId]| {
        column
            .first()
            .map_or_else(|| "US".to_owned(), |&c| reference().code(c).to_owned())
    };
    values.push(("nationality".into(), country(population.nationality())));
    values.push(("residence".into(), country(population.residence())));
    let segment = population
        .segment()
        .first()
        .map_or("customer", |&s| population.segments.resolve(s));
    values.push(("segment".into(), segment.to_owned()));
    let sector = population
        .sector()
        .first()
        .map_or("", |&s| population.sectors.resolve(s));
    values.push(("sector".into(), sector.to_owned()));
    for column in population.extras() {
        let value = column
            .values
            .first()
            .map_or("", |&s| column.interner.resolve(s));
        values.push((column.name.clone(), value.to_owned()));
    }
    values
}

/// The candidates' example records, loaded from CSV like any population, with every
/// value of `named` known so that the scenarios' conditions resolve as they do there.
fn examples_population(
    candidates: &[(u32, usize)],
    compared: &Compared,
    named: &Population,
    original: &Population,
    products: &[String],
) -> (Population, Vec<Vec<(String, String)>>) {
    let license_ids: Vec<String> = named.license_ids.iter().map(|l| l.id.clone()).collect();
    let examples: Vec<Vec<(String, String)>> = candidates
        .iter()
        .map(|&(combination, product)| {
            let person = compared.classes.representative(combination);
            let mut values = example_values(&person, named, &license_ids);
            values.push((
                "products".into(),
                products.get(product).cloned().unwrap_or_default(),
            ));
            values
        })
        .collect();
    let extras: Vec<String> = named.extras().iter().map(|c| c.name.clone()).collect();
    let text = examples_csv(&examples, &first_record(original), &extras);
    (load_examples(&text, named), examples)
}

/// Example records from their CSV `text`, loaded like any population, with every value of
/// `named` known so that the scenarios' conditions resolve as they do there.
fn load_examples(text: &str, named: &Population) -> Population {
    let mut sources = Sources::default();
    let file = sources.add("absent examples", text.to_owned());
    let (mut population, _) =
        load_population(&sources, file, text, &TextMap::identity(0, text.len()));
    for (name, interner) in [("segment", &named.segments), ("sector", &named.sectors)] {
        for value in interner.values() {
            population.add_value(name, value);
        }
    }
    for column in named.extras() {
        for value in column.interner.values() {
            population.add_value(&column.name, value);
        }
    }
    population
}

/// A population of one record: `example`, an absent combination's example as [`diff`]
/// gives it (`product` included), with the columns it leaves out taken from `scenario`'s
/// first record — so that "why" can explain a combination no record has, as the scenario
/// decides it.
pub fn example_population(scenario: &Scenario, example: &[(String, String)]) -> Population {
    let values: Vec<(String, String)> = example
        .iter()
        .map(|(k, v)| {
            let column = if k == "product" { "products" } else { k };
            (column.to_owned(), v.clone())
        })
        .collect();
    let named = &scenario.population;
    let extras: Vec<String> = named.extras().iter().map(|c| c.name.clone()).collect();
    let text = examples_csv(&[values], &first_record(named), &extras);
    load_examples(&text, named)
}

/// The candidates on which the ordinary simulation of an example record under A and B
/// indeed differs, each with its example.
fn confirm_absent(
    a: &mut Side<'_>,
    b: &mut Side<'_>,
    compared: &Compared,
    candidates: &[(u32, usize)],
    original: &Population,
) -> Vec<Absent> {
    if candidates.is_empty() {
        return Vec::new();
    }
    let products: Vec<String> = a.scenario.products.iter().map(|p| p.id.clone()).collect();
    let named = Arc::clone(&a.scenario.population);
    let (population, examples) =
        examples_population(candidates, compared, &named, original, &products);
    let population = Arc::new(population);
    let under_a = decide_examples(
        a,
        &population,
        &named,
        &(0..products.len()).collect::<Vec<_>>(),
    );
    let under_b = decide_examples(b, &population, &named, &to_a(&compared.b_product));
    let mut absent = Vec::new();
    for (record, id) in population.ids().iter().enumerate() {
        let Some(index) = id
            .strip_prefix("absent-")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(&(_, product)) = candidates.get(index - 1) else {
            continue;
        };
        let slot = record * products.len() + product;
        let outcome = |d: &[Option<Outcome>]| d.get(slot).copied().flatten();
        if let (Some(x), Some(y), Some(example)) = (
            outcome(&under_a),
            outcome(&under_b),
            examples.get(index - 1),
        ) && x != y
        {
            let mut example = example.clone();
            if let Some(entry) = example.iter_mut().find(|(k, _)| k == "products") {
                entry.0 = "product".into();
            }
            absent.push(Absent {
                a: x,
                b: y,
                example,
            });
        }
    }
    absent
}

/// The example records' outcomes under one side, by the ordinary simulation (nothing
/// when the scenario does not compile for them); the side's population is `named` after.
fn decide_examples(
    side: &mut Side<'_>,
    examples: &Arc<Population>,
    named: &Arc<Population>,
    to_a: &[usize],
) -> Vec<Option<Outcome>> {
    side.scenario.population = Arc::clone(examples);
    let decided = compile(side.scenario)
        .0
        .map_or_else(Vec::new, |c| outcomes(side.scenario, &c, side.as_of, to_a));
    side.scenario.population = Arc::clone(named);
    decided
}

/// The records of `scenario` with at least one (record, product) pair that `when`, a
/// region's condition, matches: the people a region of the difference is about. `None`
/// when `when` does not compile against the scenario.
pub fn region_records(scenario: &Scenario, when: &str) -> Option<Vec<usize>> {
    let pred = compile_text(when, &Vocabulary::of(scenario))?;
    let population = &scenario.population;
    let products = scenario.products.len().min(64);
    let uses = |record: usize, product: usize| {
        population
            .products()
            .get(record)
            .is_some_and(|mask| mask & (1u64 << product) != 0)
    };
    Some(
        (0..population.len())
            .filter(|&r| (0..products).any(|p| uses(r, p) && pred.eval(population, r, p)))
            .collect(),
    )
}

/// The diff as DESIGN §5's JSON.
pub fn diff_json(diff: &Diff) -> serde_json::Value {
    let regions: Vec<serde_json::Value> = diff
        .regions
        .iter()
        .map(|r| {
            serde_json::json!({
                "when": r.when,
                "a": r.a.as_str(),
                "b": r.b.as_str(),
                "pairs": r.pairs,
                "weight": r.weight,
            })
        })
        .collect();
    let absent: Vec<serde_json::Value> = diff
        .absent
        .iter()
        .map(|x| {
            let example: serde_json::Map<String, serde_json::Value> = x
                .example
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::json!({ "a": x.a.as_str(), "b": x.b.as_str(), "example": example })
        })
        .collect();
    serde_json::json!({ "regions": regions, "absent": absent })
}

/// The atoms' values on one cell, one bit each.
fn atom_bits(compared: &Compared, combination: u32, product: usize) -> u128 {
    compared
        .atoms
        .iter()
        .enumerate()
        .filter(|(_, atom)| compared.classes.holds(&atom.pred, combination, product))
        .fold(0u128, |bits, (i, _)| bits | 1u128 << i)
}

/// Compiles a condition's text with `scenario`'s vocabulary, as a rule's would be.
fn compile_text(text: &str, vocabulary: &Vocabulary<'_>) -> Option<Pred> {
    let cond = crate::model::condition::parse(text).ok()?;
    let mut issues = Vec::new();
    compile_condition(&cond, vocabulary, &mut issues)
}
