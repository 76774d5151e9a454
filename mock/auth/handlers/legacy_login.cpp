// The older session operations (AUTH-API.md A #11-#14, B10): GET /login, POST /login,
// POST /login/by_microsoft, POST /logout.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"
#include "mock/url.h"

namespace pbxmock::mock::handlers {

ApiResponse get_login_status(HandlerContext& context, const spec::ParsedRequest& request) {
  // Public in the vendor's description, but it reports on the caller's session: without a
  // valid bearer token there is none to report (401).
  auto grant = require_bearer(context, request);
  if (!grant) return ApiResponse::error(grant.error());
  return ApiResponse::json({{"access_token", grant->access_token},
                            {"expires_at", to_rfc3339(grant->expires_at)},
                            {"expires_in", seconds_until(grant->expires_at, context.clock.now())},
                            {"role", grant->principal.role}});
}

ApiResponse login(HandlerContext& context, const spec::ParsedRequest& request) {
  return sign_in_with_credentials(context, request);
}

ApiResponse login_with_microsoft(HandlerContext& context, const spec::ParsedRequest& request) {
  auto domain = required_body_string(request, "domain");
  if (!domain) return ApiResponse::error(domain.error());
  auto normalized = normalized_domain(*domain, body_field("domain"));
  if (!normalized) return ApiResponse::error(normalized.error());
  auto tenant = microsoft_tenant(context, *normalized, body_field("domain"));
  if (!tenant) return ApiResponse::error(tenant.error());
  // The form names no callback, so the browser goes back where it came from: an optional
  // callback_url form field, else the Referer, else the site root.
  std::string callback = body_string(request, "callback_url").value_or("");
  if (callback.empty()) {
    const std::string* referer = request.header("referer");
    callback = referer != nullptr ? *referer : "/";
  }
  if (!is_acceptable_callback_url(callback)) callback = "/";
  return ApiResponse::redirect(identity_provider_url(context, request, **tenant, callback));
}

ApiResponse logout(HandlerContext& context, const spec::ParsedRequest& request) {
  // 204 either way (B10): logging out without a session, or with a dead one, is not an error.
  if (request.bearer_token && !request.bearer_token->empty()) context.state.sign_out(*request.bearer_token);
  return ApiResponse::empty(204);
}

}  // namespace pbxmock::mock::handlers
