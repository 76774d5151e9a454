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
  std::string normalized;  // lower-case host name without trailing dot; IPv4 as written; RFC 5952 IPv6
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
