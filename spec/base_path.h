#pragma once
// The one place that knows a document's operations live below its base path ("/api"):
// the server routes full paths through it, and the contract runner's spec checks too.
#include <optional>
#include <string_view>

#include "spec/openapi.h"
#include "spec/result.h"

namespace pbxmock::spec {

// The path below `base`: "/api/info" -> "/info", "/api" -> "/", "/apix" -> nullopt. An empty
// base holds every path ("" -> "/").
std::optional<std::string_view> path_below_base(std::string_view base, std::string_view path) noexcept;

// `path` as sent (without the query), routed in `document` below its base path; a path
// outside the base path is not found.
Result<RouteMatch, RouteFailure> route_full_path(const OpenApiDocument& document, std::string_view method,
                                                 std::string_view path);

}  // namespace pbxmock::spec
