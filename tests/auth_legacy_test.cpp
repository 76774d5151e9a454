// The older /login operations and the start of Microsoft sign-in (AUTH-API.md B7, B10).
#include "auth_test_support.h"

namespace {

using namespace std::chrono_literals;
using pbxmock::test::error_code;
using pbxmock::test::json;
using pbxmock::test::make_request;
using pbxmock::test::MockTest;
using pbxmock::test::query_of;
using pbxmock::test::query_value;

using Legacy = MockTest;

TEST_F(Legacy, post_login_answers_like_sign_in) {
  const auto response = call("login", {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}});
  ASSERT_EQ(200, response.status);
  EXPECT_EQ("Bearer", response.body["token_type"]);
  EXPECT_EQ(200, user_status(response.body["access_token"]));
  const auto wrong = call("login", {{"username", "bob"}, {"password", "x"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(400, wrong.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(wrong));
  const auto reserved = call("login", {{"username", "root"}, {"password", "x"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ("VALIDATE_FAILED", error_code(reserved));
}

TEST_F(Legacy, get_login_reports_the_bearer_tokens_session) {
  const auto tokens = tokens_for("dave", "dave-secret");
  const auto status = call("getLoginStatus", nullptr, tokens.access);
  ASSERT_EQ(200, status.status);
  EXPECT_EQ(4u, status.body.size());
  EXPECT_EQ(tokens.access, status.body["access_token"]);
  EXPECT_EQ("StandardInternationalUser", status.body["role"]);
  EXPECT_GE(status.body["expires_in"].get<int>(), 3599);
  EXPECT_LE(status.body["expires_in"].get<int>(), 3600);
  const auto expected_at = pbxmock::mock::to_rfc3339(service.authenticate(tokens.access)->expires_at);
  EXPECT_EQ(expected_at, status.body["expires_at"]);
  EXPECT_EQ('Z', status.body["expires_at"].get<std::string>().back());

  clock.advance(600s);
  const auto later = call("getLoginStatus", nullptr, tokens.access);
  EXPECT_GE(later.body["expires_in"].get<int>(), 2999);
  EXPECT_LE(later.body["expires_in"].get<int>(), 3000);
  EXPECT_EQ(expected_at, later.body["expires_at"]);
}

TEST_F(Legacy, get_login_without_a_valid_token_is_401) {
  EXPECT_EQ(401, call("getLoginStatus").status);
  EXPECT_EQ("UNAUTHORIZED", error_code(call("getLoginStatus", nullptr, "BOGUS")));
  const auto tokens = tokens_for("bob", "bob-secret");
  clock.advance(3601s);
  EXPECT_EQ(401, call("getLoginStatus", nullptr, tokens.access).status);
}

TEST_F(Legacy, logout_revokes_the_bearer_token_and_answers_204) {
  const auto tokens = tokens_for("bob", "bob-secret");
  const auto out = call("logout", nullptr, tokens.access);
  EXPECT_EQ(204, out.status);
  EXPECT_FALSE(out.has_body());
  EXPECT_EQ(401, user_status(tokens.access));
  EXPECT_EQ(400, call("refreshToken", {{"refresh_token", tokens.refresh}}).status);
}

TEST_F(Legacy, logout_without_or_with_a_dead_token_still_answers_204) {
  EXPECT_EQ(204, call("logout").status);
  EXPECT_EQ(204, call("logout", nullptr, "NOPE").status);
}

TEST_F(Legacy, login_by_microsoft_redirects_to_the_stand_in_provider) {
  auto request = make_request("loginWithMicrosoft", {{"domain", "pbx.example.com"}});
  request.headers = {{"host", "127.0.0.1:8887"}, {"referer", "http://localhost:3000/login"}};
  const auto response = service.handle(request);
  ASSERT_EQ(302, response.status) << response.serialized_body();
  const std::string* location = response.header("Location");
  ASSERT_NE(nullptr, location);
  EXPECT_EQ(0u, location->rfind("http://127.0.0.1:8887/__idp/authorize?", 0)) << *location;
  const auto query = query_of(*location);
  EXPECT_EQ("pbx.example.com", query_value(query, "tenant"));
  EXPECT_EQ("http://localhost:3000/login", query_value(query, "callback_url"));
  EXPECT_EQ(16u, query_value(query, "state").size());
}

TEST_F(Legacy, login_by_microsoft_for_a_tenant_without_it_is_400) {
  auto scenario = pbxmock::test::scenario_from(std::string(*pbxmock::mock::builtin_scenario("microsoft365")));
  pbxmock::mock::AuthService other(scenario, clock, outbox);
  const auto response = other.handle(make_request("loginWithMicrosoft", {{"domain", "fabrikam.example.com"}}));
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("ms365_integration_disabled", response.body["errors"][0]["detail"]["rule"]);
}

using SocialSignIn = MockTest;

TEST_F(SocialSignIn, answers_the_identity_providers_url_on_the_requests_host) {
  auto request = make_request("signInWithSocialAccount",
                              {{"domain", "pbx.example.com"}, {"callback_url", "http://localhost:3000/cb?x=1"}});
  request.headers = {{"host", "localhost:8887"}};
  const auto response = service.handle(request);
  ASSERT_EQ(200, response.status) << response.serialized_body();
  ASSERT_EQ(1u, response.body.size());
  const std::string url = response.body["url"];
  EXPECT_EQ(0u, url.rfind("http://localhost:8887/__idp/authorize?tenant=pbx.example.com&callback_url="
                          "http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1&state=", 0))
      << url;
  const auto first_state = query_value(query_of(url), "state");
  const auto second = service.handle(request);
  EXPECT_NE(first_state, query_value(query_of(second.body["url"]), "state"));
}

TEST_F(SocialSignIn, public_origin_wins_over_the_host_header) {
  service.set_public_origin({"https://mock.example.com:9443/", "http"});
  auto request = make_request("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "/cb"}});
  request.headers = {{"host", "localhost:8887"}};
  const std::string url = service.handle(request).body["url"];
  EXPECT_EQ(0u, url.rfind("https://mock.example.com:9443/__idp/authorize?", 0)) << url;
}

TEST_F(SocialSignIn, without_origin_or_host_the_url_stays_a_path) {
  const auto response = call("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "/cb"}});
  EXPECT_EQ(0u, response.body["url"].get<std::string>().rfind("/__idp/authorize?tenant=", 0));
}

TEST_F(SocialSignIn, only_microsoft_is_a_provider) {
  auto request = make_request("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "/cb"}});
  request.path_params["provider"] = "google";
  const auto response = service.handle(request);
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(response));
  EXPECT_EQ("provider", response.body["errors"][0]["detail"]["field"]);
  EXPECT_EQ(json::array({"microsoft"}), response.body["errors"][0]["detail"]["limit"]);
}

TEST_F(SocialSignIn, unknown_tenant_and_unsafe_callback_are_invalid_input) {
  const auto unknown = call("signInWithSocialAccount", {{"domain", "nobody.example.com"}, {"callback_url", "/cb"}});
  EXPECT_EQ(400, unknown.status);
  EXPECT_EQ("unknown_tenant", unknown.body["errors"][0]["detail"]["rule"]);
  const auto unsafe = call("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "javascript:alert(1)"}});
  EXPECT_EQ(400, unsafe.status);
  EXPECT_EQ("callback_url", unsafe.body["errors"][0]["detail"]["field"]);
  EXPECT_EQ("/callback_url", unsafe.body["errors"][0]["detail"]["pointer"]);
}

TEST_F(SocialSignIn, tenant_without_ms365_is_invalid_input) {
  auto scenario = pbxmock::test::scenario_from(std::string(*pbxmock::mock::builtin_scenario("microsoft365")));
  pbxmock::mock::AuthService other(scenario, clock, outbox);
  const auto disabled = other.handle(
      make_request("signInWithSocialAccount", {{"domain", "fabrikam.example.com"}, {"callback_url", "/cb"}}));
  EXPECT_EQ(400, disabled.status);
  EXPECT_EQ("ms365_integration_disabled", disabled.body["errors"][0]["detail"]["rule"]);
  EXPECT_EQ(200, other.handle(make_request("signInWithSocialAccount",
                                           {{"domain", "contoso.example.com"}, {"callback_url", "/cb"}}))
                     .status);
}

TEST_F(SocialSignIn, an_absolute_sign_in_url_is_used_as_it_is) {
  auto scenario = pbxmock::test::scenario_from(R"(
name: external-idp
tenants:
  - {name: Example Corp, domain: pbx.example.com, enable_ms365_integration: true}
identity_provider:
  sign_in_url: https://idp.example.net/authorize?client=pbx
)");
  pbxmock::mock::AuthService other(scenario, clock, outbox);
  auto request = make_request("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "/cb"}});
  request.headers = {{"host", "localhost:8887"}};
  const std::string url = other.handle(request).body["url"];
  EXPECT_EQ(0u, url.rfind("https://idp.example.net/authorize?client=pbx&tenant=pbx.example.com&callback_url=%2Fcb&state=", 0))
      << url;
}

}  // namespace
