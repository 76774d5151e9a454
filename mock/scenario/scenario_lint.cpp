#include "mock/scenario/scenario_lint.h"

#include "mock/scenario/scenario_loader.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

// The operation a rule stands in for: named by operationId, or found from a literal method
// and path; nullptr when the rule says neither. An operationId the spec lacks is reported.
const spec::Operation* operation_of(const RuleMatch& match, const std::string& at, const spec::StructuredDocument& document,
                                    const contracts::SpecChecker& checker, spec::SourceErrors& errors) {
  if (match.operation) {
    const spec::Operation* op = checker.document().find_operation(*match.operation);
    if (op == nullptr) {
      errors.push_back(document.error_at(at + "/match/operation",
                                         "no operation '" + *match.operation + "' in the spec (operationId)"));
    }
    return op;
  }
  if (!match.method || !match.path || !match.path->pattern.empty()) return nullptr;
  const auto found = checker.lookup(spec::ascii::upper(*match.method), match.path->exact);
  return found.kind == contracts::OperationLookup::Kind::found ? found.operation : nullptr;
}

// The answer as the server writes it (mock/http/dispatcher.cpp, write_answer).
contracts::Response as_sent(const ApiResponse& answer) {
  std::vector<contracts::NameValue> headers(answer.headers.begin(), answer.headers.end());
  std::string body;
  if (answer.has_body()) {
    body = answer.serialized_body();
    headers.emplace_back("Content-Type", answer.content_type);
  }
  return contracts::make_response(answer.status, std::move(headers), std::move(body));
}

}  // namespace

bool looks_like_scenario(const nlohmann::json& root) {
  return root.is_object() && (root.contains("tenants") || root.contains("system") || root.contains("name"));
}

// Statuses the spec does not declare (a 503 to simulate an outage) are what rules are for,
// so only the answer's shape is judged.
spec::SourceErrors lint_scenario(const spec::StructuredDocument& document, const contracts::SpecChecker& checker) {
  auto scenario = load_scenario(document);
  if (!scenario) return std::move(scenario.error());
  spec::SourceErrors errors;
  // A scenario that loads kept every rule, so rule i is the one at /rules/i.
  for (std::size_t i = 0; i < scenario->rules.size(); ++i) {
    const Rule& rule = scenario->rules[i];
    const std::string at = "/rules/" + std::to_string(i);
    const spec::Operation* op = operation_of(rule.match, at, document, checker, errors);
    if (op == nullptr || !rule.respond) continue;
    const std::string where = at + (rule.respond->has_body() ? "/respond/body" : "/respond");
    for (const auto& finding : checker.check_operation(*op, as_sent(*rule.respond))) {
      if (finding.check == "undeclared_status") continue;
      errors.push_back(document.error_at(
          where, "rule answer for " + op->operation_id + ": " + finding.check + ": " + finding.message));
    }
  }
  spec::sort_by_position(errors);
  return errors;
}

}  // namespace pbxmock::mock
