//! The shipped scenarios of `policies/`, compiled into the app so that it works offline
//! and from any static host.

use crate::load::MemoryFileSystem;

/// One shipped scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// The scenario file's path under `policies/`.
    pub path: &'static str,
    /// The scenario's text.
    pub text: &'static str,
}

macro_rules! policy {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../policies/", $path)))
    };
}

/// Every file under `policies/` that a preset reads.
const FILES: &[(&str, &str)] = &[
    policy!("friday-letter/offline-for-everyone.scenario.toml"),
    policy!("friday-letter/complies-exactly.scenario.toml"),
    policy!("friday-letter/geofence.scenario.toml"),
    policy!("friday-letter/revoked.scenario.toml"),
    policy!("friday-letter/reading-772.scenario.toml"),
    policy!("friday-letter/before-the-letter.scenario.toml"),
    policy!("alternatives/defender-carve-out.scenario.toml"),
    policy!("alternatives/deemed-export.scenario.toml"),
    policy!("alternatives/capability-targeted.scenario.toml"),
    policy!("history/ai-diffusion-tiers.scenario.toml"),
    policy!("history/intrusion-software-2015.scenario.toml"),
    policy!("campus/campus.scenario.toml"),
    policy!("campus/with-baseline.scenario.toml"),
    policy!("campus/after-expiry.scenario.toml"),
    policy!("friday-letter/letter.toml"),
    policy!("friday-letter/letter-revoked.toml"),
    policy!("friday-letter/letter-772.toml"),
    policy!("populations/frontier-provider.population.toml"),
    policy!("populations/github-developers-2025Q3.csv"),
    policy!("campus/export-rule.toml"),
    policy!("campus/sanctions.toml"),
    policy!("campus/people.csv"),
    policy!("stories/friday-letter.story.toml"),
    policy!("stories/two-readings.story.toml"),
    // The files contract 1 shipped, for documents made then (see `policies/contract-1/`).
    policy!("contract-1/friday-letter/letter.toml"),
    policy!("contract-1/friday-letter/letter-revoked.toml"),
    policy!("contract-1/campus/export-rule.toml"),
    policy!("contract-1/campus/sanctions.toml"),
    policy!("contract-1/campus/people.csv"),
    policy!("contract-1/populations/frontier-provider.population.toml"),
    policy!("contract-1/populations/github-developers-2025Q3.csv"),
];

impl Preset {
    /// The name the picker shows: the scenario's title line, or its path.
    pub fn title(&self) -> String {
        title_of(self.path, self.text)
    }
}

/// The `title = "..."` line of a scenario's text, or `path` if it has none. A quick read
/// of the text, not a parse: the picker lists every preset without loading any.
pub fn title_of(path: &str, text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("title = \""))
        .map(|t| t.trim_end_matches('"').to_owned())
        .unwrap_or_else(|| path.to_owned())
}

/// The presets in the order the picker shows them.
pub fn presets() -> Vec<Preset> {
    FILES
        .iter()
        .filter(|(path, _)| path.ends_with(".scenario.toml") && !path.starts_with("contract-1/"))
        .map(|&(path, text)| Preset { path, text })
        .collect()
}

/// The shipped stories: (id, text), the id being the file name without `.story.toml`.
pub fn stories() -> Vec<(&'static str, &'static str)> {
    FILES
        .iter()
        .filter_map(|&(path, text)| {
            let id = path.strip_prefix("stories/")?.strip_suffix(".story.toml")?;
            Some((id, text))
        })
        .collect()
}

/// The text of a shipped scenario by its path under `policies/`.
pub fn scenario_text(path: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// The files presets refer to, as a file system.
pub fn preset_files() -> MemoryFileSystem {
    let mut fs = MemoryFileSystem::default();
    for (path, text) in FILES {
        fs.insert(*path, *text);
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::{FILES, presets, title_of};

    #[test]
    fn titles_come_from_the_title_line_or_the_path() {
        assert_eq!(
            title_of("a.toml", "as_of = 2026-01-01\ntitle = \"A letter\"\n"),
            "A letter"
        );
        assert_eq!(title_of("a.toml", "as_of = 2026-01-01\n"), "a.toml");
        assert!(presets().iter().all(|p| p.title() != p.path));
    }

    #[test]
    fn every_policy_file_is_compiled_in() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "toml" || e == "csv") {
                    // Every TOML and CSV file under policies/ must be compiled in.
                    let relative = path
                        .strip_prefix(root)
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if !FILES.iter().any(|(name, _)| *name == relative) {
                        missing.push(relative);
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "add these to FILES in src/app/presets.rs: {missing:?}"
        );
    }
}

#[cfg(test)]
mod resolve_tests {
    use super::*;
    use crate::edit::self_contained;
    use crate::load::spec::Adjustments;

    #[test]
    fn every_preset_resolves_from_the_compiled_in_files() {
        for preset in presets() {
            let resolved = self_contained(
                preset.path,
                preset.text,
                &preset_files(),
                &Adjustments::default(),
            );
            assert!(
                resolved.is_ok(),
                "{}: {:?}",
                preset.path,
                resolved
                    .err()
                    .map(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>())
            );
        }
    }
}
