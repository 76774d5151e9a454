#!/usr/bin/env bash
# Runs every test of pbxmock from a bare clone: set-up, then
#   1. a g++ build: unit, property, integration and contract tests, fuzz-corpus replay (CTest);
#   2. the same tests built with clang under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the concurrency tests under ThreadSanitizer;
#   4. a short libFuzzer run of every fuzz target (PBXMOCK_FUZZ_SECONDS each, default 30);
#   5. .clusterfuzzlite/build.sh in an emulated OSS-Fuzz environment, each target it builds run
#      a few seconds on its seed corpus (scripts/clusterfuzzlite-emulate.sh);
#   6. the OpenAPI lint of spec/portsip-auth.yaml;
#   7. the container image: built with podman from scripts/container/Dockerfile and checked
#      (scripts/container-test.sh; podman, runc and mmdebstrap from scripts/setup.sh --container).
# Every stage runs even when an earlier one failed; the last line totals them all.
# PBXMOCK_TEST_STAGES="1 4" runs only those stages (default: all seven).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
./scripts/setup.sh || { echo "test.sh: set-up failed"; exit 1; }

fuzz_seconds=${PBXMOCK_FUZZ_SECONDS:-30}
jobs=$(nproc)
passed=0
failed=0
logs=$root/build/logs
mkdir -p "$logs"

stages=${PBXMOCK_TEST_STAGES:-1 2 3 4 5 6 7}
wanted() { [[ " $stages " == *" $1 "* ]]; }
stage() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }

configure_and_build() {  # dir, then extra cmake arguments
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -Wno-dev "$@" >"$logs/$(basename "$dir")-configure.log" 2>&1 ||
    { cat "$logs/$(basename "$dir")-configure.log"; return 1; }
  cmake --build "$dir" -j"$jobs"
}

run_ctest() {  # dir, then extra ctest arguments; adds ctest's own counts to the totals
  local dir=$1 log
  shift
  log="$logs/$(basename "$dir")-ctest.log"
  ctest --test-dir "$dir" -j"$jobs" --output-on-failure --timeout 300 "$@" 2>&1 | tee "$log"
  local summary total bad
  summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [[ -z $summary ]]; then
    fail "ctest in $dir reported no tests"
    return
  fi
  bad=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

if wanted 1; then
  stage "1/7 g++ build and tests"
  if configure_and_build build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++; then
    run_ctest build/release
  else
    fail "g++ build"
  fi
fi

if wanted 2; then
  stage "2/7 clang build under address and undefined sanitizers"
  if configure_and_build build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
      -DPBXMOCK_SANITIZE=address,undefined -DPBXMOCK_BUILD_BENCHMARKS=OFF; then
    run_ctest build/asan
  else
    fail "sanitizer build"
  fi
fi

if wanted 3; then
  stage "3/7 concurrency tests under the thread sanitizer"
  # Only the programs labelled `concurrency` (and what they start) are built for this stage.
  concurrency_targets=$(grep -oE 'add_pbxmock_test\(\w+[^)]*LABELS concurrency' tests/CMakeLists.txt | sed -E 's/add_pbxmock_test\((\w+).*/\1/')
  if [[ -n $concurrency_targets ]]; then
    [[ -f tests/tsan.supp ]] && export TSAN_OPTIONS="$TSAN_OPTIONS:suppressions=$root/tests/tsan.supp"
    if cmake -S . -B build/tsan -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
        -DPBXMOCK_SANITIZE=thread -DPBXMOCK_BUILD_BENCHMARKS=OFF >"$logs/tsan-configure.log" 2>&1 &&
       cmake --build build/tsan -j"$jobs" --target pbxmock $concurrency_targets; then
      run_ctest build/tsan -L concurrency
    else
      fail "thread-sanitizer build"
    fi
  else
    fail "no tests labelled concurrency in tests/CMakeLists.txt"
  fi
fi

if wanted 4; then
  stage "4/7 libFuzzer: ${fuzz_seconds}s per target"
  fuzz_targets=$(cd fuzz && ls *_fuzzer.cpp | sed 's/\.cpp$//')
  if cmake -S . -B build/fuzz -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
      -DPBXMOCK_FUZZ=ON -DPBXMOCK_SANITIZE=address,undefined -DPBXMOCK_BUILD_TESTS=OFF \
      -DPBXMOCK_BUILD_BENCHMARKS=OFF >"$logs/fuzz-configure.log" 2>&1 &&
     cmake --build build/fuzz -j"$jobs" --target $fuzz_targets; then
    for source in fuzz/*_fuzzer.cpp; do
      target=$(basename "$source" .cpp)
      scratch=$(mktemp -d)
      dict=()
      # libFuzzer runs inside the scratch folder, so every path it is given is absolute.
      [[ -f fuzz/$target.dict ]] && dict=(-dict="$root/fuzz/$target.dict")
      # New inputs go to a scratch folder: a test run never edits the checked-in corpus.
      if (cd "$scratch" && "$root/build/fuzz/fuzz/$target" "${dict[@]}" -max_total_time="$fuzz_seconds" \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$scratch" "$root/fuzz/corpus/$target") \
            >"$logs/$target.log" 2>&1; then
        echo "ok   $target: $(grep -E 'stat::number_of_executed_units' "$logs/$target.log" | awk '{print $2}') runs," \
             "$(grep -E 'stat::average_exec_per_sec' "$logs/$target.log" | awk '{print $2}') exec/s"
        passed=$((passed + 1))
      else
        tail -40 "$logs/$target.log"
        crash=$(ls "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-* 2>/dev/null | head -1 || true)
        fail "$target (log: $logs/$target.log${crash:+; the input that failed: $crash})"
        continue
      fi
      rm -rf "$scratch"
    done
  else
    fail "libFuzzer build"
  fi
fi

if wanted 5; then
  stage "5/7 ClusterFuzzLite build.sh, emulated"
  if ./scripts/clusterfuzzlite-emulate.sh 2>&1 | tee "$logs/clusterfuzzlite.log"; then
    passed=$((passed + 1))
  else
    fail "ClusterFuzzLite emulation (log: $logs/clusterfuzzlite.log)"
  fi
fi

if wanted 6; then
  stage "6/7 OpenAPI lint of spec/portsip-auth.yaml"
  if [[ -f spec/portsip-auth.yaml ]]; then
    if npx --yes @redocly/cli@2.77.0 lint spec/portsip-auth.yaml >"$logs/redocly.log" 2>&1; then
      echo "ok   redocly lint: $(grep -iE 'valid|warning' "$logs/redocly.log" | tail -1)"
      passed=$((passed + 1))
    else
      cat "$logs/redocly.log"
      fail "redocly lint"
    fi
  else
    fail "spec/portsip-auth.yaml is missing"
  fi
fi

if wanted 7; then
  stage "7/7 container image: podman build and checks"
  # Each check of container-test.sh counts in the totals, as CTest's tests do.
  if ./scripts/setup.sh --container; then
    ./scripts/container-test.sh 2>&1 | tee "$logs/container.log"
    summary=$(grep -E '^container: [0-9]+ passed, [0-9]+ failed$' "$logs/container.log" | tail -1)
    if [[ -n $summary ]]; then
      passed=$((passed + $(sed -E 's/container: ([0-9]+) passed.*/\1/' <<<"$summary")))
      failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$summary")))
    else
      fail "container-test.sh gave no totals (log: $logs/container.log)"
    fi
  else
    fail "setup.sh --container"
  fi
fi

echo
echo "test.sh: $passed passed, $failed failed"
((failed == 0))
