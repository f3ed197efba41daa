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
}
