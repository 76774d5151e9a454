#pragma once
// The vendor's error body, for every 4xx the API answers:
//   {"errors":[{"code":"VALIDATE_FAILED","message":"field validation failed","detail":{...}}]}
// with the statuses of AUTH-API.md B1 (and 500 INTERNAL_ERROR for the mock's own failures).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

struct ApiError {
  int status = 400;
  std::string code;                  // ALL_CAPS_WITH_UNDERSCORES
  std::string message;               // short English text
  nlohmann::json detail;             // null when there is none
  std::vector<std::string> allow;    // methods, for 405 (becomes the Allow header)

  nlohmann::json body() const;
};

// 400 VALIDATE_FAILED; detail {"field": <JSON Pointer or parameter name>, "rule": ..., "limit": ...}.
ApiError validation_failed(std::string field, std::string rule, nlohmann::json limit = nullptr,
                           std::string explanation = {});
// Wrong credentials: 400 UNAUTHORIZED (the developer guide's failed login).
ApiError bad_credentials(std::string message = "Login failed, authentication error");
// Missing, unknown, expired or revoked bearer token: 401 UNAUTHORIZED.
ApiError unauthorized(std::string message = "missing or invalid bearer token");
ApiError not_found(std::string message = "not found");
ApiError method_not_allowed(std::vector<std::string> allow);
ApiError unsupported_media_type(std::string_view seen, std::string_view wanted);
ApiError payload_too_large(std::size_t limit);
// 500 INTERNAL_ERROR: a bug in the mock (or memory running out), never the client's fault.
ApiError internal_error(std::string_view what = {});

}  // namespace pbxmock::spec
