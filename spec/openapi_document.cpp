#include <cstdio>
#include <cstdlib>

#include "spec/openapi.h"
#include "spec/openapi_state.h"
#include "spec/ref_resolver.h"

namespace pbxmock::spec {

const Response* Operation::find_response(int status) const {
  const std::string exact = std::to_string(status);
  for (const auto& r : responses)
    if (r.status == exact) return &r;
  if (status >= 100 && status <= 599) {
    const char digit = static_cast<char>('0' + status / 100);
    for (const auto& r : responses) {
      // "4XX"; the lower-case form is not in the standard but is written often enough.
      if (r.status.size() == 3 && r.status[0] == digit && (r.status[1] == 'X' || r.status[1] == 'x') &&
          (r.status[2] == 'X' || r.status[2] == 'x')) {
        return &r;
      }
    }
  }
  for (const auto& r : responses)
    if (r.status == "default") return &r;
  return nullptr;
}

OpenApiDocument::OpenApiDocument(std::unique_ptr<State> state) : state_(std::move(state)) {}
OpenApiDocument::OpenApiDocument(OpenApiDocument&&) noexcept = default;
OpenApiDocument& OpenApiDocument::operator=(OpenApiDocument&&) noexcept = default;
OpenApiDocument::~OpenApiDocument() = default;

const nlohmann::json& OpenApiDocument::root() const { return state_->doc.root(); }
const std::string& OpenApiDocument::file() const { return state_->doc.file(); }
const std::string& OpenApiDocument::base_path() const { return state_->base_path; }
const std::vector<Operation>& OpenApiDocument::operations() const { return state_->operations; }

const Operation* OpenApiDocument::find_operation(std::string_view operation_id) const {
  const auto it = state_->by_id.find(std::string(operation_id));
  return it == state_->by_id.end() ? nullptr : &state_->operations[it->second];
}

const nlohmann::json* OpenApiDocument::resolve_ref(std::string_view ref) const {
  return resolve_local_ref(state_->doc.root(), ref);
}

Result<RouteMatch, RouteFailure> OpenApiDocument::route(std::string_view method, std::string_view path) const {
  auto routed = state_->router.route(method, path);
  if (!routed) {
    auto& miss = routed.error();
    return Err{RouteFailure{miss.method_not_allowed ? RouteMiss::method_not_allowed : RouteMiss::not_found,
                            std::move(miss.allowed_methods)}};
  }
  auto& hit = routed.value();
  return RouteMatch{&state_->operations[hit.operation], std::move(hit.path_params)};
}

SourcePosition OpenApiDocument::position_of(std::string_view pointer) const { return state_->doc.position_of(pointer); }

}  // namespace pbxmock::spec
