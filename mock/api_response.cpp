#include "mock/api_response.h"

#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {

ApiResponse ApiResponse::error(const spec::ApiError& error) {
  ApiResponse response;
  response.status = error.status;
  response.body = error.body();
  if (!error.allow.empty()) {
    std::string allow;
    for (const auto& method : error.allow) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    response.headers.emplace_back("Allow", std::move(allow));
  }
  return response;
}

ApiResponse ApiResponse::json(nlohmann::json body, int status) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

ApiResponse ApiResponse::empty(int status) {
  ApiResponse response;
  response.status = status;
  return response;
}

ApiResponse ApiResponse::redirect(std::string location) {
  ApiResponse response;
  response.status = 302;
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

ApiResponse ApiResponse::html(int status, std::string page) {
  ApiResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.raw_body = std::move(page);
  return response;
}

std::string ApiResponse::serialized_body() const {
  if (body.is_null()) return raw_body;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const std::string* ApiResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (spec::ascii::iequals(key, name)) return &value;
  return nullptr;
}

}  // namespace pbxmock::mock
