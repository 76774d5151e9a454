#include "contracts/fuzzing/executor.h"

#include <thread>

#include "contracts/fuzzing/operation_name.h"
#include "contracts/fuzzing/runtime_expression.h"
#include "contracts/fuzzing/secret_in_answer.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using Saved = std::vector<std::pair<std::string, std::string>>;

Exchange exchange_of(const std::string& origin, const Step& step, const HttpRequest& request, const Response& answer,
                     const Saved& saved) {
  Exchange out;
  out.url = origin + request.path;
  out.method = request.method;
  out.status = answer.status;
  out.request_headers = request.headers;
  for (const auto& [name, value] : step.parts.query) out.query.emplace_back(name, substitute(value, saved));
  for (const auto& [name, value] : step.parts.path_params) out.path_params.emplace_back(name, substitute(value, saved));
  out.request_text = request.body;
  if (!request.body.empty()) {
    auto parsed = nlohmann::json::parse(request.body, nullptr, false);
    if (!parsed.is_discarded()) out.request_body = std::move(parsed);
  }
  out.response_headers = answer.headers;
  out.response_body = answer.json;
  out.response_text = answer.body;
  return out;
}

}  // namespace

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
  // The answers so far stay where they are (the later steps' checks look back at them).
  out.steps.reserve(fuzz_case.steps.size());
  std::vector<EarlierAnswer> earlier;
  const bool secrets_wanted = checks_.has(Check::secret_in_answer);
  std::vector<Secret> secrets = secrets_wanted ? options_.known_secrets : std::vector<Secret>{};
  for (const Step& step : fuzz_case.steps) {
    const std::size_t index = out.steps.size();
    if (step.action != StepAction::request) {
      const std::size_t saved_before = out.saved.size();
      StepRun side = options_.side_step ? options_.side_step(step, out.saved) : StepRun{};
      if (!options_.side_step) side.transport_error = "a side step of a flow, and no way to run it here";
      // What the mailbox gave is a secret (the made-up wrong code saved before it is not).
      if (secrets_wanted && step.action == StepAction::read_mail && !step.saves.empty() &&
          out.saved.size() > saved_before && out.saved.back().first == step.saves.front().name) {
        learn_mailbox(index, out.saved, out.saved.size() - 1, secrets);
      }
      const bool stop = !side.transport_error.empty();
      if (stop) out.stopped = side.transport_error;
      out.steps.push_back(std::move(side));
      if (stop) break;
      continue;
    }
    StepRun run;
    if (options_.observer) options_.observer(render(step.parts, {}));
    run.request = render(step.parts, out.saved);
    if (options_.rate != nullptr) options_.rate->acquire();
    const auto started = std::chrono::steady_clock::now();
    auto answer = client_.send(run.request, options_.timeout);
    run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    const spec::Operation* operation =
        step.operation_id.empty() ? nullptr : find_operation_named(checker_.document(), step.operation_id);
    if (!answer && answer.error().kind == TransportError::Kind::time_limit) {
      out.cut = true;  // no verdict on the server: the run ran out of time
      break;
    }
    if (!answer) {
      run.transport_error = answer.error().message;
      run.cannot_connect = answer.error().kind == TransportError::Kind::cannot_connect;
      run.outcome = judge_no_answer(run.transport_error, checks_);
      out.steps.push_back(std::move(run));
      break;  // later steps depend on this one's answer
    }
    if (secrets_wanted) learn_sent(index, run.request, secrets);
    if (!step.operation_id.empty()) {
      if (secrets_wanted) learn_issued(index, *answer, secrets);
      run.outcome = judge(step, operation, *answer, std::chrono::duration_cast<std::chrono::milliseconds>(run.elapsed),
                          checker_, checks_, earlier, secrets, index);
    }
    const std::size_t saved_before = out.saved.size();
    bool follow = true;
    for (const Save& save : step.saves) {
      if (save.expression.empty()) continue;
      if (!status_matches(save.status, answer->status)) {
        out.stopped = "the answer was " + std::to_string(answer->status) + ", the link is declared for " + save.status;
        follow = false;
        break;
      }
      auto value = evaluate_template(save.expression, exchange_of(client_.target().url(), step, run.request, *answer, out.saved));
      if (!value) {
        out.stopped = save.expression + ": " + value.error();
        follow = false;
        break;
      }
      out.saved.emplace_back(save.name, value->is_string() ? value->get<std::string>()
                                                           : value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (answer->json) {
      for (const Save& save : step.saves) {
        if (!save.expression.empty()) continue;
        auto value = save.first ? first_string_value(*answer->json, save.key) : last_string_value(*answer->json, save.key);
        if (value) {
          out.saved.emplace_back(save.name, std::move(*value));
        }
      }
    }
    // A step outside the API reads the mailbox: what it saved is a mailed code or token.
    if (secrets_wanted && step.operation_id.empty()) learn_mailbox(index, out.saved, saved_before, secrets);
    run.response = std::move(answer).value();
    out.steps.push_back(std::move(run));
    earlier.push_back({&step, &*out.steps.back().response});
    if (!follow) break;  // the next step needs the link's value
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
