// Table tests of the schema validator and the format checkers: every keyword accepted and
// rejected, each rejection checked for its pointer, rule and limit.
#include "spec/ref_resolver.h"
#include "spec/schema_validator.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "spec/formats.h"

namespace {

using nlohmann::json;
using pbxmock::spec::Direction;
using pbxmock::spec::FormatCheck;
using pbxmock::spec::SchemaValidator;
using pbxmock::spec::Violation;

// "[pointer] rule limit" per violation (no limit when it is null): one EXPECT_EQ checks all.
std::vector<std::string> summary(const std::vector<Violation>& violations) {
  std::vector<std::string> lines;
  for (const auto& v : violations) {
    std::string line = "[" + v.pointer + "] " + v.rule;
    if (!v.limit.is_null()) line += " " + v.limit.dump();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> check(const json& schema, const json& instance, Direction direction = Direction::request) {
  static const SchemaValidator validator;
  return summary(validator.validate(schema, instance, direction));
}

using Lines = std::vector<std::string>;
const Lines kValid{};

std::string outcome(const FormatCheck& result) {
  if (!result) return "accepted";
  return std::string(result->rule) + "@" + std::to_string(result->position);
}

// ------------------------------------------------------------------------------ type

TEST(schema_validator, accepts_matching_type) {
  EXPECT_EQ(kValid, check({{"type", "string"}}, "x"));
  EXPECT_EQ(kValid, check({{"type", "object"}}, json::object()));
  EXPECT_EQ(kValid, check({{"type", "array"}}, json::array()));
  EXPECT_EQ(kValid, check({{"type", "boolean"}}, false));
  EXPECT_EQ(kValid, check({{"type", "null"}}, nullptr));
  EXPECT_EQ(kValid, check({{"type", "number"}}, 2.5));
  EXPECT_EQ(kValid, check({{"type", "number"}}, 2));
}

TEST(schema_validator, rejects_wrong_type) {
  EXPECT_EQ(Lines{"[] type \"string\""}, check({{"type", "string"}}, 5));
  EXPECT_EQ(Lines{"[] type \"object\""}, check({{"type", "object"}}, json::array()));
  EXPECT_EQ(Lines{"[] type \"boolean\""}, check({{"type", "boolean"}}, 0));
  EXPECT_EQ(Lines{"[] type \"number\""}, check({{"type", "number"}}, "1"));
}

TEST(schema_validator, type_message_says_what_was_seen) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"type", "string"}}, 5);
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("expected string, found integer", violations[0].message);
}

TEST(schema_validator, integer_accepts_integral_floats) {
  EXPECT_EQ(kValid, check({{"type", "integer"}}, 3));
  EXPECT_EQ(kValid, check({{"type", "integer"}}, json::parse("3.0")));
  EXPECT_EQ(kValid, check({{"type", "integer"}}, json::parse("18446744073709551615")));
  EXPECT_EQ(kValid, check({{"type", "integer"}}, -7));
}

TEST(schema_validator, integer_rejects_fractions) {
  EXPECT_EQ(Lines{"[] type \"integer\""}, check({{"type", "integer"}}, 3.5));
  EXPECT_EQ(Lines{"[] type \"integer\""}, check({{"type", "integer"}}, "3"));
}

TEST(schema_validator, type_list_accepts_any_listed_type) {
  const json schema = {{"type", {"string", "null"}}};
  EXPECT_EQ(kValid, check(schema, "x"));
  EXPECT_EQ(kValid, check(schema, nullptr));
  EXPECT_EQ(Lines{"[] type [\"string\",\"null\"]"}, check(schema, 1));
}

TEST(schema_validator, nullable_adds_null_to_the_type) {
  const json schema = {{"type", "string"}, {"nullable", true}};
  EXPECT_EQ(kValid, check(schema, nullptr));
  EXPECT_EQ(kValid, check(schema, "x"));
  EXPECT_EQ(Lines{"[] type [\"string\",\"null\"]"}, check(schema, 1));
}

TEST(schema_validator, nullable_false_or_without_type_changes_nothing) {
  EXPECT_EQ(Lines{"[] type \"string\""}, check({{"type", "string"}, {"nullable", false}}, nullptr));
  EXPECT_EQ(kValid, check({{"nullable", true}}, 1));
}

TEST(schema_validator, nullable_does_not_extend_enum) {
  // OpenAPI 3.0.3: nullable adds null to `type` only; other keywords still apply.
  EXPECT_EQ(Lines{"[] enum [\"a\"]"}, check({{"type", "string"}, {"nullable", true}, {"enum", {"a"}}}, nullptr));
}

TEST(schema_validator, ignores_unknown_type_names) {
  EXPECT_EQ(kValid, check({{"type", "strnig"}}, 1));
  EXPECT_EQ(Lines{"[] type [\"strnig\",\"string\"]"}, check({{"type", {"strnig", "string"}}}, 1));
}

// ------------------------------------------------------------------------------ objects

TEST(schema_validator, accepts_object_with_required_properties) {
  const json schema = {{"type", "object"},
                       {"required", {"username", "password"}},
                       {"properties", {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  EXPECT_EQ(kValid, check(schema, {{"username", "alice"}, {"password", "secret"}}));
}

TEST(schema_validator, rejects_missing_required_property_at_the_object) {
  const json schema = {{"type", "object"}, {"required", {"username", "password"}}};
  EXPECT_EQ(Lines{"[] required \"password\""}, check(schema, {{"username", "alice"}}));
  EXPECT_EQ((Lines{"[] required \"username\"", "[] required \"password\""}), check(schema, json::object()));
}

TEST(schema_validator, required_message_names_the_property) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"required", {"domain"}}}, json::object());
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("missing required property \"domain\"", violations[0].message);
}

