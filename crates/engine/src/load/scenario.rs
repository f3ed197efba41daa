//! Scenarios (DESIGN §2.1): the scenario table, its products, the population it names
//! (a CSV, an inline table or a spec, cached between edits), its directive files and
//! baseline.

use crate::load::population::load_population;
use crate::load::spec::Adjustments;
use crate::model::date::Date;
use crate::model::population::Population;
use crate::model::reading::Reading;
use crate::model::{Baseline, CustomGroup, Directive, Product, Response, Source};
use crate::source::diagnostic::{Diagnostic, Problem, sort_diagnostics};
use crate::source::toml_text::TextMap;
use crate::source::{FileId, Loc, SharedText, Sources};
use crate::source::{SourceFile, Span};
use std::cell::RefCell;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

use super::*;

/// The keys a scenario file may have.
pub(crate) const SCENARIO_KEYS: [&str; 12] = [
    "title",
    "description",
    "as_of",
    "sources",
    "population",
    "directives",
    "directive",
    "products",
    "groups",
    "response",
    "baseline",
    "contract",
];

/// A loaded scenario with its files and everything found wrong with them.
#[derive(Debug, Default)]
pub struct Scenario {
    /// Every file read.
    pub sources: Sources,
    /// The scenario file.
    pub file: FileId,
    /// A title.
    pub title: String,
    /// A paragraph for readers.
    pub description: String,
    /// The day the simulation looks at.
    pub as_of: Option<Date>,
    /// Products, in file order.
    pub products: Vec<Product>,
    /// Directives: those from files first, then inline ones, in file order.
    pub directives: Vec<Directive>,
    /// Scenario-defined country groups.
    pub groups: Vec<CustomGroup>,
    /// What the provider does.
    pub response: Response,
    /// Who had access before (DESIGN §4.7), if the scenario names a baseline.
    pub baseline: Option<Baseline>,
    /// What `us_person` means: 15 CFR 772.1, or contract 1's reading for old documents.
    pub reading: Reading,
    /// The people.
    pub population: Arc<Population>,
    /// Whether a population was given and read.
    pub has_population: bool,
    /// The spec the population was expanded from, if it was given as one.
    pub population_spec: Option<crate::load::spec::PopulationSpec>,
    /// Where the scenario's facts come from.
    pub sources_cited: Vec<Source>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for dyn Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

impl Scenario {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads the scenario at `path` and every file it names.
pub fn load_scenario_file(path: &str, fs: &dyn FileSystem) -> Scenario {
    match read_utf8(fs, path, path) {
        Ok(text) => load_scenario(path, &text, fs),
        Err(error) => failed_to_read(path, error),
    }
}

pub(crate) fn failed_to_read(path: &str, error: LoadError) -> Scenario {
    let mut sources = Sources::default();
    let file = sources.add(path, "");
    let diagnostics = vec![sources.diagnostic(
        Loc {
            file,
            span: Span::default(),
        },
        &error,
    )];
    Scenario {
        sources,
        file,
        diagnostics,
        ..Scenario::default()
    }
}

/// Loads a scenario from its text; `path` names it and anchors relative paths.
pub fn load_scenario(path: &str, text: &str, fs: &dyn FileSystem) -> Scenario {
    load_scenario_adjusted(path, text, fs, &crate::load::spec::Adjustments::default())
}

/// Loads a scenario, applying `adjustments` to its population spec (if it has one) before
/// the spec is expanded.
pub fn load_scenario_adjusted(
    path: &str,
    text: &str,
    fs: &dyn FileSystem,
    adjustments: &Adjustments,
) -> Scenario {
    load_scenario_cached(path, text, fs, adjustments, &mut PopulationCache::default())
}

/// Loads a scenario like [`load_scenario_adjusted`], reusing the population in `cache` when
/// the scenario names the same one, and keeping the one it reads.
pub fn load_scenario_cached(
    path: &str,
    text: &str,
    fs: &dyn FileSystem,
    adjustments: &Adjustments,
    cache: &mut PopulationCache,
) -> Scenario {
    let mut scenario = Scenario::default();
    let file = scenario.sources.add(path, text);
    scenario.file = file;
    let issues = RefCell::new(Vec::<Issue>::new());
    let cx = Cx {
        file,
        text,
        issues: &issues,
    };
    let Some(root) = parse_toml(&cx) else {
        return finish(scenario, issues);
    };
    let parts = read_scenario_table(&cx, root.get_ref(), path, fs, &mut scenario);
    let mut pending = issues.into_inner();
    read_policy_files(&mut scenario, &mut pending, parts.directive_files);
    if let Some(baseline) = parts.baseline {
        let sources = &mut scenario.sources;
        scenario.baseline = policy::build_baseline(sources, &mut pending, baseline, fs, path);
    }
    let issues = RefCell::new(pending);
    {
        let cx = Cx {
            file,
            text,
            issues: &issues,
        };
        policy::check_directive_ids(&cx, &scenario.sources, &scenario.directives);
        if let Some(baseline) = &scenario.baseline {
            policy::check_directive_ids(&cx, &scenario.sources, &baseline.directives);
        }
    }
    let Some(population) = parts.population else {
        return finish(scenario, issues);
    };
    let read = PopulationRead { fs, adjustments };
    let issues = read.read_into(&mut scenario, issues, population, cache);
    finish(scenario, issues)
}

/// What the scenario table names that is read after it: directive files, a baseline and
/// the population.
pub(crate) struct ScenarioParts {
    directive_files: Vec<(String, String)>,
    baseline: Option<policy::BaselineText>,
    population: Option<PopulationText>,
}

/// Reads every key of the scenario's own table into `scenario`.
pub(crate) fn read_scenario_table(
    cx: &Cx<'_>,
    root: &DeTable<'_>,
    path: &str,
    fs: &dyn FileSystem,
    scenario: &mut Scenario,
) -> ScenarioParts {
    let table = TableReader::new(cx, root, Span::default(), "the scenario");
    scenario.title = table.string("title").map(|(s, _)| s).unwrap_or_default();
    scenario.description = table
        .string("description")
        .map(|(s, _)| s)
        .unwrap_or_default();
    scenario.as_of = table.date("as_of").map(|(d, _)| d);
    if table.get("as_of").is_none() {
        report_missing(cx, "as_of");
    }
    scenario.sources_cited = sources::read_sources(cx, &table);
    scenario.products = read_products(cx, &table);
    let policy = policy::read_policy(cx, &table, path, fs);
    scenario.groups = policy.groups;
    scenario.directives = policy.inline;
    if let Some(response) = policy.response {
        scenario.response = response;
    }
    scenario.reading = read_contract(cx, &table);
    let baseline = policy::read_baseline_key(cx, &table, path, fs);
    let population = read_population_key(cx, &table, path, fs);
    table.finish(&SCENARIO_KEYS);
    ScenarioParts {
        directive_files: policy.directive_files,
        baseline,
        population,
    }
}

/// Reports a key the scenario must have, at the top of its file.
pub(crate) fn report_missing(cx: &Cx<'_>, key: &'static str) {
    let loc = cx.loc(Span::default());
    let what = "the scenario";
    cx.report(loc, LoadError::MissingKey { key, what });
}

/// Reads `[[products]]`: at least one, unique ids, at most 64 (they are bits of a mask).
pub(crate) fn read_products(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Vec<Product> {
    let mut products = Vec::new();
    for (item, span) in table.tables("products") {
        let product = TableReader::new(cx, item, span, "a product");
        let Some((id, loc)) = product.required_id("id", "a product") else {
            continue;
        };
        let name = product
            .string("name")
            .map_or_else(|| id.clone(), |(s, _)| s);
        let tags = product
            .string_list("tags")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        product.finish(&["id", "name", "tags"]);
        products.push(Product {
            id,
            name,
            tags,
            loc,
        });
    }
    if table.get("products").is_none() {
        report_missing(cx, "products");
    }
    let ids = products.iter().map(|p| (p.id.as_str(), p.loc));
    check_unique(cx, "product", ids, cx.text);
    if let Some(extra) = products.get(64) {
        cx.report(extra.loc, LoadError::TooManyProducts(64));
    }
    products
}

/// Reads the `population` key: a path (CSV or spec), or an inline table with `csv` or
/// `spec`. The text is read now and parsed once the scenario is.
pub(crate) fn read_population_key(
    cx: &Cx<'_>,
    table: &TableReader<'_, '_>,
    path: &str,
    fs: &dyn FileSystem,
) -> Option<PopulationText> {
    let Some(value) = table.get("population") else {
        cx.report(cx.loc(Span::default()), LoadError::NoPopulation);
        return None;
    };
    match value.get_ref() {
        DeValue::String(relative) => {
            let resolved = relative_to(path, relative);
            match read_utf8(fs, &resolved, relative) {
                Ok(text) if resolved.ends_with(".population.toml") => Some(PopulationText::Spec {
                    path: resolved,
                    text: text.to_string(),
                }),
                Ok(csv) => Some(PopulationText::File {
                    path: resolved,
                    csv,
                }),
                Err(error) => {
                    cx.report(cx.loc(value.span()), error);
                    None
                }
            }
        }
        DeValue::Table(inline) => {
            let reader = TableReader::new(cx, inline, value.span().into(), "the population");
            let text = read_inline_population(cx, &reader, path, value.span());
            reader.finish(&["csv", "spec"]);
            text
        }
        _ => {
            let problem = LoadError::WrongType {
                key: "population".into(),
                expected: "a path or a table with `csv`",
            };
            cx.report(cx.loc(value.span()), problem);
            None
        }
    }
}

/// Reads an inline `[population]` table: `csv` text, or a `spec` that reports its
/// problems against its own lines.
pub(crate) fn read_inline_population(
    cx: &Cx<'_>,
    reader: &TableReader<'_, '_>,
    path: &str,
    span: std::ops::Range<usize>,
) -> Option<PopulationText> {
    if let Some((csv, _)) = reader.string("csv") {
        let map = reader.text_map("csv").unwrap_or_default();
        return Some(PopulationText::Inline { csv, map });
    }
    if let Some((spec, _)) = reader.string("spec") {
        return Some(PopulationText::Spec {
            path: format!("{path} [population.spec]"),
            text: spec,
        });
    }
    if reader.get("csv").is_none() {
        let problem = LoadError::MissingKey {
            key: "csv",
            what: "the population",
        };
        cx.report(cx.loc(span), problem);
    }
    None
}

/// Reads the directive files the scenario names, each reporting against its own text;
/// their directives come before the inline ones.
pub(crate) fn read_policy_files(
    scenario: &mut Scenario,
    pending: &mut Vec<Issue>,
    files: Vec<(String, String)>,
) {
    let (mut directives, file_issues) = policy::read_directive_files(&mut scenario.sources, files);
    pending.extend(file_issues);
    directives.append(&mut scenario.directives);
    scenario.directives = directives;
}

/// How a scenario's population is read: from which file system, with which adjustments.
pub(crate) struct PopulationRead<'a> {
    fs: &'a dyn FileSystem,
    adjustments: &'a Adjustments,
}

impl PopulationRead<'_> {
    /// Reads the population into `scenario`, from `cache` when it holds the same one, and
    /// keeps it there when it reads without a problem.
    fn read_into(
        &self,
        scenario: &mut Scenario,
        issues: RefCell<Vec<Issue>>,
        text: PopulationText,
        cache: &mut PopulationCache,
    ) -> RefCell<Vec<Issue>> {
        if text
            .key()
            .is_some_and(|k| cache.restore(k, self.adjustments, scenario))
        {
            return issues;
        }
        // A miss reads the whole population anyway; only then is its key copied. A file's
        // text is not: the cache compares with the source file it keeps.
        let key = text.key().map(|(path, text_key)| {
            let owned = matches!(text, PopulationText::Spec { .. }).then(|| text_key.to_owned());
            (path.to_owned(), owned)
        });
        let mut pending = issues.into_inner();
        let issues_before = pending.len();
        let first_new = scenario.sources.len();
        let (population, diagnostics, way) = match self.csv(scenario, &mut pending, text) {
            None => return RefCell::new(pending),
            Some(Read::Built(population)) => (population, Vec::new(), Way::Built),
            Some(Read::Csv(population_file, csv, map, way)) => {
                let (population, diagnostics) =
                    load_population(&scenario.sources, population_file, csv.as_str(), &map);
                (Arc::new(population), diagnostics, way)
            }
        };
        // Only a population read without a problem is kept: its diagnostics need not be
        // reproduced.
        if let Some((path, text)) = key
            && diagnostics.is_empty()
            && pending.len() == issues_before
        {
            let kept = KeptPopulation {
                path,
                text,
                first_new,
                way,
            };
            cache.keep(kept, self.adjustments, scenario, &population);
        }
        scenario.population = population;
        scenario.has_population = true;
        scenario.diagnostics.extend(diagnostics);
        RefCell::new(pending)
    }

