//! The peer benchmark: the benchmark scenario (`benches/scenario.toml`) decided by Cutoff's
//! engine and by the `cedar-policy` crate on the same generated population, every decision
//! compared, and both throughputs reported with their ratio.
//!
//! `cargo bench -p cutoff-engine --bench cedar` runs it on 1,000,000 records (set `CEDAR_RECORDS` to change);
//! the test command runs it on 2,000 records as a check that the decisions agree.
//! Results go to standard output as `key=value` lines and to `target/bench/cedar.json`.
//!
//! The Cedar policies are written in the form Cedar evaluates fastest: people, countries and
//! products are entities; countries have their groups as parents and products have the
//! directives that cover them as parents, so membership is `in`; every person is in the
//! entity store and each request names them, with an empty context. Requests are built
//! before timing starts, so only `is_authorized` is timed. A Cedar request yields allow or
//! deny and the policies that decided it; the comparison is on what that can say: whether
//! the person keeps access, and, when not, whether the law or only the provider blocks them.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityUid, Policy, PolicyId, PolicySet,
    Request, RestrictedExpression,
};
use cutoff_engine::aggregate::simulate;
use cutoff_engine::analysis::generate::{BENCH_SCENARIO, generate_population};
use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::model::outcome::Outcome;
use cutoff_engine::model::reference::reference;
use cutoff_engine::prepare;

/// The benchmark scenario as Cedar policies: one `permit` for everyone, and a `forbid` for
/// each way to lose access. A directive's first-match rule list becomes conditions: rule 2
/// applies when rule 1 does not hold.
const POLICIES: [(&str, &str); 5] = [
    (
        "serve",
        r#"permit(principal, action == Action::"use", resource);"#,
    ),
    (
        // letter: rule 1 allows researchers in tier 1; rule 2 denies non-U.S. persons as
        // 15 CFR 772.1 defines them.
        "letter-2",
        r#"forbid(principal, action == Action::"use", resource in Directive::"letter")
           unless { ["citizen", "permanent_resident", "protected"].contains(principal.status)
                    || principal.residence in Group::"united-states"
                    || (principal.status == "entity" && principal.nationality in Group::"united-states") }
           unless { principal.segment == "researcher" && principal.residence in Group::"tier1" };"#,
    ),
    (
        // deemed: a license for foreign persons in the United States (none hold one).
        "deemed-1",
        r#"forbid(principal, action == Action::"use", resource in Directive::"deemed")
           when { (principal.status == "foreign_national"
                   || (principal.status == "entity" && !(principal.nationality in Group::"united-states")))
                  && principal.residence in Group::"united-states" };"#,
    ),
    (
        // sanctions: rule 1 denies foreign nationals of E:1 countries, on every product.
        "sanctions-1",
        r#"forbid(principal, action == Action::"use", resource in Directive::"sanctions")
           when { principal.status == "foreign_national" && principal.nationality in Group::"E:1" };"#,
    ),
    (
        // The provider's geofence: everyone outside the U.S.
        "geofence-1",
        r#"forbid(principal, action == Action::"use", resource)
           unless { principal.residence == Country::"US" };"#,
    ),
];

/// What a Cedar response can say about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Served,
    BlockedByLaw,
    BlockedByProviderOnly,
}

/// The bytes of columns the decision-table path reads per record: status (1), nationality
/// and residence (2 each), segment, sector and profile (4 each), products and weight (8
/// each).
const BYTES_PER_RECORD: usize = 1 + 2 + 2 + 4 + 4 + 4 + 8 + 8;

/// Bytes per second one core reads from memory: the best of five sums over 256 MiB.
fn memory_bandwidth() -> f64 {
    let words = vec![1u64; 32 * 1024 * 1024];
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        black_box(words.iter().fold(0u64, |a, &w| a.wrapping_add(w)));
        best = best.min(start.elapsed().as_secs_f64());
    }
    (words.len() * 8) as f64 / best
}

