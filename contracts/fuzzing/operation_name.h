#pragma once
// The one name of an operation wherever the fuzzer matches or prints one (--operation, the
// flows' filter, cases, the report, progress lines): its operationId, or "METHOD /path" (the
// path template as the document writes it, without the base path) when it has none.
#include <string>
#include <string_view>

#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {

std::string operation_name(const spec::Operation& operation);

// The operation `text` names: an operationId, or "METHOD /path" with the method in any case and
// the path with or without the document's base path ("POST /auth/sign_in", "post
// /api/auth/sign_in"). nullptr when none.
const spec::Operation* find_operation_named(const spec::OpenApiDocument& document, std::string_view text);

}  // namespace pbxmock::contracts::fuzzing
