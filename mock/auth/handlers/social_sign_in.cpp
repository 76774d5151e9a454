// POST /auth/sign_in/{provider} (signInWithSocialAccount): AUTH-API.md A #3, B7.
#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {

ApiResponse sign_in_with_social_account(HandlerContext& context, const spec::ParsedRequest& request) {
  const auto provider = request.path_params.find("provider");
  if (provider == request.path_params.end() || provider->second != "microsoft") {
    return ApiResponse::error(spec::validation_failed("provider", "enum", nlohmann::json::array({"microsoft"}),
                                                      "microsoft is the only identity provider"));
  }
  auto domain = required_body_string(request, "domain");
  if (!domain) return ApiResponse::error(domain.error());
  auto callback_url = required_body_string(request, "callback_url");
  if (!callback_url) return ApiResponse::error(callback_url.error());
  if (auto invalid = check_callback_url(*callback_url, body_field("callback_url"))) return ApiResponse::error(*invalid);
  auto normalized = normalized_domain(*domain, body_field("domain"));
  if (!normalized) return ApiResponse::error(normalized.error());
  auto tenant = microsoft_tenant(context, *normalized, body_field("domain"));
  if (!tenant) return ApiResponse::error(tenant.error());
  return ApiResponse::json({{"url", identity_provider_url(context, request, **tenant, *callback_url)}});
}

}  // namespace pbxmock::mock::handlers
