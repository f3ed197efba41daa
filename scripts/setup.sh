#!/usr/bin/env bash
# Installs what building and testing Cutoff needs, and only what is missing.
# Every tool comes from a registry this machine reaches (crates.io, npm, Debian):
# nothing downloads a prebuilt binary, a toolchain or a browser of its own.
# Safe to run again and again; both README commands start with it.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf 'setup: %s\n' "$*" >&2; }
# Runs an install step and says how long it took.
timed() {
  local start=$SECONDS
  "$@"
  say "done in $((SECONDS - start)) s"
}

# The wasm-bindgen CLI must match the library version that Cargo.lock resolves.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  say "could not read the wasm-bindgen version from Cargo.lock"
  exit 1
fi
if ! grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  say "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $WASM_BINDGEN_VERSION: update [tools] in Trunk.toml"
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  timed rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION from crates.io (about 7 minutes)"
  timed cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io (about 2 minutes)"
  # Not --locked: a transitive version that the CLI's lockfile pins is not served.
  timed cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz 0.13.2" ]; then
  say "installing cargo-fuzz 0.13.2 from crates.io (about 2 minutes)"
  timed cargo install cargo-fuzz --version 0.13.2 --locked
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  timed apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm packages (playwright-core and binaryen's wasm-opt) from the committed lockfile.
stamp=node_modules/.cutoff-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "installing npm packages from package-lock.json"
  timed npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

cargo fetch --quiet
