#include "contracts/fuzzing/fuzzer.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/check_cases.h"
#include "contracts/fuzzing/executor.h"
#include "contracts/fuzzing/flows.h"
#include "contracts/fuzzing/ledger.h"
#include "contracts/fuzzing/links.h"
#include "contracts/fuzzing/operation_name.h"
#include "contracts/fuzzing/random.h"
#include "contracts/fuzzing/reproducer.h"
#include "contracts/fuzzing/secret_in_answer.h"
#include "contracts/fuzzing/shrinker.h"
#include "contracts/fuzzing/side_steps.h"
#include "contracts/fuzzing/value_generator.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using Clock = std::chrono::steady_clock;

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

std::vector<std::string> operation_names(const spec::OpenApiDocument& document) {
  std::vector<std::string> names;
  for (const auto& operation : document.operations()) names.push_back(operation_name(operation));
  return names;
}

// Why a flow stopped before its end, for the report: its later checks were not judged.
std::string stop_note(const FuzzCase& flow, const CaseRun& run) {
  if (run.steps.empty()) return flow.flow + " flow did not start: the checks in it were not judged";
  const std::size_t at = run.steps.size() - 1;
  const Step& step = flow.steps[at];
  const StepRun& step_run = run.steps[at];
  std::string why = step_run.response ? step.operation_id + " answered " + std::to_string(step_run.response->status)
                                      : run.stopped;
  if (why.empty()) why = step_run.transport_error;
  return flow.flow + " flow stopped at step " + std::to_string(at + 1) + " of " + std::to_string(flow.steps.size()) +
         " (" + why + "): the checks after it were not judged";
}

// The password-reset flow sets a temporary password and then the account's own again; when
// the second reset did not happen, the account keeps the temporary one and the report says so.
std::optional<std::string> password_left_changed(const FuzzCase& flow, const CaseRun& run, std::uint64_t seed) {
  if (flow.flow != "password-reset") return std::nullopt;
  bool changed = false;
  bool restored = false;
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    const Step& step = flow.steps[i];
    if (step.operation_id != "resetPassword" || !run.steps[i].response) continue;
    const bool ok = run.steps[i].response->status >= 200 && run.steps[i].response->status < 300;
    if (step.intent == Intent::positive && ok) (changed ? restored : changed) = true;
  }
  if (!changed || restored) return std::nullopt;
  return "password-reset flow: the account's password was set to the temporary '" + temporary_password(seed) +
         "' and could not be set back; set it back by hand";
}

}  // namespace

// One run, stage by stage: reach the target (and load the fuzzer's scenario with
// --mock-admin), build what the cases are made of, let the workers send every operation's
// cases, run the flows one after the other, shrink and report each distinct failure, and put
// the mock back. A stage that cannot go on says why in `result_.fatal`.
class FuzzRun {
 public:
  // `time_limited`: every connection of the run ends at --time-limit, a request in flight
  // included (a replay sends its cases whole).
  FuzzRun(const spec::OpenApiDocument& document, const FuzzOptions& options, std::ostream& progress, bool time_limited)
      : document_(document),
        options_(options),
        progress_(progress),
        client_options_{!options.insecure, options.max_answer_bytes,
                        time_limited && options.time_limit
                            ? std::optional<Clock::time_point>(started_ + *options.time_limit)
                            : std::nullopt},
        checker_(document),
        rate_(options.rate),
        admin_(options.target, client_options_),
        ledger_(operation_names(document), started_) {
    executor_options_.timeout = options_.timeout;
    executor_options_.rate = &rate_;
    if (options_.request_log) {
      executor_options_.observer = [this](const HttpRequest& request) {
        std::lock_guard lock(log_mutex_);
        options_.request_log(request);
      };
    }
  }

  FuzzResult run() {
    if (!reach_target()) return std::move(result_);
    build_cases();
    send_operations();
    if (ledger_.only_cannot_connect()) {
      result_.fatal = "cannot reach the target " + options_.target.url();
      return std::move(result_);
    }
    report_progress(true);
    run_flows();
    report_failures();
    restore_target();
    finish();
    return std::move(result_);
  }

