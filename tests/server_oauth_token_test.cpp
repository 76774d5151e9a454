// POST /api/login/oauth/token over real HTTP (AUTH-API.md A "The developer guide's token
// endpoint", B11): a client written from the guide's page signs in, refreshes and uses its
// token with no change; two-factor users get the auth/sign_in challenge; the tokens are one
// pool with the JSON operations; scenario lifetimes and client ids apply. The grant errors
// are in contracts/suite/oauth_token.yaml (run by contract_suite_test).
#include <gtest/gtest.h>

#include <string>

#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

const std::string kClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

httplib::Result token_request(httplib::Client& client, const httplib::Params& form) {
  return client.Post("/api/login/oauth/token", form);
}

httplib::Params alice_password_grant(const std::string& client_field = "clicent_id") {
  return {{"grant_type", "password"}, {"username", "alice"},   {"password", "alice-secret"},
          {"domain", "pbx.example.com"}, {"scope", "all"},      {client_field, kClientId}};
}

TEST(server_oauth_token, a_client_from_the_guide_signs_in_refreshes_and_reads_its_user) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  auto signed_in = token_request(*client, alice_password_grant());
  ASSERT_EQ(200, signed_in->status) << signed_in->body;
  EXPECT_NE(std::string::npos, signed_in->get_header_value("Content-Type").find("application/json"));
  const json tokens = json_of(signed_in);
  EXPECT_EQ("Bearer", tokens["token_type"]);
  EXPECT_EQ(3600, tokens["expires_in"]);

  auto refreshed = token_request(*client, {{"grant_type", "refresh_token"},
                                           {"refresh_token", tokens["refresh_token"].get<std::string>()},
                                           {"client_id", kClientId}});
  ASSERT_EQ(200, refreshed->status) << refreshed->body;
  const json fresh = json_of(refreshed);
  EXPECT_NE(tokens["access_token"], fresh["access_token"]);

  auto user = client->Get("/api/auth/user", bearer(fresh["access_token"]));
  ASSERT_EQ(200, user->status);
  EXPECT_EQ("Admin", json_of(user)["role"]);
}

TEST(server_oauth_token, tokens_are_one_pool_with_the_json_operations) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const json tokens = json_of(token_request(*client, alice_password_grant("client_id")));
  ASSERT_TRUE(tokens.contains("access_token")) << tokens.dump();
  // Signing out through auth/sign_out ends the session the token endpoint opened.
  EXPECT_EQ(200, client->Post("/api/auth/sign_out", bearer(tokens["access_token"]), "", "application/json")->status);
  EXPECT_EQ(401, client->Get("/api/auth/user", bearer(tokens["access_token"]))->status);
  auto refresh = post_json(*client, "/api/auth/refresh_token", {{"refresh_token", tokens["refresh_token"]}});
  EXPECT_EQ(400, refresh->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(refresh));
}

TEST(server_oauth_token, a_two_factor_user_gets_the_sign_in_challenge) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  auto answer = token_request(*client, {{"grant_type", "password"}, {"username", "carol"}, {"password", "carol-secret"},
                                        {"domain", "pbx.example.com"}, {"scope", "all"}, {"client_id", kClientId}});
  ASSERT_EQ(200, answer->status) << answer->body;
  const json challenge = json_of(answer);
  EXPECT_EQ(true, challenge["two_factor_enabled"]);
  EXPECT_FALSE(challenge.contains("access_token"));
  // The challenge token is the one send_otp takes.
  EXPECT_EQ(200, post_json(*client, "/api/auth/send_otp", {{"token", challenge["token"]}})->status);
}

TEST(server_oauth_token, the_vendor_defaults_scenario_gives_the_guides_1800_seconds) {
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", "vendor_defaults"}});
  auto client = client_for(server);
  auto answer = token_request(*client, {{"grant_type", "password"}, {"username", "admin"}, {"password", "admin-secret"},
                                        {"scope", "all"}, {"client_id", kClientId}});
  ASSERT_EQ(200, answer->status) << answer->body;
  EXPECT_EQ(1800, json_of(answer)["expires_in"]);
}

TEST(server_oauth_token, a_scenario_can_accept_more_client_ids) {
  ScratchFolder folder;
  const std::string file = folder.write("clients.yaml",
                                        "name: clients\n"
                                        "system_admins: [{username: admin, password: admin-secret}]\n"
                                        "oauth: {client_ids: [my-integration]}\n");
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", file}});
  auto client = client_for(server);
  httplib::Params form = {{"grant_type", "password"}, {"username", "admin"}, {"password", "admin-secret"}};
  for (const char* id : {"my-integration", "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a"}) {
    auto params = form;
    params.emplace("client_id", id);
    EXPECT_EQ(200, token_request(*client, params)->status) << id;
  }
  form.emplace("client_id", "someone-else");
  auto refused = token_request(*client, form);
  EXPECT_EQ(400, refused->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(refused));
  EXPECT_EQ("client_id", json_of(refused)["errors"][0]["detail"]["field"]);
}

TEST(server_oauth_token, a_body_that_is_not_a_form_is_415_naming_the_header) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  auto answer = client->Post("/api/login/oauth/token", "grant_type=password", "text/plain");
  EXPECT_EQ(415, answer->status);
  EXPECT_EQ("UNSUPPORTED_MEDIA_TYPE", error_code(answer));
  EXPECT_EQ("Content-Type", json_of(answer)["errors"][0]["detail"]["field"]);
}

}  // namespace
}  // namespace pbxmock::test
