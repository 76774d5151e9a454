#include "mock/cli/spec_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

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
  if (!options.file) {
    list(spec::builtin_spec(), out);
    out.flush();
    return 0;
  }
  const auto loaded = spec::load_openapi_file(*options.file);
  if (!loaded) {
    err << loaded.error().to_string() << '\n';
    return kBadInput;
  }
  list(loaded.value(), out);
  out.flush();
  return 0;
}

}  // namespace pbxmock::cli
