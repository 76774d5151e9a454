#pragma once
// One function per operation of spec/portsip-auth.yaml, each from a request the request
// parser already accepted (shapes, types and lengths checked) to the answer. Handlers still
// apply the semantic rules: reserved usernames with a domain, unknown tenants, credentials,
// token validity. AuthService dispatches to them by operationId.
#include <string>

#include "mock/api_response.h"
#include "mock/auth/auth_state.h"
#include "mock/clock.h"
#include "mock/auth/outbox.h"
#include "mock/public_origin.h"
#include "mock/scenario/scenario.h"
#include "spec/parsed_request.h"

namespace pbxmock::mock::handlers {

struct HandlerContext {
  const Scenario& scenario;
  AuthState& state;
  Clock& clock;
  Outbox& outbox;
  const PublicOrigin& public_origin;
};

using Handler = ApiResponse (*)(HandlerContext&, const spec::ParsedRequest&);

ApiResponse retrieve_metadata(HandlerContext& context, const spec::ParsedRequest& request);          // GET /info
ApiResponse sign_in_with_credentials(HandlerContext& context, const spec::ParsedRequest& request);   // POST /auth/sign_in
ApiResponse sign_in_with_social_account(HandlerContext& context, const spec::ParsedRequest& request);  // POST /auth/sign_in/{provider}
ApiResponse sign_out(HandlerContext& context, const spec::ParsedRequest& request);                   // POST /auth/sign_out
ApiResponse send_otp(HandlerContext& context, const spec::ParsedRequest& request);                   // POST /auth/send_otp
ApiResponse verify_otp(HandlerContext& context, const spec::ParsedRequest& request);                 // POST /auth/verify_otp
ApiResponse forget_password(HandlerContext& context, const spec::ParsedRequest& request);            // POST /auth/forget_password
ApiResponse reset_password(HandlerContext& context, const spec::ParsedRequest& request);             // POST /auth/reset_password
ApiResponse refresh_token(HandlerContext& context, const spec::ParsedRequest& request);              // POST /auth/refresh_token
ApiResponse get_user_auth_info(HandlerContext& context, const spec::ParsedRequest& request);         // GET /auth/user
ApiResponse get_login_status(HandlerContext& context, const spec::ParsedRequest& request);           // GET /login
ApiResponse login(HandlerContext& context, const spec::ParsedRequest& request);                      // POST /login
ApiResponse login_with_microsoft(HandlerContext& context, const spec::ParsedRequest& request);       // POST /login/by_microsoft
ApiResponse logout(HandlerContext& context, const spec::ParsedRequest& request);                     // POST /logout
// From the vendor's developer guide, not its OpenAPI document:
ApiResponse request_oauth_token(HandlerContext& context, const spec::ParsedRequest& request);        // POST /login/oauth/token

}  // namespace pbxmock::mock::handlers
