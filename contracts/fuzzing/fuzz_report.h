#pragma once
// What a fuzz run prints and writes: the failures with their reproducers, the table of
// operations (requests, failures, p50/p99 latency, the checks that failed), the coverage of
// the spec (operations exercised, declared statuses seen), the closing line, and the JSON
// report that --replay reads back.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/fuzzing/fuzzer.h"
#include "contracts/run_result.h"
#include "spec/openapi.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

void print_failures(const FuzzResult& result, std::uint64_t seed, std::ostream& out);
void print_table(const FuzzResult& result, std::ostream& out);
void print_coverage(const FuzzResult& result, const spec::OpenApiDocument& document, std::ostream& out);
std::string closing_line(const FuzzResult& result);  // "N passed, N failed"

nlohmann::json report_json(const FuzzResult& result, const FuzzOptions& options);
// The failures of a report; an error naming what is wrong with the file.
Result<std::vector<Failure>, std::string> failures_from_report(const nlohmann::json& report);

// For --junit: one suite per operation, one case per operation-check pair.
RunResult junit_run(const FuzzResult& result);

double percentile(std::vector<double> values, double p);

}  // namespace pbxmock::contracts::fuzzing
