#pragma once
// Named RapidCheck generators for the username and domain parsers, mixing realistic values
// with noise, and printers so that a counterexample reads as text. Expected values that a
// generator carries (a normalized host name, the groups of an IPv6 address) come from how
// the input was built, never from the parser under test.
//
// rc::gen::inRange scales its range with the test's size (small values first); the
// generators here that must reach both ends of a range use uniform() instead.
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "spec/domain.h"
#include "spec/username.h"

namespace pbxmock::spec {

inline std::ostream& operator<<(std::ostream& os, UsernameRule rule) { return os << to_string(rule); }
inline std::ostream& operator<<(std::ostream& os, DomainRule rule) { return os << to_string(rule); }
inline std::ostream& operator<<(std::ostream& os, DomainKind kind) { return os << to_string(kind); }
inline std::ostream& operator<<(std::ostream& os, const UsernameError& error) {
  return os << error.rule << "@" << error.position;
}
inline std::ostream& operator<<(std::ostream& os, const DomainError& error) {
  return os << error.rule << "@" << error.position;
}
inline std::ostream& operator<<(std::ostream& os, const Domain& domain) {
  return os << domain.kind << " " << domain.normalized;
}

}  // namespace pbxmock::spec

namespace pbxmock::gens {

using Groups = std::array<std::uint16_t, 8>;

// A host name as generated, and the normalized form it must have.
struct HostNameCase {
  std::string text;
  std::string normalized;
};

// An IPv6 address and one of its RFC 4291 text forms.
struct Ipv6Case {
  Groups groups;
  std::string text;
};

inline std::ostream& operator<<(std::ostream& os, const HostNameCase& c) {
  return os << "\"" << c.text << "\" (normalized \"" << c.normalized << "\")";
}
inline std::ostream& operator<<(std::ostream& os, const Ipv6Case& c) {
  os << "\"" << c.text << "\" (groups";
  for (std::uint16_t g : c.groups) os << " " << std::hex << g << std::dec;
  return os << ")";
}

inline const std::string kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
inline const std::string kDigits = "0123456789";
inline const std::string kUsernameEdgeBytes = kLetters + kDigits + "_-'";  // no '.' at either end
inline const std::string kUsernameBytes = kUsernameEdgeBytes + ".";

inline std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

inline bool is_reserved_name(const std::string& name) {
  const std::string lower = lower_ascii(name);
  return lower == "admin" || lower == "system" || lower == "administrator" || lower == "root";
}

// Uniform over [min, max), whatever the test's size.
template <typename T>
rc::Gen<T> uniform(T min, T max) {
  return rc::gen::resize(100, rc::gen::inRange<T>(min, max));
}

inline rc::Gen<std::string> genStringOf(std::size_t length, const std::string& alphabet) {
  return rc::gen::container<std::string>(length, rc::gen::elementOf(alphabet));
}

// Upper-cases each ASCII letter with probability one half.
inline rc::Gen<std::string> genRandomCase(std::string text) {
  return rc::gen::map(rc::gen::container<std::vector<bool>>(text.size(), rc::gen::arbitrary<bool>()),
                      [text](const std::vector<bool>& upper) {
                        std::string out = text;
                        for (std::size_t i = 0; i < out.size(); ++i) {
                          if (upper[i] && out[i] >= 'a' && out[i] <= 'z') out[i] = static_cast<char>(out[i] - 'a' + 'A');
                        }
                        return out;
                      });
}

// ---------------------------------------------------------------- usernames

inline rc::Gen<std::string> genValidUsernameOfLength(std::size_t length) {
  return rc::gen::exec([length] {
    std::string name = *genStringOf(length, kUsernameBytes);
    name.front() = *rc::gen::elementOf(kUsernameEdgeBytes);
    name.back() = *rc::gen::elementOf(kUsernameEdgeBytes);
    if (is_reserved_name(name)) name.back() = '1';
    return name;
  });
}

inline rc::Gen<std::string> genRealisticUsername() {
  return rc::gen::apply(
      [](const std::string& first, const std::string& separator, const std::string& last, int number) {
        std::string name = first + separator + last;
        if (number >= 0) name += std::to_string(number);
        return name;
      },
      rc::gen::element<std::string>("john", "Jane", "o'brien", "li", "MARIA", "d'angelo", "sales", "ext"),
      rc::gen::element<std::string>("", ".", "_", "-", "'"),
      rc::gen::element<std::string>("smith", "Doe", "nguyen", "Muller", "team", "desk", "x"),
      rc::gen::weightedOneOf<int>({{2, rc::gen::just(-1)}, {1, uniform(0, 10000)}}));
}

// Valid usernames of at most max_length bytes (1 <= max_length <= 64).
inline rc::Gen<std::string> genValidUsername(std::size_t max_length = spec::kUsernameMaxLength) {
  return rc::gen::weightedOneOf<std::string>({
      {3, genRealisticUsername()},
      {4, rc::gen::mapcat(uniform<std::size_t>(1, max_length + 1), genValidUsernameOfLength)},
      {1, genValidUsernameOfLength(max_length)},
      {1, genValidUsernameOfLength(1)},
  });
}

inline rc::Gen<std::string> genReservedNameAnyCase() {
  return rc::gen::mapcat(rc::gen::element<std::string>("admin", "system", "administrator", "root"), genRandomCase);
}

inline rc::Gen<char> genByte(int min, int max) {
  return rc::gen::map(uniform(min, max), [](int b) { return static_cast<char>(b); });
}

// A byte no username may hold: non-ASCII (look-alike letters start this way), controls
// (NUL included), white space and ASCII punctuation other than _ - ' .
inline rc::Gen<char> genForbiddenUsernameByte() {
  return rc::gen::weightedOneOf<char>({
      {3, genByte(0x80, 0x100)},
      {3, rc::gen::elementOf(std::string(" @!#$%^&*()+=[]{};:\",/<>?\\|`~"))},
      {1, genByte(0x00, 0x20)},
      {1, rc::gen::just('\x7f')},
  });
}

// Any bytes, NUL and non-ASCII included, sometimes longer than every limit.
inline rc::Gen<std::string> genAnyBytes() {
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::container<std::string>(genByte(0, 0x100))},
      {1, rc::gen::mapcat(uniform<std::size_t>(0, 400),
                          [](std::size_t length) { return rc::gen::container<std::string>(length, genByte(0, 0x100)); })},
  });
}

