// RapidCheck properties of parse_domain, with glibc's inet_pton/inet_ntop as the oracle for
// IP addresses. Replay a failure with the printed RC_PARAMS="reproduce=..." in the
// environment of this test program.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "parser_generators.h"
#include "spec/domain.h"
#include "spec/ipv6.h"

namespace {

using pbxmock::spec::DomainKind;
using pbxmock::spec::DomainRule;
using pbxmock::spec::parse_domain;
namespace gens = pbxmock::gens;

// Several inputs per case: the oracle comparisons need many more than RapidCheck's 100.
rc::Gen<std::vector<std::string>> genBatch(rc::Gen<std::string> gen) {
  return rc::gen::mapcat(gens::uniform<std::size_t>(1, 65), [gen](std::size_t count) {
    return rc::gen::container<std::vector<std::string>>(count, gen);
  });
}

std::optional<std::string> inet_ntop6(const unsigned char (&bytes)[16]) {
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, bytes, text, sizeof text) == nullptr) return std::nullopt;
  return std::string(text);
}

// inet_ntop of what inet_pton reads, or nothing when inet_pton rejects the text.
std::optional<std::string> glibc_ipv6(const std::string& text) {
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return std::nullopt;
  return inet_ntop6(bytes);
}

bool glibc_accepts_ipv4(const std::string& text) {
  unsigned char bytes[4];
  return inet_pton(AF_INET, text.c_str(), bytes) == 1;
}

std::optional<std::string> glibc_ipv6_of(const gens::Groups& groups) {
  unsigned char bytes[16];
  for (std::size_t k = 0; k < groups.size(); ++k) {
    bytes[2 * k] = static_cast<unsigned char>(groups[k] >> 8);
    bytes[2 * k + 1] = static_cast<unsigned char>(groups[k] & 0xff);
  }
  return inet_ntop6(bytes);
}

RC_GTEST_PROP(domain_parser, accepts_every_generated_host_name, ()) {
  const auto host = *gens::genHostName();
  const auto result = parse_domain(host.text);
  RC_ASSERT(result.ok());
  RC_ASSERT(result->kind == DomainKind::host_name);
  RC_ASSERT(result->normalized == host.normalized);
}

RC_GTEST_PROP(domain_parser, accepts_every_generated_ipv4_as_written, ()) {
  const std::string text = *gens::genIpv4();
  const auto result = parse_domain(text);
  RC_ASSERT(result.ok());
  RC_ASSERT(result->kind == DomainKind::ipv4);
  RC_ASSERT(result->normalized == text);
}

RC_GTEST_PROP(domain_parser, reads_every_ipv6_text_form_back_to_its_groups, ()) {
  const auto address = *gens::genIpv6Text();
  const auto result = parse_domain(address.text);
  RC_ASSERT(result.ok());
  RC_ASSERT(result->kind == DomainKind::ipv6);
  std::string unbracketed = address.text;
  if (unbracketed.front() == '[') unbracketed = unbracketed.substr(1, unbracketed.size() - 2);
  pbxmock::spec::Ipv6Groups groups{};
  RC_ASSERT(!pbxmock::spec::parse_ipv6(unbracketed, groups).has_value());
  RC_ASSERT(groups == address.groups);
}

RC_GTEST_PROP(domain_parser, writes_ipv6_exactly_as_inet_ntop_does, ()) {
  const auto address = *gens::genIpv6Text();
  const auto expected = glibc_ipv6_of(address.groups);
  RC_ASSERT(expected.has_value());
  const auto result = parse_domain(address.text);
  RC_ASSERT(result.ok());
  RC_ASSERT(result->normalized == *expected);
}

// Text that already is canonical is kept as it is (a shortcut in the parser), in brackets too.
RC_GTEST_PROP(domain_parser, keeps_inet_ntop_text_as_it_is, ()) {
  const auto canonical = glibc_ipv6_of(*gens::genIpv6Groups());
  RC_ASSERT(canonical.has_value());
  const std::string text = *rc::gen::element(*canonical, "[" + *canonical + "]");
  const auto result = parse_domain(text);
  RC_ASSERT(result.ok());
  RC_ASSERT(result->kind == DomainKind::ipv6);
  RC_ASSERT(result->normalized == *canonical);
}

RC_GTEST_PROP(domain_parser, normalization_is_idempotent, ()) {
  for (const std::string& input : *genBatch(gens::genDomainInput())) {
    const auto first = parse_domain(input);
    if (!first.ok()) continue;
    const auto second = parse_domain(first->normalized);
    RC_ASSERT(second.ok());
    RC_ASSERT(second.value() == first.value());
  }
}

