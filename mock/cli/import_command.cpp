#include "mock/cli/import_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "contracts/exchange_check.h"
#include "contracts/recording/har_reader.h"
#include "contracts/recording/har_selection.h"
#include "contracts/recording/recorded_folder.h"
#include "contracts/recording/recorder.h"
#include "mock/cli/spec_choice.h"
#include "spec/regular_file.h"

namespace pbxmock::cli {
namespace {

constexpr int kViolations = 1;
constexpr int kUsageError = 2;
constexpr std::size_t kMaxHarBytes = 256u * 1024 * 1024;  // a HAR holds every image the page loaded

}  // namespace

void setup_import(CLI::App& app, int& status) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* import = app.add_subcommand("import", "Turn a HAR file into contracts and a scenario skeleton, and report spec violations");
  import->add_option("har", options->har_file, "HAR 1.2 file (DevTools 'Save all as HAR', Playwright recordHar)")->required();
  import->add_option("--out", options->out_dir, "Folder for the contract files and scenario.yaml (default: recorded)");
  import->add_option("--spec", options->spec_file, "OpenAPI document to judge exchanges by (default: the built-in one)");
  import->callback([options, &status] { status = run_import(*options, std::cout, std::cerr); });
}

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  const auto chosen = SpecChoice::make(options.spec_file, err);
  if (!chosen) return kUsageError;
  auto text = spec::read_regular_file(options.har_file, kMaxHarBytes);
  if (!text) {
    err << "pbxmock import: " << options.har_file << ": " << text.error() << '\n';
    return kUsageError;
  }
  auto entries = contracts::recording::read_har(*text);
  if (!entries) {
    err << "pbxmock import: " << entries.error().describe(options.har_file) << '\n';
    return kUsageError;
  }
  const contracts::ExchangeChecker checker(chosen->document(), mock_own_path_prefixes());
  const auto selection = contracts::recording::select_api_entries(*entries, checker);

  std::size_t violations = 0;
  contracts::recording::Recorder recorder(chosen->document());
  for (const std::size_t i : selection.api) {
    const auto& entry = (*entries)[i];
    for (const auto& v : checker.check(entry.exchange)) {
      out << "VIOLATION entry " << i << " " << entry.exchange.request.method << " " << entry.exchange.request.target
          << ": " << contracts::to_line(v) << '\n';
      ++violations;
    }
    if (!entry.exchange.response.body_captured) {
      out << "no body kept: entry " << i << " " << entry.exchange.request.method << " " << entry.exchange.request.target
          << ": the HAR has no text for the answer, so its body was neither checked nor recorded\n";
    }
    recorder.add(entry.exchange);
  }
  for (const std::size_t i : selection.other) {
    out << "not the API's: entry " << i << " " << (*entries)[i].exchange.request.method << " " << (*entries)[i].url
        << '\n';
  }

  auto folder = contracts::recording::RecordedFolder::open(options.out_dir);
  if (!folder) {
    err << "pbxmock import: " << folder.error() << '\n';
    return kUsageError;
  }
  for (const auto& file : recorder.take_all()) {
    auto written = folder->write_session(file);
    if (!written) {
      err << "pbxmock import: " << written.error() << '\n';
      return kUsageError;
    }
    out << "wrote " << written->generic_string() << '\n';
  }
  if (!selection.api.empty()) {
    auto written = folder->write_scenario(recorder.scenario_skeleton());
    if (!written) {
      err << "pbxmock import: " << written.error() << '\n';
      return kUsageError;
    }
    out << "wrote " << written->generic_string() << '\n';
  }
  if (!recorder.environment().empty()) {
    out << "the contracts read these environment variables (set them before pbxmock check):";
    for (const auto& name : recorder.environment()) out << ' ' << name;
    out << '\n';
  }
  out << entries->size() << " entries: " << selection.api.size() << " the API's"
      << (selection.api_origin.empty() ? std::string() : " (" + selection.api_origin + ")") << ", "
      << selection.other.size() << " not; " << violations << " violation(s)\n";
  return violations == 0 ? 0 : kViolations;
}

}  // namespace pbxmock::cli
