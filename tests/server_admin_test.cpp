// The admin API under /__admin/ over real HTTP: health, reset, the journal (cap, order,
// clearing), the outbox, the clock, scenarios (list, switch, load good and bad with the
// running one kept), and the admin key of a server bound to a non-loopback address.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

const json kAlice = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};

TEST(server_admin, health_names_the_scenario) {
  ServerProcess server(PBXMOCK_BINARY, {{"--scenario", "two_factor"}});
  auto client = client_for(server);
  auto answer = client->Get("/__admin/health");
  ASSERT_TRUE(answer);
  EXPECT_EQ(200, answer->status);
  const json body = json_of(answer);
  EXPECT_EQ("ok", body["status"]);
  EXPECT_EQ("two_factor", body["scenario"]);
  EXPECT_TRUE(body["uptime_seconds"].is_number_integer());
  EXPECT_NE(std::string::npos, server.out().find("serving scenario 'two_factor' on http://127.0.0.1:"));
}

TEST(server_admin, reset_ends_sessions_and_empties_outbox_journal_and_clock) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const json tokens = json_of(post_json(*client, "/api/auth/sign_in", kAlice));
  post_json(*client, "/api/auth/forget_password",
            {{"domain", "pbx.example.com"}, {"username", "bob"}, {"callback_url", "https://app.example.com/r"}});
  post_json(*client, "/__admin/clock", {{"advance_seconds", 60}});
  ASSERT_EQ(1u, json_of(client->Get("/__admin/outbox"))["messages"].size());

  auto reset = client->Post("/__admin/reset");
  ASSERT_EQ(200, reset->status);
  EXPECT_EQ(json({{"status", "reset"}, {"scenario", "default"}}), json_of(reset));
  EXPECT_EQ(401, client->Get("/api/auth/user", bearer(tokens["access_token"]))->status);
  EXPECT_TRUE(json_of(client->Get("/__admin/outbox"))["messages"].empty());
  EXPECT_EQ(0, json_of(client->Get("/__admin/clock"))["offset_seconds"]);
  // Only the 401 above happened since the reset.
  EXPECT_EQ(1, json_of(client->Get("/__admin/requests"))["total"]);
}

TEST(server_admin, journal_is_newest_first_capped_and_clearable) {
  ServerProcess server(PBXMOCK_BINARY, {{"--journal-size", "5"}});
  auto client = client_for(server);
  for (int i = 0; i < 7; ++i) client->Get(("/api/info?n=" + std::to_string(i)).c_str());
  client->Get("/api/nowhere");

  const json journal = json_of(client->Get("/__admin/requests"));
  EXPECT_EQ(5, journal["capacity"]);
  EXPECT_EQ(5, journal["total"]);
  ASSERT_EQ(5u, journal["requests"].size());
  ASSERT_TRUE(journal.contains("requests") && !journal["requests"].empty()) << journal.dump();
  const json& newest = journal["requests"][0];
  EXPECT_EQ("/api/nowhere", newest["path"]);
  EXPECT_EQ(404, newest["status"]);
  EXPECT_TRUE(newest["operation_id"].is_null());
  const json& next = journal["requests"][1];
  EXPECT_EQ("GET", next["method"]);
  EXPECT_EQ("/api/info", next["path"]);
  EXPECT_EQ("n=6", next["query"]);
  EXPECT_EQ(200, next["status"]);
  EXPECT_EQ("retrieveMetadata", next["operation_id"]);
  EXPECT_TRUE(next["rule"].is_null());
  EXPECT_TRUE(next["duration_ms"].is_number());
  EXPECT_GT(newest["id"].get<int>(), next["id"].get<int>());
  EXPECT_EQ("n=3", journal["requests"][4]["query"]);

  EXPECT_EQ(2u, json_of(client->Get("/__admin/requests?limit=2"))["requests"].size());
  EXPECT_EQ(400, client->Get("/__admin/requests?limit=many")->status);
  auto cleared = client->Delete("/__admin/requests");
  EXPECT_EQ(json({{"status", "cleared"}}), json_of(cleared));
  EXPECT_EQ(0, json_of(client->Get("/__admin/requests"))["total"]);
}

