#pragma once
// `pbxmock import FILE.har [--out DIR] [--spec FILE]`: a browser's HAR file into contract
// files (one per client session), a scenario skeleton and a report of the spec violations of
// every API exchange in it.
#include <iosfwd>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct ImportOptions {
  std::string har_file;
  std::string out_dir = "recorded";
  std::optional<std::string> spec_file;
};

void setup_import(CLI::App& app, int& status);

// 0: written, no violation; 1: written, with violations; 2: the HAR or the spec cannot be
// read, or the folder cannot be written.
int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pbxmock::cli
