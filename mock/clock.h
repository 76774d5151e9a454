#pragma once
// The mock's time: real time plus an offset that tests and the admin API move forward, so
// tokens, codes and reset links expire without anyone waiting. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pbxmock::mock {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;

  Clock();

  // Wall-clock time as the mock sees it. Built from the steady clock (so a change of the
  // system time never moves it backwards) anchored at the wall-clock time of construction,
  // plus every advance().
  time_point now() const;

  // How far ahead of real time the mock may run: far enough for any expiry the API has
  // (30-day refresh tokens, a year of sessions), near enough that no time arithmetic
  // overflows however often the clock is moved.
  static constexpr std::chrono::seconds kMaxOffset{400LL * 24 * 3600};

  // Moves mock time forward; a negative amount is refused (time never runs backwards, so
  // an expired token never comes back to life), and so is one that would put the offset
  // past kMaxOffset. Returns whether it moved.
  bool advance(std::chrono::seconds by);

  std::chrono::seconds offset() const;
  // How much further advance() may move the clock now: kMaxOffset - offset().
  std::chrono::seconds headroom() const;
  // Back to real time (offset 0): part of an admin reset.
  void reset();

  // {"now": RFC 3339, "offset_seconds": n}
  nlohmann::json to_json() const;

 private:
  std::chrono::system_clock::time_point wall_anchor_;
  std::chrono::steady_clock::time_point steady_anchor_;
  std::atomic<std::int64_t> offset_seconds_{0};
};

// "2025-11-27T22:30:00Z": UTC, whole seconds (RFC 3339, as the LoginStatus schema wants).
std::string to_rfc3339(Clock::time_point time);

// Whole seconds from `now` until `deadline`, rounded up, never below 0.
std::int64_t seconds_until(Clock::time_point deadline, Clock::time_point now);

}  // namespace pbxmock::mock
