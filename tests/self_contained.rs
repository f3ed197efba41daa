//! Every shipped scenario, written out as one self-contained document, opens with no
//! other file and gives exactly the same totals.
#![cfg(not(target_arch = "wasm32"))]

use cutoff_engine::aggregate::simulate;
use cutoff_engine::edit::self_contained;
use cutoff_engine::load::spec::{Adjustments, SegmentAdjustment};
use cutoff_engine::load::{MemoryFileSystem, NativeFileSystem, load_scenario};
use cutoff_engine::prepare;
use cutoff_engine::render::totals::totals_json;

mod common;

fn totals(
    path: &str,
    text: &str,
    fs: &dyn cutoff_engine::load::FileSystem,
    adjustments: &Adjustments,
) -> serde_json::Value {
    let prepared = prepare(cutoff_engine::load::load_scenario_adjusted(
        path,
        text,
        fs,
        adjustments,
    ));
    assert!(!prepared.has_errors(), "{path}: {:?}", prepared.diagnostics);
    let compiled = prepared.compiled.as_ref().expect("compiled");
    let as_of = prepared.scenario.as_of.expect("as_of");
    totals_json(
        &prepared.scenario,
        &simulate(&prepared.scenario, compiled, as_of, |_| {}),
    )
}

#[test]
fn every_shipped_scenario_resolves_to_the_same_totals() {
    let paths = common::shipped_scenarios();
    assert!(paths.len() >= 10, "{paths:?}");
    let none = Adjustments::default();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        let resolved = self_contained(&path, &text, &NativeFileSystem, &none).expect("resolves");
        assert!(!resolved.contains("directives = ["), "{path}");
        let alone = MemoryFileSystem::default();
        assert_eq!(
            totals("alone.toml", &resolved, &alone, &none),
            totals(&path, &text, &NativeFileSystem, &none),
            "{path}"
        );
        // Loading the resolved text alone really needs no other file.
        assert!(!prepare(load_scenario("alone.toml", &resolved, &alone)).has_errors());
    }
}

#[test]
fn adjustments_are_written_into_the_resolved_spec() {
    let path = "policies/friday-letter/complies-exactly.scenario.toml";
    let text = std::fs::read_to_string(path).expect("readable");
    let adjustments = Adjustments {
        segments: vec![SegmentAdjustment {
            segment: "employee".into(),
            foreign_share: Some(0.0),
            people: Some(1000.0),
            ..SegmentAdjustment::default()
        }],
    };
    let resolved = self_contained(path, &text, &NativeFileSystem, &adjustments).expect("resolves");
    let adjusted = totals(path, &text, &NativeFileSystem, &adjustments);
    assert_eq!(
        totals(
            "alone.toml",
            &resolved,
            &MemoryFileSystem::default(),
            &Adjustments::default()
        ),
        adjusted
    );
    assert_eq!(adjusted["people"]["employee"]["total"], 1000.0);
}

#[test]
fn a_baseline_file_is_written_in_as_an_inline_table() {
    let path = "policies/campus/after-expiry.scenario.toml";
    let text = std::fs::read_to_string(path).expect("shipped scenario");
    let written = self_contained(path, &text, &NativeFileSystem, &Adjustments::default())
        .expect("self-contained");
    assert!(!written.contains("baseline = \""), "{written}");
    assert!(written.contains("[baseline]"), "{written}");
    assert!(written.contains("[[baseline.directive]]"), "{written}");
    assert!(written.contains("[[baseline.response.rules]]"), "{written}");
    // The baseline's own population and products are not carried over.
    let baseline = written.split("[baseline]").nth(1).unwrap_or_default();
    assert!(!baseline.contains("population ="), "{written}");
    assert_eq!(
        totals(path, &text, &NativeFileSystem, &Adjustments::default()),
        totals(
            "export.scenario.toml",
            &written,
            &MemoryFileSystem::default(),
            &Adjustments::default()
        ),
    );
}
