//! Loads scenarios and directives from TOML (DESIGN §2), keeping the span of every value
//! and reporting every problem it finds rather than stopping at the first.

pub mod population;
pub mod spec;
pub mod story;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use thiserror::Error;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::load::population::load_population;
use crate::load::spec::Adjustments;
use crate::model::condition::{self, Cond};
use crate::model::date::Date;
use crate::model::population::Population;
use crate::model::reading::Reading;
use crate::model::{
    Baseline, Basis, CustomGroup, Directive, Effect, Product, ProductRef, ProductScope, Response,
    Rule, Source,
};
use crate::source::diagnostic::{Diagnostic, Problem, Severity, sort_diagnostics};
use crate::source::suggest::{nearest, one_of};
use crate::source::toml_text::TextMap;
use crate::source::{FileId, Loc, Sources};
use crate::source::{SourceFile, Span};

mod policy;
mod sources;

pub(crate) use sources::read_source;

/// The largest file Cutoff reads: 512 MiB (a million-row population is about 60 MiB).
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// Reads the files a scenario names.
pub trait FileSystem {
    /// The bytes of the file at `path`, or why it could not be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// The real file system.
pub struct NativeFileSystem;

impl FileSystem for NativeFileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        // Refuse an oversized file before reading it into memory.
        if let Ok(meta) = std::fs::metadata(path)
            && meta.len() > MAX_FILE_BYTES as u64
        {
            return Err(too_large(meta.len()));
        }
        std::fs::read(path).map_err(|e| {
            let message = e.to_string().to_lowercase();
            // "no such file or directory (os error 2)" reads better without the number.
            match message.find(" (os error") {
                Some(cut) => message.get(..cut).unwrap_or(&message).to_owned(),
                None => message,
            }
        })
    }
}

/// Files held in memory, such as the presets compiled into the app.
#[derive(Clone, Debug, Default)]
pub struct MemoryFileSystem {
    files: HashMap<String, String>,
}

impl MemoryFileSystem {
    /// Adds a file.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.insert(normalize_path(&path.into()), text.into());
    }
}

impl FileSystem for MemoryFileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(&normalize_path(path))
            .map(|text| text.clone().into_bytes())
            .ok_or_else(|| "no such file".into())
    }
}

/// Resolves `.` and `..` segments so that equal paths compare equal.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `path` relative to the folder of `from`, unless it is absolute.
pub fn relative_to(from: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    match from.rfind('/') {
        Some(slash) => format!("{}/{path}", from.get(..slash).unwrap_or_default()),
        None => path.to_owned(),
    }
}

/// The path of the file `to` as written in the file `from` (both relative to one root):
/// the inverse of [`relative_to`].
pub fn path_from(from: &str, to: &str) -> String {
    let from = normalize_path(from);
    let to = normalize_path(to);
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = from_dirs.split_last().map_or(&[][..], |(_, dirs)| dirs);
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(to_parts.iter().skip(common));
    parts.join("/")
}