TEST(schema_validator, rejects_string_over_max_length_in_a_property) {
  const json schema = {{"properties", {{"username", {{"type", "string"}, {"maxLength", 64}}}}}};
  EXPECT_EQ(Lines{"[/username] maxLength 64"}, check(schema, {{"username", std::string(65, 'a')}}));
  EXPECT_EQ(kValid, check(schema, {{"username", std::string(64, 'a')}}));
}

TEST(schema_validator, rejects_property_when_additional_properties_is_false) {
  const json schema = {{"properties", {{"a", json::object()}}}, {"additionalProperties", false}};
  EXPECT_EQ(kValid, check(schema, {{"a", 1}}));
  EXPECT_EQ(Lines{"[/b] additionalProperties false"}, check(schema, {{"a", 1}, {"b", 2}}));
}

TEST(schema_validator, checks_additional_properties_against_a_schema) {
  const json schema = {{"properties", {{"a", json::object()}}}, {"additionalProperties", {{"type", "integer"}}}};
  EXPECT_EQ(kValid, check(schema, {{"a", "x"}, {"b", 2}}));
  EXPECT_EQ(Lines{"[/b] type \"integer\""}, check(schema, {{"a", "x"}, {"b", "y"}}));
}

TEST(schema_validator, pattern_properties_declare_and_check_keys) {
  const json schema = {{"patternProperties", {{"^x-", {{"type", "string"}}}}}, {"additionalProperties", false}};
  EXPECT_EQ(kValid, check(schema, {{"x-trace", "abc"}}));
  EXPECT_EQ(Lines{"[/x-trace] type \"string\""}, check(schema, {{"x-trace", 1}}));
  EXPECT_EQ(Lines{"[/y] additionalProperties false"}, check(schema, {{"y", 1}}));
}

TEST(schema_validator, counts_properties) {
  EXPECT_EQ(kValid, check({{"minProperties", 1}, {"maxProperties", 2}}, {{"a", 1}}));
  EXPECT_EQ(Lines{"[] minProperties 1"}, check({{"minProperties", 1}}, json::object()));
  EXPECT_EQ(Lines{"[] maxProperties 1"}, check({{"maxProperties", 1}}, {{"a", 1}, {"b", 2}}));
}

TEST(schema_validator, builds_nested_pointers) {
  const json schema = {
      {"properties",
       {{"users", {{"items", {{"properties", {{"email", {{"type", "string"}, {"format", "email"}}}}}}}}}}}};
  const json instance = {{"users", {{{"email", "a@example.com"}}, {{"email", "b@example.com"}}, {{"email", "nope"}}}}};
  EXPECT_EQ(Lines{"[/users/2/email] format \"email\""}, check(schema, instance));
}

TEST(schema_validator, escapes_tilde_and_slash_in_pointers) {
  const json schema = {{"properties", {{"a/b", {{"type", "string"}}}, {"m~n", {{"type", "string"}}}}}};
  EXPECT_EQ((Lines{"[/a~1b] type \"string\"", "[/m~0n] type \"string\""}), check(schema, {{"a/b", 1}, {"m~n", 2}}));
}

// ------------------------------------------------------------------------------ arrays

TEST(schema_validator, checks_every_item) {
  const json schema = {{"type", "array"}, {"items", {{"type", "integer"}}}};
  EXPECT_EQ(kValid, check(schema, {1, 2, 3}));
  EXPECT_EQ(Lines{"[/1] type \"integer\""}, check(schema, {1, "x", 3}));
}

TEST(schema_validator, counts_items) {
  const json schema = {{"minItems", 1}, {"maxItems", 2}};
  EXPECT_EQ(kValid, check(schema, {1}));
  EXPECT_EQ(kValid, check(schema, {1, 2}));
  EXPECT_EQ(Lines{"[] minItems 1"}, check(schema, json::array()));
  EXPECT_EQ(Lines{"[] maxItems 2"}, check(schema, {1, 2, 3}));
}

TEST(schema_validator, checks_positional_items) {
  const json prefix = {{"prefixItems", {{{"type", "string"}}, {{"type", "integer"}}}}, {"items", false}};
  EXPECT_EQ(kValid, check(prefix, {"a", 1}));
  EXPECT_EQ(Lines{"[/1] type \"integer\""}, check(prefix, {"a", "b"}));
  EXPECT_EQ(Lines{"[/2] false"}, check(prefix, {"a", 1, 2}));
  const json tuple = {{"items", {{{"type", "string"}}, {{"type", "integer"}}}}};  // the pre-2020 form
  EXPECT_EQ(Lines{"[/0] type \"string\""}, check(tuple, {1, 1}));
}

TEST(schema_validator, checks_unique_items) {
  EXPECT_EQ(kValid, check({{"uniqueItems", true}}, {1, "1", json::array({1})}));
  EXPECT_EQ(Lines{"[] uniqueItems true"}, check({{"uniqueItems", true}}, {1, 2, 1}));
  EXPECT_EQ(Lines{"[] uniqueItems true"}, check({{"uniqueItems", true}}, {1, json::parse("1.0")}));
  EXPECT_EQ(kValid, check({{"uniqueItems", false}}, {1, 1}));
}

// ------------------------------------------------------------------------------ strings

TEST(schema_validator, counts_length_in_code_points) {
  EXPECT_EQ(kValid, check({{"minLength", 5}, {"maxLength", 5}}, "h\xC3\xA9llo"));   // "héllo": 6 bytes
  EXPECT_EQ(Lines{"[] maxLength 4"}, check({{"maxLength", 4}}, "h\xC3\xA9llo"));
  EXPECT_EQ(kValid, check({{"maxLength", 1}}, "\xF0\x9F\x98\x80"));                  // one emoji, 4 bytes
  EXPECT_EQ(Lines{"[] minLength 2"}, check({{"minLength", 2}}, "\xE6\x97\xA5"));    // one CJK character
}