    /// The population's CSV text, the file it reports against and where its bytes stand
    /// there; a spec is read and expanded first, and its records built directly where
    /// the CSV would read back without a word (`None` when it cannot be read).
    fn csv(
        &self,
        scenario: &mut Scenario,
        pending: &mut Vec<Issue>,
        text: PopulationText,
    ) -> Option<Read> {
        let (spec_path, spec_text) = match text {
            PopulationText::File { path, csv } => {
                let map = TextMap::identity(0, csv.len());
                let (file, text) = CsvText::source(&mut scenario.sources, path, csv);
                return Some(Read::Csv(file, text, map, Way::Csv));
            }
            PopulationText::Inline { csv, map } => {
                return Some(Read::Csv(
                    scenario.file,
                    CsvText::Inline(csv),
                    map,
                    Way::Csv,
                ));
            }
            PopulationText::Spec { path, text } => (path, text),
        };
        let spec_file = scenario.sources.add(spec_path.clone(), spec_text.clone());
        let spec_issues = RefCell::new(Vec::new());
        let scx = Cx {
            file: spec_file,
            text: &spec_text,
            issues: &spec_issues,
        };
        let read_counts = |relative: &str| read_text_beside(self.fs, &spec_path, relative);
        let spec = parse_toml(&scx)
            .and_then(|root| crate::load::spec::read_spec(&scx, root.get_ref(), &read_counts));
        pending.extend(spec_issues.into_inner());
        let mut spec = spec?;
        spec.adjust(self.adjustments);
        let built = crate::load::spec::expanded_population(&spec, scenario.reading, spec_file);
        let way = match built {
            Some(population) if knows_its_products(scenario, &population) => {
                scenario.population_spec = Some(spec);
                return Some(Read::Built(Arc::new(population)));
            }
            Some(_) => Way::CsvForUndefinedProducts,
            None => Way::Csv,
        };
        let csv = crate::load::spec::expand(&spec, scenario.reading);
        scenario.population_spec = Some(spec);
        let map = TextMap::identity(0, csv.len());
        let expanded = format!("{spec_path} (expanded)");
        let (file, text) = CsvText::source(&mut scenario.sources, expanded, Arc::new(csv));
        Some(Read::Csv(file, text, map, way))
    }
}

/// What the cache is told of a population just read: its path and spec text (the cache's
/// key), the first of the source files reading it added, and which way it was read.
struct KeptPopulation {
    path: String,
    text: Option<String>,
    first_new: usize,
    way: Way,
}

/// A population as read: its CSV text to read (the file it reports against, the text,
/// where its bytes stand there, and why it is read from CSV), or a spec's records built
/// without one.
enum Read {
    Csv(FileId, CsvText, TextMap, Way),
    Built(Arc<Population>),
}

/// Which way a population was read, which decides whether a kept one may serve a
/// scenario whose products have changed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Way {
    /// From a CSV file, or a spec whose CSV the reader would say something about.
    Csv,
    /// A spec's records built directly: only while the scenario defines every product.
    Built,
    /// A spec read from its CSV only because a product it uses was undefined: only while
    /// one still is.
    CsvForUndefinedProducts,
}

