// Tokens and one-time codes: the right alphabet and length, no repeats, no bias.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <thread>
#include <vector>

#include "mock/auth/token_generator.h"

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

// Each thread draws from its own pool of OpenSSL's bytes: threads must not hand out the
// same tokens, and neither may a forked child and its parent.
TEST(auth_tokens, threads_draw_different_tokens) {
  std::array<std::string, 4> first;
  std::vector<std::thread> threads;
  for (auto& token : first) threads.emplace_back([&token] { token = random_token(); });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(first.size(), std::set<std::string>(first.begin(), first.end()).size());
}

TEST(auth_tokens, a_forked_child_does_not_repeat_its_parents_tokens) {
  (void)random_token();  // the pool now holds bytes the parent has yet to use
  int pipe_fds[2];
  ASSERT_EQ(0, ::pipe(pipe_fds));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string token = random_token();
    const bool ok = ::write(pipe_fds[1], token.data(), token.size()) == static_cast<ssize_t>(token.size());
    ::_exit(ok ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string from_child(pbxmock::mock::kTokenLength, '\0');
  ASSERT_EQ(static_cast<ssize_t>(from_child.size()), ::read(pipe_fds[0], from_child.data(), from_child.size()));
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(child, ::waitpid(child, &status, 0));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(random_token(), from_child);
}

TEST(auth_tokens, empty_alphabet_gives_nothing) { EXPECT_EQ("", random_string(10, "")); }

}  // namespace
