#include "mock/url.h"

#include <algorithm>
#include <optional>

#include "mock/text.h"
#include "spec/ascii.h"
#include "spec/domain.h"

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
  return !spec::ascii::iequals(scheme, "javascript") && !spec::ascii::iequals(scheme, "data") &&
         !spec::ascii::iequals(scheme, "vbscript");
}

Result<std::string, std::string> public_url_origin(std::string_view url) {
  std::string origin;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (url.size() > scheme.size() && spec::ascii::lower(url.substr(0, scheme.size())) == scheme) origin = scheme;
  }
  if (origin.empty()) return Err{std::string("must start with http:// or https://")};
  std::string_view rest = url.substr(origin.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return Err{std::string("must be an origin only: scheme, host and port, no path, query or user")};
  }
  std::string_view host = rest;
  std::optional<std::string_view> port;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return Err{std::string("has an IPv6 address without its closing ']'")};
    host = rest.substr(0, close + 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Err{std::string("has something other than :port after ']'")};
    if (!after.empty()) port = after.substr(1);
  } else if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return Err{std::string("has no host")};
  const bool bracketed = host.front() == '[';
  const auto parsed = spec::parse_domain(host);
  if (!parsed || (parsed->kind == spec::DomainKind::ipv6 && !bracketed)) {
    return Err{"host '" + std::string(host) + "' is not a host name, an IPv4 address or an [IPv6] address"};
  }
  origin += parsed->kind == spec::DomainKind::ipv6 ? "[" + parsed->normalized + "]" : parsed->normalized;
  if (port) {
    const bool digits = !port->empty() && port->size() <= 5 &&
                        std::all_of(port->begin(), port->end(), [](char c) { return spec::ascii::is_digit(c); });
    const unsigned long value = digits ? std::stoul(std::string(*port)) : 0;
    if (value == 0 || value > 65535) return Err{"port '" + std::string(*port) + "' is not a number from 1 to 65535"};
    origin += ":" + std::to_string(value);
  }
  return origin;
}

}  // namespace pbxmock::mock
