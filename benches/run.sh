#!/usr/bin/env bash
# Builds the binary (the `profiling` profile: release with line tables) and the
# collection generator, then runs the benchmark.
# Usage: benches/run.sh [bench.py options], e.g.
#   benches/run.sh                                   # 1,000 / 20,000 / 100,000 cards, 7 runs
#   benches/run.sh --sizes 1000,20000 --runs 5       # quicker
#   benches/run.sh --work /tmp/pd-bench --json /tmp/pd-bench/results.json
# Generated collections are kept in --work (default /tmp/prepdeck-bench, about 600 MB
# for the three sizes) and reused by later runs; delete the directory when done.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile profiling --locked --bin prepdeck --example gen_collection
exec python3 benches/bench.py "$@"
