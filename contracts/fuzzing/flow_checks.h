#pragma once
// The authentication checks that run inside the flows (contracts/fuzzing/flows.h builds the
// steps they judge). Each one holds the server to a rule of AUTH-API.md B and judges only the
// steps whose intent is its own; the executor calls judge_flow_step for every answer.
#include <optional>
#include <string>
#include <string_view>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/response.h"

namespace pbxmock::contracts::fuzzing {

struct FlowVerdict {
  std::string_view check;  // the check's name, as in kCheckNames
  bool passed = false;
  std::string expected;
};

// one_time_code_reuse: after a successful verify_otp the same code and challenge are refused,
// and five wrong codes end the challenge (AUTH-API.md B5).
FlowVerdict one_time_code_reuse(const Step& step, const Response& response);

// reset_token_reuse: a reset token is refused once used, and the password it replaced stops
// working (AUTH-API.md B6).
FlowVerdict reset_token_reuse(const Step& step, const Response& response);

// token_confusion: a refresh token, a two-factor challenge, a reset token or a token endpoint's
// refresh token offered as the bearer gets 401; an access token offered as a refresh token is
// refused (AUTH-API.md B1, B4, B11).
FlowVerdict token_confusion(const Step& step, const Response& response);

// sign_out_scope: of two sessions of one account, signing out one ends its access and refresh
// tokens and leaves the other's working (AUTH-API.md B4).
FlowVerdict sign_out_scope(const Step& step, const Response& response);

// expiry_honesty: an access token works until the expires_in its sign-in gave and is refused
// (401) after it, the mock's clock moved to either side (AUTH-API.md B4; --mock-admin only).
FlowVerdict expiry_honesty(const Step& step, const Response& response);

// The verdict of the flow check the step's intent belongs to; nullopt for other intents.
std::optional<FlowVerdict> judge_flow_step(const Step& step, const Response& response);

}  // namespace pbxmock::contracts::fuzzing
