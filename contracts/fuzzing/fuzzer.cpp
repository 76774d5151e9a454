#include "contracts/fuzzing/fuzzer.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/check_cases.h"
#include "contracts/fuzzing/executor.h"
#include "contracts/fuzzing/flows.h"
#include "contracts/fuzzing/links.h"
#include "contracts/fuzzing/operation_name.h"
#include "contracts/fuzzing/random.h"
#include "contracts/fuzzing/reproducer.h"
#include "contracts/fuzzing/secret_in_answer.h"
#include "contracts/fuzzing/shrinker.h"
#include "contracts/fuzzing/value_generator.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using Clock = std::chrono::steady_clock;

struct Pending {
  Failure failure;
  FuzzCase fuzz_case;
  CaseRun run;
};

// What the workers share; every member behind `mutex`.
class Ledger {
 public:
  explicit Ledger(const std::vector<std::string>& names) {
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
};

// A pair fails when a failure of it is reported (one that did not show again is not).
void count_pairs(FuzzResult& result) {
  for (const OperationStats& stats : result.operations) {
    for (const auto& applied : stats.checks_applied) {
      const std::string& check = applied.first;  // a structured binding cannot be captured in C++17
      const bool reported = std::any_of(result.failures.begin(), result.failures.end(), [&](const Failure& failure) {
        return failure.operation == stats.operation && failure.check == check;
      });
      if (reported) {
        ++result.failed;
      } else {
        ++result.passed;
      }
    }
  }
}

}  // namespace

Fuzzer::Fuzzer(const spec::OpenApiDocument& document, FuzzOptions options)
    : document_(document), options_(std::move(options)) {
  // Every --operation by the one name the run knows it by, so the cases, the flows' filter and
  // the report agree whichever way it was given ("POST /auth/sign_in" is signInWithCredentials).
  for (std::string& wanted : options_.operations) {
    if (const spec::Operation* operation = find_operation_named(document_, wanted)) wanted = operation_name(*operation);
  }
}

std::optional<std::string> Fuzzer::check_operations() const {
  for (const std::string& wanted : options_.operations) {
    if (find_operation_named(document_, wanted) == nullptr) {
      return "--operation " + wanted + ": no operation with this operationId (or METHOD /path) in " + document_.file();
    }
  }
  return std::nullopt;
}

