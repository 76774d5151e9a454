// `pbxmock validate` run as a real process: its output lines and exit statuses.
#include <gtest/gtest.h>

#include "support/process.h"

namespace {

using pbxmock::test::run_process;

pbxmock::test::ProcessResult pbxmock(std::vector<std::string> args, const std::string& input = {}) {
  args.insert(args.begin(), PBXMOCK_BINARY);
  return run_process(args, input);
}

TEST(validate_command, accepts_a_valid_username) {
  const auto r = pbxmock({"validate", "username", "alice.o'neil"});
  EXPECT_EQ("ok alice.o'neil\n", r.out);
  EXPECT_EQ(0, r.exit_code);
}

TEST(validate_command, reports_rule_and_position_of_an_invalid_username) {
  const auto r = pbxmock({"validate", "username", "bob smith"});
  EXPECT_EQ("invalid bad_character at 3\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, prints_one_line_per_value_in_order_and_fails_if_any_fails) {
  const auto r = pbxmock({"validate", "username", "carol", ".dave", "erin.", "Root"});
  EXPECT_EQ("ok carol\ninvalid leading_period at 0\ninvalid trailing_period at 4\ninvalid reserved at 0\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, system_admin_flag_allows_reserved_names) {
  const auto r = pbxmock({"validate", "username", "--system-admin", "ADMIN", "administrator"});
  EXPECT_EQ("ok ADMIN\nok administrator\n", r.out);
  EXPECT_EQ(0, r.exit_code);
}

TEST(validate_command, everything_after_double_dash_is_a_value) {
  const auto r = pbxmock({"validate", "username", "--", "-x", "--system-admin"});
  EXPECT_EQ("ok -x\nok --system-admin\n", r.out);
  EXPECT_EQ(0, r.exit_code);
}

TEST(validate_command, lone_dash_reads_values_from_standard_input) {
  const auto r = pbxmock({"validate", "username", "-"}, "frank\n\ngrace\r\n");
  EXPECT_EQ("ok frank\ninvalid empty at 0\nok grace\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, lone_dash_after_double_dash_is_a_value_not_standard_input) {
  const auto r = pbxmock({"validate", "username", "--", "-"}, "zed\n");
  EXPECT_EQ("ok -\n", r.out);
  EXPECT_EQ(0, r.exit_code);
}

// "[a,b]" is a list to CLI11 and "[]" an empty one; a domain value must reach the parser as
// written, and brackets hold an IPv6 address only (AUTH-API.md B3).
TEST(validate_command, bracketed_values_reach_the_domain_parser_as_written) {
  const auto r = pbxmock({"validate", "domain", "--", "[example.com]", "[]", "[1.2.3.4]", "[::1]", "[a,b]"});
  EXPECT_EQ("invalid ipv6_syntax at 2\ninvalid ipv6_syntax at 1\ninvalid ipv6_syntax at 8\nok ::1\n"
            "invalid bad_character at 2\n",
            r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, bracketed_values_without_double_dash_are_values_too) {
  const auto r = pbxmock({"validate", "domain", "[example.com]", "[]"});
  EXPECT_EQ("invalid ipv6_syntax at 2\ninvalid ipv6_syntax at 1\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, normalizes_domains) {
  const auto r = pbxmock({"validate", "domain", "PBX.Example.COM.", "2001:DB8:0:0:0:0:0:1", "[fe80::0:1]", "10.0.0.7"});
  EXPECT_EQ("ok pbx.example.com\nok 2001:db8::1\nok fe80::1\nok 10.0.0.7\n", r.out);
  EXPECT_EQ(0, r.exit_code);
}

TEST(validate_command, reports_invalid_domains) {
  const auto r = pbxmock({"validate", "domain", "--", "a_b.example.com", "10.0.0.256", "-pbx.example.com"});
  EXPECT_EQ("invalid bad_character at 1\ninvalid ipv4_octet_range at 7\ninvalid leading_hyphen at 0\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, domains_from_standard_input) {
  const auto r = pbxmock({"validate", "domain", "-"}, "tenant1.example.org\nexample..org\n");
  EXPECT_EQ("ok tenant1.example.org\ninvalid empty_label at 8\n", r.out);
  EXPECT_EQ(1, r.exit_code);
}

TEST(validate_command, missing_values_is_a_usage_error) {
  const auto r = pbxmock({"validate", "username"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("", r.out);
  EXPECT_NE(std::string::npos, r.err.find("values")) << r.err;
}

TEST(validate_command, unknown_option_is_a_usage_error) {
  const auto r = pbxmock({"validate", "username", "--bogus", "alice"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("--bogus")) << r.err;
}

TEST(validate_command, missing_field_or_subcommand_is_a_usage_error) {
  EXPECT_EQ(2, pbxmock({"validate"}).exit_code);
  EXPECT_EQ(2, pbxmock({}).exit_code);
  EXPECT_EQ(2, pbxmock({"frobnicate"}).exit_code);
}

TEST(validate_command, help_and_version_exit_zero) {
  const auto help = pbxmock({"--help"});
  EXPECT_EQ(0, help.exit_code);
  EXPECT_NE(std::string::npos, help.out.find("validate")) << help.out;
  const auto version = pbxmock({"--version"});
  EXPECT_EQ(0, version.exit_code);
  EXPECT_EQ(0u, version.out.rfind("pbxmock ", 0)) << version.out;
}

}  // namespace
