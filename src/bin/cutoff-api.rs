//! The JavaScript API's module: `simulate` for explainers built elsewhere and `benchmark`
//! for `bench.html`, exported from a module of their own so that the app's module, which
//! every reader downloads, does not carry them. It starts nothing.

#[cfg(target_arch = "wasm32")]
mod exports {
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use cutoff::app::api;

    /// Hands `value` to JavaScript as plain objects: maps as objects, numbers as numbers.
    fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Simulates a self-contained scenario (or one that names shipped files) on its own
    /// as-of date, or on `as_of` (`YYYY-MM-DD`). Returns `{ ok, totals, diagnostics }`.
    #[wasm_bindgen(js_name = simulate)]
    pub fn simulate(scenario_toml: &str, as_of: Option<String>) -> Result<JsValue, JsValue> {
        to_js(&api::simulate_text(scenario_toml, as_of.as_deref()))
    }

    /// Times simulate + aggregate in this browser over `records` generated people (see
    /// [`api::benchmark`]). Returns the timings and the totals.
    #[wasm_bindgen(js_name = benchmark)]
    pub fn benchmark(records: usize, repeats: usize, seed: u64) -> Result<JsValue, JsValue> {
        let result = api::benchmark(records, repeats, seed).map_err(|e| JsValue::from_str(&e))?;
        to_js(&result)
    }
}

fn main() {}
