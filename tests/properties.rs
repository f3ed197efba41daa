//! Property tests for the engine's invariants: the printer round-trips, nothing panics on
//! arbitrary input, and every pair's weight lands in exactly one outcome.
#![cfg(not(target_arch = "wasm32"))]

use cutoff_engine::aggregate::{simulate, simulate_record_by_record};
use cutoff_engine::analysis::generate;
use cutoff_engine::compile::classes::ClassMap;
use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::model::condition::{self, CompareOp, Cond, CondKind, Name, SetExpr, Text};
use cutoff_engine::prepare;
use cutoff_engine::source::Span;
use proptest::prelude::*;

fn name() -> impl Strategy<Value = Name> {
    prop::sample::select(vec![
        "segment",
        "nationality",
        "residence",
        "status",
        "sector",
        "product",
        "us_person",
        "foreign_person",
        "lab",
    ])
    .prop_map(|n| Name {
        name: n.to_owned(),
        span: Span::default(),
    })
}

fn text() -> impl Strategy<Value = Text> {
    "[ -~]{0,8}".prop_map(|value| Text {
        value,
        span: Span::default(),
    })
}

fn leaf() -> impl Strategy<Value = Cond> {
    let kind = prop_oneof![
        any::<bool>().prop_map(CondKind::Bool),
        name().prop_map(CondKind::Attr),
        (name(), any::<bool>(), text()).prop_map(|(attr, eq, value)| CondKind::Compare {
            attr,
            op: if eq { CompareOp::Eq } else { CompareOp::Ne },
            value
        }),
        (name(), any::<bool>(), prop::collection::vec(text(), 0..4)).prop_map(
            |(attr, negated, items)| CondKind::In {
                attr,
                negated,
                set: SetExpr::List {
                    items,
                    span: Span::default()
                }
            }
        ),
        (name(), any::<bool>(), text()).prop_map(|(attr, negated, name)| CondKind::In {
            attr,
            negated,
            set: SetExpr::Group {
                name,
                span: Span::default()
            }
        }),
    ];
    kind.prop_map(|kind| Cond {
        kind,
        span: Span::default(),
    })
}

