// Whatever arrives, the request parser answers a parsed request or a 4xx in the vendor's
// error shape: never a crash, an exception, or another status.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <regex>

#include "spec/request_parser.h"

namespace {

using namespace pbxmock::spec;

const RequestParser& parser() {
  static const RequestParser instance(builtin_spec());
  return instance;
}

rc::Gen<std::string> gen_method() {
  return rc::gen::weightedOneOf<std::string>({
      {6, rc::gen::element<std::string>("GET", "POST")},
      {2, rc::gen::element<std::string>("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "")},
      {1, rc::gen::arbitrary<std::string>()},
  });
}

rc::Gen<std::string> gen_target() {
  const auto known = rc::gen::element<std::string>(
      "/api/info", "/api/auth/sign_in", "/api/auth/sign_in/microsoft", "/api/auth/sign_out", "/api/auth/send_otp",
      "/api/auth/verify_otp", "/api/auth/forget_password", "/api/auth/reset_password", "/api/auth/refresh_token",
      "/api/auth/user", "/api/login", "/api/login/by_microsoft", "/api/logout", "/api", "/api/", "/", "");
  const auto query = rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::just(std::string())},
      {2, rc::gen::element<std::string>("?domain=pbx.example.com", "?qr=true", "?qr=1", "?domain=%zz", "?domain=a&domain=b",
                                        "?domain=" + std::string(300, 'a'), "?%", "?=&=", "#frag")},
      {1, rc::gen::map(rc::gen::arbitrary<std::string>(), [](std::string s) { return "?" + s; })},
  });
  return rc::gen::weightedOneOf<std::string>({
      {5, rc::gen::apply([](std::string p, std::string q) { return p + q; }, known, query)},
      {1, rc::gen::arbitrary<std::string>()},
  });
}

rc::Gen<std::string> gen_body() {
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::element<std::string>(R"({"username":"alice","password":"p","domain":"pbx.example.com"})",
                                        R"({"username":"admin","password":"p"})", R"({"token":"ABC","code":"123456"})",
                                        R"({"refresh_token":"X"})", "domain=pbx.example.com", "[]", "null", "{", "\"\"")},
      {2, rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                           "{", "}", "[", "]", "\"username\"", ":", ",", "\"a\"", "1", "true", "null", "\"\\u0000\"",
                           "\xff", "\"\xc3\x28\"")),
                       [](const std::vector<std::string>& parts) {
                         std::string out;
                         for (const auto& p : parts) out += p;
                         return out;
                       })},
      {2, rc::gen::arbitrary<std::string>()},
  });
}

rc::Gen<NameValuePairs> gen_headers() {
  const auto header = rc::gen::weightedOneOf<std::pair<std::string, std::string>>({
      {4, rc::gen::elementOf(std::vector<std::pair<std::string, std::string>>{
              {"Content-Type", "application/json"}, {"content-type", "application/json; charset=utf-8"},
              {"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Type", "text/plain"},
              {"Content-Type", "application/json; charset=latin1"}, {"Content-Type", ";;;"},
              {"Authorization", "Bearer ABCDEF"}, {"Authorization", "Bearer "}, {"authorization", "bearer  x "}})},
      {1, rc::gen::pair(rc::gen::arbitrary<std::string>(), rc::gen::arbitrary<std::string>())},
  });
  return rc::gen::container<NameValuePairs>(header);
}

RC_GTEST_PROP(request_parser, answers_a_parsed_request_or_a_vendor_shaped_4xx, ()) {
  const std::string method = *gen_method();
  const std::string target = *gen_target();
  const NameValuePairs headers = *gen_headers();
  const std::string body = *gen_body();
  const auto result = parser().parse(RequestView(method, target, headers, body));
  if (result) {
    RC_ASSERT(result->operation != nullptr);
    RC_ASSERT(!result->operation_id.empty());
    RC_ASSERT(method == result->operation->method);
    RC_ASSERT(result->operation_id == result->operation->operation_id);
    return;
  }
  const ApiError& e = result.error();
  RC_ASSERT(e.status >= 400);
  RC_ASSERT(e.status <= 499);
  static const std::regex code_rule("^[A-Z][A-Z0-9_]*$");
  RC_ASSERT(std::regex_match(e.code, code_rule));
  RC_ASSERT(!e.message.empty());
  RC_ASSERT(e.status != 405 || !e.allow.empty());
  // The body is exactly what our spec's Error schema describes.
  const auto* error_schema = builtin_spec().resolve_ref("#/components/schemas/Error");
  RC_ASSERT(error_schema != nullptr);
  const auto violations = parser().validator().validate(*error_schema, e.body(), Direction::response);
  RC_ASSERT(violations.empty());
}

RC_GTEST_PROP(request_parser, valid_sign_in_bodies_are_accepted_whatever_the_json_spacing, (bool spaced)) {
  const std::string user = *rc::gen::element<std::string>("alice", "bob.smith", "o'neil", "x_1-2");
  nlohmann::json body = {{"username", user}, {"password", *rc::gen::arbitrary<std::string>()}};
  // Arbitrary strings may not be UTF-8; JSON bodies must be, so keep only ASCII passwords.
  std::string& password = body["password"].get_ref<std::string&>();
  for (char& c : password) c = static_cast<char>(static_cast<unsigned char>(c) % 0x5f + 0x20);
  const NameValuePairs headers{{"Content-Type", "application/json"}};
  const std::string text = body.dump(spaced ? 2 : -1);
  const auto result = parser().parse(RequestView("POST", "/api/auth/sign_in", headers, text));
  RC_ASSERT(result.ok());
  RC_ASSERT(result->body == body);
}

}  // namespace
