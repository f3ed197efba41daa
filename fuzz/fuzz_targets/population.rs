//! Loading any population CSV never panics, every diagnostic has a line and column, and
//! a population that loads simulates — against a baseline, under both readings of "U.S.
//! person" — without panicking, with every pair counted once.
#![no_main]

use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;
use cutoff_engine::aggregate::simulate;
use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = "as_of = 2026-11-21\npopulation = \"people.csv\"\n\
[[products]]\nid = \"p\"\n[[products]]\nid = \"q\"\n\
[[directive]]\nid = \"d\"\nproducts = [\"*\"]\n\
[[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n\
[[directive]]\nid = \"e\"\nproducts = [\"q\"]\n\
[[directive.rules]]\neffect = \"license\"\nwhen = 'foreign_person and residence in group(\"united-states\")'\n\
[baseline]\nas_of = 2026-01-01\n\
[[baseline.directive]]\nid = \"b\"\nproducts = [\"p\"]\n\
[[baseline.directive.rules]]\neffect = \"license\"\nwhen = 'status == \"entity\" or nationality in group(\"E:1\")'\n";

fuzz_target!(|data: &[u8]| {
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", String::from_utf8_lossy(data).into_owned());
    let prepared = prepare(load_scenario("s.toml", SCENARIO, &fs));
    for diagnostic in &prepared.diagnostics {
        assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
    }
    if let (Some(compiled), Some(as_of)) = (&prepared.compiled, prepared.scenario.as_of) {
        let mut pairs = 0u64;
        let totals = simulate(&prepared.scenario, compiled, as_of, |_| pairs += 1);
        assert_eq!(totals.pairs, pairs);
        for people in &totals.people {
            assert!(people.lose_any + people.gain_any <= people.total * (1.0 + 1e-9));
        }
    }
});
