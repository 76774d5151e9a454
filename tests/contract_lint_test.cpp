// `pbxmock lint` as a process: each broken file under tests/data/lint/ reported at the line
// and column of its mistake (written by hand from the files), and the shipped scenarios and
// contract suite clean.
#include <gtest/gtest.h>

#include "support/process.h"

namespace {

using pbxmock::test::ProcessResult;
using pbxmock::test::run_process;

const std::string kData = std::string(PBXMOCK_SOURCE_DIR) + "/tests/data/lint/";

ProcessResult lint(std::vector<std::string> args) {
  args.insert(args.begin(), {PBXMOCK_BINARY, "lint"});
  return run_process(args);
}

struct Broken {
  const char* file;
  const char* position;  // "line:column"
  const char* message;   // a part of the message
};

// Failures name the file, not the case's bytes.
void PrintTo(const Broken& broken, std::ostream* os) { *os << broken.file; }

class lint_reports : public ::testing::TestWithParam<Broken> {};

TEST_P(lint_reports, the_problem_at_its_line_and_column) {
  const auto& b = GetParam();
  const std::string path = kData + b.file;
  const auto r = lint({path});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  const std::string first = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(0u, first.rfind(path + ":" + b.position + ": ", 0)) << first;
  EXPECT_NE(std::string::npos, first.find(b.message)) << first;
  EXPECT_NE(std::string::npos, r.out.find(" of 1 file(s)\n")) << r.out;
}

const Broken kBroken[] = {
    {"c01_unknown_key.yaml", "10:9", "unknown key 'expec' (allowed: name, tags, timeout_ms, request, expect, allow, save)"},
    {"c02_missing_path.yaml", "7:11", "missing required key 'path'"},
    {"c03_bad_status.yaml", "8:19", "status must be a number from 100 to 599, a class such as \"4xx\", or a list of those"},
    {"c04_unknown_operation.yaml", "8:17",
     "POST /api/auth/signin: the spec has no path matching /auth/signin (allow unknown_operation if this is on purpose)"},
    {"c05_undeclared_status.yaml", "11:19",
     "status 201 is not declared for POST /auth/sign_in (allow undeclared_status if this is on purpose)"},
    {"c06_body_rejected.yaml", "10:23",
     "the step expects success, but signInWithCredentials's request schema rejects this body: /username: "},
    {"c07_undefined_variable.yaml", "16:36",
     "${tokn} is not defined here: not a file variable, not `target`, not saved by an earlier step"},
    {"c08_error_code_with_success.yaml", "9:23", "error_code expects a vendor error body, but the expected status is 200"},
    // yaml-cpp notices the unclosed flow mapping on the next line.
    {"c09_yaml_syntax.yaml", "7:15", "end of map flow not found"},
    {"c10_allow_without_reason.yaml", "9:13", "missing required key 'reason'"},
    {"c11_bad_regex.yaml", "13:36", "invalid regex: "},
    {"c12_missing_required_field.yaml", "10:13",
     "the step expects success, but signInWithCredentials's request schema rejects this body: (body): "},
    {"c13_save_from_nowhere.yaml", "12:18", "save token needs exactly one of 'pointer' and 'header'"},
    {"neither.yaml", "2:1", "neither a contract file (no top-level 'contracts') nor a scenario"},
    {"s01_bad_username.yaml", "9:19", "invalid username: bad_character at 3"},
    {"s02_bad_domain.yaml", "5:13", "invalid domain: "},
    {"s03_unknown_key.yaml", "9:9", "unknown key 'emial'"},
    {"s04_duplicate_user.yaml", "9:19", "ALICE"},
    {"s05_rule_unknown_operation.yaml", "9:18", "no operation 'signIn' in the spec (operationId)"},
    {"s06_rule_body_invalid.yaml", "13:9", "rule answer for getUserAuthInfo: schema: (body): "},
    {"s07_rule_error_shape.yaml", "11:13", "rule answer for signInWithCredentials: error_shape: not the vendor's error body: "},
};

INSTANTIATE_TEST_SUITE_P(files, lint_reports, ::testing::ValuesIn(kBroken));

TEST(lint_command, reports_every_file_and_sums_up) {
  const auto r = lint({kData});
  EXPECT_EQ(1, r.exit_code) << r.err;
  // Every broken file contributes at least one line; folders are walked in sorted order.
  for (const auto& b : kBroken) EXPECT_NE(std::string::npos, r.out.find(kData + b.file + ":")) << b.file;
  EXPECT_LT(r.out.find(kData + "c01_unknown_key.yaml:"), r.out.find(kData + "s07_rule_error_shape.yaml:"));
  EXPECT_NE(std::string::npos, r.out.find(" of 21 file(s)\n")) << r.out;
}

TEST(lint_command, the_shipped_scenarios_and_the_contract_suite_are_clean) {
  const auto r = lint({std::string(PBXMOCK_SOURCE_DIR) + "/mock/scenarios", std::string(PBXMOCK_SOURCE_DIR) + "/contracts/suite"});
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_NE(std::string::npos, r.out.find(" file(s), no problems\n")) << r.out;
}

TEST(lint_command, a_missing_path_is_a_usage_error) {
  const auto r = lint({kData + "does_not_exist.yaml"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("pbxmock lint: no such file or folder: " + kData + "does_not_exist.yaml\n", r.err);
}

TEST(lint_command, a_spec_that_does_not_load_is_a_usage_error) {
  const auto r = lint({"--spec", kData + "neither.yaml", kData + "c01_unknown_key.yaml"});
  EXPECT_EQ(2, r.exit_code) << r.out;
  EXPECT_NE(std::string::npos, r.err.find(kData + "neither.yaml")) << r.err;
}

}  // namespace