TEST(schema_validator, length_message_counts_characters) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"maxLength", 4}}, "h\xC3\xA9llo");
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("string of 5 characters is longer than maxLength 4", violations[0].message);
}

TEST(schema_validator, rejects_string_under_min_length) {
  EXPECT_EQ(Lines{"[] minLength 1"}, check({{"minLength", 1}}, ""));
  EXPECT_EQ(kValid, check({{"minLength", 1}}, "a"));
}

TEST(schema_validator, matches_patterns_unanchored) {
  EXPECT_EQ(kValid, check({{"pattern", "^[a-z]+$"}}, "abc"));
  EXPECT_EQ(Lines{"[] pattern \"^[a-z]+$\""}, check({{"pattern", "^[a-z]+$"}}, "abC"));
  EXPECT_EQ(kValid, check({{"pattern", "b"}}, "abc"));
  EXPECT_EQ(kValid, check({{"pattern", "^\\d{3}-\\d{4}$"}}, "555-1234"));
}

// RE2 has no lookaround: such a pattern is a violation that says why, whatever the string
// (the OpenAPI loader refuses the document before it gets here).
TEST(schema_validator, a_lookahead_pattern_is_reported_as_unusable) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"pattern", "^(?!admin$)"}}, "bob");
  ASSERT_EQ(Lines{"[] pattern \"^(?!admin$)\""}, summary(violations));
  EXPECT_NE(std::string::npos, violations[0].message.find("lookahead")) << violations[0].message;
}

// Issue 9 finding 4: "(a+)+$" backtracked exponentially under std::regex; with RE2 it is linear.
TEST(schema_validator, a_backtracking_pattern_takes_linear_time) {
  EXPECT_EQ(Lines{"[] pattern \"^(a+)+$\""}, check({{"pattern", "^(a+)+$"}}, std::string(1000, 'a') + "!"));
}

TEST(schema_validator, matches_patterns_by_code_point) {
  EXPECT_EQ(kValid, check({{"pattern", "^.{5}$"}}, "h\xC3\xA9llo"));
  EXPECT_EQ(kValid, check({{"pattern", "^h[\xC3\xA9\xC3\xA8]llo$"}}, "h\xC3\xA8llo"));
  EXPECT_EQ(kValid, check({{"pattern", "^h\\u00e9llo$"}}, "h\xC3\xA9llo"));
  EXPECT_EQ(Lines{"[] pattern \"^[a-z]+$\""}, check({{"pattern", "^[a-z]+$"}}, "h\xC3\xA9llo"));
}

TEST(schema_validator, reports_an_invalid_pattern_instead_of_throwing) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"pattern", "(unclosed"}}, "x");
  ASSERT_EQ(Lines{"[] pattern \"(unclosed\""}, summary(violations));
  EXPECT_EQ(0u, violations[0].message.find("invalid pattern: ")) << violations[0].message;
}

TEST(schema_validator, refuses_to_match_overlong_strings_against_a_pattern) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"pattern", "^(a|b)*$"}}, std::string(100000, 'a'));
  ASSERT_EQ(Lines{"[] pattern \"^(a|b)*$\""}, summary(violations));
  EXPECT_NE(std::string::npos, violations[0].message.find("too long")) << violations[0].message;
  EXPECT_EQ(kValid, check({{"pattern", "^(a|b)*$"}}, std::string(1024, 'a')));
}

TEST(schema_validator, shares_compiled_patterns_between_threads) {
  const SchemaValidator validator;
  const json schema = {{"properties", {{"code", {{"pattern", "^[0-9]{6}$"}}}}}};
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const bool good = validator.is_valid(schema, {{"code", "123456"}});
        const bool bad = validator.is_valid(schema, {{"code", "12345x"}});
        if (!good || bad) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ((std::vector<int>{0, 0, 0, 0}), failures);
}

// ------------------------------------------------------------------------------ numbers

TEST(schema_validator, checks_inclusive_bounds) {
  const json schema = {{"minimum", 5}, {"maximum", 10}};
  EXPECT_EQ(kValid, check(schema, 5));
  EXPECT_EQ(kValid, check(schema, 10));
  EXPECT_EQ(kValid, check(schema, 7.5));
  EXPECT_EQ(Lines{"[] minimum 5"}, check(schema, 4));
  EXPECT_EQ(Lines{"[] maximum 10"}, check(schema, 10.5));
}

TEST(schema_validator, checks_openapi_31_exclusive_bounds) {
  const json schema = {{"exclusiveMinimum", 5}, {"exclusiveMaximum", 10}};
  EXPECT_EQ(kValid, check(schema, 6));
  EXPECT_EQ(kValid, check(schema, 5.001));
  EXPECT_EQ(Lines{"[] exclusiveMinimum 5"}, check(schema, 5));
  EXPECT_EQ(Lines{"[] exclusiveMaximum 10"}, check(schema, 10));
  EXPECT_EQ(Lines{"[] exclusiveMaximum 10"}, check(schema, 11));
}

TEST(schema_validator, checks_openapi_30_exclusive_bounds) {
  const json schema = {{"minimum", 5}, {"exclusiveMinimum", true}, {"maximum", 10}, {"exclusiveMaximum", true}};
  EXPECT_EQ(kValid, check(schema, 6));
  EXPECT_EQ(Lines{"[] exclusiveMinimum 5"}, check(schema, 5));
  EXPECT_EQ(Lines{"[] exclusiveMinimum 5"}, check(schema, 4));
  EXPECT_EQ(Lines{"[] exclusiveMaximum 10"}, check(schema, 10));
  EXPECT_EQ(kValid, check({{"minimum", 5}, {"exclusiveMinimum", false}}, 5));
}

