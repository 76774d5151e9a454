// POST /auth/sign_in (signInWithCredentials): AUTH-API.md A #2, B1, B2, B5, B8.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse sign_in_with_credentials(HandlerContext& context, const spec::ParsedRequest& request) {
  auto username = required_body_string(request, "username");
  if (!username) return ApiResponse::error(username.error());
  auto password = required_body_string(request, "password");
  if (!password) return ApiResponse::error(password.error());

  // With a domain: a tenant user, and the reserved names are invalid input (B2). Without:
  // only a system administrator can sign in, reserved names included.
  std::string tenant_domain;
  const auto domain = body_string(request, "domain");
  if (auto invalid = check_username(*username, domain.has_value())) return ApiResponse::error(*invalid);
  if (domain) {
    auto normalized = normalized_domain(*domain, body_field("domain"));
    if (!normalized) return ApiResponse::error(normalized.error());
    tenant_domain = std::move(normalized.value());
  }
  // An unknown tenant, an unknown user and a wrong password all answer the same 400
  // UNAUTHORIZED, so the answer never tells which tenants or users exist. `qr` is ignored (B8).
  return sign_in_response(context.state.sign_in(tenant_domain, *username, *password));
}

}  // namespace pbxmock::mock::handlers
