// Every answer AuthService gives, success and error, for each operation of the route table (the
// vendor's operations and the developer guide's token endpoint), fits
// spec/portsip-auth.yaml: the status is declared for the operation, and a JSON body
// validates against the declared response schema (a body where none is declared, or none
// where one is, fails).
#include <gtest/gtest.h>

#include "auth_test_support.h"
#include "spec/openapi.h"
#include "spec/schema_validator.h"

namespace {

using pbxmock::mock::ApiResponse;
using pbxmock::test::json;
using pbxmock::test::make_request;
using pbxmock::test::MockTest;

void expect_conforms(const std::string& operation_id, const ApiResponse& response) {
  SCOPED_TRACE(operation_id + " " + std::to_string(response.status) + " " + response.serialized_body());
  const auto& document = pbxmock::spec::builtin_spec();
  static const pbxmock::spec::SchemaValidator validator(document.root());
  const auto* operation = document.find_operation(operation_id);
  ASSERT_NE(nullptr, operation);
  const auto* declared = operation->find_response(response.status);
  ASSERT_NE(nullptr, declared) << "status not declared for the operation";
  if (!response.has_body()) {
    EXPECT_TRUE(declared->content.empty()) << "the spec declares a body here";
    if (response.status == 302) {
      EXPECT_NE(nullptr, response.header("Location"));
    }
    return;
  }
  ASSERT_EQ("application/json", response.content_type);
  const pbxmock::spec::MediaType* media = nullptr;
  for (const auto& candidate : declared->content)
    if (candidate.content_type == "application/json") media = &candidate;
  ASSERT_NE(nullptr, media) << "the spec declares no JSON body here";
  ASSERT_NE(nullptr, media->schema);
  const auto violations = validator.validate(*media->schema, response.body, pbxmock::spec::Direction::response);
  for (const auto& v : violations) ADD_FAILURE() << v.pointer << ": " << v.rule << ": " << v.message;
  if (response.status == 405) {
    EXPECT_NE(nullptr, response.header("Allow"));
  }
}

using Conformance = MockTest;

// The check itself rejects what does not fit, so the passes below mean something.
TEST(conformance_check, rejects_a_token_object_without_expires_in) {
  const auto& document = pbxmock::spec::builtin_spec();
  const pbxmock::spec::SchemaValidator validator(document.root());
  const auto* ok = document.find_operation("refreshToken")->find_response(200);
  ASSERT_NE(nullptr, ok);
  ASSERT_FALSE(ok->content.empty());
  const json incomplete = {{"token_type", "Bearer"}, {"access_token", "A"}, {"refresh_token", "R"}};
  EXPECT_FALSE(validator.is_valid(*ok->content[0].schema, incomplete, pbxmock::spec::Direction::response));
  EXPECT_EQ(nullptr, document.find_operation("signOut")->find_response(204));  // 204 is not declared there
}

TEST_F(Conformance, metadata) {
  expect_conforms("retrieveMetadata", call("retrieveMetadata"));
  for (const char* domain : {"pbx.example.com", "nobody.example.com", "bad domain"}) {
    auto request = make_request("retrieveMetadata");
    request.query = {{"domain", domain}};
    expect_conforms("retrieveMetadata", service.handle(request));
  }
}

TEST_F(Conformance, sign_in_and_legacy_login) {
  for (const char* operation : {"signInWithCredentials", "login"}) {
    expect_conforms(operation, call(operation, {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}}));
    expect_conforms(operation, call(operation, {{"username", "carol"}, {"password", "carol-secret"}, {"domain", "pbx.example.com"}}));
    expect_conforms(operation, call(operation, {{"username", "bob"}, {"password", "no"}, {"domain", "pbx.example.com"}}));
    expect_conforms(operation, call(operation, {{"username", "admin"}, {"password", "no"}, {"domain", "pbx.example.com"}}));
    expect_conforms(operation, call(operation, {{"username", "admin"}, {"password", "admin-secret"}}));
  }
}