/// What can be wrong with the structure of a scenario or directive file.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum LoadError {
    /// TOML syntax.
    #[error("invalid TOML: {0}")]
    Toml(String),
    /// A file that could not be read.
    #[error("cannot read `{path}`: {reason}")]
    ReadFailed {
        /// The path as resolved.
        path: String,
        /// Why.
        reason: String,
    },
    /// A file that is not UTF-8.
    #[error("`{0}` is not valid UTF-8")]
    NotUtf8(String),
    /// A required key is absent.
    #[error("missing `{key}` in {what}")]
    MissingKey {
        /// The key.
        key: &'static str,
        /// The table.
        what: &'static str,
    },
    /// A value of the wrong type.
    #[error("`{key}` must be {expected}")]
    WrongType {
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A key the format does not have.
    #[error("unknown key `{key}` in {what}")]
    UnknownKey {
        /// The key.
        key: String,
        /// The table.
        what: &'static str,
        /// The nearest known key.
        suggestion: Option<&'static str>,
    },
    /// An effect other than deny, license or allow.
    #[error("unknown effect `{0}`")]
    BadEffect(String),
    /// Two things with one id.
    #[error("duplicate {kind} id `{id}`")]
    DuplicateId {
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
        /// Where the first one is.
        first_line: usize,
    },
    /// An id that is empty.
    #[error("empty {0} id")]
    EmptyId(&'static str),
    /// `expires` on or before `effective`: never in force.
    #[error(
        "`expires` ({expires}) is not after `effective` ({effective}), so the directive is never in force"
    )]
    ExpiresBeforeEffective {
        /// Start.
        effective: Date,
        /// End.
        expires: Date,
    },
    /// A custom group that reuses a built-in name.
    #[error("group `{0}` is already a built-in group")]
    ShadowsBuiltinGroup(String),
    /// A country code in a custom group that is not ISO 3166-1 alpha-2.
    #[error("unknown country code `{code}` in group `{group}`")]
    UnknownGroupCountry {
        /// The group.
        group: String,
        /// The code.
        code: String,
        /// A likely intended code and its name.
        suggestion: Option<(String, String)>,
    },
    /// `products = []`.
    #[error("`products` is empty")]
    NoProducts,
    /// A scenario without a population.
    #[error("missing `population`")]
    NoPopulation,
    /// More products than the engine's masks hold.
    #[error("more than {0} products")]
    TooManyProducts(usize),
    /// A file with nothing in it.
    #[error("the file holds no scenario and no directive")]
    EmptyFile,
    /// A baseline that leads back to the scenario: itself (an error), or through the
    /// baseline file's own baseline (a warning: that one is ignored).
    #[error("baseline cycle: {}", .0.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" → "))]
    BaselineCycle(Vec<String>),
    /// A baseline file that could not be read.
    #[error("cannot read baseline `{path}`: {reason}")]
    BaselineUnreadable {
        /// The path as written.
        path: String,
        /// Why.
        reason: String,
    },
    /// A source's `basis` that is not one of the five.
    #[error("unknown basis `{0}`")]
    UnknownBasis(String),
    /// A `contract` other than 1 or 2.
    #[error("unknown contract `{0}`")]
    UnknownContract(String),
}

