#include "mock/cli/fuzz_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>

#include <unistd.h>

#include "contracts/fuzzing/auth_file.h"
#include "contracts/fuzzing/check_table.h"
#include "contracts/fuzzing/fuzz_report.h"
#include "contracts/fuzzing/fuzzer.h"
#include "contracts/junit_report.h"
#include "mock/cli/spec_choice.h"

namespace pbxmock::cli {
namespace {

constexpr int kFailed = 1;
constexpr int kUsageError = 2;

std::chrono::milliseconds milliseconds(double seconds) {
  return std::chrono::milliseconds(std::max(1LL, std::llround(seconds * 1000)));
}

}  // namespace

void setup_fuzz(CLI::App& app, int& status) {
  auto o = std::make_shared<FuzzCommandOptions>();
  CLI::App* fuzz = app.add_subcommand("fuzz", "Send generated valid and invalid requests to a server and check its answers against the spec");
  fuzz->add_option("--target", o->target, "The server's root, e.g. http://127.0.0.1:8887")->required();
  fuzz->add_option("--spec", o->spec_file, "OpenAPI 3.x document to generate from (default: the built-in one)");
  fuzz->add_option("--operation", o->operations, "Only this operation: its operationId, or 'METHOD /path' (the path with or without the base path); repeatable")
      ->expected(1)
      ->take_all();
  fuzz->add_option("--max-examples", o->max_examples, "Cases per operation (default 100)")->check(CLI::Range(1, 1'000'000));
  fuzz->add_option("--seed", o->seed, "Seed of the generators; the same seed sends the same requests");
  fuzz->add_option("--workers", o->workers, "Connections working at once (default 1)")->check(CLI::Range(1, 64));
  fuzz->add_option("--rate", o->rate, "At most this many requests a second (default: no limit)")->check(CLI::Range(0.0, 1e9));
  fuzz->add_option("--time-limit", o->time_limit_seconds,
                   "Stop after this many seconds, requests in flight included (found failures are still reported)")
      ->check(CLI::Range(0.001, 1e7));
  fuzz->add_option("--timeout", o->timeout_seconds, "Seconds for each answer, connecting included, however slow (default 10)")
      ->check(CLI::Range(0.001, 600.0));
  fuzz->add_option("--max-answer-bytes", o->max_answer_bytes,
                   "Largest answer body read, in bytes; a longer answer fails not_a_server_error (default 16 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  std::string check_names;
  for (const auto& info : contracts::fuzzing::check_table()) check_names += (check_names.empty() ? "" : ", ") + std::string(info.name);
  fuzz->add_option("--checks", o->checks, "Comma-separated checks to run (default: all): " + check_names);
  fuzz->add_option("--exclude-checks", o->exclude_checks, "Comma-separated checks to leave out");
  fuzz->add_option("--max-response-time", o->max_response_time_ms, "Milliseconds; turns on the response_time check")
      ->check(CLI::Range(1.0, 1e7));
  fuzz->add_flag("--mock-admin", o->mock_admin,
                 "The target is pbxmock: load the fuzzer's tenant and read codes from /__admin/outbox");
  fuzz->add_option("--auth", o->auth_file,
                   "Accounts file: variables username, password, domain, two_factor_username, two_factor_password "
                   "(usually ${env.NAME}); optionally a contract whose steps sign in and save a token");
  fuzz->add_option("--mailbox", o->mailbox_url,
                   "Where the flows read e-mailed codes and reset tokens: GET URL?username=&kind= answering "
                   "{\"messages\":[...]} (the mock's /__admin/outbox format)");
  fuzz->add_option("--mailbox-command", o->mailbox_command,
                   "Or a command run with PBX_MAIL_USERNAME and PBX_MAIL_KIND set; its output is the newest message's text")
      ->excludes(fuzz->get_option("--mailbox"));
  fuzz->add_flag("--no-links", o->no_links, "Do not build sequences from the document's OpenAPI links");
  fuzz->add_flag("--insecure,-k", o->insecure, "https: do not verify the server's certificate");
  fuzz->add_option("--junit", o->junit_file, "Also write JUnit XML to this file");
  fuzz->add_option("--report", o->report_file, "Write the failures (with their cases and reproducers) as JSON");
  fuzz->add_option("--replay", o->replay_file, "Send the failing cases of a --report file again instead of generating");
  fuzz->add_option("--request-log", o->request_log_file, "Write every request sent, one line each")->group("");
  fuzz->callback([o, &status] {
    o->live_progress = ::isatty(STDERR_FILENO) == 1;
    status = run_fuzz(*o, std::cout, std::cerr);
  });
}

int run_fuzz(const FuzzCommandOptions& options, std::ostream& out, std::ostream& err) {
  using namespace contracts::fuzzing;
  auto target = contracts::parse_target(options.target);
  if (!target) {
    err << "pbxmock fuzz: --target " << options.target << ": " << target.error() << '\n';
    return kUsageError;
  }
  std::optional<std::chrono::milliseconds> max_time;
  if (options.max_response_time_ms) max_time = std::chrono::milliseconds(std::llround(*options.max_response_time_ms));
  auto checks = CheckSelection::make(options.checks, options.exclude_checks, max_time);
  if (!checks) {
    err << "pbxmock fuzz: " << checks.error() << '\n';
    return kUsageError;
  }
  const auto chosen = SpecChoice::make(options.spec_file, err);
  if (!chosen) return kUsageError;
  const spec::OpenApiDocument& document = chosen->document();

  FuzzOptions fuzz_options;
  fuzz_options.target = *target;
  fuzz_options.operations = options.operations;
  fuzz_options.max_examples = options.max_examples;
  fuzz_options.seed = options.seed ? *options.seed : std::random_device{}();
  fuzz_options.workers = options.workers;
  fuzz_options.rate = options.rate;
  if (options.time_limit_seconds) fuzz_options.time_limit = milliseconds(*options.time_limit_seconds);
  fuzz_options.timeout = milliseconds(options.timeout_seconds);
  if (options.max_answer_bytes) fuzz_options.max_answer_bytes = *options.max_answer_bytes;
  fuzz_options.checks = *checks;
  fuzz_options.mock_admin = options.mock_admin;
  fuzz_options.insecure = options.insecure;
  fuzz_options.follow_links = !options.no_links;
  fuzz_options.mailbox = {options.mailbox_url.value_or(""), options.mailbox_command.value_or("")};
  if (options.mailbox_url) {
    if (auto mailbox = contracts::parse_target(*options.mailbox_url); !mailbox) {
      err << "pbxmock fuzz: --mailbox " << *options.mailbox_url << ": " << mailbox.error() << '\n';
      return kUsageError;
    }
  }
  bool progress_shown = false;
  if (options.live_progress && !options.replay_file) {
    fuzz_options.live_progress = [&err, &progress_shown](const Progress& progress) {
      err << progress_rewrite(progress) << std::flush;
      progress_shown = true;
    };
  }
  if (options.auth_file) {
    auto plan = load_auth_file(*options.auth_file);
    if (!plan) {
      err << "pbxmock fuzz: " << plan.error() << '\n';
      return kUsageError;
    }
    fuzz_options.auth = std::move(plan->session);
    fuzz_options.account = std::move(plan->account);
    fuzz_options.env = std::move(plan->env);
  }
  std::ofstream request_log;
  if (options.request_log_file) {
    request_log.open(*options.request_log_file);
    if (!request_log) {
      err << "pbxmock fuzz: cannot write " << *options.request_log_file << '\n';
      return kUsageError;
    }
    fuzz_options.request_log = [&request_log](const contracts::HttpRequest& request) {
      request_log << request.method << ' ' << request.path << ' ' << request.body.size() << ' '
                  << std::hash<std::string>{}(request.body) << '\n';
    };
  }

  Fuzzer fuzzer(document, fuzz_options);
  if (auto problem = fuzzer.check_operations()) {
    err << "pbxmock fuzz: " << *problem << '\n';
    return kUsageError;
  }
  FuzzResult result;
  if (options.replay_file) {
    std::ifstream in(*options.replay_file);
    const nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
    if (!in || report.is_discarded()) {
      err << "pbxmock fuzz: --replay " << *options.replay_file << ": cannot read it as JSON\n";
      return kUsageError;
    }
    auto failures = failures_from_report(report);
    if (!failures) {
      err << "pbxmock fuzz: --replay " << *options.replay_file << ": " << failures.error() << '\n';
      return kUsageError;
    }
    result = fuzzer.replay(*failures, out);
  } else {
    out << "pbxmock fuzz: seed " << fuzz_options.seed << ", " << fuzz_options.max_examples << " examples per operation, "
        << target->url() << '\n';
    result = fuzzer.run(out);
    if (progress_shown) err << '\n' << std::flush;
  }
  if (!result.fatal.empty()) {
    err << "pbxmock fuzz: " << result.fatal << '\n';
    return kUsageError;
  }
  if (!options.replay_file) {
    print_failures(result, fuzz_options.seed, out);
    print_table(result, out);
    print_coverage(result, document, out);
  }
  out << closing_line(result) << '\n' << std::flush;
  if (options.report_file) {
    std::ofstream file(*options.report_file);
    file << report_json(result, fuzz_options).dump(2) << '\n';
    if (!file) {
      err << "pbxmock fuzz: cannot write " << *options.report_file << '\n';
      return kUsageError;
    }
  }
  if (options.junit_file) {
    if (auto error = contracts::write_junit_file(*options.junit_file, junit_run(result))) {
      err << "pbxmock fuzz: " << *error << '\n';
      return kUsageError;
    }
  }
  return result.failed == 0 ? 0 : kFailed;
}

}  // namespace pbxmock::cli
