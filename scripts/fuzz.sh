#!/usr/bin/env bash
# Builds one fuzz target with libFuzzer and address+undefined sanitizers and runs it.
#   scripts/fuzz.sh TARGET [SECONDS] [-- extra libFuzzer flags]
# e.g. scripts/fuzz.sh domain_fuzzer 600 -- -jobs=2
# New interesting inputs are kept in fuzz/corpus/TARGET/ (commit the ones worth keeping);
# a crash leaves crash-<sha1> in the current folder: add it to the corpus once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: scripts/fuzz.sh TARGET [SECONDS] [-- libFuzzer flags]; targets: $(cd fuzz && ls *_fuzzer.cpp | sed 's/\.cpp//' | tr '\n' ' ')" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
target=$1
shift
[[ -f fuzz/$target.cpp ]] || usage
seconds=60
if [[ $# -ge 1 && $1 != -- ]]; then seconds=$1; shift; fi
[[ ${1:-} == -- ]] && shift

./scripts/setup.sh
cmake -S . -B build/fuzz -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DPBXMOCK_FUZZ=ON -DPBXMOCK_SANITIZE=address,undefined -DPBXMOCK_BUILD_TESTS=OFF -DPBXMOCK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/fuzz --target "$target"

dict=()
[[ -f fuzz/$target.dict ]] && dict=(-dict="fuzz/$target.dict")
mkdir -p "fuzz/corpus/$target"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "build/fuzz/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$@" "fuzz/corpus/$target"
