#include "mock/auth/handlers/request_fields.h"

#include "mock/auth/token_generator.h"
#include "mock/url.h"
#include "spec/ascii.h"
#include "spec/domain.h"
#include "spec/username.h"

namespace pbxmock::mock::handlers {

spec::ApiError invalid_field(const FieldRef& field, std::string rule, nlohmann::json limit, std::string explanation) {
  auto error = spec::validation_failed(field.name, std::move(rule), std::move(limit), std::move(explanation));
  if (field.in == "body") error.detail["pointer"] = "/" + field.name;
  error.detail["in"] = field.in;
  return error;
}

std::optional<std::string> body_string(const spec::ParsedRequest& request, std::string_view name) {
  if (!request.body.is_object()) return std::nullopt;
  const auto it = request.body.find(std::string(name));
  if (it == request.body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<std::string, spec::ApiError> required_body_string(const spec::ParsedRequest& request, std::string_view name) {
  if (auto value = body_string(request, name)) return std::move(*value);
  return Err{invalid_field(body_field(std::string(name)), "required", std::string(name))};
}

std::optional<std::string> query_string(const spec::ParsedRequest& request, std::string_view name) {
  if (request.params.is_object()) {
    const auto it = request.params.find(std::string(name));
    if (it != request.params.end() && it->is_string()) return it->get<std::string>();
  }
  for (const auto& [key, value] : request.query)
    if (key == name) return value;
  return std::nullopt;
}

Result<std::string, spec::ApiError> normalized_domain(std::string_view text, const FieldRef& field) {
  auto parsed = spec::parse_domain(text);
  if (!parsed) {
    auto error = invalid_field(field, std::string(spec::to_string(parsed.error().rule)));
    error.detail["position"] = parsed.error().position;
    return Err{std::move(error)};
  }
  return std::move(parsed.value().normalized);
}

std::optional<spec::ApiError> check_username(std::string_view username, bool with_domain, const FieldRef& field) {
  const auto parsed =
      spec::parse_username(username, with_domain ? spec::ReservedNames::reject : spec::ReservedNames::allow);
  if (parsed) return std::nullopt;
  if (parsed.error().rule == spec::UsernameRule::reserved) {
    return invalid_field(field, "reserved", nullptr,
                                   "admin, system, administrator and root belong to the system administrator, "
                         "who signs in without a domain");
  }
  auto error = invalid_field(field, std::string(spec::to_string(parsed.error().rule)));
  error.detail["position"] = parsed.error().position;
  return error;
}

std::optional<spec::ApiError> check_callback_url(std::string_view url, const FieldRef& field) {
  if (is_acceptable_callback_url(url)) return std::nullopt;
  return invalid_field(field, "callback_url", nullptr,
                       "no spaces or control characters, and no javascript:, data: or vbscript: address");
}

Result<AccessGrant, spec::ApiError> require_bearer(HandlerContext& context, const spec::ParsedRequest& request) {
  if (!request.bearer_token || request.bearer_token->empty()) return Err{spec::unauthorized("missing bearer token")};
  if (auto grant = context.state.authenticate(*request.bearer_token)) return std::move(*grant);
  return Err{spec::unauthorized("invalid, expired or revoked access token")};
}

ApiResponse sign_in_response(const SignInResult& result) {
  switch (result.kind) {
    case SignInResult::Kind::tokens:
      return ApiResponse::json(result.tokens.to_json());
    case SignInResult::Kind::two_factor:
      return ApiResponse::json({{"two_factor_enabled", true}, {"token", result.challenge_token}});
    case SignInResult::Kind::rejected:
      break;
  }
  return ApiResponse::error(spec::bad_credentials());
}

namespace {

// The Host header when it looks like a host[:port] (anything else is not echoed into URLs).
std::optional<std::string> plausible_host(const spec::ParsedRequest& request) {
  const std::string* host = request.header("host");
  if (host == nullptr || host->empty() || host->size() > 300) return std::nullopt;
  for (char c : *host) {
    if (!spec::ascii::is_alnum(c) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') return std::nullopt;
  }
  return *host;
}

}  // namespace

std::string identity_provider_url(const HandlerContext& context, const spec::ParsedRequest& request,
                                  const Tenant& tenant, std::string_view callback_url) {
  std::string base = context.scenario.identity_provider.sign_in_url;
  if (!base.empty() && base.front() == '/') {
    base = context.public_origin.resolve(plausible_host(request)) + base;
  }
  return append_query(base, {{"tenant", tenant.domain},
                             {"callback_url", std::string(callback_url)},
                             {"state", random_string(16, kTokenAlphabet)}});
}

Result<const Tenant*, spec::ApiError> microsoft_tenant(const HandlerContext& context, const std::string& domain,
                                                       const FieldRef& field) {
  const Tenant* tenant = context.scenario.find_tenant(domain);
  if (tenant == nullptr) return Err{invalid_field(field, "unknown_tenant", nullptr, "no tenant with this domain")};
  if (!tenant->enable_ms365_integration) {
    return Err{invalid_field(field, "ms365_integration_disabled", nullptr,
                             "this tenant does not allow Microsoft 365 sign-in")};
  }
  return tenant;
}

}  // namespace pbxmock::mock::handlers
