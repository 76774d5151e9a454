#pragma once
// ASCII-only character and case helpers, the one place the project defines them. The
// <cctype> functions depend on the C locale and take int (undefined for negative char
// values); these do neither. Header names, media types, methods and usernames compare
// without regard to ASCII case and never by the locale's rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pbxmock::spec::ascii {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) noexcept { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr char to_lower(char c) noexcept { return is_upper(c) ? static_cast<char>(c + ('a' - 'A')) : c; }
constexpr char to_upper(char c) noexcept { return is_lower(c) ? static_cast<char>(c - ('a' - 'A')) : c; }

// -1 when c is not a hexadecimal digit.
constexpr int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr bool is_hex(char c) noexcept { return hex_value(c) >= 0; }

constexpr std::uint8_t byte(char c) noexcept { return static_cast<std::uint8_t>(c); }

inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_upper(c);
  return out;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

// A strict weak order that ignores ASCII case, for maps keyed by header names.
constexpr bool iless(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char x = to_lower(a[i]);
    const char y = to_lower(b[i]);
    if (x != y) return byte(x) < byte(y);
  }
  return a.size() < b.size();
}

struct ILess {
  using is_transparent = void;
  constexpr bool operator()(std::string_view a, std::string_view b) const noexcept { return iless(a, b); }
};

}  // namespace pbxmock::spec::ascii
