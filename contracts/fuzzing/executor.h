#pragma once
// Sends a case's steps in order on one connection, saving what later steps need, and judges
// every answer with the selected checks. A rate limit, shared by all workers, spaces the
// requests out.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/http_client.h"
#include "contracts/spec_checks.h"

namespace pbxmock::contracts::fuzzing {

// At most `per_second` requests a second over all workers; 0: no limit.
class RateLimiter {
 public:
  explicit RateLimiter(double per_second);
  void acquire();

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::duration interval_{};
  std::chrono::steady_clock::time_point next_{};
};

struct StepRun {
  HttpRequest request;
  std::optional<Response> response;
  std::string transport_error;
  bool cannot_connect = false;
  std::chrono::microseconds elapsed{0};
  CheckOutcome outcome;
};

struct CaseRun {
  std::vector<StepRun> steps;
  std::vector<std::pair<std::string, std::string>> saved;  // NAME, value
  std::string stopped;  // why a link was not followed and the later steps were not sent
  bool cut = false;     // the run's --time-limit came first: the step it cut is left out, unjudged
};

struct ExecutorOptions {
  std::chrono::milliseconds timeout{10'000};
  RateLimiter* rate = nullptr;
  // Called with each request before it is sent, placeholders not substituted (so the same
  // seed logs the same lines whatever tokens the server hands out).
  std::function<void(const HttpRequest&)> observer;
  // Secrets the run knows before any case (the passwords it signs in with): secret_in_answer
  // looks for them, and for those each case learns, in every answer.
  std::vector<Secret> known_secrets{};
  // Runs a flow's side step (reading the mailbox, moving the clock), saving what it reads; a
  // transport_error stops the case. Without it a side step stops the case.
  std::function<StepRun(const Step&, std::vector<std::pair<std::string, std::string>>&)> side_step;
};

class Executor {
 public:
  // All references must outlive the executor.
  Executor(HttpClient& client, const SpecChecker& checker, const CheckSelection& checks, ExecutorOptions options);

  CaseRun run(const FuzzCase& fuzz_case);

 private:
  HttpClient& client_;
  const SpecChecker& checker_;
  const CheckSelection& checks_;
  ExecutorOptions options_;
};

}  // namespace pbxmock::contracts::fuzzing
