#!/usr/bin/env bash
# Benchmarks, in a Release build. Nothing here is a test: it measures and prints.
#   scripts/bench.sh          everything below
#   scripts/bench.sh micro    Google Benchmark programs (parsers, spec loading, request parsing)
#   scripts/bench.sh http     loopback HTTP throughput of pbxmock against WireMock 3.13, Prism 5 and nginx
#                             under `wrk -t2 -c32`: requests a second and the server's own CPU time a
#                             request; then start-up time and resident memory
#   scripts/bench.sh compare OLD [NEW]
#                             two pbxmock binaries and nginx, alternating in one run (BENCH_ROUNDS rounds,
#                             default 3): GET /api/info, a real sign-in, and GET with the access log on,
#                             requests a second and CPU time a request of each
#   scripts/bench.sh proxy [PBXMOCK]
#                             `pbxmock proxy` in front of `pbxmock serve` against the mock alone,
#                             alternating in one run (BENCH_ROUNDS rounds, default 3): GET /api/info and
#                             a real sign-in, under load (wrk -t2 -c32) and one request at a time
#                             (-t1 -c1): requests a second, latency p50 and p99, what the proxy adds, and
#                             the CPU time a request of the proxy and of the mock behind it
#   scripts/bench.sh fuzz     `pbxmock fuzz` against the mock: 100 examples x 15 operations with
#                             --workers 2 (time, requests a second), then the vendor's document
#                             against `pbxmock serve --spec` of it (failures by check)
# BENCH_SECONDS (default 10) is the length of each wrk run.
#
# Each server runs in a session of its own (setsid): in wrk's session the kernel's autogroup
# scheduling shares the CPU differently, and requests a second move with it (by 1.5x on two
# cores). The fair figure is the server's own CPU time a request: user + system time of all
# its threads (for nginx, of its master and workers) from /proc/PID/stat, before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
seconds=${BENCH_SECONDS:-10}
shared=${PBXMOCK_SHARED_DIR:-$root/../shared}

# `fuzz` needs neither wrk, nginx nor Java, nor the benchmark programs: only the pbxmock binary.
if [[ $what == compare ]]; then
  old_mock=${2:?usage: scripts/bench.sh compare OLD_PBXMOCK [NEW_PBXMOCK]}
  new_mock=${3:-}
fi
if [[ $what == proxy ]]; then
  new_mock=${2:-}
fi
if [[ ($what == compare || $what == proxy) && -n $new_mock ]]; then
  :  # the binaries given: nothing to build
else
if [[ $what == fuzz ]]; then ./scripts/setup.sh; else ./scripts/setup.sh --bench; fi
cmake -S . -B build/bench -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
  -DPBXMOCK_BUILD_TESTS=OFF -DPBXMOCK_BUILD_BENCHMARKS=ON >/dev/null
if [[ $what == fuzz || $what == compare || $what == proxy ]]; then cmake --build build/bench --target pbxmock; else cmake --build build/bench; fi
fi