/// Whether the scenario defines every product `population` uses. A population built from
/// a spec places its products at the spec's start, having no CSV to point into; one that
/// uses an undefined product is read from its CSV, so that the error points at a place.
fn knows_its_products(scenario: &Scenario, population: &Population) -> bool {
    let defined = |id: &str| scenario.products.iter().any(|p| p.id == id);
    population.product_ids.iter().all(|used| defined(&used.id))
}

/// The CSV text a population is read from: a source file's whole text (read or expanded,
/// and shared with the scenario's sources rather than copied), or a string inside the
/// scenario file.
enum CsvText {
    Source(Arc<SourceFile>),
    Inline(String),
}

impl CsvText {
    /// Adds `csv` to `sources` as the file `name`, and reads it from there.
    fn source(sources: &mut Sources, name: String, csv: SharedText) -> (FileId, CsvText) {
        let file = Arc::new(SourceFile::shared(name, csv));
        (sources.add_shared(file.clone()), CsvText::Source(file))
    }

    fn as_str(&self) -> &str {
        match self {
            CsvText::Source(file) => file.text(),
            CsvText::Inline(csv) => csv,
        }
    }
}

impl PopulationCache {
    /// Puts the cached population into `scenario` if it is the one `key` names, read with
    /// the same adjustments, and its files would get the same ids.
    fn restore(
        &self,
        (path, text): (&str, &str),
        adjustments: &Adjustments,
        scenario: &mut Scenario,
    ) -> bool {
        let Some(hit) = self.last.as_ref() else {
            return false;
        };
        let hit_text = match &hit.text {
            Some(text) => text.as_str(),
            None => hit.files.first().map_or("", |file| file.text()),
        };
        // A spec expands differently under each reading of "U.S. person". A file's text
        // shared with the file system is the same text without comparing 58 MB.
        if hit.path != path
            || !(std::ptr::eq(hit_text, text) || hit_text == text)
            || hit.adjustments != *adjustments
            || hit.reading != scenario.reading
            || scenario.sources.len() + hit.files.len() != hit.population.file + 1
        {
            return false;
        }
        // A fresh load would read the spec the other way once the scenario's products
        // decide differently.
        let known = || knows_its_products(scenario, &hit.population);
        match hit.way {
            Way::Built if !known() => return false,
            Way::CsvForUndefinedProducts if known() => return false,
            _ => {}
        }
        for shared in &hit.files {
            scenario.sources.add_shared(shared.clone());
        }
        scenario.population = hit.population.clone();
        scenario.population_spec = hit.spec.clone();
        scenario.has_population = true;
        true
    }

