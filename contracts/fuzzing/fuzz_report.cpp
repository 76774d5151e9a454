#include "contracts/fuzzing/fuzz_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "contracts/spec_coverage.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

std::string fixed(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out += prefix + text.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

void print_failures(const FuzzResult& result, std::uint64_t seed, std::ostream& out) {
  for (const Failure& failure : result.failures) {
    out << "FAIL " << failure.operation << " " << failure.check << " (status " << failure.status << ", "
        << failure.count << (failure.count == 1 ? " case" : " cases") << ")\n"
        << "  expected: " << failure.expected << "\n"
        << "  seen:     " << failure.seen << "\n"
        << "  seed " << seed << ", example " << failure.example << "; "
        << (failure.shrunk.flow.empty() ? "shrunk from " + std::to_string(failure.original_steps) + " to " +
                                              std::to_string(failure.shrunk.steps.size()) + " request(s)"
                                        : "flow " + failure.shrunk.flow + ", " +
                                              std::to_string(failure.shrunk.steps.size()) + " steps (flows are not shrunk)")
        << "\n"
        << "  first seen " << fixed(failure.first_seen_seconds) << " s into the run, at request "
        << failure.first_seen_request << "\n";
    for (const std::string& link : followed_links(failure.shrunk)) out << "  follows link: " << link << "\n";
    out << "  reproducer:\n"
        << indent(failure.reproducer, "    ");
  }
}

void print_table(const FuzzResult& result, std::ostream& out) {
  std::size_t width = 9;
  for (const auto& stats : result.operations) width = std::max(width, stats.operation.size());
  out << pad("operation", width) << "  requests  failures   p50 ms   p99 ms  failed checks\n";
  for (const auto& stats : result.operations) {
    if (stats.requests == 0 && stats.cases == 0) continue;
    std::string failed;
    for (const auto& [check, count] : stats.checks_failed) {
      failed += (failed.empty() ? "" : ", ") + check + " x" + std::to_string(count);
    }
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "  %8zu  %8zu %8s %8s  ", stats.requests, stats.failures,
                  fixed(percentile(stats.latencies_ms, 50)).c_str(), fixed(percentile(stats.latencies_ms, 99)).c_str());
    out << pad(stats.operation, width) << numbers << (failed.empty() ? "-" : failed) << "\n";
  }
}

void print_coverage(const FuzzResult& result, const spec::OpenApiDocument& document, std::ostream& out) {
  // The same summary as `pbxmock check` prints (contracts/spec_coverage.h).
  std::vector<OperationSeen> seen;
  std::vector<std::string> names;
  for (const OperationStats& stats : result.operations) {
    seen.push_back({stats.requests, stats.statuses});
    names.push_back(stats.operation);
  }
  out << coverage_lines(summarize_coverage(document, seen, names));
  for (const std::string& skipped : result.skipped) out << "  skipped: " << skipped << "\n";
  if (result.stopped_by_time_limit) out << "  stopped at --time-limit\n";
  if (result.links_declared > 0 || !result.link_problems.empty()) {
    out << "links: " << result.links_declared << " to follow, " << result.link_cases << " sequences built from them, "
        << result.link_cases_stopped << " stopped before a link's target\n";
    for (const auto& [why, count] : result.link_stops) out << "  stopped " << count << "x: " << why << "\n";
    for (const std::string& problem : result.link_problems) out << "  link not followed: " << problem << "\n";
  }
  out << result.requests << " requests in " << fixed(result.seconds) << " s ("
      << fixed(result.seconds > 0 ? static_cast<double>(result.requests) / result.seconds : 0) << " a second)\n";
}

std::string closing_line(const FuzzResult& result) {
  return std::to_string(result.passed) + " passed, " + std::to_string(result.failed) + " failed";
}

