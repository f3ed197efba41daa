//! Loading, checking and simulating any scenario text never panics.
#![no_main]

use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;
use cutoff_engine::aggregate::simulate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let prepared = prepare(load_scenario(
            "fuzz.toml",
            text,
            &MemoryFileSystem::default(),
        ));
        if let (Some(compiled), Some(as_of)) = (&prepared.compiled, prepared.scenario.as_of) {
            let _ = simulate(&prepared.scenario, compiled, as_of, |_| {});
        }
        for diagnostic in &prepared.diagnostics {
            let _ = diagnostic.render();
        }
    }
});
