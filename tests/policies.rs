//! Every fact the shipped scenarios rest on says what kind of fact it is (DESIGN §2
//! `basis`): each source of each scenario, directive, baseline and population spec under
//! `policies/` is a table with a `basis`.
#![cfg(not(target_arch = "wasm32"))]

use cutoff::engine::load::{NativeFileSystem, load_scenario_file};

fn shipped_scenarios() -> Vec<String> {
    let mut paths = Vec::new();
    for dir in std::fs::read_dir("policies").expect("policies/").flatten() {
        for file in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path().to_string_lossy().into_owned();
            if path.ends_with(".scenario.toml") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

#[test]
fn no_shipped_source_lacks_a_basis() {
    let paths = shipped_scenarios();
    assert!(paths.len() >= 12, "{paths:?}");
    let mut missing = Vec::new();
    for path in &paths {
        let scenario = load_scenario_file(path, &NativeFileSystem);
        assert!(!scenario.has_errors(), "{path}: {:?}", scenario.diagnostics);
        let baseline = scenario.baseline.iter().flat_map(|b| &b.directives);
        let directives = scenario.directives.iter().chain(baseline);
        let cited = scenario
            .sources_cited
            .iter()
            .map(|s| (s.title.clone(), s.basis));
        let of_directives =
            directives.flat_map(|d| d.sources.iter().map(|s| (s.title.clone(), s.basis)));
        let of_spec = scenario
            .population_spec
            .iter()
            .flat_map(|spec| spec.sources.iter().map(|s| (s.title.clone(), s.basis)));
        let all: Vec<_> = cited.chain(of_directives).chain(of_spec).collect();
        assert!(!all.is_empty(), "{path} cites no source");
        missing.extend(
            all.into_iter()
                .filter(|(_, basis)| basis.is_none())
                .map(|(title, _)| format!("{path}: {title}")),
        );
    }
    assert!(
        missing.is_empty(),
        "sources without a basis:\n{}",
        missing.join("\n")
    );
}
