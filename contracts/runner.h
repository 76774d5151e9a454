#pragma once
// `pbxmock check` without the command line: contract files and folders in, each selected
// step run in order against one target, one report line per step as it finishes, and a
// RunResult for the closing line and the JUnit file.
//
// Within a contract, steps run in order and share saved values; after a failed step the rest
// of the contract is not run (reported SKIP, counted as failed). Each contract starts from
// the file's variables alone.
#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "contracts/contract.h"
#include "contracts/contract_loader.h"
#include "contracts/http_client.h"
#include "contracts/run_result.h"
#include "contracts/spec_checks.h"
#include "contracts/spec_coverage.h"
#include "contracts/variables.h"
#include "spec/openapi.h"

namespace pbxmock::contracts {

// `--tag T` selects steps tagged T (any of several); `--tag '!T'` leaves out steps tagged T.
// A step's tags are its contract's (the file's default tags included) and its own.
struct TagFilter {
  std::vector<std::string> include;
  std::vector<std::string> exclude;

  static Result<TagFilter, std::string> parse(const std::vector<std::string>& arguments);
  bool selects(const std::vector<std::string>& contract_tags, const std::vector<std::string>& step_tags) const;
};

// Files as given, and under each folder every *.yaml / *.yml file (recursively), sorted.
// Error: a path that does not exist or a folder that cannot be read.
Result<std::vector<std::string>, std::string> find_contract_files(const std::vector<std::string>& paths);

// Every file loaded; if any has a problem, every problem of every file (nothing runs).
Result<std::vector<ContractFile>, spec::SourceErrors> load_contract_files(const std::vector<std::string>& files);

inline constexpr std::chrono::milliseconds kDefaultTimeout{5000};

struct RunOptions {
  Target target;
  TagFilter tags;
  std::optional<std::chrono::milliseconds> timeout;  // --timeout: overrides every file's and step's
  bool insecure = false;
  std::size_t max_answer_bytes = kDefaultMaxAnswerBytes;  // --max-answer-bytes: a longer answer fails its step
  // --time-limit: the whole run, a request in flight included; the steps after it are skipped.
  std::optional<std::chrono::milliseconds> time_limit;
  // Paths the target serves outside the API (the mock's own routes): no spec check for them.
  std::vector<std::string> not_api_prefixes;
  Variables::Environment environment = Variables::process_environment();
};

class Runner {
 public:
  // `spec` must outlive the runner.
  Runner(const spec::OpenApiDocument& spec, RunOptions options);

  // Runs the selected steps, writing one line per step (and its differences) to `report`.
  // Does not write the closing line: see closing_line().
  RunResult run(const std::vector<ContractFile>& files, std::ostream& report);

  // The operations of the spec the run's answers were for, and their statuses.
  const CoverageTally& coverage() const { return coverage_; }

 private:
  StepResult run_step(const Step& step, Variables& variables);

  SpecChecker checker_;
  RunOptions options_;
  std::optional<std::chrono::steady_clock::time_point> stop_at_;  // from time_limit, set on construction
  HttpClient client_;
  CoverageTally coverage_;
  bool any_request_sent_ = false;
  bool unreachable_ = false;
  bool out_of_time_ = false;
};

// "12 passed, 1 failed"
std::string closing_line(const RunResult& run);

// The report of one step: its PASS / FAIL / SKIP line, then its differences indented.
std::string format_step(const std::string& file, const std::string& contract, const StepResult& step);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(std::string_view text);

}  // namespace pbxmock::contracts
