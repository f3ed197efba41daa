//! The architecture's invariants, checked on the source (ARCHITECTURE.md lists them):
//! the engine and the CLI have no web crate in their dependency tree; the engine's folders
//! form the pipeline, each importing only from the folders before it; no function is longer
//! than its limit (engine 80 lines, app and CLI 120; tests excepted).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// The engine's folders in pipeline order: each may use only itself and those before it.
const PIPELINE: [&str; 11] = [
    "source",
    "model",
    "load",
    "check",
    "compile",
    "simulate",
    "aggregate",
    "render",
    "edit",
    "analysis",
    "presets",
];

/// Items of the crate root, which runs load, check and compile and simulates to find dead
/// rules: they belong to the simulate stage.
const ROOT_ITEMS: [&str; 2] = ["prepare", "Prepared"];

/// Crates that only make sense in a browser.
const WEB_CRATES: [&str; 5] = ["yew", "web-sys", "js-sys", "wasm-bindgen", "gloo"];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).expect("readable source");
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether an item is compiled for tests only.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        path.is_ident("test")
            || (path.is_ident("cfg")
                && attr
                    .parse_args::<syn::Meta>()
                    .is_ok_and(|meta| meta.path().is_ident("test")))
    })
}

/// The names of the packages in `package`'s normal dependency tree, on every target.
fn dependency_names(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(workspace())
        .args(["tree", "--locked", "--offline", "-p", package])
        .args(["-e", "normal,build", "--target", "all", "--prefix", "none"])
        .args(["--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn web_crates_in(package: &str) -> Vec<String> {
    let mut found: Vec<String> = dependency_names(package)
        .into_iter()
        .filter(|name| {
            WEB_CRATES
                .iter()
                .any(|web| name == web || name.starts_with(&format!("{web}-")))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_engine_and_the_cli_have_no_web_dependency() {
    assert_eq!(web_crates_in("cutoff-engine"), Vec::<String>::new());
    assert_eq!(web_crates_in("cutoff-cli"), Vec::<String>::new());
    // The check can fail: the app itself does depend on them.
    assert!(web_crates_in("cutoff").contains(&"yew".to_owned()));
}

/// Functions longer than `limit` lines, outside tests, as `file:line name (lines)`.
#[derive(Default)]
struct LongFunctions {
    limit: usize,
    file: String,
    found: Vec<String>,
}

impl LongFunctions {
    fn measure(&mut self, name: &syn::Ident, span: proc_macro2::Span) {
        let lines = span.end().line - span.start().line + 1;
        if lines > self.limit {
            let at = span.start().line;
            self.found
                .push(format!("{}:{at} `{name}` ({lines} lines)", self.file));
        }
    }
}

impl Visit<'_> for LongFunctions {
    fn visit_item_fn(&mut self, item: &syn::ItemFn) {
        if is_test_only(&item.attrs) {
            return;
        }
        let span = item
            .sig
            .span()
            .join(item.block.span())
            .unwrap_or(item.span());
        self.measure(&item.sig.ident, span);
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &syn::ImplItemFn) {
        if is_test_only(&item.attrs) {
            return;
        }
        let span = item
            .sig
            .span()
            .join(item.block.span())
            .unwrap_or(item.span());
        self.measure(&item.sig.ident, span);
        visit::visit_impl_item_fn(self, item);
    }

    fn visit_item_mod(&mut self, item: &syn::ItemMod) {
        if !is_test_only(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }
}

fn long_functions(dir: &str, limit: usize) -> Vec<String> {
    let mut visitor = LongFunctions {
        limit,
        ..LongFunctions::default()
    };
    let root = workspace();
    for path in rust_files(&root.join(dir)) {
        visitor.file = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        visitor.visit_file(&parse(&path));
    }
    visitor.found
}

#[test]
fn engine_functions_fit_in_80_lines() {
    assert_eq!(
        long_functions("crates/engine/src", 80),
        Vec::<String>::new()
    );
}

#[test]
fn app_and_cli_functions_fit_in_120_lines() {
    let mut found = long_functions("src", 120);
    found.extend(long_functions("crates/cli/src", 120));
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn the_length_check_can_fail() {
    assert!(!long_functions("crates/engine/src", 20).is_empty());
}

/// The `crate::FOLDER` paths a file names outside its tests.
#[derive(Default)]
struct CratePaths {
    folders: Vec<String>,
}

impl CratePaths {
    fn note(&mut self, mut segments: impl Iterator<Item = String>) {
        if segments.next().as_deref() == Some("crate")
            && let Some(folder) = segments.next()
        {
            self.folders.push(folder);
        }
    }
}

impl Visit<'_> for CratePaths {
    fn visit_path(&mut self, path: &syn::Path) {
        self.note(path.segments.iter().map(|s| s.ident.to_string()));
        visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &syn::ItemUse) {
        if let syn::UseTree::Path(root) = &item.tree
            && root.ident == "crate"
        {
            match &*root.tree {
                syn::UseTree::Path(next) => self.folders.push(next.ident.to_string()),
                syn::UseTree::Name(next) => self.folders.push(next.ident.to_string()),
                syn::UseTree::Rename(next) => self.folders.push(next.ident.to_string()),
                // `use crate::*` reaches every folder: no stage may do that.
                syn::UseTree::Glob(_) => self.folders.push("*".to_owned()),
                syn::UseTree::Group(group) => {
                    for tree in &group.items {
                        match tree {
                            syn::UseTree::Path(next) => self.folders.push(next.ident.to_string()),
                            syn::UseTree::Name(next) => self.folders.push(next.ident.to_string()),
                            syn::UseTree::Rename(next) => self.folders.push(next.ident.to_string()),
                            syn::UseTree::Glob(_) => self.folders.push("*".to_owned()),
                            syn::UseTree::Group(_) => {}
                        }
                    }
                }
            }
        }
    }

    fn visit_item_mod(&mut self, item: &syn::ItemMod) {
        if !is_test_only(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &syn::ItemFn) {
        if !is_test_only(&item.attrs) {
            visit::visit_item_fn(self, item);
        }
    }
}

/// Imports that go against the pipeline, as `file: folder -> folder`.
fn backward_imports() -> Vec<String> {
    let root = workspace().join("crates/engine/src");
    let mut found = Vec::new();
    for path in rust_files(&root) {
        let relative = path.strip_prefix(&root).unwrap_or(&path);
        let own = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|c| c.trim_end_matches(".rs").to_owned())
            .unwrap_or_default();
        let Some(own_layer) = PIPELINE.iter().position(|f| *f == own) else {
            assert_eq!(
                own,
                "lib",
                "{} is outside the pipeline's folders",
                path.display()
            );
            continue;
        };
        let mut paths = CratePaths::default();
        paths.visit_file(&parse(&path));
        for folder in paths.folders {
            // `prepare` (load, check, compile, and the dead-rule check's simulation) is the
            // crate root's, at the simulate stage.
            let stage = if ROOT_ITEMS.contains(&folder.as_str()) {
                "simulate"
            } else {
                folder.as_str()
            };
            let layer = PIPELINE.iter().position(|f| *f == stage);
            if layer.is_none_or(|layer| layer > own_layer) {
                found.push(format!("{}: {own} -> {folder}", relative.display()));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn engine_folders_import_only_earlier_stages() {
    assert_eq!(backward_imports(), Vec::<String>::new());
}

#[test]
fn no_grab_bag_module_names() {
    for path in rust_files(&workspace().join("crates"))
        .into_iter()
        .chain(rust_files(&workspace().join("src")))
    {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert!(
            !["utils", "util", "helpers", "misc", "common"].contains(&stem),
            "{}",
            path.display()
        );
    }
}
