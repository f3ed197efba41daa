//! Every fact the shipped scenarios rest on says what kind of fact it is (DESIGN §2
//! `basis`): each source of each scenario, directive, baseline and population spec under
//! `policies/` is a table with a `basis`.
#![cfg(not(target_arch = "wasm32"))]

use cutoff_engine::load::{NativeFileSystem, load_scenario_file};

mod common;
use common::shipped_scenarios;

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

/// The default population has what a realistic one needs: organisations (U.S.-organised
/// offices abroad and foreign companies' U.S. offices), U.S. citizens abroad, foreign
/// nationals among U.S.-resident customers and residents of the U.S. territories.
#[test]
fn the_default_population_has_organisations_citizens_abroad_and_territories() {
    use cutoff_engine::model::population::Status;
    use cutoff_engine::model::reference::reference;
    let path = "policies/populations/frontier-provider.population.toml";
    let text = std::fs::read_to_string(path).expect("spec");
    let spec =
        cutoff_engine::load::read_population_spec(path, &text, &NativeFileSystem).expect("reads");
    let csv = cutoff_engine::load::spec::expand(&spec, Default::default());
    let mut kinds = std::collections::BTreeMap::<&str, f64>::new();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (segment, nationality, residence, status) =
            (fields[1], fields[2], fields[3], fields[4]);
        let weight: f64 = fields[7].parse().expect("weight");
        let in_us = reference().in_united_states(residence);
        let kind = match (Status::parse(status), nationality == "US", in_us) {
            (Some(Status::Entity), true, false) => "U.S.-organised office abroad",
            (Some(Status::Entity), false, true) => "foreign organisation's U.S. office",
            (Some(Status::Citizen), true, false) => "U.S. citizen abroad",
            (Some(Status::ForeignNational), _, true) if segment == "customer" => {
                "foreign-national customer in the U.S."
            }
            _ if in_us && residence != "US" => "resident of a territory",
            _ => continue,
        };
        *kinds.entry(kind).or_default() += weight;
    }
    for kind in [
        "U.S.-organised office abroad",
        "foreign organisation's U.S. office",
        "U.S. citizen abroad",
        "foreign-national customer in the U.S.",
        "resident of a territory",
    ] {
        assert!(
            kinds.get(kind).is_some_and(|w| *w > 0.0),
            "no {kind}: {kinds:?}"
        );
    }
}

/// The shipped stories are published, and every number bound in them is still the one
/// they published (a change to a scenario or the engine that moves one fails here first).
#[test]
fn the_shipped_stories_are_published_and_verified() {
    use cutoff_engine::analysis::story::{CheckState, check_story};
    use cutoff_engine::load::story::parse_story;
    for (name, bound) in [("friday-letter", 22), ("two-readings", 11)] {
        let path = format!("policies/stories/{name}.story.toml");
        let text = std::fs::read_to_string(&path).expect("story");
        let story = parse_story(&text).expect("parses");
        let check = check_story(&path, &text, &story, &NativeFileSystem);
        assert!(
            check.diagnostics.is_empty(),
            "{name}: {:?}",
            check.diagnostics
        );
        assert!(story.published.is_some(), "{name}");
        assert_eq!(
            check.state,
            CheckState::Verified,
            "{name}: {:?}",
            check.moved
        );
        assert_eq!(check.values().len(), bound, "{name}");
    }
}

/// The shipped stories type no figure: every number in their texts is bound to a result
/// (the regulation they cite aside).
#[test]
fn the_shipped_stories_type_no_figure() {
    for name in ["friday-letter", "two-readings"] {
        let typed = typed_figures(&format!("policies/stories/{name}.story.toml"));
        assert_eq!(typed, Vec::<String>::new(), "{name}");
    }
    let text = std::fs::read_to_string("policies/stories/two-readings.story.toml").expect("story");
    let story = cutoff_engine::load::story::parse_story(&text).expect("parses");
    assert_eq!(
        cutoff_engine::analysis::story::bindings(&story.steps[0].text).len(),
        5
    );
}

/// "The Friday letter", made in the story editor (`scripts/author_friday_letter.mjs`),
/// marks on its charts what each step's text is about: who never had access, the staff the
/// letter denies, the researchers the two readings part on, and the collateral.
#[test]
fn the_friday_letter_highlights_what_each_step_is_about() {
    use cutoff_engine::load::story::parse_story;
    let text = std::fs::read_to_string("policies/stories/friday-letter.story.toml").expect("story");
    let story = parse_story(&text).expect("parses");
    // Made in the story editor: the file is exactly what the editor writes.
    assert_eq!(cutoff_engine::edit::story::write_story(&story), text);
    let marked: Vec<(Option<&str>, Option<&str>)> = story
        .steps
        .iter()
        .map(|s| (s.segment.as_deref(), s.outcome.as_deref()))
        .collect();
    assert_eq!(
        marked,
        [
            (None, Some("unavailable")),
            (Some("employee"), Some("denied")),
            (Some("researcher"), None),
            (None, Some("collateral")),
            (None, Some("collateral")),
            (None, None),
        ]
    );
}

/// Every run of digits in a story's texts outside its `{KEY}`s.
fn typed_figures(path: &str) -> Vec<String> {
    use cutoff_engine::analysis::story::bindings;
    use cutoff_engine::load::story::parse_story;
    let text = std::fs::read_to_string(path).expect("story");
    let story = parse_story(&text).expect("parses");
    let mut typed = Vec::new();
    for step in &story.steps {
        let mut rest = String::new();
        let mut at = 0;
        for binding in bindings(&step.text) {
            rest.push_str(&step.text[at..binding.start]);
            at = binding.end;
        }
        rest.push_str(&step.text[at..]);
        let rest = rest.replace("15 CFR 772.1", "").replace("772.1", "");
        typed.extend(
            rest.split(|c: char| !c.is_ascii_digit())
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
        );
    }
    typed
}
