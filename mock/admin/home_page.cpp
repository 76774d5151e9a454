#include "mock/admin/home_page.h"

#include <string>

#include <nlohmann/json.hpp>

#include "mock/text.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

struct Login {
  std::string username;
  std::string domain;  // "" for a system administrator
  const Account* account;
  bool two_factor;
  bool microsoft;
};

std::vector<Login> logins(const Scenario& scenario) {
  std::vector<Login> out;
  for (const Account& admin : scenario.system_admins) out.push_back({admin.username, "", &admin, admin.two_factor, false});
  for (const Tenant& tenant : scenario.tenants) {
    for (const Account& user : tenant.users) {
      out.push_back({user.username, tenant.domain, &user, tenant.needs_two_factor(user),
                     tenant.enable_ms365_integration && !user.microsoft.empty()});
    }
  }
  return out;
}

json as_json(const Scenario& scenario, const HomePageRequest& request) {
  json users = json::array();
  for (const Login& login : logins(scenario)) {
    json user = {{"username", login.username},
                 {"domain", login.domain.empty() ? json(nullptr) : json(login.domain)},
                 {"role", login.account->role},
                 {"two_factor", login.two_factor},
                 {"microsoft", login.microsoft}};
    if (request.show_passwords) user["password"] = login.account->password;
    users.push_back(std::move(user));
  }
  return {{"name", "pbxmock"},
          {"description", "mock of the PortSIP PBX auth REST API"},
          {"scenario", scenario.name},
          {"api_base_url", std::string(request.base_path)},
          {"admin_api", "/__admin/"},
          {"admin_ui", "/__admin/ui/"},
          {"users", std::move(users)},
          {"passwords_shown", request.show_passwords}};
}

std::string as_html(const Scenario& scenario, const HomePageRequest& request) {
  std::string rows;
  for (const Login& login : logins(scenario)) {
    rows += "<tr><td>" + html_escape(login.username) + "</td><td>" +
            (login.domain.empty() ? std::string("<i>system</i>") : html_escape(login.domain)) + "</td>";
    if (request.show_passwords) rows += "<td><code>" + html_escape(login.account->password) + "</code></td>";
    rows += std::string("<td>") + (login.two_factor ? "yes" : "no") + "</td><td>" + (login.microsoft ? "yes" : "no") +
            "</td></tr>\n";
  }
  const std::string base = html_escape(request.base_path);
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>pbxmock</title><style>"
         "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
         "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}"
         "code{background:#f3f4f6;padding:0 .25rem;border-radius:3px}a{color:#0b57d0}"
         ".wrap{overflow-x:auto}</style></head><body>\n"
         "<h1>pbxmock</h1>\n<p>A mock of the PortSIP PBX auth REST API, for front-end development and tests.</p>\n"
         "<ul><li>Scenario in use: <strong>" +
         html_escape(scenario.name) +
         "</strong></li>\n<li>API base URL: <code>" + base +
         "</code></li>\n"
         "<li><a href=\"/__admin/ui/\">Admin page</a>: inbox, request journal, scenario and clock</li>\n"
         "<li>Admin API: <code>/__admin/</code> (e.g. <a href=\"/__admin/health\">/__admin/health</a>)</li></ul>\n"
         "<h2>Accounts</h2>\n" +
         (request.show_passwords ? std::string()
                                 : std::string("<p>Passwords are not shown: this mock is reachable from the network.</p>\n")) +
         "<div class=\"wrap\"><table><caption class=\"visually-hidden\">Accounts of the scenario</caption><thead><tr>"
         "<th scope=\"col\">Username</th><th scope=\"col\">Domain</th>" +
         (request.show_passwords ? "<th scope=\"col\">Password</th>" : "") +
         "<th scope=\"col\">Two-factor</th><th scope=\"col\">Microsoft</th></tr></thead><tbody>\n" + rows +
         "</tbody></table></div>\n</body></html>\n";
}

}  // namespace

bool prefers_html(std::string_view accept) {
  const std::size_t html = accept.find("text/html");
  if (html == std::string_view::npos) return false;
  const std::size_t json_at = accept.find("json");
  return json_at == std::string_view::npos || html < json_at;
}

ApiResponse home_page(const Scenario& scenario, const HomePageRequest& request) {
  if (prefers_html(request.accept)) return ApiResponse::html(200, as_html(scenario, request));
  return ApiResponse::json(as_json(scenario, request));
}

}  // namespace pbxmock::mock
