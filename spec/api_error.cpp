#include "spec/api_error.h"

namespace pbxmock::spec {

nlohmann::json ApiError::body() const {
  nlohmann::json entry = {{"code", code}, {"message", message}};
  if (!detail.is_null()) entry["detail"] = detail;
  return {{"errors", nlohmann::json::array({std::move(entry)})}};
}

ApiError validation_failed(std::string field, std::string rule, nlohmann::json limit, std::string explanation) {
  nlohmann::json detail = {{"field", std::move(field)}, {"rule", std::move(rule)}};
  if (!limit.is_null()) detail["limit"] = std::move(limit);
  if (!explanation.empty()) detail["explanation"] = std::move(explanation);
  return {400, "VALIDATE_FAILED", "field validation failed", std::move(detail), {}};
}

ApiError bad_credentials(std::string message) { return {400, "UNAUTHORIZED", std::move(message), nullptr, {}}; }

ApiError unauthorized(std::string message) { return {401, "UNAUTHORIZED", std::move(message), nullptr, {}}; }

ApiError not_found(std::string message) { return {404, "NOT_FOUND", std::move(message), nullptr, {}}; }

ApiError method_not_allowed(std::vector<std::string> allow) {
  return {405, "METHOD_NOT_ALLOWED", "method not allowed", nullptr, std::move(allow)};
}

ApiError unsupported_media_type(std::string_view seen, std::string_view wanted) {
  return {415,
          "UNSUPPORTED_MEDIA_TYPE",
          "unsupported media type",
          {{"field", "Content-Type"}, {"rule", "mediaType"}, {"seen", seen}, {"limit", wanted}},
          {}};
}

ApiError payload_too_large(std::size_t limit) {
  return {413, "PAYLOAD_TOO_LARGE", "request body too large", {{"field", "body"}, {"rule", "maxBytes"}, {"limit", limit}}, {}};
}

ApiError internal_error(std::string_view what) {
  std::string message = "internal error in the mock";
  if (!what.empty()) message += ": " + std::string(what);
  return {500, "INTERNAL_ERROR", std::move(message), nullptr, {}};
}

}  // namespace pbxmock::spec
