// POST /auth/send_otp and /auth/verify_otp (sendOTP, verifyOTP): AUTH-API.md A #5, #6, B5.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/mail.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse send_otp(HandlerContext& context, const spec::ParsedRequest& request) {
  auto token = required_body_string(request, "token");
  if (!token) return ApiResponse::error(token.error());
  auto delivery = context.state.send_otp(*token);
  if (!delivery) return ApiResponse::error(spec::bad_credentials("two-factor session unknown, expired or used up"));

  OutboxMessage message =
      mail_for(*delivery, "otp", context.clock.now(), "Your sign-in code: " + delivery->secret,
               "Your PortSIP sign-in code is " + delivery->secret + ". It works for " +
                   minutes_text(delivery->valid_for) + " more.\n\nIf you did not try to sign in, change your password.\n");
  message.code = delivery->secret;
  context.outbox.add(std::move(message));
  return ApiResponse::empty(200);
}

ApiResponse verify_otp(HandlerContext& context, const spec::ParsedRequest& request) {
  auto token = required_body_string(request, "token");
  if (!token) return ApiResponse::error(token.error());
  auto code = required_body_string(request, "code");
  if (!code) return ApiResponse::error(code.error());
  auto tokens = context.state.verify_otp(*token, *code);
  if (!tokens) return ApiResponse::error(spec::bad_credentials("wrong code, or the two-factor session has ended"));
  return ApiResponse::json(tokens->to_json());
}

}  // namespace pbxmock::mock::handlers
