//! What the native integration tests share.

/// Every shipped scenario under `policies/` (one folder deep: `policies/contract-1/` holds
/// old files, not presets), sorted.
pub fn shipped_scenarios() -> Vec<String> {
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
