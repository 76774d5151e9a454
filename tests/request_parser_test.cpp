// The request parser against our own spec: every error class of AUTH-API.md B1, and the
// shapes of what it accepts.
#include <gtest/gtest.h>

#include "spec/request_parser.h"

namespace {

using namespace pbxmock::spec;
using pbxmock::Result;
using nlohmann::json;

const RequestParser& parser() {
  static const RequestParser instance(builtin_spec());
  return instance;
}

struct Sent {
  std::string method;
  std::string target;
  NameValuePairs headers;
  std::string body;
};

Result<ParsedRequest, ApiError> send(const Sent& s) {
  return parser().parse(RequestView(s.method, s.target, s.headers, s.body));
}

const NameValuePairs kJson{{"Content-Type", "application/json"}};

Sent sign_in(std::string body) { return {"POST", "/api/auth/sign_in", kJson, std::move(body)}; }

// The error answered, checked for the vendor's shape on the way.
ApiError error_of(const Result<ParsedRequest, ApiError>& r) {
  EXPECT_FALSE(r) << "expected an error, got operation " << (r ? r->operation_id : "");
  if (r) return {};
  const json body = r.error().body();
  EXPECT_TRUE(body["errors"].is_array());
  EXPECT_EQ(1u, body["errors"].size());
  EXPECT_FALSE(body["errors"][0]["message"].get<std::string>().empty());
  return r.error();
}

TEST(request_parser, accepts_a_plain_sign_in) {
  const auto r = send(sign_in(R"({"username":"alice","password":"s3cret","domain":"pbx.example.com"})"));
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("signInWithCredentials", r->operation_id);
  EXPECT_EQ("alice", r->body["username"]);
  ASSERT_NE(nullptr, r->operation);
  EXPECT_EQ("POST", r->operation->method);
  EXPECT_EQ("/auth/sign_in", r->operation->path_template);  // below the servers' /api
}

TEST(request_parser, accepts_json_with_a_utf8_charset) {
  Sent s = sign_in(R"({"username":"alice","password":"x"})");
  s.headers = {{"content-type", "application/json; charset=UTF-8"}};
  EXPECT_TRUE(send(s));
}

TEST(request_parser, types_query_parameters_by_their_schema) {
  const auto r = send({"POST", "/api/auth/sign_in?qr=true", kJson, R"({"username":"bob","password":"p"})"});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ(json(true), r->params["qr"]);
}

TEST(request_parser, decodes_query_values) {
  const auto r = send({"GET", "/api/info?domain=pbx%2Eexample.com", {}, ""});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("retrieveMetadata", r->operation_id);
  EXPECT_EQ(json("pbx.example.com"), r->params["domain"]);
}

TEST(request_parser, decodes_path_parameters) {
  const auto r = send({"POST", "/api/auth/sign_in/microsoft", kJson,
                       R"({"domain":"pbx.example.com","callback_url":"https://app.example.com/cb"})"});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("signInWithSocialAccount", r->operation_id);
  EXPECT_EQ("microsoft", r->path_params.at("provider"));
}

TEST(request_parser, reads_form_bodies) {
  const auto r = send({"POST", "/api/login/by_microsoft", {{"Content-Type", "application/x-www-form-urlencoded"}},
                       "domain=pbx.example.com"});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("loginWithMicrosoft", r->operation_id);
  EXPECT_EQ(json({{"domain", "pbx.example.com"}}), r->body);
}

TEST(request_parser, keeps_the_bearer_token) {
  const auto r = send({"GET", "/api/auth/user", {{"Authorization", "Bearer ABC123"}}, ""});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("ABC123", r->bearer_token.value());
}

TEST(request_parser, unknown_path_is_404) {
  const auto e = error_of(send({"GET", "/api/no/such/thing", {}, ""}));
  EXPECT_EQ(404, e.status);
  EXPECT_EQ("NOT_FOUND", e.code);
}

TEST(request_parser, path_outside_the_base_path_is_404) {
  EXPECT_EQ(404, error_of(send({"GET", "/info", {}, ""})).status);
  EXPECT_EQ(404, error_of(send({"GET", "/apinfo", {}, ""})).status);
}

TEST(request_parser, wrong_method_is_405_with_allowed_methods) {
  const auto e = error_of(send({"GET", "/api/auth/sign_in", {}, ""}));
  EXPECT_EQ(405, e.status);
  EXPECT_EQ("METHOD_NOT_ALLOWED", e.code);
  EXPECT_EQ(std::vector<std::string>{"POST"}, e.allow);
}

TEST(request_parser, both_methods_of_login_are_allowed) {
  const auto e = error_of(send({"DELETE", "/api/login", {}, ""}));
  EXPECT_EQ(405, e.status);
  EXPECT_EQ((std::vector<std::string>{"GET", "POST"}), e.allow);
}

TEST(request_parser, wrong_content_type_is_415) {
  Sent s = sign_in(R"({"username":"alice","password":"x"})");
  s.headers = {{"Content-Type", "text/plain"}};
  const auto e = error_of(send(s));
  EXPECT_EQ(415, e.status);
  EXPECT_EQ("UNSUPPORTED_MEDIA_TYPE", e.code);
  EXPECT_EQ("text/plain", e.detail["seen"]);
}

TEST(request_parser, missing_content_type_with_a_body_is_415) {
  Sent s = sign_in(R"({"username":"alice","password":"x"})");
  s.headers = {};
  EXPECT_EQ(415, error_of(send(s)).status);
}

TEST(request_parser, json_in_another_charset_is_415) {
  Sent s = sign_in(R"({"username":"alice","password":"x"})");
  s.headers = {{"Content-Type", "application/json; charset=iso-8859-1"}};
  EXPECT_EQ(415, error_of(send(s)).status);
}

TEST(request_parser, body_over_the_limit_is_413) {
  const auto e = error_of(send(sign_in(std::string((1 << 20) + 1, ' '))));
  EXPECT_EQ(413, e.status);
  EXPECT_EQ("PAYLOAD_TOO_LARGE", e.code);
  EXPECT_EQ(1 << 20, e.detail["limit"]);
}

TEST(request_parser, malformed_json_is_400_on_the_body) {
  const auto e = error_of(send(sign_in(R"({"username":"alice",)")));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("VALIDATE_FAILED", e.code);
  EXPECT_EQ("body", e.detail["field"]);
  EXPECT_EQ("json", e.detail["rule"]);
}

TEST(request_parser, deeply_nested_json_is_refused_before_parsing) {
  const auto e = error_of(send(sign_in(std::string(100000, '[') + std::string(100000, ']'))));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("maxDepth", e.detail["rule"]);
  EXPECT_EQ(64, e.detail["limit"]);
}

TEST(request_parser, brackets_inside_strings_do_not_count_as_nesting) {
  EXPECT_FALSE(json_nesting_exceeds(R"({"a":")" + std::string(200, '[') + R"("})", 2));
  EXPECT_TRUE(json_nesting_exceeds("[[[", 2));
  EXPECT_FALSE(json_nesting_exceeds(R"(["\"[[["])", 1));
}

TEST(request_parser, empty_body_where_one_is_required_is_400) {
  const auto e = error_of(send(sign_in("")));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("body", e.detail["field"]);
  EXPECT_EQ("required", e.detail["rule"]);
}

TEST(request_parser, missing_required_field_names_it) {
  const auto e = error_of(send(sign_in(R"({"password":"x"})")));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("username", e.detail["field"]);
  EXPECT_EQ("/username", e.detail["pointer"]);
  EXPECT_EQ("required", e.detail["rule"]);
  EXPECT_EQ("body", e.detail["in"]);
}

TEST(request_parser, body_of_the_wrong_type_is_400) {
  const auto e = error_of(send(sign_in(R"(["alice","x"])")));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("type", e.detail["rule"]);
}

TEST(request_parser, field_of_the_wrong_type_names_it) {
  const auto e = error_of(send(sign_in(R"({"username":42,"password":"x"})")));
  EXPECT_EQ("username", e.detail["field"]);
  EXPECT_EQ("type", e.detail["rule"]);
}

TEST(request_parser, username_over_64_characters_is_400_max_length) {
  const auto e = error_of(send(sign_in(R"({"username":")" + std::string(65, 'a') + R"(","password":"x"})")));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("username", e.detail["field"]);
  EXPECT_EQ("maxLength", e.detail["rule"]);
  EXPECT_EQ(64, e.detail["limit"]);
}

TEST(request_parser, username_breaking_the_character_rule_is_400_format) {
  const auto e = error_of(send(sign_in(R"({"username":"bob smith","password":"x"})")));
  EXPECT_EQ("username", e.detail["field"]);
  EXPECT_EQ("format", e.detail["rule"]);
  EXPECT_EQ("portsip-username", e.detail["limit"]);
}

TEST(request_parser, invalid_domain_in_the_body_is_400_format) {
  const auto e = error_of(send(sign_in(R"({"username":"bob","password":"x","domain":"pbx example.com"})")));
  EXPECT_EQ("domain", e.detail["field"]);
  EXPECT_EQ("format", e.detail["rule"]);
  EXPECT_EQ("sip-domain", e.detail["limit"]);
}

TEST(request_parser, invalid_domain_in_the_query_is_400) {
  const auto e = error_of(send({"GET", "/api/info?domain=-bad-.example.com", {}, ""}));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("domain", e.detail["field"]);
  EXPECT_EQ("query", e.detail["in"]);
  EXPECT_EQ("format", e.detail["rule"]);
}

TEST(request_parser, query_value_of_the_wrong_type_is_400) {
  const auto e = error_of(send({"POST", "/api/auth/sign_in?qr=maybe", kJson, R"({"username":"bob","password":"p"})"}));
  EXPECT_EQ("qr", e.detail["field"]);
  EXPECT_EQ("type", e.detail["rule"]);
}

TEST(request_parser, repeated_single_valued_parameter_is_400) {
  const auto e = error_of(send({"GET", "/api/info?domain=a.example.com&domain=b.example.com", {}, ""}));
  EXPECT_EQ("domain", e.detail["field"]);
  EXPECT_EQ("repeated", e.detail["rule"]);
}

TEST(request_parser, bad_percent_escape_in_the_query_is_400) {
  const auto e = error_of(send({"GET", "/api/info?domain=%zz", {}, ""}));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("percentEncoding", e.detail["rule"]);
}

TEST(request_parser, protected_operation_without_bearer_is_401) {
  const auto e = error_of(send({"GET", "/api/auth/user", {}, ""}));
  EXPECT_EQ(401, e.status);
  EXPECT_EQ("UNAUTHORIZED", e.code);
  EXPECT_EQ(401, error_of(send({"POST", "/api/auth/sign_out", {{"Authorization", "Basic YTpi"}}, ""})).status);
}

TEST(request_parser, percent_encoded_path_parameter_is_decoded) {
  const auto r = send({"POST", "/api/auth/sign_in/micro%73oft", kJson,
                       R"({"domain":"pbx.example.com","callback_url":"https://app.example.com/cb"})"});
  ASSERT_TRUE(r) << r.error().body().dump();
  EXPECT_EQ("microsoft", r->path_params.at("provider"));
}

TEST(request_parser, bad_percent_escape_in_a_path_parameter_is_400) {
  const auto e = error_of(send({"POST", "/api/auth/sign_in/micro%7", kJson,
                                R"({"domain":"pbx.example.com","callback_url":"https://app.example.com/cb"})"}));
  EXPECT_EQ(400, e.status);
  EXPECT_EQ("provider", e.detail["field"]);
  EXPECT_EQ("path", e.detail["in"]);
  EXPECT_EQ("percentEncoding", e.detail["rule"]);
}

}  // namespace
