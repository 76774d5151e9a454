#pragma once
// The fuzzer's checks (check_table.h lists them), each selectable with --checks /
// --exclude-checks, and the judging of one answer by the selected ones. The spec checks are
// SpecChecker's (the ones `pbxmock check` runs), under the fuzzer's names.
#include <bitset>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/fuzzing/check_table.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/response.h"
#include "contracts/spec_checks.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

struct CheckSelection {
  std::bitset<kCheckCount> enabled;
  std::optional<std::chrono::milliseconds> max_response_time;

  bool has(Check check) const { return enabled.test(static_cast<std::size_t>(check)); }
  std::vector<std::string> names() const;  // the enabled checks' names, in table order
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

// A value no answer may carry, except the one that issued it: a password the run sent, a code
// or reset token from the mailbox, a token issued to a session.
struct Secret {
  std::string value;
  std::string what;  // "the password sent", "a code from the mailbox", ...
  std::ptrdiff_t issued_by = -1;  // the step of the case whose answer issued it; -1: none did
};

// An earlier step of the same case that got an answer.
struct EarlierAnswer {
  const Step* step;
  const Response* response;
};

// What a check sees of one answer.
class Answer {
 public:
  Answer(const Step& step_in, std::size_t index_in, const spec::Operation* operation_in, const Response& response_in,
         std::chrono::milliseconds elapsed_in, const SpecChecker& checker_in, const CheckSelection& selection_in,
         const std::vector<EarlierAnswer>& earlier_in, const std::vector<Secret>& secrets_in)
      : step(step_in), index(index_in), operation(operation_in), response(response_in), elapsed(elapsed_in),
        checker(checker_in), selection(selection_in), earlier(earlier_in), secrets(secrets_in) {}

  const Step& step;
  std::size_t index;                 // the step's place in its case
  const spec::Operation* operation;  // nullptr outside the API
  const Response& response;
  std::chrono::milliseconds elapsed;
  const SpecChecker& checker;
  const CheckSelection& selection;
  const std::vector<EarlierAnswer>& earlier;
  const std::vector<Secret>& secrets;

  // "400 UNAUTHORIZED \"...\"": the status and the first error's code and detail.
  const std::string& seen() const;
  // The spec checker's findings for this answer, computed once for the four spec checks.
  const std::vector<SpecFinding>& findings() const;

 private:
  mutable std::optional<std::string> seen_;
  mutable std::optional<std::vector<SpecFinding>> findings_;
};

// Judges one answer to `step` (the step at `index` of its case) with every selected check;
// `operation` is the step's operation (nullptr outside the API).
CheckOutcome judge(const Step& step, const spec::Operation* operation, const Response& response,
                   std::chrono::milliseconds elapsed, const SpecChecker& checker, const CheckSelection& selection,
                   const std::vector<EarlierAnswer>& earlier = {}, const std::vector<Secret>& secrets = {},
                   std::size_t index = 0);

// A step that got no HTTP answer: a not_a_server_error failure.
CheckOutcome judge_no_answer(const std::string& message, const CheckSelection& selection);

// The judges of the checks in this file (check_table.cpp ties them to their names).
std::optional<Verdict> judge_not_a_server_error(const Answer& answer);
std::optional<Verdict> judge_status_conformance(const Answer& answer);
std::optional<Verdict> judge_content_type_conformance(const Answer& answer);
std::optional<Verdict> judge_response_schema_conformance(const Answer& answer);
std::optional<Verdict> judge_error_shape(const Answer& answer);
std::optional<Verdict> judge_negative_data_rejection(const Answer& answer);
std::optional<Verdict> judge_positive_data_acceptance(const Answer& answer);
std::optional<Verdict> judge_auth_required(const Answer& answer);
std::optional<Verdict> judge_use_after_sign_out(const Answer& answer);
std::optional<Verdict> judge_refresh_rotation(const Answer& answer);
std::optional<Verdict> judge_response_time(const Answer& answer);

// The first error's code and message of a vendor error body ("" when none).
std::pair<std::string, std::string> first_error(const Response& response);

}  // namespace pbxmock::contracts::fuzzing
