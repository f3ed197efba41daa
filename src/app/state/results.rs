//! The results as the app shows them: everything the views read from one simulation,
//! gathered once per run so that rendering never goes back to the scenario. Shared behind
//! `Rc`, so that a view, the compare panel and the undo history hold the same copy.

use std::rc::Rc;

use crate::engine::Prepared;
use crate::engine::aggregate::{Totals, simulate};
use crate::engine::compile::CompiledScenario;
use crate::engine::model::date::Date;
use crate::engine::model::outcome::Outcome;
use crate::engine::model::{Basis, Source};

/// The results of the last simulation that ran without errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// Segment names, indexed like the totals.
    pub segments: Vec<String>,
    /// For a population opened as a large file: how many of its records the page holds
    /// (the people explorer shows these), and how many the totals count.
    pub sample: Option<(usize, usize)>,
    /// Product names, indexed like the totals.
    pub products: Vec<String>,
    /// The scenario's title.
    pub title: String,
    /// The scenario's description.
    pub description: String,
    /// The day simulated.
    pub as_of: Date,
    /// The totals.
    pub totals: Totals,
    /// Each record's most severe outcome over the products it uses.
    pub record_outcomes: Rc<Vec<Outcome>>,
    /// The population's title and description, when it came from a spec.
    pub population: Option<(String, String)>,
    /// The population spec's sources.
    pub population_sources: Vec<Source>,
    /// What the population's sizes and shares rest on (illustrative where unsourced).
    pub population_bases: Vec<Basis>,
    /// Sector names, indexed like the totals.
    pub sectors: Vec<String>,
    /// Where the scenario's and its directives' facts come from.
    pub sources: Vec<Source>,
    /// The directives, for the timeline and the rule-impact table.
    pub directives: Vec<DirectiveSummary>,
    /// The response's title and its rules' conditions.
    pub response: (String, Vec<String>),
    /// What the results are counted against, if the scenario has a baseline.
    pub baseline: Option<BaselineSummary>,
    /// Whether `us_person` is read as contract 1 did (an old link or autosave).
    pub contract_1: bool,
    /// Whether any record is an organisation rather than a person.
    pub organisations: bool,
    /// Where the two readings of "U.S. person" part, if the rules use either.
    pub readings: Option<ReadingGap>,
}

/// The people on whom `us_person` and `foreign_person` disagree, and which of the two the
/// scenario's rules use.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingGap {
    /// Whether a rule names `us_person`.
    pub us_person: bool,
    /// Whether a rule names `foreign_person`.
    pub foreign_person: bool,
    /// The weight of records that are both a U.S. person and a foreign person.
    pub weight: f64,
}

impl Results {
    /// Every kind of fact the numbers rest on: the scenario's and its directives' sources,
    /// and the population's shares (illustrative where no source is named).
    pub fn bases(&self) -> Vec<Basis> {
        let mut bases = bases_of(self.sources.iter().chain(&self.population_sources));
        bases.extend(self.population_bases.iter().copied());
        bases.sort_unstable();
        bases.dedup();
        bases
    }
}

/// The results as a chart reads them: two are equal when every figure is, whatever the
/// scenario's title and description say. Typing in those redraws the heading, and a chart
/// given the same figures is not drawn again.
#[derive(Clone, Debug)]
pub struct Figures(pub Rc<Results>);

impl PartialEq for Figures {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.same_figures(&other.0)
    }
}

impl std::ops::Deref for Figures {
    type Target = Results;

    fn deref(&self) -> &Results {
        &self.0
    }
}

impl Results {
    /// Whether `other` has the same figures, whatever its title and description. Every
    /// other field is named, so that a new one has to be placed on one side or the other.
    fn same_figures(&self, other: &Results) -> bool {
        let Results {
            title: _,
            description: _,
            segments,
            sample,
            products,
            as_of,
            totals,
            record_outcomes,
            population,
            population_sources,
            population_bases,
            sectors,
            sources,
            directives,
            response,
            baseline,
            contract_1,
            organisations,
            readings,
        } = self;
        *segments == other.segments
            && *sample == other.sample
            && *products == other.products
            && *as_of == other.as_of
            && *totals == other.totals
            && *record_outcomes == other.record_outcomes
            && *population == other.population
            && *population_sources == other.population_sources
            && *population_bases == other.population_bases
            && *sectors == other.sectors
            && *sources == other.sources
            && *directives == other.directives
            && *response == other.response
            && *baseline == other.baseline
            && *contract_1 == other.contract_1
            && *organisations == other.organisations
            && *readings == other.readings
    }
}

/// What the results show of the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineSummary {
    /// Its title (the baseline file's, or the inline table's).
    pub title: String,
    /// The baseline file, as the scenario names it, if it is one.
    pub path: Option<String>,
    /// The day it is simulated on.
    pub as_of: Date,
    /// Its directives in force that day, by id.
    pub in_force: Vec<String>,
}

/// What the results show of one directive.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it starts (none: always).
    pub effective: Option<Date>,
    /// When it ends (none: never).
    pub expires: Option<Date>,
    /// Whether it is in force on the as-of day.
    pub in_force: bool,
    /// Each rule: effect, condition text, note.
    pub rules: Vec<(String, String, String)>,
    /// Its default effect.
    pub default: String,
    /// What kinds of fact its sources are.
    pub bases: Vec<Basis>,
}

