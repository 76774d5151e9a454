#include "mock/http/cors.h"

#include <string>

namespace pbxmock::mock {
namespace {

// Methods the API and the admin API answer; a preflight that names none asks about these.
constexpr const char* kMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kAlwaysAllowedHeaders = "Authorization, Content-Type, X-Admin-Key";

const std::string* header(const httplib::Request& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? nullptr : &it->second;
}

}  // namespace

void add_cors_headers(const httplib::Request& request, httplib::Response& response) {
  if (response.has_header("Access-Control-Allow-Origin")) return;  // already there (a preflight)
  if (const std::string* origin = header(request, "Origin"); origin && !origin->empty()) {
    response.headers.emplace("Access-Control-Allow-Origin", *origin);
    response.headers.emplace("Access-Control-Allow-Credentials", "true");
    response.headers.emplace("Vary", "Origin");
  } else {
    response.headers.emplace("Access-Control-Allow-Origin", "*");
  }
  response.headers.emplace("Access-Control-Expose-Headers", "Location, Allow, Retry-After");
}

void answer_preflight(const httplib::Request& request, httplib::Response& response) {
  response.status = 204;
  add_cors_headers(request, response);
  const std::string* method = header(request, "Access-Control-Request-Method");
  response.headers.emplace("Access-Control-Allow-Methods", method && !method->empty() ? *method : kMethods);
  std::string allowed = kAlwaysAllowedHeaders;
  if (const std::string* asked = header(request, "Access-Control-Request-Headers"); asked && !asked->empty()) {
    allowed += ", ";
    allowed += *asked;
  }
  response.headers.emplace("Access-Control-Allow-Headers", std::move(allowed));
  response.headers.emplace("Access-Control-Max-Age", "600");
  response.headers.emplace("Allow", kMethods);
}

}  // namespace pbxmock::mock
