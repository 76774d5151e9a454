#include "mock/cli/spec_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "mock/cli/spec_choice.h"
#include "spec/openapi.h"

namespace pbxmock::cli {
namespace {

constexpr int kBadInput = 2;

void list(const spec::OpenApiDocument& document, std::ostream& out) {
  for (const auto& op : document.operations()) {
    out << op.method << ' ' << document.base_path() << op.path_template;
    if (!op.operation_id.empty()) out << ' ' << op.operation_id;
    out << '\n';
  }
}

}  // namespace

void setup_spec(CLI::App& app, int& status) {
  auto options = std::make_shared<SpecOptions>();
  CLI::App* sub = app.add_subcommand("spec", "List the operations of an OpenAPI document (default: the built-in PortSIP auth spec)");
  sub->add_option("file", options->file, "An OpenAPI 3.0 or 3.1 document, YAML or JSON");
  sub->callback([options, &status] { status = run_spec(*options, std::cout, std::cerr); });
}

int run_spec(const SpecOptions& options, std::ostream& out, std::ostream& err) {
  const auto chosen = SpecChoice::make(options.file, err);
  if (!chosen) return kBadInput;
  list(chosen->document(), out);
  out.flush();
  return 0;
}

}  // namespace pbxmock::cli
