#!/usr/bin/env bash
# Tests .clusterfuzzlite/build.sh without Docker: sets the environment OSS-Fuzz's build image
# sets (CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, OUT, SRC, WORK, SANITIZER) with the local
# clang 14 (address and undefined sanitizers, libFuzzer), runs build.sh from the checkout into
# scratch folders under build/clusterfuzzlite/, checks that every fuzz target came out with its
# seed corpus, dictionary and options, and runs each target a few seconds on its unzipped seed
# corpus with the flags of its .options file.
#   scripts/clusterfuzzlite-emulate.sh [SECONDS]   (default 3 per target)
# Exit status 0 only when the build, every check and every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-3}
scratch=$root/build/clusterfuzzlite

export CC=clang-14 CXX=clang++-14 SANITIZER=address
# OSS-Fuzz's flags for libFuzzer with ASan+UBSan (less its -stdlib=libc++: no libc++ build of
# the Debian packages here, and the fuzzing engine needs none).
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined \
-fsanitize-address-use-after-scope -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS=$CFLAGS
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export SRC=$scratch/src WORK=$scratch/work OUT=$scratch/out
# The work folder is kept between runs, so a second run only rebuilds what changed.
command -v ccache >/dev/null && export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache
rm -rf "$OUT" "$SRC"
mkdir -p "$SRC" "$WORK" "$OUT"

failed=0
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }

if ! bash .clusterfuzzlite/build.sh >"$scratch/build.log" 2>&1; then
  tail -30 "$scratch/build.log"
  echo "clusterfuzzlite-emulate: build.sh failed (log: $scratch/build.log)"
  exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for source in fuzz/*_fuzzer.cpp; do
  target=$(basename "$source" .cpp)
  missing=()
  [[ -x $OUT/$target ]] || missing+=("$target")
  for extra in "${target}_seed_corpus.zip" "$target.dict" "$target.options"; do
    [[ -s $OUT/$extra ]] || missing+=("$extra")
  done
  if ((${#missing[@]})); then
    fail "$target: missing from \$OUT: ${missing[*]}"
    continue
  fi
  run=$scratch/run/$target
  rm -rf "$run"
  mkdir -p "$run/seeds" "$run/new"
  (cd "$run/seeds" && unzip -q "$OUT/${target}_seed_corpus.zip")
  seeds=$(find "$run/seeds" -type f | wc -l)
  if [[ $(find "fuzz/corpus/$target" -type f | wc -l) -ne $seeds ]]; then
    fail "$target: the seed corpus zip holds $seeds files, fuzz/corpus/$target does not"
    continue
  fi
  # key = value lines of the [libfuzzer] section, as ClusterFuzz passes them: -key=value.
  flags=()
  while IFS= read -r line; do
    [[ $line =~ ^([a-z_]+)[[:space:]]*=[[:space:]]*(.*)$ ]] && flags+=("-${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
  done <"$OUT/$target.options"
  if (cd "$OUT" && "./$target" "${flags[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -artifact_prefix="$run/" -print_final_stats=1 "$run/new" "$run/seeds") >"$run/log" 2>&1; then
    echo "ok   $target: $seeds seeds, $(awk '/stat::number_of_executed_units/ {print $2}' "$run/log") runs" \
         "in ${seconds}s (${flags[*]})"
  else
    tail -30 "$run/log"
    fail "$target did not run clean (log: $run/log)"
  fi
done

((failed == 0)) || { echo "clusterfuzzlite-emulate: $failed failure(s)"; exit 1; }
echo "clusterfuzzlite-emulate: build.sh and every target ok"
