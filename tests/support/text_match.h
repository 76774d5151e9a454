#pragma once
// Reading fixed shapes out of what the server printed or sent (a banner, a token, a link,
// a form), with the project's one regex engine (spec::SafeRegex, RE2) instead of
// std::regex, whose backtracking recursion the server itself no longer uses.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "spec/safe_regex.h"

namespace pbxmock::test {

inline spec::SafeRegex test_pattern(std::string_view pattern) {
  auto compiled = spec::SafeRegex::compile(pattern);
  if (!compiled) throw std::invalid_argument("test pattern does not compile: " + compiled.error());
  return std::move(compiled).value();
}

// The first group of `pattern` (else the whole match) where it matches in `text`.
inline std::optional<std::string> capture(std::string_view pattern, std::string_view text) {
  return test_pattern(pattern).first_capture(text);
}

// Whether `pattern` matches all of `text`.
inline bool matches_whole(std::string_view pattern, std::string_view text) {
  return test_pattern("^(?:" + std::string(pattern) + ")$").search(text);
}

}  // namespace pbxmock::test