TEST(schema_validator, compares_large_integers_exactly) {
  EXPECT_EQ(kValid, check({{"maximum", 9007199254740993}}, 9007199254740993));
  EXPECT_EQ(Lines{"[] maximum 9007199254740993"}, check({{"maximum", 9007199254740993}}, 9007199254740994));
  EXPECT_EQ(Lines{"[] minimum 0"}, check({{"minimum", 0}}, -1));
  EXPECT_EQ(Lines{"[] maximum -1"}, check({{"maximum", -1}}, json::parse("18446744073709551615")));
}

TEST(schema_validator, checks_multiple_of) {
  EXPECT_EQ(kValid, check({{"multipleOf", 3}}, 9));
  EXPECT_EQ(kValid, check({{"multipleOf", 3}}, -9));
  EXPECT_EQ(Lines{"[] multipleOf 3"}, check({{"multipleOf", 3}}, 10));
  EXPECT_EQ(kValid, check({{"multipleOf", 0.1}}, 0.3));
  EXPECT_EQ(Lines{"[] multipleOf 0.1"}, check({{"multipleOf", 0.1}}, 0.35));
  EXPECT_EQ(kValid, check({{"multipleOf", 0}}, 7));  // not a valid divisor: ignored
}

TEST(schema_validator, ignores_number_keywords_on_other_types) {
  EXPECT_EQ(kValid, check({{"minimum", 5}, {"maxLength", 1}, {"required", {"a"}}, {"minItems", 3}}, true));
}

// ------------------------------------------------------------------------------ enum, const

TEST(schema_validator, checks_enum) {
  const json schema = {{"enum", {"SystemAdmin", "Admin", 3}}};
  EXPECT_EQ(kValid, check(schema, "Admin"));
  EXPECT_EQ(kValid, check(schema, json::parse("3.0")));
  EXPECT_EQ(Lines{"[] enum [\"SystemAdmin\",\"Admin\",3]"}, check(schema, "admin"));
}

TEST(schema_validator, checks_const) {
  EXPECT_EQ(kValid, check({{"const", {{"a", {1, 2}}}}}, {{"a", {1, 2}}}));
  EXPECT_EQ(Lines{"[] const \"Bearer\""}, check({{"const", "Bearer"}}, "bearer"));
  EXPECT_EQ(Lines{"[] const"}, check({{"const", nullptr}}, 0));  // a null limit is left out of the summary
}

// ------------------------------------------------------------------------------ combinators

TEST(schema_validator, one_of_accepts_exactly_one_match) {
  const json schema = {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}}}}};
  EXPECT_EQ(kValid, check(schema, "x"));
  EXPECT_EQ(kValid, check(schema, 1));
  EXPECT_EQ(Lines{"[] oneOf"}, check(schema, true));
}

TEST(schema_validator, one_of_rejects_a_value_matching_two_branches) {
  const SchemaValidator validator;
  const json schema = {{"oneOf", {{{"type", "integer"}}, {{"minimum", 0}}, {{"type", "string"}}}}};
  const auto violations = validator.validate(schema, 5);
  ASSERT_EQ(Lines{"[] oneOf"}, summary(violations));
  EXPECT_EQ("matches alternatives 0 and 1 where exactly one must match", violations[0].message);
  EXPECT_EQ(kValid, check(schema, -1));                // integer only
  EXPECT_EQ(Lines{"[] oneOf"}, check(schema, "x"));   // minimum ignores strings: branches 1 and 2
  EXPECT_EQ(Lines{"[] oneOf"}, check(schema, -1.5));  // none
}

TEST(schema_validator, any_of_accepts_any_match) {
  const json schema = {{"anyOf", {{{"type", "string"}, {"maxLength", 2}}, {{"type", "integer"}}}}};
  EXPECT_EQ(kValid, check(schema, "ab"));
  EXPECT_EQ(kValid, check(schema, 12));
  EXPECT_EQ(Lines{"[] anyOf"}, check(schema, "abc"));
}

TEST(schema_validator, any_of_message_explains_the_first_alternative) {
  const SchemaValidator validator;
  const json schema = {{"anyOf", {{{"type", "string"}, {"maxLength", 2}}, {{"type", "integer"}}}}};
  const auto violations = validator.validate(schema, "abc");
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("matches none of the 2 alternatives (the first fails maxLength at \"\")", violations[0].message);
}

TEST(schema_validator, all_of_reports_each_branch) {
  const json schema = {{"allOf", {{{"minLength", 2}}, {{"maxLength", 3}}}}};
  EXPECT_EQ(kValid, check(schema, "abc"));
  EXPECT_EQ(Lines{"[] maxLength 3"}, check(schema, "abcd"));
  EXPECT_EQ(Lines{"[] minLength 2"}, check(schema, "a"));
}

TEST(schema_validator, not_rejects_what_its_schema_accepts) {
  EXPECT_EQ(Lines{"[] not"}, check({{"not", {{"type", "string"}}}}, "x"));
  EXPECT_EQ(kValid, check({{"not", {{"type", "string"}}}}, 1));
}

