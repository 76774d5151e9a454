// GET /auth/user (getUserAuthInfo): AUTH-API.md A #10.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse get_user_auth_info(HandlerContext& context, const spec::ParsedRequest& request) {
  auto grant = require_bearer(context, request);
  if (!grant) return ApiResponse::error(grant.error());
  // Whoever holds a token proved the password (or Microsoft vouched): password_verified is true.
  return ApiResponse::json({{"role", grant->principal.role},
                            {"password_verified", true},
                            {"password_force_reset", grant->password_force_reset}});
}

}  // namespace pbxmock::mock::handlers