impl Problem for LoadError {
    /// A directive that is never in force is a warning (it is simply never applied);
    /// everything else is an error.
    fn severity(&self) -> Severity {
        match self {
            LoadError::ExpiresBeforeEffective { .. } => Severity::Warning,
            LoadError::BaselineCycle(files) if files.len() > 2 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            LoadError::MissingKey { key: "as_of", .. } => "add a date such as `as_of = 2026-11-21`".into(),
            LoadError::MissingKey { key: "when", .. } => {
                "add a condition such as `when = 'not us_person'`, or `when = \"true\"` for everyone".into()
            }
            LoadError::MissingKey { key: "effect", .. } => {
                format!("add `effect = \"deny\"`; an effect is {}", one_of(&EFFECTS))
            }
            LoadError::WrongType { expected, .. } if expected.starts_with("a date") => {
                "write a TOML date without quotes, such as `2026-11-21`".into()
            }
            LoadError::UnknownKey {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            LoadError::UnknownKey {
                key,
                what: "the baseline",
                ..
            } if ["population", "products", "baseline"].contains(&key.as_str()) => {
                "a baseline is simulated over the scenario's own population and products, and has no baseline of its own".into()
            }
            LoadError::BadEffect(wrong) => match nearest(wrong, EFFECTS) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("an effect is {}", one_of(&EFFECTS)),
            },
            LoadError::DuplicateId { first_line, .. } => format!("first defined on line {first_line}"),
            LoadError::ShadowsBuiltinGroup(_) => "choose another name for the custom group".into(),
            LoadError::UnknownGroupCountry {
                suggestion: Some((code, name)),
                ..
            } => format!("did you mean `{code}` ({name})?"),
            LoadError::UnknownGroupCountry { .. } => {
                "use ISO 3166-1 alpha-2 codes such as `GB` or `JP`".into()
            }
            LoadError::NoProducts => "list product ids, or `[\"*\"]` for every product".into(),
            LoadError::NoPopulation => {
                "add `population = \"people.csv\"` or a `[population]` table with `csv = '''...'''`".into()
            }
            LoadError::NotUtf8(_) => "save the file as UTF-8".into(),
            LoadError::TooManyProducts(_) => "split the scenario into several scenarios".into(),
            LoadError::ExpiresBeforeEffective { .. } => {
                "set `expires` to a day after `effective`, or remove it".into()
            }
            LoadError::BaselineUnreadable { .. } => {
                "a baseline is another scenario file, relative to this one; or write the earlier state inline as a `[baseline]` table".into()
            }
            LoadError::BaselineCycle(files) if files.len() > 2 => format!(
                "a baseline's own baseline is ignored, so this scenario is counted against `{}` as written; remove `baseline` from one of the two to say so plainly",
                files.get(1).map_or("", String::as_str)
            ),
            LoadError::BaselineCycle(_) => {
                "a scenario cannot be its own baseline; point `baseline` at a scenario of the earlier state, or write an inline `[baseline]`".into()
            }
            LoadError::UnknownKey { key, what: "the baseline", .. }
                if DIRECTIVE_KEYS.contains(&key.as_str()) =>
            {
                "a baseline file is a scenario (with `as_of`, `directives`, `[response]`), not a directive; to count against a directive, write an inline `[baseline]` with `directives = [\"...\"]`".into()
            }
            LoadError::UnknownBasis(wrong) => match nearest(wrong, Basis::names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("a basis is {}", one_of(&Basis::names())),
            },
            LoadError::UnknownContract(_) => {
                "leave `contract` out for 15 CFR 772.1; `contract = 1` reads `us_person` as contract 1 did (`not foreign_person`)".into()
            }
            LoadError::EmptyFile => "a scenario needs `as_of`, `[[products]]` and `population`; a directive needs `id`, `products` and `[[rules]]`".into(),
            _ => return None,
        })
    }
}

const EFFECTS: [&str; 3] = ["deny", "license", "allow"];

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

/// The keys a directive file has and a scenario does not.
const DIRECTIVE_KEYS: [&str; 7] = [
    "id",
    "rules",
    "default",
    "issued",
    "effective",
    "expires",
    "authority",
];

/// A problem found while loading, located but not yet rendered.
pub(crate) type Issue = (Loc, Box<dyn Problem>);

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

/// Reads bytes as UTF-8, or says why not.
/// The text of the file at `relative`, beside `from`.
fn read_text_beside(fs: &dyn FileSystem, from: &str, relative: &str) -> Result<String, String> {
    let bytes = fs.read(&relative_to(from, relative))?;
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())
}

