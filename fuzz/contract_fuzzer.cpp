// Fuzzes the contract loader with any bytes as a contract file (YAML or JSON): it answers the
// contracts or file:line:column errors (fuzz/source_errors_check.h), never throws or crashes.
// A loaded file keeps the loader's promises (methods in upper case, a raw body sent at least
// once, every contract and step pointer naming a value of the file), and `pbxmock lint` over
// it against the built-in spec answers findings inside the file, never a crash.
#include <cstdint>
#include <string>
#include <string_view>

#include "contracts/contract_lint.h"
#include "contracts/contract_loader.h"
#include "contracts/spec_checks.h"
#include "fuzz/broken_invariant.h"
#include "fuzz/source_errors_check.h"
#include "mock/cli/spec_choice.h"
#include "spec/ascii.h"
#include "spec/openapi.h"

using namespace pbxmock;
using pbxmock::fuzz::broken;

namespace {

constexpr std::string_view kFile = "fuzz.yaml";

const contracts::SpecChecker& checker() {
  static const contracts::SpecChecker instance(spec::builtin_spec(), cli::mock_own_path_prefixes());
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto loaded = contracts::load_contracts(input, std::string(kFile));
  if (!loaded) {
    fuzz::check_source_errors(loaded.error(), kFile, input);
    return 0;
  }
  const contracts::ContractFile& file = loaded.value();
  if (!file.source) broken("a loaded file without its source", input);
  const nlohmann::json& root = file.source->root();
  for (const auto& contract : file.contracts) {
    if (spec::resolve_pointer(root, contract.pointer) == nullptr) broken("contract pointer names nothing", input, contract.pointer);
    for (const auto& step : contract.steps) {
      if (spec::resolve_pointer(root, step.pointer) == nullptr) broken("step pointer names nothing", input, step.pointer);
      const std::string& method = step.request.method;
      if (method.empty() || spec::ascii::upper(method) != method) broken("a method not in upper case", input, method);
      if (step.request.body_kind == contracts::BodyKind::raw && step.request.repeat < 1) broken("a raw body sent no times", input);
    }
  }
  const auto findings = contracts::lint_contracts(file, checker());
  for (const auto& finding : findings) {
    if (finding.file != kFile || finding.message.empty()) broken("a lint finding outside the file", input, finding.to_string());
  }
  return 0;
}
