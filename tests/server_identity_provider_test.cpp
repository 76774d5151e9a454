// The stand-in identity provider's error path over plain HTTP (AUTH-API.md B12): the page's
// Cancel form, submitted the way a browser without JavaScript does (its action and fields),
// and a scenario that makes the provider refuse every attempt. Either way the browser goes
// back to callback_url with error=access_denied, error_description and the state.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "spec/url_encoding.h"
#include "support/server_client.h"
#include "support/server_process.h"
#include "support/text_match.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

const std::string kCallback = "http://localhost:5173/after";

std::string unescape_html(std::string text) {
  for (std::size_t at; (at = text.find("&amp;")) != std::string::npos;) text.replace(at, 5, "&");
  for (std::size_t at; (at = text.find("&quot;")) != std::string::npos;) text.replace(at, 6, "\"");
  return text;
}

// The query of a redirect back to kCallback, decoded; empty when it goes elsewhere.
std::map<std::string, std::string> callback_query(const std::string& location) {
  const std::string prefix = kCallback + "?";
  if (location.rfind(prefix, 0) != 0) return {};
  auto pairs = pbxmock::spec::parse_url_encoded(std::string_view(location).substr(prefix.size()));
  if (!pairs) return {};
  std::map<std::string, std::string> out;
  for (auto& [name, value] : pairs.value()) out[name] = value;
  return out;
}

// The stand-in's address for pbx.example.com, as signInWithSocialAccount answers it, without the origin.
std::string authorize_path(const ServerProcess& server, httplib::Client& client) {
  auto start = post_json(client, "/api/auth/sign_in/microsoft", {{"domain", "pbx.example.com"}, {"callback_url", kCallback}});
  EXPECT_EQ(200, start ? start->status : 0);
  const std::string url = json_of(start).value("url", "");
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(0u, url.rfind(origin + "/__idp/authorize?", 0)) << url;
  return url.rfind(origin, 0) == 0 ? url.substr(origin.size()) : url;
}

std::string state_of(const std::string& authorize) {
  return capture("[?&]state=([A-Z0-9]+)", authorize).value_or("");
}

