// Each matcher passing and failing, with the message a person reads.
#include <gtest/gtest.h>

#include "contracts/expectations.h"

namespace {

using pbxmock::contracts::check_expectations;
using pbxmock::contracts::check_matcher;
using pbxmock::contracts::Expectations;
using pbxmock::contracts::make_response;
using pbxmock::contracts::Matcher;
using pbxmock::contracts::Response;
using pbxmock::contracts::StatusExpectation;
using Kind = pbxmock::contracts::Matcher::Kind;
using nlohmann::json;

// The failure message of one matcher on one value ("" when it passes).
std::string verdict(Kind kind, json expected, const json* value) {
  auto f = check_matcher(Matcher{kind, std::move(expected)}, value, "body /x");
  return f ? f->to_string() : "";
}

TEST(contract_expectations, equals) {
  const json bearer = "Bearer";
  const json number = 3600;
  EXPECT_EQ("", verdict(Kind::equals, "Bearer", &bearer));
  EXPECT_EQ("", verdict(Kind::equals, 3600.0, &number));  // JSON numbers compare by value
  EXPECT_EQ("body /x: expected \"bearer\", seen \"Bearer\"", verdict(Kind::equals, "bearer", &bearer));
  EXPECT_EQ("body /x: expected \"3600\", seen 3600 (integer)", verdict(Kind::equals, "3600", &number));
  EXPECT_EQ("body /x: expected \"Bearer\", seen absent", verdict(Kind::equals, "Bearer", nullptr));
}

TEST(contract_expectations, not_equals) {
  const json old_token = "OLD";
  EXPECT_EQ("", verdict(Kind::not_equals, "NEW", &old_token));
  EXPECT_EQ("body /x: expected a value other than \"OLD\", seen that same value", verdict(Kind::not_equals, "OLD", &old_token));
  EXPECT_EQ("body /x: expected a value other than \"OLD\", seen absent", verdict(Kind::not_equals, "OLD", nullptr));
}

TEST(contract_expectations, regex) {
  const json token = "7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY";
  const json lower = "abc";
  const json number = 5;
  EXPECT_EQ("", verdict(Kind::regex, "^[A-Z0-9]{48}$", &token));
  EXPECT_EQ("body /x: expected a string matching /^[A-Z0-9]{48}$/, seen \"abc\"", verdict(Kind::regex, "^[A-Z0-9]{48}$", &lower));
  EXPECT_EQ("body /x: expected a string matching /5/, seen 5 (integer)", verdict(Kind::regex, "5", &number));
  // The rest of the message is libstdc++'s own wording.
  EXPECT_EQ(0u, verdict(Kind::regex, "(", &lower).rfind("body /x: expected a string matching /(/, seen an invalid regex (", 0));
}

TEST(contract_expectations, type) {
  const json integer = 3600;
  const json whole_float = 3600.0;
  const json fraction = 1.5;
  const json text = "3600";
  const json null_value = nullptr;
  EXPECT_EQ("", verdict(Kind::type, "integer", &integer));
  EXPECT_EQ("", verdict(Kind::type, "integer", &whole_float));
  EXPECT_EQ("", verdict(Kind::type, "number", &integer));
  EXPECT_EQ("", verdict(Kind::type, "null", &null_value));
  EXPECT_EQ("body /x: expected integer, seen 1.5 (number)", verdict(Kind::type, "integer", &fraction));
  EXPECT_EQ("body /x: expected integer, seen \"3600\"", verdict(Kind::type, "integer", &text));
  EXPECT_EQ("body /x: expected string, seen absent", verdict(Kind::type, "string", nullptr));
}

TEST(contract_expectations, present_and_absent) {
  const json detail = json{{"field", "username"}};
  EXPECT_EQ("", verdict(Kind::present, nullptr, &detail));
  EXPECT_EQ("", verdict(Kind::absent, nullptr, nullptr));
  EXPECT_EQ("body /x: expected present, seen absent", verdict(Kind::present, nullptr, nullptr));
  EXPECT_EQ("body /x: expected absent, seen {\"field\":\"username\"} (object)", verdict(Kind::absent, nullptr, &detail));
}

TEST(contract_expectations, length_counts_code_points_elements_and_members) {
  const json errors = json::array({json{{"code", "X"}}});
  const json word = "\xC3\xA9t\xC3\xA9";  // "été": 3 code points, 5 bytes
  const json number = 7;
  EXPECT_EQ("", verdict(Kind::length, 1, &errors));
  EXPECT_EQ("", verdict(Kind::length, 3, &word));
  EXPECT_EQ("body /x: expected length 2, seen length 1: [{\"code\":\"X\"}] (array)", verdict(Kind::length, 2, &errors));
  EXPECT_EQ("body /x: expected length 1 (of a string, array or object), seen 7 (integer)", verdict(Kind::length, 1, &number));
}

TEST(contract_expectations, contains) {
  const json allow = "GET, POST";
  const json list = json::array({"a", "b"});
  EXPECT_EQ("", verdict(Kind::contains, "POST", &allow));
  EXPECT_EQ("", verdict(Kind::contains, "b", &list));
  EXPECT_EQ("body /x: expected a value containing \"PUT\", seen \"GET, POST\"", verdict(Kind::contains, "PUT", &allow));
  EXPECT_EQ("body /x: expected a value containing \"c\", seen [\"a\",\"b\"] (array)", verdict(Kind::contains, "c", &list));
}

TEST(contract_expectations, long_values_are_cut_in_messages) {
  const json big = std::string(500, 'A');
  const std::string message = verdict(Kind::equals, "B", &big);
  EXPECT_EQ("body /x: expected \"B\", seen \"" + std::string(159, 'A') + "...", message);
}

Response error_response(int status, const std::string& code) {
  return make_response(status, {{"Content-Type", "application/json"}},
                       json{{"errors", json::array({json{{"code", code}, {"message", "Login failed"}}})}}.dump());
}

std::vector<std::string> failures(const Expectations& e, const Response& r) {
  std::vector<std::string> out;
  for (const auto& f : check_expectations(e, r)) out.push_back(f.to_string());
  return out;
}

TEST(contract_expectations, status_codes_lists_and_classes) {
  Expectations e;
  e.status = StatusExpectation{{200, 204}, {}};
  EXPECT_TRUE(failures(e, make_response(204, {}, "")).empty());
  EXPECT_EQ(std::vector<std::string>{"status: expected 200 or 204, seen 400 UNAUTHORIZED (\"Login failed\")"},
            failures(e, error_response(400, "UNAUTHORIZED")));
  e.status = StatusExpectation{{}, {4}};
  EXPECT_TRUE(failures(e, error_response(404, "NOT_FOUND")).empty());
  EXPECT_EQ(std::vector<std::string>{"status: expected 4xx, seen 500"}, failures(e, make_response(500, {}, "")));
  e.status = StatusExpectation{{200}, {3, 4}};
  EXPECT_EQ(std::vector<std::string>{"status: expected 200, 3xx or 4xx, seen 500"}, failures(e, make_response(500, {}, "")));
}

TEST(contract_expectations, headers_by_name_without_regard_to_case) {
  Expectations e;
  e.headers.push_back({"allow", {Matcher{Kind::equals, "POST"}}});
  e.headers.push_back({"X-Nope", {Matcher{Kind::absent, nullptr}}});
  e.headers.push_back({"Location", {Matcher{Kind::present, nullptr}}});
  const auto ok = make_response(405, {{"Allow", "POST"}, {"Location", "/x"}}, "");
  EXPECT_TRUE(failures(e, ok).empty());
  const auto bad = make_response(405, {{"Allow", "GET, POST"}, {"X-Nope", "1"}}, "");
  EXPECT_EQ((std::vector<std::string>{"header allow: expected \"POST\", seen \"GET, POST\"",
                                      "header X-Nope: expected absent, seen \"1\"",
                                      "header Location: expected present, seen absent"}),
            failures(e, bad));
}

TEST(contract_expectations, body_members_by_json_pointer) {
  Expectations e;
  e.body.push_back({"/errors/0/code", {Matcher{Kind::equals, "UNAUTHORIZED"}}});
  e.body.push_back({"/errors", {Matcher{Kind::length, 1}}});
  e.body.push_back({"/errors/0/detail", {Matcher{Kind::absent, nullptr}}});
  EXPECT_TRUE(failures(e, error_response(400, "UNAUTHORIZED")).empty());
  EXPECT_EQ(std::vector<std::string>{"body /errors/0/code: expected \"UNAUTHORIZED\", seen \"VALIDATE_FAILED\""},
            failures(e, error_response(400, "VALIDATE_FAILED")));
}

TEST(contract_expectations, body_expectations_on_a_body_that_is_not_json) {
  Expectations e;
  e.body.push_back({"/token", {Matcher{Kind::present, nullptr}}});
  e.body.push_back({"/detail", {Matcher{Kind::absent, nullptr}}});
  EXPECT_EQ(std::vector<std::string>{"body /token: expected a JSON body, seen a body that is not JSON (9 bytes of text/html)"},
            failures(e, make_response(200, {{"Content-Type", "text/html"}}, "<p>hi</p>")));
  EXPECT_EQ(std::vector<std::string>{"body /token: expected a JSON body, seen an empty body"},
            failures(e, make_response(200, {}, "")));
}

TEST(contract_expectations, error_code_of_a_vendor_error_body) {
  Expectations e;
  e.error_code = "UNAUTHORIZED";
  EXPECT_TRUE(failures(e, error_response(401, "UNAUTHORIZED")).empty());
  EXPECT_EQ(std::vector<std::string>{"error code: expected UNAUTHORIZED, seen VALIDATE_FAILED"},
            failures(e, error_response(400, "VALIDATE_FAILED")));
  EXPECT_EQ(std::vector<std::string>{"error code: expected UNAUTHORIZED, seen no errors[0].code in {\"error\":\"x\"} (object)"},
            failures(e, make_response(400, {}, R"({"error":"x"})")));
  EXPECT_EQ(std::vector<std::string>{"error code: expected UNAUTHORIZED, seen an empty body"},
            failures(e, make_response(401, {}, "")));
}

TEST(contract_expectations, placeholders_in_expectations_are_substituted) {
  Expectations e;
  e.body.push_back({"/refresh_token", {Matcher{Kind::not_equals, "${old}"}}});
  e.error_code = "${code}";
  pbxmock::contracts::Variables vars([](const std::string&) { return std::nullopt; });
  vars.set("old", "R1");
  vars.set("code", "UNAUTHORIZED");
  auto substituted = pbxmock::contracts::substitute_expectations(e, vars);
  ASSERT_TRUE(substituted.ok()) << substituted.error();
  EXPECT_EQ("R1", substituted->body[0].matchers[0].expected);
  EXPECT_EQ("UNAUTHORIZED", *substituted->error_code);

  e.body[0].matchers[0].expected = "${nope}";
  auto failed = pbxmock::contracts::substitute_expectations(e, vars);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ("body /refresh_token: undefined variable ${nope} (not among the file's variables, nor saved by an earlier step)",
            failed.error());
}

}  // namespace