// if/then/else: `if` only picks the branch; the branch's violations are reported as its own
// (the token endpoint's grant-dependent fields are written this way).
TEST(schema_validator, if_then_else_applies_the_branch_the_condition_picks) {
  const json schema = json::parse(R"({"if": {"properties": {"grant_type": {"const": "password"}}},
                                      "then": {"required": ["username"]},
                                      "else": {"required": ["refresh_token"]}})");
  EXPECT_EQ(kValid, check(schema, {{"grant_type", "password"}, {"username", "alice"}}));
  EXPECT_EQ(Lines{"[] required \"username\""}, check(schema, {{"grant_type", "password"}}));
  EXPECT_EQ(Lines{"[] required \"refresh_token\""}, check(schema, {{"grant_type", "refresh_token"}}));
  EXPECT_EQ(kValid, check(schema, {{"grant_type", "refresh_token"}, {"refresh_token", "T"}}));
  // A failed `if` with no `else`, or a `then` alone, never refuses anything by itself.
  EXPECT_EQ(kValid, check(json::parse(R"({"if": {"type": "string"}, "then": {"minLength": 3}})"), 5));
  EXPECT_EQ(kValid, check(json::parse(R"({"then": {"minLength": 3}})"), "x"));
}

TEST(schema_validator, ignores_discriminator_and_unknown_keywords) {
  const json schema = {{"oneOf", {{{"type", "string"}}}},
                       {"discriminator", {{"propertyName", "kind"}}},
                       {"x-vendor", 1},
                       {"description", "anything"}};
  EXPECT_EQ(kValid, check(schema, "x"));
}

// ------------------------------------------------------------------------------ $ref

const json kDocument = json::parse(R"({
  "components": {"schemas": {
    "Username": {"type": "string", "maxLength": 64, "format": "portsip-username"},
    "a/b": {"type": "integer"},
    "with space": {"type": "boolean"},
    "Node": {
      "type": "object", "required": ["name"],
      "properties": {"name": {"type": "string"},
                     "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
    "PingA": {"$ref": "#/components/schemas/PingB"},
    "PingB": {"$ref": "#/components/schemas/PingA"},
    "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]},
    "Blowup": {"anyOf": [{"$ref": "#/components/schemas/Blowup"}, {"$ref": "#/components/schemas/Blowup"}]},
    "Nested": {"items": {"$ref": "#/components/schemas/Nested"}},
    "Id": {"type": "string", "readOnly": true}
  }}
})");

TEST(schema_validator, follows_refs_through_the_document) {
  const SchemaValidator validator(kDocument);
  const json schema = {{"properties", {{"username", {{"$ref", "#/components/schemas/Username"}}}}}};
  EXPECT_EQ(Lines{}, summary(validator.validate(schema, {{"username", "alice"}})));
  EXPECT_EQ((Lines{"[/username] maxLength 64", "[/username] format \"portsip-username\""}),
            summary(validator.validate(schema, {{"username", std::string(65, 'a')}})));
}

TEST(schema_validator, decodes_escapes_in_refs) {
  const SchemaValidator validator(kDocument);
  EXPECT_EQ(Lines{"[] type \"integer\""}, summary(validator.validate({{"$ref", "#/components/schemas/a~1b"}}, "x")));
  EXPECT_EQ(Lines{"[] type \"boolean\""},
            summary(validator.validate({{"$ref", "#/components/schemas/with%20space"}}, "x")));
}

TEST(schema_validator, reports_unresolvable_refs) {
  const SchemaValidator validator(kDocument);
  EXPECT_EQ(Lines{"[] $ref \"#/components/schemas/Nope\""},
            summary(validator.validate({{"$ref", "#/components/schemas/Nope"}}, 1)));
  EXPECT_EQ(Lines{"[] $ref \"other.yaml#/x\""}, summary(validator.validate({{"$ref", "other.yaml#/x"}}, 1)));
  EXPECT_EQ(Lines{"[] $ref \"#/a\""}, check({{"$ref", "#/a"}}, 1));  // no resolver at all
}

TEST(schema_validator, uses_a_caller_supplied_resolver) {
  const json target = {{"type", "string"}};
  const SchemaValidator validator([&](std::string_view ref) { return ref == "#/T" ? &target : nullptr; });
  EXPECT_EQ(Lines{"[] type \"string\""}, summary(validator.validate({{"$ref", "#/T"}}, 1)));
}

TEST(schema_validator, validates_a_recursive_tree) {
  const SchemaValidator validator(kDocument);
  const json schema = {{"$ref", "#/components/schemas/Node"}};
  const json good = json::parse(R"({"name": "root", "children": [
      {"name": "a", "children": [{"name": "a1"}, {"name": "a2", "children": []}]},
      {"name": "b"}]})");
  EXPECT_EQ(Lines{}, summary(validator.validate(schema, good)));
  const json bad = json::parse(R"({"name": "root", "children": [
      {"name": "a", "children": [{"name": "a1"}, {"children": []}]}]})");
  EXPECT_EQ(Lines{"[/children/0/children/1] required \"name\""}, summary(validator.validate(schema, bad)));
}

TEST(schema_validator, stops_ref_only_cycles) {
  const SchemaValidator validator(kDocument);
  const auto ping = validator.validate({{"$ref", "#/components/schemas/PingA"}}, 1);
  ASSERT_EQ(1u, ping.size());
  EXPECT_EQ("$ref", ping[0].rule);
  EXPECT_EQ("", ping[0].pointer);
  EXPECT_NE(std::string::npos, ping[0].message.find("cycle")) << ping[0].message;
  EXPECT_EQ("$ref", validator.validate({{"$ref", "#/components/schemas/Self"}}, 1).at(0).rule);
  const json root_loop = {{"$ref", "#"}};
  EXPECT_EQ("$ref", SchemaValidator(root_loop).validate(root_loop, 1).at(0).rule);
}

