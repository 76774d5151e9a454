// The spec checks against hand-made answers: each catches what it should and nothing else.
#include <gtest/gtest.h>

#include "contracts/spec_checks.h"

namespace {

using pbxmock::contracts::make_response;
using pbxmock::contracts::Response;
using pbxmock::contracts::SpecChecker;
using nlohmann::json;

const SpecChecker& checker() {
  static const SpecChecker c(pbxmock::spec::builtin_spec(), {"/__admin", "/__idp"});
  return c;
}

// "check: message" per finding.
std::vector<std::string> findings(const std::string& method, const std::string& path, const Response& r) {
  std::vector<std::string> out;
  for (const auto& f : checker().check(method, path, r)) out.push_back(f.check + ": " + f.message);
  return out;
}

std::vector<std::string> checks(const std::string& method, const std::string& path, const Response& r) {
  std::vector<std::string> out;
  for (const auto& f : checker().check(method, path, r)) out.push_back(f.check);
  return out;
}

Response json_response(int status, const json& body) {
  return make_response(status, {{"Content-Type", "application/json; charset=utf-8"}}, body.dump());
}

const json kTokens = {{"token_type", "Bearer"},
                      {"access_token", "7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY"},
                      {"refresh_token", "2S9PV1ZIRJVV7VAT3GBVNBYTKXL48GZOOHHTFPAZK8CB2S7E"},
                      {"expires_in", 3600}};

const json kUnauthorized = {{"errors", json::array({{{"code", "UNAUTHORIZED"}, {"message", "Login failed"}}})}};

TEST(contract_spec_checks, a_correct_sign_in_answer_has_no_findings) {
  EXPECT_TRUE(findings("POST", "/api/auth/sign_in", json_response(200, kTokens)).empty());
  EXPECT_TRUE(findings("POST", "/api/auth/sign_in", json_response(400, kUnauthorized)).empty());
  const json challenge = {{"two_factor_enabled", true}, {"token", "9VIEKUQCIO58EIXBB5LN442X57IH8TBZG9N2MTN7Y7QWV33K"}};
  EXPECT_TRUE(findings("POST", "/api/auth/sign_in", json_response(200, challenge)).empty());
}

TEST(contract_spec_checks, undeclared_status) {
  EXPECT_EQ(std::vector<std::string>{"undeclared_status: status 500 is not declared for POST /auth/sign_in "
                                     "(signInWithCredentials), which declares 200, 400, 413, 415, 4XX"},
            findings("POST", "/api/auth/sign_in", make_response(500, {}, "")));
  // 4XX covers a 409 the operation does not list by number.
  EXPECT_TRUE(findings("POST", "/api/auth/sign_in", json_response(409, kUnauthorized)).empty());
  // A 2xx the operation does not declare is caught too.
  EXPECT_EQ(std::vector<std::string>{"undeclared_status"}, checks("POST", "/api/logout", make_response(200, {}, "")));
}

TEST(contract_spec_checks, schema_catches_a_missing_required_field_and_a_wrong_type) {
  json missing = kTokens;
  missing.erase("refresh_token");
  const auto f1 = findings("POST", "/api/auth/refresh_token", json_response(200, missing));
  ASSERT_EQ(1u, f1.size());
  EXPECT_EQ(0u, f1[0].rfind("schema: (body): ", 0)) << f1[0];
  EXPECT_NE(std::string::npos, f1[0].find("refresh_token")) << f1[0];

  json wrong = kTokens;
  wrong["expires_in"] = "3600";
  const auto f2 = findings("POST", "/api/auth/refresh_token", json_response(200, wrong));
  ASSERT_EQ(1u, f2.size());
  EXPECT_EQ(0u, f2[0].rfind("schema: /expires_in: ", 0)) << f2[0];
}

TEST(contract_spec_checks, schema_catches_a_body_that_is_not_json_and_a_missing_body) {
  EXPECT_EQ(std::vector<std::string>{"schema: the body is not valid JSON, though its Content-Type is application/json"},
            findings("GET", "/api/auth/user", make_response(200, {{"Content-Type", "application/json"}}, "{role:")));
  EXPECT_EQ(std::vector<std::string>{"schema: the answer has no body; the spec declares application/json for 200 of "
                                     "GET /auth/user (getUserAuthInfo)"},
            findings("GET", "/api/auth/user", make_response(200, {}, "")));
}

TEST(contract_spec_checks, content_type) {
  const json info = {{"role", "Admin"}, {"password_verified", true}, {"password_force_reset", false}};
  EXPECT_EQ(std::vector<std::string>{"content_type: Content-Type text/html is not declared for 200 of GET /auth/user "
                                     "(getUserAuthInfo) (declared: application/json)"},
            findings("GET", "/api/auth/user", make_response(200, {{"Content-Type", "text/html"}}, info.dump())));
  EXPECT_EQ(std::vector<std::string>{"content_type: the answer has no Content-Type; the spec declares application/json"},
            findings("GET", "/api/auth/user", make_response(200, {}, info.dump())));
  // A body where the spec declares none (sign_out's 200 is empty).
  EXPECT_EQ(std::vector<std::string>{"content_type: the spec declares no body for 200 of POST /auth/sign_out (signOut), "
                                     "but the answer has 2 bytes of application/json"},
            findings("POST", "/api/auth/sign_out", make_response(200, {{"Content-Type", "application/json"}}, "{}")));
}

TEST(contract_spec_checks, error_shape_of_4xx_bodies) {
  EXPECT_EQ(std::vector<std::string>{"error_shape"},
            checks("POST", "/api/auth/sign_in", json_response(400, json{{"error", "bad credentials"}})));
  const json lower_code = {{"errors", json::array({{{"code", "unauthorized"}, {"message", "x"}}})}};
  const auto f = findings("GET", "/api/auth/user", json_response(401, lower_code));
  ASSERT_EQ(1u, f.size());
  EXPECT_EQ(0u, f[0].rfind("error_shape: not the vendor's error body: /errors/0/code: ", 0)) << f[0];
  EXPECT_EQ(std::vector<std::string>{"error_shape: a 401 answer has no body, not the vendor's error body"},
            findings("GET", "/api/auth/user", make_response(401, {}, "")));
  EXPECT_EQ(std::vector<std::string>{"error_shape"}, checks("GET", "/api/auth/user",
                                                            make_response(401, {{"Content-Type", "application/json"}}, "nope")));
}

TEST(contract_spec_checks, required_header) {
  EXPECT_EQ(std::vector<std::string>{"required_header: the spec requires a Location header on 302 of POST "
                                     "/login/by_microsoft (loginWithMicrosoft); the answer has none"},
            findings("POST", "/api/login/by_microsoft", make_response(302, {}, "")));
  EXPECT_TRUE(findings("POST", "/api/login/by_microsoft", make_response(302, {{"Location", "http://x/__idp/authorize"}}, ""))
                  .empty());
}

TEST(contract_spec_checks, unknown_operation_under_the_base_path) {
  const json not_found = {{"errors", json::array({{{"code", "NOT_FOUND"}, {"message", "not found"}}})}};
  EXPECT_EQ(std::vector<std::string>{"unknown_operation: the spec has no path matching /nope"},
            findings("GET", "/api/nope", json_response(404, not_found)));
  EXPECT_EQ(std::vector<std::string>{"unknown_operation: the spec has no GET /auth/sign_in (it has POST)"},
            findings("GET", "/api/auth/sign_in", json_response(405, not_found)));
  // Even then a 4xx must have the vendor's shape.
  EXPECT_EQ((std::vector<std::string>{"unknown_operation", "error_shape"}),
            checks("GET", "/api/nope", make_response(404, {{"Content-Type", "text/plain"}}, "Not Found")));
}

TEST(contract_spec_checks, the_mocks_own_routes_and_paths_outside_the_api_are_not_checked) {
  EXPECT_TRUE(findings("POST", "/__admin/reset", make_response(500, {}, "garbage")).empty());
  EXPECT_TRUE(findings("GET", "/__idp/authorize", make_response(200, {{"Content-Type", "text/html"}}, "<html>")).empty());
  EXPECT_TRUE(findings("GET", "/index.html", make_response(404, {}, "")).empty());
  EXPECT_TRUE(findings("GET", "/apix/info", make_response(404, {}, "")).empty());
}

TEST(contract_spec_checks, lookup_finds_operations_with_path_parameters) {
  const auto found = checker().lookup("POST", "/api/auth/sign_in/microsoft");
  ASSERT_EQ(pbxmock::contracts::OperationLookup::Kind::found, found.kind);
  EXPECT_EQ("signInWithSocialAccount", found.operation->operation_id);
  EXPECT_EQ("/auth/sign_in/microsoft", found.relative_path);
}

TEST(contract_spec_checks, check_names_are_the_documented_ones) {
  EXPECT_TRUE(pbxmock::contracts::is_spec_check("undeclared_status"));
  EXPECT_TRUE(pbxmock::contracts::is_spec_check("error_shape"));
  EXPECT_FALSE(pbxmock::contracts::is_spec_check("status"));
}

}  // namespace
