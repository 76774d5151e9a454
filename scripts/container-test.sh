#!/usr/bin/env bash
# Builds the pbxmock image (scripts/container/Dockerfile) with podman and checks it the way a
# front-end developer uses it: a port mapping, the admin key from the environment, a mounted
# scenario with --watch, a non-root user, SIGTERM, the image's size.
#   scripts/container-test.sh                 make the Debian base images if missing, build, check
#   scripts/container-test.sh --image NAME    only check an image built elsewhere
#                                             (PBXMOCK_CONTAINER_ENGINE=docker in the workflow)
# The base images debian:12 and debian:12-slim are made here from Debian's packages with
# mmdebstrap and tagged as the names the Dockerfile uses (docker.io/library/...), so the same
# Dockerfile builds here and on GitHub; they are made once and kept. Their apt sources are this
# machine's (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list), so apt-get in the
# build reaches the mirror this machine uses; PBXMOCK_DEBIAN_SOURCES names another file.
# Each check prints ok or FAILED; the last line is `container: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

image=
if [[ ${1:-} == --image ]]; then
  image=${2:?--image needs a NAME}
fi
max_image_mb=100
admin_key=container-test-key-0123456789
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }
not() { ! "$@"; }
check() {  # description, then a command that succeeds when the check holds
  local what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
finish() {
  echo "container: $passed passed, $failed failed"
  ((failed == 0))
  exit
}

sudo=()
((EUID == 0)) || sudo=(sudo)
# runc: crun refuses the cgroup layout of some hosts. The limits must stay under the host's
# hard limits, or the runtime refuses to start the container.
engine_name=${PBXMOCK_CONTAINER_ENGINE:-podman}
if [[ $engine_name == podman ]]; then
  engine=("${sudo[@]}" podman --runtime runc)
  read -r -a limits <<<"${PBXMOCK_CONTAINER_ULIMITS:---ulimit nofile=20000:20000 --ulimit nproc=1000:1000}"
else
  engine=("$engine_name")
  read -r -a limits <<<"${PBXMOCK_CONTAINER_ULIMITS:-}"
fi
if ! command -v "$engine_name" >/dev/null || ! command -v curl >/dev/null; then
  bad "$engine_name and curl are needed (scripts/setup.sh --container)"
  finish
fi

# --- the base images and the build (not with --image) ---------------------------------------

debian_sources() {  # the file whose sources the base images get
  local f
  for f in "${PBXMOCK_DEBIAN_SOURCES:-}" /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [[ -n $f && -s $f ]] && grep -qE '^[^#]*(deb|URIs:)' "$f" && { echo "$f"; return; }
  done
  echo http://deb.debian.org/debian  # mmdebstrap's own default
}

make_base_images() {
  if "${engine[@]}" image exists docker.io/library/debian:12 &&
     "${engine[@]}" image exists docker.io/library/debian:12-slim; then
    echo "base images debian:12 and debian:12-slim: kept from an earlier run"
    return 0
  fi
  local rootfs sources started
  started=$SECONDS
  rootfs=$(mktemp -d)
  sources=$(debian_sources)
  echo "making debian:12 and debian:12-slim with mmdebstrap from $sources"
  # merged-usr sets up Debian 12's merged /usr without the usrmerge package (and its perl).
  if ! "${sudo[@]}" mmdebstrap --quiet --variant=minbase --format=directory \
         --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr bookworm "$rootfs" "$sources" >"$logs/mmdebstrap.log" 2>&1; then
    tail -20 "$logs/mmdebstrap.log"
    "${sudo[@]}" rm -rf "$rootfs"
    return 1
  fi
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
                 --change 'CMD ["bash"]')
  "${sudo[@]}" tar -C "$rootfs" -c . | "${engine[@]}" import --quiet "${changes[@]}" - docker.io/library/debian:12 >/dev/null &&
  # -slim as Debian's own images make it: no documentation, manual pages or translations, now
  # or from packages installed later.
  "${sudo[@]}" bash -c '
    cd "$1" &&
    find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete &&
    find usr/share/doc -mindepth 1 -type d -empty -delete &&
    rm -rf usr/share/man/* usr/share/info/* usr/share/groff/* usr/share/lintian/* usr/share/linda/* &&
    find usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + &&
    printf "%s\n" "path-exclude /usr/share/doc/*" "path-include /usr/share/doc/*/copyright" \
      "path-exclude /usr/share/man/*" "path-exclude /usr/share/groff/*" "path-exclude /usr/share/info/*" \
      "path-exclude /usr/share/lintian/*" "path-exclude /usr/share/linda/*" \
      "path-exclude /usr/share/locale/*" "path-include /usr/share/locale/locale.alias" \
      >etc/dpkg/dpkg.cfg.d/docker' _ "$rootfs" &&
  "${sudo[@]}" tar -C "$rootfs" -c . | "${engine[@]}" import --quiet "${changes[@]}" - docker.io/library/debian:12-slim >/dev/null
  local status=$?
  "${sudo[@]}" rm -rf "$rootfs"
  echo "base images made in $((SECONDS - started)) s"
  return $status
}

logs=$PWD/build/logs
mkdir -p "$logs"
if [[ -z $image ]]; then
  image=localhost/pbxmock:test
  if ! make_base_images; then
    bad "making the Debian base images with mmdebstrap"
    finish
  fi
  started=$SECONDS
  log=$logs/container-build.log
  # --format docker keeps the HEALTHCHECK (the OCI image format has none); --network host lets
  # apt-get in the build reach the mirror the way this machine does.
  if "${engine[@]}" build --format docker --network host "${limits[@]}" \
       --ignorefile scripts/container/Dockerfile.dockerignore -f scripts/container/Dockerfile \
       -t "$image" . >"$log" 2>&1; then
    ok "image built in $((SECONDS - started)) s"
  else
    tail -40 "$log"
    bad "podman build (log: $log)"
    finish
  fi
fi

# --- the checks --------------------------------------------------------------------------------

size=$("${engine[@]}" image inspect --format '{{.Size}}' "$image" 2>/dev/null || echo 0)
size_mb=$(((size + 999999) / 1000000))
check "image size ${size_mb} MB (under $max_image_mb MB)" test "$size" -gt 0 -a "$size_mb" -lt "$max_image_mb"

scratch=$(mktemp -d)
containers=()
cleanup() {
  local c
  for c in "${containers[@]+"${containers[@]}"}"; do "${engine[@]}" rm -f "$c" >/dev/null 2>&1; done
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() {  # a loopback port nothing answers on, below the range of outgoing connections' ports
  local port low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  ((low > 12000)) || low=61000
  for _ in $(seq 50); do
    port=$((10000 + RANDOM % (low - 10000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo 0
}

start() {  # name, then arguments to `run` before the image and after it (split by --); prints the port
  local name=$1 before=() port
  shift
  while [[ $# -gt 0 && $1 != -- ]]; do before+=("$1"); shift; done
  shift
  # A port another program takes between the probe and the run: another port, up to 5 times.
  # (podman on a host without systemd complains that it cannot time the HEALTHCHECK; the
  # check below runs it by hand, so that noise is kept out of the output.)
  local tries=0
  while true; do
    port=$(free_port)
    "${engine[@]}" rm -f "$name" >/dev/null 2>&1
    "${engine[@]}" run -d --name "$name" "${limits[@]}" -p "127.0.0.1:$port:8887" "${before[@]}" "$image" "$@" \
      >/dev/null 2>"$scratch/run-$name.err" && break
    tries=$((tries + 1))
    if ((tries == 5)) || ! grep -q 'address already in use' "$scratch/run-$name.err"; then
      cat "$scratch/run-$name.err" >&2
      return 1
    fi
  done
  # Up within 20 s: the mock answers GET / (open without the key).
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && { echo "$port"; return 0; }
    sleep 0.2
  done
  "${engine[@]}" logs "$name" >&2
  return 1
}

# The image as published: default CMD, key from the environment.
name=pbxmock-test-$$
containers+=("$name")  # here, not in start(): that runs in a subshell, $(...)
if ! port=$(start "$name" -e "PBXMOCK_ADMIN_KEY=$admin_key" --); then
  bad "the container did not answer on a mapped port"
  finish
fi
base=http://127.0.0.1:$port
ok "serving on $base (127.0.0.1:$port -> 8887)"

answer() {  # curl arguments; prints the status line's code, then the body
  curl -s -o "$scratch/body" -w '%{http_code}' "$@"
  echo
  cat "$scratch/body"
}
sign_in() {  # base, username, password: 0 when it answers 200 with both tokens
  local reply
  reply=$(answer -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\",\"domain\":\"pbx.example.com\"}" "$1/api/auth/sign_in")
  [[ ${reply%%$'\n'*} == 200 && $reply == *'"access_token":"'* && $reply == *'"refresh_token":"'* ]]
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

check "GET /api/info answers 200" test "$(status_of "$base/api/info")" = 200
check "alice signs in: 200 with an access and a refresh token" sign_in "$base" alice alice-secret
check "the admin API refuses a request without the key: 401" test "$(status_of "$base/__admin/health")" = 401
check "the admin API refuses a wrong key: 401" \
  test "$(status_of -H 'X-Admin-Key: not-the-key-0123456789' "$base/__admin/health")" = 401
health=$(answer -H "X-Admin-Key: $admin_key" "$base/__admin/health")
check "the admin API answers with PBXMOCK_ADMIN_KEY: 200 $(tail -1 <<<"$health")" \
  test "${health%%$'\n'*}" = 200 -a -n "$(grep -F '"status":"ok"' <<<"$health")"
ui=$(answer "$base/__admin/ui/")
check "the admin page /__admin/ui/ loads" test "${ui%%$'\n'*}" = 200 -a -n "$(grep -F '<title>pbxmock admin</title>' <<<"$ui")"

# The server is PID 1 of the container, under a user that is not root.
uids=$("${engine[@]}" exec "$name" bash -c 'echo "$(cat /proc/1/comm) $(grep ^Uid: /proc/1/status)"' 2>/dev/null)
check "PID 1 is pbxmock, not root: $uids" test -n "$(grep -E '^pbxmock Uid:\s+[1-9][0-9]*\s+[1-9][0-9]*\s+[1-9]' <<<"$uids")"

# The HEALTHCHECK is in the image, passes, and fails when the mock refuses its key.
if [[ $engine_name == podman ]]; then
  quietly() { "$@" >/dev/null 2>&1; }
  check "HEALTHCHECK passes (podman healthcheck run)" quietly "${engine[@]}" healthcheck run "$name"
else
  healthy() {
    for _ in $(seq 60); do
      [[ $("${engine[@]}" inspect --format '{{.State.Health.Status}}' "$name") == healthy ]] && return 0
      sleep 1
    done
    return 1
  }
  check "HEALTHCHECK reports healthy" healthy
fi
check "the health probe fails against a mock that refuses its key" \
  not "${engine[@]}" exec -e PBXMOCK_ADMIN_KEY=some-other-key-0123456789 "$name" pbxmock-healthcheck

# SIGTERM to PID 1 (what `stop` sends): gone within 2 s, exit status 0, no SIGKILL needed.
stop_started=$(date +%s%N)
"${engine[@]}" stop --time 10 "$name" >/dev/null 2>&1
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
exit_code=$("${engine[@]}" inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null)
check "SIGTERM ends it in ${stop_ms} ms (under 2000), exit status ${exit_code:-?}" \
  test "$stop_ms" -lt 2000 -a "${exit_code:-1}" = 0
logs_say() { "${engine[@]}" logs "$1" 2>&1 | grep -qE "$2"; }  # container, pattern
check "it said it stopped" logs_say "$name" "pbxmock: stopped"

# A scenario folder mounted at /scenarios, served with --watch: an edit is picked up. The folder,
# not the file, is mounted: an editor that saves by replacing the file makes a new inode, which
# a single-file bind mount would never show.
mkdir -p "$scratch/scenarios"
write_scenario() {  # a user name: the scenario's only tenant user
  cat >"$scratch/scenarios/next.yaml" <<EOF
name: mounted
description: A scenario from the container test's mounted folder.
tenants:
  - name: Mounted Corp
    domain: pbx.example.com
    users:
      - username: $1
        password: $1-secret
        email: $1@example.com
EOF
  # Saved the way many editors save: a new file renamed over the old one.
  mv "$scratch/scenarios/next.yaml" "$scratch/scenarios/mine.yaml"
}
write_scenario erin
chmod 755 "$scratch" "$scratch/scenarios"
chmod 644 "$scratch/scenarios/mine.yaml"
watched=pbxmock-test-watch-$$
containers+=("$watched")
# :z relabels the folder for SELinux hosts; elsewhere it is ignored.
if port=$(start "$watched" -e "PBXMOCK_ADMIN_KEY=$admin_key" -v "$scratch/scenarios:/scenarios:ro,z" -- \
            serve --host 0.0.0.0 --scenario /scenarios/mine.yaml --watch); then
  base=http://127.0.0.1:$port
  check "the mounted scenario is served: erin signs in" sign_in "$base" erin erin-secret
  check "the mounted scenario replaced the default: alice is refused" not sign_in "$base" alice alice-secret
  sleep 1.1  # a new modification time even on a file system with one-second times
  write_scenario frank
  picked_up() {
    for _ in $(seq 50); do
      sign_in "$base" frank frank-secret && return 0
      sleep 0.2
    done
    return 1
  }
  check "an edit of the mounted scenario is picked up (--watch): frank signs in" picked_up
  check "the reload is logged" logs_say "$watched" "reloaded scenario 'mounted'"
else
  bad "the container with a mounted scenario did not answer"
fi

finish
