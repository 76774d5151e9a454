#include "spec/safe_regex.h"

#include <re2/re2.h>

#include "spec/ascii.h"

namespace pbxmock::spec {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RE2's own messages are short and name the construct ("invalid perl operator: (?<"); the
// usual surprises get a sentence that says what to write instead.
std::string explain(const re2::RE2& compiled) {
  const std::string& detail = compiled.error();
  const auto mentions = [&](std::string_view part) { return detail.find(part) != std::string::npos; };
  switch (compiled.error_code()) {
    case re2::RE2::ErrorPatternTooLarge:
      return "the pattern is too large: its compiled program exceeds " +
             std::to_string(SafeRegex::kMaxProgramBytes / 1024) + " KiB (" + detail + ")";
    case re2::RE2::ErrorRepeatSize: return "a repetition count over 1,000 is not supported (" + detail + ")";
    case re2::RE2::ErrorBadEscape:
      if (detail.size() >= 2 && detail[detail.size() - 2] == '\\' && ascii::is_digit(detail.back()))
        return "backreferences such as \\1 are not supported (" + detail + ")";
      return detail;
    case re2::RE2::ErrorBadPerlOp:
    case re2::RE2::ErrorMissingParen:
      if (mentions("(?=") || mentions("(?!") || mentions("(?<"))
        return "lookahead and lookbehind are not supported (" + detail + ")";
      return detail;
    default: return detail;
  }
}

}  // namespace

std::string translate_unicode_escapes(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '\\' || i + 1 >= pattern.size()) {
      out += c;
      continue;
    }
    // An escape: two characters together, so that "\\u0041" stays a backslash and "u0041".
    if (pattern[i + 1] == 'u' && i + 5 < pattern.size() && is_hex(pattern[i + 2]) && is_hex(pattern[i + 3]) &&
        is_hex(pattern[i + 4]) && is_hex(pattern[i + 5])) {
      out += "\\x{";
      out.append(pattern.substr(i + 2, 4));
      out += '}';
      i += 5;
      continue;
    }
    out += c;
    out += pattern[i + 1];
    ++i;
  }
  return out;
}

Result<SafeRegex, std::string> SafeRegex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes)
    return Err{"the pattern is " + std::to_string(pattern.size()) + " bytes long (limit " +
               std::to_string(kMaxPatternBytes) + ")"};
  re2::RE2::Options options;
  options.set_log_errors(false);  // the error is returned, not printed
  options.set_max_mem(static_cast<int64_t>(kMaxProgramBytes));
  const std::string translated = translate_unicode_escapes(pattern);
  auto compiled = std::make_shared<const re2::RE2>(translated, options);
  if (!compiled->ok()) return Err{explain(*compiled)};
  return SafeRegex(std::string(pattern), std::move(compiled));
}

bool SafeRegex::search(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

std::optional<std::string> SafeRegex::first_capture(std::string_view text) const {
  const int group = compiled_->NumberOfCapturingGroups() > 0 ? 1 : 0;
  re2::StringPiece found[2];
  const re2::StringPiece subject(text.data(), text.size());
  if (!compiled_->Match(subject, 0, subject.size(), re2::RE2::UNANCHORED, found, group + 1)) return std::nullopt;
  if (found[group].data() == nullptr) return std::string();  // the group took no part
  return std::string(found[group].data(), found[group].size());
}

}  // namespace pbxmock::spec
