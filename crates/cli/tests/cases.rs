//! Data-driven tests: every folder under `tests/cases/` is one test. Its `cmd` file holds
//! the `cutoff` arguments, run in that folder with the real binary; the `expected-*` files
//! hold what must come out:
//!
//! - `expected-stdout.txt`, `expected-stderr.txt`: exact text (stderr always checked);
//! - `expected-exit`: the exit code (default 0);
//! - `expected-decisions.csv`: the `--decisions` file, rows in any order;
//! - `expected-totals.json`: the `--totals` file, as JSON;
//! - `expected-json.json`: the `--json` file (of `diff`, `sweep`, `--range`), as JSON.
//!
//! `BLESS=1 cargo test --test cases` writes the current outputs as the expectations.
/// The case files are native: the wasm build of this test has nothing to run.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    runner::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod runner {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use libtest_mimic::{Arguments, Failed, Trial};

    pub fn main() {
        let args = Arguments::from_args();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.join("cmd").is_file())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        assert!(!dirs.is_empty(), "no cases under {}", root.display());
        let trials = dirs
            .into_iter()
            .map(|dir| {
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Trial::test(name, move || run_case(&dir))
            })
            .collect();
        libtest_mimic::run(&args, trials).exit();
    }

    fn read(path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn run_case(dir: &Path) -> Result<(), Failed> {
        let cmd = read(&dir.join("cmd")).ok_or("cannot read cmd")?;
        let args: Vec<&str> = cmd.split_whitespace().collect();
        let out_dir = tempdir(dir)?;
        let decisions = out_dir.join("decisions.csv");
        let totals = out_dir.join("totals.json");
        let json = out_dir.join("out.json");
        let mut command = Command::new(env!("CARGO_BIN_EXE_cutoff"));
        command.current_dir(dir).args(&args);
        let wants_decisions = dir.join("expected-decisions.csv").exists();
        let wants_totals = dir.join("expected-totals.json").exists();
        if wants_decisions {
            command.arg("--decisions").arg(&decisions);
        }
        if wants_totals {
            command.arg("--totals").arg(&totals);
        }
        let wants_json = dir.join("expected-json.json").exists();
        if wants_json {
            command.arg("--json").arg(&json);
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run cutoff: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let exit = output.status.code().unwrap_or(-1).to_string();
        let bless = std::env::var_os("BLESS").is_some();
        let mut failures = Vec::new();
        let mut compare =
            |name: &str, actual: &str, normalize: fn(&str) -> String, always: bool| {
                let path = dir.join(name);
                if bless && (always || path.exists()) {
                    let _ = std::fs::write(&path, actual);
                    return;
                }
                let expected = read(&path).unwrap_or_else(|| {
                    if name == "expected-exit" {
                        "0".into()
                    } else {
                        String::new()
                    }
                });
                if !always && !path.exists() {
                    return;
                }
                if normalize(&expected) != normalize(actual) {
                    failures.push(format!(
                        "{name} differs\n--- expected\n{expected}\n--- actual\n{actual}"
                    ));
                }
            };
        compare("expected-stderr.txt", &stderr, |s| s.to_owned(), true);
        compare("expected-exit", &exit, |s| s.trim().to_owned(), false);
        compare("expected-stdout.txt", &stdout, |s| s.to_owned(), false);
        if wants_decisions {
            let actual = read(&decisions).unwrap_or_default();
            compare("expected-decisions.csv", &actual, sorted_lines, false);
        }
        if wants_totals {
            let actual = read(&totals).unwrap_or_default();
            compare("expected-totals.json", &actual, canonical_json, false);
        }
        if wants_json {
            let actual = read(&json).unwrap_or_default();
            compare("expected-json.json", &actual, canonical_json, false);
        }
        let _ = std::fs::remove_dir_all(&out_dir);
        if !bless && !dir.join("expected-exit").exists() && exit != "0" {
            failures.push(format!("exit code {exit}, expected 0\n{stderr}"));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n").into())
        }
    }

    fn sorted_lines(text: &str) -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        let header = if lines.is_empty() {
            None
        } else {
            Some(lines.remove(0))
        };
        lines.sort_unstable();
        header
            .into_iter()
            .chain(lines)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The JSON with every object's keys sorted, whatever order the file has them in.
    fn canonical_json(text: &str) -> String {
        fn sorted(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(map) => {
                    let mut entries: Vec<_> = map.into_iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    serde_json::Value::Object(
                        entries.into_iter().map(|(k, v)| (k, sorted(v))).collect(),
                    )
                }
                serde_json::Value::Array(items) => {
                    serde_json::Value::Array(items.into_iter().map(sorted).collect())
                }
                other => other,
            }
        }
        serde_json::from_str::<serde_json::Value>(text)
            .map_or_else(|e| format!("invalid JSON: {e}"), |v| sorted(v).to_string())
    }

    fn tempdir(dir: &Path) -> Result<PathBuf, Failed> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!("cutoff-case-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(path)
    }
}
