#!/usr/bin/env bash
# Benchmarks, in a Release build: the parsers and the request pipeline (Google Benchmark).
#   scripts/bench.sh [benchmark-filter-regex]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --bench
cmake -S . -B build/bench -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ >/dev/null
cmake --build build/bench
filter=${1:-.}
for bench in build/bench/tests/bench/*_bench; do
  echo "== $(basename "$bench")"
  "$bench" --benchmark_filter="$filter" --benchmark_min_time=0.5
done
