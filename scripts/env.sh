# Sourced by the scripts: puts the project's local tools (wasm-opt from npm) first on PATH.
# shellcheck shell=bash
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
