// Fuzzes parse_domain: a rejection points inside the input; an accepted domain's normalized
// form parses again to itself with the same kind and relates to the input as its kind says;
// and for input without NUL bytes the parser finds an IP address exactly when glibc's
// inet_pton does, writing IPv6 as inet_ntop does.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "spec/domain.h"

using namespace pbxmock::spec;

using pbxmock::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto result = parse_domain(input);
  if (!result && result.error().position > size) broken("rejection position past the input", input);
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