inline rc::Gen<std::string> genUsernameInput() {
  return rc::gen::weightedOneOf<std::string>({
      {3, genValidUsername()},
      {1, genReservedNameAnyCase()},
      {1, rc::gen::mapcat(uniform<std::size_t>(0, 200),
                          [](std::size_t length) { return genStringOf(length, kUsernameBytes + " @\xC3\xA9"); })},
      {2, genAnyBytes()},
  });
}

// ---------------------------------------------------------------- host names

inline rc::Gen<std::string> genRandomLabel() {
  return rc::gen::exec([] {
    const std::string lower_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string label = *genStringOf(*uniform<std::size_t>(1, spec::kLabelMaxLength + 1), lower_alnum + "-");
    label.front() = *rc::gen::elementOf(lower_alnum);
    label.back() = *rc::gen::elementOf(lower_alnum);
    return label;
  });
}

inline rc::Gen<std::string> genLabel() {
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::element<std::string>("pbx", "sip", "example", "com", "org", "xn--bcher-kva", "voip-1", "tenant42",
                                        "eu-west-2", "a", "123", "0")},
      {2, genRandomLabel()},
  });
}

// 1..8 labels, at most 253 characters, the last label not all digits, random letter case,
// sometimes a trailing dot.
inline rc::Gen<HostNameCase> genHostName() {
  return rc::gen::exec([] {
    auto labels = *rc::gen::container<std::vector<std::string>>(*uniform<std::size_t>(1, 9), genLabel());
    std::string& last = labels.back();
    if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) last.front() = 'x';
    std::string lower;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
      const std::size_t grown = lower.size() + it->size() + (lower.empty() ? 0 : 1);
      if (grown > spec::kHostNameMaxLength) break;
      lower = lower.empty() ? *it : *it + "." + lower;
    }
    std::string text = *genRandomCase(lower);
    if (*rc::gen::arbitrary<bool>()) text += '.';
    return HostNameCase{text, lower};
  });
}