TEST(server_admin, outbox_lists_filters_and_clears) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  for (const char* user : {"bob", "dave"}) {
    post_json(*client, "/api/auth/forget_password",
              {{"domain", "pbx.example.com"}, {"username", user}, {"callback_url", "https://app.example.com/reset"}});
  }
  const json all = json_of(client->Get("/__admin/outbox"));
  ASSERT_EQ(2u, all["messages"].size());
  EXPECT_EQ("dave", all["messages"][0]["username"]);  // newest first
  const json& message = all["messages"][1];
  EXPECT_EQ("password_reset", message["kind"]);
  EXPECT_EQ("bob@example.com", message["to"]);
  EXPECT_EQ("pbx.example.com", message["tenant"]);
  EXPECT_TRUE(message["created_at"].is_string());
  EXPECT_EQ(0u, message["link"].get<std::string>().rfind("https://app.example.com/reset?token=", 0));

  EXPECT_EQ(1u, json_of(client->Get("/__admin/outbox?to=BOB@example.com"))["messages"].size());
  EXPECT_EQ(1u, json_of(client->Get("/__admin/outbox?username=dave&kind=password_reset"))["messages"].size());
  EXPECT_EQ(0u, json_of(client->Get("/__admin/outbox?kind=otp"))["messages"].size());
  EXPECT_EQ(json({{"status", "cleared"}}), json_of(client->Delete("/__admin/outbox")));
  EXPECT_TRUE(json_of(client->Get("/__admin/outbox"))["messages"].empty());
}

TEST(server_admin, clock_moves_forward_only) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const json before = json_of(client->Get("/__admin/clock"));
  EXPECT_EQ(0, before["offset_seconds"]);
  EXPECT_TRUE(before["now"].is_string());
  auto moved = post_json(*client, "/__admin/clock", {{"advance_seconds", 86400}});
  ASSERT_EQ(200, moved->status);
  EXPECT_EQ(86400, json_of(moved)["offset_seconds"]);
  EXPECT_GT(json_of(moved)["now"].get<std::string>(), before["now"].get<std::string>());
  for (const json& bad : {json{{"advance_seconds", -1}}, json{{"advance_seconds", 1.5}}, json{{"advance_seconds", "1"}},
                          json::object()}) {
    auto refused = post_json(*client, "/__admin/clock", bad);
    EXPECT_EQ(400, refused->status) << bad;
    EXPECT_EQ("VALIDATE_FAILED", error_code(refused)) << bad;
  }
  EXPECT_EQ(400, client->Post("/__admin/clock", "not json", "application/json")->status);
  EXPECT_EQ(86400, json_of(client->Get("/__admin/clock"))["offset_seconds"]);
}

TEST(server_admin, scenarios_list_and_switch) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const json list = json_of(client->Get("/__admin/scenarios"));
  EXPECT_EQ("default", list["active"]);
  EXPECT_EQ(json({"default", "flaky_network", "microsoft365", "two_factor", "vendor_defaults"}), list["builtin"]);

  auto switched = client->Put("/__admin/scenarios/active", R"({"name":"two_factor"})", "application/json");
  ASSERT_EQ(200, switched->status);
  EXPECT_EQ(json({{"active", "two_factor"}}), json_of(switched));
  EXPECT_EQ("two_factor", json_of(client->Get("/__admin/health"))["scenario"]);
  EXPECT_EQ("Secure Co", json_of(client->Get("/api/info?domain=secure.example.com"))["name"]);

  auto unknown = client->Put("/__admin/scenarios/active", R"({"name":"nope"})", "application/json");
  EXPECT_EQ(404, unknown->status);
  EXPECT_EQ("NOT_FOUND", error_code(unknown));
  EXPECT_EQ("two_factor", json_of(client->Get("/__admin/scenarios"))["active"]);
}

TEST(server_admin, loading_a_scenario_from_the_body) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const std::string yaml = R"(
name: tiny
system: {web_domain: tiny.example.com}
tenants:
  - name: Tiny
    domain: tiny.example.com
    users: [{username: zoe, password: zoe-secret, email: zoe@tiny.example.com}]
)";
  auto loaded = client->Post("/__admin/scenarios", yaml, "application/yaml");
  ASSERT_EQ(200, loaded->status) << loaded->body;
  EXPECT_EQ(json({{"active", "tiny"}}), json_of(loaded));
  EXPECT_EQ("tiny.example.com", json_of(client->Get("/api/info"))["web_domain"]);
  EXPECT_EQ(200, post_json(*client, "/api/auth/sign_in",
                           {{"username", "zoe"}, {"password", "zoe-secret"}, {"domain", "tiny.example.com"}})
                     ->status);

  const json as_json = {{"name", "tiny_json"}, {"tenants", json::array()}};
  EXPECT_EQ(json({{"active", "tiny_json"}}), json_of(client->Post("/__admin/scenarios", as_json.dump(), "application/json")));
  EXPECT_EQ(415, client->Post("/__admin/scenarios", yaml, "text/plain")->status);
}