FuzzResult Fuzzer::run(std::ostream& progress) {
  FuzzResult result;
  const auto started = Clock::now();
  // Every connection of the run ends at --time-limit, a request in flight included.
  const ClientOptions client_options{
      !options_.insecure, options_.max_answer_bytes,
      options_.time_limit ? std::optional<Clock::time_point>(started + *options_.time_limit) : std::nullopt};
  const SpecChecker checker(document_);
  std::mutex log_mutex;
  RateLimiter rate(options_.rate);
  ExecutorOptions executor_options{options_.timeout, &rate, {}};
  if (options_.request_log) {
    executor_options.observer = [&](const HttpRequest& request) {
      std::lock_guard lock(log_mutex);
      options_.request_log(request);
    };
  }

  // The fuzzer's own tenant in the mock, so the flows know whom to sign in as.
  HttpClient admin(options_.target, client_options);
  std::optional<FuzzAccount> account;
  std::string previous_scenario;
  if (options_.mock_admin) {
    auto active = admin.send({"GET", "/__admin/scenarios/active", {}, {}}, options_.timeout);
    if (!active) {
      result.fatal = "cannot reach the target " + options_.target.url() + ": " + active.error().message;
      return result;
    }
    if (active->status != 200 || !active->json) {
      result.fatal = "--mock-admin: " + options_.target.url() + "/__admin/scenarios/active answered " +
                     std::to_string(active->status) + "; is the target pbxmock serve (on loopback)?";
      return result;
    }
    previous_scenario = active->json->value("active", "");
    auto loaded = admin.send({"POST", "/__admin/scenarios", {{"Content-Type", "application/yaml"}}, std::string(kFuzzScenario)},
                             options_.timeout);
    if (!loaded || loaded->status >= 300) {
      result.fatal = "--mock-admin: the target did not load the fuzzer's scenario: " +
                     (loaded ? std::to_string(loaded->status) + " " + loaded->body : loaded.error().message);
      return result;
    }
    account = mock_account();
  } else {
    auto probe = admin.send({"GET", document_.base_path() + "/", {}, {}}, options_.timeout);
    if (!probe && probe.error().kind != TransportError::Kind::timeout &&
        probe.error().kind != TransportError::Kind::time_limit) {
      result.fatal = "cannot reach the target " + options_.target.url() + ": " + probe.error().message;
      return result;
    }
  }

  const Hints hints = account ? account_hints(*account) : Hints{};
  const spec::SchemaValidator& validator = checker.validator();
  const ValueGenerator generator(document_, validator, hints);
  const SessionPlan session =
      options_.auth ? *options_.auth : account ? session_plan(document_, *account) : SessionPlan{};
  const BuildContext context{document_, generator, validator, session, options_.body_limit};
  const CaseBuilder builder(context);
  executor_options.known_secrets = known_secrets(session);
  const CheckCasePlan check_plan{options_.checks, known_user(session), options_.max_examples, options_.seed};
  if (session.sign_in.empty()) {
    for (const auto& operation : document_.operations()) {
      if (operation.requires_auth) {
        result.skipped.emplace_back("signed-in cases: no account to sign in as (use --mock-admin or --auth); secured operations get requests without a token");
        break;
      }
    }
  }

  std::vector<const spec::Operation*> selected;
  std::vector<std::string> names;
  for (const auto& operation : document_.operations()) {
    names.push_back(operation_name(operation));
    const bool wanted = options_.operations.empty() ||
                        std::find(options_.operations.begin(), options_.operations.end(), names.back()) !=
                            options_.operations.end();
    if (wanted) selected.push_back(&operation);
  }
  Flows flows = build_flows(document_, account ? &*account : nullptr, options_.mock_admin, options_.operations);
  for (auto& skipped : flows.skipped) result.skipped.push_back(std::move(skipped));
  std::vector<FuzzCase> flow_cases;
  for (FuzzCase& flow : flows.cases) {
    // A flow runs when every operation it calls is selected.
    const bool wanted = std::all_of(flow.steps.begin(), flow.steps.end(), [&](const Step& step) {
      return step.operation_id.empty() || options_.operations.empty() ||
             std::find(options_.operations.begin(), options_.operations.end(), step.operation_id) !=
                 options_.operations.end();
    });
    if (wanted) flow_cases.push_back(std::move(flow));
  }

  DocumentLinks links;
  if (options_.follow_links) {
    links = read_links(document_);
    // A link into an operation the run was not asked to call is not followed.
    for (auto& from : links.by_operation) {
      from.erase(std::remove_if(from.begin(), from.end(),
                                [&](const Link& link) {
                                  return std::find(selected.begin(), selected.end(), link.target) == selected.end();
                                }),
                 from.end());
    }
    result.links_declared = links.count();
    result.link_problems = links.problems;
  }

  Ledger ledger(names);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> operations_done{0};
  std::mutex progress_mutex;
  auto last_progress = Clock::now();
  // At most a few times a second: the line is for a person, and every call takes the ledger's lock.
  auto report_progress = [&](bool force) {
    if (!options_.live_progress) return;
    std::unique_lock lock(progress_mutex, std::try_to_lock);
    if (!lock.owns_lock() && !force) return;
    if (!lock.owns_lock()) lock.lock();
    const auto now = Clock::now();
    if (!force && now - last_progress < std::chrono::milliseconds(100)) return;
    last_progress = now;
    options_.live_progress({operations_done.load(), selected.size(), ledger.requests(), ledger.failures(),
                            std::chrono::duration<double>(now - started).count()});
  };
  std::atomic<bool> timed_out{false};
  const std::size_t items = selected.size();
  const auto deadline = options_.time_limit ? std::optional<Clock::time_point>(started + *options_.time_limit) : std::nullopt;
  auto past_deadline = [&] {
    if (deadline && Clock::now() >= *deadline) timed_out = true;
    return timed_out.load();
  };
  auto worker = [&] {
    HttpClient client(options_.target, client_options);
    Executor executor(client, checker, options_.checks, executor_options);
    for (std::size_t item = next++; item < items && !past_deadline(); item = next++) {
      const spec::Operation& operation = *selected[item];
      const std::size_t index = static_cast<std::size_t>(&operation - document_.operations().data());
      Random random(operation_seed(options_.seed, index));
      for (std::size_t example = 0; example < options_.max_examples && !past_deadline(); ++example) {
        FuzzCase fuzz_case = builder.build(operation, example, random);
        if (fuzz_case.steps.empty()) {
          ledger.not_generated(fuzz_case.operation_id);
          continue;
        }
        ledger.record(fuzz_case, executor.run(fuzz_case));
        if (ledger.only_cannot_connect()) return;
        report_progress(false);
      }
      // Sequences along the document's links, from a generator of their own so that adding
      // links to a document leaves the other cases of a seed as they were.
      if (!links.by_operation.empty() && !links.by_operation[index].empty()) {
        Random link_random(operation_seed(options_.seed ^ 0x6c696e6b73ULL, index));
        const std::size_t sequences = std::max<std::size_t>(1, options_.max_examples / 5);
        for (std::size_t k = 0; k < sequences && !past_deadline(); ++k) {
          auto fuzz_case = build_link_case(builder, document_, links, session, operation, options_.max_examples + k, link_random);
          if (!fuzz_case) continue;
          ledger.record(*fuzz_case, executor.run(*fuzz_case));
          if (ledger.only_cannot_connect()) return;
          report_progress(false);
        }
      }
      for (const FuzzCase& fuzz_case : check_cases(builder, document_, operation, index, check_plan)) {
        if (past_deadline()) break;
        ledger.record(fuzz_case, executor.run(fuzz_case));
        if (ledger.only_cannot_connect()) return;
      }
      ++operations_done;
      report_progress(false);
      if (options_.live_progress) continue;
      std::lock_guard lock(log_mutex);
      const OperationStats& stats = ledger.stats(index);
      progress << names[index] << ": " << stats.requests << " requests, " << stats.failures << " failures\n"
               << std::flush;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < std::max<std::size_t>(1, options_.workers); ++i) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();

  if (ledger.only_cannot_connect()) {
    result.fatal = "cannot reach the target " + options_.target.url();
    return result;
  }
  report_progress(true);
  // The flows alone, one after the other: another worker's sign-ins and password-reset requests
  // would otherwise replace the codes and tokens a flow reads from the outbox.
  {
    Executor flow_executor(admin, checker, options_.checks, executor_options);
    for (const FuzzCase& flow : flow_cases) {
      if (past_deadline()) break;
      ledger.record(flow, flow_executor.run(flow));
    }
  }

  // Shrink the first case of each distinct failure, on a connection of its own.
  Executor shrinking(admin, checker, options_.checks, {options_.timeout, &rate, {}, executor_options.known_secrets});
  const std::function<CaseRun(const FuzzCase&)> run_case = [&](const FuzzCase& c) { return shrinking.run(c); };
  for (auto& [key, pending] : ledger.take_pending()) {
    ShrinkResult shrunk = shrink(pending.fuzz_case, pending.run, key, builder, document_, run_case);
    const std::string which = key.operation + " " + key.check + " (status " + std::to_string(key.status) + ")";
    if (shrunk.confirmation == Confirmation::not_reproduced) {
      result.skipped.push_back(which + ": seen " + std::to_string(pending.failure.count) +
                               "x, but not when the shrunk case was sent again; not reported");
      continue;
    }
    if (shrunk.confirmation == Confirmation::not_sent) {
      result.skipped.push_back(which + ": reported as seen; --time-limit came before its case could be sent again");
    }
    Failure failure = std::move(pending.failure);
    failure.shrunk = std::move(shrunk.fuzz_case);
    const std::string title = "pbxmock fuzz: " + key.operation + " fails " + key.check + " (seed " +
                              std::to_string(options_.seed) + ", example " + std::to_string(failure.example) + ")";
    failure.reproducer =
        reproducer_script(options_.target, failure.shrunk, shrunk.run.saved, options_.insecure, title, options_.env);
    result.failures.push_back(std::move(failure));
  }

  if (options_.mock_admin && !previous_scenario.empty()) {
    auto restored = admin.send({"PUT", "/__admin/scenarios/active", {{"Content-Type", "application/json"}},
                                nlohmann::json({{"name", previous_scenario}}).dump()},
                               options_.timeout);
    if (!restored || restored->status != 200) {
      result.skipped.push_back("the mock's scenario '" + previous_scenario + "' could not be switched back (it is not built in); the mock runs 'fuzz'");
    }
  }
  report_progress(true);
  result.requests = ledger.requests();
  ledger.take_link_counts(result);
  result.operations = ledger.take_stats();
  result.stopped_by_time_limit = timed_out;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  count_pairs(result);
  return result;
}

FuzzResult Fuzzer::replay(const std::vector<Failure>& recorded, std::ostream& progress) {
  FuzzResult result;
  const auto started = Clock::now();
  const SpecChecker checker(document_);
  RateLimiter rate(options_.rate);
  HttpClient client(options_.target, {!options_.insecure, options_.max_answer_bytes, std::nullopt});
  // The secrets the run knew, so that a secret_in_answer failure replays as it was found.
  const SessionPlan session =
      options_.auth ? *options_.auth : options_.mock_admin ? session_plan(document_, mock_account()) : SessionPlan{};
  Executor executor(client, checker, options_.checks, {options_.timeout, &rate, {}, known_secrets(session)});
  std::vector<std::string> names;
  for (const auto& operation : document_.operations()) names.push_back(operation_name(operation));
  Ledger ledger(names);
  for (const Failure& failure : recorded) {
    const CaseRun run = executor.run(failure.shrunk);
    ledger.record(failure.shrunk, run);
    const bool still = shows(failure.shrunk, run, {failure.operation, failure.check, failure.status});
    progress << (still ? "STILL FAILING " : "FIXED ") << failure.operation << " " << failure.check << " (status "
             << failure.status << ")\n";
    if (still) {
      Failure again = failure;
      again.count = 1;
      result.failures.push_back(std::move(again));
      ++result.failed;
    } else {
      ++result.passed;
    }
    if (ledger.only_cannot_connect()) {
      result.fatal = "cannot reach the target " + options_.target.url();
      return result;
    }
  }
  result.requests = ledger.requests();
  result.operations = ledger.take_stats();
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

}  // namespace pbxmock::contracts::fuzzing
