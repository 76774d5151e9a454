#include "mock/cli/lint_command.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "contracts/contract_lint.h"
#include "contracts/contract_loader.h"
#include "contracts/runner.h"
#include "contracts/spec_checks.h"
#include "mock/cli/spec_choice.h"
#include "mock/scenario/scenario_loader.h"
#include "spec/ascii.h"
#include "spec/openapi.h"

namespace pbxmock::cli {
namespace {

constexpr int kProblems = 1;
constexpr int kUsageError = 2;

using Errors = std::vector<spec::SourceError>;

bool looks_like_scenario(const nlohmann::json& root) {
  return root.is_object() && (root.contains("tenants") || root.contains("system") || root.contains("name"));
}

// A rule's canned answer judged like a server's: the body must fit what the spec declares
// for the operation the rule stands in for. Statuses the spec does not declare (a 503 to
// simulate an outage) are what rules are for, so only the answer's shape is judged.
void lint_rule_answers(const spec::StructuredDocument& doc, const contracts::SpecChecker& checker, Errors& out) {
  const auto* rules = spec::resolve_pointer(doc.root(), "/rules");
  if (rules == nullptr || !rules->is_array()) return;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const std::string at = "/rules/" + std::to_string(i);
    const auto& rule = (*rules)[i];
    if (!rule.is_object()) continue;
    const spec::Operation* op = nullptr;
    const auto* match = spec::resolve_pointer(rule, "/match");
    const auto* operation = match ? spec::resolve_pointer(*match, "/operation") : nullptr;
    if (operation != nullptr && operation->is_string()) {
      op = checker.document().find_operation(operation->get<std::string>());
      if (op == nullptr) {
        out.push_back(doc.error_at(at + "/match/operation", "no operation '" + operation->get<std::string>() +
                                                                "' in the spec (operationId)"));
        continue;
      }
    } else if (match != nullptr) {
      const auto* method = spec::resolve_pointer(*match, "/method");
      const auto* path = spec::resolve_pointer(*match, "/path");
      if (method != nullptr && method->is_string() && path != nullptr && path->is_string()) {
        const std::string m = spec::ascii::upper(method->get<std::string>());
        const auto found = checker.lookup(m, path->get<std::string>());
        if (found.kind == contracts::OperationLookup::Kind::found) op = found.operation;
      }
    }
    const auto* respond = spec::resolve_pointer(rule, "/respond");
    if (op == nullptr || respond == nullptr || !respond->is_object()) continue;
    const auto* status = spec::resolve_pointer(*respond, "/status");
    if (status == nullptr || !status->is_number_integer()) continue;
    std::vector<contracts::NameValue> headers;
    std::string content_type;
    if (const auto* h = spec::resolve_pointer(*respond, "/headers"); h != nullptr && h->is_object()) {
      for (const auto& [name, value] : h->items()) {
        const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        if (spec::ascii::iequals(name, "Content-Type")) content_type = text;
        headers.emplace_back(name, text);
      }
    }
    std::string body;
    if (const auto* b = spec::resolve_pointer(*respond, "/body")) {
      body = b->is_string() ? b->get<std::string>() : b->dump();
      if (content_type.empty()) headers.emplace_back("Content-Type", b->is_string() ? "text/plain; charset=utf-8" : "application/json");
    }
    const auto response = contracts::make_response(status->get<int>(), std::move(headers), std::move(body));
    for (const auto& finding : checker.check_operation(*op, response)) {
      if (finding.check == "undeclared_status") continue;
      const std::string where = respond->contains("body") ? at + "/respond/body" : at + "/respond";
      out.push_back(doc.error_at(where, "rule answer for " + op->operation_id + ": " + finding.check + ": " + finding.message));
    }
  }
}

Errors lint_file(const std::string& path, const contracts::SpecChecker& checker) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {spec::SourceError{path, {}, "cannot open file"}};
  std::ostringstream text;
  text << in.rdbuf();
  auto doc = spec::parse_structured(text.str(), path);
  if (!doc) return {doc.error()};
  if (contracts::looks_like_contract_file(doc->root())) {
    auto file = contracts::load_contracts(*doc);
    if (!file) return file.error();
    return contracts::lint_contracts(*file, checker);
  }
  if (looks_like_scenario(doc->root())) {
    auto scenario = mock::load_scenario(text.str(), path);
    if (!scenario) return scenario.error();
    Errors errors;
    lint_rule_answers(*doc, checker, errors);
    return errors;
  }
  return {doc->error_at("", "neither a contract file (no top-level 'contracts') nor a scenario "
                            "(no top-level 'name', 'system' or 'tenants')")};
}

}  // namespace

void setup_lint(CLI::App& app, int& status) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* lint = app.add_subcommand("lint", "Check scenario and contract files against their formats and the spec");
  lint->add_option("--spec", options->spec_file, "OpenAPI document to check against (default: the built-in one)");
  lint->add_option("paths", options->paths, "Scenario and contract files, or folders of them")->required();
  lint->callback([options, &status] { status = run_lint(*options, std::cout, std::cerr); });
}

int run_lint(const LintOptions& options, std::ostream& out, std::ostream& err) {
  const auto chosen = SpecChoice::make(options.spec_file, err);
  if (!chosen) return kUsageError;
  const contracts::SpecChecker checker(chosen->document(), mock_own_path_prefixes());
  auto files = contracts::find_contract_files(options.paths);
  if (!files) {
    err << "pbxmock lint: " << files.error() << '\n';
    return kUsageError;
  }
  std::size_t problems = 0;
  std::size_t bad_files = 0;
  for (const auto& file : *files) {
    const auto errors = lint_file(file, checker);
    for (const auto& e : errors) out << e.to_string() << '\n';
    problems += errors.size();
    bad_files += errors.empty() ? 0 : 1;
  }
  if (problems == 0) {
    out << files->size() << " file(s), no problems\n";
    return 0;
  }
  out << problems << " problem(s) in " << bad_files << " of " << files->size() << " file(s)\n";
  return kProblems;
}

}  // namespace pbxmock::cli
