#pragma once
// Cuts a request at its deadline whatever the server does. cpp-httplib's timeouts are per read
// and per write, so a server that drips a byte now and then never trips them; this calls
// `expire` (cpp-httplib's stop(), from a thread of its own) once the armed deadline has passed,
// and again every few milliseconds until disarmed, because a stop() that lands while the
// connection is still being opened has no socket to shut yet.
//
// With `over_budget`, it also asks that every few milliseconds while armed, and cuts the
// request the same way when it says yes: cpp-httplib reads an answer's head without a limit,
// so a server sending header lines without end is cut by size, long before the deadline.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pbxmock::contracts {

class DeadlineWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DeadlineWatchdog(std::function<void()> expire, std::function<bool()> over_budget = {});
  ~DeadlineWatchdog();
  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  void arm(Clock::time_point deadline);
  // Whether `expire` was called since arm(). No call comes after disarm() returns.
  bool disarm();
  // After disarm(): whether the cut was for the budget, not the deadline.
  bool cut_for_budget() const noexcept { return cut_for_budget_; }

 private:
  void watch();

  std::function<void()> expire_;
  std::function<bool()> over_budget_;
  bool cut_for_budget_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool fired_ = false;
  bool quit_ = false;
  Clock::time_point deadline_{};
  // When the watching thread wakes next: arm() wakes it sooner only for an earlier deadline,
  // so a stream of requests costs no thread wake-up each.
  Clock::time_point sleeping_until_ = Clock::time_point::max();
  std::thread thread_;
};

}  // namespace pbxmock::contracts
