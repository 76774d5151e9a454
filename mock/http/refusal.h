#pragma once
// The bytes of an answer the connection loop sends itself, before any handler saw the
// request (a limit passed, bad framing, a deadline): the vendor's error body with
// `Connection: close`, since the connection ends after it. The answer to a HEAD request has
// the head only (RFC 9110 9.3.2): a client reads no body after it.
#include <string>
#include <string_view>

#include "spec/api_error.h"

namespace pbxmock::mock {

// `method`: of the refused request, as far as it was read ("" when not).
std::string refusal_bytes(const spec::ApiError& error, std::string_view method = {});

}  // namespace pbxmock::mock
