// Errors about a file quote words of it, never its lines (issue 9 finding 10).
#include <gtest/gtest.h>

#include "mock/error_excerpt.h"

namespace {

using pbxmock::mock::short_excerpts;

TEST(error_excerpt, short_quotes_and_pointers_stay_as_they_are) {
  const std::string message = "/tenants/0/users/1/role: unknown key 'admin' (allowed here: name, role)";
  EXPECT_EQ(message, short_excerpts(message));
}

TEST(error_excerpt, a_long_quote_and_pointer_token_keep_only_their_start) {
  const std::string line = "root:$6$saltsalt$S3CR3TH4SHS3CR3TH4SHS3CR3TH4SH:19000:0:99999:7::";
  const std::string shown = short_excerpts("/" + line + ": unknown key '" + line + "' (allowed here: name)");
  EXPECT_EQ(std::string::npos, shown.find("S3CR3TH4SH")) << shown;
  EXPECT_NE(std::string::npos, shown.find("'root:$6$saltsalt\u2026(65 chars)'")) << shown;
  EXPECT_NE(std::string::npos, shown.find("(allowed here: name)")) << shown;
}

TEST(error_excerpt, control_characters_are_not_printed) {
  EXPECT_EQ("bad '?[2J?' here", short_excerpts("bad '\x1b[2J\r' here"));
}

TEST(error_excerpt, an_unclosed_quote_is_shortened_too) {
  EXPECT_EQ("it's 0123456789abcd\u2026(22 chars)", short_excerpts("it's 0123456789abcdefghij"));
}

}  // namespace
