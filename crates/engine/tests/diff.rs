//! `cutoff diff`'s promise, checked on shipped scenario pairs against the ordinary
//! simulation: every region's condition parses and compiles with A's own vocabulary;
//! evaluated on every (record, product) pair of A's population, the regions are disjoint,
//! every pair whose outcome differs under A and B matches exactly one region (with that
//! region's two outcomes) and no other pair matches any; and the regions' counts add up.
//! The shipped files are read from disk, so the test is native only.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cutoff_engine::aggregate::simulate;
use cutoff_engine::analysis::diff::{Diff, Side, diff, example_population, region_records};
use cutoff_engine::compile::{Vocabulary, compile_condition};
use cutoff_engine::load::{NativeFileSystem, Scenario, load_scenario_file};
use cutoff_engine::model::condition::parse;
use cutoff_engine::model::outcome::Outcome;
use cutoff_engine::{Prepared, prepare};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &str) -> Scenario {
    let path = root().join(path);
    load_scenario_file(&path.to_string_lossy(), &NativeFileSystem)
}

/// Each (record, product id) pair's outcome under a prepared scenario.
fn outcomes(prepared: &Prepared) -> HashMap<(usize, String), Outcome> {
    let (compiled, as_of) = prepared.ready(None).expect("runs");
    let products: Vec<String> = prepared
        .scenario
        .products
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let mut out = HashMap::new();
    let _ = simulate(&prepared.scenario, compiled, as_of, |d| {
        out.insert(
            (d.record as usize, products[usize::from(d.product)].clone()),
            d.outcome,
        );
    });
    out
}

fn run_diff(a: &str, b: &str) -> Diff {
    let (mut a, mut b) = (prepare(load(a)), prepare(load(b)));
    let day_a = a.ready(None).expect("A runs").1;
    let day_b = b.ready(None).expect("B runs").1;
    diff(
        Side {
            scenario: &mut a.scenario,
            as_of: day_a,
        },
        Side {
            scenario: &mut b.scenario,
            as_of: day_b,
        },
    )
    .expect("diff runs")
}

/// Checks the regions of `diff A B` against the ordinary simulation of A, and of B over
/// A's population; returns the number of pairs that differ.
fn check_regions(a_path: &str, b_path: &str) -> usize {
    let found = run_diff(a_path, b_path);
    let a = prepare(load(a_path));
    let mut b = load(b_path);
    b.population = Arc::clone(&a.scenario.population);
    b.has_population = true;
    let b = prepare(b);
    let (under_a, under_b) = (outcomes(&a), outcomes(&b));
    let vocabulary = Vocabulary::of(&a.scenario);
    let regions: Vec<_> = found
        .regions
        .iter()
        .map(|region| {
            let cond = parse(&region.when).unwrap_or_else(|e| panic!("`{}`: {e:?}", region.when));
            let mut issues = Vec::new();
            let pred = compile_condition(&cond, &vocabulary, &mut issues)
                .unwrap_or_else(|| panic!("`{}` compiles: {issues:?}", region.when));
            (region, pred)
        })
        .collect();
    let index: HashMap<&str, usize> = a
        .scenario
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let population = &a.scenario.population;
    let (mut differing, mut weight) = (0usize, 0.0f64);
    let mut per_region = vec![(0usize, 0.0f64); regions.len()];
    for ((record, product), x) in &under_a {
        let y = under_b[&(*record, product.clone())];
        let matching: Vec<usize> = (0..regions.len())
            .filter(|&r| {
                regions[r]
                    .1
                    .eval(population, *record, index[product.as_str()])
            })
            .collect();
        if *x == y {
            assert!(
                matching.is_empty(),
                "{a_path} vs {b_path}: record {record} {product}, {x:?} both, matches {matching:?}"
            );
            continue;
        }
        let [only] = matching.as_slice() else {
            panic!(
                "{a_path} vs {b_path}: record {record} {product}, {x:?} → {y:?}, matches {matching:?}"
            );
        };
        assert_eq!(
            (regions[*only].0.a, regions[*only].0.b),
            (*x, y),
            "record {record} {product}"
        );
        let w = population.weight()[*record];
        differing += 1;
        weight += w;
        per_region[*only].0 += 1;
        per_region[*only].1 += w;
    }
    for ((region, _), (pairs, w)) in regions.iter().zip(&per_region) {
        assert_eq!(region.pairs, *pairs, "`{}`", region.when);
        assert!((region.weight - w).abs() < 1e-6, "`{}`", region.when);
    }
    let total: f64 = found.regions.iter().map(|r| r.weight).sum();
    assert!((total - weight).abs() < 1e-6);
    let served_lost = under_a
        .iter()
        .any(|(k, x)| x.served() && !under_b[k].served());
    assert_eq!(
        found.new_loss, served_lost,
        "{a_path} vs {b_path}: no-new-loss"
    );
    for absent in &found.absent {
        assert_ne!(absent.a, absent.b);
        assert!(absent.example.iter().any(|(k, _)| k == "product"));
    }
    differing
}

