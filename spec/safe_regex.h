#pragma once
// The one regular-expression engine for patterns that come from outside (scenario rules,
// schema `pattern`, contract `regex` matchers): RE2, which matches in time linear in the
// subject, without recursion, in a bounded amount of memory. The backtracking engine of the
// C++ standard library, used here before, recursed once per character (a 1,400-byte header
// crashed the server) and had no step limit (`^(a+)+$` spun a core); nothing outside the
// tests uses it any more.
//
// The dialect is RE2's (https://github.com/google/re2/wiki/Syntax), searched anywhere in the
// subject unless anchored with ^ and $, subjects and patterns read as UTF-8. For what
// ECMAScript patterns usually contain this is the same: \d \w \s \b, classes, (?:...), lazy
// quantifiers, {n,m}. ECMAScript's \uXXXX is accepted and read as the code point. What RE2
// refuses is a compile error that says so: backreferences (\1), lookahead and lookbehind
// ((?=, (?!, (?<=, (?<!), possessive quantifiers, a repetition count over 1,000, and a
// pattern over kMaxPatternBytes or whose program needs more than kMaxProgramBytes. Deep
// nesting is no danger: RE2 parses and compiles with explicit stacks, not recursion.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "spec/result.h"

namespace re2 {
class RE2;
}

namespace pbxmock::spec {

class SafeRegex {
 public:
  static constexpr std::size_t kMaxPatternBytes = 4096;
  static constexpr std::size_t kMaxProgramBytes = 2 * 1024 * 1024;

  // The compiled pattern, or why it cannot be used (a sentence without the pattern itself).
  static Result<SafeRegex, std::string> compile(std::string_view pattern);

  // Whether the pattern matches somewhere in `text`.
  bool search(std::string_view text) const;

  // What a search captured: the first group when the pattern has one ("" when that group
  // took no part in the match), else the whole match; nullopt when it does not match.
  std::optional<std::string> first_capture(std::string_view text) const;

  const std::string& pattern() const noexcept { return pattern_; }

 private:
  SafeRegex(std::string pattern, std::shared_ptr<const re2::RE2> compiled)
      : pattern_(std::move(pattern)), compiled_(std::move(compiled)) {}

  std::string pattern_;
  std::shared_ptr<const re2::RE2> compiled_;  // immutable and thread-safe: copies share it
};

// ECMAScript's \uXXXX escapes as RE2's \x{XXXX}; everything else unchanged. Pure.
std::string translate_unicode_escapes(std::string_view pattern);

}  // namespace pbxmock::spec
