#include "contracts/spec_coverage.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

constexpr std::size_t kNotSeenLineLimit = 600;  // the console line; the JSON file has them all

std::vector<int> declared_statuses(const spec::Operation& operation) {
  std::vector<int> out;
  for (const auto& response : operation.responses) {
    if (response.status.size() == 3 &&
        std::all_of(response.status.begin(), response.status.end(), [](char c) { return spec::ascii::is_digit(c); })) {
      out.push_back(std::stoi(response.status));
    }
  }
  return out;
}

std::string percent(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", value);
  return buffer;
}

}  // namespace

std::string operation_name(const spec::Operation& operation) {
  return operation.operation_id.empty() ? operation.method + " " + operation.path_template : operation.operation_id;
}

void CoverageTally::record(const spec::Operation& operation, int status) {
  const auto& all = document_->operations();
  const std::size_t index = static_cast<std::size_t>(&operation - all.data());
  if (index >= seen_.size()) return;
  ++seen_[index].requests;
  seen_[index].statuses.insert(status);
}

double CoverageSummary::operations_percent() const {
  return operations == 0 ? 100.0 : 100.0 * static_cast<double>(exercised) / static_cast<double>(operations);
}

double CoverageSummary::statuses_percent() const {
  return declared == 0 ? 100.0 : 100.0 * static_cast<double>(seen) / static_cast<double>(declared);
}

CoverageSummary summarize_coverage(const spec::OpenApiDocument& document, const std::vector<OperationSeen>& seen,
                                   const std::vector<std::string>& names) {
  CoverageSummary out;
  const auto& operations = document.operations();
  out.operations = operations.size();
  for (std::size_t i = 0; i < operations.size(); ++i) {
    CoverageSummary::Row row;
    row.operation = i < names.size() ? names[i] : operation_name(operations[i]);
    const OperationSeen none;
    const OperationSeen& s = i < seen.size() ? seen[i] : none;
    row.requests = s.requests;
    if (s.requests > 0) ++out.exercised;
    const auto declared = declared_statuses(operations[i]);
    for (const int status : declared) {
      ++out.declared;
      if (s.statuses.count(status)) {
        ++out.seen;
        row.seen.push_back(status);
      } else {
        row.not_seen.push_back(status);
      }
    }
    for (const int status : s.statuses)
      if (std::find(declared.begin(), declared.end(), status) == declared.end()) row.other.push_back(status);
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string coverage_lines(const CoverageSummary& summary) {
  std::string missing;
  for (const auto& row : summary.rows) {
    if (row.requests == 0) continue;
    for (const int status : row.not_seen) {
      if (missing.size() >= kNotSeenLineLimit) break;
      missing += (missing.empty() ? "" : ", ") + row.operation + " " + std::to_string(status);
    }
  }
  std::string out = "coverage: " + std::to_string(summary.exercised) + "/" + std::to_string(summary.operations) +
                    " operations exercised, " + std::to_string(summary.seen) + "/" + std::to_string(summary.declared) +
                    " declared statuses seen\n";
  if (!missing.empty()) out += "  not seen: " + missing + "\n";
  return out;
}

nlohmann::json coverage_json(const CoverageSummary& summary) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : summary.rows) {
    rows.push_back({{"operation", row.operation},
                    {"requests", row.requests},
                    {"statuses_seen", row.seen},
                    {"statuses_not_seen", row.not_seen},
                    {"other_statuses_seen", row.other}});
  }
  return {{"operations", {{"total", summary.operations}, {"exercised", summary.exercised}, {"percent", summary.operations_percent()}}},
          {"statuses", {{"declared", summary.declared}, {"seen", summary.seen}, {"percent", summary.statuses_percent()}}},
          {"by_operation", std::move(rows)}};
}

Result<CoverageMarks, std::string> CoverageMarks::parse(std::string_view text) {
  CoverageMarks out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return Err{"'" + std::string(item) + "': expected NAME=PERCENT"};
    const std::string name(item.substr(0, eq));
    const std::string number(item.substr(eq + 1));
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !(value >= 0 && value <= 100)) {
      return Err{"'" + std::string(item) + "': the mark must be a number from 0 to 100"};
    }
    if (name == "operations") {
      out.operations = value;
    } else if (name == "statuses") {
      out.statuses = value;
    } else {
      return Err{"'" + std::string(item) + "': unknown mark '" + name + "' (operations, statuses)"};
    }
  }
  if (!out.operations && !out.statuses) return Err{std::string("no mark given (operations=N, statuses=N)")};
  return out;
}

std::vector<std::string> CoverageMarks::missed(const CoverageSummary& summary) const {
  std::vector<std::string> out;
  if (operations && summary.operations_percent() < *operations) {
    out.push_back("operations " + percent(summary.operations_percent()) + " is below " + percent(*operations));
  }
  if (statuses && summary.statuses_percent() < *statuses) {
    out.push_back("statuses " + percent(summary.statuses_percent()) + " is below " + percent(*statuses));
  }
  return out;
}

}  // namespace pbxmock::contracts