    /// Keeps a population just read, with the files it added to `scenario`'s sources.
    fn keep(
        &mut self,
        kept: KeptPopulation,
        adjustments: &Adjustments,
        scenario: &Scenario,
        population: &Arc<Population>,
    ) {
        let KeptPopulation {
            path,
            text,
            first_new,
            way,
        } = kept;
        self.last = Some(CachedPopulation {
            way,
            path,
            text,
            adjustments: adjustments.clone(),
            reading: scenario.reading,
            files: (first_new..scenario.sources.len())
                .filter_map(|id| scenario.sources.shared(id))
                .collect(),
            spec: scenario.population_spec.clone(),
            population: population.clone(),
        });
    }
}

/// The last population read without a problem, kept so that an edit that leaves the
/// population alone (its file or spec, and the reader's adjustments) does not read and
/// expand it again. A spec's count files are assumed not to change between loads.
#[derive(Debug, Default)]
pub struct PopulationCache {
    last: Option<CachedPopulation>,
}

#[derive(Debug)]
pub(crate) struct CachedPopulation {
    /// The population's path, and its text when that is a spec's (a CSV file's text is
    /// the first of `files`).
    path: String,
    text: Option<String>,
    adjustments: crate::load::spec::Adjustments,
    /// The reading of "U.S. person" a spec was expanded under.
    reading: Reading,
    /// The files it added to the scenario's sources, in order: the CSV, or the spec and
    /// its expansion, or only the spec when its records were built directly.
    files: Vec<Arc<SourceFile>>,
    /// Which way it was read: a spec's records built without a CSV place their products
    /// at the spec's start.
    way: Way,
    spec: Option<crate::load::spec::PopulationSpec>,
    population: Arc<Population>,
}

