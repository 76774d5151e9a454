#pragma once
// Reading the fields handlers need from a parsed request. The request parser has checked
// shapes already; these still answer a clean 400 (never an exception) if a field is missing
// or of the wrong type, so a handler is safe whatever it is given.
#include <optional>
#include <string>
#include <string_view>

#include "mock/auth/auth_state.h"
#include "mock/auth/handlers/handlers.h"
#include "spec/api_error.h"
#include "spec/parsed_request.h"
#include "spec/result.h"

namespace pbxmock::mock::handlers {

// A field a handler checks, named as the client wrote it (AUTH-API.md B13): errors about it
// carry `field` = name, `in`, and `pointer` ("/name") when it is in the body.
struct FieldRef {
  std::string name;
  std::string_view in;  // "body" (JSON or form) or "query"
};
inline FieldRef body_field(std::string name) { return {std::move(name), "body"}; }
inline FieldRef query_field(std::string name) { return {std::move(name), "query"}; }

// 400 VALIDATE_FAILED about `field` in the one detail shape the request parser uses too.
spec::ApiError invalid_field(const FieldRef& field, std::string rule, nlohmann::json limit = nullptr,
                             std::string explanation = {});

// A string member of the JSON (or form) body; nullopt when absent, null or not a string.
std::optional<std::string> body_string(const spec::ParsedRequest& request, std::string_view name);
// The same, required: 400 VALIDATE_FAILED {field: "name", pointer: "/name", rule: "required"}
// when absent.
Result<std::string, spec::ApiError> required_body_string(const spec::ParsedRequest& request, std::string_view name);
// A query parameter: the typed value in `params` when it is a string, else the first raw one.
std::optional<std::string> query_string(const spec::ParsedRequest& request, std::string_view name);

// The normalized domain (AUTH-API.md B3), or 400 VALIDATE_FAILED naming `field` and the rule.
Result<std::string, spec::ApiError> normalized_domain(std::string_view text, const FieldRef& field);
// A username for a sign-in with (reserved names rejected, B2) or without a domain.
std::optional<spec::ApiError> check_username(std::string_view username, bool with_domain,
                                             const FieldRef& field = body_field("username"));
// A callback_url the mock will redirect to or put in a link.
std::optional<spec::ApiError> check_callback_url(std::string_view url, const FieldRef& field);

// The bearer token's grant, or 401 UNAUTHORIZED.
Result<AccessGrant, spec::ApiError> require_bearer(HandlerContext& context, const spec::ParsedRequest& request);

// "{two_factor_enabled: true, token}" or the token object, or 400 UNAUTHORIZED.
ApiResponse sign_in_response(const SignInResult& result);

// The identity provider's address for a tenant (AUTH-API.md B7): the scenario's sign_in_url
// (prefixed with the mock's own origin when it is a path) with tenant, callback_url and a
// fresh random state.
std::string identity_provider_url(const HandlerContext& context, const spec::ParsedRequest& request,
                                  const Tenant& tenant, std::string_view callback_url);

// The tenant for Microsoft sign-in: 400 VALIDATE_FAILED when there is none with this
// (normalized) domain, or when its enable_ms365_integration is off.
Result<const Tenant*, spec::ApiError> microsoft_tenant(const HandlerContext& context, const std::string& domain,
                                                       const FieldRef& field);

}  // namespace pbxmock::mock::handlers
