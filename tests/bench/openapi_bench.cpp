// Loading the vendor's full document (DESIGN.md bar: ready within 1 s and under 50 MB with
// it) and routing requests through it and through our own spec (on every request's path).
// The vendor file is read in place from $PBXMOCK_SHARED_DIR/portsip (else the folder beside
// the source tree), never copied.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "spec/openapi.h"

namespace {

using pbxmock::spec::OpenApiDocument;

std::string vendor_path() {
  const char* dir = std::getenv("PBXMOCK_SHARED_DIR");
  return std::string(dir != nullptr && *dir != '\0' ? dir : PBXMOCK_SHARED_FALLBACK) + "/portsip/openapi-22.0.json";
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

long current_rss_kb() {
  long pages = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

OpenApiDocument load_vendor(benchmark::State& state) {
  auto loaded = pbxmock::spec::load_openapi_file(vendor_path());
  if (!loaded) {
    state.SkipWithError(pbxmock::spec::to_string(loaded.error()).c_str());
    return std::move(pbxmock::spec::load_openapi("{\"openapi\":\"3.1.0\",\"paths\":{}}", "empty")).value();
  }
  return std::move(loaded).value();
}

// Registered first, so its first load is the first in the process: the growth of the peak
// resident size over that load is what one load costs at most.
void BM_load_vendor_document(benchmark::State& state) {
  static const long peak_before = peak_rss_kb();
  static long peak_growth = -1;
  static long kept = -1;
  for (auto _ : state) {
    const long rss_before = current_rss_kb();
    OpenApiDocument doc = load_vendor(state);
    if (kept < 0) {
      kept = current_rss_kb() - rss_before;
      peak_growth = peak_rss_kb() - peak_before;
    }
    benchmark::DoNotOptimize(doc.operations().size());
  }
  state.counters["operations"] = 567;
  state.counters["peak_rss_growth_MB"] = static_cast<double>(peak_growth) / 1024.0;
  state.counters["rss_kept_MB"] = static_cast<double>(kept) / 1024.0;
}
BENCHMARK(BM_load_vendor_document)->Unit(benchmark::kMillisecond)->Iterations(5);

const OpenApiDocument& vendor(benchmark::State& state) {
  static const OpenApiDocument doc = load_vendor(state);
  return doc;
}

void run_routes(benchmark::State& state, const OpenApiDocument& doc,
                const std::vector<std::pair<std::string, std::string>>& requests) {
  for (auto _ : state) {
    for (const auto& [method, path] : requests) benchmark::DoNotOptimize(doc.route(method, path));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * requests.size()));
}

void BM_route_vendor(benchmark::State& state) {
  run_routes(state, vendor(state),
             {{"GET", "/info"},
              {"POST", "/auth/sign_in"},
              {"POST", "/user/meetings/1234567890/participants/987/mute"},
              {"POST", "/user/meetings/1234567890/participants/invite"},
              {"GET", "/tenants/abc"},
              {"GET", "/auth/sign_in"},  // 405
              {"GET", "/no/such/path"}});  // 404
}
BENCHMARK(BM_route_vendor);

void BM_route_builtin(benchmark::State& state) {
  run_routes(state, pbxmock::spec::builtin_spec(),
             {{"GET", "/info"}, {"POST", "/auth/sign_in"}, {"POST", "/auth/sign_in/microsoft"}, {"GET", "/auth/user"}});
}
BENCHMARK(BM_route_builtin);

}  // namespace
