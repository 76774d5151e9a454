#pragma once
// --auth FILE: a contract file (the `pbxmock check` format) whose first contract signs in and
// saves a token. Its steps become the set-up of every case that needs a token, so a real PBX
// can be fuzzed behind its sign-in: file variables and `${env.NAME}` are filled in, values
// saved by one step stay `${name}` placeholders for the next, and the token saved last (or the
// one saved as `access_token`) is what the cases send as their bearer token. Environment values
// are returned too, so the reproducers write "$NAME" instead of a password.
#include <string>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/variables.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

struct AuthPlan {
  SessionPlan session;
  std::vector<EnvUse> env;
};

// Error: the file's load errors (file:line:column), or why it gives no token.
Result<AuthPlan, std::string> load_auth_file(const std::string& path,
                                             const Variables::Environment& environment = Variables::process_environment());

}  // namespace pbxmock::contracts::fuzzing
