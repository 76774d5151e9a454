#include "mock/auth/outbox.h"

#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {

nlohmann::json OutboxMessage::to_json() const {
  nlohmann::json out = {{"id", id},
                        {"kind", kind},
                        {"to", to},
                        {"tenant_domain", tenant_domain},
                        {"username", username},
                        {"subject", subject},
                        {"text", text},
                        {"created_at", to_rfc3339(created_at)}};
  if (!code.empty()) out["code"] = code;
  if (!token.empty()) out["token"] = token;
  if (!link.empty()) out["link"] = link;
  return out;
}

// A capacity of 0 would silently drop every message; one is the least that is useful.
Outbox::Outbox(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::uint64_t Outbox::add(OutboxMessage message) {
  std::lock_guard lock(mutex_);
  message.id = next_id_++;
  const std::uint64_t id = message.id;
  messages_.push_back(std::move(message));
  while (messages_.size() > capacity_) messages_.pop_front();
  return id;
}

std::vector<OutboxMessage> Outbox::list() const {
  std::lock_guard lock(mutex_);
  return {messages_.rbegin(), messages_.rend()};
}

std::optional<OutboxMessage> Outbox::latest(std::string_view kind, std::string_view username) const {
  std::lock_guard lock(mutex_);
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it)
    if (it->kind == kind && spec::ascii::iequals(it->username, username)) return *it;
  return std::nullopt;
}

void Outbox::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

std::size_t Outbox::size() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

nlohmann::json Outbox::to_json() const {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& message : list()) messages.push_back(message.to_json());
  return {{"messages", std::move(messages)}, {"capacity", capacity_}};
}

}  // namespace pbxmock::mock
