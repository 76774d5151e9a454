#pragma once
// Building the addresses the mock hands out: reset links, identity-provider URLs and the
// redirects back to a client's callback_url.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/result.h"

namespace pbxmock::mock {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding of a query name or value: everything but A-Z a-z 0-9 - . _ ~.
std::string percent_encode(std::string_view text);

// Adds `name=value` pairs (encoded) to the query of `url`: after '?' when it has no query
// yet, after '&' when it has one, and before any '#fragment' so the fragment stays last.
std::string append_query(std::string_view url, const QueryPairs& pairs);

// Whether a client-supplied callback address may be redirected to: no control characters
// or spaces, and not a scheme a browser would run as code (javascript:, data:, vbscript:).
bool is_acceptable_callback_url(std::string_view url) noexcept;

// The origin ("https://mock.example.com:9443") of a --public-url: http or https, a host
// (name, IPv4 or [IPv6]) and an optional port, nothing after but one '/'. The scheme and
// host come back in lower case. The error says what is wrong.
Result<std::string, std::string> public_url_origin(std::string_view url);

}  // namespace pbxmock::mock