json report_json(const FuzzResult& result, const FuzzOptions& options) {
  json operations = json::array();
  for (const auto& stats : result.operations) {
    if (stats.requests == 0) continue;
    operations.push_back({{"operation", stats.operation},
                          {"requests", stats.requests},
                          {"failures", stats.failures},
                          {"p50_ms", percentile(stats.latencies_ms, 50)},
                          {"p99_ms", percentile(stats.latencies_ms, 99)},
                          {"statuses", stats.statuses},
                          {"checks_applied", stats.checks_applied},
                          {"checks_failed", stats.checks_failed}});
  }
  json failures = json::array();
  for (const Failure& failure : result.failures) {
    failures.push_back({{"operation", failure.operation},
                        {"check", failure.check},
                        {"expected", failure.expected},
                        {"seen", failure.seen},
                        {"status", failure.status},
                        {"count", failure.count},
                        {"example", failure.example},
                        {"original_steps", failure.original_steps},
                        {"case", to_json(failure.shrunk)},
                        {"reproducer", failure.reproducer},
                        {"first_seen", {{"seconds", failure.first_seen_seconds}, {"request", failure.first_seen_request}}}});
  }
  return {{"target", options.target.url()},
          {"seed", options.seed},
          {"max_examples", options.max_examples},
          {"requests", result.requests},
          {"seconds", result.seconds},
          {"passed", result.passed},
          {"failed", result.failed},
          {"skipped", result.skipped},
          {"links", {{"declared", result.links_declared},
                     {"sequences", result.link_cases},
                     {"stopped", result.link_cases_stopped},
                     {"problems", result.link_problems}}},
          {"operations", operations},
          {"failures", failures}};
}

Result<std::vector<Failure>, std::string> failures_from_report(const json& report) {
  if (!report.is_object() || !report.contains("failures") || !report["failures"].is_array()) {
    return Err{std::string("not a pbxmock fuzz report: no \"failures\" array")};
  }
  std::vector<Failure> out;
  std::size_t index = 0;
  for (const json& item : report["failures"]) {
    const std::string where = "failures[" + std::to_string(index++) + "]";
    if (!item.is_object() || !item.contains("case")) return Err{where + ": no \"case\""};
    auto fuzz_case = case_from_json(item["case"]);
    if (!fuzz_case) return Err{where + ".case: not a case the fuzzer wrote (steps with method and path)"};
    Failure failure;
    failure.operation = item.value("operation", "");
    failure.check = item.value("check", "");
    failure.expected = item.value("expected", "");
    failure.seen = item.value("seen", "");
    failure.status = item.value("status", 0);
    failure.count = item.value("count", std::size_t{1});
    failure.example = item.value("example", std::size_t{0});
    failure.original_steps = item.value("original_steps", fuzz_case->steps.size());
    failure.reproducer = item.value("reproducer", "");
    if (const auto first = item.find("first_seen"); first != item.end() && first->is_object()) {
      failure.first_seen_seconds = first->value("seconds", 0.0);
      failure.first_seen_request = first->value("request", std::size_t{0});
    }
    failure.shrunk = std::move(*fuzz_case);
    if (failure.operation.empty() || failure.check.empty()) return Err{where + ": \"operation\" and \"check\" are required"};
    out.push_back(std::move(failure));
  }
  return out;
}

RunResult junit_run(const FuzzResult& result) {
  RunResult run;
  run.seconds = result.seconds;
  for (const auto& stats : result.operations) {
    if (stats.checks_applied.empty()) continue;
    ContractResult contract;
    contract.file = "fuzz";
    contract.name = stats.operation;
    for (const auto& [check, applied] : stats.checks_applied) {
      StepResult step;
      step.name = check + " (" + std::to_string(applied) + " answers)";
      if (const auto it = stats.checks_failed.find(check); it != stats.checks_failed.end()) {
        step.outcome = Outcome::failed;
        for (const Failure& failure : result.failures) {
          if (failure.operation == stats.operation && failure.check == check) {
            step.failures.push_back(check + ": expected " + failure.expected + ", seen " + failure.seen);
            if (step.curl.empty()) step.curl = failure.reproducer;
          }
        }
        ++run.failed;
      } else {
        ++run.passed;
      }
      contract.steps.push_back(std::move(step));
    }
    run.contracts.push_back(std::move(contract));
  }
  return run;
}

}  // namespace pbxmock::contracts::fuzzing
