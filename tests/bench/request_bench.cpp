// The whole request parse the server does per call, on our spec: the request view (split
// target, lower-cased headers, decoded query), route, bearer, parameters, content type,
// JSON body and schema validation. The bar: under 5 microseconds.
#include <benchmark/benchmark.h>

#include "spec/request_parser.h"

namespace {

using namespace pbxmock::spec;

const RequestParser& parser() {
  static const RequestParser instance(builtin_spec());
  return instance;
}

void parse(benchmark::State& state, std::string_view target, const NameValuePairs& headers, std::string_view body,
           bool expect_ok) {
  for (auto _ : state) {
    const RequestView raw("POST", target, headers, body);
    auto result = parser().parse(raw);
    if (result.ok() != expect_ok) state.SkipWithError("unexpected verdict");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

const NameValuePairs kHeaders{{"Host", "127.0.0.1:8887"},
                              {"User-Agent", "Mozilla/5.0"},
                              {"Accept", "application/json"},
                              {"Content-Type", "application/json; charset=utf-8"},
                              {"Content-Length", "68"}};

void BM_sign_in_valid(benchmark::State& state) {
  parse(state, "/api/auth/sign_in", kHeaders, R"({"username":"alice","password":"alice-secret","domain":"pbx.example.com"})",
        true);
}
BENCHMARK(BM_sign_in_valid);

void BM_sign_in_invalid_username(benchmark::State& state) {
  parse(state, "/api/auth/sign_in", kHeaders, R"({"username":"alice smith","password":"alice-secret","domain":"pbx.example.com"})",
        false);
}
BENCHMARK(BM_sign_in_invalid_username);

void BM_sign_in_malformed_json(benchmark::State& state) {
  parse(state, "/api/auth/sign_in", kHeaders, R"({"username":"alice","password":)", false);
}
BENCHMARK(BM_sign_in_malformed_json);

void BM_sign_in_with_query(benchmark::State& state) {
  parse(state, "/api/auth/sign_in?qr=true", kHeaders, R"({"username":"alice","password":"alice-secret","domain":"pbx.example.com"})",
        true);
}
BENCHMARK(BM_sign_in_with_query);

}  // namespace