TEST(schema_validator, stops_exponential_schemas_with_a_step_budget) {
  SchemaValidator::Limits limits;
  limits.max_steps = 10000;
  const SchemaValidator validator(kDocument, limits);
  EXPECT_EQ(Lines{"[] budget 10000"}, summary(validator.validate({{"$ref", "#/components/schemas/Blowup"}}, 1)));
}

TEST(schema_validator, stops_deep_nesting_with_a_depth_limit) {
  const SchemaValidator validator(kDocument);
  json instance = json::array();
  for (int i = 0; i < 1000; ++i) instance = json::array({instance});
  const auto violations = validator.validate({{"$ref", "#/components/schemas/Nested"}}, instance);
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("depth", violations[0].rule);
  EXPECT_EQ(512, violations[0].limit);
}

TEST(schema_validator, resolves_local_refs_by_rfc_6901) {
  using pbxmock::spec::resolve_local_ref;
  const json document = json::parse(R"({"a": [10, 20], "b/c": 1, "d~e": 2, "": 3, "sp ace": 4})");
  EXPECT_EQ(&document, resolve_local_ref(document, "#"));
  EXPECT_EQ(json(20), *resolve_local_ref(document, "#/a/1"));
  EXPECT_EQ(json(1), *resolve_local_ref(document, "#/b~1c"));
  EXPECT_EQ(json(2), *resolve_local_ref(document, "#/d~0e"));
  EXPECT_EQ(json(3), *resolve_local_ref(document, "#/"));
  EXPECT_EQ(json(4), *resolve_local_ref(document, "#/sp%20ace"));
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/a/01"));    // no leading zeros
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/a/2"));     // past the end
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/a/-"));     // "-" names no element
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/d~2e"));    // bad escape
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/%zz"));     // bad %XX
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#a"));        // not a pointer
  EXPECT_EQ(nullptr, resolve_local_ref(document, "other#/a"));  // not local
  EXPECT_EQ(nullptr, resolve_local_ref(document, "#/b~1c/x"));  // into a number
}

// ------------------------------------------------------------------------------ readOnly, writeOnly

const json kAccount = json::parse(R"({
  "type": "object", "required": ["id", "name", "password"],
  "properties": {"id": {"type": "string", "readOnly": true},
                 "name": {"type": "string"},
                 "password": {"type": "string", "writeOnly": true}}})");

TEST(schema_validator, rejects_read_only_property_in_a_request) {
  EXPECT_EQ(Lines{"[/id] readOnly true"}, check(kAccount, {{"id", "7"}, {"name", "n"}, {"password", "p"}}));
  EXPECT_EQ(kValid, check(kAccount, {{"name", "n"}, {"password", "p"}}));  // required only in responses
}

TEST(schema_validator, rejects_write_only_property_in_a_response) {
  EXPECT_EQ(Lines{"[/password] writeOnly true"},
            check(kAccount, {{"id", "7"}, {"name", "n"}, {"password", "p"}}, Direction::response));
  EXPECT_EQ(kValid, check(kAccount, {{"id", "7"}, {"name", "n"}}, Direction::response));
  EXPECT_EQ(Lines{"[] required \"id\""}, check(kAccount, {{"name", "n"}}, Direction::response));
}

TEST(schema_validator, sees_read_only_through_a_ref) {
  const SchemaValidator validator(kDocument);
  const json schema = {{"required", {"id"}}, {"properties", {{"id", {{"$ref", "#/components/schemas/Id"}}}}}};
  EXPECT_EQ(Lines{"[/id] readOnly true"}, summary(validator.validate(schema, {{"id", "x"}})));
  EXPECT_EQ(Lines{}, summary(validator.validate(schema, json::object())));
  EXPECT_EQ(Lines{}, summary(validator.validate(schema, {{"id", "x"}}, Direction::response)));
}

// ------------------------------------------------------------------------------ boolean and junk schemas

TEST(schema_validator, treats_boolean_and_junk_schemas) {
  EXPECT_EQ(kValid, check(true, {{"anything", 1}}));
  EXPECT_EQ(kValid, check(json::object(), 1));
  EXPECT_EQ(Lines{"[] false"}, check(false, 1));
  EXPECT_EQ(kValid, check(42, 1));
  EXPECT_EQ(kValid, check("string", 1));
  EXPECT_EQ(kValid, check(json::array({1, 2}), 1));
  EXPECT_EQ(kValid, check({{"type", 7}, {"required", "x"}, {"properties", 3}, {"maxLength", "64"}}, {{"a", "bcd"}}));
}

std::vector<std::string> rules_of(const std::vector<Violation>& violations) {
  std::vector<std::string> rules;
  for (const auto& v : violations) rules.push_back(v.rule);
  return rules;
}

TEST(schema_validator, survives_invalid_utf8_built_in_code) {
  // nlohmann::json refuses invalid UTF-8 when parsing, but code can still put it in a value.
  const std::string bad = "a\xFF\xC3";  // 'a', a stray byte, a cut-off sequence: 3 code points
  const SchemaValidator validator;
  const json schema = {{"maxLength", 1}, {"pattern", "^a..$"}, {"enum", {"x"}}, {"format", "email"}};
  EXPECT_EQ((Lines{"enum", "maxLength", "format"}), rules_of(validator.validate(schema, bad)));
  EXPECT_EQ(Lines{"const"}, rules_of(validator.validate({{"const", bad}}, "y")));  // message quotes it safely
}

TEST(schema_validator, caps_the_number_of_violations) {
  const SchemaValidator validator;
  const json schema = {{"items", {{"type", "string"}}}};
  const json instance = json::array({1, 2, 3, 4, 5});
  EXPECT_EQ(5u, validator.validate(schema, instance).size());
  EXPECT_EQ(2u, validator.validate(schema, instance, Direction::request, 2).size());
  EXPECT_EQ(1u, validator.validate(schema, instance, Direction::request, 0).size());
  EXPECT_FALSE(validator.is_valid(schema, instance));
  EXPECT_TRUE(validator.is_valid(schema, json::array({"a"})));
}