  // --replay: the cases of a report sent again, the flows' side steps included.
  FuzzResult replay(const std::vector<Failure>& recorded) {
    if (options_.mock_admin && !load_scenario()) return std::move(result_);
    open_mailbox();
    // The secrets the run knew, so that a secret_in_answer failure replays as it was found.
    const std::optional<FuzzAccount> account = options_.mock_admin ? mock_account() : options_.account;
    executor_options_.known_secrets = known_secrets(session_for(account ? &*account : nullptr));
    Executor executor(admin_, checker_, options_.checks, flow_executor_options());
    for (const Failure& failure : recorded) {
      const CaseRun run = executor.run(failure.shrunk);
      ledger_.record(failure.shrunk, run);
      const bool still = shows(failure.shrunk, run, {failure.operation, failure.check, failure.status});
      // A case cut short (no mailbox to read a code from, say) shows nothing either way.
      const bool cut_short = !still && run.steps.size() < failure.shrunk.steps.size() && !run.stopped.empty();
      progress_ << (still ? "STILL FAILING " : cut_short ? "NOT REPLAYED " : "FIXED ") << failure.operation << " "
                << failure.check << " (status " << failure.status << ")" << (cut_short ? ": " + run.stopped : "")
                << "\n";
      if (still || cut_short) {
        Failure again = failure;
        again.count = 1;
        result_.failures.push_back(std::move(again));
        ++result_.failed;
      } else {
        ++result_.passed;
      }
      if (ledger_.only_cannot_connect()) {
        result_.fatal = "cannot reach the target " + options_.target.url();
        return std::move(result_);
      }
    }
    restore_target();
    result_.requests = ledger_.requests();
    result_.operations = ledger_.take_stats();
    result_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    return std::move(result_);
  }

 private:
  // Stage 1. With --mock-admin, the fuzzer's own tenant in the mock, so the flows know whom
  // to sign in as; otherwise the target must answer at all, and the account is --auth's.
  bool reach_target() {
    if (options_.mock_admin) {
      if (!load_scenario()) return false;
      account_ = mock_account();
    } else {
      auto probe = admin_.send({"GET", document_.base_path() + "/", {}, {}}, options_.timeout);
      if (!probe && probe.error().kind != TransportError::Kind::timeout &&
          probe.error().kind != TransportError::Kind::time_limit) {
        result_.fatal = "cannot reach the target " + options_.target.url() + ": " + probe.error().message;
        return false;
      }
      account_ = options_.account;
    }
    open_mailbox();
    return true;
  }

  bool load_scenario() {
    auto active = admin_.send({"GET", "/__admin/scenarios/active", {}, {}}, options_.timeout);
    if (!active) {
      result_.fatal = "cannot reach the target " + options_.target.url() + ": " + active.error().message;
      return false;
    }
    if (active->status != 200 || !active->json) {
      result_.fatal = "--mock-admin: " + options_.target.url() + "/__admin/scenarios/active answered " +
                      std::to_string(active->status) + "; is the target pbxmock serve (on loopback)?";
      return false;
    }
    previous_scenario_ = active->json->value("active", "");
    auto loaded = admin_.send(
        {"POST", "/__admin/scenarios", {{"Content-Type", "application/yaml"}}, std::string(kFuzzScenario)}, options_.timeout);
    if (!loaded || loaded->status >= 300) {
      result_.fatal = "--mock-admin: the target did not load the fuzzer's scenario: " +
                      (loaded ? std::to_string(loaded->status) + " " + loaded->body : loaded.error().message);
      return false;
    }
    return true;
  }

  void open_mailbox() {
    mailbox_source_ = options_.mailbox;
    if (mailbox_source_.empty() && options_.mock_admin) mailbox_source_.url = options_.target.url() + "/__admin/outbox";
    if (!mailbox_source_.empty()) mailbox_ = std::make_unique<Mailbox>(mailbox_source_, options_.insecure);
    side_steps_ = std::make_unique<SideSteps>(mailbox_.get(), admin_, options_.timeout);
  }

  ExecutorOptions flow_executor_options() {
    ExecutorOptions out = executor_options_;
    out.side_step = [this](const Step& step, std::vector<std::pair<std::string, std::string>>& saved) {
      return side_steps_->run(step, saved);
    };
    return out;
  }

