#pragma once
// What the mock answers to one request, before the HTTP transport turns it into bytes.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/api_error.h"

namespace pbxmock::mock {

struct ApiResponse {
  int status = 200;
  // The body sent is `body` serialized when it is not null, else `raw_body` when it is not
  // empty (an HTML page, a rule's text), else nothing; either way with `content_type`.
  nlohmann::json body;
  std::string raw_body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Location, Allow, Retry-After

  // The vendor's error body with its status; an `Allow` header when the error names methods.
  static ApiResponse error(const spec::ApiError& error);
  // 200 with a JSON body.
  static ApiResponse json(nlohmann::json body, int status = 200);
  // A status with no body at all (200 of sign_out, 204 of logout).
  static ApiResponse empty(int status);
  // 302 to `location`, no body.
  static ApiResponse redirect(std::string location);
  static ApiResponse html(int status, std::string page);

  bool has_body() const { return !body.is_null() || !raw_body.empty(); }
  // The bytes to send (empty when there is no body). Invalid UTF-8 in a string is replaced
  // (U+FFFD) rather than thrown about.
  std::string serialized_body() const;
  // The first header of that name (compared without regard to case), or nullptr.
  const std::string* header(std::string_view name) const;
};

}  // namespace pbxmock::mock
