#include "spec/base_path.h"

namespace pbxmock::spec {

std::optional<std::string_view> path_below_base(std::string_view base, std::string_view path) noexcept {
  if (path.substr(0, base.size()) != base) return std::nullopt;
  if (path.size() == base.size()) return std::string_view("/");
  if (!base.empty() && path[base.size()] != '/') return std::nullopt;
  return path.substr(base.size());
}

Result<RouteMatch, RouteFailure> route_full_path(const OpenApiDocument& document, std::string_view method,
                                                 std::string_view path) {
  const auto relative = path_below_base(document.base_path(), path);
  if (!relative) return Err{RouteFailure{}};
  return document.route(method, *relative);
}

}  // namespace pbxmock::spec
