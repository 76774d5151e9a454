#pragma once
// The stand-in Microsoft identity provider under /__idp/ (AUTH-API.md B7, the project's
// assumption): a page listing a tenant's Microsoft-linked users, each a link that signs that
// user in and redirects the browser to the client's callback_url with the token object in
// the query. Everything echoed into HTML is escaped, every query value percent-encoded.
//
//   GET /__idp/authorize?tenant=<domain>&callback_url=<url>&state=<s>
//       200 text/html: the page (400 text/html for a missing parameter or an unknown tenant)
//   GET /__idp/authorize/complete?tenant=<domain>&user=<username>&callback_url=<url>&state=<s>
//       302 Location: <callback_url>?access_token=..&refresh_token=..&expires_in=..&token_type=Bearer&state=<s>
//   GET /__idp/authorize/cancel?tenant=<domain>&callback_url=<url>&state=<s>   (the page's Cancel form)
//       302 Location: <callback_url>?error=access_denied&error_description=..&state=<s>
// With `identity_provider: {error: access_denied}` in the scenario, authorize and complete
// answer that same refusal. POST works the same with the fields in a form body. `state` is
// optional and passed through. (AUTH-API.md B7, B12.)
#include <string>
#include <utility>
#include <vector>

#include "mock/api_response.h"
#include "mock/auth/auth_state.h"
#include "mock/scenario/scenario.h"

namespace pbxmock::mock {

inline constexpr std::string_view kIdentityProviderPrefix = "/__idp/";

ApiResponse identity_provider_response(const Scenario& scenario, AuthState& state, const std::string& method,
                                       const std::string& path,
                                       const std::vector<std::pair<std::string, std::string>>& query_or_form);

}  // namespace pbxmock::mock
