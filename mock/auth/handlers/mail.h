#pragma once
// The messages the mock "e-mails" (one-time codes, reset links) into its outbox: the parts
// every kind shares.
#include <chrono>
#include <string>
#include <string_view>

#include "mock/auth/auth_state.h"
#include "mock/auth/outbox.h"
#include "mock/clock.h"

namespace pbxmock::mock::handlers {

// A message of `kind` to the delivery's user, dated `now`, with `subject` and a text that
// greets the user before `body`; the caller adds the secret's own field.
OutboxMessage mail_for(const Delivery& delivery, std::string kind, Clock::time_point now, std::string subject,
                       std::string_view body);

// The delivery's lifetime in whole minutes, rounded up: "1 minute", "15 minutes".
std::string minutes_text(std::chrono::seconds valid_for);

}  // namespace pbxmock::mock::handlers