// ---------------------------------------------------------------- IPv4

inline rc::Gen<int> genOctet() {
  return rc::gen::weightedOneOf<int>({{1, rc::gen::just(0)}, {1, rc::gen::just(255)}, {4, uniform(0, 256)}});
}

inline std::string dotted_quad(int a, int b, int c, int d) {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." + std::to_string(d);
}

inline rc::Gen<std::string> genIpv4() { return rc::gen::apply(dotted_quad, genOctet(), genOctet(), genOctet(), genOctet()); }

// ---------------------------------------------------------------- IPv6

inline rc::Gen<std::uint16_t> genGroup() {
  return rc::gen::weightedOneOf<std::uint16_t>({
      {4, rc::gen::just<std::uint16_t>(0)},
      {1, rc::gen::just<std::uint16_t>(0xffff)},
      {2, uniform<std::uint16_t>(1, 16)},
      {4, uniform<std::uint16_t>(0, 0xffff)},
  });
}

// Random groups, biased to zero runs, plus the shapes that inet_ntop writes specially.
inline rc::Gen<Groups> genIpv6Groups() {
  const auto random = rc::gen::exec([] {
    Groups groups{};
    for (auto& g : groups) g = *genGroup();
    return groups;
  });
  const auto with_tail = [](std::size_t zeros, bool mapped) {
    return rc::gen::exec([zeros, mapped] {
      Groups groups{};
      if (mapped) groups[5] = 0xffff;
      for (std::size_t k = zeros; k < groups.size(); ++k) {
        if (!(mapped && k == 5)) groups[k] = *genGroup();
      }
      return groups;
    });
  };
  // Two runs of zeros of the same length: "::" must go to the leftmost.
  const auto tie = rc::gen::exec([] {
    Groups groups{};
    for (auto& g : groups) g = *uniform<std::uint16_t>(1, 0xffff);
    const std::size_t length = *rc::gen::element<std::size_t>(2, 3);
    const std::size_t first = *uniform<std::size_t>(0, 8 - 2 * length);
    const std::size_t second = *uniform<std::size_t>(first + length + 1, 8 - length + 1);
    for (std::size_t k = 0; k < length; ++k) groups[first + k] = groups[second + k] = 0;
    return groups;
  });
  return rc::gen::weightedOneOf<Groups>({
      {6, random},
      {1, tie},
      {1, with_tail(5, true)},   // ::ffff:a.b.c.d, IPv4-mapped
      {1, with_tail(6, false)},  // ::a.b.c.d and its neighbours
      {1, with_tail(4, false)},
  });
}

// The group in hex, padded with leading zeros to `width` digits.
inline std::string hex_group(std::uint16_t value, std::size_t width, bool upper) {
  const char* const digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), digits[value & 0xf]);
    value = static_cast<std::uint16_t>(value >> 4);
  } while (value != 0);
  if (out.size() < width) out.insert(0, width - out.size(), '0');
  return out;
}