// ------------------------------------------------------------------------------ formats

TEST(schema_validator, reports_format_with_the_parser_rule_and_position) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"format", "portsip-username"}}, "al ice");
  ASSERT_EQ(Lines{"[] format \"portsip-username\""}, summary(violations));
  EXPECT_EQ("not a valid portsip-username: bad_character at 2", violations[0].message);
}

TEST(schema_validator, accepts_unknown_formats_and_non_strings) {
  EXPECT_EQ(kValid, check({{"format", "uuid-ish"}}, "anything"));
  EXPECT_EQ(kValid, check({{"format", "email"}}, 12));
}

TEST(schema_formats, accepts_rfc3339_date_times) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50.52Z")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("1996-12-19T16:39:57-08:00")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("2026-11-27T21:24:51+05:30")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("1985-04-12t23:20:50z")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("2024-02-29T00:00:00.000000001Z")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("2000-02-29T00:00:00Z")));
}

TEST(schema_formats, accepts_leap_seconds_at_2359_utc) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("1990-12-31T23:59:60Z")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_date_time("1990-12-31T15:59:60-08:00")));
  EXPECT_EQ("leap_second@17", outcome(pbxmock::spec::check_date_time("1990-12-31T23:59:60+01:00")));
  EXPECT_EQ("leap_second@17", outcome(pbxmock::spec::check_date_time("1990-12-31T12:00:60Z")));
}

TEST(schema_formats, rejects_bad_date_times) {
  EXPECT_EQ("month_range@5", outcome(pbxmock::spec::check_date_time("1985-13-12T23:20:50Z")));
  EXPECT_EQ("month_range@5", outcome(pbxmock::spec::check_date_time("1985-00-12T23:20:50Z")));
  EXPECT_EQ("day_range@8", outcome(pbxmock::spec::check_date_time("2023-02-29T00:00:00Z")));
  EXPECT_EQ("day_range@8", outcome(pbxmock::spec::check_date_time("1900-02-29T00:00:00Z")));
  EXPECT_EQ("day_range@8", outcome(pbxmock::spec::check_date_time("2023-04-31T00:00:00Z")));
  EXPECT_EQ("hour_range@11", outcome(pbxmock::spec::check_date_time("1985-04-12T24:00:00Z")));
  EXPECT_EQ("minute_range@14", outcome(pbxmock::spec::check_date_time("1985-04-12T23:60:00Z")));
  EXPECT_EQ("second_range@17", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:61Z")));
  EXPECT_EQ("offset_range@20", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50+24:00")));
  EXPECT_EQ("offset_range@23", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50+01:60")));
}

TEST(schema_formats, rejects_date_time_syntax) {
  EXPECT_EQ("syntax@19", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50")));    // no offset
  EXPECT_EQ("syntax@10", outcome(pbxmock::spec::check_date_time("1985-04-12 23:20:50Z")));
  EXPECT_EQ("syntax@10", outcome(pbxmock::spec::check_date_time("1985-04-12")));
  EXPECT_EQ("syntax@20", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50.Z")));
  EXPECT_EQ("syntax@22", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50+0100")));
  EXPECT_EQ("syntax@20", outcome(pbxmock::spec::check_date_time("1985-04-12T23:20:50Zjunk")));
  EXPECT_EQ("syntax@2", outcome(pbxmock::spec::check_date_time("85-04-12T23:20:50Z")));
  EXPECT_EQ("syntax@0", outcome(pbxmock::spec::check_date_time("")));
}

TEST(schema_formats, date_time_through_the_validator) {
  const SchemaValidator validator;
  const auto violations = validator.validate({{"format", "date-time"}}, "1985-13-12T23:20:50Z");
  ASSERT_EQ(Lines{"[] format \"date-time\""}, summary(violations));
  EXPECT_EQ("not a valid date-time: month_range at 5", violations[0].message);
}

TEST(schema_formats, accepts_email_addresses) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_email("alice@example.com")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_email("first.last+tag@pbx.example.com")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_email("o'brien@localhost")));
}

TEST(schema_formats, rejects_bad_email_addresses) {
  EXPECT_EQ("missing_at@5", outcome(pbxmock::spec::check_email("alice")));
  EXPECT_EQ("empty_local_part@0", outcome(pbxmock::spec::check_email("@example.com")));
  EXPECT_EQ("leading_period@0", outcome(pbxmock::spec::check_email(".a@example.com")));
  EXPECT_EQ("double_period@2", outcome(pbxmock::spec::check_email("a..b@example.com")));
  EXPECT_EQ("trailing_period@1", outcome(pbxmock::spec::check_email("a.@example.com")));
  EXPECT_EQ("bad_character@1", outcome(pbxmock::spec::check_email("a b@example.com")));
  EXPECT_EQ("local_part_too_long@64", outcome(pbxmock::spec::check_email(std::string(65, 'a') + "@x.com")));
  EXPECT_EQ("domain_not_host_name@2", outcome(pbxmock::spec::check_email("a@1.2.3.4")));
  EXPECT_EQ("bad_character@5", outcome(pbxmock::spec::check_email("a@exa mple.com")));
  EXPECT_EQ("leading_hyphen@2", outcome(pbxmock::spec::check_email("a@-x.com")));
  EXPECT_EQ("empty@2", outcome(pbxmock::spec::check_email("a@")));
  EXPECT_EQ("bad_character@3", outcome(pbxmock::spec::check_email("a@b@c")));
}

TEST(schema_formats, accepts_absolute_uris) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("https://pbx.example.com:8887/api?x=1#frag")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("urn:isbn:0451450523")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("mailto:alice@example.com")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("http://[::1]:80/")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("http://[v7.abc]/")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("file:///etc/hosts")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("http://user:pw@host/a%20b?q=%2F")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_uri("x:")));
}

