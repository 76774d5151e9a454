// Coverage and decision tags in `pbxmock check`, against the real mock: the closing lines say
// which operations and declared statuses the contracts reached, --coverage writes them,
// --min-coverage fails a run below its marks, and a B-tag line turns "differs" when the server
// breaks that decision (a scenario rule planted for it).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/scenario_server.h"
#include "support/server_process.h"

namespace {

using pbxmock::test::run_process;

const std::string kSuite = std::string(PBXMOCK_SOURCE_DIR) + "/contracts/suite";

TEST(check_coverage, the_suite_reaches_every_operation_and_writes_the_file) {
  pbxmock::test::MockServer mock;
  pbxmock::test::ScratchFolder folder;
  const std::string file = folder.path() + "/coverage.json";
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), "--coverage", file, "--min-coverage",
                              "operations=100,statuses=50", kSuite},
                             {}, std::chrono::seconds(90));
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_NE(std::string::npos, r.out.find("coverage: 15/15 operations exercised, ")) << r.out;
  // The closing line stays last.
  EXPECT_EQ("0 failed\n", r.out.substr(r.out.size() - 9));

  std::ifstream in(file);
  const auto report = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(report.is_object()) << file;
  EXPECT_EQ(15, report["operations"]["exercised"]);
  EXPECT_EQ(15, report["operations"]["total"]);
  EXPECT_GT(report["statuses"]["seen"].get<int>(), 0);
  EXPECT_LE(report["statuses"]["seen"].get<int>(), report["statuses"]["declared"].get<int>());
  bool sign_in_200 = false;
  for (const auto& row : report["by_operation"]) {
    if (row["operation"] == "signInWithCredentials") {
      for (const auto& s : row["statuses_seen"]) sign_in_200 |= s == 200;
    }
  }
  EXPECT_TRUE(sign_in_200) << report.dump(2);
}

TEST(check_coverage, a_run_below_the_mark_fails_and_says_which) {
  pbxmock::test::MockServer mock;
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), "--min-coverage", "operations=100",
                              kSuite + "/metadata.yaml"});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_EQ(std::string::npos, r.out.find("FAIL ")) << r.out;  // every step passed: the coverage failed the run
  // GET /info alone; its three declared statuses (200, 400, 404) are all reached.
  EXPECT_NE(std::string::npos, r.out.find("coverage: 1/15 operations exercised, 3/")) << r.out;
  EXPECT_EQ(std::string::npos, r.out.find("not seen:")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("coverage below --min-coverage: operations 6.7% is below 100.0%")) << r.out;
}

TEST(check_coverage, statuses_not_seen_are_listed_for_the_operations_exercised) {
  pbxmock::test::MockServer mock;
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), "--min-coverage", "statuses=90",
                              kSuite + "/refresh.yaml"});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  // refresh.yaml never sends an oversized body: 413 is declared for refreshToken and not seen.
  EXPECT_NE(std::string::npos, r.out.find("  not seen: ")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("refreshToken 413")) << r.out;
  EXPECT_EQ(std::string::npos, r.out.find("retrieveMetadata")) << r.out;  // not exercised: not listed
  EXPECT_NE(std::string::npos, r.out.find("coverage below --min-coverage: statuses ")) << r.out;
}

TEST(check_coverage, a_bad_mark_is_a_usage_error) {
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", "http://127.0.0.1:1", "--min-coverage",
                              "operations=120", kSuite});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("the mark must be a number from 0 to 100")) << r.err;
}

TEST(check_tags, every_decision_is_shared_by_the_mock) {
  pbxmock::test::MockServer mock;
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", mock.url(), kSuite}, {}, std::chrono::seconds(90));
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  for (int b = 1; b <= 13; ++b) {
    EXPECT_NE(std::string::npos, r.out.find("\nB" + std::to_string(b) + " shared: passed (")) << "B" << b << "\n" << r.out;
  }
  EXPECT_EQ(std::string::npos, r.out.find(" differs: ")) << r.out;
}

TEST(check_tags, a_server_that_breaks_a_decision_shows_that_tag_failed) {
  // B9: a domain with no tenant is 404. This server answers 200 for one.
  pbxmock::test::ScenarioServer server(pbxmock::test::scenario_with_rules("breaks-b9", R"(  - name: unknown tenant answers
    match: {operation: retrieveMetadata, query: {domain: {equals: no-such-tenant.example.org}}}
    respond: {status: 200, body: {web_domain: pbx.example.com}}
)"));
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port());
  const auto r = run_process({PBXMOCK_BINARY, "check", "--target", url, "--tag", "!mock", "--tag", "B9", "--tag", "B1",
                              kSuite},
                             {}, std::chrono::seconds(90));
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_NE(std::string::npos, r.out.find("\nB9 differs: failed (")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("\nB1 shared: passed (")) << r.out;
}

}  // namespace
