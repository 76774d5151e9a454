#!/usr/bin/env bash
# Installs the Debian packages pbxmock needs that are missing. Idempotent, quiet, and
# fast when everything is already there (it asks dpkg first and apt only for what lacks).
#   scripts/setup.sh              build and test dependencies
#   scripts/setup.sh --bench      also what scripts/bench.sh compares against (wrk, nginx, Java)
#   scripts/setup.sh --container  also what scripts/container-test.sh needs (podman, runc, mmdebstrap)
#   scripts/setup.sh --build      only what building the `pbxmock` program needs (the image's build stage)
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config
  libcpp-httplib-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libssl-dev
  libre2-dev                            # linear-time regexes for patterns from outside
)
packages=(
  "${build_packages[@]}"
  clang-14 libclang-rt-14-dev llvm-14   # libFuzzer, sanitizer runtimes, llvm-symbolizer
  libgtest-dev librapidcheck-dev libbenchmark-dev
  nodejs npm                            # the OpenAPI linter (npx @redocly/cli)
  libxml2-utils curl                    # xmllint for JUnit output; curl for smoke checks
  zip unzip                             # seed corpora as OSS-Fuzz wants them (clusterfuzzlite-emulate)
  chromium                              # the admin page's browser tests (tests/browser)
)
case ${1:-} in
  --bench) packages+=(wrk nginx-light default-jre-headless procps bc) ;;
  # Rootful podman with its default CNI bridge (port mappings); runc because crun refuses
  # some hosts' cgroup layout; mmdebstrap makes the Debian base images from Debian's packages.
  --container) packages+=(podman runc mmdebstrap) ;;
  --build) packages=("${build_packages[@]}") ;;
esac

missing=()
for p in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
# node and npm may come from outside Debian's packages (e.g. NodeSource's nodejs bundles npm):
# a working npx is what counts.
if command -v npx >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core, pinned by tests/browser/package-lock.json, drives Debian's chromium; it
# never downloads a browser of its own.
browser_tests="$(dirname "$0")/../tests/browser"
if [[ ${1:-} != --build && ! -f $browser_tests/node_modules/playwright-core/package.json ]]; then
  echo "setup: installing playwright-core into tests/browser/node_modules"
  (cd "$browser_tests" && npm ci --no-audit --no-fund --silent)
fi
