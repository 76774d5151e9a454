#pragma once
// How much of a spec a run touched, for `pbxmock check` and `pbxmock fuzz` alike: the
// operations exercised, and of the statuses each operation declares exactly ("200", "401"; not
// "4XX" or "default") the ones seen and not seen.
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/openapi.h"
#include "spec/result.h"

namespace pbxmock::contracts {

// The operationId, or "METHOD /path" for an operation without one.
std::string operation_name(const spec::Operation& operation);

// What a run saw of one operation.
struct OperationSeen {
  std::size_t requests = 0;
  std::set<int> statuses;
};

// Per operation of a document, in its order.
class CoverageTally {
 public:
  explicit CoverageTally(const spec::OpenApiDocument& document) : document_(&document), seen_(document.operations().size()) {}
  // `operation` must be one of the document's.
  void record(const spec::Operation& operation, int status);
  const std::vector<OperationSeen>& seen() const { return seen_; }

 private:
  const spec::OpenApiDocument* document_;
  std::vector<OperationSeen> seen_;
};

struct CoverageSummary {
  struct Row {
    std::string operation;
    std::size_t requests = 0;
    std::vector<int> seen;      // declared and seen
    std::vector<int> not_seen;  // declared and not seen
    std::vector<int> other;     // seen, not declared exactly (a class, default, or a violation)
  };
  std::vector<Row> rows;  // every operation, in document order
  std::size_t operations = 0;
  std::size_t exercised = 0;
  std::size_t declared = 0;
  std::size_t seen = 0;

  double operations_percent() const;  // 100 when there is nothing to cover
  double statuses_percent() const;
};

// `seen` in document order; a shorter vector leaves the rest unexercised.
CoverageSummary summarize_coverage(const spec::OpenApiDocument& document, const std::vector<OperationSeen>& seen,
                                   const std::vector<std::string>& names = {});

// "coverage: 12/15 operations exercised, 30/41 declared statuses seen" and, indented, the
// declared statuses of the exercised operations not seen ("not seen: signOut 401, ...").
std::string coverage_lines(const CoverageSummary& summary);

// The --coverage file: totals, percentages and every operation's row.
nlohmann::json coverage_json(const CoverageSummary& summary);

// `--min-coverage operations=100,statuses=80`: marks in percent (either may be left out).
struct CoverageMarks {
  std::optional<double> operations;
  std::optional<double> statuses;
  static Result<CoverageMarks, std::string> parse(std::string_view text);
  // The marks missed, one sentence each ("statuses 62.5% is below 80%").
  std::vector<std::string> missed(const CoverageSummary& summary) const;
};

}  // namespace pbxmock::contracts
