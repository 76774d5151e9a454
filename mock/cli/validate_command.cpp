#include "mock/cli/validate_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <string_view>

#include "spec/domain.h"
#include "spec/username.h"

namespace pbxmock::cli {
namespace {

// Writes the verdict for one value; returns whether it was valid.
bool report(const ValidateOptions& options, std::string_view value, std::ostream& out) {
  if (options.field == Field::username) {
    const auto reserved = options.system_admin ? spec::ReservedNames::allow : spec::ReservedNames::reject;
    const auto result = spec::parse_username(value, reserved);
    if (result) {
      out << "ok " << *result << '\n';
      return true;
    }
    out << "invalid " << spec::to_string(result.error().rule) << " at " << result.error().position << '\n';
    return false;
  }
  const auto result = spec::parse_domain(value);
  if (result) {
    out << "ok " << result->normalized << '\n';
    return true;
  }
  out << "invalid " << spec::to_string(result.error().rule) << " at " << result.error().position << '\n';
  return false;
}

void add_field_subcommand(CLI::App& validate, Field field, const char* name, const char* what, int& status,
                          const std::optional<std::vector<std::string>>& literal_values) {
  auto options = std::make_shared<ValidateOptions>();
  options->field = field;
  options->after_separator = literal_values.has_value();
  CLI::App* sub = validate.add_subcommand(name, what);
  if (field == Field::username) {
    sub->add_flag("--system-admin", options->system_admin,
                  "Allow the reserved names (admin, system, administrator, root): a system-administrator sign-in");
  }
  // The values are the subcommand's leftover arguments rather than a CLI11 positional,
  // which would split "[a,b]" into two values: a domain such as "[::1]" must reach the
  // parser as written.
  sub->allow_extras();
  sub->footer("VALUE...: the values to check; a lone '-' (not after '--') reads one value a line from standard input");
  sub->callback([options, sub, literal_values, &status] {
    options->values = sub->remaining(false);
    for (const auto& value : options->values)
      if (value.size() > 1 && value[0] == '-') throw CLI::ExtrasError({value});
    if (literal_values) options->values.insert(options->values.end(), literal_values->begin(), literal_values->end());
    if (options->values.empty()) throw CLI::RequiredError("values");
    status = run_validate(*options, std::cin, std::cout);
  });
}

}  // namespace

void setup_validate(CLI::App& app, int& status, std::optional<std::vector<std::string>> literal_values) {
  CLI::App* validate = app.add_subcommand("validate", "Check usernames or domains against the PortSIP field rules");
  validate->require_subcommand(1);
  add_field_subcommand(*validate, Field::username, "username", "Check usernames (AUTH-API.md A and B2)", status,
                       literal_values);
  add_field_subcommand(*validate, Field::domain, "domain", "Check tenant SIP domains (AUTH-API.md B3)", status,
                       literal_values);
}

std::optional<std::vector<std::string>> take_validate_literals(std::vector<std::string>& arguments) {
  if (arguments.empty() || arguments.front() != "validate") return std::nullopt;
  const auto separator = std::find(arguments.begin(), arguments.end(), "--");
  if (separator == arguments.end()) return std::nullopt;
  std::vector<std::string> literals(separator + 1, arguments.end());
  arguments.erase(separator, arguments.end());
  return literals;
}

int run_validate(const ValidateOptions& options, std::istream& in, std::ostream& out) {
  bool all_valid = true;
  if (options.values.size() == 1 && options.values.front() == "-" && !options.after_separator) {
    std::string line;
    while (std::getline(in, line)) {
      // Files written on Windows end lines in CRLF; the CR is not part of the value.
      if (!line.empty() && line.back() == '\r') line.pop_back();
      all_valid = report(options, line, out) && all_valid;
    }
  } else {
    for (const auto& value : options.values) all_valid = report(options, value, out) && all_valid;
  }
  out.flush();
  return all_valid ? 0 : 1;
}

}  // namespace pbxmock::cli
