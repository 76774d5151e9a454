#include "spec/formats.h"

#include <new>

#include "spec/ascii.h"
#include "spec/domain.h"
#include "spec/username.h"

namespace pbxmock::spec {
namespace {

constexpr FormatFailure fail(std::string_view rule, std::size_t position) noexcept { return {rule, position}; }

using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_hex;

// ---------------------------------------------------------------------------------- date-time

// Two decimal digits at value[at], known to be digits.
constexpr int two_digits(std::string_view value, std::size_t at) noexcept {
  return (value[at] - '0') * 10 + (value[at + 1] - '0');
}

constexpr bool is_leap_year(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

constexpr int days_in_month(int year, int month) noexcept {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// The fixed part "YYYY-MM-DDTHH:MM:SS": '#' stands for a digit.
constexpr std::string_view kDateTimeShape = "####-##-##T##:##:##";

}  // namespace

FormatCheck check_date_time(std::string_view value) noexcept {
  for (std::size_t i = 0; i < kDateTimeShape.size(); ++i) {
    if (i >= value.size()) return fail("syntax", value.size());
    const char want = kDateTimeShape[i];
    const char c = value[i];
    const bool fits = want == '#' ? is_digit(c) : want == 'T' ? (c == 'T' || c == 't') : c == want;
    if (!fits) return fail("syntax", i);
  }
  std::size_t at = kDateTimeShape.size();
  if (at < value.size() && value[at] == '.') {
    const std::size_t first = ++at;
    while (at < value.size() && is_digit(value[at])) ++at;
    if (at == first) return fail("syntax", at);
  }
  if (at >= value.size()) return fail("syntax", at);
  int offset_minutes = 0;
  if (value[at] == 'Z' || value[at] == 'z') {
    ++at;
  } else if (value[at] == '+' || value[at] == '-') {
    // "+HH:MM"
    for (std::size_t i = 1; i < 6; ++i) {
      if (at + i >= value.size()) return fail("syntax", value.size());
      const char c = value[at + i];
      if (i == 3 ? c != ':' : !is_digit(c)) return fail("syntax", at + i);
    }
    const int hours = two_digits(value, at + 1);
    const int minutes = two_digits(value, at + 4);
    if (hours > 23) return fail("offset_range", at + 1);
    if (minutes > 59) return fail("offset_range", at + 4);
    offset_minutes = (value[at] == '-' ? -1 : 1) * (hours * 60 + minutes);
    at += 6;
  } else {
    return fail("syntax", at);
  }
  if (at != value.size()) return fail("syntax", at);

  const int year = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + two_digits(value, 2);
  const int month = two_digits(value, 5);
  const int day = two_digits(value, 8);
  const int hour = two_digits(value, 11);
  const int minute = two_digits(value, 14);
  const int second = two_digits(value, 17);
  if (month < 1 || month > 12) return fail("month_range", 5);
  if (day < 1 || day > days_in_month(year, month)) return fail("day_range", 8);
  if (hour > 23) return fail("hour_range", 11);
  if (minute > 59) return fail("minute_range", 14);
  if (second > 60) return fail("second_range", 17);
  if (second == 60) {
    // A leap second is inserted at 23:59:60 UTC; the local time is that minus the offset.
    const int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return fail("leap_second", 17);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------- e-mail

namespace {

constexpr bool is_atext(char c) noexcept {
  if (is_alpha(c) || is_digit(c)) return true;
  constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return specials.find(c) != std::string_view::npos;
}

constexpr std::size_t kLocalPartMaxLength = 64;

// parse_domain allocates its normalized form: keep std::bad_alloc inside.
FormatCheck check_domain_as(std::string_view value, std::size_t base, std::optional<DomainKind> kind,
                            std::string_view wrong_kind_rule) noexcept {
  try {
    const auto parsed = parse_domain(value);
    if (!parsed) return fail(to_string(parsed.error().rule), base + parsed.error().position);
    if (kind && parsed->kind != *kind) return fail(wrong_kind_rule, base);
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return fail("out_of_memory", base);
  }
}

}  // namespace

FormatCheck check_email(std::string_view value) noexcept {
  const std::size_t at = value.find('@');
  if (at == std::string_view::npos) return fail("missing_at", value.size());
  const std::string_view local = value.substr(0, at);
  if (local.empty()) return fail("empty_local_part", 0);
  for (std::size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (i == 0) return fail("leading_period", 0);
      if (local[i - 1] == '.') return fail("double_period", i);
      if (i + 1 == local.size()) return fail("trailing_period", i);
    } else if (!is_atext(c)) {
      return fail("bad_character", i);
    }
  }
  if (local.size() > kLocalPartMaxLength) return fail("local_part_too_long", kLocalPartMaxLength);
  return check_domain_as(value.substr(at + 1), at + 1, DomainKind::host_name, "domain_not_host_name");
}

// ---------------------------------------------------------------------------------- uri

namespace {

constexpr bool is_unreserved(char c) noexcept {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool is_sub_delim(char c) noexcept {
  constexpr std::string_view delims = "!$&'()*+,;=";
  return delims.find(c) != std::string_view::npos;
}
constexpr bool is_pchar(char c) noexcept { return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@'; }

// Scans value[at, end) where every byte must satisfy allowed() or be a "%HH" escape.
template <typename Allowed>
FormatCheck scan(std::string_view value, std::size_t at, std::size_t end, Allowed allowed) noexcept {
  while (at < end) {
    const char c = value[at];
    if (c == '%') {
      if (end - at < 3 || !is_hex(value[at + 1]) || !is_hex(value[at + 2])) return fail("bad_percent_encoding", at);
      at += 3;
    } else if (allowed(c)) {
      ++at;
    } else {
      return fail("bad_character", at);
    }
  }
  return std::nullopt;
}

// IP-literal = "[" ( IPv6address / IPvFuture ) "]"; value[open] is '[', value[close] is ']'.
FormatCheck check_ip_literal(std::string_view value, std::size_t open, std::size_t close) noexcept {
  const std::string_view inside = value.substr(open + 1, close - open - 1);
  if (!inside.empty() && (inside[0] == 'v' || inside[0] == 'V')) {
    // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    std::size_t i = 1;
    while (i < inside.size() && is_hex(inside[i])) ++i;
    if (i == 1 || i >= inside.size() || inside[i] != '.' || i + 1 == inside.size()) return fail("bad_ip_literal", open);
    for (++i; i < inside.size(); ++i) {
      const char c = inside[i];
      if (!is_unreserved(c) && !is_sub_delim(c) && c != ':') return fail("bad_ip_literal", open + 1 + i);
    }
    return std::nullopt;
  }
  if (check_ipv6(inside)) return fail("bad_ip_literal", open);
  return std::nullopt;
}

// authority = [ userinfo "@" ] host [ ":" port ], in value[at, end).
FormatCheck check_authority(std::string_view value, std::size_t at, std::size_t end) noexcept {
  const std::size_t at_sign = value.substr(0, end).find('@', at);
  if (at_sign != std::string_view::npos) {
    if (auto bad = scan(value, at, at_sign, [](char c) { return is_unreserved(c) || is_sub_delim(c) || c == ':'; }))
      return bad;
    at = at_sign + 1;
  }
  std::size_t host_end = at;
  if (at < end && value[at] == '[') {
    const std::size_t close = value.substr(0, end).find(']', at);
    if (close == std::string_view::npos) return fail("bad_ip_literal", at);
    if (auto bad = check_ip_literal(value, at, close)) return bad;
    host_end = close + 1;
  } else {
    while (host_end < end && value[host_end] != ':') ++host_end;
    if (auto bad = scan(value, at, host_end, [](char c) { return is_unreserved(c) || is_sub_delim(c); })) return bad;
  }
  if (host_end < end) {
    if (value[host_end] != ':') return fail("bad_character", host_end);
    for (std::size_t i = host_end + 1; i < end; ++i) {
      if (!is_digit(value[i])) return fail("bad_port", i);
    }
  }
  return std::nullopt;
}

}  // namespace

FormatCheck check_uri(std::string_view value) noexcept {
  std::size_t at = 0;
  while (at < value.size() && (at == 0 ? is_alpha(value[at]) : (is_alpha(value[at]) || is_digit(value[at]) ||
                                                                  value[at] == '+' || value[at] == '-' ||
                                                                  value[at] == '.')))
    ++at;
  if (at == value.size() || value[at] != ':' || at == 0) {
    if (value.find(':') == std::string_view::npos) return fail("missing_scheme", 0);
    return fail("bad_scheme", at);
  }
  ++at;  // past ':'
  const std::size_t hash = value.find('#', at);
  const std::size_t hier_and_query_end = hash == std::string_view::npos ? value.size() : hash;
  const std::size_t question = value.substr(0, hier_and_query_end).find('?', at);
  const std::size_t hier_end = question == std::string_view::npos ? hier_and_query_end : question;

  if (value.substr(at, 2) == "//") {
    at += 2;
    std::size_t authority_end = at;
    while (authority_end < hier_end && value[authority_end] != '/') ++authority_end;
    if (auto bad = check_authority(value, at, authority_end)) return bad;
    at = authority_end;
  }
  if (auto bad = scan(value, at, hier_end, [](char c) { return is_pchar(c) || c == '/'; })) return bad;
  const auto query_char = [](char c) { return is_pchar(c) || c == '/' || c == '?'; };
  if (question != std::string_view::npos) {
    if (auto bad = scan(value, question + 1, hier_and_query_end, query_char)) return bad;
  }
  if (hash != std::string_view::npos) {
    if (auto bad = scan(value, hash + 1, value.size(), query_char)) return bad;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------- addresses

FormatCheck check_ipv4(std::string_view value) noexcept {
  return check_domain_as(value, 0, DomainKind::ipv4, "not_ipv4");
}

FormatCheck check_ipv6(std::string_view value) noexcept {
  if (!value.empty() && value[0] == '[') return fail("not_ipv6", 0);  // brackets belong to URIs, not to the format
  return check_domain_as(value, 0, DomainKind::ipv6, "not_ipv6");
}

FormatCheck check_portsip_username(std::string_view value) noexcept {
  const auto parsed = parse_username(value, ReservedNames::allow);
  if (!parsed) return fail(to_string(parsed.error().rule), parsed.error().position);
  return std::nullopt;
}

FormatCheck check_sip_domain(std::string_view value) noexcept { return check_domain_as(value, 0, std::nullopt, {}); }

// ---------------------------------------------------------------------------------- dispatch

namespace {

using Checker = FormatCheck (*)(std::string_view) noexcept;

Checker find_checker(std::string_view format) noexcept {
  // By length first: this runs for every string with a format in every validation.
  switch (format.size()) {
    case 16:
      return format == "portsip-username" ? check_portsip_username : nullptr;
    case 10:
      return format == "sip-domain" ? check_sip_domain : nullptr;
    case 9:
      return format == "date-time" ? check_date_time : nullptr;
    case 5:
      return format == "email" ? check_email : nullptr;
    case 3:
      return format == "uri" ? check_uri : nullptr;
    case 4:
      if (format == "ipv4") return check_ipv4;
      if (format == "ipv6") return check_ipv6;
      return nullptr;
    default:
      return nullptr;
  }
}

}  // namespace

FormatCheck check_format(std::string_view format, std::string_view value) noexcept {
  const Checker checker = find_checker(format);
  return checker ? checker(value) : std::nullopt;
}

bool is_known_format(std::string_view format) noexcept { return find_checker(format) != nullptr; }

}  // namespace pbxmock::spec
