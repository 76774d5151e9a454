#pragma once
// The stateful part: sequences built from the flows the PortSIP auth API implements, for the
// operations the document has (by operationId), with the account the run signs in as:
//   sign in -> auth/user, GET /login -> sign_out -> auth/user again (use_after_sign_out)
//   sign in -> refresh_token -> the old refresh token again (refresh_rotation)
//   legacy login -> GET /login -> logout -> GET /login again (use_after_sign_out)
//   token kinds: a refresh token, a challenge, the token endpoint's tokens where an access or a
//     refresh token belongs (token_confusion)
//   two sessions -> sign out one -> both sessions' tokens (sign_out_scope)
//   two-factor sign in -> send_otp -> the code from the mailbox -> verify_otp -> the same code
//     and challenge again; another challenge -> five wrong codes -> the right one (one_time_code_reuse)
//   forget_password -> the token from the mailbox -> reset_password to a temporary password ->
//     the old password, the token again (reset_token_reuse) -> a second reset back to the
//     account's own password, so the account is as it was
//   sign in -> the mock's clock just before and just past expires_in (expiry_honesty)
// The account is the fuzzer's own tenant with --mock-admin (kFuzzScenario, loaded into the
// mock), else the one --auth names. What cannot run is listed in `skipped`, with why.
#include <cstdint>
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

// The token endpoint's documented client id (AUTH-API.md B11).
inline constexpr std::string_view kDocumentedClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

struct FuzzAccount {
  std::string domain;
  std::string username;
  std::string password;
  std::string two_factor_username;  // "" when none
  std::string two_factor_password;  // "" : the same as `password`
  std::string client_id = std::string(kDocumentedClientId);  // for the token endpoint's flow
};

// The account of kFuzzScenario.
FuzzAccount mock_account();

// Values for the value generator: the account's domain, names and password.
Hints account_hints(const FuzzAccount& account);

// The steps that sign the account in and save ACCESS_TOKEN and REFRESH_TOKEN; empty when the
// document has no signInWithCredentials.
SessionPlan session_plan(const spec::OpenApiDocument& document, const FuzzAccount& account);

struct FlowOptions {
  bool mock_admin = false;  // the clock can be moved (expiry_honesty)
  bool mailbox = false;     // codes and reset tokens can be read (two-factor, password reset)
  std::uint64_t seed = 0;   // draws the temporary password of the password-reset flow
  // Which operations the run may call (all when empty); a flow step whose operation is
  // optional (GET /login in the sign-out flow) is left out when it is not selected.
  std::vector<std::string> selected{};
};

struct Flows {
  std::vector<FuzzCase> cases;       // in the order they must run; the clock's flow last
  std::vector<std::string> skipped;  // "two-factor flow: ...", with why
};

Flows build_flows(const spec::OpenApiDocument& document, const FuzzAccount* account, const FlowOptions& options);

// The temporary password the password-reset flow sets before it sets the account's own back.
std::string temporary_password(std::uint64_t seed);

}  // namespace pbxmock::contracts::fuzzing
