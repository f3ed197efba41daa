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
# Wall and CPU seconds of each of seven runs, then the medians; the load average beside them,
# since the machine may be shared.
scenario=policies/friday-letter/complies-exactly.scenario.toml
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() {
  local name=$1
  shift
  for run in 1 2 3 4 5 6 7; do
    /usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1
  done > "$out/$name.runs"
  awk -v n="$name" '{ printf "%s_seconds=%s cpu_seconds=%.2f\n", n, $1, $2 + $3 }' "$out/$name.runs"
  echo "${name}_median_seconds=$(awk '{ print $1 }' "$out/$name.runs" | median)"
  echo "${name}_median_cpu_seconds=$(awk '{ printf "%.2f\n", $2 + $3 }' "$out/$name.runs" | median)"
  echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg)"
}
timed sweep target/release/cutoff sweep "$scenario" --param customer.size \
  --from 50000 --to 1000000 --steps 20 | tee "$out/sweep.txt"
timed range target/release/cutoff simulate "$scenario" --range | tee "$out/range.txt"

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
