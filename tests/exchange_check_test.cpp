// The exchange checker (contracts/exchange_check.h) against planted violations in either
// direction, each found with its operation, direction, rule and pointer, and clean exchanges
// with none.
#include <gtest/gtest.h>

#include "contracts/exchange_check.h"

namespace {

using nlohmann::json;
using pbxmock::contracts::Direction;
using pbxmock::contracts::Exchange;
using pbxmock::contracts::ExchangeChecker;
using pbxmock::contracts::ExchangeViolation;

const ExchangeChecker& checker() {
  static const ExchangeChecker c(pbxmock::spec::builtin_spec(), {"/__admin", "/__idp"});
  return c;
}

const json kTokens = {{"token_type", "Bearer"},
                      {"access_token", "7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY"},
                      {"refresh_token", "2S9PV1ZIRJVV7VAT3GBVNBYTKXL48GZOOHHTFPAZK8CB2S7E"},
                      {"expires_in", 3600}};

Exchange sign_in(const json& request_body, int status, const std::string& type, const std::string& answer) {
  Exchange e;
  e.request = {"POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, request_body.dump()};
  e.response = {status, {{"Content-Type", type}}, answer};
  return e;
}

const json kCredentials = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};

// "direction rule pointer" per violation.
std::vector<std::string> found(const Exchange& e) {
  std::vector<std::string> out;
  for (const ExchangeViolation& v : checker().check(e)) {
    EXPECT_FALSE(v.operation.empty());
    out.push_back(std::string(pbxmock::contracts::direction_name(v.direction)) + " " + v.rule + " " + v.pointer);
  }
  return out;
}

TEST(exchange_check, a_clean_sign_in_has_no_violation) {
  EXPECT_EQ(std::vector<std::string>{}, found(sign_in(kCredentials, 200, "application/json", kTokens.dump())));
}

TEST(exchange_check, a_body_nobody_kept_is_not_judged_but_its_status_is) {
  Exchange e;
  e.request = {"GET", "/api/info", {}, ""};
  e.response = {200, {{"Content-Type", "application/json"}}, ""};
  EXPECT_EQ(std::vector<std::string>{"response schema /body"}, found(e));  // an empty body is judged
  e.response.body_captured = false;
  EXPECT_EQ(std::vector<std::string>{}, found(e));
  e.response.status = 299;
  EXPECT_EQ(std::vector<std::string>{"response undeclared_status /status"}, found(e));
}

TEST(exchange_check, a_cors_preflight_is_the_browsers_question_not_a_call) {
  Exchange e;
  e.request = {"OPTIONS", "/api/auth/sign_in", {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}}, ""};
  e.response = {204, {{"Access-Control-Allow-Origin", "http://localhost:5173"}}, ""};
  EXPECT_EQ(std::vector<std::string>{}, found(e));
  EXPECT_FALSE(checker().refusal(e.request).has_value());
  // An OPTIONS that is not a preflight is judged: the spec has no OPTIONS.
  e.request.headers.pop_back();
  EXPECT_EQ(std::vector<std::string>{"request unknown_operation "}, found(e));
}

TEST(exchange_check, the_answer_to_a_head_is_not_judged_by_its_empty_body) {
  Exchange e;
  e.request = {"HEAD", "/api/info", {}, ""};
  e.response = {405, {{"Allow", "GET"}}, ""};
  // The spec has no HEAD: the request's violation; the empty 405 is no error_shape one.
  EXPECT_EQ(std::vector<std::string>{"request unknown_operation "}, found(e));
}

TEST(exchange_check, an_answer_of_the_wrong_type_is_a_schema_violation_at_its_pointer) {
  Exchange e;
  e.request = {"GET", "/api/auth/user", {{"Authorization", "Bearer 7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY"}}, ""};
  e.response = {200, {{"Content-Type", "application/json"}},
                R"({"role":"Admin","password_verified":"yes","password_force_reset":false})"};
  const auto violations = checker().check(e);
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("getUserAuthInfo", violations[0].operation);
  EXPECT_EQ(Direction::response, violations[0].direction);
  EXPECT_EQ("schema", violations[0].rule);
  EXPECT_EQ("/body/password_verified", violations[0].pointer);
  EXPECT_NE(std::string::npos, violations[0].message.find("boolean")) << violations[0].message;
}