fn cond() -> impl Strategy<Value = Cond> {
    leaf().prop_recursive(6, 48, 2, |inner| {
        let boxed = |c: Cond| Box::new(c);
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(move |(a, b)| Cond {
                kind: CondKind::And(boxed(a), boxed(b)),
                span: Span::default()
            }),
            (inner.clone(), inner.clone()).prop_map(move |(a, b)| Cond {
                kind: CondKind::Or(boxed(a), boxed(b)),
                span: Span::default()
            }),
            inner.prop_map(move |a| Cond {
                kind: CondKind::Not(boxed(a)),
                span: Span::default()
            }),
        ]
    })
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_the_same_condition(c in cond()) {
        let printed = condition::print(&c);
        let parsed = condition::parse(&printed).map(|p| p.without_spans());
        prop_assert_eq!(parsed, Ok(c), "printed as {}", printed);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,80}") {
        let _ = condition::parse(&text);
    }

    #[test]
    fn loading_arbitrary_toml_never_panics(text in "[\\[\\]a-z_=\"' \\n0-9.:-]{0,200}") {
        let fs = MemoryFileSystem::default();
        let _ = prepare(load_scenario("fuzz.toml", &text, &fs));
    }

    #[test]
    fn loading_arbitrary_population_csv_never_panics(csv in "[a-zA-Z0-9,;\"\n .-]{0,300}") {
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", format!("id,segment,nationality,residence,status,products,weight\n{csv}"));
        let scenario = "as_of = 2026-11-21\npopulation = \"people.csv\"\n[[products]]\nid = \"a\"\n";
        let prepared = prepare(load_scenario("p.toml", scenario, &fs));
        for diagnostic in &prepared.diagnostics {
            prop_assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
        }
    }

    #[test]
    fn every_pair_weight_lands_in_one_outcome(records in 1usize..200, seed in any::<u64>(), rule in 0usize..6) {
        let conditions = [
            "not us_person",
            r#"residence in group("D:5") or nationality in group("tier3")"#,
            r#"segment == "researcher" and residence in group("tier1")"#,
            r#"sector == "security""#,
            "true",
            r#"status in ["protected", "foreign_national"] and not (residence == "US")"#,
        ];
        let condition = conditions.get(rule).copied().unwrap_or("true");
        let scenario = format!(
            "title = \"p\"\nas_of = 2026-11-21\npopulation = \"people.csv\"\n\
             [[products]]\nid = \"fable-5\"\n[[products]]\nid = \"mythos-5\"\n\
             [[directive]]\nid = \"d\"\nissued = 2026-01-01\nproducts = [\"*\"]\n\
             [[directive.rules]]\neffect = \"allow\"\nwhen = '{condition}'\n\
             [[directive.rules]]\neffect = \"license\"\nwhen = 'not us_person'\n\
             [response]\nfollows_law = {}\n[[response.rules]]\neffect = \"deny\"\nwhen = 'sector == \"finance\"'\n",
            seed % 2 == 0
        );
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", generate::generate_population(records, seed));
        let prepared = prepare(load_scenario("p.toml", &scenario, &fs));
        prop_assert!(!prepared.has_errors(), "{:?}", prepared.diagnostics);
        let Some(compiled) = &prepared.compiled else { return Err(TestCaseError::fail("not compiled")) };
        let scenario = &prepared.scenario;
        let Some(as_of) = scenario.as_of else { return Err(TestCaseError::fail("no date")) };
        let totals = simulate(scenario, compiled, as_of, |_| {});
        let population = &scenario.population;
        for (segment, row) in totals.by_segment.iter().enumerate() {
            let mut pair_weight = 0.0;
            for record in 0..population.len() {
                if population.segment()[record] as usize == segment {
                    pair_weight += population.weight()[record] * f64::from(population.products()[record].count_ones());
                }
            }
            let sum: f64 = row.iter().sum();
            prop_assert!((sum - pair_weight).abs() < 1e-6, "segment {segment}: {sum} vs {pair_weight}");
            let people = totals.people[segment];
            prop_assert!(people.lose_any + people.gain_any <= people.total + 1e-9);
            prop_assert!(people.without_before <= people.total + 1e-9);
        }
    }
}

/// Conditions that compile against the generated population with a `lab` column.
fn valid_cond() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "us_person",
        "foreign_person",
        r#"status == "permanent_resident""#,
        r#"status == "entity""#,
        r#"residence in group("united-states")"#,
        r#"nationality not in group("united-states")"#,
        r#"status in ["protected", "foreign_national"]"#,
        r#"nationality in group("D:5")"#,
        r#"nationality == "US""#,
        r#"residence in group("tier1")"#,
        r#"residence not in ["US", "CA", "GB"]"#,
        r#"segment == "researcher""#,
        r#"segment != "customer""#,
        r#"sector == "security""#,
        r#"sector in ["finance", "government"]"#,
        r#"product == "mythos-5""#,
        r#"lab == "b""#,
        r#"lab in ["a", "c"]"#,
        "true",
        "false",
    ])
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

