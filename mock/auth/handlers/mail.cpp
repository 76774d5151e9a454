#include "mock/auth/handlers/mail.h"

namespace pbxmock::mock::handlers {

OutboxMessage mail_for(const Delivery& delivery, std::string kind, Clock::time_point now, std::string subject,
                       std::string_view body) {
  OutboxMessage message;
  message.kind = std::move(kind);
  message.subject = std::move(subject);
  message.text = "Hello " + delivery.principal.username + ",\n\n";
  message.text += body;
  message.to = delivery.email;
  message.tenant_domain = delivery.principal.tenant_domain;
  message.username = delivery.principal.username;
  message.created_at = now;
  return message;
}

std::string minutes_text(std::chrono::seconds valid_for) {
  const auto minutes = (valid_for.count() + 59) / 60;
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

}  // namespace pbxmock::mock::handlers
