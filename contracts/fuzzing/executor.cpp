#include "contracts/fuzzing/executor.h"

#include <thread>

namespace pbxmock::contracts::fuzzing {

RateLimiter::RateLimiter(double per_second) {
  if (per_second > 0) {
    interval_ = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / per_second));
  }
}

void RateLimiter::acquire() {
  if (interval_.count() == 0) return;
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard lock(mutex_);
    slot = std::max(std::chrono::steady_clock::now(), next_);
    next_ = slot + interval_;
  }
  std::this_thread::sleep_until(slot);
}

Executor::Executor(HttpClient& client, const SpecChecker& checker, const CheckSelection& checks, ExecutorOptions options)
    : client_(client), checker_(checker), checks_(checks), options_(std::move(options)) {}

CaseRun Executor::run(const FuzzCase& fuzz_case) {
  CaseRun out;
  for (const Step& step : fuzz_case.steps) {
    StepRun run;
    if (options_.observer) options_.observer(render(step.parts, {}));
    run.request = render(step.parts, out.saved);
    if (options_.rate != nullptr) options_.rate->acquire();
    const auto started = std::chrono::steady_clock::now();
    auto answer = client_.send(run.request, options_.timeout);
    run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    const spec::Operation* operation =
        step.operation_id.empty() ? nullptr : checker_.document().find_operation(step.operation_id);
    if (!answer) {
      run.transport_error = answer.error().message;
      run.cannot_connect = answer.error().kind == TransportError::Kind::cannot_connect;
      run.outcome = judge_no_answer(run.transport_error, checks_);
      out.steps.push_back(std::move(run));
      break;  // later steps depend on this one's answer
    }
    if (operation == nullptr && !step.operation_id.empty()) {
      // An operation without an id: found by its method and path template.
      for (const auto& candidate : checker_.document().operations()) {
        if (candidate.method + " " + candidate.path_template == step.operation_id) operation = &candidate;
      }
    }
    if (!step.operation_id.empty()) {
      run.outcome = judge(step, operation, *answer, std::chrono::duration_cast<std::chrono::milliseconds>(run.elapsed),
                          checker_, checks_);
    }
    if (answer->json) {
      for (const Save& save : step.saves) {
        auto value = save.first ? first_string_value(*answer->json, save.key) : last_string_value(*answer->json, save.key);
        if (value) {
          out.saved.emplace_back(save.name, std::move(*value));
        }
      }
    }
    run.response = std::move(answer).value();
    out.steps.push_back(std::move(run));
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
