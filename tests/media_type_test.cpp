// Content-Type parsing and matching against declared media types.
#include <gtest/gtest.h>

#include "spec/media_type.h"

namespace {

using pbxmock::spec::media_type_matches;
using pbxmock::spec::parse_media_type;

TEST(media_type, lower_cases_type_and_parameter_names) {
  const auto m = parse_media_type("Application/JSON; Charset=UTF-8");
  ASSERT_TRUE(m);
  EXPECT_EQ("application/json", m->type);
  ASSERT_NE(nullptr, m->parameter("charset"));
  EXPECT_EQ("UTF-8", *m->parameter("charset"));
}

TEST(media_type, unquotes_parameter_values) {
  const auto m = parse_media_type("multipart/form-data; boundary=\"a b\"");
  ASSERT_TRUE(m);
  EXPECT_EQ("a b", *m->parameter("boundary"));
}

TEST(media_type, rejects_missing_subtype_and_junk) {
  EXPECT_FALSE(parse_media_type("application"));
  EXPECT_FALSE(parse_media_type("application/"));
  EXPECT_FALSE(parse_media_type(""));
  EXPECT_FALSE(parse_media_type("text/plain; charset"));
  EXPECT_FALSE(parse_media_type("a b/c"));
}

TEST(media_type, tolerates_spaces_and_empty_parameters) {
  const auto m = parse_media_type("  text/html ;; charset=utf-8 ; ");
  ASSERT_TRUE(m);
  EXPECT_EQ("text/html", m->type);
  EXPECT_EQ(1u, m->parameters.size());
}

TEST(media_type, matches_exact_wildcards_and_json_suffix) {
  EXPECT_TRUE(media_type_matches("application/json", "application/json"));
  EXPECT_TRUE(media_type_matches("application/json; charset=utf-8", "application/json"));
  EXPECT_TRUE(media_type_matches("application/*", "application/x-www-form-urlencoded"));
  EXPECT_TRUE(media_type_matches("*/*", "text/plain"));
  EXPECT_TRUE(media_type_matches("application/json", "application/problem+json"));
  EXPECT_FALSE(media_type_matches("application/json", "text/json"));
  EXPECT_FALSE(media_type_matches("application/x-www-form-urlencoded", "application/json"));
  EXPECT_FALSE(media_type_matches("text/*", "application/json"));
}

}  // namespace
