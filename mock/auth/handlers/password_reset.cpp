// POST /auth/forget_password and /auth/reset_password: AUTH-API.md A #7, #8, B6.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/mail.h"
#include "mock/auth/handlers/request_fields.h"
#include "mock/url.h"

namespace pbxmock::mock::handlers {

ApiResponse forget_password(HandlerContext& context, const spec::ParsedRequest& request) {
  auto domain = required_body_string(request, "domain");
  if (!domain) return ApiResponse::error(domain.error());
  auto username = required_body_string(request, "username");
  if (!username) return ApiResponse::error(username.error());
  auto callback_url = required_body_string(request, "callback_url");
  if (!callback_url) return ApiResponse::error(callback_url.error());
  if (auto invalid = check_username(*username, true)) return ApiResponse::error(*invalid);
  auto normalized = normalized_domain(*domain, body_field("domain"));
  if (!normalized) return ApiResponse::error(normalized.error());
  if (auto invalid = check_callback_url(*callback_url, body_field("callback_url"))) return ApiResponse::error(*invalid);

  // 200 whether or not the user exists: the answer must not tell (B6). Only a real user
  // with an e-mail address gets a message.
  if (auto delivery = context.state.start_password_reset(*normalized, *username)) {
    const std::string link = append_query(*callback_url, {{"token", delivery->secret}});
    OutboxMessage message =
        mail_for(*delivery, "password_reset", context.clock.now(), "Reset your PortSIP password",
                 "To choose a new password, open\n" + link + "\n\nThe link works once, for " +
                     minutes_text(delivery->valid_for) + ". If you did not ask for it, ignore this message.\n");
    message.token = delivery->secret;
    message.link = link;
    context.outbox.add(std::move(message));
  }
  return ApiResponse::empty(200);
}

ApiResponse reset_password(HandlerContext& context, const spec::ParsedRequest& request) {
  auto token = required_body_string(request, "token");
  if (!token) return ApiResponse::error(token.error());
  auto new_password = required_body_string(request, "new_password");
  if (!new_password) return ApiResponse::error(new_password.error());
  if (!context.state.reset_password(*token, *new_password))
    return ApiResponse::error(spec::bad_credentials("reset token unknown, used or expired"));
  return ApiResponse::empty(200);
}

}  // namespace pbxmock::mock::handlers