TEST_F(Conformance, social_sign_in_and_login_by_microsoft) {
  expect_conforms("signInWithSocialAccount",
                  call("signInWithSocialAccount", {{"domain", "pbx.example.com"}, {"callback_url", "/cb"}}));
  expect_conforms("signInWithSocialAccount",
                  call("signInWithSocialAccount", {{"domain", "nobody.example.com"}, {"callback_url", "/cb"}}));
  expect_conforms("loginWithMicrosoft", call("loginWithMicrosoft", {{"domain", "pbx.example.com"}}));
  expect_conforms("loginWithMicrosoft", call("loginWithMicrosoft", {{"domain", "nobody.example.com"}}));
}

TEST_F(Conformance, session_operations) {
  const auto tokens = tokens_for("dave", "dave-secret");
  expect_conforms("getUserAuthInfo", call("getUserAuthInfo", nullptr, tokens.access));
  expect_conforms("getUserAuthInfo", call("getUserAuthInfo"));
  expect_conforms("getLoginStatus", call("getLoginStatus", nullptr, tokens.access));
  expect_conforms("getLoginStatus", call("getLoginStatus"));
  const auto refreshed = call("refreshToken", {{"refresh_token", tokens.refresh}});
  expect_conforms("refreshToken", refreshed);
  expect_conforms("refreshToken", call("refreshToken", {{"refresh_token", tokens.refresh}}));
  expect_conforms("signOut", call("signOut", nullptr, refreshed.body["access_token"].get<std::string>()));
  expect_conforms("signOut", call("signOut", nullptr, tokens.access));
  const auto other = tokens_for("bob", "bob-secret");
  expect_conforms("logout", call("logout", nullptr, other.access));
  expect_conforms("logout", call("logout"));
}

TEST_F(Conformance, two_factor_and_password_reset) {
  const std::string challenge =
      sign_in("carol", "carol-secret").body["token"];
  expect_conforms("sendOTP", call("sendOTP", {{"token", challenge}}));
  expect_conforms("sendOTP", call("sendOTP", {{"token", "UNKNOWN"}}));
  expect_conforms("verifyOTP", call("verifyOTP", {{"token", challenge}, {"code", "x"}}));
  expect_conforms("verifyOTP", call("verifyOTP", {{"token", challenge}, {"code", outbox.latest("otp", "carol")->code}}));
  expect_conforms("forgetPassword", call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"},
                                                            {"callback_url", "https://app.example.com/r"}}));
  expect_conforms("forgetPassword", call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "root"},
                                                            {"callback_url", "https://app.example.com/r"}}));
  const std::string token = outbox.latest("password_reset", "bob")->token;
  expect_conforms("resetPassword", call("resetPassword", {{"token", token}, {"new_password", "n3w"}}));
  expect_conforms("resetPassword", call("resetPassword", {{"token", token}, {"new_password", "n3w"}}));
}

TEST_F(Conformance, the_developer_guides_token_endpoint) {
  const json admin = {{"grant_type", "password"}, {"username", "admin"}, {"password", "admin-secret"},
                      {"scope", "all"}, {"client_id", "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a"}};
  const auto signed_in = call("requestOAuthToken", admin);
  EXPECT_EQ(200, signed_in.status);
  expect_conforms("requestOAuthToken", signed_in);
  json refresh = {{"grant_type", "refresh_token"}, {"refresh_token", signed_in.body.value("refresh_token", "")},
                  {"clicent_id", "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a"}};
  const auto refreshed = call("requestOAuthToken", refresh);
  EXPECT_EQ(200, refreshed.status);
  expect_conforms("requestOAuthToken", refreshed);
  json carol = admin;
  carol["username"] = "carol";
  carol["password"] = "carol-secret";
  carol["domain"] = "pbx.example.com";
  expect_conforms("requestOAuthToken", call("requestOAuthToken", carol));
  for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
           {"password", "wrong"}, {"grant_type", "implicit"}, {"scope", "read"}, {"client_id", "other"}, {"username", nullptr}}) {
    json broken = admin;
    if (value.is_null()) {
      broken.erase(field);
    } else {
      broken[field] = value;
    }
    const auto answer = call("requestOAuthToken", broken);
    EXPECT_EQ(400, answer.status) << field;
    expect_conforms("requestOAuthToken", answer);
  }
}

}  // namespace