fn uid(text: &str) -> EntityUid {
    EntityUid::from_str(text).unwrap_or_else(|e| panic!("`{text}`: {e}"))
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let records: usize = std::env::var("CEDAR_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if full { 1_000_000 } else { 2_000 });

    // Cutoff: load and compile, then time simulate + aggregate.
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", generate_population(records, 42));
    let prepared = prepare(load_scenario("scenario.toml", BENCH_SCENARIO, &fs));
    assert!(!prepared.has_errors(), "{:?}", prepared.diagnostics);
    let compiled = prepared.compiled.as_ref().expect("compiled");
    let scenario = &prepared.scenario;
    let as_of = scenario.as_of.expect("as_of");
    let population = &scenario.population;
    let _ = population.profiles();
    // The first run after loading is what `cutoff simulate` costs: timed on its own.
    let start = Instant::now();
    black_box(simulate(scenario, compiled, as_of, |_| {}));
    let cutoff_first_seconds = start.elapsed().as_secs_f64();
    let repeats = if full { 21 } else { 3 };
    let mut times = Vec::new();
    for _ in 0..repeats {
        let start = Instant::now();
        black_box(simulate(scenario, compiled, as_of, |_| {}));
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let cutoff_seconds = times[times.len() / 2];
    let mut ours = Vec::new();
    simulate(scenario, compiled, as_of, |d| ours.push(*d));

    // Cedar: countries with their groups, products with the directives that cover them,
    // and every person.
    let mut entities = Vec::new();
    let refdata = reference();
    for index in 0..refdata.countries.len() {
        let id = u16::try_from(index).expect("country id");
        let parents: HashSet<EntityUid> = refdata
            .groups
            .iter()
            .filter(|g| g.set.contains(id))
            .map(|g| uid(&format!("Group::{:?}", g.id)))
            .collect();
        entities.push(Entity::new_no_attrs(
            uid(&format!("Country::{:?}", refdata.code(id))),
            parents,
        ));
    }
    for group in &refdata.groups {
        entities.push(Entity::new_no_attrs(
            uid(&format!("Group::{:?}", group.id)),
            HashSet::new(),
        ));
    }
    for product in ["fable-5", "mythos-5"] {
        let mut parents = HashSet::from([
            uid(r#"Directive::"letter""#),
            uid(r#"Directive::"sanctions""#),
        ]);
        if product == "mythos-5" {
            parents.insert(uid(r#"Directive::"deemed""#));
        }
        entities.push(Entity::new_no_attrs(
            uid(&format!("Product::{product:?}")),
            parents,
        ));
    }
    for directive in ["letter", "deemed", "sanctions"] {
        entities.push(Entity::new_no_attrs(
            uid(&format!("Directive::{directive:?}")),
            HashSet::new(),
        ));
    }
    let country = |id: u16| {
        RestrictedExpression::new_entity_uid(uid(&format!("Country::{:?}", refdata.code(id))))
    };
    for record in 0..population.len() {
        let attrs = HashMap::from([
            (
                "segment".to_owned(),
                RestrictedExpression::new_string(
                    population
                        .segments
                        .resolve(population.segment()[record])
                        .to_owned(),
                ),
            ),
            (
                "status".to_owned(),
                RestrictedExpression::new_string(population.status()[record].as_str().to_owned()),
            ),
            (
                "nationality".to_owned(),
                country(population.nationality()[record]),
            ),
            (
                "residence".to_owned(),
                country(population.residence()[record]),
            ),
        ]);
        let person = uid(&format!(
            "Person::{:?}",
            population.ids().get(record).unwrap_or_default()
        ));
        entities.push(Entity::new(person, attrs, HashSet::new()).expect("person"));
    }
    let entities = Entities::from_entities(entities, None).expect("entities");
    let mut policies = PolicySet::new();
    for (id, text) in POLICIES {
        let policy = Policy::parse(Some(PolicyId::new(id)), text).expect("policy");
        policies.add(policy).expect("add policy");
    }
    let action = uid(r#"Action::"use""#);
    let requests: Vec<Request> = ours
        .iter()
        .map(|d| {
            let person = uid(&format!(
                "Person::{:?}",
                population.ids().get(d.record as usize).unwrap_or_default()
            ));
            let product = uid(&format!(
                "Product::{:?}",
                scenario.products[usize::from(d.product)].id
            ));
            Request::new(person, action.clone(), product, Context::empty(), None).expect("request")
        })
        .collect();
    let authorizer = Authorizer::new();

    // Every decision must agree.
    for (decision, request) in ours.iter().zip(&requests) {
        let response = authorizer.is_authorized(request, &policies, &entities);
        let reasons: Vec<String> = response
            .diagnostics()
            .reason()
            .map(ToString::to_string)
            .collect();
        assert!(
            response.diagnostics().errors().next().is_none(),
            "cedar evaluation error"
        );
        let theirs = match response.decision() {
            Decision::Allow => Access::Served,
            Decision::Deny if reasons.iter().any(|r| r != "geofence-1") => Access::BlockedByLaw,
            Decision::Deny => Access::BlockedByProviderOnly,
        };
        let expected = match decision.outcome {
            Outcome::Denied | Outcome::LicenseRequired => Access::BlockedByLaw,
            Outcome::Collateral => Access::BlockedByProviderOnly,
            Outcome::Leaked | Outcome::Exempt | Outcome::Retains => Access::Served,
            // The benchmark scenario has no baseline.
            Outcome::Gains | Outcome::Unavailable => unreachable!("no baseline"),
        };
        assert_eq!(
            theirs,
            expected,
            "record `{}`, product {}: cedar {reasons:?}, cutoff {:?}",
            population
                .ids()
                .get(decision.record as usize)
                .unwrap_or_default(),
            decision.product,
            decision.outcome
        );
    }

    let cedar_repeats = if full { 3 } else { 1 };
    let mut cedar_times = Vec::new();
    for _ in 0..cedar_repeats {
        let start = Instant::now();
        for request in &requests {
            black_box(
                authorizer
                    .is_authorized(request, &policies, &entities)
                    .decision(),
            );
        }
        cedar_times.push(start.elapsed().as_secs_f64());
    }
    cedar_times.sort_by(f64::total_cmp);
    let cedar_seconds = cedar_times[cedar_times.len() / 2];

    let pairs = ours.len() as f64;
    let cutoff_rate = pairs / cutoff_seconds;
    let cutoff_first_rate = pairs / cutoff_first_seconds;
    let cedar_rate = pairs / cedar_seconds;
    // The physical limit: the table path reads each record's columns once.
    let bandwidth = memory_bandwidth();
    let memory_bound_seconds = (records * BYTES_PER_RECORD) as f64 / bandwidth;
    let lines = [
        ("records", records.to_string()),
        ("pairs", ours.len().to_string()),
        ("identical_decisions", ours.len().to_string()),
        ("cutoff_first_seconds", format!("{cutoff_first_seconds:.6}")),
        ("cutoff_seconds", format!("{cutoff_seconds:.6}")),
        ("cedar_seconds", format!("{cedar_seconds:.6}")),
        (
            "cutoff_first_decisions_per_second",
            format!("{cutoff_first_rate:.0}"),
        ),
        ("cutoff_decisions_per_second", format!("{cutoff_rate:.0}")),
        ("cedar_decisions_per_second", format!("{cedar_rate:.0}")),
        (
            "first_ratio",
            format!("{:.0}", cutoff_first_rate / cedar_rate),
        ),
        ("ratio", format!("{:.0}", cutoff_rate / cedar_rate)),
        ("bytes_per_record", BYTES_PER_RECORD.to_string()),
        ("memory_gb_per_second", format!("{:.1}", bandwidth / 1e9)),
        ("memory_bound_seconds", format!("{memory_bound_seconds:.6}")),
        (
            "memory_bound_decisions_per_second",
            format!("{:.0}", pairs / memory_bound_seconds),
        ),
    ];
    for (key, value) in &lines {
        println!("{key}={value}");
    }
    let json: serde_json::Map<String, serde_json::Value> = lines
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
        .collect();
    let dir = env!("CARGO_TARGET_TMPDIR");
    if std::fs::create_dir_all(dir).is_ok() && full {
        let _ = std::fs::write(
            format!("{dir}/cedar.json"),
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        );
    }
}
