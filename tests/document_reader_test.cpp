// The one reader of hand-written documents (scenarios, rules, contracts, OpenAPI): kinds
// named one way, problems at the value's (or key's) line and column, unknown keys listing
// the allowed ones, repeated names pointing back at the first.
#include <gtest/gtest.h>

#include "spec/document_reader.h"

namespace {

using nlohmann::json;
using pbxmock::spec::FieldReader;
using pbxmock::spec::FirstSeen;
using pbxmock::spec::kind_name;
using pbxmock::spec::SourceErrors;
using pbxmock::spec::StructuredDocument;

StructuredDocument parse(std::string_view text) {
  auto doc = pbxmock::spec::parse_structured(text, "t.yaml");
  if (!doc) throw std::runtime_error(doc.error().to_string());
  return std::move(*doc);
}

std::vector<std::string> lines(const SourceErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.to_string());
  return out;
}

// What a reader of the mapping at `pointer` in `text` reports, once `read` has run and the
// reader is finished.
template <typename Read>
std::vector<std::string> reported(std::string_view text, const std::string& pointer, Read read) {
  const auto doc = parse(text);
  SourceErrors errors;
  FieldReader fields(doc, pointer, errors);
  read(fields);
  fields.finish();
  return lines(errors);
}

TEST(document_reader, names_every_kind_one_way) {
  EXPECT_EQ("a mapping", kind_name(json::object()));
  EXPECT_EQ("a list", kind_name(json::array()));
  EXPECT_EQ("a string", kind_name(json("x")));
  EXPECT_EQ("an integer", kind_name(json(-3)));
  EXPECT_EQ("an integer", kind_name(json(18446744073709551615ULL)));
  EXPECT_EQ("a number", kind_name(json(2.5)));
  EXPECT_EQ("a boolean", kind_name(json(true)));
  EXPECT_EQ("null", kind_name(json()));
}

TEST(document_reader, unknown_key_message_lists_the_allowed_keys_in_order) {
  EXPECT_EQ("unknown key 'x' (allowed: b, a, c)", pbxmock::spec::unknown_key_message("x", {"b", "a", "c"}));
}

TEST(document_reader, reads_typed_values) {
  const auto doc = parse("name: x\nport: 8080\nrate: 2.5\nup: true\nitems: [1]\nmore: {a: 1}\n");
  SourceErrors errors;
  FieldReader fields(doc, "", errors);
  EXPECT_EQ("x", fields.string("name", true).value_or(""));
  EXPECT_EQ(8080, fields.integer("port", 1, 65535).value_or(0));
  EXPECT_EQ(2.5, fields.number("rate", 0, 4).value_or(0));
  EXPECT_EQ(true, fields.boolean("up").value_or(false));
  ASSERT_NE(nullptr, fields.list("items"));
  ASSERT_NE(nullptr, fields.mapping("more"));
  fields.finish();
  EXPECT_TRUE(errors.empty()) << errors.front().to_string();
  EXPECT_TRUE(fields.clean());
}

TEST(document_reader, a_wrong_kind_is_reported_at_the_value) {
  EXPECT_EQ((std::vector<std::string>{"t.yaml:1:7: /name: expected a string, got an integer (quote it to make it text)",
                                      "t.yaml:2:5: /up: expected a boolean, got a string",
                                      "t.yaml:3:8: /items: expected a list, got a mapping"}),
            reported("name: 42\nup: yes please\nitems: {a: 1}\n", "", [](FieldReader& fields) {
              EXPECT_FALSE(fields.string("name"));
              EXPECT_FALSE(fields.boolean("up"));
              EXPECT_EQ(nullptr, fields.list("items"));
              EXPECT_FALSE(fields.clean());
            }));
}

TEST(document_reader, numbers_outside_their_range_are_reported) {
  EXPECT_EQ((std::vector<std::string>{"t.yaml:1:7: /port: must be between 1 and 65535, got 70000",
                                      "t.yaml:2:7: /huge: must be between 1 and 65535, got 18446744073709551615",
                                      "t.yaml:3:7: /rate: must be between 0.0 and 4.0, got -1.5"}),
            reported("port: 70000\nhuge: 18446744073709551615\nrate: -1.5\n", "", [](FieldReader& fields) {
              EXPECT_FALSE(fields.integer("port", 1, 65535));
              EXPECT_FALSE(fields.integer("huge", 1, 65535));
              EXPECT_FALSE(fields.number("rate", 0, 4));
            }));
}