/// Where the population's CSV text comes from.
pub(crate) enum PopulationText {
    /// A file of its own, its text shared with the file system that read it.
    File { path: String, csv: SharedText },
    /// A string inside the scenario file, with where each byte stands in it.
    Inline { csv: String, map: TextMap },
    /// A population spec to expand.
    Spec { path: String, text: String },
}

impl PopulationText {
    /// The path and text that identify a population read from a file or a spec; an
    /// inline CSV is not cached.
    fn key(&self) -> Option<(&str, &str)> {
        match self {
            PopulationText::File { path, csv } => Some((path, csv)),
            PopulationText::Spec { path, text } => Some((path, text)),
            PopulationText::Inline { .. } => None,
        }
    }
}

/// Reads a population spec file on its own: the spec, if it could be read, and every
/// problem found in it.
pub(crate) fn read_spec_file(
    path: &str,
    text: &str,
    fs: &dyn FileSystem,
) -> (Option<crate::load::spec::PopulationSpec>, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let file = sources.add(path, text);
    let issues = RefCell::new(Vec::new());
    let cx = Cx {
        file,
        text,
        issues: &issues,
    };
    let read_counts = |relative: &str| read_text_beside(fs, path, relative);
    let spec = parse_toml(&cx)
        .and_then(|root| crate::load::spec::read_spec(&cx, root.get_ref(), &read_counts));
    (spec, located(&sources, issues))
}

