// The pieces behind the admin page (issue 13): the masking of secrets in the journal, the
// home page's two answers and the page's own route.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mock/admin/home_page.h"
#include "mock/admin/request_journal.h"
#include "mock/admin/secret_mask.h"
#include "mock/admin/ui_page.h"
#include "mock/scenario/scenario_loader.h"

namespace {

using nlohmann::json;
using namespace pbxmock::mock;

Scenario default_scenario() {
  auto loaded = load_scenario(*builtin_scenario("default"), "default");
  EXPECT_TRUE(loaded);
  return std::move(loaded).value();
}

TEST(SecretMask, JsonBodiesLoseTheirSecretsAtAnyDepthAndKeepTheRest) {
  const json shown = json::parse(masked_body(
      R"({"username":"alice","password":"p","nested":[{"access_token":"t","refresh_token":"r"}],"code":"123456",
          "errors":[{"code":"UNAUTHORIZED"}]})"));
  EXPECT_EQ(shown["username"], "alice");
  EXPECT_EQ(shown["password"], "***");
  EXPECT_EQ(shown["nested"][0]["access_token"], "***");
  EXPECT_EQ(shown["nested"][0]["refresh_token"], "***");
  EXPECT_EQ(shown["code"], "***");
  EXPECT_EQ(shown["errors"][0]["code"], "UNAUTHORIZED");
}

TEST(SecretMask, FormBodiesAndHeaders) {
  EXPECT_EQ(masked_body("username=alice&password=p&x=1"), "username=alice&password=***&x=1");
  EXPECT_EQ(masked_body("plain text, not a form"), "plain text, not a form");
  EXPECT_EQ(masked_header("Authorization", "Bearer abc"), "Bearer ***");
  EXPECT_EQ(masked_header("X-Admin-Key", "k"), "***");
  EXPECT_EQ(masked_header("Cookie", "a=b; c=d; bare"), "a=***; c=***; ***");
  EXPECT_EQ(masked_header("Set-Cookie", "sid=s3cr3t; Path=/; HttpOnly"), "sid=***; Path=/; HttpOnly");
  EXPECT_EQ(masked_header("x-api-key", "k"), "***");
  EXPECT_EQ(masked_header("Proxy-Authorization", "Basic abc"), "Basic ***");
  EXPECT_EQ(masked_header("Content-Type", "application/json"), "application/json");
}

TEST(SecretMask, QueriesAndAddressesLoseTheirSecretsWhateverTheSpelling) {
  EXPECT_EQ(masked_query("a=1&PassWord=p&%70assword=t&code=c&refresh+token=r&b"),
            "a=1&PassWord=***&%70assword=***&code=***&refresh+token=***&b");
  EXPECT_EQ(masked_url("http://app/cb?state=s&access_token=t#id_token=i&x=1"), "http://app/cb?state=s&access_token=***#id_token=***&x=1");
  EXPECT_EQ(masked_url("/after"), "/after");
  EXPECT_EQ(masked_header("Location", "/cb?code=abc"), "/cb?code=***");
}

TEST(SecretMask, JsonIsPrintedCompactlyAndJsonPastTheDepthLimitIsMaskedAsText) {
  EXPECT_EQ(masked_body("{ \"a\" : [ 1, 2 ],\n \"otp\": \"1\" }"), R"({"a":[1,2],"otp":"***"})");
  EXPECT_EQ(masked_body(R"({"u":"/cb?token=t"})"), R"({"u":"/cb?token=***"})");
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(masked_body(R"({"password" : "p", "x":)" + deep + R"(, "code":"123", "token":{"a":[1,"]"]}, "n":null})"),
            R"({"password" : "***", "x":)" + deep + R"(, "code":"***", "token":"***", "n":null})");
  EXPECT_EQ(masked_body(R"({"password":"unterminated)"), R"({"password":"***")");
}

TEST(RequestJournal, ShowsTheExchangeMaskedButKeepsItAsSent) {
  RequestJournal journal(4);
  JournalEntry entry;
  entry.method = "POST";
  entry.status = 400;
  const std::string request_body = R"({"username":"alice","password":"wrong"})";
  entry.text.append(JournalText::path, "/api/auth/sign_in");
  entry.text.append_header(JournalText::request_headers, "Authorization", "Bearer secret-token");
  entry.text.append_header(JournalText::request_headers, "Accept", "*/*");
  entry.keep_body(JournalText::request_body, request_body);
  entry.keep_body(JournalText::response_body, R"({"code":"UNAUTHORIZED"})");
  journal.record(entry);
  const json shown = journal.to_json(1)["requests"][0];
  EXPECT_EQ(shown["request"]["headers"][0], json::array({"Authorization", "Bearer ***"}));
  EXPECT_EQ(json::parse(shown["request"]["body"].get<std::string>())["password"], "***");
  EXPECT_EQ(json::parse(shown["response"]["body"].get<std::string>())["code"], "UNAUTHORIZED");
  EXPECT_EQ(shown["request"]["headers"][1], json::array({"Accept", "*/*"}));
  EXPECT_EQ(shown["path"], "/api/auth/sign_in");
  EXPECT_EQ(shown["query"], "");
  EXPECT_EQ(journal.newest(1)[0].request_body(), request_body);
}

TEST(HomePage, BrowsersGetHtmlAndJsonClientsJson) {
  EXPECT_TRUE(prefers_html("text/html,application/xhtml+xml,*/*;q=0.8"));
  EXPECT_FALSE(prefers_html("application/json, text/html"));
  EXPECT_FALSE(prefers_html(""));
  const Scenario scenario = default_scenario();
  const ApiResponse html = home_page(scenario, {"text/html", "/api", true});
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(html.raw_body.find("alice-secret"), std::string::npos);
  EXPECT_NE(html.raw_body.find("/__admin/ui/"), std::string::npos);
  const ApiResponse data = home_page(scenario, {"application/json", "/api", true});
  EXPECT_EQ(data.body["api_base_url"], "/api");
  EXPECT_EQ(data.body["scenario"], scenario.name);
  EXPECT_FALSE(data.body["users"].empty());
}

TEST(HomePage, PasswordsAreLeftOutWhenReachableFromTheNetwork) {
  const Scenario scenario = default_scenario();
  const ApiResponse html = home_page(scenario, {"text/html", "/api", false});
  EXPECT_EQ(html.raw_body.find("alice-secret"), std::string::npos);
  const ApiResponse data = home_page(scenario, {"", "/api", false});
  for (const json& user : data.body["users"]) EXPECT_FALSE(user.contains("password")) << user.dump();
  EXPECT_EQ(data.body.dump().find("-secret"), std::string::npos);
}

TEST(UiPage, ServedAtItsAddressWithAStrictPolicy) {
  EXPECT_FALSE(ui_page("GET", "/health"));
  const auto redirect = ui_page("GET", "/ui");
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 302);
  const auto page = ui_page("GET", "/ui/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->raw_body.find("<title>pbxmock admin</title>"), std::string::npos);
  ASSERT_NE(page->header("Content-Security-Policy"), nullptr);
  EXPECT_NE(page->header("Content-Security-Policy")->find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(ui_page("POST", "/ui/")->status, 405);
}

}  // namespace
