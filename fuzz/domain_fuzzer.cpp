// Fuzzes parse_domain: a rejection points inside the input; an accepted domain's normalized
// form parses again to itself with the same kind and relates to the input as its kind says;
// and for input without NUL bytes the parser finds an IP address exactly when glibc's
// inet_pton does, writing IPv6 as inet_ntop does. Every rejection and every kind has a name.
// The address readers on their own (spec/ipv4.h, spec/ipv6.h): what parse_ipv6 accepts,
// format_ipv6 writes as text that parses to the same groups and is called canonical exactly
// when it is that text; what parse_ipv4 accepts, format_ipv4 writes back as it was.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "spec/domain.h"
#include "spec/ipv4.h"
#include "spec/ipv6.h"

using namespace pbxmock::spec;

using pbxmock::fuzz::broken;

namespace {

void check_ipv6(std::string_view input) {
  Ipv6Groups groups{};
  bool canonical = false;
  if (parse_ipv6(input, groups, canonical)) return;
  char buffer[kIpv6FormatBufferSize];
  const std::string_view text(buffer, static_cast<std::size_t>(format_ipv6(groups, buffer) - buffer));
  if (canonical != (text == input)) broken("parse_ipv6 misjudges whether the text is canonical", input, text);
  Ipv6Groups again{};
  bool again_canonical = false;
  if (parse_ipv6(text, again, again_canonical) || again != groups) broken("format_ipv6 does not parse to the same address", input, text);
  if (!again_canonical) broken("format_ipv6 writes a form parse_ipv6 calls not canonical", input, text);
}

void check_ipv4(std::string_view input) {
  // parse_ipv4's callers hand it digits and dots only.
  if (input.find_first_not_of("0123456789.") != std::string_view::npos) return;
  Ipv4Octets octets{};
  if (auto error = parse_ipv4(input, octets)) {
    if (error->position > input.size()) broken("ipv4 rejection position past the input", input);
    return;
  }
  char buffer[16];
  const std::string_view text(buffer, static_cast<std::size_t>(format_ipv4(octets, buffer) - buffer));
  if (text != input) broken("format_ipv4 does not write the accepted text back", input, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto result = parse_domain(input);
  if (!result && result.error().position > size) broken("rejection position past the input", input);
  if (!result && to_string(result.error().rule) == "unknown") broken("rejection without a rule name", input);
  if (result && to_string(result->kind) == "unknown") broken("domain kind without a name", input);
  check_ipv6(input);
  check_ipv4(input);
  if (input.find('\0') == std::string_view::npos) {
    const bool bracketed = size >= 2 && input.front() == '[' && input.back() == ']';
    const std::string text(bracketed ? input.substr(1, size - 2) : input);
    unsigned char bytes[16];
    char canonical[INET6_ADDRSTRLEN] = "";
    const bool v4 = inet_pton(AF_INET, text.c_str(), bytes) == 1 && !bracketed;
    const bool v6 = inet_pton(AF_INET6, text.c_str(), bytes) == 1 && inet_ntop(AF_INET6, bytes, canonical, sizeof canonical);
    if (v4 != (result && result->kind == DomainKind::ipv4)) broken("ipv4 differs from inet_pton", input);
    if (v6 != (result && result->kind == DomainKind::ipv6)) broken("ipv6 differs from inet_pton", input);
    if (v6 && result->normalized != canonical) broken("ipv6 differs from inet_ntop", input);
  }
  if (!result) return 0;
  const Domain& domain = result.value();
  if (domain.kind == DomainKind::ipv4 && domain.normalized != input) broken("ipv4 not as written", input);
  if (domain.kind == DomainKind::host_name && domain.normalized.size() + (input.back() == '.') != size) {
    broken("host name changed length", input);
  }
  const auto again = parse_domain(domain.normalized);
  if (!again || !(again.value() == domain)) broken("normalized form does not parse to itself", input);
  return 0;
}
