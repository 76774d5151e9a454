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
#include "mock/scenario/scenario_lint.h"
#include "spec/openapi.h"

namespace pbxmock::cli {
namespace {

constexpr int kProblems = 1;
constexpr int kUsageError = 2;

using Errors = spec::SourceErrors;

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
  if (mock::looks_like_scenario(doc->root())) return mock::lint_scenario(*doc, checker);
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
