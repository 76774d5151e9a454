// `pbxmock import` on a hand-written HAR (tests/data/har/session.har: a sign-in session against
// the mock's default tenant, a planted bad answer, and entries that are not the API's): the
// contracts it writes hold no secret, the violation is listed, the scenario skeleton lints once
// its passwords are filled, and the recorded session passes `pbxmock check` against the mock
// while the session with the planted answer fails there on that step.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/scenario_server.h"
#include "support/server_process.h"

namespace {

using pbxmock::test::run_process;

const std::string kHar = std::string(PBXMOCK_SOURCE_DIR) + "/tests/data/har/session.har";
// The secrets in the HAR: alice's password and the two tokens its sign-in answer gave.
const std::vector<std::string> kSecrets = {"alice-secret", "K3Q0Z8X1W5V7U2T9S4R6P0N3M8L1J5H7G2F9E4D6C0B3A8Y1",
                                           "Z9Y8X7W6V5U4T3S2R1Q0P9O8N7M6L5K4J3I2H1G0F9E8D7C6"};

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(import_command, writes_contracts_without_secrets_and_lists_the_violation) {
  pbxmock::test::ScratchFolder folder;
  const std::string out = folder.path() + "/recorded";
  const auto r = run_process({PBXMOCK_BINARY, "import", kHar, "--out", out});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;  // 1: a violation was found
  EXPECT_NE(std::string::npos,
            r.out.find("VIOLATION entry 5 GET /api/info?domain=pbx.example.com: retrieveMetadata response schema "
                       "/body/enable_ms365_integration:"))
      << r.out;
  EXPECT_NE(std::string::npos, r.out.find("not the API's: entry 0 GET http://127.0.0.1:8887/\n")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("not the API's: entry 6 GET https://fonts.example.net/inter.woff2\n")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("environment variables (set them before pbxmock check): PBX_PASSWORD\n"))
      << r.out;
  EXPECT_NE(std::string::npos, r.out.find("7 entries: 5 the API's (http://127.0.0.1:8887), 2 not; 1 violation(s)\n"))
      << r.out;

  for (const char* name : {"contracts/session-1.yaml", "contracts/session-2.yaml", "scenario.yaml"}) {
    const std::string text = read(out + "/" + name);
    ASSERT_FALSE(text.empty()) << name << " not written\n" << r.out;
    for (const auto& secret : kSecrets) EXPECT_EQ(std::string::npos, text.find(secret)) << secret << " in " << name;
  }
  const std::string session = read(out + "/contracts/session-1.yaml");
  EXPECT_NE(std::string::npos, session.find("${env.PBX_PASSWORD}")) << session;
  EXPECT_NE(std::string::npos, session.find("Bearer ${access_token}")) << session;
}

TEST(import_command, the_recorded_session_passes_against_the_mock_and_the_planted_answer_does_not) {
  pbxmock::test::ScratchFolder folder;
  const std::string out = folder.path() + "/recorded";
  ASSERT_EQ(1, run_process({PBXMOCK_BINARY, "import", kHar, "--out", out}).exit_code);
  pbxmock::test::MockServer mock;

  const auto pass = run_process({"/usr/bin/env", "PBX_PASSWORD=alice-secret", PBXMOCK_BINARY, "check", "--target",
                                 mock.url(), out + "/contracts/session-1.yaml"});
  EXPECT_EQ(0, pass.exit_code) << pass.out << pass.err;
  EXPECT_NE(std::string::npos, pass.out.find("4 passed, 0 failed")) << pass.out;

  // Without the password the step says which variable is missing, and the secret is nowhere.
  const auto unset = run_process({"/usr/bin/env", "-u", "PBX_PASSWORD", PBXMOCK_BINARY, "check", "--target", mock.url(),
                                  out + "/contracts/session-1.yaml"});
  EXPECT_EQ(1, unset.exit_code) << unset.out;
  EXPECT_NE(std::string::npos, unset.out.find("PBX_PASSWORD")) << unset.out;

  // The planted answer had a string where the mock answers a boolean: the mock differs there.
  const auto differs = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), out + "/contracts/session-2.yaml"});
  EXPECT_EQ(1, differs.exit_code) << differs.out << differs.err;
  EXPECT_NE(std::string::npos, differs.out.find("FAIL " + out + "/contracts/session-2.yaml")) << differs.out;
  EXPECT_NE(std::string::npos, differs.out.find("/enable_ms365_integration")) << differs.out;
}

TEST(import_command, the_scenario_skeleton_lints_once_its_passwords_are_filled) {
  pbxmock::test::ScratchFolder folder;
  const std::string out = folder.path() + "/recorded";
  ASSERT_EQ(1, run_process({PBXMOCK_BINARY, "import", kHar, "--out", out}).exit_code);
  const std::string skeleton = read(out + "/scenario.yaml");
  const auto unfilled = run_process({PBXMOCK_BINARY, "lint", out + "/scenario.yaml"});
  EXPECT_EQ(1, unfilled.exit_code) << unfilled.out << unfilled.err;
  EXPECT_NE(std::string::npos, (unfilled.out + unfilled.err).find("/tenants/0/users/0/password")) << unfilled.out << unfilled.err;

  std::string filled = skeleton;
  for (std::size_t at; (at = filled.find("password: ~")) != std::string::npos;) filled.replace(at, 11, "password: alice-secret");
  const std::string file = folder.write("filled.yaml", filled);
  const auto lint = run_process({PBXMOCK_BINARY, "lint", file});
  EXPECT_EQ(0, lint.exit_code) << lint.out << lint.err << filled;
}

TEST(import_command, a_broken_har_is_a_usage_error_naming_where) {
  pbxmock::test::ScratchFolder folder;
  const std::string file = folder.write("broken.har", R"({"log":{"entries":[{"request":{"method":"GET"},"response":{}}]}})");
  const auto r = run_process({PBXMOCK_BINARY, "import", file, "--out", folder.path() + "/x"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("pbxmock import: " + file + ": /log/entries/0/request/url: missing\n", r.err);

  const std::string truncated = folder.write("truncated.har", "{\"log\": {\n  \"entries\": [\n");
  const auto t = run_process({PBXMOCK_BINARY, "import", truncated, "--out", folder.path() + "/x"});
  EXPECT_EQ(2, t.exit_code);
  EXPECT_EQ(0u, t.err.find("pbxmock import: " + truncated + ":3:1: not JSON: ")) << t.err;
}

}  // namespace
