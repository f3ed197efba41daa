#!/usr/bin/env bash
# Runs every test tier: lints, native cargo tests, in-browser wasm tests and end-to-end
# tests of the release build in headless Chromium. Installs whatever is missing first.
# Ends with one line `N passed, N failed` over all tiers.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
source scripts/env.sh

logs=target/test-logs
mkdir -p "$logs"
passed=0
failed=0
failed_tiers=()

# Adds the counts from a cargo or wasm-bindgen-test log: every `test result:` line.
count_cargo() {
  local p f
  read -r p f < <(awk '/^test result:/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
    } END { print p + 0, f + 0 }' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
}

# Runs one tier; a tier that fails without counted failures still counts as one failure.
tier() {
  local name=$1 kind=$2
  shift 2
  local log="$logs/$name.log"
  local before_failed=$failed
  printf '== %s: %s\n' "$name" "$*"
  "$@" >"$log" 2>&1
  local code=$?
  case $kind in
    cargo) count_cargo "$log" ;;
    node)
      passed=$((passed + $(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1 | grep . || echo 0)))
      failed=$((failed + $(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1 | grep . || echo 0)))
      ;;
    check) [ $code -eq 0 ] && passed=$((passed + 1)) ;;
  esac
  if [ $code -ne 0 ]; then
    [ "$failed" -eq "$before_failed" ] && failed=$((failed + 1))
    failed_tiers+=("$name")
    # For the end-to-end tier, each failing test with its error; for the others, the end.
    if [ "$kind" = node ] && grep -q '^not ok' "$log"; then
      grep -A 30 '^not ok' "$log" | head -n 200
    else
      tail -n 60 "$log"
    fi
    printf '== %s FAILED (exit %s; full log: %s)\n' "$name" "$code" "$log"
  else
    printf '== %s ok\n' "$name"
  fi
}

tier fmt check cargo fmt --all --check
tier clippy-host check cargo clippy --workspace --all-targets --locked -- -D warnings
tier clippy-wasm check cargo clippy -p cutoff -p cutoff-engine --lib --bins --tests --locked --target wasm32-unknown-unknown -- -D warnings
tier native cargo cargo test --workspace --locked --no-fail-fast
# The Cedar comparison on 2,000 records: every decision must match Cedar's.
tier cedar check cargo test --locked -p cutoff-engine --bench cedar
tier wasm cargo cargo test --locked --target wasm32-unknown-unknown --test web
tier fuzz check scripts/fuzz.sh
tier build check trunk build --release --dist target/e2e-dist
tier e2e node env DIST=target/e2e-dist CUTOFF_BIN=target/debug/cutoff node --test --test-reporter=tap tests/e2e/

if [ ${#failed_tiers[@]} -gt 0 ]; then
  echo "failed tiers: ${failed_tiers[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_tiers[@]} -eq 0 ]
