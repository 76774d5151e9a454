#pragma once
// The mock's stand-in for e-mail: one-time codes and password-reset links land here, where
// a developer (through /__admin/outbox) or a test reads them. Bounded: past the capacity
// the oldest message is dropped. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock/clock.h"

namespace pbxmock::mock {

struct OutboxMessage {
  std::uint64_t id = 0;          // set by Outbox::add, 1 for the first message, never reused
  std::string kind;              // "otp" or "password_reset"
  std::string to;                // the user's e-mail address
  std::string tenant_domain;     // normalized; empty for a system administrator
  std::string username;
  std::string subject;
  std::string text;
  std::string code;              // the one-time code (kind "otp")
  std::string token;             // the reset token (kind "password_reset")
  std::string link;              // the reset link (kind "password_reset")
  Clock::time_point created_at;

  // Only the fields that apply: `code` for otp, `token` and `link` for password_reset.
  nlohmann::json to_json() const;
};

class Outbox {
 public:
  static constexpr std::size_t kDefaultCapacity = 1000;
  explicit Outbox(std::size_t capacity = kDefaultCapacity);

  // Stores the message under the next id and returns that id.
  std::uint64_t add(OutboxMessage message);
  // Newest first.
  std::vector<OutboxMessage> list() const;
  // The newest message of that kind for that username (case-insensitive), if any.
  std::optional<OutboxMessage> latest(std::string_view kind, std::string_view username) const;
  void clear();
  std::size_t size() const;
  std::size_t capacity() const noexcept { return capacity_; }

  // {"messages": [newest first], "capacity": n}
  nlohmann::json to_json() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<OutboxMessage> messages_;  // oldest at the front
  std::uint64_t next_id_ = 1;
};

}  // namespace pbxmock::mock
