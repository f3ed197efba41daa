#!/usr/bin/env bash
# Builds the app and serves it on http://127.0.0.1:8080, installing whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# trunk serve injects an autoreload script, so it gets a dist of its own, and the page it
# serves goes without the Content-Security-Policy (see scripts/csp.mjs); `trunk build`,
# which the tests and a static host use, keeps it.
export CUTOFF_DEV_SERVE=1
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" --dist target/serve-dist
