// AuthService::handle, operation by operation: metadata, sign-in, user info, refresh,
// sign-out, and the error paths of each (AUTH-API.md A and B).
#include <algorithm>

#include "auth_test_support.h"
#include "spec/openapi.h"

namespace {

using namespace std::chrono_literals;
using pbxmock::test::error_code;
using pbxmock::test::is_token;
using pbxmock::test::json;
using pbxmock::test::MockTest;

using AuthService = MockTest;

TEST_F(AuthService, info_without_domain_is_the_system_metadata) {
  const auto response = call("retrieveMetadata");
  EXPECT_EQ(200, response.status);
  EXPECT_EQ(json::parse(R"({"web_domain": "pbx.example.com", "private_ipv4": "10.0.0.20",
      "public_ipv4": "203.0.113.20", "enable_ipv6": true, "private_ipv6": "fd00::20",
      "public_ipv6": "2001:db8::20", "primary_dns_server": "10.0.0.2", "secondary_dns_server": "9.9.9.9"})"),
            response.body);
}

TEST_F(AuthService, info_with_domain_adds_the_tenant_found_by_normalized_domain) {
  auto request = pbxmock::test::make_request("retrieveMetadata");
  request.query = {{"domain", "PBX.Example.COM."}};
  request.params = {{"domain", "PBX.Example.COM."}};
  const auto response = service.handle(request);
  ASSERT_EQ(200, response.status) << response.serialized_body();
  EXPECT_EQ("pbx.example.com", response.body["web_domain"]);
  EXPECT_EQ("Example Corp", response.body["name"]);
  EXPECT_EQ("pbx.example.com", response.body["domain"]);
  EXPECT_EQ("https://www.example.com", response.body["website"]);
  EXPECT_EQ("/api/blobs/6Q2J0ZP3B7XK4M9TC1RD8VWNA5", response.body["avatar_url"]);
  EXPECT_EQ(true, response.body["enable_ms365_integration"]);
  EXPECT_EQ("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
            response.body["ms365_authorization_endpoint"]);
  EXPECT_EQ(14u, response.body.size());
}

TEST_F(AuthService, info_for_an_unknown_tenant_is_404) {
  auto request = pbxmock::test::make_request("retrieveMetadata");
  request.query = {{"domain", "nobody.example.com"}};
  const auto response = service.handle(request);
  EXPECT_EQ(404, response.status);
  EXPECT_EQ("NOT_FOUND", error_code(response));
  EXPECT_EQ("nobody.example.com", response.body["errors"][0]["detail"]["domain"]);
}

TEST_F(AuthService, info_for_an_invalid_domain_is_400) {
  auto request = pbxmock::test::make_request("retrieveMetadata");
  request.query = {{"domain", "pbx.example.com:5060"}};
  const auto response = service.handle(request);
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(response));
  EXPECT_EQ("domain", response.body["errors"][0]["detail"]["field"]);
  EXPECT_EQ("port_not_allowed", response.body["errors"][0]["detail"]["rule"]);
}

TEST_F(AuthService, sign_in_answers_the_token_object) {
  const auto response = sign_in("alice", "alice-secret");
  ASSERT_EQ(200, response.status) << response.serialized_body();
  EXPECT_EQ("application/json", response.content_type);
  EXPECT_EQ(4u, response.body.size());
  EXPECT_EQ("Bearer", response.body["token_type"]);
  EXPECT_TRUE(is_token(response.body["access_token"])) << response.body;
  EXPECT_TRUE(is_token(response.body["refresh_token"])) << response.body;
  EXPECT_NE(response.body["access_token"], response.body["refresh_token"]);
  EXPECT_EQ(3600, response.body["expires_in"]);
}

TEST_F(AuthService, usernames_ignore_letter_case_and_domains_are_normalized) {
  EXPECT_EQ(200, sign_in("ALICE", "alice-secret", "Pbx.Example.Com.").status);
}

TEST_F(AuthService, qr_is_accepted_and_ignored) {
  auto request = pbxmock::test::make_request(
      "signInWithCredentials", {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}});
  request.query = {{"qr", "true"}};
  request.params = {{"qr", true}};
  const auto response = service.handle(request);
  EXPECT_EQ(200, response.status);
  EXPECT_TRUE(response.body.contains("access_token"));
}

TEST_F(AuthService, wrong_password_unknown_user_and_unknown_tenant_answer_alike) {
  const auto wrong_password = sign_in("alice", "nope");
  const auto unknown_user = sign_in("zoe", "alice-secret");
  const auto unknown_tenant = sign_in("alice", "alice-secret", "other.example.com");
  const json expected = json::parse(R"({"errors": [{"code": "UNAUTHORIZED", "message": "Login failed, authentication error"}]})");
  for (const auto* response : {&wrong_password, &unknown_user, &unknown_tenant}) {
    EXPECT_EQ(400, response->status);
    EXPECT_EQ(expected, response->body);
  }
}

