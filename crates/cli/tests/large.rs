//! A million-row population loads, checks and simulates (the bad-input catalogue's large
//! file), and the row limit is reported with its line.
#![cfg(not(target_arch = "wasm32"))]

use cutoff_engine::aggregate::simulate;
use cutoff_engine::analysis::generate::generate_population;
use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;

const SCENARIO: &str = "as_of = 2026-11-21\npopulation = \"people.csv\"\n[[products]]\nid = \"fable-5\"\n[[products]]\nid = \"mythos-5\"\n[[directive]]\nid = \"letter\"\nproducts = [\"*\"]\n[[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n";

#[test]
fn a_million_rows_load_and_simulate() {
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", generate_population(1_000_000, 3));
    let prepared = prepare(load_scenario("s.toml", SCENARIO, &fs));
    assert!(
        prepared.diagnostics.is_empty(),
        "{:?}",
        prepared.diagnostics.first()
    );
    assert_eq!(prepared.scenario.population.len(), 1_000_000);
    let compiled = prepared.compiled.as_ref().expect("compiled");
    let totals = simulate(
        &prepared.scenario,
        compiled,
        prepared.scenario.as_of.expect("date"),
        |_| {},
    );
    assert!(totals.pairs >= 1_000_000);
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_the_limit() {
    let dir = std::env::temp_dir().join(format!("cutoff-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // A sparse file: its length is over the limit without using the disk.
    let big = std::fs::File::create(dir.join("people.csv")).expect("create");
    big.set_len(600 * 1024 * 1024).expect("set_len");
    std::fs::write(dir.join("s.toml"), SCENARIO).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cutoff"))
        .arg("check")
        .arg(dir.join("s.toml"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("error: cannot read `people.csv`: it is 600 MiB, over the limit of 512 MiB; aggregate identical people into weighted rows"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