fn effect() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["allow", "deny", "license"])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_decision_table_agrees_with_record_by_record_evaluation(
        records in 1usize..400,
        seed in any::<u64>(),
        rules in prop::collection::vec((effect(), valid_cond()), 1..4),
        second in (effect(), valid_cond()),
        response in valid_cond(),
        follows_law in any::<bool>(),
        expired in any::<bool>(),
        baseline in prop::option::of((effect(), valid_cond(), valid_cond(), any::<bool>(), any::<bool>())),
    ) {
        use std::fmt::Write;
        let mut scenario = String::from(
            "title = \"p\"\nas_of = 2026-11-21\npopulation = \"people.csv\"\n\
             [[products]]\nid = \"fable-5\"\n[[products]]\nid = \"mythos-5\"\n\
             [[directive]]\nid = \"d\"\nissued = 2026-01-01\nproducts = [\"*\"]\n",
        );
        for (effect, when) in &rules {
            let _ = write!(scenario, "[[directive.rules]]\neffect = \"{effect}\"\nwhen = '{when}'\n");
        }
        let expires = if expired { "expires = 2026-02-01\n" } else { "" };
        let _ = write!(
            scenario,
            "[[directive]]\nid = \"e\"\nissued = 2026-01-01\n{expires}products = [\"mythos-5\"]\n\
             [[directive.rules]]\neffect = \"{}\"\nwhen = '{}'\n\
             [response]\nfollows_law = {follows_law}\n[[response.rules]]\neffect = \"deny\"\nwhen = '{response}'\n",
            second.0, second.1
        );
        // A baseline: its own directive (which some rows hold a license for), response
        // and day, over the same population.
        if let Some((effect, when, response, follows, earlier)) = &baseline {
            let as_of = if *earlier { "as_of = 2026-01-15\n" } else { "" };
            let _ = write!(
                scenario,
                "[baseline]\n{as_of}[[baseline.directive]]\nid = \"b\"\nissued = 2026-01-10\nproducts = [\"fable-5\"]\n\
                 [[baseline.directive.rules]]\neffect = \"{effect}\"\nwhen = '{when}'\n\
                 [baseline.response]\nfollows_law = {follows}\n[[baseline.response.rules]]\neffect = \"deny\"\nwhen = '{response}'\n"
            );
        }
        // The generated population, with a `lab` column and licenses for `d` (and the
        // baseline's `b`, when there is one) on some rows.
        let mut csv = String::new();
        for (index, line) in generate::generate_population(records, seed).lines().enumerate() {
            if index == 0 {
                let _ = writeln!(csv, "{line},lab,licenses");
            } else {
                let lab = ["a", "b", "c"][index % 3];
                let licenses = match (index % 7, baseline.is_some()) {
                    (0, _) => "d",
                    (3, true) => "b",
                    _ => "",
                };
                let _ = writeln!(csv, "{line},{lab},{licenses}");
            }
        }
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", csv);
        let prepared = prepare(load_scenario("p.toml", &scenario, &fs));
        prop_assert!(!prepared.has_errors(), "{:?}", prepared.diagnostics);
        let Some(compiled) = &prepared.compiled else { return Err(TestCaseError::fail("not compiled")) };
        prop_assert!(compiled.classes.is_some(), "no decision table");
        let scenario = &prepared.scenario;
        let Some(as_of) = scenario.as_of else { return Err(TestCaseError::fail("no date")) };
        let mut by_table = Vec::new();
        let table_totals = simulate(scenario, compiled, as_of, |d| by_table.push(*d));
        let mut by_record = Vec::new();
        let record_totals = simulate_record_by_record(scenario, compiled, as_of, |d| by_record.push(*d));
        prop_assert_eq!(by_table, by_record);
        // Weights are whole numbers, so every sum is exact whatever the order of addition.
        prop_assert_eq!(table_totals, record_totals);
    }
}