TEST_F(AuthService, passwords_are_case_sensitive) { EXPECT_EQ(400, sign_in("alice", "ALICE-SECRET").status); }

TEST_F(AuthService, reserved_name_with_a_domain_is_invalid_input) {
  for (const char* name : {"admin", "Admin", "system", "ADMINISTRATOR", "root"}) {
    const auto response = sign_in(name, "admin-secret");
    EXPECT_EQ(400, response.status) << name;
    EXPECT_EQ("VALIDATE_FAILED", error_code(response)) << name;
    EXPECT_EQ("username", response.body["errors"][0]["detail"]["field"]);
    EXPECT_EQ("/username", response.body["errors"][0]["detail"]["pointer"]);
    EXPECT_EQ("body", response.body["errors"][0]["detail"]["in"]);
    EXPECT_EQ("reserved", response.body["errors"][0]["detail"]["rule"]);
  }
}

TEST_F(AuthService, system_admin_signs_in_without_a_domain) {
  const auto tokens = tokens_for("admin", "admin-secret", std::nullopt);
  const auto info = call("getUserAuthInfo", nullptr, tokens.access);
  ASSERT_EQ(200, info.status);
  EXPECT_EQ("SystemAdmin", info.body["role"]);
  EXPECT_EQ("", service.authenticate(tokens.access)->principal.tenant_domain);
}

TEST_F(AuthService, tenant_user_without_a_domain_is_rejected) {
  const auto response = sign_in("alice", "alice-secret", std::nullopt);
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(response));
}

TEST_F(AuthService, invalid_username_or_domain_is_invalid_input) {
  const auto bad_name = sign_in("al ice", "x");
  EXPECT_EQ("VALIDATE_FAILED", error_code(bad_name));
  EXPECT_EQ("bad_character", bad_name.body["errors"][0]["detail"]["rule"]);
  const auto bad_domain = sign_in("alice", "alice-secret", "https://pbx.example.com");
  EXPECT_EQ("VALIDATE_FAILED", error_code(bad_domain));
  EXPECT_EQ("domain", bad_domain.body["errors"][0]["detail"]["field"]);
  EXPECT_EQ("/domain", bad_domain.body["errors"][0]["detail"]["pointer"]);
}

TEST_F(AuthService, missing_field_is_invalid_input_not_a_crash) {
  const auto response = call("signInWithCredentials", {{"username", "alice"}});
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("password", response.body["errors"][0]["detail"]["field"]);
  EXPECT_EQ("/password", response.body["errors"][0]["detail"]["pointer"]);
  EXPECT_EQ("required", response.body["errors"][0]["detail"]["rule"]);
  EXPECT_EQ(400, call("signInWithCredentials").status);  // no body at all
  EXPECT_EQ(400, call("signInWithCredentials", {{"username", 5}, {"password", "x"}}).status);
}

TEST_F(AuthService, user_info_answers_role_and_password_state) {
  const auto alice = tokens_for("alice", "alice-secret");
  const auto info = call("getUserAuthInfo", nullptr, alice.access);
  ASSERT_EQ(200, info.status);
  EXPECT_EQ(json::parse(R"({"role": "Admin", "password_verified": true, "password_force_reset": false})"), info.body);
  const auto dave = tokens_for("dave", "dave-secret");
  EXPECT_EQ(true, call("getUserAuthInfo", nullptr, dave.access).body["password_force_reset"]);
}

TEST_F(AuthService, protected_operations_without_a_valid_token_are_401) {
  for (const char* operation : {"getUserAuthInfo", "signOut"}) {
    SCOPED_TRACE(operation);
    const auto missing = call(operation);
    EXPECT_EQ(401, missing.status);
    EXPECT_EQ("UNAUTHORIZED", error_code(missing));
    EXPECT_EQ(401, call(operation, nullptr, "NOTATOKEN").status);
    EXPECT_EQ(401, call(operation, nullptr, std::string(48, 'A')).status);
    EXPECT_EQ(401, call(operation, nullptr, "").status);
  }
}

TEST_F(AuthService, access_token_expires_with_the_clock) {
  const auto tokens = tokens_for("bob", "bob-secret");
  clock.advance(3599s);
  EXPECT_EQ(200, user_status(tokens.access));
  clock.advance(2s);
  EXPECT_EQ(401, user_status(tokens.access));
}

