// A scenario's rules over real HTTP: `times`, scenario states, each delay kind, each fault
// as a client sees it (raw sockets and httplib's client), and `--watch` with a good and a
// bad edit of the scenario file.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "support/raw_http.h"
#include "support/scenario_server.h"
#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kScenario = scenario_with_rules("rules_under_test", R"(  - name: teapot-twice
    match: {method: GET, path: /api/info, query: {mode: teapot}}
    times: 2
    respond: {status: 418, headers: {X-Rule: teapot}, body: {errors: [{code: TEAPOT, message: short and stout}]}}
  - name: outage-starts
    match: {operation: retrieveMetadata, query: {mode: outage}}
    scenario: outage
    required_state: Started
    new_state: Down
    respond: {status: 503, headers: {Retry-After: "1"}, body: {errors: [{code: UNKNOWN, message: down}]}}
  - name: outage-ends
    match: {operation: retrieveMetadata, query: {mode: outage}}
    scenario: outage
    required_state: Down
    new_state: Up
    respond: {status: 200, body: {recovered: true}}
  - name: locked-user
    match: {operation: signInWithCredentials, body: {/username: {equals: mallory}}}
    respond: {status: 423, body: {errors: [{code: LOCKED, message: account locked}]}}
  - name: fixed-delay
    match: {headers: {X-Delay: fixed}}
    delay: {fixed_ms: 300}
  - name: uniform-delay
    match: {headers: {X-Delay: uniform}}
    delay: {uniform_ms: [200, 250]}
  - name: lognormal-delay
    match: {headers: {X-Delay: lognormal}}
    delay: {lognormal: {median_ms: 200, sigma: 0.01}}
  - name: reset
    match: {headers: {X-Fault: reset}}
    fault: connection_reset
  - name: empty
    match: {headers: {X-Fault: empty}}
    fault: empty_response
  - name: chunk
    match: {headers: {X-Fault: chunk}}
    fault: malformed_chunk
)");

class ServerRules : public ::testing::Test {
 protected:
  void SetUp() override { client_ = client_for(*server_); }

  // A GET /api/info with one extra header on a raw connection, then how it ended.
  RawConnection::Received raw_get_with(const std::string& header) {
    auto connection = RawConnection::open(server_->address(), server_->port());
    EXPECT_TRUE(connection);
    if (!connection) return {};
    EXPECT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n\r\n"));
    return connection->read_until_end(5s);
  }

  ScenarioServer server_{kScenario};
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerRules, times_limits_how_often_a_rule_applies) {
  for (int i = 0; i < 2; ++i) {
    auto answer = client_->Get("/api/info?mode=teapot");
    ASSERT_TRUE(answer);
    EXPECT_EQ(418, answer->status);
    EXPECT_EQ("teapot", answer->get_header_value("X-Rule"));
    EXPECT_EQ("TEAPOT", error_code(answer));
    EXPECT_EQ("*", answer->get_header_value("Access-Control-Allow-Origin"));
  }
  auto third = client_->Get("/api/info?mode=teapot");
  EXPECT_EQ(200, third->status);
  const json journal = json_of(client_->Get("/__admin/requests"));
  ASSERT_TRUE(journal.contains("requests") && !journal["requests"].empty()) << journal.dump();
  EXPECT_TRUE(journal["requests"][0]["rule"].is_null());
  EXPECT_EQ("teapot-twice", journal["requests"][1]["rule"]);
  EXPECT_EQ(418, journal["requests"][1]["status"]);
}

TEST_F(ServerRules, scenario_states_move_from_rule_to_rule_and_reset_starts_over) {
  EXPECT_EQ(503, client_->Get("/api/info?mode=outage")->status);
  auto recovered = client_->Get("/api/info?mode=outage");
  EXPECT_EQ(200, recovered->status);
  EXPECT_EQ(json({{"recovered", true}}), json_of(recovered));
  // State "Up" has no rule: the built-in behaviour answers.
  auto built_in = client_->Get("/api/info?mode=outage");
  EXPECT_EQ(200, built_in->status);
  EXPECT_TRUE(json_of(built_in).contains("enable_ipv6"));
  EXPECT_FALSE(json_of(built_in).contains("recovered"));
  ASSERT_EQ(200, client_->Post("/__admin/reset")->status);
  EXPECT_EQ(503, client_->Get("/api/info?mode=outage")->status);
}

