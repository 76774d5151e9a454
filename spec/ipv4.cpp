// IPv4 dotted quads: see ipv4.h.
#include "spec/ipv4.h"

#include "spec/ascii.h"

namespace pbxmock::spec {

std::optional<DomainError> parse_ipv4(std::string_view text, Ipv4Octets& out) noexcept {
  std::size_t octet = 0;
  std::size_t i = 0;
  for (;;) {
    const std::size_t start = i;
    if (octet == out.size()) return DomainError{DomainRule::ipv4_octet_count, start};
    unsigned value = 0;
    // Digits past the third are consumed without growing `value`, so no overflow.
    while (i < text.size() && ascii::is_digit(text[i])) {
      if (i - start < 3) value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    const std::size_t length = i - start;
    if (length == 0) return DomainError{DomainRule::empty_label, start};
    if (length > 1 && text[start] == '0') return DomainError{DomainRule::ipv4_leading_zero, start};
    if (length > 3 || value > 255) return DomainError{DomainRule::ipv4_octet_range, start};
    out[octet++] = static_cast<std::uint8_t>(value);
    if (i == text.size()) break;
    ++i;  // the '.' (the caller allows nothing else)
  }
  if (octet < out.size()) return DomainError{DomainRule::ipv4_octet_count, text.size()};
  return std::nullopt;
}

char* format_ipv4(const Ipv4Octets& octets, char* out) noexcept {
  for (std::size_t k = 0; k < octets.size(); ++k) {
    if (k != 0) *out++ = '.';
    const unsigned v = octets[k];
    if (v >= 100) *out++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *out++ = static_cast<char>('0' + v / 10 % 10);
    *out++ = static_cast<char>('0' + v % 10);
  }
  return out;
}

}  // namespace pbxmock::spec
