//! Loads scenarios and directives from TOML (DESIGN §2), keeping the span of every value
//! and reporting every problem it finds rather than stopping at the first.

pub mod parameters;
pub mod population;
pub mod spec;
pub mod story;

mod directive;
mod error;
mod fs;
mod scenario;
mod table;

mod policy;
mod sources;

pub use directive::load_directive;
pub use error::LoadError;
pub use fs::{
    FileSystem, MAX_FILE_BYTES, MemoryFileSystem, NativeFileSystem, normalize_path, path_from,
    relative_to, too_large,
};
pub use scenario::{
    PopulationCache, Scenario, check_population_spec, load_scenario, load_scenario_adjusted,
    load_scenario_cached, load_scenario_file, looks_like_scenario, read_population_spec,
};
pub(crate) use sources::read_source;
pub(crate) use table::{Cx, TableReader};

// The readers of each part share their building blocks within the folder.
use directive::{DIRECTIVE_KEYS, EFFECTS, array_tables, read_directive, read_rules};
use fs::{decode_utf8, read_text_beside, read_utf8};
use scenario::SCENARIO_KEYS;
use table::{Issue, check_unique, located, parse_toml};

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{
        MemoryFileSystem, PopulationCache, load_scenario_cached, normalize_path, path_from,
        relative_to,
    };
    use crate::aggregate::simulate;
    use crate::load::spec::Adjustments;
    use crate::model::reading::Reading;
    use crate::prepare;
    use crate::render::totals::totals_json;

    const SCENARIO: &str = "title = \"t\"\nas_of = 2026-11-21\npopulation = \"people.csv\"\n\
        [[products]]\nid = \"a\"\n[[directive]]\nid = \"d\"\nissued = 2026-01-01\nproducts = [\"*\"]\n\
        [[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n";

    fn files(csv: &str) -> MemoryFileSystem {
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", csv.to_owned());
        fs
    }

    #[test]
    fn a_path_from_one_file_to_another_resolves_back() {
        for (from, to, expected) in [
            (
                "campus/a.scenario.toml",
                "campus/b.scenario.toml",
                "b.scenario.toml",
            ),
            ("friday-letter/x.toml", "campus/b.toml", "../campus/b.toml"),
            ("x.toml", "campus/b.toml", "campus/b.toml"),
            ("a/b/x.toml", "a/y.toml", "../y.toml"),
        ] {
            assert_eq!(path_from(from, to), expected);
            assert_eq!(normalize_path(&relative_to(from, &path_from(from, to))), to);
        }
    }

    #[test]
    fn an_edit_that_leaves_the_population_alone_reuses_it() {
        let fs = files(
            "id,segment,nationality,residence,status,products\np1,customer,FR,FR,foreign_national,a\np2,customer,US,US,citizen,a\n",
        );
        let mut cache = PopulationCache::default();
        let none = Adjustments::default();
        let first = load_scenario_cached("s.toml", SCENARIO, &fs, &none, &mut cache);
        let edited = SCENARIO.replace("effect = \"deny\"", "effect = \"license\"");
        let second = load_scenario_cached("s.toml", &edited, &fs, &none, &mut cache);
        assert!(Arc::ptr_eq(&first.population, &second.population));
        // The reused population decides exactly as a fresh read does.
        let fresh = super::load_scenario("s.toml", &edited, &fs);
        let totals = |scenario| {
            let prepared = prepare(scenario);
            let as_of = prepared.scenario.as_of?;
            let compiled = prepared.compiled.as_ref()?;
            let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
            Some(totals_json(&prepared.scenario, &totals))
        };
        assert!(second.diagnostics.is_empty());
        let (reused, fresh) = (totals(second), totals(fresh));
        assert!(reused.is_some());
        assert_eq!(reused, fresh);
        assert_ne!(totals(first), reused);
    }

    #[test]
    fn a_spec_is_expanded_again_under_the_other_reading() {
        let fs = crate::presets::preset_files();
        let path = "friday-letter/complies-exactly.scenario.toml";
        let text = crate::presets::scenario_text(path).expect("a shipped scenario");
        let old = format!("contract = 1\n{text}");
        let none = Adjustments::default();
        let current = super::load_scenario(path, text, &fs);
        let fresh = super::load_scenario(path, &old, &fs);
        // The two readings expand the spec differently, so a reused one would be wrong.
        let columns = |s: &super::Scenario| {
            let p = &s.population;
            (
                p.len(),
                p.status().to_vec(),
                p.residence().to_vec(),
                p.weight().to_vec(),
            )
        };
        assert_ne!(columns(&current), columns(&fresh));
        let mut cache = PopulationCache::default();
        let _ = load_scenario_cached(path, text, &fs, &none, &mut cache);
        let cached = load_scenario_cached(path, &old, &fs, &none, &mut cache);
        assert_eq!(columns(&cached), columns(&fresh));
    }

    #[test]
    fn a_population_file_in_memory_is_shared_not_copied() {
        use super::FileSystem;
        let fs = files(
            "id,segment,nationality,residence,status,products\np1,customer,FR,FR,foreign_national,a\n",
        );
        let held = fs.read_text("people.csv").ok().flatten();
        let scenario = super::load_scenario("s.toml", SCENARIO, &fs);
        let file = scenario.population.file;
        let quoted = scenario.sources.file(file).map(|f| f.text());
        // The sources quote the very text the file system holds: one 58 MB file, not two.
        assert!(
            matches!((held, quoted), (Some(held), Some(quoted)) if std::ptr::eq(held.as_str(), quoted))
        );
        assert_eq!(scenario.population.len(), 1);
    }

    #[test]
    fn a_changed_or_broken_population_is_read_again() {
        let mut cache = PopulationCache::default();
        let none = Adjustments::default();
        let good = files(
            "id,segment,nationality,residence,status,products\np1,customer,FR,FR,foreign_national,a\n",
        );
        let first = load_scenario_cached("s.toml", SCENARIO, &good, &none, &mut cache);
        let changed = files(
            "id,segment,nationality,residence,status,products\np1,customer,DE,DE,foreign_national,a\n",
        );
        let second = load_scenario_cached("s.toml", SCENARIO, &changed, &none, &mut cache);
        assert!(!Arc::ptr_eq(&first.population, &second.population));
        let broken = files(
            "id,segment,nationality,residence,status,products\np1,customer,XX,DE,foreign_national,a\n",
        );
        let third = load_scenario_cached("s.toml", SCENARIO, &broken, &none, &mut cache);
        let again = load_scenario_cached("s.toml", SCENARIO, &broken, &none, &mut cache);
        // A population with problems is never kept, so its diagnostics come back each time.
        assert!(!third.diagnostics.is_empty());
        assert_eq!(third.diagnostics, again.diagnostics);
        assert!(!Arc::ptr_eq(&third.population, &again.population));
    }

    /// Every column of a population, and the ids of the products and licenses it uses.
    fn columns(p: &crate::model::population::Population) -> String {
        let extras: Vec<(&str, Vec<&str>)> = p
            .extras()
            .iter()
            .map(|e| {
                let values = e.values.iter().map(|v| e.interner.resolve(*v)).collect();
                (e.name.as_str(), values)
            })
            .collect();
        let ids = |used: &[crate::model::population::UsedId]| -> Vec<String> {
            used.iter().map(|u| u.id.clone()).collect()
        };
        format!(
            "{:?}",
            (
                (
                    p.ids().iter().collect::<Vec<_>>(),
                    p.labels().iter().collect::<Vec<_>>()
                ),
                (p.lines(), p.weight(), p.products(), p.licenses()),
                (p.nationality(), p.residence(), p.status()),
                p.segment()
                    .iter()
                    .map(|s| p.segments.resolve(*s))
                    .collect::<Vec<_>>(),
                p.sector()
                    .iter()
                    .map(|s| p.sectors.resolve(*s))
                    .collect::<Vec<_>>(),
                (ids(&p.product_ids), ids(&p.license_ids), extras),
            )
        )
    }

    /// A spec's records built directly, if they are, against the records its expanded CSV
    /// reads back to: the same columns, and the CSV read without a word.
    fn built_against_read(spec: &super::spec::PopulationSpec, reading: Reading) -> bool {
        let mut sources = crate::source::Sources::default();
        let file = sources.add("p.population.toml", String::new());
        let Some(built) = super::spec::expanded_population(spec, reading, file) else {
            return false;
        };
        let csv = super::spec::expand(spec, reading);
        let csv_file = sources.add("p.population.toml (expanded)", csv.clone());
        let map = crate::source::toml_text::TextMap::identity(0, csv.len());
        let (read, diagnostics) =
            super::population::load_population(&sources, csv_file, &csv, &map);
        assert_eq!(diagnostics, vec![], "{csv}");
        assert_eq!(columns(&built), columns(&read), "{csv}");
        true
    }

    #[test]
    fn a_shipped_specs_records_are_built_as_its_csv_reads_back() {
        let fs = crate::presets::preset_files();
        let mut built = 0;
        for preset in crate::presets::presets() {
            let scenario = super::load_scenario(preset.path, preset.text, &fs);
            let Some(spec) = &scenario.population_spec else {
                continue;
            };
            for reading in [Reading::Part772, Reading::Contract1] {
                assert!(built_against_read(spec, reading), "{}", preset.path);
                built += 1;
            }
        }
        assert!(built >= 10, "only {built} shipped specs");
    }

    /// A scenario over `p.population.toml` with `spec` as its text, using products a
    /// and b.
    fn spec_files(spec: &str) -> MemoryFileSystem {
        let mut fs = MemoryFileSystem::default();
        fs.insert("p.population.toml", spec.to_owned());
        fs
    }

    const SPEC_SCENARIO: &str = "title = \"t\"\nas_of = 2026-11-21\npopulation = \"p.population.toml\"\n\
        [[products]]\nid = \"a\"\n[[products]]\nid = \"b\"\n[[directive]]\nid = \"d\"\nissued = 2026-01-01\n\
        products = [\"*\"]\n[[directive.rules]]\neffect = \"deny\"\nwhen = \"not us_person\"\n";

    #[test]
    fn a_spec_is_built_directly_only_where_its_csv_would_read_back_without_a_word() {
        let segment = |name: &str, rest: &str| {
            format!(
                "[[segments]]\nsegment = \"{name}\"\npeople = 1000\nresidence = {{ US = 2, DE = 1, FR = 0 }}\n\
                 status_in_us = {{ citizen = 1, foreign_national = 1 }}\nnationality_in_us = {{ IN = 1 }}\n{rest}"
            )
        };
        let plain = "sector = { software = 1 }\nproducts = { a = 1, \"a;b\" = 2 }\n";
        // (spec, whether its records are built directly)
        let cases = [
            (segment("customer", plain), true),
            (
                segment("customer", plain) + &segment("employee", plain),
                true,
            ),
            (
                segment(
                    "customer",
                    "sector = { \"software, cloud\" = 1, \" padded \" = 1, \"say \\\"hi\\\"\" = 1 }\nproducts = { \" a ; b \" = 1 }\nattributes = { use_case = { fix = 1, \"a,b\" = 3 } }\n",
                ),
                true,
            ),
            (
                segment("customer", plain)
                    + &segment(
                        "employee",
                        "sector = { software = 1 }\nproducts = { b = 1 }\nattributes = { tier = { gold = 1 } }\n",
                    ),
                true,
            ),
            (
                segment(
                    "customer",
                    "sector = { software = 1 }\nproducts = { \"a;a\" = 1 }\n",
                ),
                false,
            ),
            (
                segment("customer", plain) + &segment("customer", plain),
                false,
            ),
            (
                segment("customer", plain) + &segment(" customer", plain),
                false,
            ),
            (
                segment(
                    "customer",
                    "sector = { software = 1 }\nproducts = { a = 1 }\nattributes = { label = { x = 1 } }\n",
                ),
                false,
            ),
            (
                segment(
                    "customer",
                    "sector = { software = 1 }\nproducts = { a = 1 }\nattributes = { weight = { x = 1 } }\n",
                ),
                false,
            ),
            (
                segment(
                    "customer",
                    "sector = { software = 1 }\nproducts = { a = 1 }\nattributes = { \"use\\ncase\" = { x = 1 } }\n",
                ),
                false,
            ),
            (
                segment(
                    "customer",
                    "sector = { \"two\\nlines\" = 1 }\nproducts = { a = 1 }\n",
                ),
                false,
            ),
            (
                segment(
                    "customer",
                    "sector = { software = 1 }\nproducts = { \";\" = 1 }\n",
                ),
                false,
            ),
        ];
        let none = Adjustments::default();
        for (spec, direct) in cases {
            let spec = format!("title = \"s\"\n{spec}");
            let fs = spec_files(&spec);
            let scenario = super::load_scenario("s.toml", SPEC_SCENARIO, &fs);
            let read = scenario.population_spec.as_ref().expect("a spec");
            for reading in [Reading::Part772, Reading::Contract1] {
                assert_eq!(built_against_read(read, reading), direct, "{spec}");
            }
            // Loading takes the same way: a population read from its CSV reports against
            // the expanded file, one built directly against the spec.
            let mut cache = PopulationCache::default();
            let loaded = load_scenario_cached("s.toml", SPEC_SCENARIO, &fs, &none, &mut cache);
            let name = loaded
                .sources
                .file(loaded.population.file)
                .map(|f| f.name().to_owned());
            let expected = if direct {
                "p.population.toml"
            } else {
                "p.population.toml (expanded)"
            };
            assert_eq!(name.as_deref(), Some(expected), "{spec}");
        }
    }

    #[test]
    fn a_built_population_is_read_from_its_csv_once_a_product_it_uses_is_undefined() {
        let spec = "title = \"s\"\n[[segments]]\nsegment = \"customer\"\npeople = 10\nresidence = { DE = 1 }\n\
            sector = { software = 1 }\nproducts = { a = 1, b = 1 }\n";
        let fs = spec_files(spec);
        let none = Adjustments::default();
        let mut cache = PopulationCache::default();
        let first = load_scenario_cached("s.toml", SPEC_SCENARIO, &fs, &none, &mut cache);
        assert!(first.diagnostics.is_empty());
        let without_b = SPEC_SCENARIO.replace("[[products]]\nid = \"b\"\n", "");
        let cached = load_scenario_cached("s.toml", &without_b, &fs, &none, &mut cache);
        let fresh = super::load_scenario("s.toml", &without_b, &fs);
        let prepared = (prepare(cached), prepare(fresh));
        let rendered =
            |p: &crate::Prepared| p.diagnostics.iter().map(|d| d.render()).collect::<Vec<_>>();
        let (cached, fresh) = (rendered(&prepared.0), rendered(&prepared.1));
        assert_eq!(cached, fresh);
        assert!(
            cached
                .iter()
                .any(|d| d
                    .starts_with("p.population.toml (expanded):3:53: error: unknown product `b`")),
            "{cached:?}"
        );
        // And once the product is defined again, the records are built directly, as a
        // fresh load builds them, rather than the kept CSV's read.
        let again = load_scenario_cached("s.toml", SPEC_SCENARIO, &fs, &none, &mut cache);
        let file = again
            .sources
            .file(again.population.file)
            .map(|f| f.name().to_owned());
        assert_eq!(file.as_deref(), Some("p.population.toml"));
        assert!(again.diagnostics.is_empty());
    }
}
