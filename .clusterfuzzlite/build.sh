#!/bin/bash -eu
# Builds every fuzz target of pbxmock (fuzz/*_fuzzer.cpp) in OSS-Fuzz's build environment and
# puts into $OUT, for each target T: T, T_seed_corpus.zip (fuzz/corpus/T), T.dict, T.options.
# Run from the checkout. Reads CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, OUT, SRC, WORK,
# SANITIZER, as OSS-Fuzz and ClusterFuzzLite set them (scripts/clusterfuzzlite-emulate.sh sets
# them with the local clang to test this file).
#
# The sanitizer and coverage flags come in CFLAGS/CXXFLAGS and go to every object of ours
# (CMAKE_CXX_FLAGS); the fuzzer's main comes from LIB_FUZZING_ENGINE at link time only
# (PBXMOCK_FUZZ_LDFLAGS). C++ libraries whose sources the Dockerfile cloned into $SRC are
# built here with the same flags (they must share the standard library, libc++ on OSS-Fuzz,
# and their code then gets sanitizer checks and coverage feedback too); without those
# sources (a local emulation) the installed packages are used.
set -o pipefail

case "${SANITIZER:-address}" in
  memory)
    echo "build.sh: MemorySanitizer needs every library instrumented, OpenSSL included; not supported" >&2
    exit 1
    ;;
esac

checkout=$PWD
deps=$WORK/deps
build=$WORK/pbxmock
mkdir -p "$deps" "$build" "$OUT"
export CMAKE_PREFIX_PATH=$deps${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}
export PKG_CONFIG_PATH=$deps/lib/pkgconfig:$deps/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}

cmake_dep() {  # source folder, then cmake arguments: configured, built and installed into $deps
  local source=$1
  shift
  cmake -S "$source" -B "$WORK/build-$(basename "$source")" -G Ninja -Wno-dev \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$deps" -DCMAKE_INSTALL_LIBDIR=lib \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DBUILD_SHARED_LIBS=OFF "$@"
  cmake --build "$WORK/build-$(basename "$source")" --target install
}

if [[ -d $SRC/yaml-cpp ]]; then
  cmake_dep "$SRC/yaml-cpp" -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF
fi
if [[ -d $SRC/re2 ]]; then
  cmake_dep "$SRC/re2" -DRE2_BUILD_TESTING=OFF
  mkdir -p "$deps/lib/pkgconfig"
  # This RE2 release installs a CMake package but no pkg-config file; the project asks pkg-config.
  [[ -f $deps/lib/pkgconfig/re2.pc ]] || cat >"$deps/lib/pkgconfig/re2.pc" <<PC
Name: re2
Description: RE2 (built for fuzzing)
Version: 0.0.0
Cflags: -I$deps/include -pthread
Libs: -L$deps/lib -lre2 -pthread
PC
fi
if [[ -d $SRC/nlohmann-json ]]; then
  cmake_dep "$SRC/nlohmann-json" -DJSON_BuildTests=OFF -DJSON_Install=ON
fi
if [[ -d $SRC/CLI11 ]]; then
  cmake_dep "$SRC/CLI11" -DCLI11_BUILD_TESTS=OFF -DCLI11_BUILD_EXAMPLES=OFF -DCLI11_BUILD_DOCS=OFF
fi
if [[ -d $SRC/cpp-httplib ]]; then
  # Header-only upstream; the pkg-config name is Debian's, which the project looks for.
  mkdir -p "$deps/include" "$deps/lib/pkgconfig"
  cp "$SRC/cpp-httplib/httplib.h" "$deps/include/"
  cat >"$deps/lib/pkgconfig/cpp-httplib.pc" <<PC
Name: cpp-httplib
Description: cpp-httplib, header-only (built for fuzzing)
Version: 0.11.4
Requires: openssl
Cflags: -I$deps/include -DCPPHTTPLIB_OPENSSL_SUPPORT
Libs: -pthread
PC
fi

# -Werror off: OSS-Fuzz's clang is newer than the ones the project is checked with, and a new
# warning must not stop the fuzzing.
cmake -S "$checkout" -B "$build" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_CXX_FLAGS_RELEASE="" \
  -DPBXMOCK_FUZZ=OFF -DPBXMOCK_FUZZ_LDFLAGS="$LIB_FUZZING_ENGINE" -DPBXMOCK_SANITIZE= \
  -DPBXMOCK_WERROR=OFF -DPBXMOCK_BUILD_TESTS=OFF -DPBXMOCK_BUILD_BENCHMARKS=OFF

targets=()
for source in "$checkout"/fuzz/*_fuzzer.cpp; do targets+=("$(basename "$source" .cpp)"); done
cmake --build "$build" --target "${targets[@]}"

for target in "${targets[@]}"; do
  cp "$build/fuzz/$target" "$OUT/"
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$checkout/fuzz/corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  cp "$checkout/fuzz/$target.dict" "$checkout/fuzz/$target.options" "$OUT/"
done
echo "build.sh: ${#targets[@]} targets in $OUT: ${targets[*]}"
