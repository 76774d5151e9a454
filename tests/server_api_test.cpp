// The operations of our spec over real HTTP against `pbxmock serve` on a free loopback port: each
// operation's success, each error class of AUTH-API.md B1, each flow end to end (2FA and
// forgotten password through the outbox, Microsoft through the stand-in page), token
// rotation, revocation and expiry, tenant isolation, and CORS on every kind of answer.
#include <gtest/gtest.h>

#include <string>

#include "support/server_client.h"
#include "support/server_process.h"
#include "support/text_match.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

const json kAlice = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};

class ServerApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(PBXMOCK_BINARY); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    client_ = client_for(*server_);
    ASSERT_EQ(200, client_->Put("/__admin/scenarios/active", R"({"name":"default"})", "application/json")->status);
    ASSERT_EQ(200, client_->Post("/__admin/reset")->status);
  }

  // Signs in and returns the token object.
  json sign_in(const json& credentials = kAlice) {
    auto answer = post_json(*client_, "/api/auth/sign_in", credentials);
    EXPECT_TRUE(answer);
    EXPECT_EQ(200, answer ? answer->status : 0) << (answer ? answer->body : "");
    return json_of(answer);
  }

  // The newest outbox message of `kind` for `username`.
  json latest_message(const std::string& kind, const std::string& username) {
    auto answer = client_->Get(("/__admin/outbox?kind=" + kind + "&username=" + username).c_str());
    EXPECT_EQ(200, answer->status);
    const json messages = json_of(answer)["messages"];
    EXPECT_FALSE(messages.empty());
    return messages.empty() ? json::object() : messages[0];
  }

  static ServerProcess* server_;
  std::unique_ptr<httplib::Client> client_;
};

ServerProcess* ServerApi::server_ = nullptr;

bool looks_like_token(const json& value) {
  return value.is_string() && matches_whole("[A-Z0-9]{48}", value.get<std::string>());
}

TEST_F(ServerApi, info_answers_the_system_metadata) {
  auto answer = client_->Get("/api/info");
  ASSERT_TRUE(answer);
  EXPECT_EQ(200, answer->status);
  EXPECT_EQ("application/json", answer->get_header_value("Content-Type"));
  EXPECT_EQ("pbx.example.com", json_of(answer)["web_domain"]);
}

TEST_F(ServerApi, info_with_a_domain_answers_the_tenant_and_404_for_an_unknown_one) {
  auto tenant = client_->Get("/api/info?domain=PBX.Example.COM.");
  ASSERT_TRUE(tenant);
  EXPECT_EQ(200, tenant->status);
  EXPECT_EQ("Example Corp", json_of(tenant)["name"]);
  auto unknown = client_->Get("/api/info?domain=nowhere.example.org");
  EXPECT_EQ(404, unknown->status);
  EXPECT_EQ("NOT_FOUND", error_code(unknown));
}

TEST_F(ServerApi, sign_in_answers_a_token_object_that_get_user_accepts) {
  const json tokens = sign_in();
  EXPECT_EQ("Bearer", tokens["token_type"]);
  EXPECT_TRUE(looks_like_token(tokens["access_token"]));
  EXPECT_TRUE(looks_like_token(tokens["refresh_token"]));
  EXPECT_EQ(3600, tokens["expires_in"]);
  auto user = client_->Get("/api/auth/user", bearer(tokens["access_token"]));
  ASSERT_TRUE(user);
  EXPECT_EQ(200, user->status);
  EXPECT_EQ("Admin", json_of(user)["role"]);
}

TEST_F(ServerApi, system_administrator_signs_in_without_a_domain) {
  const json tokens = sign_in({{"username", "admin"}, {"password", "admin-secret"}});
  auto user = client_->Get("/api/auth/user", bearer(tokens["access_token"]));
  EXPECT_EQ("SystemAdmin", json_of(user)["role"]);
}