/// Rules that split the population into more cells than a decision table may have are
/// simulated record by record, with the same totals.
#[test]
fn rules_too_fine_for_a_table_are_simulated_record_by_record() {
    use std::fmt::Write;
    let codes: Vec<&str> = cutoff_engine::model::reference::reference()
        .countries
        .iter()
        .enumerate()
        .filter_map(|(i, _)| u16::try_from(i).ok())
        .map(|id| cutoff_engine::model::reference::reference().code(id))
        .take(200)
        .collect();
    let mut scenario = String::from(
        "title = \"fine\"\nas_of = 2026-11-21\npopulation = \"people.csv\"\n\
         [[products]]\nid = \"fable-5\"\n[[products]]\nid = \"mythos-5\"\n\
         [[directive]]\nid = \"d\"\nissued = 2026-01-01\nproducts = [\"*\"]\n",
    );
    let mut conditions: Vec<String> = Vec::new();
    for code in &codes {
        conditions.push(format!("nationality == \"{code}\""));
        conditions.push(format!("residence == \"{code}\""));
    }
    for status in ["citizen", "permanent_resident", "protected"] {
        conditions.push(format!("status == \"{status}\""));
    }
    for sector in ["software", "security", "finance", "education", "government"] {
        conditions.push(format!("sector == \"{sector}\""));
    }
    for segment in ["customer", "employee"] {
        conditions.push(format!("segment == \"{segment}\""));
    }
    for (index, condition) in conditions.iter().enumerate() {
        let effect = ["allow", "deny", "license"][index % 3];
        let _ = write!(
            scenario,
            "[[directive.rules]]\neffect = \"{effect}\"\nwhen = '{condition}'\n"
        );
    }
    let mut fs = MemoryFileSystem::default();
    fs.insert("people.csv", generate::generate_population(3000, 5));
    let prepared = prepare(load_scenario("fine.toml", &scenario, &fs));
    let errors: Vec<_> = prepared
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let compiled = prepared.compiled.as_ref().expect("compiled");
    assert!(
        compiled.classes.is_none(),
        "the rules should be too fine for a table"
    );
    let as_of = prepared.scenario.as_of.expect("as_of");
    let mut by_fallback = Vec::new();
    let totals = simulate(&prepared.scenario, compiled, as_of, |d| {
        by_fallback.push(*d)
    });
    assert!(totals.pairs > 3000);
    // The same rules through a decision table built without the size limit: the fallback
    // must give every decision and total the table gives.
    let mut unbounded = compiled.clone();
    unbounded.classes = ClassMap::build_within(
        compiled,
        &prepared.scenario.population,
        prepared.scenario.products.len(),
        usize::MAX,
    );
    assert!(unbounded.classes.is_some(), "an unbounded table builds");
    let mut by_table = Vec::new();
    let table_totals = simulate(&prepared.scenario, &unbounded, as_of, |d| by_table.push(*d));
    assert_eq!(by_fallback, by_table);
    assert_eq!(totals, table_totals);
}

/// A step as the editor makes it: any title and text (quotes, newlines, braces), a chart,
/// and optionally a day, a segment and an outcome to highlight.
fn story_step() -> impl Strategy<Value = cutoff_engine::load::story::Step> {
    (
        "[ -~]{0,12}",
        "[ -~\n]{0,40}",
        prop::sample::select(cutoff_engine::load::story::CHARTS.to_vec()),
        prop::option::of((2020u16..2030, 1u8..13, 1u8..29)),
        prop::option::of("[a-z_]{1,10}"),
        prop::option::of(prop::sample::select(
            cutoff_engine::model::outcome::Outcome::ALL
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>(),
        )),
    )
        .prop_map(|(title, text, chart, day, segment, outcome)| {
            cutoff_engine::load::story::Step {
                title,
                scenario: "s".into(),
                as_of: day.and_then(|(y, m, d)| cutoff_engine::model::date::Date::new(y, m, d)),
                chart: chart.to_owned(),
                segment,
                outcome: outcome.map(str::to_owned),
                text,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What the story editor writes reads back as the same story, highlights included.
    #[test]
    fn a_written_story_reads_back(steps in prop::collection::vec(story_step(), 1..5)) {
        use cutoff_engine::edit::story::write_story;
        use cutoff_engine::load::story::{Story, StoryScenario, parse_story};
        let story = Story {
            title: "A story".into(),
            description: String::new(),
            scenarios: vec![StoryScenario {
                id: "s".into(),
                path: Some("../a.scenario.toml".into()),
                text: None,
            }],
            steps,
            published: None,
        };
        let text = write_story(&story);
        prop_assert_eq!(parse_story(&text), Ok(story), "{}", text);
    }
}
