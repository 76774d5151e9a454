// The scenario writer is the loader's inverse: every value a scenario file can set survives
// a write and a load, including the ones whose loader default depends on something else (a
// rule's content type, a tenant user's Microsoft link); what JSON cannot hold is refused.
#include <gtest/gtest.h>

#include <string>

#include "mock/scenario/scenario_loader.h"
#include "mock/scenario/scenario_writer.h"

namespace {

using pbxmock::mock::builtin_scenario;
using pbxmock::mock::builtin_scenario_names;
using pbxmock::mock::DelaySpec;
using pbxmock::mock::Fault;
using pbxmock::mock::load_scenario;
using pbxmock::mock::Scenario;
using pbxmock::mock::scenario_to_json;
using pbxmock::mock::ValueMatcher;
using pbxmock::mock::write_scenario;

// Every field set to something other than the loader's default.
constexpr const char* kEverything = R"(
name: everything
description: every field set
system:
  web_domain: pbx.example.com
  private_ipv4: 10.0.0.20
  public_ipv4: 203.0.113.20
  enable_ipv6: false
  private_ipv6: fd00::20
  public_ipv6: 2001:db8::20
  primary_dns_server: 10.0.0.2
  secondary_dns_server: 10.0.0.3
tokens:
  access_token_lifetime: 60
  refresh_token_lifetime: 120
  two_factor_session_lifetime: 30
  two_factor_max_attempts: 2
  reset_token_lifetime: 90
system_admins:
  - {username: root, password: r, role: Dealer, email: root@example.com, two_factor: true, password_force_reset: true}
tenants:
  - name: Example
    domain: PBX.Example.COM.
    website: https://www.example.com
    avatar_url: https://www.example.com/a.png
    enable_two_factor_authentication: true
    enable_ms365_integration: true
    ms365_authorization_endpoint: https://login.example.com/authorize
    users:
      - {username: Alice, password: a, role: QueueManager, email: alice@example.com, microsoft: alice@example.onmicrosoft.com}
identity_provider: {sign_in_url: "https://idp.example.com/authorize", error: access_denied, error_description: no}
oauth: {client_ids: [one, two]}
rules:
  - name: text
    match:
      operation: signInWithCredentials
      method: post
      path: {regex: "^/api/"}
      query: {a: 1, b: {regex: "x+"}}
      headers: {X-Flag: {present: false}}
      body: {/username: {equals: true}}
    times: 3
    scenario: s
    required_state: Started
    new_state: two
    delay: {uniform_ms: [1.5, 2.5]}
    respond: {status: 418, headers: {Retry-After: 5}, body: "short and stout"}
  - name: json
    match: {path: /api/info}
    delay: {lognormal: {median_ms: 10, sigma: 0.5}}
    respond: {status: 200, headers: {content-type: application/vnd.x+json}, body: {n: [1, 2.5, null]}}
  - match: {method: GET}
    fault: malformed_chunk
)";

Scenario round_trip(const Scenario& scenario) {
  const auto written = write_scenario(scenario);
  EXPECT_TRUE(written.ok()) << written.error();
  if (!written) return {};
  const auto again = load_scenario(*written, "written.json");
  EXPECT_TRUE(again.ok()) << *written << "\n" << again.error().front().to_string();
  return again ? *again : Scenario{};
}

