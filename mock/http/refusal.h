#pragma once
// The bytes of an answer the connection loop sends itself, before any handler saw the
// request (a limit passed, bad framing, a deadline): the vendor's error body with
// `Connection: close`, since the connection ends after it.
#include <string>

#include "spec/api_error.h"

namespace pbxmock::mock {

std::string refusal_bytes(const spec::ApiError& error);

}  // namespace pbxmock::mock
