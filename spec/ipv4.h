#pragma once
// IPv4 dotted quads, as the domain parser and the IPv6 parser's embedded-IPv4 tail read them.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "spec/domain.h"

namespace pbxmock::spec {

using Ipv4Octets = std::array<std::uint8_t, 4>;

// Reads exactly four decimal octets 0..255 with no leading zeros ("0" is fine, "01" is not),
// the form glibc's inet_pton(AF_INET) accepts. The caller guarantees that `text` holds only
// digits and dots. Errors are checked octet by octet, left to right: a fifth octet
// (ipv4_octet_count at its start), an empty octet (empty_label at where it would start),
// a leading zero (ipv4_leading_zero), a value over 255 (ipv4_octet_range, at the octet's
// start); fewer than four octets is ipv4_octet_count at text.size(). Positions are
// relative to `text`.
std::optional<DomainError> parse_ipv4(std::string_view text, Ipv4Octets& out) noexcept;

// Writes "a.b.c.d" at `out` (room for 15 characters) and returns the end.
char* format_ipv4(const Ipv4Octets& octets, char* out) noexcept;

}  // namespace pbxmock::spec
