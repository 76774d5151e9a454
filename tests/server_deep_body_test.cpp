// Hostile bodies against a scenario with a body rule (issue 9, finding 2): a sign-in whose
// username is 20,000 nested arrays used to overflow a worker's stack while the rules parsed
// and wrote it out. The rules read the request view's body, parsed once under the API's
// depth limit, so the request is answered and the server stays up.
#include <gtest/gtest.h>

#include <string>

#include "support/scenario_server.h"
#include "support/server_client.h"

namespace pbxmock::test {
namespace {

const std::string kScenario = scenario_with_rules("body_rule", R"(  - name: zzz-users
    match: {body: {/username: {regex: "^zzz"}}}
    respond: {status: 418, body: {errors: [{code: TEAPOT, message: zzz}]}}
)");

std::string nested_username(std::size_t depth) {
  return R"({"username":)" + std::string(depth, '[') + std::string(depth, ']') + R"(,"password":"x"})";
}

TEST(server_deep_body, a_deeply_nested_body_with_a_body_rule_is_answered_and_the_server_stays_up) {
  ScenarioServer server(kScenario);
  auto client = client_for(*server);

  // The rule still applies to an ordinary body.
  const auto zzz = client->Post("/api/auth/sign_in", R"({"username":"zzzed","password":"x"})", "application/json");
  ASSERT_TRUE(zzz);
  EXPECT_EQ(418, zzz->status);

  const auto deep = client->Post("/api/auth/sign_in", nested_username(20000), "application/json");
  ASSERT_TRUE(deep) << "no answer: the server fell over";
  EXPECT_EQ(400, deep->status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(deep));
  EXPECT_EQ("maxDepth", json_of(deep)["errors"][0]["detail"].value("rule", ""));

  // The same bytes as a form field's value are only text to the rules.
  const auto form = client->Post("/api/auth/sign_in", "username=" + std::string(20000, '['), "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);

  const auto health = client->Get("/__admin/health");
  ASSERT_TRUE(health) << "the server no longer answers after the deep body";
  EXPECT_EQ(200, health->status);
  EXPECT_EQ(0, server->stop());
}

}  // namespace
}  // namespace pbxmock::test
