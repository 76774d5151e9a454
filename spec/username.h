#pragma once
// The PortSIP `username` field (AUTH-API.md A "Shared field rules" and B2).
#include <cstddef>
#include <string_view>

#include "spec/result.h"

namespace pbxmock::spec {

inline constexpr std::size_t kUsernameMaxLength = 64;

// The first rule broken, checked in this order: empty, bad_character (the first
// byte that is not A-Za-z0-9 _ - ' .), too_long, leading_period, trailing_period, reserved.
enum class UsernameRule { empty, too_long, bad_character, leading_period, trailing_period, reserved };

struct UsernameError {
  UsernameRule rule;
  std::size_t position;  // 0-based byte offset into the input where the rule broke
};

// Reserved names (admin, system, administrator, root in any letter case) belong to the
// system administrator: allowed only on a sign-in without a domain.
enum class ReservedNames { reject, allow };

// Returns the input itself when it is a valid username.
Result<std::string_view, UsernameError> parse_username(std::string_view input,
                                                       ReservedNames reserved = ReservedNames::reject) noexcept;

bool is_reserved_username(std::string_view input) noexcept;

std::string_view to_string(UsernameRule rule) noexcept;

}  // namespace pbxmock::spec