TEST_F(AuthService, refresh_rotates_the_refresh_token) {
  const auto first = tokens_for("bob", "bob-secret");
  const auto refreshed = call("refreshToken", {{"refresh_token", first.refresh}});
  ASSERT_EQ(200, refreshed.status) << refreshed.serialized_body();
  EXPECT_EQ("Bearer", refreshed.body["token_type"]);
  EXPECT_EQ(3600, refreshed.body["expires_in"]);
  const std::string access = refreshed.body["access_token"];
  const std::string refresh = refreshed.body["refresh_token"];
  EXPECT_NE(first.access, access);
  EXPECT_NE(first.refresh, refresh);
  EXPECT_EQ(200, user_status(access));
  // The old refresh token is spent.
  const auto again = call("refreshToken", {{"refresh_token", first.refresh}});
  EXPECT_EQ(400, again.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(again));
  // The new one works, once.
  EXPECT_EQ(200, call("refreshToken", {{"refresh_token", refresh}}).status);
  EXPECT_EQ(400, call("refreshToken", {{"refresh_token", refresh}}).status);
}

TEST_F(AuthService, earlier_access_tokens_of_a_session_live_until_they_expire) {
  const auto first = tokens_for("bob", "bob-secret");
  clock.advance(1800s);
  const auto refreshed = call("refreshToken", {{"refresh_token", first.refresh}});
  ASSERT_EQ(200, refreshed.status);
  EXPECT_EQ(200, user_status(first.access));  // requests in flight during a refresh still work
  clock.advance(1801s);
  EXPECT_EQ(401, user_status(first.access));
  EXPECT_EQ(200, user_status(refreshed.body["access_token"]));
}

TEST_F(AuthService, refresh_token_expires_after_30_days) {
  const auto tokens = tokens_for("bob", "bob-secret");
  clock.advance(std::chrono::hours(24 * 30) + 1s);
  EXPECT_EQ(400, call("refreshToken", {{"refresh_token", tokens.refresh}}).status);
}

TEST_F(AuthService, unknown_refresh_token_is_rejected_credentials) {
  const auto response = call("refreshToken", {{"refresh_token", std::string(48, 'Z')}});
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(response));
}

TEST_F(AuthService, sign_out_revokes_access_and_refresh_tokens) {
  const auto tokens = tokens_for("alice", "alice-secret");
  const auto out = call("signOut", nullptr, tokens.access);
  EXPECT_EQ(200, out.status);
  EXPECT_FALSE(out.has_body());
  EXPECT_EQ(401, user_status(tokens.access));
  EXPECT_EQ(400, call("refreshToken", {{"refresh_token", tokens.refresh}}).status);
  EXPECT_EQ(401, call("signOut", nullptr, tokens.access).status);
}

TEST_F(AuthService, sign_out_ends_every_access_token_of_the_session) {
  const auto first = tokens_for("alice", "alice-secret");
  const auto refreshed = call("refreshToken", {{"refresh_token", first.refresh}});
  ASSERT_EQ(200, refreshed.status);
  EXPECT_EQ(200, call("signOut", nullptr, refreshed.body["access_token"]).status);
  EXPECT_EQ(401, user_status(first.access));
  EXPECT_EQ(400, call("refreshToken", {{"refresh_token", refreshed.body["refresh_token"]}}).status);
}

TEST_F(AuthService, sign_out_leaves_other_sessions_alone) {
  const auto laptop = tokens_for("alice", "alice-secret");
  const auto phone = tokens_for("alice", "alice-secret");
  EXPECT_EQ(200, call("signOut", nullptr, laptop.access).status);
  EXPECT_EQ(401, user_status(laptop.access));
  EXPECT_EQ(200, user_status(phone.access));
}

TEST_F(AuthService, unknown_operation_is_404) {
  const auto response = call("deleteEverything");
  EXPECT_EQ(404, response.status);
  EXPECT_EQ("NOT_FOUND", error_code(response));
}

// The route table (mock/auth/auth_service.cpp) is where the operations are stated: it must
// answer exactly the operations of our spec, in the spec's order, and no test counts them.
TEST_F(AuthService, the_route_table_answers_exactly_the_operations_of_the_spec) {
  std::vector<std::string> in_spec;
  for (const auto& operation : pbxmock::spec::builtin_spec().operations()) in_spec.push_back(operation.operation_id);
  EXPECT_EQ(in_spec, pbxmock::mock::AuthService::operation_ids());
  for (const auto& id : pbxmock::mock::AuthService::operation_ids()) {
    EXPECT_NE("NOT_FOUND", error_code(call(id))) << id;
  }
}

