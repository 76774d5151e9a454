// GET /info (retrieveMetadata): AUTH-API.md A #1, B9. The Metadata schema is the system
// fields, plus the tenant fields when a domain is asked for.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {
namespace {

nlohmann::json system_json(const SystemMetadata& system) {
  return {{"web_domain", system.web_domain},
          {"private_ipv4", system.private_ipv4},
          {"public_ipv4", system.public_ipv4},
          {"enable_ipv6", system.enable_ipv6},
          {"private_ipv6", system.private_ipv6},
          {"public_ipv6", system.public_ipv6},
          {"primary_dns_server", system.primary_dns_server},
          {"secondary_dns_server", system.secondary_dns_server}};
}

void add_tenant(nlohmann::json& out, const Tenant& tenant) {
  out["name"] = tenant.name;
  out["domain"] = tenant.domain;
  out["website"] = tenant.website;
  out["avatar_url"] = tenant.avatar_url;
  out["enable_ms365_integration"] = tenant.enable_ms365_integration;
  if (tenant.ms365_authorization_endpoint) out["ms365_authorization_endpoint"] = *tenant.ms365_authorization_endpoint;
}

}  // namespace

ApiResponse retrieve_metadata(HandlerContext& context, const spec::ParsedRequest& request) {
  nlohmann::json out = system_json(context.scenario.system);
  const auto domain = query_string(request, "domain");
  if (!domain) return ApiResponse::json(std::move(out));
  auto normalized = normalized_domain(*domain, query_field("domain"));
  if (!normalized) return ApiResponse::error(normalized.error());
  const Tenant* tenant = context.scenario.find_tenant(*normalized);
  if (tenant == nullptr) {
    auto error = spec::not_found("no tenant with this domain");
    error.detail = {{"domain", *normalized}};
    return ApiResponse::error(error);
  }
  add_tenant(out, *tenant);
  return ApiResponse::json(std::move(out));
}

}  // namespace pbxmock::mock::handlers
