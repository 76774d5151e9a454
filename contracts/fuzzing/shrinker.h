#pragma once
// Makes a failing case smaller while it keeps failing the same way (same operation, check
// and status): first the sequence (set-up steps it does not need), then the judged request's
// body (optional properties dropped, strings cut to the shortest length that still fails, by
// bisection). A candidate must stay as valid, or as invalid, by the schema as the original.
// The case it ends with is sent once more: a failure that does not show again (a connection
// lost on the way, a server that failed once) is not one to report.
#include <cstddef>
#include <functional>
#include <string>
#include <tuple>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/executor.h"
#include "contracts/fuzzing/fuzz_case.h"

namespace pbxmock::contracts::fuzzing {

struct FailureKey {
  std::string operation;
  std::string check;
  int status = 0;  // 0: no HTTP answer
  bool operator<(const FailureKey& other) const {
    return std::tie(operation, check, status) < std::tie(other.operation, other.check, other.status);
  }
};

// Whether a run shows this failure.
bool shows(const FuzzCase& fuzz_case, const CaseRun& run, const FailureKey& key);

// What sending the shrunk case once more showed.
enum class Confirmation {
  confirmed,       // the same failure again
  not_reproduced,  // answered without it: not to be reported
  not_sent,        // the run's --time-limit came first (it was seen failing, not confirmed)
};

struct ShrinkResult {
  FuzzCase fuzz_case;
  CaseRun run;  // the last run of the shrunk case (its saved values feed the reproducer)
  std::size_t attempts = 0;
  Confirmation confirmation = Confirmation::not_sent;
};

// `run_case` sends a candidate; at most `budget` candidates are tried, then the result once more.
ShrinkResult shrink(const FuzzCase& failing, const CaseRun& failing_run, const FailureKey& key,
                    const CaseBuilder& builder, const spec::OpenApiDocument& document,
                    const std::function<CaseRun(const FuzzCase&)>& run_case, std::size_t budget = 200);

}  // namespace pbxmock::contracts::fuzzing
