// The contract suite (contracts/suite/) against the real mock: `pbxmock serve --port 0`
// with its default scenario, then `pbxmock check` on the suite. Every step passes, the
// JUnit file is valid, and the part meant for a real PBX (--tag '!mock') passes on its own.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "support/process.h"
#include "support/scenario_server.h"

namespace {

using pbxmock::test::run_process;

const std::string kSuite = std::string(PBXMOCK_SOURCE_DIR) + "/contracts/suite";

using pbxmock::test::MockServer;

TEST(contract_suite, passes_against_the_mock_with_valid_junit) {
  MockServer mock;
  const std::string junit = ::testing::TempDir() + "contract_suite_" + std::to_string(::getpid()) + ".xml";
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), "--junit", junit, kSuite}, {},
                             std::chrono::seconds(60));
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_EQ(std::string::npos, r.out.find("FAIL ")) << r.out;
  // The closing line: every step passed, and there are at least the 60 the suite promises.
  const auto closing = r.out.rfind("passed, ");
  ASSERT_NE(std::string::npos, closing) << r.out;
  const auto line_start = r.out.rfind('\n', closing) + 1;
  const int passed = std::stoi(r.out.substr(line_start));
  EXPECT_GE(passed, 60);
  EXPECT_EQ(std::to_string(passed) + " passed, 0 failed\n", r.out.substr(line_start));

  const auto lint = run_process({PBXMOCK_XMLLINT, "--noout", junit});
  EXPECT_EQ(0, lint.exit_code) << lint.err;
  const auto tests = run_process({PBXMOCK_XMLLINT, "--xpath", "string(/testsuites/@tests)", junit});
  EXPECT_EQ(std::to_string(passed) + "\n", tests.out);
  std::remove(junit.c_str());
}

TEST(contract_suite, is_rerunnable_against_the_same_mock) {
  MockServer mock;
  for (int run = 0; run < 2; ++run) {
    const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), kSuite}, {}, std::chrono::seconds(60));
    EXPECT_EQ(0, r.exit_code) << "run " << run << "\n" << r.out << r.err;
  }
}

TEST(contract_suite, the_part_for_a_real_pbx_passes_on_its_own) {
  MockServer mock;
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), "--tag", "!mock", kSuite}, {},
                             std::chrono::seconds(60));
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_EQ(std::string::npos, r.out.find("admin.yaml")) << r.out;
  EXPECT_EQ(std::string::npos, r.out.find("two_factor.yaml")) << r.out;  // every contract there needs the outbox
  EXPECT_EQ(std::string::npos, r.out.find("reset the mock")) << r.out;
}

}  // namespace
