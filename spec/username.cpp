// The PortSIP `username` field: see username.h for the rules and their order.
#include "spec/username.h"

#include <array>
#include <cstdint>

#include "spec/ascii.h"

namespace pbxmock::spec {
namespace {

// One table lookup per byte keeps the common case (a short valid name) to a single pass.
// Built when the program starts rather than by the compiler (it could be constexpr): code run
// only at compile time counts as never run in the fuzz corpora's coverage, which would hide
// whether this table's rule is exercised. The lookups cost the same either way.
std::array<bool, 256> make_allowed_table() noexcept {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    table[static_cast<std::size_t>(c)] = ascii::is_alnum(ch) || ch == '_' || ch == '-' || ch == '\'' || ch == '.';
  }
  return table;
}
const std::array<bool, 256> kAllowed = make_allowed_table();

Err<UsernameError> fail(UsernameRule rule, std::size_t position) noexcept { return Err{UsernameError{rule, position}}; }

}  // namespace

bool is_reserved_username(std::string_view input) noexcept {
  using ascii::iequals;
  return iequals(input, "admin") || iequals(input, "system") || iequals(input, "administrator") ||
         iequals(input, "root");
}

Result<std::string_view, UsernameError> parse_username(std::string_view input, ReservedNames reserved) noexcept {
  if (input.empty()) return fail(UsernameRule::empty, 0);
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!kAllowed[ascii::byte(input[i])]) return fail(UsernameRule::bad_character, i);
  }
  if (input.size() > kUsernameMaxLength) return fail(UsernameRule::too_long, kUsernameMaxLength);
  if (input.front() == '.') return fail(UsernameRule::leading_period, 0);
  if (input.back() == '.') return fail(UsernameRule::trailing_period, input.size() - 1);
  if (reserved == ReservedNames::reject && is_reserved_username(input)) return fail(UsernameRule::reserved, 0);
  return input;
}

std::string_view to_string(UsernameRule rule) noexcept {
  switch (rule) {
    case UsernameRule::empty: return "empty";
    case UsernameRule::too_long: return "too_long";
    case UsernameRule::bad_character: return "bad_character";
    case UsernameRule::leading_period: return "leading_period";
    case UsernameRule::trailing_period: return "trailing_period";
    case UsernameRule::reserved: return "reserved";
  }
  return "unknown";
}

}  // namespace pbxmock::spec
