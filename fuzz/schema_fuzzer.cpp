// Fuzzes SchemaValidator with any bytes read as the JSON text `[schema, instance]` (anything
// else is ignored). As the server does, the validator resolves `$ref`s through a document:
// here a minimal in-memory OpenAPI document whose components.schemas.Fuzzed is the schema, so
// "#/components/schemas/Fuzzed" refers back to it. For both directions (request, response):
// validate() never crashes, hangs or throws; every violation names a known rule and a JSON
// Pointer that exists in the instance ("required" names the object missing the property, which
// is not in it); is_valid, a second validate() and a validate() stopping at one violation agree
// on validity, and the second gives the very same violations; an instance valid against S is
// valid against {"allOf":[S]}, {"anyOf":[S,false]} and {"not":{"not":S}}, and one invalid
// against S is invalid against them (unless a depth or step limit, which the wrappers move by
// one, was reached).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/broken_invariant.h"
#include "spec/schema_validator.h"

using namespace pbxmock::spec;

namespace {

using nlohmann::json;
using pbxmock::fuzz::broken;

// The rules validate() may report (spec/schema_validator.cpp); "internal" (out of memory) is
// not among them: an input this small must never get there.
bool known_rule(const std::string& rule) {
  static const std::vector<std::string> kRules = {
      "false",    "depth",         "readOnly",          "writeOnly",           "type",          "const",
      "enum",     "minLength",     "maxLength",         "pattern",             "format",        "minimum",
      "maximum",  "exclusiveMinimum", "exclusiveMaximum", "multipleOf",        "required",      "minProperties",
      "maxProperties", "patternProperties", "additionalProperties", "minItems", "maxItems",     "uniqueItems",
      "$ref",     "anyOf",         "oneOf",             "not",                 "budget"};
  return std::find(kRules.begin(), kRules.end(), rule) != kRules.end();
}

bool same(const std::vector<Violation>& a, const std::vector<Violation>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].pointer != b[i].pointer || a[i].rule != b[i].rule || a[i].limit != b[i].limit || a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

bool hit_a_limit(const std::vector<Violation>& violations) {
  return std::any_of(violations.begin(), violations.end(), [](const Violation& v) {
    return v.rule == "depth" || v.rule == "budget";
  });
}

void check_violations(const std::vector<Violation>& violations, const json& instance, std::string_view input) {
  for (const Violation& v : violations) {
    if (!known_rule(v.rule)) broken("violation with an unknown rule", input, v.rule);
    const json* at = nullptr;
    try {
      const json::json_pointer pointer(v.pointer);
      if (instance.contains(pointer)) at = &instance.at(pointer);
    } catch (const json::exception&) {
      broken("violation pointer is not a JSON Pointer", input, v.pointer);
    }
    if (at == nullptr) broken("violation pointer names nothing in the instance", input, v.pointer);
    if (v.rule == "required") {
      if (!at->is_object() || !v.limit.is_string()) broken("required names no object or no property", input, v.pointer);
      if (at->contains(v.limit.get<std::string>())) broken("required property reported missing is there", input, v.pointer);
    }
    if (v.message.empty()) broken("violation without a message", input, v.pointer);
  }
}

void check_direction(const SchemaValidator& validator, const json& schema, const json& instance, Direction direction,
                     std::string_view input) {
  const auto first = validator.validate(schema, instance, direction);
  check_violations(first, instance, input);
  const auto again = validator.validate(schema, instance, direction);
  if (!same(first, again)) broken("validating twice gives different answers", input);
  const bool valid = first.empty();
  if (validator.is_valid(schema, instance, direction) != valid) broken("is_valid disagrees with validate", input);
  const auto one = validator.validate(schema, instance, direction, 1);
  if (one.empty() != valid || one.size() > 1) broken("validate stopping at one violation disagrees", input);
  if (hit_a_limit(first)) return;
  const json wrappers[] = {json{{"allOf", json::array({schema})}}, json{{"anyOf", json::array({schema, false})}},
                           json{{"not", json{{"not", schema}}}}};
  for (const json& wrapped : wrappers) {
    const auto result = validator.validate(wrapped, instance, direction);
    if (hit_a_limit(result)) continue;
    check_violations(result, instance, input);
    if (result.empty() != valid) broken("a wrapper of the schema changes validity", input, wrapped.begin().key());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  json pair = json::parse(input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
  if (!pair.is_array() || pair.size() != 2) return 0;
  json document = {{"openapi", "3.1.0"},
                   {"info", {{"title", "schema_fuzzer"}, {"version", "1"}}},
                   {"paths", json::object()},
                   {"components", {{"schemas", {{"Fuzzed", std::move(pair[0])}}}}}};
  const json& schema = document["components"]["schemas"]["Fuzzed"];
  const json& instance = pair[1];
  const SchemaValidator validator(document);
  check_direction(validator, schema, instance, Direction::request, input);
  check_direction(validator, schema, instance, Direction::response, input);
  return 0;
}
