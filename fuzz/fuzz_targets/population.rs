//! Loading any population CSV never panics, and every diagnostic has a line and column.
#![no_main]

use cutoff::engine::load::{MemoryFileSystem, load_scenario};
use cutoff::engine::prepare;
use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = "as_of = 2026-11-21\npopulation = \"people.csv\"\n[[products]]\nid = \"p\"\n[[directive]]\nid = \"d\"\nproducts = [\"*\"]\n[[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n";

fuzz_target!(|data: &[u8]| {
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", String::from_utf8_lossy(data).into_owned());
    let prepared = prepare(load_scenario("s.toml", SCENARIO, &fs));
    for diagnostic in &prepared.diagnostics {
        assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
    }
});