/// The prepared scenario behind the latest results, shared without copying; two are equal
/// when they are the same allocation.
#[derive(Clone, Debug)]
pub struct SharedScenario(pub Rc<Prepared>);

impl PartialEq for SharedScenario {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Where the two readings part, if the scenario's rules (or its baseline's) use either.
fn reading_gap(scenario: &crate::engine::load::Scenario) -> Option<ReadingGap> {
    use crate::engine::model::reading::{both_readings_weight, names};
    let baseline = scenario.baseline.iter().flat_map(|b| &b.directives);
    let conditions: Vec<&crate::engine::model::condition::Cond> = scenario
        .directives
        .iter()
        .chain(baseline)
        .flat_map(|d| &d.rules)
        .chain(&scenario.response.rules)
        .filter_map(|r| r.when.as_ref())
        .collect();
    let us_person = conditions.iter().any(|c| names(c, "us_person"));
    let foreign_person = conditions.iter().any(|c| names(c, "foreign_person"));
    let weight = both_readings_weight(&scenario.population, scenario.reading);
    (weight > 0.0 && (us_person || foreign_person)).then_some(ReadingGap {
        us_person,
        foreign_person,
        weight,
    })
}

/// The distinct kinds of fact a list of sources rests on, in the order of [`Basis::ALL`].
pub fn bases_of<'a>(sources: impl IntoIterator<Item = &'a Source>) -> Vec<Basis> {
    let mut bases: Vec<Basis> = sources.into_iter().filter_map(|s| s.basis).collect();
    bases.sort_unstable();
    bases.dedup();
    bases
}

/// What a spec's sizes and shares rest on, each kind once.
fn population_bases(spec: &crate::engine::load::spec::PopulationSpec) -> Vec<Basis> {
    let mut bases: Vec<Basis> = spec
        .segments
        .iter()
        .flat_map(|s| {
            [
                s.people_source.as_str(),
                s.residence.source.as_str(),
                s.status_in_us.source.as_str(),
                s.nationality_in_us.source.as_str(),
                s.sector.source.as_str(),
                s.products.source.as_str(),
            ]
        })
        .filter_map(|id| spec.basis_of(id))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    bases
}

/// The path of the scenario file itself.
fn scenario_path(scenario: &crate::engine::load::Scenario) -> String {
    scenario
        .sources
        .file(scenario.file)
        .map(|f| f.name().to_owned())
        .unwrap_or_default()
}

/// The results of a prepared scenario without errors, simulated on `as_of`.
pub(super) fn results_of(prepared: &Prepared, compiled: &CompiledScenario, as_of: Date) -> Results {
    let scenario = &prepared.scenario;
    let mut record_outcomes = vec![Outcome::Unavailable; scenario.population.len()];
    let totals = simulate(scenario, compiled, as_of, |d| {
        if let Some(slot) = record_outcomes.get_mut(d.record as usize) {
            *slot = (*slot).min(d.outcome);
        }
    });
    Results {
        sample: None,
        segments: scenario.population.segments.values().to_vec(),
        products: scenario.products.iter().map(|p| p.name.clone()).collect(),
        title: scenario.title.clone(),
        description: scenario.description.clone(),
        as_of,
        totals,
        record_outcomes: Rc::new(record_outcomes),
        sectors: scenario.population.sectors.values().to_vec(),
        sources: {
            let mut all: Vec<Source> = scenario.sources_cited.clone();
            for source in scenario.directives.iter().flat_map(|d| &d.sources) {
                if !all.contains(source) {
                    all.push(source.clone());
                }
            }
            all
        },
        directives: scenario
            .directives
            .iter()
            .map(|d| DirectiveSummary {
                id: d.id.clone(),
                title: d.title.clone(),
                effective: d.effective,
                expires: d.expires,
                in_force: d.in_force(as_of),
                rules: d
                    .rules
                    .iter()
                    .map(|r| {
                        (
                            r.effect.to_string(),
                            r.when_text.clone(),
                            r.note.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
                default: d.default.to_string(),
                bases: bases_of(&d.sources),
            })
            .collect(),
        response: (
            scenario.response.title.clone(),
            scenario
                .response
                .rules
                .iter()
                .map(|r| format!("{} when {}", r.effect, r.when_text))
                .collect(),
        ),
        baseline: scenario.baseline.as_ref().map(|b| {
            let day = b.as_of.unwrap_or(as_of);
            BaselineSummary {
                title: b.title.clone(),
                path: b
                    .path
                    .as_ref()
                    .map(|p| crate::engine::load::path_from(&scenario_path(scenario), p)),
                as_of: day,
                in_force: b
                    .directives
                    .iter()
                    .filter(|d| d.in_force(day))
                    .map(|d| d.id.clone())
                    .collect(),
            }
        }),
        contract_1: scenario.reading == crate::engine::model::reading::Reading::Contract1,
        readings: reading_gap(scenario),
        organisations: scenario
            .population
            .status()
            .contains(&crate::engine::model::population::Status::Entity),
        population: scenario
            .population_spec
            .as_ref()
            .map(|s| (s.title.clone(), s.description.clone())),
        population_bases: scenario
            .population_spec
            .as_ref()
            .map(population_bases)
            .unwrap_or_default(),
        population_sources: scenario
            .population_spec
            .iter()
            .flat_map(|s| &s.sources)
            .map(|s| Source {
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                date: s.date.clone(),
                url: s.url.clone(),
                basis: s.basis,
            })
            .collect(),
    }
}