TEST(exchange_check, a_sign_in_answer_of_neither_shape_is_a_schema_violation) {
  json answer = kTokens;
  answer["expires_in"] = "3600";
  EXPECT_EQ(std::vector<std::string>{"response schema /body"},
            found(sign_in(kCredentials, 200, "application/json", answer.dump())));
}

TEST(exchange_check, a_wrong_content_type_is_found) {
  EXPECT_EQ(std::vector<std::string>{"response content_type /headers/content-type"},
            found(sign_in(kCredentials, 200, "text/plain", kTokens.dump())));
}

TEST(exchange_check, an_undeclared_status_is_found) {
  Exchange e;
  e.request = {"GET", "/api/info", {}, ""};
  e.response = {500, {{"Content-Type", "application/json"}}, R"({"oops":true})"};
  EXPECT_EQ(std::vector<std::string>{"response undeclared_status /status"}, found(e));
}

TEST(exchange_check, an_error_body_not_of_the_vendors_shape_is_found) {
  const auto v = found(sign_in(kCredentials, 400, "application/json", R"({"error":"bad"})"));
  ASSERT_FALSE(v.empty());
  EXPECT_EQ("response error_shape /body", v[0].substr(0, v[0].find("/body") + 5));
}

TEST(exchange_check, a_request_without_a_required_field_is_a_request_violation) {
  json body = kCredentials;
  body.erase("password");
  const std::string errors = R"({"errors":[{"code":"VALIDATE_FAILED","message":"x"}]})";
  const auto violations = checker().check(sign_in(body, 400, "application/json", errors));
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ(Direction::request, violations[0].direction);
  EXPECT_EQ("required", violations[0].rule);
  EXPECT_EQ("/body/password", violations[0].pointer);
}

TEST(exchange_check, request_parameters_and_tokens_point_where_they_are) {
  Exchange bad_domain;
  bad_domain.request = {"GET", "/api/info?domain=bad_domain!", {}, ""};
  bad_domain.response = {400, {{"Content-Type", "application/json"}}, R"({"errors":[{"code":"VALIDATE_FAILED","message":"x"}]})"};
  EXPECT_EQ(std::vector<std::string>{"request format /query/domain"}, found(bad_domain));

  Exchange no_token;
  no_token.request = {"GET", "/api/auth/user", {}, ""};
  no_token.response = {401, {{"Content-Type", "application/json"}}, R"({"errors":[{"code":"UNAUTHORIZED","message":"x"}]})"};
  EXPECT_EQ(std::vector<std::string>{"request bearer_token /headers/authorization"}, found(no_token));
}

TEST(exchange_check, an_unknown_operation_is_reported_once_as_the_requests) {
  Exchange e;
  e.request = {"GET", "/api/no/such/thing", {}, ""};
  e.response = {404, {{"Content-Type", "application/json"}}, R"({"errors":[{"code":"NOT_FOUND","message":"x"}]})"};
  const auto violations = checker().check(e);
  ASSERT_EQ(1u, violations.size());
  EXPECT_EQ("GET /api/no/such/thing", violations[0].operation);
  EXPECT_EQ("unknown_operation", violations[0].rule);
}

TEST(exchange_check, what_is_not_the_apis_is_not_judged) {
  Exchange e;
  e.request = {"GET", "/__admin/requests", {}, ""};
  e.response = {999, {{"Content-Type", "image/png"}}, "x"};
  EXPECT_TRUE(checker().check(e).empty());
  EXPECT_FALSE(checker().is_api("GET", "/__admin/requests"));
  EXPECT_FALSE(checker().is_api("GET", "/favicon.ico"));
  EXPECT_TRUE(checker().is_api("GET", "/api/info?domain=x"));
}

TEST(exchange_check, a_violation_reads_on_one_line) {
  const ExchangeViolation v{"signInWithCredentials", Direction::response, "schema", "/body/expires_in",
                            "expected integer, seen string"};
  EXPECT_EQ("signInWithCredentials response schema /body/expires_in: expected integer, seen string",
            pbxmock::contracts::to_line(v));
}

}  // namespace
