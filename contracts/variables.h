#pragma once
// `${...}` placeholders in contract values:
//   ${name}               a file variable, a value saved by an earlier step, or `target`
//   ${name:-default}      the same, or `default` when it is not defined
//   ${env.NAME}           the environment variable NAME (so credentials stay out of files)
//   ${env.NAME:-default}  the same, or `default` when NAME is unset or empty (as in the shell)
//   $${                   a literal "${"
// A JSON string that is exactly one placeholder takes the variable's JSON value with its
// type (a saved integer stays an integer); anywhere else the value is rendered as text.
// Nothing here throws: an undefined variable or a malformed placeholder is an error value
// naming it, which the runner turns into a step failure.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/result.h"

namespace pbxmock::contracts {

struct Placeholder {
  bool env = false;                    // ${env.NAME}
  std::string name;                    // without the "env." prefix
  std::optional<std::string> fallback; // the text after ":-"
};

// A template split into literal text and placeholders, in order.
struct TemplatePiece {
  std::string literal;                     // used when placeholder is empty
  std::optional<Placeholder> placeholder;
};

// Error: what is wrong and at which byte offset of `text`.
Result<std::vector<TemplatePiece>, std::string> parse_template(std::string_view text);

// Every placeholder in a JSON value's strings (keys included), for lint.
Result<std::vector<Placeholder>, std::string> placeholders_in(const nlohmann::json& value);

// An environment value that went into a request, so a printed `curl` command can refer to
// the variable instead of repeating a secret.
struct EnvUse {
  std::string name;
  std::string value;
};

class Variables {
 public:
  using Environment = std::function<std::optional<std::string>(const std::string& name)>;

  // The process environment (getenv).
  static Environment process_environment();

  explicit Variables(Environment environment = process_environment());

  // A file's variables, in order: each may use the environment and the ones before it. One
  // that cannot be evaluated is remembered as broken, and only a step that uses it fails.
  void define_file_variables(const std::vector<std::pair<std::string, nlohmann::json>>& variables);

  void set(const std::string& name, nlohmann::json value);
  const nlohmann::json* find(const std::string& name) const;

  // Text with every placeholder replaced. `used`, when given, collects the environment
  // values that went in.
  Result<std::string, std::string> substitute(std::string_view text, std::vector<EnvUse>* used = nullptr) const;
  // Every string in `value` substituted (keys too); see the header comment for typing.
  Result<nlohmann::json, std::string> substitute_json(const nlohmann::json& value,
                                                     std::vector<EnvUse>* used = nullptr) const;

 private:
  Result<nlohmann::json, std::string> resolve(const Placeholder& placeholder, std::vector<EnvUse>* used) const;

  Environment environment_;
  std::map<std::string, nlohmann::json> values_;
  std::map<std::string, std::string> broken_;  // name -> why it could not be evaluated
};

// How a JSON value reads inside text: strings as they are, anything else as compact JSON.
std::string render_as_text(const nlohmann::json& value);

}  // namespace pbxmock::contracts
