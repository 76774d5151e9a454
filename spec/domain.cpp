// The PortSIP tenant `domain` field: see domain.h for the forms, the rules and their order.
// This file decides which form the input attempts; ipv4.cpp and ipv6.cpp read the addresses.
#include "spec/domain.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "spec/ascii.h"
#include "spec/ipv4.h"
#include "spec/ipv6.h"

namespace pbxmock::spec {
namespace {

// Byte classes, one table lookup per byte; kBad marks a byte that no form allows.
enum : std::uint8_t {
  kDigit = 1,
  kLower = 2,
  kUpper = 4,
  kDot = 8,
  kHyphen = 16,
  kColon = 32,
  kBracket = 64,
  kBad = 128,
};

// Built when the program starts rather than by the compiler (it could be constexpr): code run
// only at compile time counts as never run in the fuzz corpora's coverage, which would hide
// whether this table's rule is exercised. The lookups cost the same either way.
std::array<std::uint8_t, 256> make_class_table() noexcept {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    std::uint8_t cls = kBad;
    if (ascii::is_digit(ch)) cls = kDigit;
    else if (ascii::is_lower(ch)) cls = kLower;
    else if (ascii::is_upper(ch)) cls = kUpper;
    else if (ch == '.') cls = kDot;
    else if (ch == '-') cls = kHyphen;
    else if (ch == ':') cls = kColon;
    else if (ch == '[' || ch == ']') cls = kBracket;
    table[static_cast<std::size_t>(c)] = cls;
  }
  return table;
}
const std::array<std::uint8_t, 256> kClass = make_class_table();

// The classes of the bytes before the first bad one (OR-ed together), and where that one
// is: input.size() when there is none. Stopping at a bad byte also keeps compilers from
// vectorizing the loop into gather emulation, which is slower for inputs this short.
struct Classes {
  std::uint8_t seen;
  std::size_t first_bad;
};

Classes classes_in(std::string_view input) noexcept {
  std::uint8_t seen = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    const std::uint8_t cls = kClass[ascii::byte(input[i])];
    if (cls == kBad) return Classes{seen, i};
    seen = static_cast<std::uint8_t>(seen | cls);
  }
  return Classes{seen, input.size()};
}

bool all_digits(std::string_view text) noexcept {
  for (char c : text) {
    if (!ascii::is_digit(c)) return false;
  }
  return !text.empty();
}

using DomainResult = Result<Domain, DomainError>;

DomainResult fail(DomainRule rule, std::size_t position) { return Err{DomainError{rule, position}}; }

