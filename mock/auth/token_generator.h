#pragma once
// Unpredictable tokens and codes from OpenSSL's generator (AUTH-API.md B4, B5). Characters
// are drawn by rejection sampling, so every character of the alphabet is equally likely.
// Thread-safe: each thread keeps its own pool of OpenSSL's bytes (emptied in a forked child).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pbxmock::mock {

inline constexpr std::size_t kTokenLength = 48;
inline constexpr std::size_t kOtpLength = 6;
inline constexpr std::string_view kTokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// 48 characters of A-Z0-9: access, refresh, two-factor and reset tokens.
std::string random_token();
// 6 decimal digits, leading zeros kept ("004921").
std::string random_otp_code();
// `length` characters of `alphabet` (1..256 characters), each equally likely.
std::string random_string(std::size_t length, std::string_view alphabet);

}  // namespace pbxmock::mock
