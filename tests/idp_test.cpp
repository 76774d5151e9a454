// The stand-in identity provider: its page, the redirect back with tokens, its errors, and
// the escaping of everything it echoes. Also the URL and HTML helpers it is built on.
#include "auth_test_support.h"
#include "mock/text.h"
#include "mock/url.h"

namespace {

using pbxmock::test::make_request;
using pbxmock::test::MockTest;
using pbxmock::test::query_of;
using pbxmock::test::query_value;
using Params = std::vector<std::pair<std::string, std::string>>;

using IdentityProvider = MockTest;

TEST_F(IdentityProvider, page_lists_the_tenants_linked_users_only) {
  const auto page = service.identity_provider(
      "GET", "/__idp/authorize", {{"tenant", "pbx.example.com"}, {"callback_url", "http://localhost:3000/cb"}, {"state", "S1"}});
  ASSERT_EQ(200, page.status) << page.raw_body;
  EXPECT_EQ("text/html; charset=utf-8", page.content_type);
  EXPECT_TRUE(page.body.is_null());
  const std::string& html = page.raw_body;
  EXPECT_NE(std::string::npos, html.find("Sign in to Example Corp"));
  EXPECT_NE(std::string::npos, html.find("alice@example.onmicrosoft.com"));
  EXPECT_NE(std::string::npos, html.find("o&#39;brien.j"));     // escaped apostrophe
  EXPECT_EQ(std::string::npos, html.find("bob@example.com"));   // bob is not linked
  EXPECT_NE(std::string::npos,
            html.find("href=\"/__idp/authorize/complete?tenant=pbx.example.com&amp;user=alice&amp;callback_url="
                      "http%3A%2F%2Flocalhost%3A3000%2Fcb&amp;state=S1\""))
      << html;
}

TEST_F(IdentityProvider, complete_signs_in_and_redirects_with_the_token_object) {
  const auto redirect = service.identity_provider(
      "GET", "/__idp/authorize/complete",
      {{"tenant", "pbx.example.com"}, {"user", "alice"}, {"callback_url", "http://localhost:3000/cb"}, {"state", "S1"}});
  ASSERT_EQ(302, redirect.status) << redirect.raw_body;
  const std::string location = *redirect.header("Location");
  EXPECT_EQ(0u, location.rfind("http://localhost:3000/cb?access_token=", 0)) << location;
  const auto query = query_of(location);
  EXPECT_EQ("Bearer", query_value(query, "token_type"));
  EXPECT_EQ("3600", query_value(query, "expires_in"));
  EXPECT_EQ("S1", query_value(query, "state"));
  EXPECT_TRUE(pbxmock::test::is_token(query_value(query, "refresh_token")));
  const auto info = call("getUserAuthInfo", nullptr, query_value(query, "access_token"));
  ASSERT_EQ(200, info.status);
  EXPECT_EQ("Admin", info.body["role"]);
  EXPECT_EQ(200, call("refreshToken", {{"refresh_token", query_value(query, "refresh_token")}}).status);
  EXPECT_EQ("no-store", *redirect.header("cache-control"));
}

TEST_F(IdentityProvider, whole_flow_from_sign_in_microsoft_to_the_callback) {
  auto start = make_request("signInWithSocialAccount",
                            {{"domain", "pbx.example.com"}, {"callback_url", "https://app.example.com/auth?from=pbx"}});
  start.headers = {{"host", "127.0.0.1:8887"}};
  const std::string url = service.handle(start).body["url"];
  // The browser opens the url: path and query go to the stand-in.
  const std::string path = url.substr(std::string("http://127.0.0.1:8887").size(), url.find('?') - 21);
  ASSERT_EQ("/__idp/authorize", path);
  const auto query = query_of(url);
  const auto page = service.identity_provider("GET", path, query);
  ASSERT_EQ(200, page.status);
  Params choice = query;
  choice.emplace_back("user", "o'brien.j");
  const auto back = service.identity_provider("GET", "/__idp/authorize/complete", choice);
  ASSERT_EQ(302, back.status) << back.raw_body;
  const std::string location = *back.header("Location");
  EXPECT_EQ(0u, location.rfind("https://app.example.com/auth?from=pbx&access_token=", 0)) << location;
  const auto answer = query_of(location);
  EXPECT_EQ(query_value(query, "state"), query_value(answer, "state"));
  EXPECT_EQ("Reception Desk", call("getUserAuthInfo", nullptr, query_value(answer, "access_token")).body["role"]);
}

TEST_F(IdentityProvider, post_works_like_get) {
  const auto redirect = service.identity_provider(
      "POST", "/__idp/authorize/complete", {{"tenant", "pbx.example.com"}, {"user", "ALICE"}, {"callback_url", "/cb"}});
  EXPECT_EQ(302, redirect.status);
  EXPECT_EQ(std::string::npos, redirect.header("Location")->find("state="));  // none given, none added
}

TEST_F(IdentityProvider, unlinked_or_unknown_user_is_400) {
  for (const char* user : {"bob", "nobody", ""}) {
    const auto response = service.identity_provider(
        "GET", "/__idp/authorize/complete", {{"tenant", "pbx.example.com"}, {"user", user}, {"callback_url", "/cb"}});
    EXPECT_EQ(400, response.status) << user;
    EXPECT_EQ("text/html; charset=utf-8", response.content_type);
    EXPECT_EQ(nullptr, response.header("Location"));
  }
  EXPECT_EQ(0, service.state().stats_json()["sessions"]);
}

TEST_F(IdentityProvider, missing_parameters_or_unknown_tenant_is_400) {
  EXPECT_EQ(400, service.identity_provider("GET", "/__idp/authorize", {{"callback_url", "/cb"}}).status);
  EXPECT_EQ(400, service.identity_provider("GET", "/__idp/authorize", {{"tenant", "pbx.example.com"}}).status);
  const auto unknown =
      service.identity_provider("GET", "/__idp/authorize", {{"tenant", "other.example.com"}, {"callback_url", "/cb"}});
  EXPECT_EQ(400, unknown.status);
  EXPECT_NE(std::string::npos, unknown.raw_body.find("other.example.com"));
}

TEST_F(IdentityProvider, everything_echoed_is_escaped) {
  const auto evil_tenant = service.identity_provider(
      "GET", "/__idp/authorize", {{"tenant", "<script>alert(1)</script>"}, {"callback_url", "/cb"}});
  EXPECT_EQ(400, evil_tenant.status);
  EXPECT_EQ(std::string::npos, evil_tenant.raw_body.find("<script>"));
  EXPECT_NE(std::string::npos, evil_tenant.raw_body.find("&lt;script&gt;"));
  const auto evil_callback = service.identity_provider(
      "GET", "/__idp/authorize", {{"tenant", "pbx.example.com"}, {"callback_url", "/cb?\"><img src=x onerror=alert(1)>"}});
  EXPECT_EQ(400, evil_callback.status);  // spaces are not allowed in a callback
  const auto quoted = service.identity_provider(
      "GET", "/__idp/authorize", {{"tenant", "pbx.example.com"}, {"callback_url", "/cb?\"><img/src=x>"}});
  ASSERT_EQ(200, quoted.status);
  EXPECT_EQ(std::string::npos, quoted.raw_body.find("\"><img"));
  EXPECT_NE(std::string::npos, quoted.raw_body.find("&quot;&gt;&lt;img/src=x&gt;"));
}

TEST_F(IdentityProvider, javascript_callback_is_refused) {
  const auto response = service.identity_provider(
      "GET", "/__idp/authorize/complete",
      {{"tenant", "pbx.example.com"}, {"user", "alice"}, {"callback_url", "JavaScript:alert(document.cookie)"}});
  EXPECT_EQ(400, response.status);
  EXPECT_EQ(nullptr, response.header("Location"));
}

TEST_F(IdentityProvider, tenant_without_ms365_is_refused) {
  auto scenario = pbxmock::test::scenario_from(std::string(*pbxmock::mock::builtin_scenario("microsoft365")));
  pbxmock::mock::AuthService other(scenario, clock, outbox);
  EXPECT_EQ(400, other.identity_provider("GET", "/__idp/authorize/complete",
                                         {{"tenant", "fabrikam.example.com"}, {"user", "kim"}, {"callback_url", "/cb"}})
                     .status);
  const auto contoso = other.identity_provider("GET", "/__idp/authorize",
                                               {{"tenant", "contoso.example.com"}, {"callback_url", "/cb"}});
  ASSERT_EQ(200, contoso.status);
  EXPECT_NE(std::string::npos, contoso.raw_body.find("patti@contoso.onmicrosoft.com"));
  EXPECT_EQ(std::string::npos, contoso.raw_body.find("lynne"));
}

TEST_F(IdentityProvider, other_paths_and_methods) {
  EXPECT_EQ(404, service.identity_provider("GET", "/__idp/logout", {}).status);
  const auto wrong_method = service.identity_provider("DELETE", "/__idp/authorize", {});
  EXPECT_EQ(405, wrong_method.status);
  EXPECT_EQ("GET, POST", *wrong_method.header("Allow"));
}

TEST(idp_helpers, html_escape_covers_the_five_characters) {
  EXPECT_EQ("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
            pbxmock::mock::html_escape("<a href=\"x\" title='y'>&</a>"));
}

TEST(idp_helpers, percent_encode_keeps_only_unreserved_characters) {
  EXPECT_EQ("a-b.c_d~e%20f%2Fg%3F%26%3D%C3%A9", pbxmock::mock::percent_encode("a-b.c_d~e f/g?&=\xC3\xA9"));
}

TEST(idp_helpers, append_query_picks_the_separator_and_keeps_the_fragment) {
  using pbxmock::mock::append_query;
  EXPECT_EQ("https://a.example/cb?token=T", append_query("https://a.example/cb", {{"token", "T"}}));
  EXPECT_EQ("https://a.example/cb?x=1&token=T", append_query("https://a.example/cb?x=1", {{"token", "T"}}));
  EXPECT_EQ("https://a.example/cb?token=T", append_query("https://a.example/cb?", {{"token", "T"}}));
  EXPECT_EQ("https://a.example/cb?x=1&token=T", append_query("https://a.example/cb?x=1&", {{"token", "T"}}));
  EXPECT_EQ("/cb?a=1&b=2#frag", append_query("/cb#frag", {{"a", "1"}, {"b", "2"}}));
}

TEST(idp_helpers, callback_urls_that_run_code_are_refused) {
  using pbxmock::mock::is_acceptable_callback_url;
  EXPECT_TRUE(is_acceptable_callback_url("https://app.example.com/cb"));
  EXPECT_TRUE(is_acceptable_callback_url("/cb"));
  EXPECT_TRUE(is_acceptable_callback_url("myapp://auth"));
  EXPECT_FALSE(is_acceptable_callback_url(""));
  EXPECT_FALSE(is_acceptable_callback_url("javascript:alert(1)"));
  EXPECT_FALSE(is_acceptable_callback_url("DATA:text/html,x"));
  EXPECT_FALSE(is_acceptable_callback_url("https://a.example/c b"));
  EXPECT_FALSE(is_acceptable_callback_url("https://a.example/\ncb"));
}

TEST(idp_helpers, public_url_origin_keeps_scheme_host_and_port_only) {
  using pbxmock::mock::public_url_origin;
  const auto origin = [](const char* url) {
    const auto result = public_url_origin(url);
    return result ? result.value() : "error: " + result.error();
  };
  EXPECT_EQ("https://mock.example.com:9443", origin("HTTPS://Mock.Example.COM:9443/"));
  EXPECT_EQ("http://mock.example.com", origin("http://mock.example.com"));
  EXPECT_EQ("http://192.0.2.7:80", origin("http://192.0.2.7:80"));
  EXPECT_EQ("http://[2001:db8::1]:8887", origin("http://[2001:DB8:0:0::1]:8887"));
  EXPECT_EQ("error: must start with http:// or https://", origin("mock.example.com"));
  EXPECT_EQ("error: must start with http:// or https://", origin("https://"));
  EXPECT_EQ("error: must be an origin only: scheme, host and port, no path, query or user",
            origin("https://mock.example.com/app"));
  EXPECT_EQ("error: must be an origin only: scheme, host and port, no path, query or user",
            origin("https://user@mock.example.com"));
  EXPECT_EQ("error: port '0' is not a number from 1 to 65535", origin("https://mock.example.com:0"));
  EXPECT_EQ("error: port '' is not a number from 1 to 65535", origin("https://mock.example.com:"));
  EXPECT_EQ("error: port '65536' is not a number from 1 to 65535", origin("https://mock.example.com:65536"));
  EXPECT_EQ("error: host 'bad_host' is not a host name, an IPv4 address or an [IPv6] address", origin("http://bad_host"));
  EXPECT_EQ("error: has an IPv6 address without its closing ']'", origin("http://[::1"));
  EXPECT_EQ("error: has no host", origin("http://:8080"));
}

}  // namespace
