#!/usr/bin/env bash
# The fuzz targets (fuzz/*_fuzzer.cpp) by hand:
#   scripts/fuzz.sh TARGET [SECONDS] [-- extra libFuzzer flags]
#       builds TARGET with libFuzzer and address+undefined sanitizers (build/fuzz) and runs it
#       with its dictionary (default 60 s), e.g. scripts/fuzz.sh domain_fuzzer 600 -- -jobs=2.
#       New interesting inputs are kept in fuzz/corpus/TARGET/ (commit the ones worth keeping);
#       a crash leaves crash-<sha1> in the current folder: add it to the corpus once fixed.
#   scripts/fuzz.sh --coverage [TARGET]
#       builds the targets with clang's source-based coverage (build/fuzz-coverage), runs each
#       checked-in corpus once, prints `llvm-cov report` (lines, branches, per file of spec/,
#       mock/ and contracts/) and writes an HTML report to build/coverage/index.html.
#   scripts/fuzz.sh --merge TARGET
#       minimizes fuzz/corpus/TARGET in place (libFuzzer -merge=1): keeps the smallest set of
#       inputs with the same coverage; review `git status fuzz/corpus` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
all_targets() { (cd fuzz && ls *_fuzzer.cpp | sed 's/\.cpp$//'); }
usage() {
  echo "usage: scripts/fuzz.sh TARGET [SECONDS] [-- libFuzzer flags]" >&2
  echo "       scripts/fuzz.sh --coverage [TARGET]" >&2
  echo "       scripts/fuzz.sh --merge TARGET" >&2
  echo "targets: $(all_targets | tr '\n' ' ')" >&2
  exit 2
}
known() { [[ -f fuzz/$1.cpp && $1 == *_fuzzer ]] || { echo "fuzz.sh: no fuzz target '$1'" >&2; usage; }; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

build_libfuzzer() {  # targets...
  cmake -S . -B build/fuzz -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    -DPBXMOCK_FUZZ=ON -DPBXMOCK_SANITIZE=address,undefined -DPBXMOCK_BUILD_TESTS=OFF -DPBXMOCK_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build build/fuzz --target "$@"
}

coverage() {  # [target]
  local targets dir=build/fuzz-coverage html=build/coverage
  if [[ $# -ge 1 ]]; then known "$1"; targets=$1; else targets=$(all_targets); fi
  # The replay driver (fuzz/replay_main.cpp) instead of libFuzzer: each corpus file runs once,
  # so the figures are those of the checked-in corpora, not of a fuzzing session.
  cmake -S . -B "$dir" -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" -DPBXMOCK_FUZZ=OFF \
    -DPBXMOCK_BUILD_TESTS=OFF -DPBXMOCK_BUILD_BENCHMARKS=OFF >/dev/null
  # shellcheck disable=SC2086
  cmake --build "$dir" --target $targets
  rm -rf "$dir/profiles"
  mkdir -p "$dir/profiles"
  local objects=() target
  for target in $targets; do
    LLVM_PROFILE_FILE="$root/$dir/profiles/$target.profraw" "$dir/fuzz/$target" "fuzz/corpus/$target" >/dev/null
    objects+=(-object "$dir/fuzz/$target")
  done
  llvm-profdata-14 merge -sparse "$dir"/profiles/*.profraw -o "$dir/profiles/merged.profdata"
  # The first -object is given without the flag (llvm-cov wants one positional binary).
  local first=${objects[1]}
  local rest=("${objects[@]:2}")
  # Our library code only: not the system's headers, the fuzz harnesses or the tests. (A filter
  # by folder works for `report` but not for `show`: with ccache the recorded names may read
  # build/fuzz-coverage/../../spec/x.cpp.)
  local only_ours=(-ignore-filename-regex='^/usr/|/fuzz/[^/]+$|/tests/')
  llvm-cov-14 report "$first" "${rest[@]}" -instr-profile="$dir/profiles/merged.profdata" \
    -show-branch-summary "${only_ours[@]}"
  rm -rf "$html"
  llvm-cov-14 show "$first" "${rest[@]}" -instr-profile="$dir/profiles/merged.profdata" -format=html \
    -show-branches=count -output-dir="$html" "${only_ours[@]}" >/dev/null
  echo "fuzz.sh: HTML report in $html/index.html (targets: $(echo $targets))"
}

merge() {  # target
  local target=$1 corpus=fuzz/corpus/$1 scratch
  known "$target"
  build_libfuzzer "$target"
  scratch=$(mktemp -d)
  local before
  before=$(find "$corpus" -type f | wc -l)
  # Into an empty folder, then swapped in: the corpus is never half-merged.
  "build/fuzz/fuzz/$target" -merge=1 -timeout=10 -rss_limit_mb=2048 "$scratch" "$corpus"
  rm -rf "$corpus"
  mv "$scratch" "$corpus"
  chmod 755 "$corpus"
  echo "fuzz.sh: $corpus minimized from $before to $(find "$corpus" -type f | wc -l) inputs"
}

[[ $# -ge 1 ]] || usage
case $1 in
  --coverage)
    shift
    [[ $# -le 1 ]] || usage
    ./scripts/setup.sh
    coverage "$@"
    exit
    ;;
  --merge)
    shift
    [[ $# -eq 1 ]] || usage
    ./scripts/setup.sh
    merge "$1"
    exit
    ;;
  -*) usage ;;
esac

target=$1
shift
known "$target"
seconds=60
if [[ $# -ge 1 && $1 != -- ]]; then seconds=$1; shift; fi
[[ ${1:-} == -- ]] && shift

./scripts/setup.sh
build_libfuzzer "$target"
dict=()
[[ -f fuzz/$target.dict ]] && dict=(-dict="fuzz/$target.dict")
mkdir -p "fuzz/corpus/$target"
exec "build/fuzz/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$@" "fuzz/corpus/$target"
