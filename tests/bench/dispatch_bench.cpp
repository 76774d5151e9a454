// One request through the server, counting the heap allocations it makes (the counter
// `allocs`, per request): BM_path_* from the request's bytes to the answer's (the
// RequestReader, the request view, the dispatcher and the response writer: the steps the
// connection loop takes); BM_dispatch_* from the parsed request on (view, dispatcher, writer).
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <benchmark/benchmark.h>

#include "mock/admin/admin_api.h"
#include "mock/http/dispatcher.h"
#include "mock/http/http_service.h"
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
        admin(AdminContext{holder, journal, outbox, clock, std::chrono::steady_clock::now(), nullptr, {}}),
        dispatcher(DispatcherParts{holder, admin, gate, journal, log, clock}),
        service(dispatcher, settings) {}
  Clock clock;
  Outbox outbox;
  RequestJournal journal;
  AccessLog log{LogFormat::text, false};
  AdminGate gate{""};
  MockHolder holder;
  AdminApi admin;
  Dispatcher dispatcher;
  LoopSettings settings;
  HttpService service;
};

std::string request(const std::string& method, const std::string& target, const std::string& body) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8887\r\nUser-Agent: Mozilla/5.0\r\n"
                  "Accept: application/json\r\n";
  if (!body.empty()) r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

int status_of(const std::string& answer) { return answer.size() > 12 ? std::stoi(answer.substr(9, 3)) : 0; }

void run(benchmark::State& state, bool with_rule, const std::string& bytes, int expected_status) {
  Server server(with_rule);
  ConnectionInfo connection;
  connection.remote = Endpoint{"127.0.0.1", 40000};
  ConnectionSteps steps(server.settings, server.service.serve_function(), server.service.refuse_function());
  std::size_t counted = 0;
  std::string in;
  for (auto _ : state) {
    in.assign(bytes);
    const std::size_t before = allocations.load(std::memory_order_relaxed);
    ConnectionSteps::Step step = steps.next(in, connection, false);
    counted += allocations.load(std::memory_order_relaxed) - before;
    if (status_of(step.served.bytes) != expected_status) {
      state.SkipWithError(("answer " + step.served.bytes.substr(0, 12)).c_str());
    }
    benchmark::DoNotOptimize(step);
  }
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(counted) / static_cast<double>(state.iterations()));
}

const std::string kInfo = request("GET", "/api/info?domain=pbx.example.com", "");
const std::string kSignIn =
    request("POST", "/api/auth/sign_in", R"({"username":"alice","password":"wrong","domain":"pbx.example.com"})");
const std::string kSignInOk =
    request("POST", "/api/auth/sign_in", R"({"username":"alice","password":"alice-secret","domain":"pbx.example.com"})");

// The dispatcher's part alone, the scope this benchmark measured before the one path (the
// request already parsed): the view (with its copy of the headers), the dispatcher, the
// response writer.
void run_dispatch(benchmark::State& state, bool with_rule, const std::string& bytes, int expected_status) {
  Server server(with_rule);
  RequestReader reader;
  reader.feed(bytes);
  const ReadRequest request = reader.take();
  std::size_t counted = 0;
  for (auto _ : state) {
    const std::size_t before = allocations.load(std::memory_order_relaxed);
    std::string answer;
    {
      const pbxmock::spec::RequestView view(request.method, request.target, request.headers, request.body);
      auto begun = server.dispatcher.begin(view, Incoming{request.headers, "127.0.0.1"});
      write_reply(std::get<Outgoing>(begun).reply, Framing{}, answer);
    }
    counted += allocations.load(std::memory_order_relaxed) - before;
    if (status_of(answer) != expected_status) state.SkipWithError(("answer " + answer.substr(0, 12)).c_str());
    benchmark::DoNotOptimize(answer);
  }
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(counted) / static_cast<double>(state.iterations()));
}

void BM_path_info(benchmark::State& state) { run(state, false, kInfo, 200); }
BENCHMARK(BM_path_info);
void BM_path_sign_in(benchmark::State& state) { run(state, false, kSignInOk, 200); }
BENCHMARK(BM_path_sign_in);
void BM_dispatch_info(benchmark::State& state) { run_dispatch(state, false, kInfo, 200); }
BENCHMARK(BM_dispatch_info);
void BM_dispatch_info_with_body_rule(benchmark::State& state) { run_dispatch(state, true, kInfo, 200); }
BENCHMARK(BM_dispatch_info_with_body_rule);
void BM_dispatch_sign_in_refused(benchmark::State& state) { run_dispatch(state, false, kSignIn, 400); }
BENCHMARK(BM_dispatch_sign_in_refused);
void BM_dispatch_sign_in_refused_with_body_rule(benchmark::State& state) { run_dispatch(state, true, kSignIn, 400); }
BENCHMARK(BM_dispatch_sign_in_refused_with_body_rule);

}  // namespace
