#include "contracts/variables.h"

#include <cstdlib>

#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

bool is_name_start(char c) { return spec::ascii::is_alpha(c) || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || spec::ascii::is_digit(c); }

bool is_name(std::string_view s) {
  if (s.empty() || !is_name_start(s.front())) return false;
  for (char c : s)
    if (!is_name_char(c)) return false;
  return true;
}

Result<Placeholder, std::string> parse_placeholder(std::string_view inner, std::size_t offset) {
  Placeholder p;
  std::string_view name = inner;
  if (const auto sep = inner.find(":-"); sep != std::string_view::npos) {
    name = inner.substr(0, sep);
    p.fallback = std::string(inner.substr(sep + 2));
  }
  constexpr std::string_view env_prefix = "env.";
  if (name.substr(0, env_prefix.size()) == env_prefix) {
    p.env = true;
    name.remove_prefix(env_prefix.size());
  }
  if (!is_name(name)) {
    return Err{"bad placeholder ${" + std::string(inner) + "} at offset " + std::to_string(offset) +
               ": a name is letters, digits and _, not starting with a digit"};
  }
  p.name = std::string(name);
  return p;
}

void collect(const nlohmann::json& value, std::vector<Placeholder>& out, std::optional<std::string>& error) {
  const auto add_text = [&](std::string_view text) {
    auto pieces = parse_template(text);
    if (!pieces) {
      if (!error) error = pieces.error();
      return;
    }
    for (auto& piece : *pieces)
      if (piece.placeholder) out.push_back(std::move(*piece.placeholder));
  };
  if (value.is_string()) {
    add_text(value.get_ref<const std::string&>());
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      add_text(key);
      collect(member, out, error);
    }
  } else if (value.is_array()) {
    for (const auto& element : value) collect(element, out, error);
  }
}

}  // namespace

std::string render_as_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  // Replacing invalid UTF-8 keeps dump() from throwing on a value saved from a bad body.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<TemplatePiece>, std::string> parse_template(std::string_view text) {
  std::vector<TemplatePiece> pieces;
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {  // escaped: a literal "${"
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      literal += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return Err{"unterminated ${ at offset " + std::to_string(i) + " (write $${ for a literal ${)"};
    }
    auto placeholder = parse_placeholder(text.substr(i + 2, close - i - 2), i);
    if (!placeholder) return Err{placeholder.error()};
    if (!literal.empty()) pieces.push_back({std::move(literal), std::nullopt});
    literal.clear();
    pieces.push_back({{}, std::move(placeholder.value())});
    i = close + 1;
  }
  if (!literal.empty() || pieces.empty()) pieces.push_back({std::move(literal), std::nullopt});
  return pieces;
}

Result<std::vector<Placeholder>, std::string> placeholders_in(const nlohmann::json& value) {
  std::vector<Placeholder> out;
  std::optional<std::string> error;
  collect(value, out, error);
  if (error) return Err{std::move(*error)};
  return out;
}

Variables::Environment Variables::process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Variables::Variables(Environment environment) : environment_(std::move(environment)) {}

void Variables::define_file_variables(const std::vector<std::pair<std::string, nlohmann::json>>& variables) {
  for (const auto& [name, value] : variables) {
    auto resolved = substitute_json(value);
    if (resolved) {
      broken_.erase(name);
      values_[name] = std::move(resolved.value());
    } else {
      values_.erase(name);
      broken_[name] = resolved.error();
    }
  }
}

void Variables::set(const std::string& name, nlohmann::json value) {
  broken_.erase(name);
  values_[name] = std::move(value);
}

const nlohmann::json* Variables::find(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

Result<nlohmann::json, std::string> Variables::resolve(const Placeholder& placeholder, std::vector<EnvUse>* used) const {
  if (placeholder.env) {
    std::optional<std::string> value = environment_ ? environment_(placeholder.name) : std::nullopt;
    // As in the shell's ${NAME:-default}, an empty value counts as unset when there is a default.
    if (value && (!value->empty() || !placeholder.fallback)) {
      if (used != nullptr) used->push_back({placeholder.name, *value});
      return nlohmann::json(*value);
    }
    if (placeholder.fallback) return nlohmann::json(*placeholder.fallback);
    return Err{"environment variable " + placeholder.name + " is not set (${env." + placeholder.name + "})"};
  }
  if (const auto it = values_.find(placeholder.name); it != values_.end()) return it->second;
  if (const auto it = broken_.find(placeholder.name); it != broken_.end()) {
    if (placeholder.fallback) return nlohmann::json(*placeholder.fallback);
    return Err{"variable " + placeholder.name + " could not be set: " + it->second};
  }
  if (placeholder.fallback) return nlohmann::json(*placeholder.fallback);
  return Err{"undefined variable ${" + placeholder.name +
             "} (not among the file's variables, nor saved by an earlier step)"};
}

Result<std::string, std::string> Variables::substitute(std::string_view text, std::vector<EnvUse>* used) const {
  auto pieces = parse_template(text);
  if (!pieces) return Err{pieces.error()};
  std::string out;
  for (const auto& piece : *pieces) {
    if (!piece.placeholder) {
      out += piece.literal;
      continue;
    }
    auto value = resolve(*piece.placeholder, used);
    if (!value) return Err{value.error()};
    out += render_as_text(*value);
  }
  return out;
}

Result<nlohmann::json, std::string> Variables::substitute_json(const nlohmann::json& value,
                                                               std::vector<EnvUse>* used) const {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    auto pieces = parse_template(text);
    if (!pieces) return Err{pieces.error()};
    // Exactly one placeholder and nothing else: keep the variable's type.
    if (pieces->size() == 1 && pieces->front().placeholder) return resolve(*pieces->front().placeholder, used);
    auto substituted = substitute(text, used);
    if (!substituted) return Err{substituted.error()};
    return nlohmann::json(std::move(substituted.value()));
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, member] : value.items()) {
      auto new_key = substitute(key, used);
      if (!new_key) return Err{new_key.error()};
      auto new_member = substitute_json(member, used);
      if (!new_member) return Err{new_member.error()};
      out[*new_key] = std::move(new_member.value());
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& element : value) {
      auto new_element = substitute_json(element, used);
      if (!new_element) return Err{new_element.error()};
      out.push_back(std::move(new_element.value()));
    }
    return out;
  }
  return value;
}

}  // namespace pbxmock::contracts
