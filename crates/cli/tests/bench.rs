//! `cutoff bench` reports the first run and the warm median apart, and ends with
//! `decisions_per_second=` as DESIGN §5 says.

use std::process::Command;

#[test]
fn bench_reports_the_first_run_and_the_warm_median() {
    let dir = std::env::temp_dir().join(format!("cutoff-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let people = Command::new(env!("CARGO_BIN_EXE_cutoff"))
        .args(["generate", "--records", "2000", "--seed", "7"])
        .output()
        .expect("generates");
    std::fs::write(dir.join("people.csv"), people.stdout).expect("writes people");
    let scenario = include_str!("../../engine/benches/scenario.toml");
    std::fs::write(dir.join("scenario.toml"), scenario).expect("writes scenario");
    let output = Command::new(env!("CARGO_BIN_EXE_cutoff"))
        .args(["bench", "--repeat", "3"])
        .arg(dir.join("scenario.toml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let keys: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_once('=').map(|(key, _)| key))
        .collect();
    assert_eq!(
        keys,
        [
            "records",
            "pairs",
            "load_and_compile_seconds",
            "repeats",
            "elapsed_seconds",
            "first_seconds",
            "warm_median_seconds",
            "median_seconds",
            "first_decisions_per_second",
            "warm_decisions_per_second",
            "decisions_per_second",
        ]
    );
    let value = |key: &str| -> f64 {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    };
    assert_eq!(value("records"), 2000.0);
    for key in [
        "first_seconds",
        "warm_median_seconds",
        "decisions_per_second",
    ] {
        assert!(value(key) > 0.0, "{key} in {stdout}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