bool starts_with_ignoring_case(std::string_view input, std::string_view lower_prefix) noexcept {
  if (input.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (ascii::to_lower(input[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// A SIP URI ("sip:", "sips:"), which people paste into a PBX form; followed by digits
// only it reads as host:port instead.
bool starts_with_sip_uri(std::string_view input) noexcept {
  for (std::string_view sip : {std::string_view("sip:"), std::string_view("sips:")}) {
    if (starts_with_ignoring_case(input, sip) && !all_digits(input.substr(sip.size()))) return true;
  }
  return false;
}

// An RFC 3986 scheme followed by "://", or a SIP URI.
bool starts_with_scheme(std::string_view input) noexcept {
  if (starts_with_sip_uri(input)) return true;
  const std::size_t separator = input.find("://");
  if (separator == std::string_view::npos || separator == 0 || !ascii::is_alpha(input[0])) return false;
  for (std::size_t i = 1; i < separator; ++i) {
    const char c = input[i];
    if (!ascii::is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

bool colon_within_first_five(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size() && i < 5; ++i) {
    if (text[i] == ':') return true;
  }
  return false;
}

DomainResult make_domain(DomainKind kind, std::string_view text) {
  return DomainResult(Domain{kind, std::string(text)});
}

DomainResult parse_host_name(std::string_view input, bool has_upper) {
  const std::size_t length = input.back() == '.' ? input.size() - 1 : input.size();
  if (length > kHostNameMaxLength) return fail(DomainRule::too_long, kHostNameMaxLength);
  const std::string_view host = input.substr(0, length);
  std::size_t start = 0;
  for (;;) {
    // host[start, i) is a label.
    const std::size_t i = std::min(host.find('.', start), host.size());
    if (i == start) return fail(DomainRule::empty_label, start);
    if (host[start] == '-') return fail(DomainRule::leading_hyphen, start);
    if (i - start > kLabelMaxLength) return fail(DomainRule::label_too_long, start + kLabelMaxLength);
    if (host[i - 1] == '-') return fail(DomainRule::trailing_hyphen, i - 1);
    if (i == host.size()) break;
    start = i + 1;
  }
  if (all_digits(host.substr(start))) return fail(DomainRule::numeric_last_label, start);
  DomainResult result = make_domain(DomainKind::host_name, host);
  if (has_upper) {
    for (char& c : result.value().normalized) c = ascii::to_lower(c);
  }
  return result;
}

DomainResult parse_ipv4_domain(std::string_view input) {
  Ipv4Octets octets{};
  if (auto error = parse_ipv4(input, octets)) return Err{*error};
  // No leading zeros and decimal only: the text as written is already canonical.
  return make_domain(DomainKind::ipv4, input);
}

DomainResult ipv6_domain(const Ipv6Groups& groups) {
  char buffer[kIpv6FormatBufferSize];
  const char* end = format_ipv6(groups, buffer);
  return make_domain(DomainKind::ipv6, std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

}  // namespace

Result<Domain, DomainError> parse_domain(std::string_view input) {
  if (input.empty()) return fail(DomainRule::empty, 0);
  if (input.size() > kDomainFieldMaxLength) return fail(DomainRule::too_long, kDomainFieldMaxLength);

  // A valid IPv6 address (in brackets or not), the one form that needs no byte-class scan
  // first: its first ':' is within its first five bytes (a group has at most four digits),
  // and parse_ipv6 accepts only hex digits, ':' and '.', so a success leaves nothing for the
  // rules below to say. A failure goes the long way, to report the right rule.
  const bool bracketed = input.front() == '[' && input.back() == ']';
  const std::string_view address = bracketed ? input.substr(1, input.size() - 2) : input;
  if (colon_within_first_five(address)) {
    Ipv6Groups groups{};
    bool canonical = false;
    if (!parse_ipv6(address, groups, canonical)) {
      return canonical ? make_domain(DomainKind::ipv6, address) : ipv6_domain(groups);
    }
  }

  const auto [seen, first_bad] = classes_in(input);
  if (first_bad != input.size()) {
    if (starts_with_scheme(input)) return fail(DomainRule::scheme_not_allowed, 0);
    // A '[' after the first byte is bad too, and may come before this one.
    return fail(DomainRule::bad_character, std::min(first_bad, input.find('[', 1)));
  }

  // The common cases first: nothing but letters, digits, dots and hyphens.
  if ((seen & (kColon | kBracket)) == 0) {
    if ((seen & ~(kDigit | kDot)) == 0 && (seen & kDigit) != 0) return parse_ipv4_domain(input);
    return parse_host_name(input, (seen & kUpper) != 0);
  }

  if ((seen & kBracket) != 0) {
    const std::size_t misplaced = input.find('[', 1);
    if (misplaced != std::string_view::npos) {
      // No '/' got this far, so the only scheme left to see is a SIP URI's.
      if (starts_with_sip_uri(input)) return fail(DomainRule::scheme_not_allowed, 0);
      return fail(DomainRule::bad_character, misplaced);
    }
    const std::size_t close = input.find(']');
    if (input[0] == '[') {
      if (close == std::string_view::npos) return fail(DomainRule::unclosed_bracket, input.size());
      if (close + 1 < input.size()) {
        if (input[close + 1] == ':') return fail(DomainRule::port_not_allowed, close + 1);
        return fail(DomainRule::bad_character, close + 1);
      }
      Ipv6Groups groups{};
      if (auto error = parse_ipv6(input.substr(1, close - 1), groups)) {
        error->position += 1;
        return Err{*error};
      }
      return ipv6_domain(groups);
    }
    return fail(DomainRule::unclosed_bracket, close);
  }

  // Every IPv6 text form has at least two colons, so one colon before digits (or before
  // nothing) is a port.
  const std::size_t colon = input.find(':');
  const std::string_view after = input.substr(colon + 1);
  if (colon != 0 && after.find(':') == std::string_view::npos && (after.empty() || all_digits(after))) {
    return fail(DomainRule::port_not_allowed, colon);
  }
  if (starts_with_sip_uri(input)) return fail(DomainRule::scheme_not_allowed, 0);
  Ipv6Groups groups{};
  if (auto error = parse_ipv6(input, groups)) return Err{*error};
  return ipv6_domain(groups);
}

std::string_view to_string(DomainRule rule) noexcept {
  switch (rule) {
    case DomainRule::empty: return "empty";
    case DomainRule::too_long: return "too_long";
    case DomainRule::bad_character: return "bad_character";
    case DomainRule::empty_label: return "empty_label";
    case DomainRule::label_too_long: return "label_too_long";
    case DomainRule::leading_hyphen: return "leading_hyphen";
    case DomainRule::trailing_hyphen: return "trailing_hyphen";
    case DomainRule::numeric_last_label: return "numeric_last_label";
    case DomainRule::ipv4_octet_range: return "ipv4_octet_range";
    case DomainRule::ipv4_leading_zero: return "ipv4_leading_zero";
    case DomainRule::ipv4_octet_count: return "ipv4_octet_count";
    case DomainRule::ipv6_syntax: return "ipv6_syntax";
    case DomainRule::unclosed_bracket: return "unclosed_bracket";
    case DomainRule::port_not_allowed: return "port_not_allowed";
    case DomainRule::scheme_not_allowed: return "scheme_not_allowed";
  }
  return "unknown";
}

std::string_view to_string(DomainKind kind) noexcept {
  switch (kind) {
    case DomainKind::host_name: return "host_name";
    case DomainKind::ipv4: return "ipv4";
    case DomainKind::ipv6: return "ipv6";
  }
  return "unknown";
}

}  // namespace pbxmock::spec
