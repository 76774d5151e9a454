#pragma once
// GET / (issue 13 item 1): what a person or a client finds at the server's root. A short HTML
// page for browsers, JSON for everything else: what this is, the scenario in use, the API's
// base URL, the accounts one can sign in as, and where the admin API and its page are.
// Passwords are the scenario's test data; they are listed only when the mock is bound to a
// loopback address, so a mock reachable from the network does not hand them out.
#include <string_view>

#include "mock/api_response.h"
#include "mock/scenario/scenario.h"

namespace pbxmock::mock {

struct HomePageRequest {
  std::string_view accept;     // the Accept header, "" when none
  std::string_view base_path;  // the API's base path, e.g. "/api"
  bool show_passwords = false;  // bound to loopback only
};

// Whether an Accept header asks for HTML before JSON (browsers send text/html first).
bool prefers_html(std::string_view accept);

ApiResponse home_page(const Scenario& scenario, const HomePageRequest& request);

}  // namespace pbxmock::mock
