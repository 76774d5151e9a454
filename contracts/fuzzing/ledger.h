#pragma once
// What the workers of a fuzz run share: per operation the requests, latencies, statuses and the
// checks applied and failed; and the first case of each distinct failure (operation, check,
// status), with when it was first seen. Every member behind one mutex.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "contracts/fuzzing/executor.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/fuzzer.h"
#include "contracts/fuzzing/shrinker.h"

namespace pbxmock::contracts::fuzzing {

// The first case of a distinct failure, kept to be shrunk and reported.
struct Pending {
  Failure failure;
  FuzzCase fuzz_case;
  CaseRun run;
  std::size_t step = 0;  // the step that failed first
};

// What the workers share; every member behind `mutex`.
class Ledger {
 public:
  Ledger(const std::vector<std::string>& names, std::chrono::steady_clock::time_point started) : started_(started) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      stats_.push_back({});
      stats_.back().operation = names[i];
      index_[names[i]] = i;
    }
  }

  void record(const FuzzCase& fuzz_case, const CaseRun& run) {
    std::lock_guard lock(mutex_);
    ++cases_;
    if (!followed_links(fuzz_case).empty()) {
      ++link_cases_;
      if (!run.stopped.empty()) {
        ++link_cases_stopped_;
        // The reason without the values it quotes, so the same cause is counted once.
        ++link_stops_[run.stopped.substr(0, run.stopped.find(':'))];
      }
    }
    if (const auto it = index_.find(fuzz_case.operation_id); it != index_.end()) ++stats_[it->second].cases;
    for (std::size_t i = 0; i < run.steps.size(); ++i) {
      const StepRun& step_run = run.steps[i];
      const Step& step = fuzz_case.steps[i];
      ++requests_;
      if (step_run.cannot_connect) ++cannot_connect_;
      const auto it = index_.find(step.operation_id);
      if (it == index_.end()) continue;
      OperationStats& stats = stats_[it->second];
      ++stats.requests;
      stats.latencies_ms.push_back(static_cast<double>(step_run.elapsed.count()) / 1000.0);
      const int status = step_run.response ? step_run.response->status : 0;
      if (status != 0) stats.statuses.insert(status);
      for (const std::string& check : step_run.outcome.applied) ++stats.checks_applied[check];
      for (const CheckFailure& failure : step_run.outcome.failures) {
        ++stats.checks_failed[failure.check];
        ++stats.failures;
        const FailureKey key{step.operation_id, failure.check, status};
        auto [entry, added] = pending_.try_emplace(key);
        Pending& pending = entry->second;
        ++pending.failure.count;
        if (!added) continue;
        pending.failure = {step.operation_id, failure.check, failure.expected, failure.seen, status, 1,
                           fuzz_case.example, fuzz_case.steps.size(), {}, {}};
        pending.failure.first_seen_request = requests_;
        pending.failure.first_seen_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        pending.step = i;
        pending.fuzz_case = fuzz_case;
        pending.run = run;
      }
    }
  }

  void not_generated(const std::string& operation) {
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(operation); it != index_.end()) ++stats_[it->second].not_generated;
  }

  bool only_cannot_connect() {
    std::lock_guard lock(mutex_);
    return requests_ > 0 && cannot_connect_ == requests_;
  }

  std::size_t requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::size_t failures() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& stats : stats_) n += stats.failures;
    return n;
  }

  void take_link_counts(FuzzResult& result) {
    std::lock_guard lock(mutex_);
    result.link_cases = link_cases_;
    result.link_cases_stopped = link_cases_stopped_;
    result.link_stops = std::move(link_stops_);
  }

  const OperationStats& stats(std::size_t i) const { return stats_[i]; }
  std::vector<OperationStats> take_stats() { return std::move(stats_); }
  std::map<FailureKey, Pending> take_pending() { return std::move(pending_); }

 private:
  std::mutex mutex_;
  std::vector<OperationStats> stats_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<FailureKey, Pending> pending_;
  std::size_t requests_ = 0;
  std::size_t cannot_connect_ = 0;
  std::size_t cases_ = 0;
  std::size_t link_cases_ = 0;
  std::size_t link_cases_stopped_ = 0;
  std::map<std::string, std::size_t> link_stops_;
  std::chrono::steady_clock::time_point started_;
};


}  // namespace pbxmock::contracts::fuzzing