TEST(server_admin, a_bad_scenario_is_rejected_with_positions_and_the_running_one_stays) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  const std::string bad = "name: broken\ntenants:\n  - name: X\n    domain: not a domain\n    users: []\n";
  auto rejected = client->Post("/__admin/scenarios", bad, "application/yaml");
  ASSERT_EQ(400, rejected->status);
  const json error = json_of(rejected)["errors"][0];
  EXPECT_EQ("INVALID_SCENARIO", error["code"]);
  EXPECT_EQ("scenario rejected", error["message"]);
  ASSERT_TRUE(error["detail"].is_array());
  ASSERT_FALSE(error["detail"].empty());
  const json& where = error["detail"][0];
  EXPECT_EQ("<request>", where["file"]);
  EXPECT_EQ(4, where["line"]);
  EXPECT_EQ(13, where["column"]);
  EXPECT_TRUE(where["message"].is_string());

  EXPECT_EQ(400, client->Post("/__admin/scenarios", "name: [unclosed", "application/yaml")->status);
  EXPECT_EQ("default", json_of(client->Get("/__admin/health"))["scenario"]);
  EXPECT_EQ(200, post_json(*client, "/api/auth/sign_in", kAlice)->status);
}

TEST(server_admin, unknown_admin_route_is_404_and_wrong_method_405) {
  ServerProcess server(PBXMOCK_BINARY);
  auto client = client_for(server);
  EXPECT_EQ(404, client->Get("/__admin/nothing")->status);
  auto wrong = client->Delete("/__admin/health");
  EXPECT_EQ(405, wrong->status);
  EXPECT_EQ("GET", wrong->get_header_value("Allow"));
  EXPECT_EQ("*", wrong->get_header_value("Access-Control-Allow-Origin"));
}

TEST(server_admin, bound_to_every_address_the_admin_api_needs_the_key) {
  ServerProcess server(PBXMOCK_BINARY, {{}, "0.0.0.0"});
  ASSERT_FALSE(server.admin_key().empty()) << server.out();
  EXPECT_NE(std::string::npos, server.out().find("WARNING: reachable from the network")) << server.out();
  httplib::Client client(server.address(), server.port());
  client.set_read_timeout(10, 0);

  auto refused = client.Get("/__admin/health");
  ASSERT_TRUE(refused);
  EXPECT_EQ(401, refused->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(refused));
  EXPECT_EQ("*", refused->get_header_value("Access-Control-Allow-Origin"));
  EXPECT_EQ(401, client.Get("/__admin/outbox")->status);
  EXPECT_EQ(401, client.Post("/__admin/reset")->status);
  EXPECT_EQ(401, client.Get("/__admin/health", {{"X-Admin-Key", "wrong"}})->status);

  EXPECT_EQ(200, client.Get("/__admin/health", {{"X-Admin-Key", server.admin_key()}})->status);
  EXPECT_EQ(200, client.Get("/__admin/outbox", {{"Authorization", "Bearer " + server.admin_key()}})->status);
  // The API itself answers as before.
  EXPECT_EQ(200, client.Get("/api/info")->status);
  EXPECT_EQ(200, post_json(client, "/api/auth/sign_in", kAlice)->status);
}

TEST(server_admin, a_given_admin_key_is_used_and_not_printed) {
  ServerProcess server(PBXMOCK_BINARY, {{"--admin-key", "s3cret-key-for-the-admin-api"}, "0.0.0.0"});
  EXPECT_EQ(std::string::npos, server.out().find("s3cret-key-for-the-admin-api"));
  httplib::Client client(server.address(), server.port());
  EXPECT_EQ(401, client.Get("/__admin/health")->status);
  EXPECT_EQ(200, client.Get("/__admin/health", {{"X-Admin-Key", "s3cret-key-for-the-admin-api"}})->status);
}

TEST(server_admin, sigterm_stops_the_server_with_status_0) {
  ServerProcess server(PBXMOCK_BINARY);
  // An idle keep-alive connection must not hold the shutdown up.
  httplib::Client client(server.address(), server.port());
  client.set_keep_alive(true);
  ASSERT_EQ(200, client.Get("/api/info")->status);
  EXPECT_EQ(0, server.stop());
  EXPECT_NE(std::string::npos, server.err().find("pbxmock: stopped"));
}

