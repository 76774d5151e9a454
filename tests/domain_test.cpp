// Table tests for parse_domain (AUTH-API.md B3). Expected values, the canonical IPv6 forms
// included, are written by hand from RFC 4291 and RFC 5952 (and glibc's inet_ntop for the
// mixed IPv4 notation), never produced by the parser.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "spec/domain.h"

namespace {

using pbxmock::spec::parse_domain;

// "kind normalized" or "rule@position": one EXPECT_EQ checks everything and prints readably.
std::string outcome(std::string_view input) {
  const auto result = parse_domain(input);
  if (result) return std::string(to_string(result->kind)) + " " + result->normalized;
  return std::string(to_string(result.error().rule)) + "@" + std::to_string(result.error().position);
}

std::string labels_of(std::size_t last_label_length) {
  return std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
         std::string(last_label_length, 'd');
}

// --- host names ---

TEST(domain_parser, accepts_a_single_label) { EXPECT_EQ("host_name pbx", outcome("pbx")); }

TEST(domain_parser, lower_cases_host_names) {
  EXPECT_EQ("host_name pbx.example.com", outcome("PBX.Example.COM"));
  EXPECT_EQ("host_name sip-1.example.org", outcome("SIP-1.example.ORG"));
}

TEST(domain_parser, drops_one_trailing_dot) {
  EXPECT_EQ("host_name pbx.example.com", outcome("pbx.example.com."));
  EXPECT_EQ("host_name pbx", outcome("PBX."));
}

TEST(domain_parser, accepts_punycode_and_digits_and_hyphens_inside_labels) {
  EXPECT_EQ("host_name xn--bcher-kva.example", outcome("xn--bcher-kva.example"));
  EXPECT_EQ("host_name 123.example", outcome("123.example"));
  EXPECT_EQ("host_name a-b.c--d.e", outcome("a-b.c--d.e"));
  EXPECT_EQ("host_name 1.2.3.4a", outcome("1.2.3.4a"));
}

TEST(domain_parser, accepts_63_character_labels) {
  EXPECT_EQ("host_name " + std::string(63, 'x') + ".com", outcome(std::string(63, 'x') + ".com"));
}

TEST(domain_parser, rejects_64_character_labels_at_the_64th_character) {
  EXPECT_EQ("label_too_long@63", outcome(std::string(64, 'x') + ".com"));
  EXPECT_EQ("label_too_long@67", outcome("pbx." + std::string(64, 'x')));
}

TEST(domain_parser, accepts_253_characters_with_and_without_trailing_dot) {
  EXPECT_EQ(253u, labels_of(61).size());
  EXPECT_EQ("host_name " + labels_of(61), outcome(labels_of(61)));
  EXPECT_EQ("host_name " + labels_of(61), outcome(labels_of(61) + "."));
}

TEST(domain_parser, rejects_254_characters_with_and_without_trailing_dot) {
  EXPECT_EQ("too_long@253", outcome(labels_of(62)));
  EXPECT_EQ("too_long@253", outcome(labels_of(62) + "."));
}

TEST(domain_parser, rejects_empty_labels) {
  EXPECT_EQ("empty_label@2", outcome("a..b"));
  EXPECT_EQ("empty_label@0", outcome(".example.com"));
  EXPECT_EQ("empty_label@0", outcome("."));
  EXPECT_EQ("empty_label@4", outcome("pbx.."));
}

TEST(domain_parser, rejects_hyphens_at_label_edges) {
  EXPECT_EQ("leading_hyphen@0", outcome("-pbx.example.com"));
  EXPECT_EQ("leading_hyphen@4", outcome("pbx.-example.com"));
  EXPECT_EQ("trailing_hyphen@3", outcome("pbx-.example.com"));
  EXPECT_EQ("trailing_hyphen@14", outcome("pbx.example.co-"));
  EXPECT_EQ("leading_hyphen@0", outcome("-"));
}

TEST(domain_parser, rejects_an_all_digit_last_label) {
  EXPECT_EQ("numeric_last_label@8", outcome("example.123"));
  EXPECT_EQ("numeric_last_label@12", outcome("pbx.example.123."));
}

// --- bytes no form allows ---

TEST(domain_parser, rejects_white_space) {
  EXPECT_EQ("bad_character@3", outcome("pbx example.com"));
  EXPECT_EQ("bad_character@0", outcome(" pbx.example.com"));
  EXPECT_EQ("bad_character@15", outcome("pbx.example.com\n"));
  EXPECT_EQ("bad_character@3", outcome("pbx\t"));
}

TEST(domain_parser, rejects_punctuation) {
  EXPECT_EQ("bad_character@3", outcome("pbx_1.example.com"));
  EXPECT_EQ("bad_character@4", outcome("user@pbx.example.com"));
  EXPECT_EQ("bad_character@15", outcome("pbx.example.com/api"));
  EXPECT_EQ("bad_character@0", outcome("*.example.com"));
  EXPECT_EQ("bad_character@3", outcome(std::string_view("pbx\0.com", 8)));
}

TEST(domain_parser, rejects_look_alike_non_ascii_letters) {
  EXPECT_EQ("bad_character@2", outcome("pb\xD1\x85.example.com"));      // Cyrillic ha, U+0445
  EXPECT_EQ("bad_character@0", outcome("\xEF\xBD\x90" "bx.com"));       // fullwidth p, U+FF50
  EXPECT_EQ("bad_character@4", outcome("pbx.\xC4\xB1" "o"));            // dotless i, U+0131
  EXPECT_EQ("bad_character@3", outcome("pbx\xE2\x80\x8B.com"));         // zero-width space, U+200B
  EXPECT_EQ("bad_character@3", outcome("pbx\xC2\xA0.com"));             // no-break space, U+00A0
  EXPECT_EQ("bad_character@1", outcome("b\xC3\xBC" "cher.example"));  // raw u-umlaut, not punycode
}

// --- lengths of the whole field ---

TEST(domain_parser, rejects_empty) { EXPECT_EQ("empty@0", outcome("")); }

TEST(domain_parser, checks_280_bytes_before_anything_else) {
  // 280 bytes pass the field limit and fail on their last byte; 281 fail on the limit.
  EXPECT_EQ("bad_character@279", outcome(std::string(279, 'a') + " "));
  EXPECT_EQ("too_long@280", outcome(std::string(280, 'a') + " "));
  EXPECT_EQ("too_long@280", outcome(std::string(281, ' ')));
}

// --- IPv4 ---

TEST(domain_parser, accepts_ipv4_as_written) {
  EXPECT_EQ("ipv4 192.168.1.10", outcome("192.168.1.10"));
  EXPECT_EQ("ipv4 0.0.0.0", outcome("0.0.0.0"));
  EXPECT_EQ("ipv4 255.255.255.255", outcome("255.255.255.255"));
  EXPECT_EQ("ipv4 10.0.255.1", outcome("10.0.255.1"));
}

TEST(domain_parser, rejects_ipv4_octets_over_255) {
  EXPECT_EQ("ipv4_octet_range@0", outcome("256.1.1.1"));
  EXPECT_EQ("ipv4_octet_range@8", outcome("255.255.256.255"));
  EXPECT_EQ("ipv4_octet_range@6", outcome("1.2.3.1000"));
  EXPECT_EQ("ipv4_octet_range@0", outcome("99999999999999999999.1.1.1"));
}

TEST(domain_parser, rejects_ipv4_leading_zeros) {
  EXPECT_EQ("ipv4_leading_zero@0", outcome("01.2.3.4"));
  EXPECT_EQ("ipv4_leading_zero@6", outcome("1.2.3.00"));
  EXPECT_EQ("ipv4_leading_zero@4", outcome("192.0168.1.1"));
}

TEST(domain_parser, rejects_other_than_four_ipv4_octets) {
  EXPECT_EQ("ipv4_octet_count@5", outcome("1.2.3"));
  EXPECT_EQ("ipv4_octet_count@8", outcome("1.2.3.4.5"));
  EXPECT_EQ("ipv4_octet_count@8", outcome("1.2.3.4."));
  EXPECT_EQ("ipv4_octet_count@3", outcome("123"));
}

TEST(domain_parser, rejects_empty_ipv4_octets) {
  EXPECT_EQ("empty_label@2", outcome("1..2.3"));
  EXPECT_EQ("empty_label@0", outcome(".1.2.3"));
}

// --- ports and schemes ---

TEST(domain_parser, rejects_ports) {
  EXPECT_EQ("port_not_allowed@15", outcome("pbx.example.com:5060"));
  EXPECT_EQ("port_not_allowed@7", outcome("1.2.3.4:5060"));
  EXPECT_EQ("port_not_allowed@5", outcome("[::1]:8887"));
  EXPECT_EQ("port_not_allowed@15", outcome("pbx.example.com:"));
}

TEST(domain_parser, rejects_schemes) {
  EXPECT_EQ("scheme_not_allowed@0", outcome("https://pbx.example.com"));
  EXPECT_EQ("scheme_not_allowed@0", outcome("HTTP://1.2.3.4/"));
  EXPECT_EQ("scheme_not_allowed@0", outcome("sip:pbx.example.com"));
  EXPECT_EQ("scheme_not_allowed@0", outcome("sips:[2001:db8::1]"));
}

// --- IPv6: canonical forms by RFC 5952 section 4 ---

TEST(domain_parser, accepts_compressed_ipv6) {
  EXPECT_EQ("ipv6 ::1", outcome("::1"));
  EXPECT_EQ("ipv6 ::", outcome("::"));
  EXPECT_EQ("ipv6 fe80::1", outcome("fe80::1"));
  EXPECT_EQ("ipv6 1::", outcome("1::"));
}

TEST(domain_parser, writes_ipv6_without_leading_zeros_and_with_the_zeros_compressed) {
  EXPECT_EQ("ipv6 2001:db8::1", outcome("2001:0db8:0000:0000:0000:0000:0000:0001"));
  EXPECT_EQ("ipv6 2001:db8::1", outcome("2001:db8:0:0:0::1"));
  EXPECT_EQ("ipv6 ::1", outcome("0:0:0:0:0:0:0:1"));
  EXPECT_EQ("ipv6 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", outcome("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001"));
}

TEST(domain_parser, lower_cases_ipv6) {
  EXPECT_EQ("ipv6 2001:db8::1", outcome("2001:DB8::1"));
  EXPECT_EQ("ipv6 fe80::abcd:ef01", outcome("FE80::ABCD:EF01"));
}

TEST(domain_parser, does_not_compress_a_single_zero_group) {
  EXPECT_EQ("ipv6 2001:db8:0:1:1:1:1:1", outcome("2001:db8::1:1:1:1:1"));
  EXPECT_EQ("ipv6 1:2:3:4:5:6:7:0", outcome("1:2:3:4:5:6:7::"));
}

TEST(domain_parser, compresses_the_longest_then_the_leftmost_zero_run) {
  EXPECT_EQ("ipv6 2001:0:0:1::1", outcome("2001:0:0:1:0:0:0:1"));
  EXPECT_EQ("ipv6 2001:db8::1:0:0:1", outcome("2001:db8:0:0:1:0:0:1"));
  EXPECT_EQ("ipv6 2001:db8::1:0:0:1", outcome("2001:db8:0:0:1::1"));
  EXPECT_EQ("ipv6 1::1:0:0:1:0", outcome("1:0:0:1::1:0"));
}

TEST(domain_parser, strips_brackets_from_ipv6) {
  EXPECT_EQ("ipv6 2001:db8::1", outcome("[2001:db8::1]"));
  EXPECT_EQ("ipv6 ::1", outcome("[::1]"));
}

TEST(domain_parser, writes_ipv4_mapped_ipv6_with_a_dotted_tail) {
  EXPECT_EQ("ipv6 ::ffff:192.0.2.1", outcome("::ffff:192.0.2.1"));
  EXPECT_EQ("ipv6 ::ffff:192.0.2.1", outcome("::FFFF:C000:0201"));
  EXPECT_EQ("ipv6 ::ffff:192.0.2.1", outcome("0:0:0:0:0:ffff:192.0.2.1"));
  EXPECT_EQ("ipv6 ::ffff:0.0.0.0", outcome("::ffff:0:0"));
}

// glibc's inet_ntop keeps the deprecated IPv4-compatible form ::a.b.c.d when the first six
// groups are zero and the seventh is not; every other embedded IPv4 comes out as hex.
TEST(domain_parser, writes_mixed_ipv6_the_way_inet_ntop_does) {
  EXPECT_EQ("ipv6 ::192.0.2.1", outcome("::192.0.2.1"));
  EXPECT_EQ("ipv6 ::0.1.0.2", outcome("::1:2"));
  EXPECT_EQ("ipv6 ::100", outcome("::0.0.1.0"));
  EXPECT_EQ("ipv6 64:ff9b::c000:221", outcome("64:ff9b::192.0.2.33"));
  EXPECT_EQ("ipv6 1:2:3:4:5:6:102:304", outcome("1:2:3:4:5:6:1.2.3.4"));
  EXPECT_EQ("ipv6 ::fffe:102:304", outcome("::fffe:1.2.3.4"));
}

TEST(domain_parser, rejects_ipv6_syntax_errors_where_they_occur) {
  EXPECT_EQ("ipv6_syntax@11", outcome("2001:db8::1::2"));
  EXPECT_EQ("ipv6_syntax@2", outcome(":::1"));
  EXPECT_EQ("ipv6_syntax@0", outcome(":1:2:3:4:5:6:7"));
  EXPECT_EQ("ipv6_syntax@16", outcome("1:2:3:4:5:6:7:8:9"));
  EXPECT_EQ("ipv6_syntax@15", outcome("1:2:3:4::5:6:7:8"));
  EXPECT_EQ("ipv6_syntax@0", outcome("12345::1"));
  EXPECT_EQ("ipv6_syntax@5", outcome("1:2:3"));
  EXPECT_EQ("ipv6_syntax@13", outcome("1:2:3:4:5:6:7:"));
  EXPECT_EQ("ipv6_syntax@2", outcome("::g"));
  EXPECT_EQ("ipv6_syntax@3", outcome("fe8g::1"));
}

TEST(domain_parser, rejects_misplaced_embedded_ipv4) {
  EXPECT_EQ("ipv6_syntax@14", outcome("1:2:3:4:5:6:7:1.2.3.4"));
  EXPECT_EQ("ipv6_syntax@9", outcome("::1.2.3.4:1"));
  EXPECT_EQ("ipv6_syntax@2", outcome("::a.2.3.4"));
}

TEST(domain_parser, applies_ipv4_rules_inside_ipv6) {
  EXPECT_EQ("ipv4_octet_range@13", outcome("::ffff:1.2.3.256"));
  EXPECT_EQ("ipv4_leading_zero@7", outcome("::ffff:01.2.3.4"));
  EXPECT_EQ("ipv4_octet_count@7", outcome("::1.2.3"));
}

TEST(domain_parser, rejects_unbalanced_brackets) {
  EXPECT_EQ("unclosed_bracket@4", outcome("[::1"));
  EXPECT_EQ("unclosed_bracket@3", outcome("::1]"));
  EXPECT_EQ("ipv6_syntax@1", outcome("[]"));
  EXPECT_EQ("bad_character@5", outcome("[::1]x"));
  EXPECT_EQ("bad_character@1", outcome("[[::1]]"));
  EXPECT_EQ("ipv6_syntax@8", outcome("[1.2.3.4]"));  // brackets hold IPv6 only: too few groups
}

TEST(domain_parser, rejects_ipv6_zone_ids) {
  EXPECT_EQ("bad_character@7", outcome("fe80::1%eth0"));
  EXPECT_EQ("bad_character@8", outcome("[fe80::1%25eth0]"));
}

}  // namespace
