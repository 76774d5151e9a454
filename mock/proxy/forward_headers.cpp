#include "mock/proxy/forward_headers.h"

#include <algorithm>
#include <string>

#include "spec/ascii.h"

namespace pbxmock::mock::proxy {
namespace {

using spec::ascii::iequals;

bool hop_by_hop(std::string_view name) {
  for (std::string_view hop : {"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
                               "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                               "Content-Length"}) {
    if (iequals(name, hop)) return true;
  }
  return false;
}

// The header names a Connection header lists ("Connection: close, X-Foo").
std::vector<std::string> named_by_connection(const spec::NameValuePairs& headers) {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (!iequals(name, "Connection")) continue;
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string token = value.substr(start, comma - start);
      const auto first = token.find_first_not_of(" \t");
      const auto last = token.find_last_not_of(" \t");
      if (first != std::string::npos) out.push_back(token.substr(first, last - first + 1));
      start = comma + 1;
    }
  }
  return out;
}

spec::NameValuePairs without(const spec::NameValuePairs& headers, std::initializer_list<std::string_view> also) {
  const std::vector<std::string> named = named_by_connection(headers);
  spec::NameValuePairs out;
  out.reserve(headers.size());
  for (const auto& header : headers) {
    const std::string& name = header.first;
    if (hop_by_hop(name)) continue;
    if (std::any_of(also.begin(), also.end(), [&](std::string_view n) { return iequals(name, n); })) continue;
    if (std::any_of(named.begin(), named.end(), [&](const std::string& n) { return iequals(name, n); })) continue;
    out.push_back(header);
  }
  return out;
}

}  // namespace

spec::NameValuePairs headers_for_upstream(const spec::NameValuePairs& sent) {
  return without(sent, {"Host", "Accept-Encoding", "Expect"});
}

spec::NameValuePairs headers_for_client(const spec::NameValuePairs& answered) {
  return without(answered, {});
}

}  // namespace pbxmock::mock::proxy
