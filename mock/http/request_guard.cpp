#include "mock/http/request_guard.h"

#include <algorithm>

#include "mock/admin/admin_api.h"
#include "mock/http/admin_key.h"
#include "mock/http/cors.h"
#include "spec/ascii.h"
#include "spec/media_type.h"

namespace pbxmock::mock {
namespace {

bool is_wildcard(std::string_view host) { return host == "0.0.0.0" || host == "::" || host == "[::]" || host.empty(); }

bool host_allowed(std::string_view host, const GuardSettings& settings) {
  if (settings.any_host) return true;
  const std::string_view name = host_without_port(host);
  if (is_loopback_host(name)) return true;
  return std::any_of(settings.hosts.begin(), settings.hosts.end(),
                     [&](const std::string& allowed) { return spec::ascii::iequals(allowed, name); });
}

bool is_upload(const spec::RequestView& request) {
  const std::string_view method = request.method();
  return (method == "POST" || method == "PUT" || method == "PATCH") && !request.body().empty();
}

bool json_or_yaml(std::string_view content_type) {
  const auto media = spec::parse_media_type(content_type);
  if (!media) return false;
  static constexpr std::string_view kAccepted[] = {"application/json", "application/yaml", "text/yaml",
                                                   "application/x-yaml", "text/x-yaml"};
  return std::find(std::begin(kAccepted), std::end(kAccepted), media->type) != std::end(kAccepted) ||
         spec::media_type_matches("application/json", media->type);
}

}  // namespace

std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

GuardSettings guard_settings(std::string_view bound_host, std::string_view public_origin) {
  GuardSettings settings;
  settings.any_host = is_wildcard(bound_host);
  settings.check_api_host = is_loopback_host(bound_host);
  if (!settings.any_host) {
    settings.hosts.emplace_back(bound_host.find(':') != std::string_view::npos && bound_host.front() != '['
                                    ? "[" + std::string(bound_host) + "]"
                                    : std::string(bound_host));
  }
  if (!public_origin.empty()) {
    const std::size_t scheme = public_origin.find("://");
    const std::string_view authority = scheme == std::string_view::npos ? public_origin : public_origin.substr(scheme + 3);
    settings.hosts.emplace_back(host_without_port(authority));
  }
  return settings;
}

std::optional<spec::ApiError> guard_request(const spec::RequestView& request, const GuardSettings& settings) {
  const bool admin = is_admin_path(request.path());
  if (admin || settings.check_api_host) {
    const std::string* host = request.header("host");
    if (host && !host_allowed(*host, settings)) {
      return spec::ApiError{421,
                            "MISDIRECTED_REQUEST",
                            "this mock does not answer for that host name",
                            {{"field", "Host"},
                             {"rule", "allowedHosts"},
                             {"explanation", "use localhost, the address the mock listens on, or --public-url's host"}},
                            {}};
    }
  }
  if (!admin) return std::nullopt;
  if (const std::string* origin = request.header("origin"); origin && !admin_origin_allowed(*origin)) {
    return spec::ApiError{403,
                          "FORBIDDEN",
                          "the admin API answers pages from loopback origins only",
                          {{"field", "Origin"},
                           {"rule", "allowedOrigins"},
                           {"explanation", "serve the page from localhost, or start the mock with --cors-origin ORIGIN"}},
                          {}};
  }
  if (is_upload(request)) {
    const std::string* type = request.header("content-type");
    if (!type || !json_or_yaml(*type)) {
      return spec::ApiError{415,
                            "UNSUPPORTED_MEDIA_TYPE",
                            "admin uploads need a JSON or YAML content type",
                            {{"field", "Content-Type"},
                             {"rule", "json or yaml"},
                             {"explanation", "send Content-Type: application/json or application/yaml"}},
                            {}};
    }
  }
  return std::nullopt;
}

}  // namespace pbxmock::mock
