#include "contracts/deadline_watchdog.h"

#include <algorithm>

namespace pbxmock::contracts {
namespace {

constexpr std::chrono::milliseconds kRepeat{20};
// How often the budget is asked while armed: at loopback speed some 100 MB/s, a megabyte.
constexpr std::chrono::milliseconds kBudgetEvery{10};

}  // namespace

DeadlineWatchdog::DeadlineWatchdog(std::function<void()> expire, std::function<bool()> over_budget)
    : expire_(std::move(expire)), over_budget_(std::move(over_budget)), thread_([this] { watch(); }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void DeadlineWatchdog::arm(Clock::time_point deadline) {
  bool sooner = false;
  {
    std::lock_guard lock(mutex_);
    armed_ = true;
    fired_ = false;
    cut_for_budget_ = false;
    deadline_ = deadline;
    sooner = deadline < sleeping_until_;
  }
  if (sooner) wake_.notify_one();
}

bool DeadlineWatchdog::disarm() {
  std::lock_guard lock(mutex_);
  armed_ = false;
  return fired_;
}

void DeadlineWatchdog::watch() {
  std::unique_lock lock(mutex_);
  while (!quit_) {
    const auto now = Clock::now();
    if (armed_ && !fired_ && over_budget_ && over_budget_()) cut_for_budget_ = true;
    if (armed_ && (now >= deadline_ || cut_for_budget_)) {
      fired_ = true;
      // Under the lock, so that disarm() waits for a call in progress and none comes after it.
      expire_();
      sleeping_until_ = now + kRepeat;
    } else if (armed_) {
      sleeping_until_ = over_budget_ ? std::min(deadline_, now + kBudgetEvery) : deadline_;
    } else {
      sleeping_until_ = Clock::time_point::max();
    }
    if (sleeping_until_ == Clock::time_point::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, sleeping_until_);
    }
  }
}

}  // namespace pbxmock::contracts
