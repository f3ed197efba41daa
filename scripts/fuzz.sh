#!/usr/bin/env bash
# Fuzzes the condition parser, the scenario loader, the population CSV loader and the
# share-link decoder with cargo fuzz (libFuzzer), starting from a corpus seeded with the
# test cases. Any crash fails the run and is kept in fuzz/artifacts/ to become a
# regression case.
#
# By default (the test command) each target runs a fixed number of inputs from a fixed
# seed, so the run is the same on every machine and a green run stays green. With
# FUZZ_SECONDS set, each target runs that long from a random seed: the long run that
# finds new crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-}
# cargo fuzz passes -Z flags to rustc; this toolchain is stable, so allow them here only.
export RUSTC_BOOTSTRAP=1
# The fixed run starts from the seeds alone, as it does on a fresh clone.
[ -n "$seconds" ] || rm -rf fuzz/corpus
mkdir -p fuzz/corpus/condition fuzz/corpus/scenario fuzz/corpus/population fuzz/corpus/share_link
i=0
for f in tests/cases/*/scenario.toml policies/*/*.toml; do
  i=$((i + 1))
  cp "$f" "fuzz/corpus/scenario/seed-$i.toml"
done
# The first 200 conditions. awk reads its whole input (where `head` would stop early and,
# under pipefail, fail the run with grep's broken pipe once there are enough of them).
grep -h '^when = ' -r tests/cases policies | sed "s/^when = //; s/^'//; s/'\$//" \
  | awk 'NR <= 200 { print > ("fuzz/corpus/condition/seed-" NR) }'
for f in tests/cases/*/people.csv policies/*/*.csv; do
  i=$((i + 1))
  cp "$f" "fuzz/corpus/population/seed-$i.csv"
done
printf 's=1.AAAA' > fuzz/corpus/share_link/seed-1
printf 's=2.AAAA' > fuzz/corpus/share_link/seed-2
declare -A runs=([condition]=400000 [scenario]=60000 [population]=8000 [share_link]=1000000)
for target in condition scenario population share_link; do
  if [ -n "$seconds" ]; then
    budget=(-max_total_time="$seconds")
  else
    budget=(-runs="${runs[$target]}" -seed=1)
  fi
  log=$(cargo fuzz run --sanitizer none "$target" "fuzz/corpus/$target" -- "${budget[@]}" -timeout=5 -rss_limit_mb=2048 2>&1) || {
    echo "$log" | tail -n 40
    echo "fuzz $target: FAILED (see fuzz/artifacts/$target)"
    exit 1
  }
  echo "fuzz $target: $(echo "$log" | grep -Eo 'Done [0-9]+ runs in [0-9]+ second' | tail -1)"
done
