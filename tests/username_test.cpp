// Table tests for parse_username (AUTH-API.md A "Shared field rules", B2). Expected values
// are written by hand from the rules, never produced by the parser.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "spec/username.h"

namespace {

using pbxmock::spec::parse_username;
using pbxmock::spec::ReservedNames;

// "accepted" or "rule@position": one EXPECT_EQ checks the reason and where, and a
// failure prints both readably.
std::string outcome(std::string_view input, ReservedNames reserved = ReservedNames::reject) {
  const auto result = parse_username(input, reserved);
  if (result) return result.value() == input ? "accepted" : "accepted but changed";
  return std::string(to_string(result.error().rule)) + "@" + std::to_string(result.error().position);
}

TEST(username_parser, accepts_letters_digits_and_the_four_marks) {
  EXPECT_EQ("accepted", outcome("john"));
  EXPECT_EQ("accepted", outcome("John.Smith"));
  EXPECT_EQ("accepted", outcome("o'brien"));
  EXPECT_EQ("accepted", outcome("user_01"));
  EXPECT_EQ("accepted", outcome("sales-team"));
  EXPECT_EQ("accepted", outcome("a.b.c"));
  EXPECT_EQ("accepted", outcome("1001"));
}

TEST(username_parser, accepts_one_character) {
  EXPECT_EQ("accepted", outcome("a"));
  EXPECT_EQ("accepted", outcome("7"));
  EXPECT_EQ("accepted", outcome("_"));
  EXPECT_EQ("accepted", outcome("-"));
  EXPECT_EQ("accepted", outcome("'"));
}

TEST(username_parser, returns_the_input_itself) {
  const std::string input = "Jane.Doe";
  const auto result = parse_username(input);
  ASSERT_TRUE(result);
  EXPECT_EQ(input.data(), result.value().data());
  EXPECT_EQ(input.size(), result.value().size());
}

TEST(username_parser, rejects_empty) { EXPECT_EQ("empty@0", outcome("")); }

TEST(username_parser, accepts_64_characters) { EXPECT_EQ("accepted", outcome(std::string(64, 'a'))); }

TEST(username_parser, rejects_65_characters_at_64) {
  EXPECT_EQ("too_long@64", outcome(std::string(65, 'a')));
  EXPECT_EQ("too_long@64", outcome(std::string(1000, 'b')));
}

TEST(username_parser, rejects_white_space) {
  EXPECT_EQ("bad_character@4", outcome("john smith"));
  EXPECT_EQ("bad_character@0", outcome(" john"));
  EXPECT_EQ("bad_character@4", outcome("john\t"));
  EXPECT_EQ("bad_character@4", outcome("john\n"));
}

TEST(username_parser, rejects_punctuation_outside_the_four_marks) {
  EXPECT_EQ("bad_character@4", outcome("john@example.com"));
  EXPECT_EQ("bad_character@1", outcome("a+b"));
  EXPECT_EQ("bad_character@1", outcome("a,b"));
  EXPECT_EQ("bad_character@0", outcome("\"john\""));
  EXPECT_EQ("bad_character@4", outcome("john/smith"));
  EXPECT_EQ("bad_character@5", outcome("sales:1"));
}

TEST(username_parser, rejects_a_nul_byte) {
  EXPECT_EQ("bad_character@2", outcome(std::string_view("jo\0hn", 5)));
}

// Letters that look like ASCII ones: only the first byte of the UTF-8 sequence matters.
TEST(username_parser, rejects_look_alike_non_ascii_letters) {
  EXPECT_EQ("bad_character@0", outcome("\xD0\xB0" "dmin"));          // Cyrillic a, U+0430
  EXPECT_EQ("bad_character@0", outcome("\xEF\xBD\x81" "dmin"));      // fullwidth a, U+FF41
  EXPECT_EQ("bad_character@3", outcome("adm\xC4\xB1n"));             // dotless i, U+0131
  EXPECT_EQ("bad_character@2", outcome("ad\xE2\x80\x8B" "min"));     // zero-width space, U+200B
  EXPECT_EQ("bad_character@4", outcome("john\xC2\xA0smith"));        // no-break space, U+00A0
  EXPECT_EQ("bad_character@1", outcome("j\xC3\xBCrgen"));            // u with diaeresis, U+00FC
}

TEST(username_parser, rejects_leading_period) {
  EXPECT_EQ("leading_period@0", outcome(".john"));
  EXPECT_EQ("leading_period@0", outcome("."));
  EXPECT_EQ("leading_period@0", outcome(".john."));
}

TEST(username_parser, rejects_trailing_period) {
  EXPECT_EQ("trailing_period@4", outcome("john."));
  EXPECT_EQ("trailing_period@1", outcome("a."));
  EXPECT_EQ("trailing_period@2", outcome("a.."));
}

TEST(username_parser, accepts_inner_periods) {
  EXPECT_EQ("accepted", outcome("a..b"));
  EXPECT_EQ("accepted", outcome("first.middle.last"));
}

TEST(username_parser, rejects_reserved_names_in_any_letter_case) {
  EXPECT_EQ("reserved@0", outcome("admin"));
  EXPECT_EQ("reserved@0", outcome("ADMIN"));
  EXPECT_EQ("reserved@0", outcome("aDmIn"));
  EXPECT_EQ("reserved@0", outcome("system"));
  EXPECT_EQ("reserved@0", outcome("System"));
  EXPECT_EQ("reserved@0", outcome("administrator"));
  EXPECT_EQ("reserved@0", outcome("AdministratoR"));
  EXPECT_EQ("reserved@0", outcome("root"));
  EXPECT_EQ("reserved@0", outcome("ROOT"));
}

TEST(username_parser, accepts_reserved_names_when_allowed) {
  EXPECT_EQ("accepted", outcome("admin", ReservedNames::allow));
  EXPECT_EQ("accepted", outcome("SYSTEM", ReservedNames::allow));
  EXPECT_EQ("accepted", outcome("Administrator", ReservedNames::allow));
  EXPECT_EQ("accepted", outcome("rOOt", ReservedNames::allow));
}

TEST(username_parser, allowing_reserved_names_relaxes_no_other_rule) {
  EXPECT_EQ("trailing_period@5", outcome("admin.", ReservedNames::allow));
  EXPECT_EQ("bad_character@4", outcome("root ", ReservedNames::allow));
  EXPECT_EQ("empty@0", outcome("", ReservedNames::allow));
}

TEST(username_parser, accepts_names_that_only_contain_a_reserved_name) {
  EXPECT_EQ("accepted", outcome("admin1"));
  EXPECT_EQ("accepted", outcome("administrators"));
  EXPECT_EQ("accepted", outcome("rooted"));
  EXPECT_EQ("accepted", outcome("sys.tem"));
  EXPECT_EQ("accepted", outcome("adm"));
  EXPECT_EQ("accepted", outcome("root_"));
}

// The order in username.h: empty, bad_character, too_long, leading_period, trailing_period, reserved.
TEST(username_parser, reports_the_first_rule_in_the_documented_order) {
  EXPECT_EQ("bad_character@70", outcome(std::string(70, 'a') + "@"));
  EXPECT_EQ("too_long@64", outcome("." + std::string(64, 'a')));
  EXPECT_EQ("leading_period@0", outcome(".admin"));
  EXPECT_EQ("trailing_period@5", outcome("admin."));
  EXPECT_EQ("bad_character@6", outcome(".admin@"));
}

TEST(username_reserved, recognises_exactly_the_four_names) {
  EXPECT_TRUE(pbxmock::spec::is_reserved_username("Admin"));
  EXPECT_TRUE(pbxmock::spec::is_reserved_username("SYSTEM"));
  EXPECT_TRUE(pbxmock::spec::is_reserved_username("administrator"));
  EXPECT_TRUE(pbxmock::spec::is_reserved_username("Root"));
  EXPECT_FALSE(pbxmock::spec::is_reserved_username("admins"));
  EXPECT_FALSE(pbxmock::spec::is_reserved_username("roo"));
  EXPECT_FALSE(pbxmock::spec::is_reserved_username(""));
}

}  // namespace
