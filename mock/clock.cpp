#include "mock/clock.h"

#include <ctime>

namespace pbxmock::mock {

Clock::Clock() : wall_anchor_(std::chrono::system_clock::now()), steady_anchor_(std::chrono::steady_clock::now()) {}

Clock::time_point Clock::now() const {
  const auto elapsed = std::chrono::steady_clock::now() - steady_anchor_;
  return wall_anchor_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed) +
         std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed));
}

bool Clock::advance(std::chrono::seconds by) {
  if (by.count() < 0) return false;
  // Checked and added in one step, so two advances at once cannot both pass the bound.
  std::int64_t current = offset_seconds_.load(std::memory_order_relaxed);
  do {
    if (by.count() > kMaxOffset.count() - current) return false;
  } while (!offset_seconds_.compare_exchange_weak(current, current + by.count(), std::memory_order_relaxed));
  return true;
}

std::chrono::seconds Clock::headroom() const { return kMaxOffset - offset(); }

std::chrono::seconds Clock::offset() const { return std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed)); }

void Clock::reset() { offset_seconds_.store(0, std::memory_order_relaxed); }

nlohmann::json Clock::to_json() const {
  return {{"now", to_rfc3339(now())}, {"offset_seconds", offset().count()}};
}

std::string to_rfc3339(Clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(time));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, n);
}

std::int64_t seconds_until(Clock::time_point deadline, Clock::time_point now) {
  if (deadline <= now) return 0;
  const auto left = deadline - now;
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
  return whole.count() + (left > whole ? 1 : 0);
}

}  // namespace pbxmock::mock