TEST_F(AuthService, reset_restores_the_scenario_start) {
  const auto tokens = tokens_for("bob", "bob-secret");
  call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"}, {"callback_url", "https://app.example.com/r"}});
  const auto mail = outbox.latest("password_reset", "bob");
  ASSERT_TRUE(mail.has_value());
  ASSERT_EQ(200, call("resetPassword", {{"token", mail->token}, {"new_password", "changed"}}).status);
  service.reset();
  EXPECT_EQ(401, user_status(tokens.access));
  EXPECT_EQ(200, sign_in("bob", "bob-secret").status);
  EXPECT_EQ(400, sign_in("bob", "changed").status);
  EXPECT_EQ(0, service.state().stats_json()["reset_tokens"]);
}

}  // namespace

namespace {

// Bounded state: past the limits the oldest session (or the oldest access token of a session)
// ends, so no client can grow the mock without limit.
TEST(auth_limits, oldest_session_and_oldest_access_token_are_dropped) {
  pbxmock::mock::Clock clock;
  pbxmock::mock::Outbox outbox;
  pbxmock::mock::AuthLimits limits;
  limits.max_sessions = 2;
  limits.max_access_tokens_per_session = 2;
  pbxmock::mock::AuthService service(std::make_shared<const pbxmock::mock::Scenario>(pbxmock::mock::default_scenario()),
                                     clock, outbox, limits);
  const auto sign_in = [&] {
    return service.handle(pbxmock::test::make_request(
        "signInWithCredentials", {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}}));
  };
  const auto status = [&](const std::string& token) {
    return service.handle(pbxmock::test::make_request("getUserAuthInfo", nullptr, token)).status;
  };
  const std::string first = sign_in().body["access_token"];
  const auto second = sign_in();
  const std::string third = sign_in().body["access_token"];
  EXPECT_EQ(401, status(first));
  EXPECT_EQ(200, status(second.body["access_token"]));
  EXPECT_EQ(200, status(third));

  const auto r1 = service.handle(pbxmock::test::make_request("refreshToken", {{"refresh_token", second.body["refresh_token"]}}));
  const auto r2 = service.handle(pbxmock::test::make_request("refreshToken", {{"refresh_token", r1.body["refresh_token"]}}));
  EXPECT_EQ(401, status(second.body["access_token"]));  // the session's oldest of three
  EXPECT_EQ(200, status(r1.body["access_token"]));
  EXPECT_EQ(200, status(r2.body["access_token"]));
}

// Expired records go away by themselves: sweeps walk a bounded slice of the sessions each time,
// and enough later operations clear them all, live sessions untouched.
TEST(auth_limits, expired_sessions_challenges_and_reset_tokens_are_swept) {
  pbxmock::mock::Clock clock;
  pbxmock::mock::Outbox outbox;
  pbxmock::mock::AuthService service(std::make_shared<const pbxmock::mock::Scenario>(pbxmock::mock::default_scenario()),
                                     clock, outbox);
  const auto handle = [&](const std::string& operation, nlohmann::json body) {
    return service.handle(pbxmock::test::make_request(operation, std::move(body)));
  };
  const nlohmann::json bob = {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}};
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(200, handle("signInWithCredentials", bob).status);
  ASSERT_EQ(200, handle("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"},
                                           {"callback_url", "https://app.example.com/r"}})
                     .status);
  auto stats = service.state().stats_json();
  ASSERT_EQ(5000, stats["sessions"]);
  ASSERT_EQ(1, stats["reset_tokens"]);

  const auto& tokens = service.state().scenario().tokens;
  ASSERT_TRUE(clock.advance(std::chrono::duration_cast<std::chrono::seconds>(
      std::max({tokens.access, tokens.refresh, tokens.reset_token}) + std::chrono::seconds(1))));
  const auto live = handle("signInWithCredentials", bob);
  ASSERT_EQ(200, live.status);
  // Wrong passwords still count as operations: 20,000 of them give 19 sweeps.
  const nlohmann::json wrong = {{"username", "bob"}, {"password", "wrong"}, {"domain", "pbx.example.com"}};
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(400, handle("signInWithCredentials", wrong).status);

  stats = service.state().stats_json();
  EXPECT_EQ(1, stats["sessions"]);
  EXPECT_EQ(1, stats["access_tokens"]);
  EXPECT_EQ(1, stats["refresh_tokens"]);
  EXPECT_EQ(0, stats["reset_tokens"]);
  EXPECT_EQ(200, service.handle(pbxmock::test::make_request("getUserAuthInfo", nullptr,
                                                             live.body["access_token"].get<std::string>()))
                     .status);
}

}  // namespace
