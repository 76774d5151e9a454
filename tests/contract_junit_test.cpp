// JUnit XML: the counts CI reads, and a file xmllint accepts whatever the server answered.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "contracts/junit_report.h"
#include "support/process.h"

namespace {

using pbxmock::contracts::ContractResult;
using pbxmock::contracts::junit_xml;
using pbxmock::contracts::Outcome;
using pbxmock::contracts::RunResult;
using pbxmock::contracts::StepResult;
using pbxmock::contracts::xml_escape;

RunResult sample_run() {
  RunResult run;
  ContractResult c;
  c.file = "suite/auth.yaml";
  c.name = "sign-in & <tokens>";
  c.seconds = 0.012;
  StepResult pass{"sign in", Outcome::passed, 0.003, {}, {"undeclared_status: vendor omits 405 (status 405 ...)"}, "", ""};
  StepResult fail{"use \"token\"",
                  Outcome::failed,
                  0.004,
                  {"status: expected 200, seen 401 UNAUTHORIZED", "body /x: expected \"a\x01\", seen \"\xff\xfe bad utf-8\""},
                  {},
                  "curl -sS -i 'http://127.0.0.1:1/api/auth/user' -H 'Authorization: Bearer A&B'",
                  ""};
  StepResult skip{"sign out", Outcome::skipped, 0, {}, {}, "", "not run: step 'use \"token\"' failed"};
  c.steps = {pass, fail, skip};
  run.contracts.push_back(c);
  run.passed = 1;
  run.failed = 2;
  run.skipped = 1;
  run.seconds = 0.02;
  return run;
}

std::string temp_path(const char* name) {
  return ::testing::TempDir() + name + "_" + std::to_string(::getpid()) + ".xml";
}

TEST(contract_junit, escapes_markup_quotes_and_newlines) {
  EXPECT_EQ("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#10;f", xml_escape("a & b <c> \"d\" 'e'\nf"));
}

TEST(contract_junit, replaces_what_xml_cannot_carry) {
  // A control character, a lone continuation byte, an overlong encoding and U+FFFF.
  EXPECT_EQ("a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
            xml_escape("a\x01" "b\x80" "c\xC0\xAF" "d\xEF\xBF\xBF"));
  // Valid multi-byte characters pass through.
  EXPECT_EQ("\xC3\xA9t\xC3\xA9 \xE2\x80\xBA \xF0\x9F\x93\x9E", xml_escape("\xC3\xA9t\xC3\xA9 \xE2\x80\xBA \xF0\x9F\x93\x9E"));
}

TEST(contract_junit, counts_tests_failures_and_skipped) {
  const std::string xml = junit_xml(sample_run());
  EXPECT_NE(std::string::npos, xml.find("<testsuites name=\"pbxmock check\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""))
      << xml;
  EXPECT_NE(std::string::npos,
            xml.find("<testsuite name=\"sign-in &amp; &lt;tokens&gt;\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""))
      << xml;
  EXPECT_NE(std::string::npos, xml.find("<testcase name=\"sign in\" classname=\"suite/auth.yaml &gt; sign-in &amp; &lt;tokens&gt;\" "
                                        "time=\"0.003\">"))
      << xml;
  EXPECT_NE(std::string::npos, xml.find("<failure message=\"status: expected 200, seen 401 UNAUTHORIZED\" type=\"contract\">"))
      << xml;
  EXPECT_NE(std::string::npos, xml.find("<skipped message=\"not run: step &apos;use &quot;token&quot;&apos; failed\"/>"))
      << xml;
  EXPECT_NE(std::string::npos, xml.find("<system-out>ALLOW undeclared_status: vendor omits 405")) << xml;
  EXPECT_NE(std::string::npos, xml.find("Bearer A&amp;B")) << xml;
}

TEST(contract_junit, a_written_file_passes_xmllint) {
  const std::string path = temp_path("junit");
  ASSERT_FALSE(pbxmock::contracts::write_junit_file(path, sample_run()).has_value());
  const auto lint = pbxmock::test::run_process({PBXMOCK_XMLLINT, "--noout", path});
  EXPECT_EQ(0, lint.exit_code) << lint.err;
  EXPECT_EQ("", lint.err);
  std::remove(path.c_str());
}

TEST(contract_junit, an_empty_run_is_valid_too) {
  const std::string path = temp_path("junit_empty");
  ASSERT_FALSE(pbxmock::contracts::write_junit_file(path, RunResult{}).has_value());
  const auto lint = pbxmock::test::run_process({PBXMOCK_XMLLINT, "--noout", path});
  EXPECT_EQ(0, lint.exit_code) << lint.err;
  std::remove(path.c_str());
}

TEST(contract_junit, an_unwritable_path_is_an_error_value) {
  const auto error = pbxmock::contracts::write_junit_file("/nonexistent/dir/report.xml", RunResult{});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ("cannot open /nonexistent/dir/report.xml for writing", *error);
}

}  // namespace
