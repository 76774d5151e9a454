#include "mock/url.h"

#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (spec::ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      const auto byte = spec::ascii::byte(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string append_query(std::string_view url, const QueryPairs& pairs) {
  const std::size_t hash = url.find('#');
  const std::string_view base = url.substr(0, hash);
  const std::string_view fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash);
  std::string out(base);
  const std::size_t question = base.find('?');
  bool needs_separator = question != std::string_view::npos && question + 1 != base.size() && base.back() != '&';
  if (question == std::string_view::npos) out += '?';
  for (const auto& [name, value] : pairs) {
    if (needs_separator) out += '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
    needs_separator = true;
  }
  out.append(fragment);
  return out;
}

bool is_acceptable_callback_url(std::string_view url) noexcept {
  if (url.empty()) return false;
  for (char c : url)
    if (spec::ascii::byte(c) <= 0x20 || c == 0x7F) return false;
  const std::size_t colon = url.find(':');
  if (colon == std::string_view::npos) return true;  // a relative address
  const std::string_view scheme = url.substr(0, colon);
  return !equals_ignoring_case(scheme, "javascript") && !equals_ignoring_case(scheme, "data") &&
         !equals_ignoring_case(scheme, "vbscript");
}

}  // namespace pbxmock::mock
