#pragma once
// `pbxmock lint [--spec FILE] PATH...`: scenario and contract files checked without running
// anything. Which a file is, its top-level keys decide: `contracts:` makes it a contract file;
// `tenants:`, `system:` or `name:` a scenario. Every problem is one line, file:line:column.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct LintOptions {
  std::optional<std::string> spec_file;  // default: the built-in spec/portsip-auth.yaml
  std::vector<std::string> paths;        // files, or folders (every *.yaml / *.yml, recursively)
};

// Registers the subcommand; when it runs, its exit status is written to `status`.
void setup_lint(CLI::App& app, int& status);

// Problems on `out`, then a summary line. 0 when there are none, 1 when there are, 2 for a
// usage error (a path that does not exist, a --spec that does not load).
int run_lint(const LintOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pbxmock::cli