const FRIDAY: [&str; 6] = [
    "complies-exactly",
    "reading-772",
    "geofence",
    "offline-for-everyone",
    "revoked",
    "before-the-letter",
];

#[test]
fn regions_match_exactly_the_differing_pairs_of_the_friday_letter_scenarios() {
    let path = |name: &str| format!("policies/friday-letter/{name}.scenario.toml");
    let mut differing = 0;
    for a in FRIDAY {
        for b in ["complies-exactly", "geofence", "reading-772"] {
            differing += check_regions(&path(a), &path(b));
        }
    }
    assert!(differing > 0, "some pairs differ");
}

#[test]
fn regions_match_exactly_the_differing_pairs_of_the_alternatives() {
    let path = |name: &str| format!("policies/alternatives/{name}.scenario.toml");
    let names = ["deemed-export", "defender-carve-out", "capability-targeted"];
    for a in names {
        for b in names {
            check_regions(&path(a), &path(b));
        }
    }
    check_regions(
        "policies/campus/campus.scenario.toml",
        "policies/campus/after-expiry.scenario.toml",
    );
    check_regions(
        "policies/campus/with-baseline.scenario.toml",
        "policies/campus/campus.scenario.toml",
    );
}

#[test]
fn the_records_of_the_regions_are_those_with_a_pair_whose_outcome_differs() {
    let (a_path, b_path) = (
        "policies/friday-letter/complies-exactly.scenario.toml",
        "policies/friday-letter/offline-for-everyone.scenario.toml",
    );
    let found = run_diff(a_path, b_path);
    let a = prepare(load(a_path));
    let b = prepare(load(b_path));
    let (under_a, under_b) = (outcomes(&a), outcomes(&b));
    let mut expected: Vec<usize> = under_a
        .iter()
        .filter(|(pair, x)| under_b[*pair] != **x)
        .map(|((record, _), _)| *record)
        .collect();
    expected.sort_unstable();
    expected.dedup();
    let mut union: Vec<usize> = found
        .regions
        .iter()
        .flat_map(|r| region_records(&a.scenario, &r.when).expect("a region compiles"))
        .collect();
    union.sort_unstable();
    union.dedup();
    assert!(!expected.is_empty());
    assert_eq!(union, expected);
    assert_eq!(region_records(&a.scenario, "nationality =="), None);
}

#[test]
fn identical_scenarios_have_no_difference() {
    let path = "policies/friday-letter/geofence.scenario.toml";
    assert_eq!(run_diff(path, path), Diff::default());
}

/// An absent combination's two outcomes and its example.
type Shown<'a> = (Outcome, Outcome, Vec<(&'a str, &'a str)>);

#[test]
fn a_difference_no_record_has_is_listed_with_confirmed_examples() {
    let dir = "tests/cases/diff-absent-only";
    assert_eq!(
        check_regions(
            &format!("{dir}/a.scenario.toml"),
            &format!("{dir}/b.scenario.toml")
        ),
        0
    );
    let found = run_diff(
        &format!("{dir}/a.scenario.toml"),
        &format!("{dir}/b.scenario.toml"),
    );
    let shown: Vec<Shown<'_>> = found
        .absent
        .iter()
        .map(|x| {
            (
                x.a,
                x.b,
                x.example
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            )
        })
        .collect();
    let example = |nationality, residence, status| {
        vec![
            ("nationality", nationality),
            ("residence", residence),
            ("status", status),
            ("product", "fable-5"),
        ]
    };
    assert_eq!(
        shown,
        [
            (
                Outcome::Retains,
                Outcome::Denied,
                example("FR", "US", "foreign_national")
            ),
            (
                Outcome::Retains,
                Outcome::Denied,
                example("FR", "US", "entity")
            ),
            (
                Outcome::Retains,
                Outcome::Denied,
                example("US", "US", "foreign_national")
            ),
        ]
    );
    assert!(found.regions.is_empty() && !found.new_loss);
}

#[test]
fn an_absent_example_alone_is_decided_as_the_diff_says() {
    let dir = "tests/cases/diff-absent-only";
    let (a_path, b_path) = (
        format!("{dir}/a.scenario.toml"),
        format!("{dir}/b.scenario.toml"),
    );
    let found = run_diff(&a_path, &b_path);
    assert!(!found.absent.is_empty());
    for x in &found.absent {
        for (path, expected) in [(&a_path, x.a), (&b_path, x.b)] {
            let mut scenario = load(path);
            scenario.population = Arc::new(example_population(&scenario, &x.example));
            let prepared = prepare(scenario);
            let decided: Vec<Outcome> = outcomes(&prepared).into_values().collect();
            assert_eq!(decided, [expected], "{path}: {:?}", x.example);
        }
    }
}