TEST(scenario_writer, every_field_survives_a_write_and_a_load) {
  const auto loaded = load_scenario(kEverything, "everything.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().front().to_string();
  const Scenario s = round_trip(*loaded);
  EXPECT_EQ(s.name, "everything");
  EXPECT_EQ(s.description, "every field set");
  EXPECT_FALSE(s.system.enable_ipv6);
  EXPECT_EQ(s.system.public_ipv6, "2001:db8::20");
  EXPECT_EQ(s.system.secondary_dns_server, "10.0.0.3");
  EXPECT_EQ(s.tokens.access.count(), 60);
  EXPECT_EQ(s.tokens.refresh.count(), 120);
  EXPECT_EQ(s.tokens.two_factor_session.count(), 30);
  EXPECT_EQ(s.tokens.two_factor_max_attempts, 2);
  EXPECT_EQ(s.tokens.reset_token.count(), 90);
  ASSERT_EQ(s.system_admins.size(), 1U);
  EXPECT_EQ(s.system_admins[0].role, "Dealer");
  EXPECT_TRUE(s.system_admins[0].two_factor);
  EXPECT_TRUE(s.system_admins[0].password_force_reset);
  ASSERT_EQ(s.tenants.size(), 1U);
  EXPECT_EQ(s.tenants[0].domain, "pbx.example.com");
  EXPECT_EQ(s.tenants[0].avatar_url, "https://www.example.com/a.png");
  EXPECT_TRUE(s.tenants[0].enable_ms365_integration);
  EXPECT_EQ(s.tenants[0].ms365_authorization_endpoint, "https://login.example.com/authorize");
  ASSERT_EQ(s.tenants[0].users.size(), 1U);
  EXPECT_EQ(s.tenants[0].users[0].username, "Alice");
  EXPECT_EQ(s.tenants[0].users[0].microsoft, "alice@example.onmicrosoft.com");
  EXPECT_EQ(s.identity_provider.error, "access_denied");
  EXPECT_EQ(s.identity_provider.error_description, "no");
  EXPECT_EQ(s.oauth.client_ids, (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(s.rules.size(), 3U);
  const auto& text = s.rules[0];
  EXPECT_EQ(text.match.method, "post");
  ASSERT_TRUE(text.match.path && text.match.path->regex);
  EXPECT_EQ(text.match.path->pattern, "^/api/");
  ASSERT_EQ(text.match.query.size(), 2U);
  EXPECT_EQ(text.match.query[1].second.kind, ValueMatcher::Kind::regex);
  ASSERT_EQ(text.match.headers.size(), 1U);
  EXPECT_EQ(text.match.headers[0].first, "x-flag");
  EXPECT_FALSE(text.match.headers[0].second.present);
  ASSERT_EQ(text.match.body.size(), 1U);
  EXPECT_EQ(text.match.body[0].second.expected, true);
  EXPECT_EQ(text.times, 3U);
  EXPECT_EQ(text.new_state, "two");
  ASSERT_TRUE(text.delay);
  EXPECT_EQ(text.delay->kind, DelaySpec::Kind::uniform);
  EXPECT_EQ(text.delay->max_ms, 2.5);
  ASSERT_TRUE(text.respond);
  EXPECT_EQ(text.respond->status, 418);
  EXPECT_EQ(text.respond->raw_body, "short and stout");
  EXPECT_EQ(text.respond->content_type, "text/plain; charset=utf-8");
  ASSERT_NE(text.respond->header("Retry-After"), nullptr);
  EXPECT_EQ(*text.respond->header("Retry-After"), "5");
  const auto& json = s.rules[1];
  EXPECT_EQ(json.name, "json");
  ASSERT_TRUE(json.delay);
  EXPECT_EQ(json.delay->kind, DelaySpec::Kind::lognormal);
  EXPECT_EQ(json.delay->sigma, 0.5);
  ASSERT_TRUE(json.respond);
  EXPECT_EQ(json.respond->content_type, "application/vnd.x+json");
  EXPECT_EQ(json.respond->body, nlohmann::json::parse(R"({"n": [1, 2.5, null]})"));
  EXPECT_EQ(s.rules[2].name, "rule 3");
  EXPECT_EQ(s.rules[2].fault, Fault::malformed_chunk);
  EXPECT_EQ(scenario_to_json(s), scenario_to_json(*loaded));
}

TEST(scenario_writer, every_builtin_scenario_survives_a_write_and_a_load) {
  for (const auto& name : builtin_scenario_names()) {
    SCOPED_TRACE(name);
    const auto loaded = load_scenario(*builtin_scenario(name), name + ".yaml");
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(scenario_to_json(round_trip(*loaded)), scenario_to_json(*loaded));
  }
}

TEST(scenario_writer, refuses_text_that_is_not_utf8) {
  const auto loaded = load_scenario("name: x\ndescription: \"caf\xe9\"\n", "latin1.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().front().to_string();
  const auto written = write_scenario(*loaded);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().find("not UTF-8"), std::string::npos) << written.error();
}

TEST(scenario_writer, refuses_a_number_json_cannot_hold) {
  const auto loaded = load_scenario("name: x\nrules:\n  - respond: {status: 200, body: {a: .inf}}\n", "inf.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().front().to_string();
  const auto written = write_scenario(*loaded);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().find(".inf"), std::string::npos) << written.error();
}

}  // namespace