TEST(server_identity_provider, the_page_has_a_cancel_form_that_works_without_javascript) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const std::string authorize = authorize_path(server, *client);
  const std::string state = state_of(authorize);
  ASSERT_FALSE(state.empty()) << authorize;

  auto page = client->Get(authorize.c_str());
  ASSERT_EQ(200, page->status);
  EXPECT_EQ(std::string::npos, page->body.find("<script")) << "the page needs no JavaScript";
  const auto action = capture(R"re(<form method="get" action="([^"]+)">[\s\S]*?</form>)re", page->body);
  const auto inside = capture(R"re(<form method="get" action="[^"]+">([\s\S]*?)</form>)re", page->body);
  ASSERT_TRUE(action && inside) << page->body;
  EXPECT_NE(std::string::npos, inside->find("<button type=\"submit\">Cancel</button>"));
  EXPECT_NE(std::string::npos, inside->find("error=access_denied")) << "the page says what Cancel does";

  // What a browser sends: the form's hidden fields, as a query on its action.
  httplib::Params fields;
  const std::string opening = R"(<input type="hidden" )";
  for (auto at = inside->find(opening); at != std::string::npos; at = inside->find(opening, at + 1)) {
    const std::string tag = inside->substr(at, inside->find('>', at) + 1 - at);
    if (!matches_whole(R"re(<input type="hidden" name="[a-z_]+" value="[^"]*">)re", tag)) continue;
    fields.emplace(*capture(R"re(name="([a-z_]+)")re", tag), unescape_html(*capture(R"re(value="([^"]*)")re", tag)));
  }
  EXPECT_EQ(3u, fields.size());
  auto cancelled = client->Get(action->c_str(), fields, httplib::Headers{});
  ASSERT_TRUE(cancelled);
  ASSERT_EQ(302, cancelled->status) << cancelled->body;
  const auto query = callback_query(cancelled->get_header_value("Location"));
  EXPECT_EQ("access_denied", query.count("error") ? query.at("error") : "") << cancelled->get_header_value("Location");
  EXPECT_EQ("The user cancelled the sign-in.", query.count("error_description") ? query.at("error_description") : "");
  EXPECT_EQ(state, query.count("state") ? query.at("state") : "");
  EXPECT_EQ(0u, query.count("access_token"));
  EXPECT_EQ("no-store", cancelled->get_header_value("Cache-Control"));
}

TEST(server_identity_provider, cancel_is_also_a_form_post) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  auto cancelled = client->Post("/__idp/authorize/cancel",
                                httplib::Params{{"tenant", "pbx.example.com"}, {"callback_url", kCallback}, {"state", "S1"}});
  ASSERT_EQ(302, cancelled->status) << cancelled->body;
  const auto query = callback_query(cancelled->get_header_value("Location"));
  EXPECT_EQ("access_denied", query.count("error") ? query.at("error") : "");
  EXPECT_EQ("S1", query.count("state") ? query.at("state") : "");
}

TEST(server_identity_provider, cancel_checks_its_parameters_like_the_page) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  auto unknown = client->Get("/__idp/authorize/cancel?tenant=nobody.example.com&callback_url=http%3A%2F%2Flocalhost%2F");
  EXPECT_EQ(400, unknown->status);
  auto hostile = client->Get("/__idp/authorize/cancel?tenant=pbx.example.com&callback_url=javascript%3Aalert(1)");
  EXPECT_EQ(400, hostile->status);
  EXPECT_TRUE(hostile->get_header_value("Location").empty());
}

class RefusingProvider : public ::testing::Test {
 protected:
  std::string scenario(const std::string& identity_provider) {
    return scratch_.write("refusing.yaml",
                          "name: refusing\n"
                          "system_admins: [{username: admin, password: admin-secret}]\n"
                          "tenants:\n"
                          "  - name: Example Corp\n"
                          "    domain: pbx.example.com\n"
                          "    enable_ms365_integration: true\n"
                          "    users: [{username: alice, password: alice-secret, microsoft: alice@example.onmicrosoft.com}]\n"
                          "identity_provider: " +
                              identity_provider + "\n");
  }
  ScratchFolder scratch_;
};

TEST_F(RefusingProvider, refuses_at_once_with_the_default_description) {
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", scenario("{error: access_denied}")}});
  auto client = client_for(server);
  const std::string authorize = authorize_path(server, *client);
  auto refused = client->Get(authorize.c_str());
  ASSERT_EQ(302, refused->status) << refused->body;
  const auto query = callback_query(refused->get_header_value("Location"));
  EXPECT_EQ("access_denied", query.count("error") ? query.at("error") : "") << refused->get_header_value("Location");
  EXPECT_EQ("The identity provider refused the sign-in.", query.count("error_description") ? query.at("error_description") : "");
  EXPECT_EQ(state_of(authorize), query.count("state") ? query.at("state") : "");

  // Choosing a user directly is refused as well: every attempt is.
  auto chosen = client->Get(
      "/__idp/authorize/complete?tenant=pbx.example.com&user=alice&callback_url=http%3A%2F%2Flocalhost%3A5173%2Fafter");
  ASSERT_EQ(302, chosen->status);
  EXPECT_EQ("access_denied", callback_query(chosen->get_header_value("Location"))["error"]);
}

TEST_F(RefusingProvider, the_scenario_can_word_the_description) {
  ServerProcess server(PBXMOCK_BINARY,
                       {{"--scenario", scenario("{error: access_denied, error_description: Conditional access blocked you}")}});
  auto client = client_for(server);
  auto refused = client->Get(authorize_path(server, *client).c_str());
  ASSERT_EQ(302, refused->status);
  EXPECT_EQ("Conditional access blocked you", callback_query(refused->get_header_value("Location"))["error_description"]);
}

}  // namespace
}  // namespace pbxmock::test
