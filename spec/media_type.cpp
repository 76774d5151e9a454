#include "spec/media_type.h"

#include "spec/ascii.h"

namespace pbxmock::spec {
namespace {

bool is_token_char(char c) {
  if (ascii::is_alnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

using ascii::lower;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_token_char(c)) return false;
  return true;
}

std::optional<MediaTypeValue> parse_media_type(std::string_view header) {
  const std::size_t semicolon = header.find(';');
  const std::string_view full = trim(header.substr(0, semicolon));
  const std::size_t slash = full.find('/');
  if (slash == std::string_view::npos || !is_token(full.substr(0, slash)) || !is_token(full.substr(slash + 1))) {
    return std::nullopt;
  }
  MediaTypeValue value{lower(full), {}};
  std::string_view rest = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
  while (!trim(rest).empty()) {
    const std::size_t next = rest.find(';');
    const std::string_view param = trim(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    if (param.empty()) continue;
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || !is_token(param.substr(0, eq))) return std::nullopt;
    std::string_view raw = param.substr(eq + 1);
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
      raw = raw.substr(1, raw.size() - 2);
    } else if (!is_token(raw)) {
      return std::nullopt;
    }
    value.parameters.emplace_back(lower(param.substr(0, eq)), std::string(raw));
  }
  return value;
}

bool media_type_matches(std::string_view declared, std::string_view actual) {
  const std::string d = lower(trim(declared.substr(0, declared.find(';'))));
  if (d == "*/*" || d == actual) return true;
  if (d.size() > 2 && d.compare(d.size() - 2, 2, "/*") == 0) {
    return actual.substr(0, d.size() - 1) == std::string_view(d).substr(0, d.size() - 1);
  }
  return d == "application/json" && is_json_media_type(actual);
}

bool is_json_media_type(std::string_view type) {
  if (type == "application/json") return true;
  constexpr std::string_view suffix = "+json";
  return type.size() > suffix.size() && type.substr(0, 12) == "application/" &&
         type.substr(type.size() - suffix.size()) == suffix;
}

}  // namespace pbxmock::spec
