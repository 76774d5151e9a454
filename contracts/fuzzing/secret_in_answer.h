#pragma once
// secret_in_answer (AUTH-API.md B4-B6): no answer (body, headers, Location included) carries a
// secret it did not issue itself: a password the run sent (the account's, or any sent in the
// case), a code or reset token read from the mailbox, or a token issued to a session earlier
// in the case. Error messages that quote the expected password or code are what it is for.
//
// The secrets are fed by whatever learns them: the run (the passwords it signs in with:
// known_secrets), the executor as it sends a case (learn_sent, learn_issued, learn_mailbox).
// A value shorter than kMinSecretLength, or found only inside a longer word, is not judged:
// a short value appears anywhere by chance.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/http_client.h"

namespace pbxmock::contracts::fuzzing {

inline constexpr std::size_t kMinSecretLength = 6;

std::optional<Verdict> judge_secret_in_answer(const Answer& answer);

// The passwords the session's sign-in steps send (the account the run signs in as).
std::vector<Secret> known_secrets(const SessionPlan& session);

// The values of the request's password fields (JSON or form body, query), as step `index` sends them.
void learn_sent(std::size_t index, const HttpRequest& request, std::vector<Secret>& secrets);

// The tokens and codes an answer issues (access_token, refresh_token, a challenge token, a code).
void learn_issued(std::size_t index, const Response& response, std::vector<Secret>& secrets);

// Values a step outside the API (the mailbox) saved: codes and reset tokens.
void learn_mailbox(std::size_t index, const std::vector<std::pair<std::string, std::string>>& saved,
                   std::size_t saved_before, std::vector<Secret>& secrets);

// Whether `text` holds `secret` as a whole word (not inside a longer run of letters and digits).
bool holds_secret(std::string_view text, std::string_view secret);

}  // namespace pbxmock::contracts::fuzzing
