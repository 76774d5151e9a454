// POST /login/oauth/token (requestOAuthToken): the developer guide's token endpoint,
// AUTH-API.md A "The developer guide's token endpoint" and B11. Not in the vendor's OpenAPI
// document. Both grants go through the same handlers as auth/sign_in and auth/refresh_token,
// so a token from either path is one pool, with the same rules and two-factor challenge.
#include <algorithm>
#include <vector>

#include "mock/auth/handlers/handlers.h"
#include "mock/auth/handlers/request_fields.h"

namespace pbxmock::mock::handlers {
namespace {

// The guide's tables spell the field `clicent_id`, its introduction `client_id`: a client
// written from either page must work, so both are read, and every one given must be known.
constexpr std::string_view kClientIdFields[] = {"client_id", "clicent_id"};
const std::vector<std::string_view> kPasswordGrantFields = {"username", "password"};
const std::vector<std::string_view> kRefreshGrantFields = {"refresh_token"};

spec::ApiError body_field_error(std::string_view name, std::string rule, nlohmann::json limit = nullptr,
                                std::string explanation = {}) {
  return invalid_field(body_field(std::string(name)), std::move(rule), std::move(limit), std::move(explanation));
}

bool is_known_client(const Scenario& scenario, const std::string& client_id) {
  if (client_id == kGuideClientId) return true;
  const auto& extra = scenario.oauth.client_ids;
  return std::find(extra.begin(), extra.end(), client_id) != extra.end();
}

std::optional<spec::ApiError> check_client(const Scenario& scenario, const spec::ParsedRequest& request) {
  bool given = false;
  for (std::string_view field : kClientIdFields) {
    const auto value = body_string(request, field);
    if (!value) continue;
    given = true;
    if (!is_known_client(scenario, *value)) {
      // An unknown client is refused like wrong credentials (B11), still naming the field.
      auto error = spec::bad_credentials("unknown client id");
      error.detail = body_field_error(field, "knownClient").detail;
      return error;
    }
  }
  if (!given) return body_field_error("client_id", "required", nullptr, "the client id, as client_id or clicent_id");
  return std::nullopt;
}

}  // namespace

ApiResponse request_oauth_token(HandlerContext& context, const spec::ParsedRequest& request) {
  // The spec's form schema already checked grant_type and scope against their enums; these
  // repeat the checks so the handler is right whatever it is handed.
  const auto grant_type = body_string(request, "grant_type");
  if (!grant_type) return ApiResponse::error(body_field_error("grant_type", "required"));
  if (*grant_type != "password" && *grant_type != "refresh_token") {
    return ApiResponse::error(body_field_error("grant_type", "enum", nlohmann::json::array({"password", "refresh_token"})));
  }
  if (const auto scope = body_string(request, "scope"); scope && *scope != "all") {
    return ApiResponse::error(body_field_error("scope", "enum", nlohmann::json::array({"all"})));
  }
  if (auto refused = check_client(context.scenario, request)) return ApiResponse::error(*refused);
  // Which fields are required depends on the grant, so they are checked here, not by the schema.
  const bool password_grant = *grant_type == "password";
  for (std::string_view name : password_grant ? kPasswordGrantFields : kRefreshGrantFields) {
    if (!body_string(request, name)) {
      return ApiResponse::error(body_field_error(name, "required", nullptr, "needed by grant_type=" + *grant_type));
    }
  }
  return password_grant ? sign_in_with_credentials(context, request) : refresh_token(context, request);
}

}  // namespace pbxmock::mock::handlers
