// Tokens and one-time codes: the right alphabet and length, no repeats, no bias.
#include <gtest/gtest.h>

#include <array>
#include <set>

#include "mock/token_generator.h"

namespace {

using pbxmock::mock::random_otp_code;
using pbxmock::mock::random_string;
using pbxmock::mock::random_token;

bool only_upper_and_digits(const std::string& s) {
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

TEST(auth_tokens, are_48_characters_of_A_to_Z_and_0_to_9) {
  for (int i = 0; i < 100; ++i) {
    const auto token = random_token();
    ASSERT_EQ(48u, token.size());
    ASSERT_TRUE(only_upper_and_digits(token)) << token;
  }
}

TEST(auth_tokens, do_not_repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(seen.insert(random_token()).second);
}

TEST(auth_tokens, otp_codes_are_six_digits) {
  for (int i = 0; i < 100; ++i) {
    const auto code = random_otp_code();
    ASSERT_EQ(6u, code.size());
    for (char c : code) ASSERT_TRUE(c >= '0' && c <= '9') << code;
  }
}

// Without rejection sampling, 256 % 36 = 4 characters (A-D) would come up 8/7 as often as
// the others: with 144,000 draws each expects 4,000 (standard deviation about 62), a
// biased one 4,500. A fair generator stays within 4000 +- 300 (4.8 deviations) for every
// character; the biased four would not.
TEST(auth_tokens, every_character_is_equally_likely) {
  std::array<int, 36> counts{};
  const std::string_view alphabet = pbxmock::mock::kTokenAlphabet;
  const auto text = random_string(144000, alphabet);
  for (char c : text) ++counts[alphabet.find(c)];
  for (std::size_t i = 0; i < counts.size(); ++i) {
    EXPECT_GT(counts[i], 3700) << alphabet[i];
    EXPECT_LT(counts[i], 4300) << alphabet[i];
  }
}

TEST(auth_tokens, empty_alphabet_gives_nothing) { EXPECT_EQ("", random_string(10, "")); }

}  // namespace
