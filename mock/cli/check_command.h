#pragma once
// `pbxmock check --target URL [--spec FILE] [--junit FILE] [--tag T]... [--timeout S] PATH...`:
// runs the contracts in the files and folders given against a server (the mock or a real
// PBX) and checks every answer against the spec.
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct CheckOptions {
  std::string target;                     // the server's root, http(s)://host:port
  std::optional<std::string> spec_file;   // default: the built-in spec/portsip-auth.yaml
  std::optional<std::string> junit_file;
  std::vector<std::string> tags;          // T selects, !T leaves out; repeatable
  std::optional<double> timeout_seconds;  // per request, overriding the files
  bool insecure = false;                  // https: accept any certificate
  std::optional<std::string> coverage_file;   // --coverage: the coverage as JSON
  std::optional<std::string> min_coverage;    // --min-coverage operations=100,statuses=80
  std::vector<std::string> paths;
  std::optional<std::size_t> max_answer_bytes;  // an answer's body; a longer one fails its step
  std::optional<double> time_limit_seconds;     // the whole run, requests in flight included
};

// Registers the subcommand; when it runs, its exit status is written to `status`.
void setup_check(CLI::App& app, int& status);

// One line per step and `N passed, N failed` on `out`; problems with the command itself on
// `err`. Before the closing line: a line per decision tag (B1..B13) and the coverage of the
// spec. 0 when every step passed and the coverage reached --min-coverage, 1 when one failed
// or it did not, 2 for a usage error, a contract file
// that does not load (nothing runs), no step selected, a target that cannot be reached, or
// any step that got no HTTP answer (timeout, connection broken, an answer that is not HTTP).
int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pbxmock::cli
