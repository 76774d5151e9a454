#pragma once
// user_enumeration (AUTH-API.md B1, B6): where the server must not tell whether a user exists,
// an existing user and a made-up one get the same answer: a sign-in (signInWithCredentials,
// login) with a wrong password gets the same status, error code and message for both, and
// forgetPassword answers both alike (always 200); so does the token endpoint's password grant
// (requestOAuthToken, a form post, AUTH-API.md B11), which signs in exactly as sign_in does. A
// case sends the request for the existing user, then the same for a made-up one; the last is
// judged against the first.
#include <optional>
#include <string>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/random.h"

namespace pbxmock::contracts::fuzzing {

std::optional<Verdict> judge_user_enumeration(const Answer& answer);

// A user the target has: the one the run signs in as.
struct KnownUser {
  std::string username;
  std::string domain;     // "" for a system administrator
  std::string client_id;  // the token endpoint's (--auth's client_id, else the documented one)
};

// The username and domain the session's sign-in sends, with `client_id`; nullopt when it sends none.
std::optional<KnownUser> known_user(const SessionPlan& session, std::string client_id);

// The cases for the operation, when it is one of those above (none otherwise).
std::vector<FuzzCase> enumeration_cases(const spec::OpenApiDocument& document, const spec::Operation& operation,
                                        const KnownUser& user, std::size_t first_example, Random& random);

}  // namespace pbxmock::contracts::fuzzing
