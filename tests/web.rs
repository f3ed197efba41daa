//! In-browser tests: the engine compiled to wasm gives the worked example's exact totals,
//! and the app renders its stable test hooks in a real Chromium page.
#![cfg(target_arch = "wasm32")]

use cutoff::app::App;
use cutoff_engine::aggregate::simulate;
use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;
use cutoff_engine::render::totals::totals_json;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CASE: &str = "tests/cases/campus";

macro_rules! case_file {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/cases/campus/",
            $name
        ))
    };
}

/// The campus worked example, loaded, checked and simulated in wasm.
fn campus() -> (cutoff_engine::Prepared, cutoff_engine::aggregate::Totals) {
    let mut fs = MemoryFileSystem::default();
    fs.insert(format!("{CASE}/people.csv"), case_file!("people.csv"));
    fs.insert(
        format!("{CASE}/export-rule.toml"),
        case_file!("export-rule.toml"),
    );
    fs.insert(
        format!("{CASE}/sanctions.toml"),
        case_file!("sanctions.toml"),
    );
    let path = format!("{CASE}/campus.scenario.toml");
    let prepared = prepare(load_scenario(
        &path,
        case_file!("campus.scenario.toml"),
        &fs,
    ));
    assert!(
        prepared.diagnostics.is_empty(),
        "{:?}",
        prepared.diagnostics
    );
    let compiled = prepared.compiled.as_ref().expect("compiles");
    let as_of = prepared.scenario.as_of.expect("has a date");
    let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
    (prepared, totals)
}

#[wasm_bindgen_test]
fn the_engine_in_wasm_reproduces_the_worked_example() {
    let (prepared, totals) = campus();
    let expected: serde_json::Value =
        serde_json::from_str(case_file!("expected-totals.json")).expect("valid JSON");
    assert_eq!(totals_json(&prepared.scenario, &totals), expected);
}

#[wasm_bindgen_test]
fn the_workers_totals_travel_as_one_block_of_bytes() {
    use cutoff::app::simulation_worker::{FullTotals, JsCodec, Report};
    use gloo::worker::Codec;
    use wasm_bindgen::JsCast;
    let (_, totals) = campus();
    let report = Report::Done {
        id: 3,
        diagnostics: Vec::new(),
        totals: Some(Box::new(FullTotals {
            totals,
            segments: vec!["student".to_owned()],
            sectors: Vec::new(),
            records: 7,
        })),
    };
    let message = JsCodec::encode(&report);
    // The totals are one `Uint8Array`, not an object of numbers.
    let get = |value: &wasm_bindgen::JsValue, key: &str| {
        js_sys::Reflect::get(value, &key.into()).expect("a field")
    };
    let totals = get(&get(&get(&message, "Done"), "totals"), "totals");
    assert!(totals.is_instance_of::<js_sys::Uint8Array>(), "{totals:?}");
    assert_eq!(JsCodec::decode::<Report>(message), report);
}

#[wasm_bindgen_test]
async fn the_app_renders_its_hooks_and_results() {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    gloo::utils::body().append_child(&root).expect("appended");
    yew::Renderer::<App>::with_root(root.clone()).render();
    TimeoutFuture::new(50).await;
    for hook in ["preset", "editor", "diagnostics", "as-of"] {
        let selector = format!("[data-testid=\"{hook}\"]");
        assert!(
            root.query_selector(&selector).expect("selector").is_some(),
            "hook {hook}"
        );
    }
    let employees = root
        .query_selector("[data-testid=\"people-employee\"]")
        .expect("selector")
        .expect("an employee row");
    assert_eq!(
        employees.get_attribute("data-value").as_deref(),
        Some("3000")
    );
    let headline = root
        .query_selector("[data-testid=\"headline\"]")
        .expect("selector")
        .expect("headline");
    assert_eq!(
        headline.text_content().as_deref(),
        Some(
            "184,076 of the 184,076 people and organisations who had access lose access to Fable 5 or Mythos 5; 40,345 of them were not barred by any directive; 23,924 never had access to what they use."
        )
    );
}
