#pragma once
// Content-Type values (RFC 9110 8.3): "application/json; charset=UTF-8" -> type
// "application/json" and its parameters, names and type lower-cased.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbxmock::spec {

struct MediaTypeValue {
  std::string type;  // "application/json"
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower-case, values unquoted

  const std::string* parameter(std::string_view name) const {
    for (const auto& [n, v] : parameters)
      if (n == name) return &v;
    return nullptr;
  }
};

std::optional<MediaTypeValue> parse_media_type(std::string_view header);

// Whether a concrete type matches a declared one: exact, "type/*", "*/*", and "+json"
// suffixes for "application/json" ("application/problem+json").
bool media_type_matches(std::string_view declared, std::string_view actual);

bool is_json_media_type(std::string_view type);

// An RFC 9110 token: what a method, a header name and each half of a media type must be.
bool is_token(std::string_view s);

}  // namespace pbxmock::spec