  // Stage 2: the generator (with the account's names), the sign-in of secured cases, the
  // selected operations, the flows and the links.
  void build_cases() {
    hints_ = account_ ? account_hints(*account_) : Hints{};
    generator_ = std::make_unique<ValueGenerator>(document_, checker_.validator(), hints_);
    session_ = session_for(account_ ? &*account_ : nullptr);
    context_ = std::make_unique<BuildContext>(
        BuildContext{document_, *generator_, checker_.validator(), session_, options_.body_limit});
    builder_ = std::make_unique<CaseBuilder>(*context_);
    executor_options_.known_secrets = known_secrets(session_);
    check_plan_ = std::make_unique<CheckCasePlan>(
        CheckCasePlan{options_.checks,
                      known_user(session_, account_ ? account_->client_id : std::string(kDocumentedClientId)),
                      options_.max_examples, options_.seed});
    if (session_.sign_in.empty() &&
        std::any_of(document_.operations().begin(), document_.operations().end(),
                    [](const spec::Operation& operation) { return operation.requires_auth; })) {
      result_.skipped.emplace_back(
          "signed-in cases: no account to sign in as (use --mock-admin or --auth); secured operations get requests "
          "without a token");
    }
    for (const auto& operation : document_.operations()) {
      if (wanted(operation_name(operation))) selected_.push_back(&operation);
    }
    Flows flows = build_flows(document_, account_ ? &*account_ : nullptr,
                              {options_.mock_admin, mailbox_ != nullptr, options_.seed, options_.operations});
    for (auto& skipped : flows.skipped) result_.skipped.push_back(std::move(skipped));
    for (FuzzCase& flow : flows.cases) {
      // A flow runs when every operation it calls is selected.
      if (std::all_of(flow.steps.begin(), flow.steps.end(),
                      [&](const Step& step) { return step.operation_id.empty() || wanted(step.operation_id); })) {
        flow_cases_.push_back(std::move(flow));
      }
    }
    if (!options_.follow_links) return;
    links_ = read_links(document_);
    // A link into an operation the run was not asked to call is not followed.
    for (auto& from : links_.by_operation) {
      from.erase(std::remove_if(from.begin(), from.end(),
                                [&](const Link& link) {
                                  return std::find(selected_.begin(), selected_.end(), link.target) == selected_.end();
                                }),
                 from.end());
    }
    result_.links_declared = links_.count();
    result_.link_problems = links_.problems;
  }

  // --auth's sign-in, else the account's, else none.
  SessionPlan session_for(const FuzzAccount* account) const {
    if (options_.auth && !options_.auth->sign_in.empty()) return *options_.auth;
    return account ? session_plan(document_, *account) : SessionPlan{};
  }

  // `name` as operation_name gives it (the Fuzzer put every --operation in that form).
  bool wanted(const std::string& name) const {
    return options_.operations.empty() ||
           std::find(options_.operations.begin(), options_.operations.end(), name) != options_.operations.end();
  }

  bool past_deadline() {
    if (options_.time_limit && Clock::now() >= started_ + *options_.time_limit) timed_out_ = true;
    return timed_out_.load();
  }

  // At most a few times a second: the line is for a person, and every call takes the ledger's lock.
  void report_progress(bool force) {
    if (!options_.live_progress) return;
    std::unique_lock lock(progress_mutex_, std::try_to_lock);
    if (!lock.owns_lock() && !force) return;
    if (!lock.owns_lock()) lock.lock();
    const auto now = Clock::now();
    if (!force && now - last_progress_ < std::chrono::milliseconds(100)) return;
    last_progress_ = now;
    options_.live_progress({operations_done_.load(), selected_.size(), ledger_.requests(), ledger_.failures(),
                            std::chrono::duration<double>(now - started_).count()});
  }