TEST(document_reader, an_unknown_key_is_reported_at_the_key_with_the_allowed_ones) {
  EXPECT_EQ((std::vector<std::string>{"t.yaml:3:3: /tenant/nmae: unknown key 'nmae' (allowed: name, port)"}),
            reported("tenant:\n  name: x\n  nmae: y\n", "/tenant", [](FieldReader& fields) {
              fields.string("name");
              fields.integer("port", 1, 65535);
            }));
}

TEST(document_reader, a_missing_required_key_is_reported_at_the_mapping) {
  EXPECT_EQ((std::vector<std::string>{"t.yaml:1:1: /: missing required key 'status'",
                                      "t.yaml:1:1: /: missing required key 'name'"}),
            reported("other: 1\n", "", [](FieldReader& fields) {
              fields.require("status");
              EXPECT_FALSE(fields.string("name", true));
              fields.integer("other", 0, 9);
            }));
}

TEST(document_reader, a_value_that_is_not_a_mapping_is_reported_once) {
  EXPECT_EQ((std::vector<std::string>{"t.yaml:1:1: /: expected a mapping, got a list"}),
            reported("- a\n- b\n", "", [](FieldReader& fields) {
              EXPECT_FALSE(fields.is_mapping());
              EXPECT_EQ(nullptr, fields.get("a"));
              EXPECT_FALSE(fields.string("a", true));
            }));
}

TEST(document_reader, keys_allowed_up_front_and_messages_without_the_pointer) {
  const auto doc = parse("step:\n  nmae: s\n");
  SourceErrors errors;
  FieldReader fields(doc, "/step", errors, FieldReader::Prefix::none);
  fields.allow({"name", "request"});
  fields.finish();
  fields.require("request");
  EXPECT_EQ((std::vector<std::string>{"t.yaml:2:3: unknown key 'nmae' (allowed: name, request)",
                                      "t.yaml:2:3: missing required key 'request'"}),
            lines(errors));
}

TEST(document_reader, clean_counts_only_what_was_reported_since_the_reader_was_made) {
  const auto doc = parse("a: {b: 1}\n");
  SourceErrors errors{{"other.yaml", {1, 1}, "an earlier problem"}};
  FieldReader outer(doc, "", errors);
  outer.mapping("a");
  EXPECT_TRUE(outer.clean());
  FieldReader inner(doc, "/a", errors);
  inner.string("b");  // an integer: reported by the inner reader, seen by the outer one
  EXPECT_FALSE(inner.clean());
  EXPECT_FALSE(outer.clean());
}

TEST(document_reader, a_repeated_name_points_back_at_the_first) {
  const auto doc = parse("- alice\n- bob\n- Alice\n");
  FirstSeen seen(doc, "username", "usernames ignore letter case");
  EXPECT_FALSE(seen.repeat("alice", "alice", "/0"));
  EXPECT_FALSE(seen.repeat("bob", "bob", "/1"));
  EXPECT_EQ("duplicate username 'Alice' (usernames ignore letter case; first at line 1, column 3)",
            seen.repeat("alice", "Alice", "/2").value_or("none"));
  FirstSeen plain(doc, "step name");
  plain.repeat("s", "s", "/1");
  EXPECT_EQ("duplicate step name 's' (first at line 2, column 3)", plain.repeat("s", "s", "/2").value_or("none"));
}

TEST(document_reader, sorts_errors_into_file_order) {
  SourceErrors errors{{"f", {3, 1}, "c"}, {"f", {1, 5}, "b"}, {"f", {1, 2}, "a"}, {"f", {3, 1}, "d"}};
  pbxmock::spec::sort_by_position(errors);
  EXPECT_EQ((std::vector<std::string>{"f:1:2: a", "f:1:5: b", "f:3:1: c", "f:3:1: d"}), lines(errors));
}

}  // namespace
