// `pbxmock spec [FILE]` run as a real process: one line per operation, or the error.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "support/process.h"
#include "support/shared_files.h"

namespace {

using pbxmock::test::run_process;

pbxmock::test::ProcessResult pbxmock(std::vector<std::string> args) {
  args.insert(args.begin(), PBXMOCK_BINARY);
  return run_process(args);
}

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(spec_command, lists_the_builtin_operations_in_document_order) {
  const auto r = pbxmock({"spec"});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("", r.err);
  EXPECT_EQ(
      "GET /api/info retrieveMetadata\n"
      "POST /api/auth/sign_in signInWithCredentials\n"
      "POST /api/auth/sign_in/{provider} signInWithSocialAccount\n"
      "POST /api/auth/sign_out signOut\n"
      "POST /api/auth/send_otp sendOTP\n"
      "POST /api/auth/verify_otp verifyOTP\n"
      "POST /api/auth/forget_password forgetPassword\n"
      "POST /api/auth/reset_password resetPassword\n"
      "POST /api/auth/refresh_token refreshToken\n"
      "GET /api/auth/user getUserAuthInfo\n"
      "GET /api/login getLoginStatus\n"
      "POST /api/login login\n"
      "POST /api/login/by_microsoft loginWithMicrosoft\n"
      "POST /api/logout logout\n"
      "POST /api/login/oauth/token requestOAuthToken\n",
      r.out);
}

TEST(spec_command, lists_the_vendors_567) {
  const std::string path = pbxmock::test::shared_file("portsip/openapi-22.0.json");
  ASSERT_TRUE(pbxmock::test::file_exists(path)) << pbxmock::test::missing_file_message(path);
  const auto r = pbxmock({"spec", path});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(567u, count_lines(r.out));
  EXPECT_EQ(0u, r.out.rfind("GET /api/info retrieveMetadata\nPOST /api/auth/sign_in signInWithCredentials\n", 0));
}

TEST(spec_command, an_operation_without_id_has_no_trailing_space) {
  const auto path = write_temp("spec_command_no_id.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    get: {responses: {}}\n    put: {operationId: putA, responses: {}}\n");
  const auto r = pbxmock({"spec", path});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("GET /a\nPUT /a putA\n", r.out);
}

TEST(spec_command, a_bad_file_prints_file_line_column_and_exits_2) {
  const auto path = write_temp("spec_command_bad.yaml", "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get: {responses: {}}\n");
  const auto r = pbxmock({"spec", path});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("", r.out);
  EXPECT_EQ(path + ":4:10: /paths/~1a~1{id}/get: '/a/{id}' has {id}, but GET declares no parameter named 'id' with 'in: path'\n", r.err);
}

TEST(spec_command, a_missing_file_exits_2) {
  const auto r = pbxmock({"spec", "/no/such/spec.yaml"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("/no/such/spec.yaml: cannot open file\n", r.err);
}

TEST(spec_command, extra_arguments_are_a_usage_error) {
  const auto r = pbxmock({"spec", "a.yaml", "b.yaml"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("", r.out);
}

TEST(spec_command, help_mentions_the_subcommand) {
  const auto r = pbxmock({"--help"});
  EXPECT_EQ(0, r.exit_code);
  EXPECT_NE(std::string::npos, r.out.find("spec")) << r.out;
}

}  // namespace
