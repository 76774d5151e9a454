#include "mock/http/cors.h"

#include <algorithm>
#include <string>

#include "mock/admin/admin_api.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

// Methods the API and the admin API answer; a preflight that names none asks about these.
constexpr const char* kMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kAlwaysAllowedHeaders = "Authorization, Content-Type, X-Admin-Key";

CorsPolicy& policy_storage() {
  static CorsPolicy policy;
  return policy;
}

// Printable ASCII only: nothing that could end a header line or smuggle another.
bool printable(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A header list a preflight asks for: tokens separated by commas and spaces.
bool is_header_list(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return spec::ascii::is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ',' || c == ' ';
  });
}

// The origin a page at `origin` may be given, or nothing.
const std::string* allowed_origin(const spec::RequestView& request) {
  const std::string* origin = request.header("origin");
  if (!origin || origin->empty() || !printable(*origin)) return nullptr;
  if (is_admin_path(request.path()) && !admin_origin_allowed(*origin)) return nullptr;
  return origin;
}

}  // namespace

void set_cors_policy(CorsPolicy policy) { policy_storage() = std::move(policy); }

const CorsPolicy& cors_policy() { return policy_storage(); }

bool is_loopback_origin(std::string_view origin) {
  std::string_view rest;
  if (origin.substr(0, 7) == "http://") rest = origin.substr(7);
  else if (origin.substr(0, 8) == "https://") rest = origin.substr(8);
  else return false;
  for (std::string_view host : {"localhost", "127.0.0.1", "[::1]"}) {
    if (rest.substr(0, host.size()) != host) continue;
    const std::string_view port = rest.substr(host.size());
    if (port.empty()) return true;
    return port.size() >= 2 && port.size() <= 6 && port[0] == ':' &&
           std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return false;
}

bool admin_origin_allowed(std::string_view origin) {
  const auto& extra = cors_policy().admin_origins;
  return is_loopback_origin(origin) || std::find(extra.begin(), extra.end(), origin) != extra.end();
}

void add_cors_headers(const spec::RequestView& request, Reply& reply) {
  if (reply.has_header("Access-Control-Allow-Origin") || reply.has_header("Vary")) return;  // done already
  auto& headers = reply.headers;
  const std::string* origin = request.header("origin");
  if (origin && !origin->empty()) {
    headers.emplace_back("Vary", "Origin");
    const std::string* allowed = allowed_origin(request);
    if (!allowed) return;
    headers.emplace_back("Access-Control-Allow-Origin", *allowed);
    if (cors_policy().credentials) headers.emplace_back("Access-Control-Allow-Credentials", "true");
  } else {
    headers.emplace_back("Access-Control-Allow-Origin", "*");
  }
  headers.emplace_back("Access-Control-Expose-Headers", "Location, Allow, Retry-After");
}

Reply answer_preflight(const spec::RequestView& request) {
  Reply reply;
  reply.status = 204;
  add_cors_headers(request, reply);
  reply.headers.emplace_back("Allow", kMethods);
  if (!reply.has_header("Access-Control-Allow-Origin")) return reply;  // an origin that may not: nothing allowed
  reply.headers.emplace_back("Access-Control-Allow-Methods", kMethods);
  std::string allowed = kAlwaysAllowedHeaders;
  if (const std::string* asked = request.header("access-control-request-headers");
      asked && !asked->empty() && is_header_list(*asked)) {
    allowed += ", ";
    allowed += *asked;
  }
  reply.headers.emplace_back("Access-Control-Allow-Headers", std::move(allowed));
  reply.headers.emplace_back("Access-Control-Max-Age", "600");
  return reply;
}

}  // namespace pbxmock::mock