TEST_F(ServerApi, reserved_name_with_a_domain_is_a_validation_error) {
  auto answer = post_json(*client_, "/api/auth/sign_in",
                          {{"username", "admin"}, {"password", "admin-secret"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(400, answer->status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(answer));
}

TEST_F(ServerApi, wrong_password_is_400_unauthorized) {
  auto answer = post_json(*client_, "/api/auth/sign_in",
                          {{"username", "alice"}, {"password", "wrong"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(400, answer->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(answer));
}

TEST_F(ServerApi, unknown_path_is_404_not_found) {
  // "/" is the home page (GET / answers what this server is; admin_page_test).
  for (const char* path : {"/api/nothing/here", "/apix/info", "/__idp/nowhere", "/index.html"}) {
    auto answer = client_->Get(path);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(404, answer->status) << path;
  }
  EXPECT_EQ("NOT_FOUND", error_code(client_->Get("/api/nothing/here")));
}

TEST_F(ServerApi, wrong_method_is_405_with_allow) {
  auto answer = client_->Delete("/api/info");
  ASSERT_TRUE(answer);
  EXPECT_EQ(405, answer->status);
  EXPECT_EQ("METHOD_NOT_ALLOWED", error_code(answer));
  EXPECT_EQ("GET", answer->get_header_value("Allow"));
  auto with_body = client_->Put("/api/auth/sign_in", kAlice.dump(), "application/json");
  EXPECT_EQ(405, with_body->status);
  EXPECT_EQ("POST", with_body->get_header_value("Allow"));
}

TEST_F(ServerApi, wrong_content_type_is_415) {
  auto answer = client_->Post("/api/auth/sign_in", kAlice.dump(), "text/plain");
  ASSERT_TRUE(answer);
  EXPECT_EQ(415, answer->status);
  EXPECT_EQ("UNSUPPORTED_MEDIA_TYPE", error_code(answer));
}

TEST_F(ServerApi, malformed_json_is_400_validate_failed) {
  auto answer = client_->Post("/api/auth/sign_in", "{\"username\": \"alice\",", "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(400, answer->status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(answer));
}

TEST_F(ServerApi, validation_error_names_the_field_the_rule_and_the_limit) {
  auto answer = post_json(*client_, "/api/auth/sign_in",
                          {{"username", std::string(65, 'a')}, {"password", "x"}, {"domain", "pbx.example.com"}});
  ASSERT_TRUE(answer);
  EXPECT_EQ(400, answer->status);
  const json detail = json_of(answer)["errors"][0]["detail"];
  EXPECT_EQ("username", detail["field"]);
  EXPECT_EQ("maxLength", detail["rule"]);
  EXPECT_EQ(64, detail["limit"]);
}

TEST_F(ServerApi, body_of_two_mebibytes_is_413_in_the_vendor_shape) {
  const std::string huge = "{\"username\":\"" + std::string(2 << 20, 'a') + "\"}";
  auto answer = client_->Post("/api/auth/sign_in", huge, "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(413, answer->status);
  EXPECT_EQ("PAYLOAD_TOO_LARGE", error_code(answer));
  EXPECT_EQ("*", answer->get_header_value("Access-Control-Allow-Origin"));
}

TEST_F(ServerApi, protected_operation_without_or_with_an_unknown_token_is_401) {
  auto missing = client_->Get("/api/auth/user");
  EXPECT_EQ(401, missing->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(missing));
  auto unknown = client_->Get("/api/auth/user", bearer(std::string(48, 'A')));
  EXPECT_EQ(401, unknown->status);
  EXPECT_EQ(401, client_->Post("/api/auth/sign_out")->status);
}

TEST_F(ServerApi, two_factor_sign_in_goes_through_the_outbox) {
  auto first = post_json(*client_, "/api/auth/sign_in",
                         {{"username", "carol"}, {"password", "carol-secret"}, {"domain", "pbx.example.com"}});
  ASSERT_EQ(200, first->status);
  const json challenge = json_of(first);
  ASSERT_EQ(true, challenge["two_factor_enabled"]);
  const std::string session = challenge["token"];
  EXPECT_EQ(200, post_json(*client_, "/api/auth/send_otp", {{"token", session}})->status);
  const json message = latest_message("otp", "carol");
  EXPECT_EQ("carol@example.com", message["to"]);
  const std::string code = message["code"];
  ASSERT_TRUE(matches_whole("[0-9]{6}", code)) << code;

  const std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(400, post_json(*client_, "/api/auth/verify_otp", {{"token", session}, {"code", wrong}})->status);
  auto verified = post_json(*client_, "/api/auth/verify_otp", {{"token", session}, {"code", code}});
  ASSERT_EQ(200, verified->status);
  auto user = client_->Get("/api/auth/user", bearer(json_of(verified)["access_token"]));
  EXPECT_EQ("QueueManager", json_of(user)["role"]);
}

TEST_F(ServerApi, forgotten_password_goes_through_the_outbox_link) {
  auto forgot = post_json(*client_, "/api/auth/forget_password",
                          {{"domain", "pbx.example.com"}, {"username", "bob"}, {"callback_url", "https://app.example.com/reset"}});
  ASSERT_EQ(200, forgot->status);
  const json message = latest_message("password_reset", "bob");
  const std::string link = message["link"];
  const auto m = capture(R"(^https://app\.example\.com/reset\?token=([A-Z0-9]{48})$)", link);
  ASSERT_TRUE(m) << link;
  const std::string token = *m;
  EXPECT_EQ(token, message["token"]);

  EXPECT_EQ(200, post_json(*client_, "/api/auth/reset_password", {{"token", token}, {"new_password", "n3w-secret"}})->status);
  // Single use.
  EXPECT_EQ(400, post_json(*client_, "/api/auth/reset_password", {{"token", token}, {"new_password", "again"}})->status);
  const json old_password = {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}};
  EXPECT_EQ(400, post_json(*client_, "/api/auth/sign_in", old_password)->status);
  sign_in({{"username", "bob"}, {"password", "n3w-secret"}, {"domain", "pbx.example.com"}});
}

TEST_F(ServerApi, forgotten_password_of_an_unknown_user_still_answers_200_and_sends_nothing) {
  auto forgot = post_json(*client_, "/api/auth/forget_password",
                          {{"domain", "pbx.example.com"}, {"username", "nobody"}, {"callback_url", "https://app.example.com/r"}});
  EXPECT_EQ(200, forgot->status);
  EXPECT_TRUE(json_of(client_->Get("/__admin/outbox"))["messages"].empty());
}

TEST_F(ServerApi, microsoft_sign_in_goes_through_the_stand_in_page_and_redirect) {
  auto start = post_json(*client_, "/api/auth/sign_in/microsoft",
                         {{"domain", "pbx.example.com"}, {"callback_url", "http://localhost:5173/after"}});
  ASSERT_EQ(200, start->status) << start->body;
  const std::string url = json_of(start)["url"];
  const std::string origin = "http://127.0.0.1:" + std::to_string(server_->port());
  ASSERT_EQ(0u, url.rfind(origin + "/__idp/authorize?", 0)) << url;

  auto page = client_->Get(url.substr(origin.size()).c_str());
  ASSERT_EQ(200, page->status);
  EXPECT_NE(std::string::npos, page->get_header_value("Content-Type").find("text/html"));
  const auto link = capture(R"re(href="(/__idp/authorize/complete\?[^"]*user=alice[^"]*)")re", page->body);
  ASSERT_TRUE(link) << page->body;
  std::string complete = *link;
  for (std::size_t at; (at = complete.find("&amp;")) != std::string::npos;) complete.replace(at, 5, "&");

  auto redirect = client_->Get(complete.c_str());
  ASSERT_EQ(302, redirect->status);
  const std::string location = redirect->get_header_value("Location");
  const auto token = capture(R"(^http://localhost:5173/after\?.*access_token=([A-Z0-9]{48}))", location);
  ASSERT_TRUE(token) << location;
  EXPECT_NE(std::string::npos, location.find("token_type=Bearer"));
  EXPECT_NE(std::string::npos, location.find("refresh_token="));
  EXPECT_NE(std::string::npos, location.find("state="));
  auto user = client_->Get("/api/auth/user", bearer(*token));
  EXPECT_EQ(200, user->status);
  EXPECT_EQ("Admin", json_of(user)["role"]);
}

TEST_F(ServerApi, refresh_rotates_and_the_old_refresh_token_stops_working) {
  const json first = sign_in();
  auto refreshed = post_json(*client_, "/api/auth/refresh_token", {{"refresh_token", first["refresh_token"]}});
  ASSERT_EQ(200, refreshed->status);
  const json second = json_of(refreshed);
  EXPECT_NE(first["refresh_token"], second["refresh_token"]);
  EXPECT_NE(first["access_token"], second["access_token"]);
  auto replay = post_json(*client_, "/api/auth/refresh_token", {{"refresh_token", first["refresh_token"]}});
  EXPECT_EQ(400, replay->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(replay));
  EXPECT_EQ(200, client_->Get("/api/auth/user", bearer(second["access_token"]))->status);
}

TEST_F(ServerApi, sign_out_revokes_the_access_and_refresh_tokens) {
  const json tokens = sign_in();
  EXPECT_EQ(200, client_->Post("/api/auth/sign_out", bearer(tokens["access_token"]), "", "application/json")->status);
  EXPECT_EQ(401, client_->Get("/api/auth/user", bearer(tokens["access_token"]))->status);
  EXPECT_EQ(400, post_json(*client_, "/api/auth/refresh_token", {{"refresh_token", tokens["refresh_token"]}})->status);
}

TEST_F(ServerApi, moving_the_clock_expires_the_access_token) {
  const json tokens = sign_in();
  EXPECT_EQ(200, client_->Get("/api/auth/user", bearer(tokens["access_token"]))->status);
  auto moved = post_json(*client_, "/__admin/clock", {{"advance_seconds", 3601}});
  ASSERT_EQ(200, moved->status);
  EXPECT_EQ(3601, json_of(moved)["offset_seconds"]);
  auto expired = client_->Get("/api/auth/user", bearer(tokens["access_token"]));
  EXPECT_EQ(401, expired->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(expired));
}

TEST_F(ServerApi, a_tenants_token_speaks_only_for_that_tenants_user) {
  const std::string two_tenants = R"(
name: two_tenants
tenants:
  - name: Alpha
    domain: alpha.example.com
    users:
      - {username: alice, password: alpha-pass, role: Admin, email: alice@alpha.example.com}
  - name: Beta
    domain: beta.example.com
    users:
      - {username: alice, password: beta-pass, role: StandardUser, email: alice@beta.example.com}
)";
  auto loaded = client_->Post("/__admin/scenarios", two_tenants, "application/yaml");
  ASSERT_EQ(200, loaded->status) << loaded->body;
  const json alpha = sign_in({{"username", "alice"}, {"password", "alpha-pass"}, {"domain", "alpha.example.com"}});
  const json beta = sign_in({{"username", "alice"}, {"password", "beta-pass"}, {"domain", "beta.example.com"}});
  // Alpha's password is not Beta's, and each token answers for its own tenant's alice.
  EXPECT_EQ(400, post_json(*client_, "/api/auth/sign_in",
                           {{"username", "alice"}, {"password", "alpha-pass"}, {"domain", "beta.example.com"}})
                     ->status);
  EXPECT_EQ("Admin", json_of(client_->Get("/api/auth/user", bearer(alpha["access_token"])))["role"]);
  EXPECT_EQ("StandardUser", json_of(client_->Get("/api/auth/user", bearer(beta["access_token"])))["role"]);
  // Signing Beta's alice out leaves Alpha's alice signed in.
  client_->Post("/api/auth/sign_out", bearer(beta["access_token"]), "", "application/json");
  EXPECT_EQ(401, client_->Get("/api/auth/user", bearer(beta["access_token"]))->status);
  EXPECT_EQ(200, client_->Get("/api/auth/user", bearer(alpha["access_token"]))->status);
}

TEST_F(ServerApi, legacy_login_status_and_logout) {
  auto login = post_json(*client_, "/api/login", kAlice);
  ASSERT_EQ(200, login->status);
  const std::string token = json_of(login)["access_token"];
  auto status = client_->Get("/api/login", bearer(token));
  ASSERT_EQ(200, status->status);
  EXPECT_EQ(token, json_of(status)["access_token"]);
  EXPECT_EQ("Admin", json_of(status)["role"]);
  EXPECT_EQ(204, client_->Post("/api/logout", bearer(token), "", "application/json")->status);
  EXPECT_EQ(401, client_->Get("/api/login", bearer(token))->status);
}

TEST_F(ServerApi, legacy_microsoft_login_redirects_to_the_identity_provider) {
  auto answer = client_->Post("/api/login/by_microsoft", "domain=pbx.example.com", "application/x-www-form-urlencoded");
  ASSERT_TRUE(answer);
  EXPECT_EQ(302, answer->status);
  EXPECT_NE(std::string::npos, answer->get_header_value("Location").find("/__idp/authorize?tenant=pbx.example.com"));
}

TEST_F(ServerApi, cors_headers_on_success_error_and_admin_answers) {
  const httplib::Headers origin{{"Origin", "http://localhost:5173"}};
  for (const char* path : {"/api/info", "/api/auth/user", "/api/nowhere", "/__admin/health"}) {
    auto answer = client_->Get(path, origin);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ("http://localhost:5173", answer->get_header_value("Access-Control-Allow-Origin")) << path;
    EXPECT_EQ("Origin", answer->get_header_value("Vary")) << path;
    EXPECT_NE(std::string::npos, answer->get_header_value("Access-Control-Expose-Headers").find("Location")) << path;
  }
  auto without_origin = client_->Get("/api/info");
  EXPECT_EQ("*", without_origin->get_header_value("Access-Control-Allow-Origin"));
}

TEST_F(ServerApi, preflight_allows_the_method_and_headers_asked_for) {
  auto answer = client_->Options("/api/auth/sign_in", {{"Origin", "http://localhost:5173"},
                                                       {"Access-Control-Request-Method", "POST"},
                                                       {"Access-Control-Request-Headers", "content-type, authorization"}});
  ASSERT_TRUE(answer);
  EXPECT_EQ(204, answer->status);
  EXPECT_EQ("http://localhost:5173", answer->get_header_value("Access-Control-Allow-Origin"));
  EXPECT_EQ(1u, answer->get_header_value_count("Access-Control-Allow-Origin"));
  EXPECT_NE(std::string::npos, answer->get_header_value("Access-Control-Allow-Methods").find("POST"));
  const std::string allowed = answer->get_header_value("Access-Control-Allow-Headers");
  EXPECT_NE(std::string::npos, allowed.find("Authorization"));
  EXPECT_NE(std::string::npos, allowed.find("Content-Type"));
}

TEST_F(ServerApi, each_request_gets_one_log_line_without_passwords) {
  sign_in();
  ASSERT_TRUE(server_->wait_for_log("POST /api/auth/sign_in 200", std::chrono::seconds(5))) << server_->err();
  EXPECT_EQ(std::string::npos, server_->err().find("alice-secret"));
}

}  // namespace
}  // namespace pbxmock::test
