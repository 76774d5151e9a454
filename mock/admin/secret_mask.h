#pragma once
// Hides credentials in what the request journal shows (issue 13: "passwords and tokens
// masked"). Applied when the journal is read, not when a request is recorded, so the API's
// request path pays nothing for it.
#include <string>
#include <string_view>

namespace pbxmock::mock {

inline constexpr std::string_view kMasked = "***";

// Whether a field or header of this name carries a secret: passwords, tokens, one-time
// passwords, keys, cookies and Authorization (compared without regard to case, by what the name contains).
bool is_secret_name(std::string_view name);

// A header's value as shown: kMasked for secret headers; "Bearer ***" keeps the scheme.
std::string masked_header(std::string_view name, std::string_view value);

// A body as shown: JSON with every secret field's value replaced (at any depth; a "code" of digits too), a form body
// (a=b&c=d) with its secret fields replaced, anything else as it came.
std::string masked_body(std::string_view body);

}  // namespace pbxmock::mock
