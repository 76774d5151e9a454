#pragma once
// --auth FILE: a contract file (the `pbxmock check` format) naming the accounts the flows sign
// in as, in its `variables`: `username`, `password`, optionally `domain`, `two_factor_username`,
// `two_factor_password` (an account with two-factor on) and `client_id` (the token endpoint's),
// usually as `${env.NAME}`. Its first contract, when it has one, signs in and saves a token: its
// steps become the set-up of every case that needs a token (values saved by one step stay
// `${name}` placeholders for the next, and the token saved last, or the one saved as
// `access_token`, is the bearer); without one the cases sign in as `username`. Environment
// values are returned too, so the reproducers write "$NAME" instead of a password.
#include <optional>
#include <string>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/flows.h"
#include "contracts/variables.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

struct AuthPlan {
  SessionPlan session;  // empty when the file has no contract: the account's sign-in then
  std::optional<FuzzAccount> account;  // when the variables name username and password
  std::vector<EnvUse> env;
};

// Error: the file's load errors (file:line:column), an account variable that cannot be
// evaluated (an unset environment variable), or a file that gives neither account nor token.
Result<AuthPlan, std::string> load_auth_file(const std::string& path,
                                             const Variables::Environment& environment = Variables::process_environment());

}  // namespace pbxmock::contracts::fuzzing
