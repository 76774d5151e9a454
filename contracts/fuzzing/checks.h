#pragma once
// The fuzzer's named checks, each selectable with --checks / --exclude-checks. The spec checks
// are SpecChecker's (the ones `pbxmock check` runs), under the fuzzer's names:
//
//   not_a_server_error         no 5xx, and an HTTP answer at all
//   status_conformance         the status is declared for the operation (SpecChecker undeclared_status)
//   content_type_conformance   the Content-Type is one declared for that status (content_type)
//   response_schema_conformance the body (and required headers) match the declared response (schema,
//                              required_header)
//   error_shape                a 4xx body is the vendor's `errors[]` (error_shape)
//   negative_data_rejection    a request that breaks the schema gets a 4xx
//   positive_data_acceptance   a request valid by the schema is not refused as invalid: no 413/415,
//                              and no 400 VALIDATE_FAILED naming a schema rule (a server's own rule
//                              beyond the schema, such as an unknown tenant, is its business)
//   auth_required              a secured operation without a valid token answers 401
//   use_after_sign_out         a signed-out token gets 401
//   refresh_rotation           a refresh token already traded in is refused (4xx)
//   response_time              the answer came within --max-response-time (off by default)
// The flows' authentication checks (contracts/fuzzing/flow_checks.h, one function each):
//   one_time_code_reuse        a used or ended two-factor code and challenge are refused (B5)
//   reset_token_reuse          a used reset token, and the password it replaced, are refused (B6)
//   token_confusion            a token of another kind is refused as the bearer or refresh token (B1, B4, B11)
//   sign_out_scope             signing out one session ends it and leaves the account's other one (B4)
//   expiry_honesty             a token works until its expires_in and not after (B4; --mock-admin)
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/response.h"
#include "contracts/spec_checks.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

inline constexpr std::string_view kCheckNames[] = {
    "not_a_server_error",       "status_conformance", "content_type_conformance", "response_schema_conformance",
    "error_shape",              "negative_data_rejection", "positive_data_acceptance", "auth_required",
    "use_after_sign_out",       "refresh_rotation",   "response_time",
    "one_time_code_reuse",      "reset_token_reuse",  "token_confusion",          "sign_out_scope",
    "expiry_honesty"};

struct CheckSelection {
  std::set<std::string, std::less<>> enabled;
  std::optional<std::chrono::milliseconds> max_response_time;

  bool has(std::string_view check) const { return enabled.count(check) != 0; }
  // "all" or a comma-separated list, minus the excluded ones; an unknown name is an error.
  // response_time is on only when a maximum is given.
  static Result<CheckSelection, std::string> make(const std::string& checks, const std::string& excluded,
                                                  std::optional<std::chrono::milliseconds> max_response_time);
};

struct CheckFailure {
  std::string check;
  std::string expected;
  std::string seen;
};

struct CheckOutcome {
  std::vector<std::string> applied;  // checks that judged this answer (passed or not)
  std::vector<CheckFailure> failures;
};

// Judges one answer to `step`; `operation` is the step's operation (nullptr outside the API).
CheckOutcome judge(const Step& step, const spec::Operation* operation, const Response& response,
                   std::chrono::milliseconds elapsed, const SpecChecker& checker, const CheckSelection& selection);

// A step that got no HTTP answer: a not_a_server_error failure.
CheckOutcome judge_no_answer(const std::string& message, const CheckSelection& selection);

}  // namespace pbxmock::contracts::fuzzing
