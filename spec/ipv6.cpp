// IPv6 text forms: see ipv6.h.
#include "spec/ipv6.h"

#include <algorithm>
#include <array>

#include "spec/ascii.h"
#include "spec/ipv4.h"

namespace pbxmock::spec {
namespace {

// Per byte: a digit's or lower-case hex letter's value; an upper-case hex letter's value
// plus kNotCanonical; kNotHex for every other byte. One lookup reads the digit and notes
// whether the text can still be the canonical form.
// Built when the program starts rather than by the compiler (it could be constexpr): code run
// only at compile time counts as never run in the fuzz corpora's coverage, which would hide
// whether this table's rule is exercised. The lookups cost the same either way.
constexpr unsigned kNotHex = 0x10;
constexpr unsigned kNotCanonical = 0x20;
std::array<std::uint8_t, 256> make_hex_table() noexcept {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const int value = ascii::hex_value(ch);
    const unsigned entry = value < 0 ? kNotHex : static_cast<unsigned>(value) | (ascii::is_upper(ch) ? kNotCanonical : 0);
    table[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(entry);
  }
  return table;
}
const std::array<std::uint8_t, 256> kHexValue = make_hex_table();

DomainError syntax(std::size_t position) noexcept { return DomainError{DomainRule::ipv6_syntax, position}; }

// A dotted quad inside an IPv6 address runs to the end of the text.
std::optional<DomainError> parse_ipv4_tail(std::string_view text, std::size_t start, Ipv4Octets& octets) noexcept {
  std::size_t end = start;
  while (end < text.size() && text[end] != ':') {
    if (!ascii::is_digit(text[end]) && text[end] != '.') return syntax(end);
    ++end;
  }
  if (auto error = parse_ipv4(text.substr(start, end - start), octets)) {
    error->position += start;
    return error;
  }
  if (end != text.size()) return syntax(end);
  return std::nullopt;
}

// For each set of zero groups (bit k set: group k is zero), the run that "::" replaces:
// the longest of two or more, the leftmost on a tie (glibc's inet_ntop compares with '>');
// length 0 when there is none, since a single zero group is written as "0".
struct ZeroRun {
  std::uint8_t start;
  std::uint8_t length;
};

// Built at start-up like kHexValue, for the same reason.
std::array<ZeroRun, 256> make_zero_run_table() noexcept {
  std::array<ZeroRun, 256> table{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    unsigned best_start = 0;
    unsigned best_length = 0;
    for (unsigned k = 0; k < 8;) {
      if ((mask >> k & 1u) == 0) {
        ++k;
        continue;
      }
      const unsigned start = k;
      while (k < 8 && (mask >> k & 1u) != 0) ++k;
      if (k - start > best_length) {
        best_start = start;
        best_length = k - start;
      }
    }
    if (best_length < 2) best_start = best_length = 0;
    table[mask] = ZeroRun{static_cast<std::uint8_t>(best_start), static_cast<std::uint8_t>(best_length)};
  }
  return table;
}
const std::array<ZeroRun, 256> kZeroRuns = make_zero_run_table();

// Writes the group in lower-case hex without leading zeros. It always stores four bytes
// (hence the three spare bytes in kIpv6FormatBufferSize) and returns the end of the digits,
// so the digit count costs no branch.
char* put_hex_group(unsigned value, char* out) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  const unsigned digits = 1u + (value > 0xfu) + (value > 0xffu) + (value > 0xfffu);
  const unsigned aligned = value << (4 * (4 - digits));  // the first digit in the top nibble
  out[0] = kHex[aligned >> 12 & 0xfu];
  out[1] = kHex[aligned >> 8 & 0xfu];
  out[2] = kHex[aligned >> 4 & 0xfu];
  out[3] = kHex[aligned & 0xfu];
  return out + digits;
}

// Moves the groups read after the "::" at `gap` to the end and zeroes the ones it stands for,
// in place: copying the array whole right after its two-byte stores would stall on store
// forwarding.
void expand(Ipv6Groups& groups, std::size_t count, std::size_t gap) noexcept {
  const std::size_t tail = count - gap;
  for (std::size_t k = tail; k-- > 0;) groups[8 - tail + k] = groups[gap + k];
  for (std::size_t k = gap; k < 8 - tail; ++k) groups[k] = 0;
}

// Whether inet_ntop writes the last 32 bits as a dotted quad: ::ffff:a.b.c.d (IPv4-mapped),
// or ::a.b.c.d when the run of zeros is exactly the first six groups.
bool dotted_tail(const ZeroRun& run, const Ipv6Groups& groups) noexcept {
  return run.start == 0 && (run.length == 6 || (run.length == 5 && groups[5] == 0xffff));
}

// Bit k set: group k is zero, given the zero bits of the `count` groups as read and a "::"
// at `gap` (when compressed) standing for the missing ones.
unsigned expanded_zero_mask(unsigned read_zeros, std::size_t count, std::size_t gap, bool compressed) noexcept {
  if (!compressed) return read_zeros;
  const std::size_t missing = 8 - count;
  const unsigned head = read_zeros & ((1u << gap) - 1);
  const unsigned tail = read_zeros >> gap;
  return head | (((1u << missing) - 1) << gap) | (tail << (gap + missing));
}

}  // namespace