RC_GTEST_PROP(domain_parser, says_ipv4_exactly_when_inet_pton_does, ()) {
  for (const std::string& input : *genBatch(gens::genDifferentialInput())) {
    const auto result = parse_domain(input);
    const bool parser_ipv4 = result.ok() && result->kind == DomainKind::ipv4;
    if (parser_ipv4 != glibc_accepts_ipv4(input)) {
      RC_FAIL("\"" + input + "\": ipv4 by the parser " + (parser_ipv4 ? "yes" : "no") + ", by inet_pton the opposite");
    }
  }
}

// inet_pton has no brackets; the parser strips one pair around an IPv6 address, so the
// oracle is asked about the text inside them.
RC_GTEST_PROP(domain_parser, says_ipv6_exactly_when_inet_pton_does, ()) {
  for (const std::string& input : *genBatch(gens::genDifferentialInput())) {
    const bool bracketed = input.size() >= 2 && input.front() == '[' && input.back() == ']';
    const std::string unbracketed = bracketed ? input.substr(1, input.size() - 2) : input;
    const auto expected = glibc_ipv6(unbracketed);
    const auto result = parse_domain(input);
    const bool parser_ipv6 = result.ok() && result->kind == DomainKind::ipv6;
    if (parser_ipv6 != expected.has_value()) {
      RC_FAIL("\"" + input + "\": ipv6 by the parser " + (parser_ipv6 ? "yes" : "no") + ", by inet_pton the opposite");
    }
    if (parser_ipv6 && result->normalized != *expected) {
      RC_FAIL("\"" + input + "\": parser writes " + result->normalized + ", inet_ntop " + *expected);
    }
  }
}

RC_GTEST_PROP(domain_parser, never_fails_outside_the_input, ()) {
  const std::string input = *rc::gen::weightedOneOf<std::string>({{2, gens::genAnyBytes()}, {1, gens::genDomainInput()}});
  const auto result = parse_domain(input);
  if (!result.ok()) {
    RC_ASSERT(result.error().position <= input.size());
    // Only a missing piece at the end, or an empty input, is reported past the last byte.
    if (result.error().position == input.size()) {
      RC_ASSERT(input.empty() || result.error().rule == DomainRule::unclosed_bracket ||
                result.error().rule == DomainRule::ipv6_syntax || result.error().rule == DomainRule::ipv4_octet_count ||
                result.error().rule == DomainRule::empty_label);
    }
  }
  if (input.size() > pbxmock::spec::kDomainFieldMaxLength) {
    RC_ASSERT(!result.ok());
    RC_ASSERT(result.error().rule == DomainRule::too_long);
    RC_ASSERT(result.error().position == pbxmock::spec::kDomainFieldMaxLength);
  }
}

RC_GTEST_PROP(domain_parser, rejects_a_forbidden_byte_in_a_host_name_at_its_index, ()) {
  std::string text = (*gens::genHostName()).text;
  const std::size_t at = *gens::uniform<std::size_t>(0, text.size() + 1);
  const char bad = *rc::gen::weightedOneOf<char>({
      {2, gens::genByte(0x80, 0x100)},
      {2, rc::gen::elementOf(std::string(" _@/\\*%!,;=+~'\"\t\n"))},
      {1, gens::genByte(0x00, 0x20)},
  });
  text.insert(at, 1, bad);
  const auto result = parse_domain(text);
  RC_ASSERT(!result.ok());
  RC_ASSERT(result.error().rule == DomainRule::bad_character);
  RC_ASSERT(result.error().position == at);
}

RC_GTEST_PROP(domain_parser, rejects_a_port_at_its_colon, ()) {
  const std::string port = std::to_string(*gens::uniform(0, 65536));
  const std::string host = *rc::gen::weightedOneOf<std::string>({
      {2, rc::gen::map(gens::genHostName(), [](const gens::HostNameCase& c) { return c.text; })},
      {1, gens::genIpv4()},
      {1, rc::gen::map(gens::genIpv6Text(), [](const gens::Ipv6Case& c) {
         return c.text.front() == '[' ? c.text : "[" + c.text + "]";
       })},
  });
  const auto result = parse_domain(host + ":" + port);
  RC_ASSERT(!result.ok());
  RC_ASSERT(result.error().rule == DomainRule::port_not_allowed);
  RC_ASSERT(result.error().position == host.size());
}

RC_GTEST_PROP(domain_parser, rejects_a_scheme_at_the_start, ()) {
  const std::string scheme = *rc::gen::element<std::string>("http://", "https://", "HTTPS://", "ws://", "sip:", "SIPS:");
  const std::string host = *rc::gen::weightedOneOf<std::string>({
      {2, rc::gen::map(gens::genHostName(), [](const gens::HostNameCase& c) { return c.text; })},
      {1, gens::genIpv4()},
  });
  const std::string tail = *rc::gen::element<std::string>("", "/", ":5060", "/api/info");
  const auto result = parse_domain(scheme + host + tail);
  RC_ASSERT(!result.ok());
  RC_ASSERT(result.error().rule == DomainRule::scheme_not_allowed);
  RC_ASSERT(result.error().position == 0u);
}

}  // namespace