TEST_F(ServerRules, a_rule_can_match_body_fields) {
  auto locked = post_json(*client_, "/api/auth/sign_in", {{"username", "mallory"}, {"password", "x"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(423, locked->status);
  EXPECT_EQ("LOCKED", error_code(locked));
  EXPECT_EQ(200, post_json(*client_, "/api/auth/sign_in",
                           {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}})
                     ->status);
}

TEST_F(ServerRules, each_delay_kind_waits_before_the_built_in_answer) {
  for (const auto& [kind, at_least] : {std::pair{"fixed", 300ms}, std::pair{"uniform", 200ms}, std::pair{"lognormal", 190ms}}) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = client_->Get("/api/info", {{"X-Delay", kind}});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(answer) << kind;
    EXPECT_EQ(200, answer->status) << kind;
    EXPECT_GE(elapsed, at_least) << kind;
  }
}

TEST_F(ServerRules, connection_reset_reaches_the_client_as_a_reset) {
  const auto received = raw_get_with("X-Fault: reset");
  EXPECT_EQ(RawConnection::End::reset, received.end) << "errno " << received.error_number;
  EXPECT_EQ(ECONNRESET, received.error_number);
  EXPECT_TRUE(received.bytes.empty());
  auto answer = client_->Get("/api/info", {{"X-Fault", "reset"}});
  EXPECT_FALSE(answer);
  // The server goes on answering.
  EXPECT_EQ(200, client_->Get("/api/info")->status);
}

TEST_F(ServerRules, empty_response_closes_without_a_byte) {
  const auto received = raw_get_with("X-Fault: empty");
  EXPECT_EQ(RawConnection::End::closed, received.end) << "errno " << received.error_number;
  EXPECT_TRUE(received.bytes.empty());
  EXPECT_FALSE(client_->Get("/api/info", {{"X-Fault", "empty"}}));
  // Asked right after the client saw the break: the faulted request is already there.
  const json journal = json_of(client_->Get("/__admin/requests"));
  ASSERT_TRUE(journal.contains("requests") && journal["requests"].is_array() && !journal["requests"].empty())
      << journal.dump();
  EXPECT_EQ("empty", journal["requests"][0]["rule"]);
  EXPECT_EQ(0, journal["requests"][0]["status"]);
}

TEST_F(ServerRules, malformed_chunk_breaks_the_body) {
  const auto received = raw_get_with("X-Fault: chunk");
  EXPECT_EQ(0u, received.bytes.rfind("HTTP/1.1 200 OK\r\n", 0)) << received.bytes;
  EXPECT_NE(std::string::npos, received.bytes.find("Transfer-Encoding: chunked"));
  EXPECT_NE(RawConnection::End::timeout, received.end);
  auto answer = client_->Get("/api/info", {{"X-Fault", "chunk"}});
  EXPECT_FALSE(answer);
  EXPECT_EQ(200, client_->Get("/api/info")->status);
}

TEST_F(ServerRules, a_fault_on_a_request_with_a_body_works_too) {
  auto connection = RawConnection::open(server_->address(), server_->port());
  ASSERT_TRUE(connection);
  const std::string body = R"({"username":"alice","password":"alice-secret","domain":"pbx.example.com"})";
  ASSERT_TRUE(connection->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nX-Fault: reset\r\n"
                               "Content-Type: application/json\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body));
  const auto received = connection->read_until_end(5s);
  EXPECT_EQ(RawConnection::End::reset, received.end);
}

TEST(server_watch, a_good_edit_is_picked_up_and_a_bad_one_keeps_the_running_scenario) {
  ScratchFolder folder;
  const std::string first = "name: watched\nsystem: {web_domain: first.example.com}\ntenants: []\n";
  const std::string file = folder.write("watched.yaml", first);
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", file, "--watch"}});
  auto client = client_for(server);
  EXPECT_EQ("first.example.com", json_of(client->Get("/api/info"))["web_domain"]);

  folder.write("watched.yaml", "name: watched\nsystem: {web_domain: second.example.com}\ntenants: []\n");
  std::string seen;
  for (int i = 0; i < 200 && seen != "second.example.com"; ++i) {  // up to 10 s
    std::this_thread::sleep_for(50ms);
    seen = json_of(client->Get("/api/info"))["web_domain"].get<std::string>();
  }
  EXPECT_EQ("second.example.com", seen);

  // Line 2, column 9: a boolean where a mapping belongs.
  folder.write("watched.yaml", "name: watched\nsystem: true\ntenants: []\n");
  EXPECT_TRUE(server.wait_for_log("watched.yaml:2:9", 10s)) << server.err();
  EXPECT_NE(std::string::npos, server.err().find("kept the running scenario"));
  EXPECT_EQ("second.example.com", json_of(client->Get("/api/info"))["web_domain"]);
}

// Editing the scenario file does not sign anybody out: sessions of users the new version still
// has keep working; a user the edit removed is signed out.
TEST(server_watch, a_reload_keeps_the_sessions_of_users_still_there) {
  ScratchFolder folder;
  const auto scenario = [](const std::string& web_domain, const std::string& users) {
    return "name: watched\nsystem: {web_domain: " + web_domain +
           "}\ntenants:\n  - name: Example\n    domain: pbx.example.com\n    users:\n" + users;
  };
  const std::string alice = "      - {username: alice, password: alice-secret}\n";
  const std::string bob = "      - {username: bob, password: bob-secret}\n";
  const std::string file = folder.write("watched.yaml", scenario("first.example.com", alice + bob));
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", file, "--watch"}});
  auto client = client_for(server);
  const auto token_of = [&](const std::string& user) {
    const auto answer = post_json(*client, "/api/auth/sign_in",
                                  {{"username", user}, {"password", user + "-secret"}, {"domain", "pbx.example.com"}});
    return json_of(answer).value("access_token", std::string("(none)"));
  };
  const auto user_status = [&](const std::string& token) {
    return client->Get("/api/auth/user", {{"Authorization", "Bearer " + token}})->status;
  };
  const std::string alice_token = token_of("alice");
  const std::string bob_token = token_of("bob");
  ASSERT_EQ(200, user_status(alice_token));
  ASSERT_EQ(200, user_status(bob_token));

  folder.write("watched.yaml", scenario("second.example.com", alice));
  ASSERT_TRUE(server.wait_for_log("(1 session(s) kept)", 10s)) << server.err();
  EXPECT_EQ("second.example.com", json_of(client->Get("/api/info"))["web_domain"]);
  EXPECT_EQ(200, user_status(alice_token));
  EXPECT_EQ(401, user_status(bob_token));
}

}  // namespace
}  // namespace pbxmock::test
