#pragma once
// `pbxmock spec [FILE]`: the operations of an OpenAPI document, one line each, as the
// mock will route them. With no FILE, the built-in spec/portsip-auth.yaml.
#include <iosfwd>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct SpecOptions {
  std::optional<std::string> file;
};

// Registers the subcommand; when it runs, its exit status is written to `status`.
void setup_spec(CLI::App& app, int& status);

// Writes `METHOD /base/path operationId` per operation, in document order (no trailing
// space when there is no operationId). A FILE that does not load: `file:line:column:
// message` on `err` and 2, the usage-error status, since the input is what is wrong.
int run_spec(const SpecOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pbxmock::cli
