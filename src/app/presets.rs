//! The shipped scenarios of `policies/`, compiled into the app so that it works offline
//! and from any static host.

use crate::engine::load::MemoryFileSystem;

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
        ($path, include_str!(concat!("../../policies/", $path)))
    };
}

/// Every file under `policies/` that a preset reads.
const FILES: &[(&str, &str)] = &[
    policy!("friday-letter/offline-for-everyone.scenario.toml"),
    policy!("friday-letter/complies-exactly.scenario.toml"),
    policy!("friday-letter/letter.toml"),
    policy!("friday-letter/frontier-lab.csv"),
    policy!("campus/campus.scenario.toml"),
    policy!("campus/export-rule.toml"),
    policy!("campus/sanctions.toml"),
    policy!("campus/people.csv"),
];

/// The presets in the order the picker shows them.
pub fn presets() -> Vec<Preset> {
    FILES
        .iter()
        .filter(|(path, _)| path.ends_with(".scenario.toml"))
        .map(|&(path, text)| Preset { path, text })
        .collect()
}

/// The files presets refer to, as a file system.
pub fn preset_files() -> MemoryFileSystem {
    let mut fs = MemoryFileSystem::default();
    for (path, text) in FILES {
        fs.insert(*path, *text);
    }
    fs
}
