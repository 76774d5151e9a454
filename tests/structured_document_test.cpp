// YAML and JSON text into one model, with positions for error messages.
#include <gtest/gtest.h>

#include "spec/structured_document.h"

namespace {

using pbxmock::spec::parse_structured;
using nlohmann::json;

TEST(structured_document, reads_yaml_scalars_by_the_core_schema) {
  const auto doc = parse_structured(
      "s: hello\nq: '42'\ni: 42\nn: -7\nf: 2.5\nb: true\nz: ~\ne:\nx: 0x1F\nbig: 18446744073709551615\n", "t.yaml");
  ASSERT_TRUE(doc) << doc.error().to_string();
  EXPECT_EQ(json::parse(R"({"s":"hello","q":"42","i":42,"n":-7,"f":2.5,"b":true,"z":null,"e":null,"x":31,
                            "big":18446744073709551615})"),
            doc->root());
}

TEST(structured_document, quoted_scalars_stay_strings) {
  const auto doc = parse_structured("a: \"true\"\nb: 'null'\nc: \"1e3\"\n", "t.yaml");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::parse(R"({"a":"true","b":"null","c":"1e3"})"), doc->root());
}

TEST(structured_document, reads_json_exactly) {
  const auto doc = parse_structured(R"( {"a": [1, 2.5, "x", null, false], "b": {"c": -3}} )", "t.json");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::parse(R"({"a": [1, 2.5, "x", null, false], "b": {"c": -3}})"), doc->root());
}

TEST(structured_document, positions_of_yaml_values_and_keys) {
  const auto doc = parse_structured("tenants:\n  - name: one\n    users:\n      - username: alice\n", "s.yaml");
  ASSERT_TRUE(doc);
  const auto value = doc->position_of("/tenants/0/users/0/username");
  EXPECT_EQ(4u, value.line);
  EXPECT_EQ(19u, value.column);
  const auto key = doc->key_position_of("/tenants/0/users/0/username");
  EXPECT_EQ(4u, key.line);
  EXPECT_EQ(9u, key.column);
  EXPECT_EQ("s.yaml:2:11: bad name", doc->error_at("/tenants/0/name", "bad name").to_string());
}

TEST(structured_document, positions_of_json_values_are_found_on_demand) {
  const auto doc = parse_structured("{\n  \"paths\": {\n    \"/info\": {\"get\": 1}\n  }\n}\n", "d.json");
  ASSERT_TRUE(doc);
  const auto p = doc->position_of("/paths/~1info/get");
  EXPECT_EQ(3u, p.line);
  EXPECT_EQ(22u, p.column);
}

TEST(structured_document, unknown_pointer_falls_back_to_nearest_parent) {
  const auto doc = parse_structured("a:\n  b: 1\n", "t.yaml");
  ASSERT_TRUE(doc);
  EXPECT_EQ(2u, doc->position_of("/a/b/nothing/here").line);
}

TEST(structured_document, yaml_syntax_error_has_line_and_column) {
  const auto doc = parse_structured("a: 1\nb: [1, 2\n", "bad.yaml");
  ASSERT_FALSE(doc);
  EXPECT_EQ("bad.yaml", doc.error().file);
  EXPECT_LE(2u, doc.error().position.line);
  EXPECT_NE(0u, doc.error().position.column);
}

TEST(structured_document, json_syntax_error_has_line_and_column) {
  const auto doc = parse_structured("{\n  \"a\": 1,\n  \"b\": ]\n}", "bad.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(3u, doc.error().position.line);
  EXPECT_EQ(8u, doc.error().position.column);
}

TEST(structured_document, duplicate_key_is_reported_at_the_second_key) {
  const auto doc = parse_structured("name: a\nport: 1\nname: b\n", "dup.yaml");
  ASSERT_FALSE(doc);
  EXPECT_EQ("dup.yaml:3:1: duplicate key 'name'", doc.error().to_string());
}

TEST(structured_document, refuses_deep_nesting_in_yaml_and_json) {
  pbxmock::spec::StructuredLimits limits;
  limits.max_depth = 10;
  EXPECT_FALSE(parse_structured(std::string(50, '[') + std::string(50, ']'), "deep.json", limits));
  EXPECT_FALSE(parse_structured("a: " + std::string(50, '[') + std::string(50, ']'), "deep.yaml", limits));
  EXPECT_TRUE(parse_structured(std::string(5, '[') + std::string(5, ']'), "ok.json", limits));
}

TEST(structured_document, refuses_alias_expansion_past_the_node_limit) {
  pbxmock::spec::StructuredLimits limits;
  limits.max_nodes = 1000;
  const std::string laughs =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
  const auto doc = parse_structured(laughs, "laughs.yaml", limits);
  ASSERT_FALSE(doc);
  EXPECT_NE(std::string::npos, doc.error().message.find("too large"));
}

// Issue 9 finding 9: the node limit counts values, so one 300 kB string used by 100,000
// aliases passed it and asked for 28.6 GiB. The byte budget stops it after a few copies.
TEST(structured_document, refuses_alias_expansion_past_the_byte_budget) {
  std::string bomb = "big: &a \"" + std::string(300'000, 'x') + "\"\nmany: [";
  for (int i = 0; i < 100'000; ++i) bomb += i == 0 ? "*a" : ",*a";
  bomb += "]\n";
  const auto doc = parse_structured(bomb, "bomb.yaml");
  ASSERT_FALSE(doc);
  EXPECT_NE(std::string::npos, doc.error().message.find("after expanding aliases")) << doc.error().message;
  EXPECT_NE(0u, doc.error().position.line);
}

TEST(structured_document, aliases_within_the_budget_are_expanded) {
  // 4 times the input (at least 1 MiB): a 100 kB string used eight times fits.
  std::string text = "big: &a \"" + std::string(100'000, 'x') + "\"\nmany: [*a, *a, *a, *a, *a, *a, *a, *a]\n";
  const auto doc = parse_structured(text, "fine.yaml");
  ASSERT_TRUE(doc) << doc.error().to_string();
  EXPECT_EQ(8u, doc->root()["many"].size());
}

TEST(structured_document, pointer_append_escapes_tilde_and_slash) {
  EXPECT_EQ("/paths/~1auth~1sign_in/a~0b", pbxmock::spec::pointer_append(
                                                pbxmock::spec::pointer_append("/paths", "/auth/sign_in"), "a~b"));
}

}  // namespace
