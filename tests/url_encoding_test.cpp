// Percent-decoding and url-encoded pairs.
#include <gtest/gtest.h>

#include "spec/url_encoding.h"

namespace {

using pbxmock::spec::parse_url_encoded;
using pbxmock::spec::percent_decode;
using pbxmock::spec::PlusIs;

TEST(percent_decode, decodes_escapes_in_either_case) {
  EXPECT_EQ("a b/c\xC3\xA9", percent_decode("a%20b%2fc%C3%a9").value());
}

TEST(percent_decode, plus_is_a_space_only_when_asked) {
  EXPECT_EQ("a+b", percent_decode("a+b").value());
  EXPECT_EQ("a b", percent_decode("a+b", PlusIs::space).value());
}

TEST(percent_decode, rejects_truncated_escape_at_its_position) {
  const auto r = percent_decode("abc%4");
  ASSERT_FALSE(r);
  EXPECT_EQ(3u, r.error().position);
}

TEST(percent_decode, rejects_non_hex_escape) {
  const auto r = percent_decode("%zz");
  ASSERT_FALSE(r);
  EXPECT_EQ(0u, r.error().position);
}

TEST(percent_decode, keeps_nul_bytes_it_decodes) {
  EXPECT_EQ(std::string("a\0b", 3), percent_decode("a%00b").value());
}

TEST(parse_url_encoded, keeps_order_repeats_and_empty_values) {
  const auto r = parse_url_encoded("a=1&b=&c&a=2");
  ASSERT_TRUE(r);
  const pbxmock::spec::NameValuePairs expected{{"a", "1"}, {"b", ""}, {"c", ""}, {"a", "2"}};
  EXPECT_EQ(expected, r.value());
}

TEST(parse_url_encoded, decodes_names_and_values) {
  const auto r = parse_url_encoded("call%5Fback=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1&name=J+Doe");
  ASSERT_TRUE(r);
  const pbxmock::spec::NameValuePairs expected{{"call_back", "https://app.example.com/cb?x=1"}, {"name", "J Doe"}};
  EXPECT_EQ(expected, r.value());
}

TEST(parse_url_encoded, skips_empty_pieces) {
  const auto r = parse_url_encoded("&&a=1&&");
  ASSERT_TRUE(r);
  EXPECT_EQ(1u, r->size());
}

TEST(parse_url_encoded, reports_bad_escape_position_in_whole_input) {
  const auto r = parse_url_encoded("a=1&domain=x%G1");
  ASSERT_FALSE(r);
  EXPECT_EQ(12u, r.error().position);
}

TEST(parse_url_encoded, equals_sign_in_value_is_kept) {
  const auto r = parse_url_encoded("t=a=b");
  ASSERT_TRUE(r);
  EXPECT_EQ("a=b", r->front().second);
}

}  // namespace