TEST(server_admin, serves_https_with_a_certificate_and_key) {
  ScratchFolder folder;
  const std::string cert = folder.path() + "/cert.pem";
  const std::string key = folder.path() + "/key.pem";
  // The same command as scripts/make-cert.sh.
  const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=localhost -keyout '" +
                              key + "' -out '" + cert + "' 2>/dev/null";
  ASSERT_EQ(0, std::system(command.c_str()));
  ServerProcess server(PBXMOCK_BINARY, {{"--tls-cert", cert, "--tls-key", key}});
  EXPECT_NE(std::string::npos, server.out().find("on https://127.0.0.1:")) << server.out();
  httplib::SSLClient client(server.address(), server.port());
  client.enable_server_certificate_verification(false);  // self-signed
  client.set_read_timeout(10, 0);
  auto answer = client.Get("/api/info");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(200, answer->status);
  EXPECT_EQ("pbx.example.com", json_of(answer)["web_domain"]);
  // The identity provider's address says https too.
  auto microsoft = post_json(client, "/api/auth/sign_in/microsoft",
                             {{"domain", "pbx.example.com"}, {"callback_url", "https://app.example.com/cb"}});
  ASSERT_TRUE(microsoft);
  EXPECT_EQ(0u, json_of(microsoft)["url"].get<std::string>().rfind("https://127.0.0.1:" + std::to_string(server.port()), 0))
      << microsoft->body;

  // Bound to every address, it hands out the address the client used (its Host header), not
  // 0.0.0.0; --public-url overrides that for a mock behind a proxy.
  for (const bool fixed : {false, true}) {
    ServeOptions options{{"--tls-cert", cert, "--tls-key", key}, "0.0.0.0"};
    if (fixed) options.args.insert(options.args.end(), {"--public-url", "HTTPS://Mock.Example.com:9443/"});
    ServerProcess wildcard(PBXMOCK_BINARY, options);
    httplib::SSLClient other(wildcard.address(), wildcard.port());
    other.enable_server_certificate_verification(false);
    other.set_read_timeout(10, 0);
    auto answer_url = post_json(other, "/api/auth/sign_in/microsoft",
                                {{"domain", "pbx.example.com"}, {"callback_url", "https://app.example.com/cb"}});
    ASSERT_TRUE(answer_url);
    const std::string expected = fixed ? "https://mock.example.com:9443/__idp/"
                                       : "https://127.0.0.1:" + std::to_string(wildcard.port()) + "/__idp/";
    EXPECT_EQ(0u, json_of(answer_url)["url"].get<std::string>().rfind(expected, 0)) << answer_url->body;
  }
}

TEST(server_admin, a_public_url_that_is_not_an_origin_is_refused) {
  for (const char* bad : {"mock.example.com", "ftp://mock.example.com", "https://mock.example.com/app",
                          "https://mock.example.com:0", "https://mock.example.com:99999", "https://::1:8887",
                          "https://user@mock.example.com", "https://"}) {
    EXPECT_THROW(ServerProcess(PBXMOCK_BINARY, {{"--public-url", bad}}), std::runtime_error) << bad;
  }
}

TEST(server_admin, a_certificate_without_a_key_is_refused) {
  ScratchFolder folder;
  const std::string cert = folder.write("cert.pem", "not a certificate");
  EXPECT_THROW(ServerProcess(PBXMOCK_BINARY, {{"--tls-cert", cert}}), std::runtime_error);
}

TEST(server_admin, json_log_lines_are_one_object_per_request) {
  ServerProcess server(PBXMOCK_BINARY, {{"--log-format", "json"}});
  auto client = client_for(server);
  post_json(*client, "/api/auth/sign_in", kAlice);
  ASSERT_TRUE(server.wait_for_log("signInWithCredentials", std::chrono::seconds(5))) << server.err();
  const std::string log = server.err();
  const std::size_t start = log.rfind('\n', log.find("signInWithCredentials")) + 1;
  const json line = json::parse(log.substr(start, log.find('\n', start) - start), nullptr, false);
  ASSERT_TRUE(line.is_object()) << log;
  EXPECT_EQ("POST", line["method"]);
  EXPECT_EQ("/api/auth/sign_in", line["path"]);
  EXPECT_EQ(200, line["status"]);
  EXPECT_TRUE(line["duration_ms"].is_number());
  EXPECT_EQ(std::string::npos, log.find("alice-secret"));
}

}  // namespace
}  // namespace pbxmock::test
