// Cost of the schema validator on the request bodies the mock sees most: the sign-in body of
// AUTH-API.md against a schema with three properties and two of our formats, valid and
// invalid, inline and behind $refs. items per second counts validated bodies.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "spec/schema_validator.h"

namespace {

using nlohmann::json;
using pbxmock::spec::Direction;
using pbxmock::spec::SchemaValidator;

const json kSignInSchema = json::parse(R"({
  "type": "object", "required": ["username", "password"], "additionalProperties": false,
  "properties": {
    "username": {"type": "string", "minLength": 1, "maxLength": 64, "format": "portsip-username"},
    "password": {"type": "string", "writeOnly": true},
    "domain": {"type": "string", "minLength": 1, "maxLength": 280, "format": "sip-domain"}}})");

const json kDocument = json::parse(R"({"components": {"schemas": {
  "SignIn": {"type": "object", "required": ["username", "password"], "additionalProperties": false,
             "properties": {"username": {"$ref": "#/components/schemas/Username"},
                            "password": {"type": "string", "writeOnly": true},
                            "domain": {"$ref": "#/components/schemas/Domain"}}},
  "Username": {"type": "string", "minLength": 1, "maxLength": 64, "format": "portsip-username"},
  "Domain": {"type": "string", "minLength": 1, "maxLength": 280, "format": "sip-domain"}}}})");

const json kValidBody = {{"username", "alice"}, {"password", "secret"}, {"domain", "pbx.example.com"}};
const json kInvalidBody = {{"username", "al ice"}, {"domain", "pbx.example.com:5060"}, {"extra", 1}};

void run(benchmark::State& state, const SchemaValidator& validator, const json& schema, const json& body,
         std::size_t max_violations) {
  for (auto _ : state) {
    auto violations = validator.validate(schema, body, Direction::request, max_violations);
    benchmark::DoNotOptimize(violations);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_SignInValid(benchmark::State& state) { run(state, SchemaValidator(), kSignInSchema, kValidBody, 16); }
void BM_SignInValidThroughRefs(benchmark::State& state) {
  run(state, SchemaValidator(kDocument), json{{"$ref", "#/components/schemas/SignIn"}}, kValidBody, 16);
}
void BM_SignInInvalidFirstViolation(benchmark::State& state) {
  run(state, SchemaValidator(), kSignInSchema, kInvalidBody, 1);
}
void BM_SignInInvalidAllViolations(benchmark::State& state) {
  run(state, SchemaValidator(), kSignInSchema, kInvalidBody, 16);
}
void BM_PatternMatch(benchmark::State& state) {
  run(state, SchemaValidator(), json{{"type", "string"}, {"pattern", "^[0-9]{6}$"}}, json("123456"), 16);
}

BENCHMARK(BM_SignInValid);
BENCHMARK(BM_SignInValidThroughRefs);
BENCHMARK(BM_SignInInvalidFirstViolation);
BENCHMARK(BM_SignInInvalidAllViolations);
BENCHMARK(BM_PatternMatch);

}  // namespace