/// Reads a population spec file on its own, for `cutoff population`: the spec, or every
/// problem found in it.
pub fn read_population_spec(
    path: &str,
    text: &str,
    fs: &dyn FileSystem,
) -> Result<crate::load::spec::PopulationSpec, Vec<Diagnostic>> {
    match read_spec_file(path, text, fs) {
        (Some(spec), diagnostics) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(spec),
        (_, diagnostics) => Err(diagnostics),
    }
}

/// Checks a population spec file on its own, for `cutoff check`.
pub fn check_population_spec(path: &str, text: &str, fs: &dyn FileSystem) -> Vec<Diagnostic> {
    read_spec_file(path, text, fs).1
}

/// Whether TOML text looks like a scenario rather than a single directive.
pub fn looks_like_scenario(text: &str) -> bool {
    match DeTable::parse(text) {
        Ok(root) => root.get_ref().iter().any(|(k, _)| {
            matches!(
                k.get_ref().as_ref(),
                "as_of" | "population" | "directives" | "directive" | "response"
            )
        }),
        Err(_) => text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("as_of") || l.starts_with("population") || l.starts_with("[[directive")
        }),
    }
}

pub(crate) fn finish(mut scenario: Scenario, issues: RefCell<Vec<Issue>>) -> Scenario {
    for (loc, problem) in issues.into_inner() {
        let diagnostic = scenario.sources.diagnostic(loc, problem.as_ref());
        scenario.diagnostics.push(diagnostic);
    }
    sort_diagnostics(&mut scenario.diagnostics);
    scenario
}

/// Reads `contract`: absent or 2 is this contract; 1 keeps contract 1's `us_person`.
pub(crate) fn read_contract(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Reading {
    let Some(value) = table.get("contract") else {
        return Reading::default();
    };
    let reading = match value.get_ref() {
        DeValue::Integer(number) => number
            .to_string()
            .parse::<i64>()
            .ok()
            .and_then(Reading::of_contract),
        _ => None,
    };
    if reading.is_none() {
        let written = cx.text.get(value.span()).unwrap_or_default().to_owned();
        cx.report(cx.loc(value.span()), LoadError::UnknownContract(written));
    }
    reading.unwrap_or_default()
}