TEST(schema_formats, rejects_bad_uris) {
  EXPECT_EQ("missing_scheme@0", outcome(pbxmock::spec::check_uri("//example.com/x")));
  EXPECT_EQ("missing_scheme@0", outcome(pbxmock::spec::check_uri("/relative/path")));
  EXPECT_EQ("missing_scheme@0", outcome(pbxmock::spec::check_uri("")));
  EXPECT_EQ("bad_scheme@0", outcome(pbxmock::spec::check_uri("1http://x")));
  EXPECT_EQ("bad_scheme@4", outcome(pbxmock::spec::check_uri("http_s://x")));
  EXPECT_EQ("bad_character@10", outcome(pbxmock::spec::check_uri("http://exa mple.com")));
  EXPECT_EQ("bad_percent_encoding@13", outcome(pbxmock::spec::check_uri("http://x.com/%zz")));
  EXPECT_EQ("bad_port@15", outcome(pbxmock::spec::check_uri("http://x.com:80a/")));
  EXPECT_EQ("bad_ip_literal@7", outcome(pbxmock::spec::check_uri("http://[::g]/")));
  EXPECT_EQ("bad_ip_literal@7", outcome(pbxmock::spec::check_uri("http://[::1/")));
  EXPECT_EQ("bad_character@16", outcome(pbxmock::spec::check_uri("http://x.com/a#b#c")));
  EXPECT_EQ("bad_character@9", outcome(pbxmock::spec::check_uri("https://p\xC3\xA9.com")));
}

TEST(schema_formats, checks_ip_addresses) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_ipv4("192.168.0.1")));
  EXPECT_EQ("ipv4_octet_range@0", outcome(pbxmock::spec::check_ipv4("256.1.1.1")));
  EXPECT_EQ("ipv4_leading_zero@0", outcome(pbxmock::spec::check_ipv4("01.2.3.4")));
  EXPECT_EQ("not_ipv4@0", outcome(pbxmock::spec::check_ipv4("example.com")));
  EXPECT_EQ("not_ipv4@0", outcome(pbxmock::spec::check_ipv4("::1")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_ipv6("::1")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_ipv6("2001:db8::8a2e:370:7334")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_ipv6("::ffff:192.0.2.1")));
  EXPECT_EQ("not_ipv6@0", outcome(pbxmock::spec::check_ipv6("[::1]")));
  EXPECT_EQ("not_ipv6@0", outcome(pbxmock::spec::check_ipv6("1.2.3.4")));
  EXPECT_EQ("ipv6_syntax@2", outcome(pbxmock::spec::check_ipv6("::g")));
}

TEST(schema_formats, checks_portsip_usernames_allowing_reserved_names) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_portsip_username("alice")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_portsip_username("admin")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_portsip_username("o'brien.x_1-2")));
  EXPECT_EQ("bad_character@2", outcome(pbxmock::spec::check_portsip_username("al ice")));
  EXPECT_EQ("leading_period@0", outcome(pbxmock::spec::check_portsip_username(".alice")));
  EXPECT_EQ("too_long@64", outcome(pbxmock::spec::check_portsip_username(std::string(65, 'a'))));
  EXPECT_EQ("empty@0", outcome(pbxmock::spec::check_portsip_username("")));
}

TEST(schema_formats, checks_sip_domains) {
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_sip_domain("pbx.example.com")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_sip_domain("10.0.0.1")));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_sip_domain("[2001:db8::1]")));
  EXPECT_EQ("port_not_allowed@15", outcome(pbxmock::spec::check_sip_domain("pbx.example.com:5060")));
  EXPECT_EQ("scheme_not_allowed@0", outcome(pbxmock::spec::check_sip_domain("https://pbx")));
  EXPECT_EQ("empty_label@2", outcome(pbxmock::spec::check_sip_domain("a..b")));
}

TEST(schema_formats, dispatches_by_name_and_accepts_unknown_formats) {
  EXPECT_TRUE(pbxmock::spec::is_known_format("sip-domain"));
  EXPECT_FALSE(pbxmock::spec::is_known_format("uuid"));
  EXPECT_EQ("accepted", outcome(pbxmock::spec::check_format("uuid", "???")));
  EXPECT_EQ("not_ipv4@0", outcome(pbxmock::spec::check_format("ipv4", "x")));
}

// The sign-in body of AUTH-API.md, the validator's everyday work.
TEST(schema_validator, validates_a_sign_in_body) {
  const json schema = json::parse(R"({
    "type": "object", "required": ["username", "password"], "additionalProperties": false,
    "properties": {
      "username": {"type": "string", "minLength": 1, "maxLength": 64, "format": "portsip-username"},
      "password": {"type": "string", "writeOnly": true},
      "domain": {"type": "string", "minLength": 1, "maxLength": 280, "format": "sip-domain"}}})");
  EXPECT_EQ(kValid, check(schema, {{"username", "alice"}, {"password", "secret"}, {"domain", "pbx.example.com"}}));
  EXPECT_EQ((Lines{"[] required \"password\"", "[/domain] format \"sip-domain\"", "[/extra] additionalProperties false"}),
            check(schema, {{"username", "alice"}, {"domain", "pbx.example.com:5060"}, {"extra", 1}}));
}

}  // namespace
