// One request through the whole dispatcher, as cpp-httplib hands it over (pre-routing
// handler, then the error handler for a request with a body), counting the heap
// allocations it makes: the figure the single request view is meant to lower.
// Reported per request as the counter `allocs`.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <benchmark/benchmark.h>

#include "mock/admin/admin_api.h"
#include "mock/http/dispatcher.h"
#include "mock/scenario/scenario_loader.h"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// Counting every allocation of the program; the benchmark reads the difference around a
// request. (Replacing the global operator new is what the standard offers for this.) GCC,
// seeing malloc and free through the inlined replacements, takes them for a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace pbxmock::mock;

// A scenario with one body rule that never matches: every request pays for the rules' view.
std::string scenario_text(bool with_rule) {
  std::string text(*builtin_scenario("default"));
  if (with_rule) {
    const std::size_t at = text.rfind("rules: []");
    text.replace(at, 9, "rules:\n  - match: {body: {/username: {regex: \"^zzz\"}}}\n    respond: {status: 418}\n");
  }
  return text;
}

struct Server {
  explicit Server(bool with_rule)
      : holder(std::move(load_scenario(scenario_text(with_rule), "bench.yaml")).value(), clock, outbox),
        admin(AdminContext{holder, journal, outbox, clock, std::chrono::steady_clock::now()}),
        dispatcher(DispatcherParts{holder, admin, gate, journal, log, clock}) {}
  Clock clock;
  Outbox outbox;
  RequestJournal journal;
  AccessLog log{LogFormat::text, false};
  AdminGate gate{""};
  MockHolder holder;
  AdminApi admin;
  Dispatcher dispatcher;
};

httplib::Request request(std::string method, std::string target, std::string body) {
  httplib::Request r;
  r.method = std::move(method);
  r.target = target;
  r.path = target.substr(0, target.find('?'));
  r.remote_addr = "127.0.0.1";
  r.headers.emplace("Host", "127.0.0.1:8887");
  r.headers.emplace("User-Agent", "Mozilla/5.0");
  r.headers.emplace("Accept", "application/json");
  if (!body.empty()) {
    r.headers.emplace("Content-Type", "application/json");
    r.headers.emplace("Content-Length", std::to_string(body.size()));
    r.body = std::move(body);
  }
  return r;
}

void run(benchmark::State& state, bool with_rule, const httplib::Request& r, int expected_status) {
  Server server(with_rule);
  std::size_t counted = 0;
  for (auto _ : state) {
    httplib::Response response;
    const std::size_t before = allocations.load(std::memory_order_relaxed);
    if (server.dispatcher.on_pre_routing(r, response) == httplib::Server::HandlerResponse::Unhandled) {
      response.status = 404;  // what httplib does with a read body no route took
      server.dispatcher.on_error(r, response);
    }
    counted += allocations.load(std::memory_order_relaxed) - before;
    if (response.status != expected_status) state.SkipWithError(("status " + std::to_string(response.status)).c_str());
    benchmark::DoNotOptimize(response);
  }
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(counted) / static_cast<double>(state.iterations()));
}

const httplib::Request kInfo = request("GET", "/api/info?domain=pbx.example.com", "");
const httplib::Request kSignIn =
    request("POST", "/api/auth/sign_in", R"({"username":"alice","password":"wrong","domain":"pbx.example.com"})");

void BM_dispatch_info(benchmark::State& state) { run(state, false, kInfo, 200); }
BENCHMARK(BM_dispatch_info);
void BM_dispatch_info_with_body_rule(benchmark::State& state) { run(state, true, kInfo, 200); }
BENCHMARK(BM_dispatch_info_with_body_rule);
void BM_dispatch_sign_in_refused(benchmark::State& state) { run(state, false, kSignIn, 400); }
BENCHMARK(BM_dispatch_sign_in_refused);
void BM_dispatch_sign_in_refused_with_body_rule(benchmark::State& state) { run(state, true, kSignIn, 400); }
BENCHMARK(BM_dispatch_sign_in_refused_with_body_rule);

}  // namespace
