#include "contracts/fuzzing/flow_checks.h"

#include <algorithm>

#include "contracts/fuzzing/checks.h"

namespace pbxmock::contracts::fuzzing {
namespace {

bool refused(const Response& response) { return response.status >= 400 && response.status < 500; }
bool accepted(const Response& response) { return response.status >= 200 && response.status < 300; }

// A token offered as the bearer must get 401 (B1); one offered in a body, a 4xx.
bool sends_bearer(const Step& step) {
  return std::any_of(step.parts.headers.begin(), step.parts.headers.end(),
                     [](const NameValue& header) { return header.first == "Authorization"; });
}

Verdict refusal(const Answer& answer) {
  if (sends_bearer(answer.step)) {
    return {answer.response.status == 401, "401 for " + answer.step.mutation, answer.seen()};
  }
  return {refused(answer.response), "a 4xx for " + answer.step.mutation, answer.seen()};
}

}  // namespace

std::optional<Verdict> judge_one_time_code_reuse(const Answer& answer) {
  if (answer.step.intent != Intent::spent_one_time_code) return std::nullopt;
  return refusal(answer);
}

std::optional<Verdict> judge_reset_token_reuse(const Answer& answer) {
  if (answer.step.intent != Intent::spent_reset_token) return std::nullopt;
  return refusal(answer);
}

std::optional<Verdict> judge_token_confusion(const Answer& answer) {
  if (answer.step.intent != Intent::confused_token) return std::nullopt;
  return refusal(answer);
}

std::optional<Verdict> judge_sign_out_scope(const Answer& answer) {
  if (answer.step.intent == Intent::other_session) {
    return Verdict{accepted(answer.response), "a 2xx for " + answer.step.mutation, answer.seen()};
  }
  if (answer.step.intent != Intent::ended_session) return std::nullopt;
  return refusal(answer);
}

std::optional<Verdict> judge_expiry_honesty(const Answer& answer) {
  if (answer.step.intent == Intent::before_expiry) {
    return Verdict{accepted(answer.response), "a 2xx for " + answer.step.mutation, answer.seen()};
  }
  if (answer.step.intent != Intent::after_expiry) return std::nullopt;
  return Verdict{answer.response.status == 401, "401 for " + answer.step.mutation, answer.seen()};
}

}  // namespace pbxmock::contracts::fuzzing
