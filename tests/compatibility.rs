//! Documents made under contract 1 open with the numbers they had then: a version-1 link
//! (no `contract` in it) of "the provider complies exactly", as the app of contract 1
//! wrote it — the scenario, its letter and its population spec resolved into one text, from
//! the files as they were then (`tests/fixtures/contract-1/`) — gives exactly the totals
//! contract 1's CLI gave for that scenario. The same text read under contract 2 gives
//! different numbers, so the test would notice a link opened with the new reading.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cutoff_engine::aggregate::simulate;
use cutoff_engine::edit::self_contained;
use cutoff_engine::edit::share;
use cutoff_engine::load::spec::Adjustments;
use cutoff_engine::load::{FileSystem, MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;
use cutoff_engine::render::totals::totals_json;

const PATH: &str = "friday-letter/complies-exactly.scenario.toml";
const FIXTURE: &str = "tests/fixtures/contract-1/complies-exactly.scenario.toml";
const RESOLVED: &str = "tests/fixtures/contract-1/complies-exactly.resolved.toml";
const OLD_TOTALS: &str = include_str!("fixtures/contract-1/complies-exactly.totals.json");

/// The totals of a self-contained scenario text, with only the keys contract 1 wrote.
fn totals(text: &str) -> serde_json::Value {
    totals_with(PATH, text, &MemoryFileSystem::default())
}

/// The totals of a scenario text at `path` among `files`, with only the keys contract 1
/// wrote.
fn totals_with(path: &str, text: &str, files: &dyn FileSystem) -> serde_json::Value {
    let prepared = prepare(load_scenario(path, text, files));
    assert!(!prepared.has_errors(), "{:?}", prepared.diagnostics);
    let compiled = prepared.compiled.as_ref().expect("compiled");
    let as_of = prepared.scenario.as_of.expect("as_of");
    let mut json = totals_json(
        &prepared.scenario,
        &simulate(&prepared.scenario, compiled, as_of, |_| {}),
    );
    strip_contract_2_keys(&mut json);
    json
}

/// Removes the keys contract 2 added to the totals JSON, all zero without a baseline.
fn strip_contract_2_keys(json: &mut serde_json::Value) {
    for table in ["by_segment", "by_product"] {
        for row in json[table].as_object_mut().expect("table").values_mut() {
            let row = row.as_object_mut().expect("row");
            assert_eq!(row.remove("gains"), Some(0.0.into()));
            assert_eq!(row.remove("unavailable"), Some(0.0.into()));
        }
    }
    for row in json["people"].as_object_mut().expect("people").values_mut() {
        assert_eq!(
            row.as_object_mut().expect("row").remove("gain_any"),
            Some(0.0.into())
        );
    }
}

/// The scenario as contract 1's app put it in a link: resolved into one text. Kept as a
/// file for the end-to-end test; `BLESS=1` rewrites it.
fn resolved() -> String {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let fs = cutoff_engine::load::NativeFileSystem;
    let resolved = self_contained(FIXTURE, &text, &fs, &Adjustments::default()).expect("resolves");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(RESOLVED, &resolved).expect("written");
    }
    assert_eq!(
        std::fs::read_to_string(RESOLVED).ok().as_deref(),
        Some(resolved.as_str())
    );
    resolved
}

#[test]
fn a_version_1_link_gives_the_numbers_it_gave_then() {
    let resolved = resolved();
    let json = serde_json::json!({ "path": PATH, "text": resolved });
    let packed = miniz_oxide::deflate::compress_to_vec(json.to_string().as_bytes(), 9);
    let link = format!("s=1.{}", URL_SAFE_NO_PAD.encode(packed));
    let opened = share::decode(&link).expect("a version-1 link opens");
    let old: serde_json::Value = serde_json::from_str(OLD_TOTALS).expect("JSON");
    assert_eq!(totals(&opened.text), old);
    // Read as 15 CFR 772.1, the foreign nationals living in the U.S. are U.S. persons.
    assert_ne!(totals(&resolved), old);
}

/// An autosave from contract 1 holds the editor's text as written, naming the files the
/// app shipped then (`letter.toml`, the population spec); it opens against those files,
/// kept under `policies/contract-1/`, with the numbers it had.
#[test]
fn a_contract_1_autosave_naming_shipped_files_gives_its_old_numbers() {
    let text = std::fs::read_to_string("tests/fixtures/contract-1/complies-exactly.autosaved.toml")
        .expect("fixture");
    // What contract 1 kept in `localStorage`: no `contract`.
    let json = serde_json::json!({ "path": PATH, "text": text });
    let saved: share::SharedScenario = serde_json::from_value(json).expect("an old autosave");
    let opened = saved.upgraded();
    assert_eq!(opened.path, format!("contract-1/{PATH}"));
    let files = cutoff_engine::presets::preset_files();
    let old: serde_json::Value = serde_json::from_str(OLD_TOTALS).expect("JSON");
    assert_eq!(totals_with(&opened.path, &opened.text, &files), old);
}
