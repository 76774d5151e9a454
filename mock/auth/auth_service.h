#pragma once
// The mock's built-in behaviour for the operations of spec/portsip-auth.yaml (AUTH-API.md
// parts A and B, and the developer guide's token endpoint), without HTTP: a parsed request
// in, an ApiResponse out. The route table in auth_service.cpp states the operations once
// (operation_ids(); a test compares it with the spec's). One
// AuthService per running scenario; thread-safe (the state it changes is behind AuthState's
// lock, the Outbox's and the Clock's).
//
// The HTTP server around it (mock/http/dispatcher.h): parses and validates the request view
// into a spec::ParsedRequest (the request parser answers 4xx for what does not fit the
// spec), tries the scenario's rules (RuleEngine, mock/rules/rules.h) first, then calls
// handle(); routes /__idp/... to identity_provider(); the response writer
// (mock/http/response_writer.h) writes the ApiResponse.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock/api_response.h"
#include "mock/auth/auth_state.h"
#include "mock/clock.h"
#include "mock/auth/outbox.h"
#include "mock/public_origin.h"
#include "mock/scenario/scenario.h"
#include "spec/parsed_request.h"

namespace pbxmock::mock {

class AuthService {
 public:
  AuthService(std::shared_ptr<const Scenario> scenario, Clock& clock, Outbox& outbox, AuthLimits limits = {});

  // Dispatches on request.operation_id; an id it does not know answers 404 NOT_FOUND.
  // Handlers do not throw by design; the dispatcher's one catch answers 500 INTERNAL_ERROR
  // if one ever does (a bug, or memory running out).
  ApiResponse handle(const spec::ParsedRequest& request);

  // The stand-in identity provider (mock/auth/identity_provider.h): `path` as requested, starting
  // with /__idp/; `query_or_form` the decoded query (GET) or form fields (POST).
  ApiResponse identity_provider(const std::string& method, const std::string& path,
                                const std::vector<std::pair<std::string, std::string>>& query_or_form);

  // For operations answered outside this class (the --spec fallback): whom a bearer token
  // speaks for, tenant included, or nullopt when it is unknown, expired or revoked.
  std::optional<AccessGrant> authenticate(std::string_view access_token);

  // Where the mock is reached from a browser ("http://127.0.0.1:8887", no trailing slash),
  // put in front of the scenario's identity_provider.sign_in_url when that is a path. When
  // never set, the request's Host header is used with http://.
  void set_public_origin(OriginSettings origin);

  // Back to the scenario's start (passwords, no sessions). The outbox, the clock and the
  // rules are the caller's to reset.
  void reset();

  const Scenario& scenario() const noexcept { return *scenario_; }
  AuthState& state() noexcept { return state_; }

  // The operationIds handle() knows, in spec order.
  static const std::vector<std::string>& operation_ids();

 private:
  std::shared_ptr<const Scenario> scenario_;
  Clock& clock_;
  Outbox& outbox_;
  AuthState state_;
  PublicOrigin public_origin_;
};

}  // namespace pbxmock::mock