  // Stage 3: the workers, each on its own connection, take the selected operations in order.
  void send_operations() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < std::max<std::size_t>(1, options_.workers); ++i) threads.emplace_back([this] { work(); });
    work();
    for (auto& thread : threads) thread.join();
  }

  void work() {
    HttpClient client(options_.target, client_options_);
    Executor executor(client, checker_, options_.checks, executor_options_);
    for (std::size_t item = next_++; item < selected_.size() && !past_deadline(); item = next_++) {
      const spec::Operation& operation = *selected_[item];
      const std::size_t index = static_cast<std::size_t>(&operation - document_.operations().data());
      if (!send_cases(executor, operation, index)) return;
      ++operations_done_;
      report_progress(false);
      if (options_.live_progress) continue;
      std::lock_guard lock(log_mutex_);
      const OperationStats& stats = ledger_.stats(index);
      progress_ << operation_name(operation) << ": " << stats.requests << " requests, " << stats.failures
                << " failures\n"
                << std::flush;
    }
  }

  // One operation's generated cases, the sequences along its links, then the cases of the
  // checks that compare answers; false: the target cannot be reached at all.
  bool send_cases(Executor& executor, const spec::Operation& operation, std::size_t index) {
    Random random(operation_seed(options_.seed, index));
    for (std::size_t example = 0; example < options_.max_examples && !past_deadline(); ++example) {
      FuzzCase fuzz_case = builder_->build(operation, example, random);
      if (fuzz_case.steps.empty()) {
        ledger_.not_generated(fuzz_case.operation_id);
        continue;
      }
      ledger_.record(fuzz_case, executor.run(fuzz_case));
      if (ledger_.only_cannot_connect()) return false;
      report_progress(false);
    }
    // From a generator of their own, so that adding links to a document leaves the other
    // cases of a seed as they were.
    const bool has_links = !links_.by_operation.empty() && !links_.by_operation[index].empty();
    Random link_random(operation_seed(options_.seed ^ 0x6c696e6b73ULL, index));
    const std::size_t sequences = has_links ? std::max<std::size_t>(1, options_.max_examples / 5) : 0;
    for (std::size_t k = 0; k < sequences && !past_deadline(); ++k) {
      auto fuzz_case =
          build_link_case(*builder_, document_, links_, session_, operation, options_.max_examples + k, link_random);
      if (!fuzz_case) continue;
      ledger_.record(*fuzz_case, executor.run(*fuzz_case));
      if (ledger_.only_cannot_connect()) return false;
      report_progress(false);
    }
    for (const FuzzCase& fuzz_case : check_cases(*builder_, document_, operation, index, *check_plan_)) {
      if (past_deadline()) break;
      ledger_.record(fuzz_case, executor.run(fuzz_case));
      if (ledger_.only_cannot_connect()) return false;
    }
    return true;
  }

  // Stage 4: the flows alone, one after the other: another worker's sign-ins and password
  // resets would otherwise replace the codes and tokens a flow reads from the mailbox.
  void run_flows() {
    if (mailbox_) {
      // Mail from before the flows (an earlier run's) is not what a flow waits for.
      std::set<std::pair<std::string, std::string>> boxes;
      for (const FuzzCase& flow : flow_cases_) {
        for (const Step& step : flow.steps) {
          if (step.action != StepAction::read_mail) continue;
          boxes.insert({step.parts.query.at(0).second, step.parts.query.at(1).second});
        }
      }
      for (const auto& [username, kind] : boxes) mailbox_->note_current(username, kind, options_.timeout);
    }
    Executor executor(admin_, checker_, options_.checks, flow_executor_options());
    for (const FuzzCase& flow : flow_cases_) {
      if (past_deadline()) break;
      const CaseRun run = executor.run(flow);
      ledger_.record(flow, run);
      if (run.steps.size() < flow.steps.size()) result_.skipped.push_back(stop_note(flow, run));
      if (auto left = password_left_changed(flow, run, options_.seed)) result_.skipped.push_back(std::move(*left));
    }
  }

  // Stage 5: the first case of each distinct failure shrunk (a flow is kept whole: its steps
  // change the account, and its later ones put it back), sent again to confirm it, and given a
  // reproducer.
  void report_failures() {
    Executor shrinking(admin_, checker_, options_.checks, flow_executor_options());
    const std::function<CaseRun(const FuzzCase&)> run_case = [&](const FuzzCase& c) { return shrinking.run(c); };
    ReproducerSetting setting;
    setting.mailbox = mailbox_source_;
    if (options_.mock_admin) setting.scenario = std::string(kFuzzScenario);
    for (auto& [key, pending] : ledger_.take_pending()) {
      Failure failure = std::move(pending.failure);
      CaseRun run;
      setting.shown_step.reset();
      if (pending.fuzz_case.flow.empty()) {
        ShrinkResult shrunk = shrink(pending.fuzz_case, pending.run, key, *builder_, document_, run_case);
        const std::string which = key.operation + " " + key.check + " (status " + std::to_string(key.status) + ")";
        if (shrunk.confirmation == Confirmation::not_reproduced) {
          result_.skipped.push_back(which + ": seen " + std::to_string(failure.count) +
                                    "x, but not when the shrunk case was sent again; not reported");
          continue;
        }
        if (shrunk.confirmation == Confirmation::not_sent) {
          result_.skipped.push_back(which + ": reported as seen; --time-limit came before its case could be sent again");
        }
        failure.shrunk = std::move(shrunk.fuzz_case);
        run = std::move(shrunk.run);
      } else {
        failure.shrunk = std::move(pending.fuzz_case);
        run = std::move(pending.run);
        setting.shown_step = pending.step;
      }
      const std::string title = "pbxmock fuzz: " + key.operation + " fails " + key.check + " (seed " +
                                std::to_string(options_.seed) + ", example " + std::to_string(failure.example) +
                                (failure.shrunk.flow.empty() ? "" : ", flow " + failure.shrunk.flow) + ")";
      failure.reproducer =
          reproducer_script(options_.target, failure.shrunk, run.saved, options_.insecure, title, options_.env, setting);
      result_.failures.push_back(std::move(failure));
    }
  }

  // Stage 6: the mock back on the scenario it ran before.
  void restore_target() {
    if (!options_.mock_admin || previous_scenario_.empty()) return;
    auto restored = admin_.send({"PUT", "/__admin/scenarios/active", {{"Content-Type", "application/json"}},
                                 nlohmann::json({{"name", previous_scenario_}}).dump()},
                                options_.timeout);
    if (!restored || restored->status != 200) {
      result_.skipped.push_back("the mock's scenario '" + previous_scenario_ +
                                "' could not be switched back (it is not built in); the mock runs 'fuzz'");
    }
  }

  void finish() {
    report_progress(true);
    result_.requests = ledger_.requests();
    ledger_.take_link_counts(result_);
    result_.operations = ledger_.take_stats();
    result_.stopped_by_time_limit = timed_out_;
    result_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    count_pairs(result_);
  }

  const spec::OpenApiDocument& document_;
  const FuzzOptions& options_;
  std::ostream& progress_;
  const Clock::time_point started_ = Clock::now();
  const ClientOptions client_options_;
  FuzzResult result_;
  const SpecChecker checker_;
  std::mutex log_mutex_;
  RateLimiter rate_;
  ExecutorOptions executor_options_;
  HttpClient admin_;  // the flows, the shrinker and the mock's admin API, one connection
  Ledger ledger_;

  std::optional<FuzzAccount> account_;
  std::string previous_scenario_;
  MailboxSource mailbox_source_;
  std::unique_ptr<Mailbox> mailbox_;
  std::unique_ptr<SideSteps> side_steps_;

  Hints hints_;
  std::unique_ptr<ValueGenerator> generator_;
  SessionPlan session_;
  std::unique_ptr<BuildContext> context_;
  std::unique_ptr<CaseBuilder> builder_;
  std::unique_ptr<CheckCasePlan> check_plan_;
  std::vector<const spec::Operation*> selected_;
  std::vector<FuzzCase> flow_cases_;
  DocumentLinks links_;

  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> operations_done_{0};
  std::atomic<bool> timed_out_{false};
  std::mutex progress_mutex_;
  Clock::time_point last_progress_ = started_;
};

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

FuzzResult Fuzzer::run(std::ostream& progress) { return FuzzRun(document_, options_, progress, true).run(); }

FuzzResult Fuzzer::replay(const std::vector<Failure>& recorded, std::ostream& progress) {
  return FuzzRun(document_, options_, progress, false).replay(recorded);
}

}  // namespace pbxmock::contracts::fuzzing
