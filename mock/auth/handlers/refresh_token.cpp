// POST /auth/refresh_token (refreshToken): AUTH-API.md A #9, B4 (rotation).
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse refresh_token(HandlerContext& context, const spec::ParsedRequest& request) {
  auto token = required_body_string(request, "refresh_token");
  if (!token) return ApiResponse::error(token.error());
  auto tokens = context.state.refresh(*token);
  if (!tokens) return ApiResponse::error(spec::bad_credentials("refresh token unknown, used, expired or revoked"));
  return ApiResponse::json(tokens->to_json());
}

}  // namespace pbxmock::mock::handlers
