#pragma once
// The stateful part: sequences built from the flows the PortSIP auth API implements, for the
// operations the document has (by operationId):
//   sign in -> auth/user, GET /login -> sign_out -> auth/user again (use_after_sign_out)
//   sign in -> refresh_token -> the old refresh token again (refresh_rotation)
//   legacy login -> GET /login -> logout -> GET /login again (use_after_sign_out)
//   two-factor sign in -> send_otp -> the code from /__admin/outbox -> verify_otp
//   forget_password -> the token from /__admin/outbox -> reset_password -> sign in
// They need a user the run can sign in as: with --mock-admin the fuzzer loads its own small
// scenario into the mock (kFuzzScenario) and knows its users; the outbox steps need
// --mock-admin too. What cannot run is listed in `skipped`, for the report.
#include <string>
#include <string_view>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/value_generator.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {

// A scenario (the mock's format) with one tenant whose users the flows sign in as.
extern const std::string_view kFuzzScenario;

struct FuzzAccount {
  std::string domain;
  std::string username;
  std::string password;
  std::string two_factor_username;  // "" when none
};

// The account of kFuzzScenario.
FuzzAccount mock_account();

// Values for the value generator: the account's domain, names and password.
Hints account_hints(const FuzzAccount& account);

// The steps that sign the account in and save ACCESS_TOKEN and REFRESH_TOKEN; empty when the
// document has no signInWithCredentials.
SessionPlan session_plan(const spec::OpenApiDocument& document, const FuzzAccount& account);

struct Flows {
  std::vector<FuzzCase> cases;
  std::vector<std::string> skipped;  // "two-factor flow: needs --mock-admin", ...
};

// `selected` says which operations the run may call (all when it is empty); a flow step whose
// operation is optional (GET /login in the sign-out flow) is left out when it is not selected.
Flows build_flows(const spec::OpenApiDocument& document, const FuzzAccount* account, bool mock_admin,
                  const std::vector<std::string>& selected = {});

}  // namespace pbxmock::contracts::fuzzing
