#include "mock/auth/identity_provider.h"

#include <variant>

#include "mock/text.h"
#include "mock/url.h"
#include "spec/domain.h"

namespace pbxmock::mock {
namespace {

constexpr std::string_view kAuthorizePath = "/__idp/authorize";
constexpr std::string_view kCompletePath = "/__idp/authorize/complete";
constexpr std::string_view kCancelPath = "/__idp/authorize/cancel";
constexpr std::string_view kCancelledDescription = "The user cancelled the sign-in.";
constexpr std::string_view kRefusedDescription = "The identity provider refused the sign-in.";

using Params = std::vector<std::pair<std::string, std::string>>;

const std::string* param(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params)
    if (key == name) return &value;
  return nullptr;
}

std::string page(std::string_view title, const std::string& body_html) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) +
         "</title>\n<style>\n"
         "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}\n"
         "h1{font-size:1.4rem}.note{color:#555;font-size:.9rem}\n"
         "ul{list-style:none;padding:0}li{margin:.5rem 0}\n"
         "a.account{display:block;padding:.75rem 1rem;border:1px solid #8a8886;border-radius:4px;"
         "text-decoration:none;color:inherit}\na.account:hover{background:#f3f2f1}\n"
         ".upn{color:#555;font-size:.9rem}\nbutton{padding:.5rem 1rem}\n</style>\n</head>\n<body>\n" +
         body_html + "</body>\n</html>\n";
}

ApiResponse failure(int status, std::string_view reason) {
  return ApiResponse::html(status, page("Sign-in failed", "<h1>Sign-in failed</h1>\n<p>" + html_escape(reason) +
                                                              "</p>\n<p class=\"note\">pbxmock stand-in identity "
                                                              "provider</p>\n"));
}

struct Request {
  const Tenant* tenant = nullptr;
  std::string callback_url;
  std::string state;
};

// The parameters both pages need; a reason (for a 400 page) when one is missing or wrong.
std::variant<Request, std::string> read_request(const Scenario& scenario, const Params& params) {
  const std::string* tenant = param(params, "tenant");
  const std::string* callback = param(params, "callback_url");
  if (tenant == nullptr || tenant->empty()) return std::string("The tenant parameter is missing.");
  if (callback == nullptr || callback->empty()) return std::string("The callback_url parameter is missing.");
  if (!is_acceptable_callback_url(*callback)) return std::string("The callback_url cannot be redirected to.");
  const auto domain = spec::parse_domain(*tenant);
  const Tenant* found = domain ? scenario.find_tenant(domain->normalized) : nullptr;
  if (found == nullptr) return "There is no tenant with the domain " + *tenant + ".";
  if (!found->enable_ms365_integration)
    return "The tenant " + found->name + " does not allow Microsoft 365 sign-in.";
  const std::string* state = param(params, "state");
  return Request{found, *callback, state != nullptr ? *state : std::string()};
}

// Back to the client with an OAuth error instead of tokens (AUTH-API.md B12).
ApiResponse refuse(const Request& request, std::string_view error, std::string_view description) {
  QueryPairs query = {{"error", std::string(error)}, {"error_description", std::string(description)}};
  if (!request.state.empty()) query.emplace_back("state", request.state);
  auto response = ApiResponse::redirect(append_query(request.callback_url, query));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// A plain form, so cancelling works without JavaScript; the button says where it leads.
std::string cancel_form(const Request& request) {
  std::string form = "<form method=\"get\" action=\"" + std::string(kCancelPath) + "\">\n";
  form += "<input type=\"hidden\" name=\"tenant\" value=\"" + html_escape(request.tenant->domain) + "\">\n";
  form += "<input type=\"hidden\" name=\"callback_url\" value=\"" + html_escape(request.callback_url) + "\">\n";
  if (!request.state.empty())
    form += "<input type=\"hidden\" name=\"state\" value=\"" + html_escape(request.state) + "\">\n";
  form += "<button type=\"submit\">Cancel</button>\n";
  form += "<p class=\"note\">Cancel goes back to the address above with <code>error=access_denied</code> "
          "and no tokens, as a refused sign-in does.</p>\n</form>\n";
  return form;
}

ApiResponse authorize_page(const Request& request) {
  std::string list;
  for (const Account& user : request.tenant->users) {
    if (user.microsoft.empty()) continue;
    QueryPairs query = {{"tenant", request.tenant->domain}, {"user", user.username}, {"callback_url", request.callback_url}};
    if (!request.state.empty()) query.emplace_back("state", request.state);
    const std::string href = append_query(kCompletePath, query);
    list += "<li><a class=\"account\" href=\"" + html_escape(href) + "\">" + html_escape(user.username) +
            "<br><span class=\"upn\">" + html_escape(user.microsoft) + "</span></a></li>\n";
  }
  std::string body = "<h1>Sign in to " + html_escape(request.tenant->name) + "</h1>\n";
  body += "<p>Pick an account. You will go back to<br><code>" + html_escape(request.callback_url) + "</code></p>\n";
  body += list.empty() ? "<p>No user of this tenant has a linked Microsoft account.</p>\n" : "<ul>\n" + list + "</ul>\n";
  body += cancel_form(request);
  body += "<p class=\"note\">pbxmock stand-in for Microsoft 365 sign-in: no password is asked.</p>\n";
  return ApiResponse::html(200, page("Sign in with Microsoft", body));
}

ApiResponse complete(AuthState& state, const Request& request, const Params& params) {
  const std::string* user = param(params, "user");
  if (user == nullptr || user->empty()) return failure(400, "The user parameter is missing.");
  const Account* account = request.tenant->find_user(*user);
  if (account == nullptr || account->microsoft.empty())
    return failure(400, "No user " + *user + " with a linked Microsoft account in this tenant.");
  auto tokens = state.sign_in_linked(request.tenant->domain, account->username);
  if (!tokens) return failure(400, "No user " + *user + " with a linked Microsoft account in this tenant.");
  QueryPairs query = {{"access_token", tokens->access_token},
                      {"refresh_token", tokens->refresh_token},
                      {"expires_in", std::to_string(tokens->expires_in.count())},
                      {"token_type", "Bearer"}};
  if (!request.state.empty()) query.emplace_back("state", request.state);
  auto response = ApiResponse::redirect(append_query(request.callback_url, query));
  // Tokens travel in the Location: keep them out of caches.
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

ApiResponse identity_provider_response(const Scenario& scenario, AuthState& state, const std::string& method,
                                       const std::string& path, const Params& query_or_form) {
  const bool is_authorize = path == kAuthorizePath;
  const bool is_complete = path == kCompletePath;
  const bool is_cancel = path == kCancelPath;
  if (!is_authorize && !is_complete && !is_cancel) return failure(404, "There is no such page.");
  if (method != "GET" && method != "POST") {
    auto response = failure(405, "Use GET or POST.");
    response.headers.emplace_back("Allow", "GET, POST");
    return response;
  }
  auto request = read_request(scenario, query_or_form);
  if (const auto* reason = std::get_if<std::string>(&request)) return failure(400, *reason);
  const Request& valid = std::get<Request>(request);
  if (is_cancel) return refuse(valid, "access_denied", kCancelledDescription);
  // A scenario that makes the provider refuse answers every attempt, page or choice, the
  // same way, so an automated front-end test needs no click.
  if (const auto& settings = scenario.identity_provider; !settings.error.empty()) {
    return refuse(valid, settings.error,
                  settings.error_description.empty() ? kRefusedDescription : std::string_view(settings.error_description));
  }
  return is_authorize ? authorize_page(valid) : complete(state, valid, query_or_form);
}

}  // namespace pbxmock::mock
