#!/usr/bin/env bash
# Runs the mock PortSIP PBX from a bare clone: set-up, a build of the program only (in the
# same folder and with the same options as stage 1 of scripts/test.sh, so the two share
# their work), then `pbxmock serve` with any arguments given here.
#   scripts/run.sh                                  # http://127.0.0.1:8887/api, default scenario
#   scripts/run.sh --scenario two_factor --port 9000
#   scripts/run.sh --scenario my.yaml --watch       # reload my.yaml on every save
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

build=build/release
mkdir -p build/logs
if [[ ! -f $build/build.ninja ]]; then
  cmake -S . -B "$build" -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
    >build/logs/run-configure.log 2>&1 || { cat build/logs/run-configure.log; exit 1; }
fi
# Later runs rebuild only what changed (CMake re-configures itself when a CMakeLists.txt did).
cmake --build "$build" --target pbxmock >build/logs/run-build.log 2>&1 || { cat build/logs/run-build.log; exit 1; }
exec "$build/mock/pbxmock" serve "$@"