std::optional<DomainError> parse_ipv6(std::string_view text, Ipv6Groups& groups) noexcept {
  bool canonical = false;
  return parse_ipv6(text, groups, canonical);
}

std::optional<DomainError> parse_ipv6(std::string_view text, Ipv6Groups& groups, bool& canonical) noexcept {
  std::size_t count = 0;
  std::size_t gap = 0;  // index in `groups` where "::" stands
  bool compressed = false;
  unsigned marks = 0;       // kNotCanonical once an upper-case digit or a leading zero is seen
  unsigned read_zeros = 0;  // bit k: the k-th group read is zero
  bool has_dotted_tail = false;
  std::size_t i = 0;
  const std::size_t n = text.size();

  if (n != 0 && text[0] == ':') {
    if (n < 2 || text[1] != ':') return syntax(0);
    compressed = true;
    i = 2;
  }
  while (i < n) {
    const std::size_t start = i;
    // "::" must stand for at least one group, so it leaves room for seven at most.
    const std::size_t room = (compressed ? 7 : 8) - count;
    unsigned value = 0;
    // Up to five digits are read, so that a fifth one is an error at the group.
    const std::size_t bound = std::min(n, start + 5);
    for (unsigned entry; i < bound && ((entry = kHexValue[ascii::byte(text[i])]) & kNotHex) == 0; ++i) {
      value = value << 4 | (entry & 0xfu);
      marks |= entry;
    }
    if (i < n && text[i] == '.') {
      if (room < 2) return syntax(start);
      Ipv4Octets octets{};
      if (auto error = parse_ipv4_tail(text, start, octets)) return error;
      groups[count] = static_cast<std::uint16_t>(octets[0] << 8 | octets[1]);
      groups[count + 1] = static_cast<std::uint16_t>(octets[2] << 8 | octets[3]);
      read_zeros |= static_cast<unsigned>(groups[count] == 0) << count | static_cast<unsigned>(groups[count + 1] == 0) << (count + 1);
      count += 2;
      has_dotted_tail = true;
      i = n;
      break;
    }
    const std::size_t digits = i - start;
    if (digits == 0 || digits > 4 || room == 0) return syntax(start);
    if (digits > 1 && text[start] == '0') marks |= kNotCanonical;
    read_zeros |= static_cast<unsigned>(value == 0) << count;
    groups[count++] = static_cast<std::uint16_t>(value);
    if (i == n) break;
    if (text[i] != ':') return syntax(i);
    if (i + 1 < n && text[i + 1] == ':') {
      if (compressed || count == 8) return syntax(i);
      compressed = true;
      gap = count;
      i += 2;
    } else {
      ++i;
      if (i == n) return syntax(i - 1);
    }
    // After "::" the next group starts here; ":::" fails as a group of no digits.
  }
  if (!compressed && count < 8) return syntax(n);
  if (compressed) expand(groups, count, gap);

  // The text is already what format_ipv6 would write if its digits are, its "::" (if any)
  // stands for exactly the run format_ipv6 compresses, and its tail is dotted exactly when
  // format_ipv6 would dot it.
  const ZeroRun run = kZeroRuns[expanded_zero_mask(read_zeros, count, gap, compressed)];
  const bool same_run = compressed ? run.start == gap && run.length == 8 - count : run.length == 0;
  canonical = (marks & kNotCanonical) == 0 && same_run && has_dotted_tail == dotted_tail(run, groups);
  return std::nullopt;
}

char* format_ipv6(const Ipv6Groups& groups, char* out) noexcept {
  unsigned zero_mask = 0;
  for (std::size_t k = 0; k < groups.size(); ++k) zero_mask |= static_cast<unsigned>(groups[k] == 0) << k;
  const ZeroRun run = kZeroRuns[zero_mask];
  const std::size_t run_end = run.start + run.length;

  const bool ipv4_tail = dotted_tail(run, groups);
  const std::size_t hex_end = ipv4_tail ? 6 : 8;
  const auto put_groups = [&groups, &out](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      if (k != from) *out++ = ':';
      out = put_hex_group(groups[k], out);
    }
  };
  if (run.length == 0) {
    put_groups(0, hex_end);
  } else {
    put_groups(0, run.start);
    *out++ = ':';
    *out++ = ':';
    put_groups(run_end, hex_end);
  }
  if (ipv4_tail) {
    if (run_end != hex_end) *out++ = ':';  // after "::ffff", not right after "::"
    const Ipv4Octets octets{static_cast<std::uint8_t>(groups[6] >> 8), static_cast<std::uint8_t>(groups[6] & 0xff),
                            static_cast<std::uint8_t>(groups[7] >> 8), static_cast<std::uint8_t>(groups[7] & 0xff)};
    out = format_ipv4(octets, out);
  }
  return out;
}

}  // namespace pbxmock::spec
