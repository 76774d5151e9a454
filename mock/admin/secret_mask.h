#pragma once
// Hides credentials in what the request journal shows (issue 13: "passwords and tokens
// masked"; issue 18: in query strings, redirects and every header that carries one too).
// Applied when the journal is read, not when a request is recorded, so the API's request
// path pays nothing for it. Nothing here recurses deeper than the request's own depth limit:
// a body nested deeper is masked as text, without being parsed (issue 18, finding 1).
#include <string>
#include <string_view>

namespace pbxmock::mock {

inline constexpr std::string_view kMasked = "***";

// Whether a field or header of this name carries a secret: passwords, tokens, one-time
// passwords, keys, signatures, session ids, cookies and Authorization (compared without
// regard to case, by what the name contains).
bool is_secret_name(std::string_view name);

// The same for a query or form field, where "code" (an OAuth authorization code or a one-time
// code), "pin" and "pwd" are secrets whatever their value.
bool is_secret_field(std::string_view name);

// A header's value as shown: "Bearer ***" keeps the scheme; a cookie keeps its names
// ("a=***; b=***") and Set-Cookie its attributes; Location, Content-Location and Referer
// keep the address with the secrets of its query and fragment masked; other secret headers
// read kMasked.
std::string masked_header(std::string_view name, std::string_view value);

// a=b&c=d with the values of secret fields replaced (names compared percent-decoded), the
// rest as sent.
std::string masked_query(std::string_view query);

// A URL or path with the secrets in its query and its fragment (implicit-flow tokens) masked.
std::string masked_url(std::string_view url);

// A body as shown: JSON (within the request's depth limit) printed compactly with every secret
// field's value replaced at any depth (a "code" of digits too, and the secrets of URLs in
// string values); a form body with its secret fields replaced; any other text with the
// values after "secret-name": replaced, as far as they can be told without parsing.
std::string masked_body(std::string_view body);

}  // namespace pbxmock::mock
