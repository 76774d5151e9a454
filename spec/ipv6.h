#pragma once
// IPv6 addresses: the RFC 4291 text forms in, the RFC 5952 canonical form out, both
// written to agree byte for byte with glibc's inet_pton/inet_ntop (the tests' oracle).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "spec/domain.h"

namespace pbxmock::spec {

using Ipv6Groups = std::array<std::uint16_t, 8>;

inline constexpr std::size_t kIpv6MaxTextLength = 45;  // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
inline constexpr std::size_t kIpv6FormatBufferSize = kIpv6MaxTextLength + 3;  // see format_ipv6

// Reads into `groups` (unspecified after an error) hex groups of 1..4 digits separated by
// ':', at most one "::" standing for one or more zero groups, and optionally a dotted quad
// as the last 32 bits (same rules as parse_ipv4). No brackets, no zone id. Errors are
// ipv6_syntax at the offending byte or at the start of the offending group (a group of five
// digits, a group that does not fit, a dotted quad that is not last), at the second "::",
// at a trailing single ':', and at text.size() when there are fewer than eight groups and
// no "::"; a bad dotted quad reports the ipv4_* rule. Positions are relative to `text`.
std::optional<DomainError> parse_ipv6(std::string_view text, Ipv6Groups& groups) noexcept;

// The same, also saying whether `text` already is what format_ipv6 writes for the address
// (so a caller can keep the text and skip formatting).
std::optional<DomainError> parse_ipv6(std::string_view text, Ipv6Groups& groups, bool& canonical) noexcept;

// Writes the canonical text at `out` (room for kIpv6FormatBufferSize bytes: the bytes past
// the returned end are scratch) and returns the end: lower-case hex without leading zeros;
// the longest run of two or more zero groups as "::" (the leftmost on a tie); and, as
// glibc's inet_ntop does, the last 32 bits as a dotted quad when the address is
// ::ffff:0:0/96 (IPv4-mapped) or when the first six groups are zero and the seventh is not
// (the deprecated IPv4-compatible form).
char* format_ipv6(const Ipv6Groups& groups, char* out) noexcept;

}  // namespace pbxmock::spec
