#include "mock/cli/check_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include "contracts/decision_tags.h"
#include "contracts/junit_report.h"
#include "contracts/runner.h"
#include "mock/cli/spec_choice.h"
#include "spec/openapi.h"

namespace pbxmock::cli {
namespace {

constexpr int kFailed = 1;
constexpr int kUsageError = 2;

}  // namespace

void setup_check(CLI::App& app, int& status) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand("check", "Run YAML contracts against a server and check its answers against the spec");
  check->add_option("--target", options->target, "The server's root, e.g. http://127.0.0.1:8887")->required();
  check->add_option("--spec", options->spec_file, "OpenAPI document to judge answers by (default: the built-in one)");
  check->add_option("--junit", options->junit_file, "Also write JUnit XML to this file");
  // One value per --tag, so `--tag smoke contracts/` never reads the folder as a tag.
  check->add_option("--tag", options->tags, "Run only steps with this tag; !TAG leaves them out (repeatable)")
      ->expected(1)
      ->take_all();
  check->add_option("--timeout", options->timeout_seconds, "Seconds to wait for each answer, overriding the files")
      ->check(CLI::Range(0.001, 600.0));
  check->add_option("--coverage", options->coverage_file, "Also write the spec coverage (operations, statuses) as JSON");
  check->add_option("--min-coverage", options->min_coverage,
                    "Fail below these marks in percent, e.g. operations=100,statuses=80");
  check->add_flag("--insecure,-k", options->insecure, "https: do not verify the server's certificate");
  check->add_option("--max-answer-bytes", options->max_answer_bytes,
                    "Largest answer body read, in bytes; a longer answer fails its step (default 16 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  check->add_option("--time-limit", options->time_limit_seconds,
                    "Stop after this many seconds, a request in flight included; the rest is SKIP")
      ->check(CLI::Range(0.001, 1e7));
  check->add_option("paths", options->paths, "Contract files and folders (folders: every *.yaml / *.yml, recursively)")
      ->required();
  check->callback([options, &status] { status = run_check(*options, std::cout, std::cerr); });
}

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  auto target = contracts::parse_target(options.target);
  if (!target) {
    err << "pbxmock check: --target " << options.target << ": " << target.error() << '\n';
    return kUsageError;
  }
  auto tags = contracts::TagFilter::parse(options.tags);
  if (!tags) {
    err << "pbxmock check: " << tags.error() << '\n';
    return kUsageError;
  }
  std::optional<contracts::CoverageMarks> marks;
  if (options.min_coverage) {
    auto parsed = contracts::CoverageMarks::parse(*options.min_coverage);
    if (!parsed) {
      err << "pbxmock check: --min-coverage " << parsed.error() << '\n';
      return kUsageError;
    }
    marks = *parsed;
  }
  const auto chosen = SpecChoice::make(options.spec_file, err);
  if (!chosen) return kUsageError;
  const spec::OpenApiDocument& spec = chosen->document();

  auto files = contracts::find_contract_files(options.paths);
  if (!files) {
    err << "pbxmock check: " << files.error() << '\n';
    return kUsageError;
  }
  if (files->empty()) {
    err << "pbxmock check: no contract files (*.yaml, *.yml) under the paths given\n";
    return kUsageError;
  }
  auto contract_files = contracts::load_contract_files(*files);
  if (!contract_files) {
    // All or nothing: a half-loaded suite would pass while skipping what it could not read.
    for (const auto& e : contract_files.error()) err << e.to_string() << '\n';
    err << "pbxmock check: " << contract_files.error().size() << " problem(s) in the contract files; nothing was run\n";
    return kUsageError;
  }

  contracts::RunOptions run_options;
  run_options.target = *target;
  run_options.tags = *tags;
  run_options.insecure = options.insecure;
  run_options.not_api_prefixes = mock_own_path_prefixes();
  if (options.timeout_seconds) {
    run_options.timeout = std::chrono::milliseconds(std::max(1LL, std::llround(*options.timeout_seconds * 1000)));
  }
  if (options.max_answer_bytes) run_options.max_answer_bytes = *options.max_answer_bytes;
  if (options.time_limit_seconds) {
    run_options.time_limit = std::chrono::milliseconds(std::max(1LL, std::llround(*options.time_limit_seconds * 1000)));
  }
  contracts::Runner runner(spec, std::move(run_options));
  const auto result = runner.run(*contract_files, out);
  out << contracts::decision_lines(contracts::decision_tags(result));
  const auto coverage = contracts::summarize_coverage(spec, runner.coverage().seen());
  const bool ran = result.passed + result.failed > 0;  // with no step selected there is nothing to cover
  if (ran) out << contracts::coverage_lines(coverage);
  const auto missed = marks ? marks->missed(coverage) : std::vector<std::string>{};
  for (const auto& m : missed) out << "coverage below --min-coverage: " << m << '\n';
  out << contracts::closing_line(result) << '\n' << std::flush;

  if (options.coverage_file) {
    std::ofstream file(*options.coverage_file, std::ios::trunc);
    file << contracts::coverage_json(coverage).dump(2) << '\n';
    file.close();
    if (!file) {
      err << "pbxmock check: cannot write " << *options.coverage_file << '\n';
      return kUsageError;
    }
  }

  if (options.junit_file) {
    if (auto error = contracts::write_junit_file(*options.junit_file, result)) {
      err << "pbxmock check: " << *error << '\n';
      return kUsageError;
    }
  }
  if (result.stopped_by_time_limit) {
    err << "pbxmock check: stopped at --time-limit (" << *options.time_limit_seconds << " s); " << result.skipped
        << " step(s) not run to the end\n";
  }
  if (result.passed + result.failed == 0) {
    err << "pbxmock check: no step selected" << (options.tags.empty() ? "" : " by the --tag filter") << '\n';
    return kUsageError;
  }
  if (result.target_unreachable) {
    err << "pbxmock check: cannot reach the target " << target->url() << "; is the server running?\n";
    return kUsageError;
  }
  if (result.no_answer > 0) {
    // The server could not be judged at all: that is not a verdict on its answers.
    err << "pbxmock check: " << result.no_answer << " step(s) got no HTTP answer; first: " << result.first_transport_error
        << '\n';
    return kUsageError;
  }
  return result.failed == 0 && missed.empty() ? 0 : kFailed;
}

}  // namespace pbxmock::cli