/// The message for a file over [`MAX_FILE_BYTES`].
pub fn too_large(bytes: u64) -> String {
    format!(
        "it is {} MiB, over the limit of {} MiB; aggregate identical people into weighted rows",
        bytes / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

fn decode_utf8(path: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8(path.to_owned()))
}

/// Loads the scenario at `path` and every file it names.
pub fn load_scenario_file(path: &str, fs: &dyn FileSystem) -> Scenario {
    match fs.read(path).map_err(|reason| LoadError::ReadFailed {
        path: path.to_owned(),
        reason,
    }) {
        Ok(bytes) => match decode_utf8(path, bytes) {
            Ok(text) => load_scenario(path, &text, fs),
            Err(error) => failed_to_read(path, error),
        },
        Err(error) => failed_to_read(path, error),
    }
}

fn failed_to_read(path: &str, error: LoadError) -> Scenario {
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
struct ScenarioParts {
    directive_files: Vec<(String, String)>,
    baseline: Option<policy::BaselineText>,
    population: Option<PopulationText>,
}

/// Reads every key of the scenario's own table into `scenario`.
fn read_scenario_table(
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
fn report_missing(cx: &Cx<'_>, key: &'static str) {
    let loc = cx.loc(Span::default());
    let what = "the scenario";
    cx.report(loc, LoadError::MissingKey { key, what });
}

/// Reads `[[products]]`: at least one, unique ids, at most 64 (they are bits of a mask).
fn read_products(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Vec<Product> {
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
fn read_population_key(
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
            let read = fs
                .read(&resolved)
                .map_err(|reason| LoadError::ReadFailed {
                    path: relative.to_string(),
                    reason,
                })
                .and_then(|b| decode_utf8(relative, b));
            match read {
                Ok(text) if resolved.ends_with(".population.toml") => Some(PopulationText::Spec {
                    path: resolved,
                    text,
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
fn read_inline_population(
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
fn read_policy_files(
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
struct PopulationRead<'a> {
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
        let key = text.key().map(|(p, t)| (p.to_owned(), t.to_owned()));
        if key
            .as_ref()
            .is_some_and(|k| cache.restore(k, self.adjustments, scenario))
        {
            return issues;
        }
        let mut pending = issues.into_inner();
        let issues_before = pending.len();
        let Some((population_file, csv, map)) = self.csv(scenario, &mut pending, text) else {
            return RefCell::new(pending);
        };
        let (population, diagnostics) =
            load_population(&scenario.sources, population_file, &csv, &map);
        let population = Arc::new(population);
        // Only a population read without a problem is kept: its diagnostics need not be
        // reproduced.
        if let Some((path, text)) = key
            && diagnostics.is_empty()
            && pending.len() == issues_before
        {
            cache.keep(path, text, self.adjustments, scenario, &population);
        }
        scenario.population = population;
        scenario.has_population = true;
        scenario.diagnostics.extend(diagnostics);
        RefCell::new(pending)
    }

    /// The population's CSV text, the file it reports against and where its bytes stand
    /// there; a spec is read and expanded first (`None` when it cannot be read).
    fn csv(
        &self,
        scenario: &mut Scenario,
        pending: &mut Vec<Issue>,
        text: PopulationText,
    ) -> Option<(FileId, String, TextMap)> {
        let (spec_path, spec_text) = match text {
            PopulationText::File { path, csv } => {
                let map = TextMap::identity(0, csv.len());
                return Some((scenario.sources.add(path, csv.clone()), csv, map));
            }
            PopulationText::Inline { csv, map } => return Some((scenario.file, csv, map)),
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
        let csv = crate::load::spec::expand(&spec, scenario.reading);
        scenario.population_spec = Some(spec);
        let map = TextMap::identity(0, csv.len());
        let expanded = format!("{spec_path} (expanded)");
        Some((scenario.sources.add(expanded, csv.clone()), csv, map))
    }
}

impl PopulationCache {
    /// Puts the cached population into `scenario` if it is the one `key` names, read with
    /// the same adjustments, and its files would get the same ids.
    fn restore(
        &self,
        (path, text): &(String, String),
        adjustments: &Adjustments,
        scenario: &mut Scenario,
    ) -> bool {
        let Some(hit) = self.last.as_ref() else {
            return false;
        };
        if hit.path != *path
            || hit.text != *text
            || hit.adjustments != *adjustments
            || scenario.sources.len() + hit.files.len() != hit.population.file + 1
        {
            return false;
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
        path: String,
        text: String,
        adjustments: &Adjustments,
        scenario: &Scenario,
        population: &Arc<Population>,
    ) {
        let added = if scenario.population_spec.is_some() {
            2
        } else {
            1
        };
        let first_new = scenario.sources.len() - added;
        self.last = Some(CachedPopulation {
            path,
            text,
            adjustments: adjustments.clone(),
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
struct CachedPopulation {
    /// The population's path and text.
    path: String,
    text: String,
    adjustments: crate::load::spec::Adjustments,
    /// The files it added to the scenario's sources, in order: the CSV, or the spec and
    /// its expansion.
    files: Vec<Arc<SourceFile>>,
    spec: Option<crate::load::spec::PopulationSpec>,
    population: Arc<Population>,
}

/// Where the population's CSV text comes from.
enum PopulationText {
    /// A file of its own.
    File { path: String, csv: String },
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

/// Every issue located in `sources`, sorted.
fn located(sources: &Sources, issues: RefCell<Vec<Issue>>) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = issues
        .into_inner()
        .iter()
        .map(|(loc, p)| sources.diagnostic(*loc, p.as_ref()))
        .collect();
    sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// Loads a standalone directive file, for `cutoff check`.
pub fn load_directive(path: &str, text: &str) -> (Sources, Option<Directive>, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let file = sources.add(path, text);
    let issues = RefCell::new(Vec::new());
    let cx = Cx {
        file,
        text,
        issues: &issues,
    };
    let directive = parse_toml(&cx).and_then(|root| {
        if root.get_ref().is_empty() {
            cx.report(cx.loc(Span::default()), LoadError::EmptyFile);
            return None;
        }
        let reader = TableReader::new(&cx, root.get_ref(), Span::default(), "the directive");
        read_directive(&cx, reader)
    });
    let diagnostics = located(&sources, issues);
    (sources, directive, diagnostics)
}

/// Reads a population spec file on its own: the spec, if it could be read, and every
/// problem found in it.
fn read_spec_file(
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

fn finish(mut scenario: Scenario, issues: RefCell<Vec<Issue>>) -> Scenario {
    for (loc, problem) in issues.into_inner() {
        let diagnostic = scenario.sources.diagnostic(loc, problem.as_ref());
        scenario.diagnostics.push(diagnostic);
    }
    sort_diagnostics(&mut scenario.diagnostics);
    scenario
}

/// Reads `contract`: absent or 2 is this contract; 1 keeps contract 1's `us_person`.
fn read_contract(cx: &Cx<'_>, table: &TableReader<'_, '_>) -> Reading {
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

/// The file being read and where its problems go.
pub(crate) struct Cx<'a> {
    pub(crate) file: FileId,
    pub(crate) text: &'a str,
    pub(crate) issues: &'a RefCell<Vec<Issue>>,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, span: impl Into<Span>) -> Loc {
        Loc {
            file: self.file,
            span: span.into(),
        }
    }

    pub(crate) fn report(&self, loc: Loc, problem: impl Problem + 'static) {
        self.issues.borrow_mut().push((loc, Box::new(problem)));
    }
}

pub(crate) fn parse_toml<'i>(cx: &Cx<'i>) -> Option<Spanned<DeTable<'i>>> {
    match DeTable::parse(cx.text) {
        Ok(root) => Some(root),
        Err(error) => {
            let span = error.span().map_or(Span::default(), Span::from);
            let message = error.message().trim_end_matches('.').to_owned();
            cx.report(cx.loc(span), LoadError::Toml(lowercase_first(&message)));
            None
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads one TOML table, remembering which keys were used.
pub(crate) struct TableReader<'a, 'i> {
    cx: &'a Cx<'a>,
    table: &'a DeTable<'i>,
    span: Span,
    what: &'static str,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub(crate) fn new(
        cx: &'a Cx<'a>,
        table: &'a DeTable<'i>,
        span: Span,
        what: &'static str,
    ) -> Self {
        TableReader {
            cx,
            table,
            span,
            what,
        }
    }

    pub(crate) fn header(&self) -> Loc {
        self.cx.loc(self.span)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &'static str,
    ) {
        self.cx.report(
            self.cx.loc(value.span()),
            LoadError::WrongType {
                key: key.to_owned(),
                expected,
            },
        );
    }

    pub(crate) fn string(&self, key: &str) -> Option<(String, Loc)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some((s.to_string(), self.cx.loc(value.span()))),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    fn text_map(&self, key: &str) -> Option<TextMap> {
        let value = self.get(key)?;
        let DeValue::String(s) = value.get_ref() else {
            return None;
        };
        let span = value.span();
        let raw = self.cx.text.get(span.clone()).unwrap_or_default();
        Some(TextMap::new(raw, span.start, s))
    }

    fn required_id(&self, key: &'static str, what: &'static str) -> Option<(String, Loc)> {
        match self.string(key) {
            Some((id, loc)) if id.trim().is_empty() => {
                self.cx
                    .report(loc, LoadError::EmptyId(what.trim_start_matches("a ")));
                None
            }
            Some((id, loc)) => Some((id, loc)),
            None => {
                if self.get(key).is_none() {
                    self.cx
                        .report(self.header(), LoadError::MissingKey { key, what });
                }
                None
            }
        }
    }

    fn boolean(&self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A date written as a TOML date or as a string ("2024-12", "2025"), as text.
    fn date_text(&self, key: &str) -> String {
        match self.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Datetime(dt)) => dt.to_string(),
            Some(DeValue::String(s)) => s.to_string(),
            Some(_) => {
                if let Some(value) = self.get(key) {
                    self.wrong_type(key, value, "a date or a string");
                }
                String::new()
            }
            None => String::new(),
        }
    }

    fn date(&self, key: &str) -> Option<(Date, Loc)> {
        let value = self.get(key)?;
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| Date::new(d.year, d.month, d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.wrong_type(key, value, "a date such as 2026-11-21");
        }
        date.map(|d| (d, self.cx.loc(value.span())))
    }

    pub(crate) fn string_list(&self, key: &str) -> Vec<(String, Loc)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), self.cx.loc(item.span()))),
                _ => self.wrong_type(key, item, "a list of strings"),
            }
        }
        out
    }

    fn product_scope(&self, key: &str, required: bool) -> Option<ProductScope> {
        let Some(value) = self.get(key) else {
            if required {
                self.cx.report(
                    self.header(),
                    LoadError::MissingKey {
                        key: "products",
                        what: self.what,
                    },
                );
            }
            return None;
        };
        let list = self.string_list(key);
        if list.is_empty() {
            if matches!(value.get_ref(), DeValue::Array(_)) {
                self.cx
                    .report(self.cx.loc(value.span()), LoadError::NoProducts);
            }
            return None;
        }
        if list.iter().any(|(id, _)| id == "*") {
            return Some(ProductScope::All);
        }
        Some(ProductScope::Only(
            list.into_iter()
                .map(|(id, loc)| ProductRef { id, loc })
                .collect(),
        ))
    }

    pub(crate) fn table(&self, key: &str) -> Option<(&'a DeTable<'i>, Span)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span().into())),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// The tables of an array of tables (`[[key]]`).
    pub(crate) fn tables(&self, key: &str) -> Vec<(&'a DeTable<'i>, Span)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables");
            return Vec::new();
        };
        array_tables(items)
            .inspect(|r| {
                if let Err(item) = r {
                    self.wrong_type(key, item, "an array of tables");
                }
            })
            .filter_map(Result::ok)
            .collect()
    }

    /// Reports every key not in `allowed`.
    pub(crate) fn finish(&self, allowed: &[&'static str]) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                let suggestion = nearest(name, allowed.iter().copied());
                self.cx.report(
                    self.cx.loc(key.span()),
                    LoadError::UnknownKey {
                        key: name.to_owned(),
                        what: self.what,
                        suggestion,
                    },
                );
            }
        }
    }
}

fn array_tables<'a, 'i>(
    items: &'a DeArray<'i>,
) -> impl Iterator<Item = Result<(&'a DeTable<'i>, Span), &'a Spanned<DeValue<'i>>>> {
    items.iter().map(|item| match item.get_ref() {
        DeValue::Table(table) => Ok((table, Span::from(item.span()))),
        _ => Err(item),
    })
}

fn read_effect(cx: &Cx<'_>, reader: &TableReader<'_, '_>, key: &'static str) -> Option<Effect> {
    let (text, loc) = reader.string(key)?;
    let effect = Effect::parse(&text);
    if effect.is_none() {
        cx.report(loc, LoadError::BadEffect(text));
    }
    effect
}

fn read_rules(cx: &Cx<'_>, table: &TableReader<'_, '_>, key: &str) -> Vec<Rule> {
    let mut rules = Vec::new();
    for (item, span) in table.tables(key) {
        let reader = TableReader::new(cx, item, span, "a rule");
        let effect = read_effect(cx, &reader, "effect");
        if reader.get("effect").is_none() {
            cx.report(
                reader.header(),
                LoadError::MissingKey {
                    key: "effect",
                    what: "a rule",
                },
            );
        }
        let when = reader.string("when");
        if reader.get("when").is_none() {
            cx.report(
                reader.header(),
                LoadError::MissingKey {
                    key: "when",
                    what: "a rule",
                },
            );
        }
        let note = reader.string("note").map(|(s, _)| s);
        reader.finish(&["effect", "when", "note"]);
        let (Some(effect), Some((when_text, when_loc))) = (effect, when) else {
            continue;
        };
        let when_map = reader.text_map("when").unwrap_or_default();
        let mut rule = Rule {
            effect,
            when: None,
            when_text,
            when_map,
            when_loc,
            loc: cx.loc(span),
            note,
        };
        rule.when = parse_condition(cx, &rule);
        rules.push(rule);
    }
    rules
}

fn parse_condition(cx: &Cx<'_>, rule: &Rule) -> Option<Cond> {
    match condition::parse(&rule.when_text) {
        Ok(cond) => Some(cond),
        Err(errors) => {
            for (error, span) in errors {
                cx.report(rule.cond_loc(span), error);
            }
            None
        }
    }
}

fn read_directive(cx: &Cx<'_>, reader: TableReader<'_, '_>) -> Option<Directive> {
    let id = reader.required_id("id", "a directive");
    let issued = reader.date("issued").map(|(d, _)| d);
    let effective_at = reader.date("effective");
    let effective = effective_at.map(|(d, _)| d).or(issued);
    let expires_at = reader.date("expires");
    if let (Some(start), Some((end, loc))) = (effective, expires_at)
        && end <= start
    {
        cx.report(
            loc,
            LoadError::ExpiresBeforeEffective {
                effective: start,
                expires: end,
            },
        );
    }
    let products = reader.product_scope("products", true);
    let default = if reader.get("default").is_some() {
        read_effect(cx, &reader, "default")
    } else {
        Some(Effect::Allow)
    };
    let rules = read_rules(cx, &reader, "rules");
    let directive = Directive {
        id: id.as_ref().map(|(id, _)| id.clone()).unwrap_or_default(),
        title: reader.string("title").map(|(s, _)| s).unwrap_or_default(),
        authority: reader
            .string("authority")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        description: reader
            .string("description")
            .map(|(s, _)| s)
            .unwrap_or_default(),
        issued,
        effective,
        expires: expires_at.map(|(d, _)| d),
        products: products.clone().unwrap_or(ProductScope::All),
        default: default.unwrap_or(Effect::Allow),
        sources: sources::read_sources(cx, &reader),
        rules,
        loc: id.as_ref().map_or(reader.header(), |(_, loc)| *loc),
    };
    reader.finish(&[
        "id",
        "title",
        "authority",
        "description",
        "issued",
        "effective",
        "expires",
        "products",
        "default",
        "sources",
        "rules",
    ]);
    (id.is_some() && products.is_some() && default.is_some()).then_some(directive)
}

/// Reports every id after the first of the same name.
fn check_unique<'a>(
    cx: &Cx<'_>,
    kind: &'static str,
    ids: impl Iterator<Item = (&'a str, Loc)>,
    text: &str,
) {
    let mut first: HashMap<&str, Loc> = HashMap::new();
    for (id, loc) in ids {
        match first.get(id) {
            Some(earlier) => {
                let first_line = text
                    .get(..earlier.span.start)
                    .map_or(0, |t| t.matches('\n').count() + 1);
                cx.report(
                    loc,
                    LoadError::DuplicateId {
                        kind,
                        id: id.to_owned(),
                        first_line,
                    },
                );
            }
            None => {
                first.insert(id, loc);
            }
        }
    }
}

impl Problem for Box<dyn Problem> {
    fn help(&self) -> Option<String> {
        self.as_ref().help()
    }
    fn severity(&self) -> Severity {
        self.as_ref().severity()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{
        MemoryFileSystem, PopulationCache, load_scenario_cached, normalize_path, path_from,
        relative_to,
    };
    use crate::aggregate::simulate;
    use crate::load::spec::Adjustments;
    use crate::prepare;
    use crate::render::totals::totals_json;

    const SCENARIO: &str = "title = \"t\"\nas_of = 2026-11-21\npopulation = \"people.csv\"\n\
        [[products]]\nid = \"a\"\n[[directive]]\nid = \"d\"\nissued = 2026-01-01\nproducts = [\"*\"]\n\
        [[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n";

    fn files(csv: &str) -> MemoryFileSystem {
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", csv.to_owned());
        fs
    }

    #[test]
    fn a_path_from_one_file_to_another_resolves_back() {
        for (from, to, expected) in [
            (
                "campus/a.scenario.toml",
                "campus/b.scenario.toml",
                "b.scenario.toml",
            ),
            ("friday-letter/x.toml", "campus/b.toml", "../campus/b.toml"),
            ("x.toml", "campus/b.toml", "campus/b.toml"),
            ("a/b/x.toml", "a/y.toml", "../y.toml"),
        ] {
            assert_eq!(path_from(from, to), expected);
            assert_eq!(normalize_path(&relative_to(from, &path_from(from, to))), to);
        }
    }

    #[test]
    fn an_edit_that_leaves_the_population_alone_reuses_it() {
        let fs = files(
            "id,segment,nationality,residence,status,products\np1,customer,FR,FR,foreign_national,a\np2,customer,US,US,citizen,a\n",
        );
        let mut cache = PopulationCache::default();
        let none = Adjustments::default();
        let first = load_scenario_cached("s.toml", SCENARIO, &fs, &none, &mut cache);
        let edited = SCENARIO.replace("effect = \"deny\"", "effect = \"license\"");
        let second = load_scenario_cached("s.toml", &edited, &fs, &none, &mut cache);
        assert!(Arc::ptr_eq(&first.population, &second.population));
        // The reused population decides exactly as a fresh read does.
        let fresh = super::load_scenario("s.toml", &edited, &fs);
        let totals = |scenario| {
            let prepared = prepare(scenario);
            let as_of = prepared.scenario.as_of?;
            let compiled = prepared.compiled.as_ref()?;
            let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
            Some(totals_json(&prepared.scenario, &totals))
        };
        assert!(second.diagnostics.is_empty());
        let (reused, fresh) = (totals(second), totals(fresh));
        assert!(reused.is_some());
        assert_eq!(reused, fresh);
        assert_ne!(totals(first), reused);
    }

    #[test]
    fn a_changed_or_broken_population_is_read_again() {
        let mut cache = PopulationCache::default();
        let none = Adjustments::default();
        let good = files(
            "id,segment,nationality,residence,status,products\np1,customer,FR,FR,foreign_national,a\n",
        );
        let first = load_scenario_cached("s.toml", SCENARIO, &good, &none, &mut cache);
        let changed = files(
            "id,segment,nationality,residence,status,products\np1,customer,DE,DE,foreign_national,a\n",
        );
        let second = load_scenario_cached("s.toml", SCENARIO, &changed, &none, &mut cache);
        assert!(!Arc::ptr_eq(&first.population, &second.population));
        let broken = files(
            "id,segment,nationality,residence,status,products\np1,customer,XX,DE,foreign_national,a\n",
        );
        let third = load_scenario_cached("s.toml", SCENARIO, &broken, &none, &mut cache);
        let again = load_scenario_cached("s.toml", SCENARIO, &broken, &none, &mut cache);
        // A population with problems is never kept, so its diagnostics come back each time.
        assert!(!third.diagnostics.is_empty());
        assert_eq!(third.diagnostics, again.diagnostics);
        assert!(!Arc::ptr_eq(&third.population, &again.population));
    }
}
