#pragma once
// `pbxmock validate username|domain VALUE...`: the field parsers from the shell.
#include <iosfwd>
#include <optional>
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
  bool after_separator = false;  // values came after `--`: a lone `-` is a value then
};

// Registers the subcommand; when it runs, its exit status is written to `status`.
// `literal_values` are the arguments after a `--`, taken as they are: the caller keeps
// them away from CLI11, which would read "[a,b]" as two values, "[]" as none and `-` as
// an ordinary value it cannot tell from standard input.
void setup_validate(CLI::App& app, int& status, std::optional<std::vector<std::string>> literal_values);

// `pbxmock validate ... -- VALUE...`: splits `arguments` (argv[1..]) at the first `--` when
// they are a validate command; the rest is left for CLI11.
std::optional<std::vector<std::string>> take_validate_literals(std::vector<std::string>& arguments);

// One line per value, `ok <normalized>` or `invalid <rule> at <position>`. A lone `-`
// (not after `--`) reads one value a line from `in`. Returns 0 when all are valid, 1
// otherwise.
int run_validate(const ValidateOptions& options, std::istream& in, std::ostream& out);

}  // namespace pbxmock::cli
