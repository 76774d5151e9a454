#pragma once
// The string formats the schema validator checks (`format` in JSON Schema). Each checker is a
// pure function over the string; a failure names the rule that broke and the 0-based byte
// offset where it broke, so a message can say "bad_character at 3".
#include <cstddef>
#include <optional>
#include <string_view>

namespace pbxmock::spec {

struct FormatFailure {
  std::string_view rule;  // a static name: "syntax", "month_range", or the parser's rule name
  std::size_t position;   // 0-based byte offset into the checked string
  bool operator==(const FormatFailure& other) const { return rule == other.rule && position == other.position; }
};

using FormatCheck = std::optional<FormatFailure>;  // nullopt: the string has the format

// RFC 3339 `date-time`: 1985-04-12T23:20:50.52Z, 1996-12-19T16:39:57-08:00. "T" and "Z" in
// either case. Day checked against month and leap year; second 60 only where the UTC time
// is 23:59 (a leap second). Rules: syntax, month_range, day_range, hour_range, minute_range,
// second_range, leap_second, offset_range.
FormatCheck check_date_time(std::string_view value) noexcept;

// A pragmatic e-mail address: local@domain with a dot-atom local part (RFC 5322 atext, no
// leading, trailing or doubled '.', 1..64 bytes) and a domain that parse_domain accepts as a
// host name. Rules: missing_at, empty_local_part, local_part_too_long, bad_character,
// leading_period, trailing_period, double_period, domain_not_host_name, or the domain
// parser's own rule (position counted from the start of the address).
FormatCheck check_email(std::string_view value) noexcept;

// RFC 3986 absolute URI: scheme ":" hier-part [ "?" query ] [ "#" fragment ]. Rules:
// missing_scheme, bad_scheme, bad_character, bad_percent_encoding, bad_port, bad_ip_literal.
FormatCheck check_uri(std::string_view value) noexcept;

// Dotted-quad IPv4 (no leading zeros) and RFC 4291 IPv6 text (no brackets, no zone), both
// through parse_domain. Rules: the domain parser's, or not_ipv4 / not_ipv6.
FormatCheck check_ipv4(std::string_view value) noexcept;
FormatCheck check_ipv6(std::string_view value) noexcept;

// `portsip-username`: parse_username with reserved names allowed (the operation, not the
// schema, decides whether a reserved name may sign in). Rules: the username parser's.
FormatCheck check_portsip_username(std::string_view value) noexcept;

// `sip-domain`: parse_domain. Rules: the domain parser's.
FormatCheck check_sip_domain(std::string_view value) noexcept;

// Dispatches on the format name. Unknown formats are accepted (JSON Schema: formats are
// annotations unless the validator knows them).
FormatCheck check_format(std::string_view format, std::string_view value) noexcept;
bool is_known_format(std::string_view format) noexcept;

}  // namespace pbxmock::spec
