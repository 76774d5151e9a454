#pragma once
// The authentication checks that run inside the flows (contracts/fuzzing/flows.h builds the
// steps they judge). Each one holds the server to a rule of AUTH-API.md B and judges only the
// steps whose intent is its own; check_table.cpp ties them to their names.
#include <optional>

#include "contracts/fuzzing/check_table.h"

namespace pbxmock::contracts::fuzzing {

// one_time_code_reuse: after a successful verify_otp the same code and challenge are refused,
// and five wrong codes end the challenge (AUTH-API.md B5). Intent::spent_one_time_code.
std::optional<Verdict> judge_one_time_code_reuse(const Answer& answer);

// reset_token_reuse: a reset token is refused once used, and the password it replaced stops
// working (AUTH-API.md B6). Intent::spent_reset_token.
std::optional<Verdict> judge_reset_token_reuse(const Answer& answer);

// token_confusion: a refresh token, a two-factor challenge, a reset token or a token endpoint's
// refresh token offered as the bearer gets 401; an access token offered as a refresh token is
// refused (AUTH-API.md B1, B4, B11). Intent::confused_token.
std::optional<Verdict> judge_token_confusion(const Answer& answer);

// sign_out_scope: of two sessions of one account, signing out one ends its access and refresh
// tokens and leaves the other's working (AUTH-API.md B4). Intent::ended_session, other_session.
std::optional<Verdict> judge_sign_out_scope(const Answer& answer);

// expiry_honesty: an access token works until the expires_in its sign-in gave and is refused
// (401) after it, the mock's clock moved to either side (AUTH-API.md B4; --mock-admin only).
// Intent::before_expiry, after_expiry.
std::optional<Verdict> judge_expiry_honesty(const Answer& answer);

}  // namespace pbxmock::contracts::fuzzing