// One of the address's text forms: each group with or without leading zeros and in either
// case, any one run of zero groups written as "::", the last 32 bits sometimes as a dotted
// quad, sometimes in brackets.
inline rc::Gen<Ipv6Case> genIpv6Text(rc::Gen<Groups> groups_gen = genIpv6Groups()) {
  return rc::gen::exec([groups_gen] {
    const Groups groups = *groups_gen;
    const bool dotted_tail = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    const std::size_t hex_count = dotted_tail ? 6 : 8;
    std::vector<std::string> pieces;
    for (std::size_t k = 0; k < hex_count; ++k) {
      pieces.push_back(hex_group(groups[k], *uniform<std::size_t>(1, 5), *rc::gen::weightedElement<bool>({{4, false}, {1, true}})));
    }
    if (dotted_tail) pieces.push_back(dotted_quad(groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff));

    // Every run of zero groups [first, last) among the hex groups is a candidate for "::".
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t first = 0; first < hex_count; ++first) {
      for (std::size_t last = first + 1; last <= hex_count && groups[last - 1] == 0; ++last) runs.emplace_back(first, last);
    }
    const auto join = [&pieces](std::size_t from, std::size_t to) {
      std::string out;
      for (std::size_t k = from; k < to; ++k) out += (k == from ? "" : ":") + pieces[k];
      return out;
    };
    std::string text;
    if (!runs.empty() && *rc::gen::weightedElement<bool>({{1, false}, {3, true}})) {
      const auto run = *rc::gen::elementOf(runs);
      text = join(0, run.first) + "::" + join(run.second, pieces.size());
    } else {
      text = join(0, pieces.size());
    }
    if (*rc::gen::weightedElement<bool>({{4, false}, {1, true}})) text = "[" + text + "]";
    return Ipv6Case{groups, text};
  });
}

// ---------------------------------------------------------------- mixtures

inline const std::string kAddressBytes = "0123456789abcdefABCDEFgxz:.[]-/% ";

// A valid host name, IPv4 or IPv6 text with a few bytes deleted, inserted, replaced or
// duplicated: the inputs where the forms' boundaries lie.
inline rc::Gen<std::string> genNearAddress() {
  return rc::gen::exec([] {
    std::string text = *rc::gen::weightedOneOf<std::string>({
        {3, genIpv4()},
        {4, rc::gen::map(genIpv6Text(), [](const Ipv6Case& c) { return c.text; })},
        {1, rc::gen::map(genHostName(), [](const HostNameCase& c) { return c.text; })},
    });
    const int mutations = *uniform(0, 4);
    for (int m = 0; m < mutations; ++m) {
      const int kind = *uniform(0, 4);
      const std::size_t at = *uniform<std::size_t>(0, text.size() + 1);
      if (kind == 0) {
        text.insert(at, 1, *rc::gen::elementOf(kAddressBytes));
      } else if (at == text.size()) {
        continue;
      } else if (kind == 1) {
        text.erase(at, 1);
      } else if (kind == 2) {
        text[at] = *rc::gen::elementOf(kAddressBytes);
      } else {
        const std::size_t length = *uniform<std::size_t>(1, text.size() - at + 1);
        text.insert(at, text.substr(at, length));
      }
    }
    return text;
  });
}

// A dotted quad with a '0' put before one of its octets: "01.2.3.4", "1.2.00.4".
inline rc::Gen<std::string> genIpv4WithLeadingZero() {
  return rc::gen::exec([] {
    std::string text = *genIpv4();
    const std::size_t octet = *uniform<std::size_t>(0, 4);
    std::size_t at = 0;
    for (std::size_t k = 0; k < octet; ++k) at = text.find('.', at) + 1;
    text.insert(at, 1, '0');
    return text;
  });
}

// No NUL bytes: inet_pton, the tests' oracle, reads C strings.
inline rc::Gen<std::string> genDifferentialInput() {
  return rc::gen::weightedOneOf<std::string>({
      {6, genNearAddress()},
      {2, rc::gen::map(genIpv6Text(), [](const Ipv6Case& c) { return c.text; })},
      {2, genIpv4()},
      {1, genIpv4WithLeadingZero()},
      {1, rc::gen::mapcat(uniform<std::size_t>(0, 48), [](std::size_t n) { return genStringOf(n, kAddressBytes); })},
      {1, rc::gen::apply(dotted_quad, uniform(0, 1000), uniform(0, 300), uniform(0, 300), uniform(0, 300))},
  });
}

inline rc::Gen<std::string> genDomainInput() {
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::map(genHostName(), [](const HostNameCase& c) { return c.text; })},
      {4, genDifferentialInput()},
      {1, genAnyBytes()},
  });
}

}  // namespace pbxmock::gens
