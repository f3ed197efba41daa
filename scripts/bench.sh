#!/usr/bin/env bash
# Runs every benchmark behind the README's Performance table and prints the figures:
#  1. `cutoff bench` on the benchmark scenario with a generated million-record population;
#     then `cutoff sweep` (21 points) and `cutoff simulate --range` on the Friday letter;
#  2. `cargo bench -p cutoff-engine --bench cedar`: the same decisions by Cedar, compared, and the ratio;
#  3. `cargo bench -p cutoff-engine --bench simulate`: criterion at 10k, 100k and 1M records;
#  4. `cargo bench -p cutoff-engine --bench diff`: `cutoff diff` on shipped pairs over the default
#     population (scenarios loaded), and the whole `cutoff diff` command's median wall time;
#  5. the in-browser benchmark (scripts/bench_browser.mjs) on a release build.
# Results: target/bench/*.txt and *.json. Takes about ten minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh >/dev/null
mkdir -p target/bench
out=target/bench

echo "== machine"
{
  echo "cpu=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)"
  echo "cores=$(nproc)"
  echo "memory_gib=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
  echo "rustc=$(rustc --version)"
  echo "chromium=$(chromium --version 2>/dev/null || echo unknown)"
} | tee "$out/machine.txt"

echo "== cutoff bench (1,000,000 records)"
cargo build --release --locked -p cutoff-cli
target/release/cutoff generate --records 1000000 --seed 42 > "$out/people.csv"
cp crates/engine/benches/scenario.toml "$out/scenario.toml"
target/release/cutoff bench "$out/scenario.toml" --repeat 21 | tee "$out/cutoff-bench.txt"

echo "== sweep (21 points) and range (default population) on the Friday letter; targets 0.1 s and 1 s"
scenario=policies/friday-letter/complies-exactly.scenario.toml
for run in 1 2 3 4 5; do
  /usr/bin/time -f "sweep_seconds=%e" target/release/cutoff sweep "$scenario" --param customer.size \
    --from 50000 --to 1000000 --steps 20 2>&1 >/dev/null | tail -1
done | tee "$out/sweep.txt"
for run in 1 2 3; do
  /usr/bin/time -f "range_seconds=%e" target/release/cutoff simulate "$scenario" --range 2>&1 >/dev/null | tail -1
done | tee "$out/range.txt"

echo "== cedar (1,000,000 records, side by side with Cutoff)"
cargo bench --locked -p cutoff-engine --bench cedar | tee "$out/cedar.txt"

echo "== criterion"
cargo bench --locked -p cutoff-engine --bench simulate 2>&1 | grep -E "^simulate/|time:|thrpt:" | tee "$out/criterion.txt"

echo "== cutoff diff (default population)"
cargo bench --locked -p cutoff-engine --bench diff 2>&1 | grep -E "^diff/|time:" | tee "$out/diff.txt"
for _ in $(seq 21); do
  start=$(date +%s%N)
  target/release/cutoff diff policies/friday-letter/complies-exactly.scenario.toml \
    policies/friday-letter/geofence.scenario.toml >/dev/null
  echo $(( ($(date +%s%N) - start) / 1000 ))
done | sort -n | sed -n 11p | awk '{ printf "diff_command_median_ms=%.1f\n", $1 / 1000 }' | tee -a "$out/diff.txt"

echo "== browser"
trunk build --release --dist target/bench-dist >/dev/null
DIST=target/bench-dist CUTOFF_BIN=target/release/cutoff node scripts/bench_browser.mjs 1000000 9 | tee "$out/browser.txt"
