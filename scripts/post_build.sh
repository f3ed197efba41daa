#!/usr/bin/env bash
# Trunk's post-build hook, over the built index.html in $TRUNK_STAGING_DIR: first the page's
# first screen, drawn natively with the default scenario's results (src/app/prerender.rs),
# then the Content-Security-Policy, which must see every inline script (scripts/csp.mjs).
set -euo pipefail
cargo run --quiet --locked --bin cutoff-prerender -- "$TRUNK_STAGING_DIR/index.html"
node scripts/csp.mjs