if [[ $what == all || $what == micro ]]; then
  for bench in build/bench/tests/bench/*_bench; do
    echo "== $(basename "$bench")"
    PBXMOCK_SHARED_DIR=$shared "$bench" --benchmark_min_time=0.5
  done
fi
[[ $what == all || $what == http || $what == fuzz || $what == compare || $what == proxy ]] || exit 0

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers drop root and must still read the files
pids=()
cleanup() {
  for pid in "${pids[@]}" $(cat "$work"/*.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Waits until URL answers 2xx; prints the milliseconds it took since $2 (date +%s%N).
wait_ready() {  # url started [pid: give up once it has ended]
  local url=$1 started=$2 pid=${3:-} deadline=$((SECONDS + 60))
  until curl -fso /dev/null "$url"; do
    ((SECONDS < deadline)) || { echo "not ready: $url" >&2; return 1; }
    [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || { echo "ended before it was ready: $url" >&2; return 1; }
    sleep 0.002
  done
  echo $((($(date +%s%N) - started) / 1000000))
}

mock=$root/build/bench/mock/pbxmock
[[ ($what == compare || $what == proxy) && -n $new_mock ]] && mock=$new_mock
sign_in_body=${BENCH_SIGN_IN_BODY:-'{"username":"alice","password":"alice-secret","domain":"pbx.example.com"}'}

ticks_per_second=$(getconf CLK_TCK)
# User + system CPU ticks of a process and its children (nginx's workers), all threads.
cpu_ticks() {  # pid
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    # Fields 14 and 15 after the ")" that ends the command name.
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
# One wrk run against a server: "<requests a second> <latency p50 us> <p99 us>", then the CPU
# time a request (microseconds) of each server in pids, in their order.
wrk_run() {  # pids(space-separated, one word) url post-body("" for GET) [wrk load arguments, default -t2 -c32]
  local servers=$1 url=$2 body=$3 out requests pid used=()
  shift 3
  local load=(-t2 -c32)
  (($# == 0)) || load=("$@")
  for pid in $servers; do used+=("$(cpu_ticks "$pid")"); done
  if [[ -n $body ]]; then
    out=$(WRK_BODY=$body wrk "${load[@]}" -d"${seconds}s" --latency -s scripts/bench/post_json.lua "$url")
  else
    out=$(wrk "${load[@]}" -d"${seconds}s" --latency "$url")
  fi
  local i=0
  for pid in $servers; do used[i]=$(($(cpu_ticks "$pid") - used[i])); ((++i)); done
  if grep -q 'Non-2xx' <<<"$out"; then echo "warning: non-2xx answers from $url" >&2; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # wrk prints a latency as 588.00us, 2.30ms or 1.02s.
  awk -v r="$requests" -v ticks="${used[*]}" -v hz="$ticks_per_second" '
    function us(v) {
      if (v ~ /us$/) return v + 0
      if (v ~ /ms$/) return v * 1000
      if (v ~ /m$/) return v * 60e6
      return v * 1e6
    }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    /Requests\/sec/ { rate = $2 }
    END {
      printf "%d %.0f %.0f", rate, p50, p99
      n = split(ticks, t, " ")
      for (i = 1; i <= n; ++i) printf " %.1f", (r > 0 ? t[i] * 1e6 / hz / r : 0)
      printf "\n"
    }' <<<"$out"
}
# "<requests a second> <server CPU microseconds a request>" of one wrk run against a server.
rps() {  # pid url [post-body]
  local rate p50 p99 us
  read -r rate p50 p99 us < <(wrk_run "$1" "$2" "${3:-}")
  echo "$rate $us"
}
# Starts a server in a session of its own, its output to a log file; prints its pid (the
# server's, not setsid's).
start_alone() {  # log-file command...
  local file=$1.pid log=$1
  shift
  rm -f "$file"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$file" "$@" >"$log" 2>&1 </dev/null &
  local waited=0
  until [[ -s $file ]]; do sleep 0.01; ((++waited < 500)) || return 1; done
  cat "$file"
}
stop() {  # pid: the machine is left to the next server alone
  kill "$1" 2>/dev/null || true
  local waited=0
  while kill -0 "$1" 2>/dev/null && ((waited++ < 500)); do sleep 0.01; done
}
started() {  # pid url: a server just started in the background, ready once url answers
  pids+=("$1")
  wait_ready "$2" "$(date +%s%N)" "$1" >/dev/null
}
measure() {  # name pid info-url sign-in-url: sets <name>_info and <name>_sign_in ("rps us"), then stops it
  printf -v "$1_info" '%s' "$(rps "$2" "$3")"
  printf -v "$1_sign_in" '%s' "$(rps "$2" "$4" "$sign_in_body")"
  stop "$2"
}

if [[ $what == proxy ]]; then
  rounds=${BENCH_ROUNDS:-3}
  # Starts `$mock ARGS --port P --quiet` in a session of its own and sets <name>_pid and
  # <name>_port once it answers. A port free a moment ago may be taken by then: try another.
  serve_alone() {  # name args...
    local name=$1 port pid tries=0
    shift
    while :; do
      port=$(free_port)
      pid=$(start_alone "$work/$name.log" "$mock" "$@" --port "$port" --quiet)
      started "$pid" "http://127.0.0.1:$port/__admin/health" 2>/dev/null && break
      stop "$pid"
      ((++tries < 3)) || { cat "$work/$name.log" >&2; return 1; }
    done
    printf -v "${name}_pid" '%s' "$pid"
    printf -v "${name}_port" '%s' "$port"
  }
  # Both stay up for the whole run; while one is measured the other idles.
  upstream_pid='' upstream_port='' proxy_pid='' proxy_port=''
  serve_alone upstream serve
  serve_alone proxy proxy --upstream "http://127.0.0.1:$upstream_port"
  direct=http://127.0.0.1:$upstream_port
  proxied=http://127.0.0.1:$proxy_port
  if ! curl -fs -H 'Content-Type: application/json' -d "$sign_in_body" "$proxied/api/auth/sign_in" |
    grep -q '"access_token"'; then
    echo "no sign-in through the proxy: $proxied/api/auth/sign_in" >&2
    exit 1
  fi
  # The proxy's pool of upstream connections and its workers fill up on the first requests.
  wrk -t2 -c32 -d1s "$proxied/api/info" >/dev/null
  echo "== proxy: $rounds rounds, wrk -d${seconds}s --latency each, alternating the mock alone and the proxy in front of it"
  echo "mock: $mock"
  results=$work/proxy-results
  : >"$results"
  loads=("-t2 -c32" "-t1 -c1")
  for ((round = 1; round <= rounds; ++round)); do
    echo "-- round $round"
    for load in "${loads[@]}"; do
      for request in get sign_in; do
        path=/api/info body=
        [[ $request == get ]] || { path=/api/auth/sign_in body=$sign_in_body; }
        for via in direct proxy; do
          if [[ $via == direct ]]; then
            # shellcheck disable=SC2086  # $load is wrk's arguments
            read -r rate p50 p99 cpu_mock < <(wrk_run "$upstream_pid" "$direct$path" "$body" $load)
            cpu="mock $cpu_mock"
          else
            # shellcheck disable=SC2086
            read -r rate p50 p99 cpu_proxy cpu_mock < <(wrk_run "$proxy_pid $upstream_pid" "$proxied$path" "$body" $load)
            cpu="proxy $cpu_proxy + mock $cpu_mock"
          fi
          printf '%-8s %-8s %-10s %7s req/s  p50 %6s us  p99 %6s us  CPU us/request: %s\n' \
            "$request" "${load#* }" "$via" "$rate" "$p50" "$p99" "$cpu"
          echo "$request ${load#* } $via $rate $p50 $p99 $cpu_mock ${cpu_proxy:-0}" >>"$results"
          cpu_proxy=
        done
      done
    done
  done
  echo
  echo "means over $rounds rounds of wrk -d${seconds}s --latency"
  printf '%-22s %-24s | %-22s | %-22s | %s\n' "" "      requests/s" "  latency p50 (us)" "  latency p99 (us)" \
    "CPU us/request"
  printf '%-22s %8s %8s %6s | %7s %7s %6s | %7s %7s %6s | %6s %6s %6s\n' "" "mock" "proxied" "ratio" \
    "mock" "proxied" "added" "mock" "proxied" "added" "mock" "proxy" "behind"
  awk '
    { key = $1 " " $2 " " $3; n[key]++; rate[key] += $4; p50[key] += $5; p99[key] += $6; mock[key] += $7; proxy[key] += $8 }
    function row(label, request, load,   d, p, m) {
      d = request " " load " direct"; p = request " " load " proxy"
      if (!n[d] || !n[p]) return
      printf "%-22s %8d %8d %6.2f | %7d %7d %+6d | %7d %7d %+6d | %6.1f %6.1f %6.1f\n", label,
        rate[d] / n[d], rate[p] / n[p], (rate[d] ? rate[p] / rate[d] : 0),
        p50[d] / n[d], p50[p] / n[p], p50[p] / n[p] - p50[d] / n[d],
        p99[d] / n[d], p99[p] / n[p], p99[p] / n[p] - p99[d] / n[d],
        mock[d] / n[d], proxy[p] / n[p], mock[p] / n[p]
    }
    END {
      row("GET /api/info, -c32", "get", "-c32")
      row("sign-in, -c32", "sign_in", "-c32")
      row("GET /api/info, -c1", "get", "-c1")
      row("sign-in, -c1", "sign_in", "-c1")
    }' "$results"
  echo "(-c32: wrk -t2 -c32, the machine saturated; -c1: wrk -t1 -c1, one request at a time, where the"
  echo " added latency is the proxy's own; ratio: proxied req/s over the mock's alone; CPU: the mock"
  echo " alone, the proxy, and the mock behind the proxy, user + system time a request)"
  exit 0
fi

if [[ $what == all || $what == fuzz ]]; then
  fuzz_port=$(free_port)
  "$mock" serve --port "$fuzz_port" --quiet &
  fuzz_pid=$!
  started "$fuzz_pid" "http://127.0.0.1:$fuzz_port/__admin/health"
  echo "== fuzz: 100 examples x 15 operations (links followed), --workers 2, against the mock"
  fuzz_started=$(date +%s%N)
  "$mock" fuzz --target "http://127.0.0.1:$fuzz_port" --mock-admin --workers 2 --max-examples 100 --seed 1 \
    | grep -E '^links:|requests in|passed'
  echo "wall time: $((($(date +%s%N) - fuzz_started) / 1000000)) ms"
  echo "bars: at least 3000 requests a second; 100 examples x 15 operations under 10 s"
  stop "$fuzz_pid"
  vendor=$shared/portsip/openapi-22.0.json
  if [[ -f $vendor ]]; then
    fuzz_port=$(free_port)
    "$mock" serve --port "$fuzz_port" --quiet --spec "$vendor" &
    fuzz_pid=$!
    started "$fuzz_pid" "http://127.0.0.1:$fuzz_port/__admin/health"
    echo "== fuzz: the vendor's document against pbxmock serve --spec of it (findings about the document)"
    "$mock" fuzz --target "http://127.0.0.1:$fuzz_port" --spec "$vendor" --workers 2 --max-examples 10 \
      --time-limit 60 --seed 1 --report "$work/vendor-fuzz.json" | grep -E '^coverage|requests in|passed' || true
    python3 -c 'import collections, json, sys
r = json.load(open(sys.argv[1]))
kinds = collections.Counter(f["check"] for f in r["failures"])
for check, n in kinds.most_common(): print(f"  {check}: {n} distinct failures (operation, status)")' "$work/vendor-fuzz.json"
    stop "$fuzz_pid"
  fi
fi
[[ $what == all || $what == http || $what == compare ]] || exit 0

# Each server is measured alone, one after the other: the others are stopped, so nothing
# (WireMock's JIT compiler finishing in the background, say) takes CPU from the one measured.
mock_port=$(free_port)
mock_pid=$(start_alone "$work/mock.log" "$mock" serve --port "$mock_port" --quiet)
started "$mock_pid" "http://127.0.0.1:$mock_port/__admin/health"
info_body=$(curl -fs "http://127.0.0.1:$mock_port/api/info")
sign_in_answer=$(curl -fs -H 'Content-Type: application/json' -d "$sign_in_body" "http://127.0.0.1:$mock_port/api/auth/sign_in")

# nginx: the same two bodies as static files.
mkdir -p "$work/www/api/auth"
printf '%s' "$info_body" >"$work/www/api/info"
printf '%s' "$sign_in_answer" >"$work/www/api/auth/sign_in"
start_nginx() {  # prints the master's pid once it answers
  local port pid
  port=$(free_port)
  sed -e "s|@DIR@|$work|g" -e "s|@PORT@|$port|g" scripts/bench/nginx.conf.in >"$work/nginx.conf"
  pid=$(start_alone "$work/nginx.out" nginx -c "$work/nginx.conf" -p "$work")
  started "$pid" "http://127.0.0.1:$port/api/info"
  echo "$pid $port"
}

if [[ $what == compare ]]; then
  stop "$mock_pid"
  rounds=${BENCH_ROUNDS:-3}
  new_mock=${new_mock:-$mock}
  echo "== $rounds rounds, wrk -t2 -c32 -d${seconds}s each, alternating; req/s and server CPU us/request"
  echo "old: $old_mock"
  echo "new: $new_mock"
  mock_run() {  # label binary quiet(yes|no) what(get|sign_in)
    local port pid result quiet=() tries=0
    [[ $3 == yes ]] && quiet=(--quiet)
    # A port free a moment ago may be taken by the time the server binds it: try another.
    while :; do
      port=$(free_port)
      pid=$(start_alone "$work/$1.log" "$2" serve --port "$port" "${quiet[@]}")
      started "$pid" "http://127.0.0.1:$port/__admin/health" 2>/dev/null && break
      stop "$pid"
      ((++tries < 3)) || { cat "$work/$1.log" >&2; return 1; }
    done
    if [[ $4 == get ]]; then
      result=$(rps "$pid" "http://127.0.0.1:$port/api/info")
    else
      result=$(rps "$pid" "http://127.0.0.1:$port/api/auth/sign_in" "$sign_in_body")
    fi
    stop "$pid"
    printf '%-28s %8s req/s %7s us/request\n' "$1" ${result}
  }
  for ((round = 1; round <= rounds; ++round)); do
    echo "-- round $round"
    read -r nginx_pid nginx_port < <(start_nginx)
    printf '%-28s %8s req/s %7s us/request\n' "nginx GET" $(rps "$nginx_pid" "http://127.0.0.1:$nginx_port/api/info")
    stop "$nginx_pid"
    mock_run "old GET --quiet" "$old_mock" yes get
    mock_run "new GET --quiet" "$new_mock" yes get
    mock_run "old sign-in --quiet" "$old_mock" yes sign_in
    mock_run "new sign-in --quiet" "$new_mock" yes sign_in
    mock_run "old GET, access log on" "$old_mock" no get
    mock_run "new GET, access log on" "$new_mock" no get
  done
  exit 0
fi

measure mock "$mock_pid" "http://127.0.0.1:$mock_port/api/info" "http://127.0.0.1:$mock_port/api/auth/sign_in"
read -r nginx_pid nginx_port < <(start_nginx)
measure nginx "$nginx_pid" "http://127.0.0.1:$nginx_port/api/info" "http://127.0.0.1:$nginx_port/api/auth/sign_in"

# WireMock 3.13 standalone from the npm registry, request journal off, stubs for the same bodies.
wiremock_jar=$root/build/bench/node_modules/wiremock/build/wiremock-standalone-3.13.2.jar
if [[ ! -f $wiremock_jar ]]; then
  npm install --prefix build/bench --no-audit --no-fund --silent wiremock@3.13.2 >/dev/null
fi
wiremock_port=$(free_port)
mkdir -p "$work/wiremock/mappings"
json_string() {  # a JSON string literal holding $1
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
cat >"$work/wiremock/mappings/stubs.json" <<JSON
{"mappings": [
  {"request": {"method": "GET", "urlPath": "/api/info"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": $(json_string "$info_body")}},
  {"request": {"method": "POST", "url": "/api/auth/sign_in"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": $(json_string "$sign_in_answer")}}
]}
JSON
wiremock_pid=$(start_alone "$work/wiremock.log" java -jar "$wiremock_jar" --port "$wiremock_port" \
  --bind-address 127.0.0.1 --root-dir "$work/wiremock" --no-request-journal --disable-banner)
started "$wiremock_pid" "http://127.0.0.1:$wiremock_port/api/info"
# WireMock's JIT needs a warm-up to be judged fairly.
wrk -t2 -c32 -d5s "http://127.0.0.1:$wiremock_port/api/info" >/dev/null
WRK_BODY=$sign_in_body wrk -t2 -c32 -d5s -s scripts/bench/post_json.lua "http://127.0.0.1:$wiremock_port/api/auth/sign_in" >/dev/null
measure wiremock "$wiremock_pid" "http://127.0.0.1:$wiremock_port/api/info" \
  "http://127.0.0.1:$wiremock_port/api/auth/sign_in"

# Prism 5 (npm package @stoplight/prism-cli) mocking our own spec, log lines off. Prism serves
# the spec's paths without the server's base path, and answers from the spec's examples.
prism=$root/build/bench/node_modules/.bin/prism
if [[ ! -x $prism ]]; then
  npm install --prefix build/bench --no-audit --no-fund --silent @stoplight/prism-cli@5.16.0 >/dev/null
fi
prism_port=$(free_port)
prism_pid=$(start_alone "$work/prism.log" "$prism" mock spec/portsip-auth.yaml --host 127.0.0.1 --port "$prism_port" \
  --verboseLevel error)
started "$prism_pid" "http://127.0.0.1:$prism_port/info"
measure prism "$prism_pid" "http://127.0.0.1:$prism_port/info" "http://127.0.0.1:$prism_port/auth/sign_in"

echo
printf '%-24s %9s %9s %9s %9s %10s %9s %8s\n' "wrk -t2 -c32 -d${seconds}s" pbxmock wiremock prism nginx \
  "x wiremock" "x prism" "/ nginx"
report() {  # label field(1: req/s, 2: us/request) pbxmock wiremock prism nginx ("rps us" each)
  local label=$1 field=$2 a b c d
  a=$(cut -d' ' -f"$field" <<<"$3") b=$(cut -d' ' -f"$field" <<<"$4")
  c=$(cut -d' ' -f"$field" <<<"$5") d=$(cut -d' ' -f"$field" <<<"$6")
  if ((field == 1)); then
    printf '%-24s %9s %9s %9s %9s %10.2f %9.2f %8.2f\n' "$label" "$a" "$b" "$c" "$d" "$(bc -l <<<"$a / $b")" \
      "$(bc -l <<<"$a / $c")" "$(bc -l <<<"$a / $d")"
  else  # CPU time: lower is better, so the ratios are the others' over ours
    printf '%-24s %9s %9s %9s %9s %10.2f %9.2f %8.2f\n' "$label" "$a" "$b" "$c" "$d" "$(bc -l <<<"$b / $a")" \
      "$(bc -l <<<"$c / $a")" "$(bc -l <<<"$d / $a")"
  fi
}
report "GET /api/info (req/s)" 1 "$mock_info" "$wiremock_info" "$prism_info" "$nginx_info"
report "POST /api/auth/sign_in" 1 "$mock_sign_in" "$wiremock_sign_in" "$prism_sign_in" "$nginx_sign_in"
report "GET (CPU us/request)" 2 "$mock_info" "$wiremock_info" "$prism_info" "$nginx_info"
report "sign_in (CPU us/request)" 2 "$mock_sign_in" "$wiremock_sign_in" "$prism_sign_in" "$nginx_sign_in"
echo "(CPU rows: the server's user+system time a request; the ratio columns are theirs over pbxmock's)"
echo "bars: pbxmock >= 1.5x wiremock, >= 10x prism and >= 0.5x nginx on both"

echo
echo "start-up and memory (ready = first 200 from /__admin/health)"
startup() {  # label, then serve arguments
  local label=$1 port started ms pid
  shift
  port=$(free_port)
  started=$(date +%s%N)
  "$mock" serve --port "$port" --quiet "$@" >"$work/startup.log" 2>&1 &
  pid=$!
  ms=$(wait_ready "http://127.0.0.1:$port/__admin/health" "$started")
  printf '%-34s ready in %4d ms, resident %6d kB (peak %d kB)\n' "$label" "$ms" \
    "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" "$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
startup "default scenario"
startup "vendor spec (567 operations)" --spec "$shared/portsip/openapi-22.0.json"
echo "bars: ready within 100 ms (default) and 1000 ms (vendor spec); resident under 50 MB (51200 kB)"
