#pragma once
// `pbxmock validate username|domain VALUE...`: the field parsers from the shell.
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pbxmock::cli {

enum class Field { username, domain };

struct ValidateOptions {
  Field field = Field::username;
  bool system_admin = false;  // usernames: allow the reserved system-administrator names
  std::vector<std::string> values;
};

// Registers the subcommand; when it runs, its exit status is written to `status`.
void setup_validate(CLI::App& app, int& status);

// One line per value, `ok <normalized>` or `invalid <rule> at <position>`. A lone `-`
// reads one value a line from `in`. Returns 0 when all are valid, 1 otherwise.
int run_validate(const ValidateOptions& options, std::istream& in, std::ostream& out);

}  // namespace pbxmock::cli
