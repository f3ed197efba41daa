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

/// Every number of at least 100 in the shipped story's texts (years and section numbers
/// aside) is one the engine computes for one of the story's steps: a segment's or
/// product's pair weight, a segment's people, or a total over segments.
#[test]
fn every_number_in_the_story_comes_from_a_run() {
    use cutoff_engine::aggregate::simulate;
    use cutoff_engine::load::load_scenario_file;
    use cutoff_engine::load::story::parse_story;
    use cutoff_engine::prepare;
    let path = "policies/stories/friday-letter.story.toml";
    let story = parse_story(&std::fs::read_to_string(path).expect("story")).expect("parses");
    let mut known: Vec<f64> = Vec::new();
    for step in &story.steps {
        let file = format!("policies/stories/{}", step.scenario);
        let prepared = prepare(load_scenario_file(&file, &NativeFileSystem));
        let compiled = prepared.compiled.as_ref().expect("compiles");
        let as_of = step.as_of.or(prepared.scenario.as_of).expect("a day");
        let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
        let everyone = totals.people_total();
        known.extend([
            everyone.total,
            everyone.lose_any,
            everyone.gain_any,
            everyone.had_any(),
        ]);
        known.extend(
            totals
                .people
                .iter()
                .flat_map(|p| [p.total, p.lose_any, p.gain_any]),
        );
        known.extend(totals.people_by_outcome_total());
        known.extend(totals.by_segment.iter().flatten());
        known.extend(totals.by_product.iter().flatten());
    }
    let mut unknown = Vec::new();
    for step in &story.steps {
        for word in step
            .text
            .split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        {
            let word = word.trim_matches(|c| c == ',' || c == '.');
            if word.is_empty() || word.contains('.') {
                continue;
            }
            let Ok(number) = word.replace(',', "").parse::<f64>() else {
                continue;
            };
            let year = !word.contains(',') && (1990.0..=2100.0).contains(&number);
            if number >= 100.0 && !year && !known.contains(&number) {
                unknown.push(format!("{}: {word}", step.title));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "numbers no step computes:\n{}",
        unknown.join("\n")
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
    for (name, bound) in [("friday-letter", 6), ("two-readings", 11)] {
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

/// "Two readings of one sentence" types no figure: every number in its texts is bound to
/// a result (the regulation it cites aside).
#[test]
fn the_two_readings_story_types_no_figure() {
    use cutoff_engine::analysis::story::bindings;
    use cutoff_engine::load::story::parse_story;
    let text = std::fs::read_to_string("policies/stories/two-readings.story.toml").expect("story");
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
    assert_eq!(typed, Vec::<String>::new());
    assert_eq!(bindings(&story.steps[0].text).len(), 5);
}
