#pragma once
// The PortSIP tenant `domain` field (AUTH-API.md A and B3): a DNS host name, an IPv4
// dotted quad or an IPv6 address (optionally in brackets), with its normalized form.
#include <cstddef>
#include <string>
#include <string_view>

#include "spec/result.h"

namespace pbxmock::spec {

inline constexpr std::size_t kDomainFieldMaxLength = 280;  // the API field's own limit
inline constexpr std::size_t kHostNameMaxLength = 253;     // without the trailing dot
inline constexpr std::size_t kLabelMaxLength = 63;

enum class DomainKind { host_name, ipv4, ipv6 };

// How an input is read, and the first rule it breaks, in this order (positions are 0-based
// byte offsets, never past input.size()):
//  1. empty (0); over 280 bytes: too_long (280).
//  2. A byte no form allows (anything but A-Za-z0-9 . - : and brackets; '[' anywhere but
//     first): bad_character at it, unless the input starts with a URI scheme ("x://", or
//     "sip:"/"sips:" not followed by digits only): scheme_not_allowed (0).
//  3. Structure before content. "[" first: no "]" is unclosed_bracket (input.size()); ":"
//     right after "]" is port_not_allowed (at the ':'); anything else after it is
//     bad_character; the text inside must be IPv6 ("[1.2.3.4]" is ipv6_syntax). A "]"
//     without "[" is unclosed_bracket (at the ']'). One ':' after a non-empty prefix and
//     before digits or nothing is port_not_allowed (at the ':'); a SIP scheme is
//     scheme_not_allowed; any other input with ':' is an IPv6 attempt.
//  4. Digits and dots only (at least one digit): an IPv4 attempt, octet by octet left to
//     right: a fifth octet is ipv4_octet_count (its start), an empty one empty_label (where
//     it would start), then ipv4_leading_zero, ipv4_octet_range (the octet's start); fewer
//     than four octets is ipv4_octet_count (input.size()).
//  5. Anything else is a host name: over 253 characters without the trailing dot is
//     too_long (253); then label by label: empty_label (where it would start),
//     leading_hyphen (label start), label_too_long (label start + 63, the first byte over),
//     trailing_hyphen (the '-'); then numeric_last_label (its start).
// IPv6 errors are ipv6_syntax at the offending byte or group (see spec/ipv6.h), or an
// ipv4_* rule inside an embedded dotted quad. A zone id ("%eth0") is a bad_character.

enum class DomainRule {
  empty,
  too_long,               // over 280 bytes, or a host name over 253 characters
  bad_character,          // white space, non-ASCII, '_', '/', '@', ... where no form allows it
  empty_label,            // "a..b", ".a", or a lone "."
  label_too_long,         // a label over 63 characters
  leading_hyphen,         // a label starting with '-'
  trailing_hyphen,        // a label ending with '-'
  numeric_last_label,     // "example.123": the last label of a host name is all digits
  ipv4_octet_range,       // an IPv4 octet over 255
  ipv4_leading_zero,      // "01.2.3.4"
  ipv4_octet_count,       // digits and dots only, but not four octets ("1.2.3", "1.2.3.4.5")
  ipv6_syntax,            // not an RFC 4291 text form
  unclosed_bracket,       // "[::1" or "::1]"
  port_not_allowed,       // "pbx.example.com:5060", "[::1]:8887"
  scheme_not_allowed,     // "https://pbx.example.com"
};

struct Domain {
  DomainKind kind;
  std::string normalized;  // lower-case host name without trailing dot; IPv4 as written; RFC 5952 IPv6 as inet_ntop writes it
  bool operator==(const Domain& other) const { return kind == other.kind && normalized == other.normalized; }
};

struct DomainError {
  DomainRule rule;
  std::size_t position;  // 0-based byte offset into the input where the rule broke
};

Result<Domain, DomainError> parse_domain(std::string_view input);

std::string_view to_string(DomainRule rule) noexcept;
std::string_view to_string(DomainKind kind) noexcept;

}  // namespace pbxmock::spec
