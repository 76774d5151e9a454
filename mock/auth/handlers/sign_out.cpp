// POST /auth/sign_out (signOut): AUTH-API.md A #4, B4. The vendor documents a bare 200;
// our spec answers it with an empty body.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse sign_out(HandlerContext& context, const spec::ParsedRequest& request) {
  auto grant = require_bearer(context, request);
  if (!grant) return ApiResponse::error(grant.error());
  // Another request may have ended the session since require_bearer: then it is gone, as asked.
  context.state.sign_out(grant->access_token);
  return ApiResponse::empty(200);
}

}  // namespace pbxmock::mock::handlers
