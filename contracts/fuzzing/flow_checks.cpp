#include "contracts/fuzzing/flow_checks.h"

#include <algorithm>

namespace pbxmock::contracts::fuzzing {
namespace {

bool refused(const Response& response) { return response.status >= 400 && response.status < 500; }
bool accepted(const Response& response) { return response.status >= 200 && response.status < 300; }

// A token offered as the bearer must get 401 (B1); one offered in a body, a 4xx.
bool sends_bearer(const Step& step) {
  return std::any_of(step.parts.headers.begin(), step.parts.headers.end(),
                     [](const NameValue& header) { return header.first == "Authorization"; });
}

FlowVerdict refusal(std::string_view check, const Step& step, const Response& response) {
  if (sends_bearer(step)) return {check, response.status == 401, "401 for " + step.mutation};
  return {check, refused(response), "a 4xx for " + step.mutation};
}

}  // namespace

FlowVerdict one_time_code_reuse(const Step& step, const Response& response) {
  return refusal("one_time_code_reuse", step, response);
}

FlowVerdict reset_token_reuse(const Step& step, const Response& response) {
  return refusal("reset_token_reuse", step, response);
}

FlowVerdict token_confusion(const Step& step, const Response& response) {
  return refusal("token_confusion", step, response);
}

FlowVerdict sign_out_scope(const Step& step, const Response& response) {
  if (step.intent == Intent::other_session) {
    return {"sign_out_scope", accepted(response), "a 2xx for " + step.mutation};
  }
  return refusal("sign_out_scope", step, response);
}

FlowVerdict expiry_honesty(const Step& step, const Response& response) {
  if (step.intent == Intent::before_expiry) {
    return {"expiry_honesty", accepted(response), "a 2xx for " + step.mutation};
  }
  return {"expiry_honesty", response.status == 401, "401 for " + step.mutation};
}

std::optional<FlowVerdict> judge_flow_step(const Step& step, const Response& response) {
  switch (step.intent) {
    case Intent::spent_one_time_code:
      return one_time_code_reuse(step, response);
    case Intent::spent_reset_token:
      return reset_token_reuse(step, response);
    case Intent::confused_token:
      return token_confusion(step, response);
    case Intent::ended_session:
    case Intent::other_session:
      return sign_out_scope(step, response);
    case Intent::before_expiry:
    case Intent::after_expiry:
      return expiry_honesty(step, response);
    default:
      return std::nullopt;
  }
}

}  // namespace pbxmock::contracts::fuzzing
