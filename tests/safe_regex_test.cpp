// The one regex engine for patterns from outside (issue 9 findings 3, 4, 8): linear time, no
// recursion, refusals that say why.
#include <gtest/gtest.h>

#include <string>

#include "spec/safe_regex.h"

namespace {

using pbxmock::spec::SafeRegex;
using pbxmock::spec::translate_unicode_escapes;

SafeRegex compiled(const std::string& pattern) {
  auto result = SafeRegex::compile(pattern);
  if (!result) ADD_FAILURE() << pattern << ": " << result.error();
  return std::move(result).value();
}

std::string refusal(const std::string& pattern) {
  const auto result = SafeRegex::compile(pattern);
  return result ? std::string("(compiled)") : result.error();
}

TEST(safe_regex, searches_anywhere_unless_anchored) {
  EXPECT_TRUE(compiled("b+").search("abbbc"));
  EXPECT_FALSE(compiled("^b+").search("abbbc"));
  EXPECT_TRUE(compiled(R"(^\d{3}-\w+$)").search("123-abc_9"));
  EXPECT_FALSE(compiled(R"(^\d{3}-\w+$)").search("123-abc!"));
}

TEST(safe_regex, dollar_matches_only_at_the_very_end_as_in_ecmascript) {
  EXPECT_FALSE(compiled("^a$").search("a\n"));
}

TEST(safe_regex, matches_by_code_point) {
  EXPECT_TRUE(compiled("^.{3}$").search("h\xC3\xA9h"));  // hé h: three code points, four bytes
  EXPECT_TRUE(compiled(R"(^\u00e9$)").search("\xC3\xA9"));
}

// Finding 3: std::regex recursed once per character and overflowed a 1 MiB worker stack.
TEST(safe_regex, a_long_subject_needs_no_stack) {
  const std::string subject(1 << 20, 'a');
  EXPECT_TRUE(compiled(R"(^(\w|-)+$)").search(subject));
  EXPECT_TRUE(compiled(R"((.|\s)*)").search(subject));
  EXPECT_TRUE(compiled("^(a|b)*$").search(subject));
}

// Finding 4: exponential backtracking. 2^60 steps would never finish; RE2 is linear.
TEST(safe_regex, catastrophic_backtracking_patterns_are_linear) {
  EXPECT_FALSE(compiled("^(a+)+$").search(std::string(60, 'a') + "!"));
  EXPECT_FALSE(compiled("^(a|aa)+$").search(std::string(60, 'a') + "!"));
}

// Finding 8: 2,000 nested groups overflowed std::regex's compiler (ASan, from 1,000 on).
// RE2 parses and compiles with explicit stacks: they compile and match; deeper ones exceed
// the pattern size limit before any depth could matter.
TEST(safe_regex, deep_nesting_compiles_without_recursion) {
  const std::string nested = std::string(2'000, '(') + "a" + std::string(2'000, ')');
  EXPECT_TRUE(compiled(nested).search("xay"));
  const std::string deeper = std::string(20'000, '(') + "a" + std::string(20'000, ')');
  EXPECT_NE(std::string::npos, refusal(deeper).find("bytes long")) << refusal(deeper);
}

TEST(safe_regex, what_re2_cannot_do_is_refused_and_named) {
  EXPECT_NE(std::string::npos, refusal(R"((a)\1)").find("backreferences")) << refusal(R"((a)\1)");
  EXPECT_NE(std::string::npos, refusal("a(?=b)").find("lookahead")) << refusal("a(?=b)");
  EXPECT_NE(std::string::npos, refusal("a(?!b)").find("lookahead")) << refusal("a(?!b)");
  EXPECT_NE(std::string::npos, refusal("(?<=a)b").find("lookbehind")) << refusal("(?<=a)b");
  EXPECT_NE(std::string::npos, refusal("a{1001}").find("1,000")) << refusal("a{1001}");
  EXPECT_NE("(compiled)", refusal("(unclosed"));
}

TEST(safe_regex, size_is_bounded) {
  EXPECT_NE(std::string::npos, refusal(std::string(SafeRegex::kMaxPatternBytes + 1, 'a')).find("bytes long"));
  // Small text, big program: a Unicode class (hundreds of instructions in UTF-8) repeated.
  const std::string big = R"(\pL{1000}\pL{1000}\pL{1000}\pL{1000})";
  EXPECT_NE(std::string::npos, refusal(big).find("too large")) << refusal(big);
}

TEST(safe_regex, first_capture_is_the_first_group_or_the_whole_match) {
  EXPECT_EQ("42", compiled(R"(id=(\d+))").first_capture("x id=42 y"));
  EXPECT_EQ("id=42", compiled(R"(id=\d+)").first_capture("x id=42 y"));
  EXPECT_EQ("", compiled(R"(id=(\d+)?)").first_capture("id="));
  EXPECT_EQ(std::nullopt, compiled(R"(id=(\d+))").first_capture("nothing"));
}

TEST(safe_regex, unicode_escapes_become_re2_escapes_and_nothing_else_changes) {
  EXPECT_EQ(R"(\x{00e9}a)", translate_unicode_escapes(R"(\u00e9a)"));
  EXPECT_EQ(R"(\\u00e9)", translate_unicode_escapes(R"(\\u00e9)"));  // an escaped backslash, then text
  EXPECT_EQ(R"(\u12)", translate_unicode_escapes(R"(\u12)"));
  EXPECT_EQ(R"(\d\/)", translate_unicode_escapes(R"(\d\/)"));
}

}  // namespace
