// `pbxmock proxy` from outside: the real program on a free loopback port between a client
// (cpp-httplib) and an upstream the test starts. The upstreams: the real mock (no violation,
// answers unchanged); a server with planted spec violations (each one reported, with its
// operation, direction, rule and pointer, on the log, in the journal and at
// /__admin/violations); servers broken on purpose (dripping, endless, down, a loop back to the
// proxy: each answered 502/504/508 in bounded time, the proxy still serving). A session
// recorded through the proxy passes `pbxmock check` against its upstream and fails against a
// changed one on the changed step, and no secret is written.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/broken_server.h"
#include "support/loopback_server.h"
#include "support/process.h"
#include "support/scenario_server.h"
#include "support/server_client.h"
#include "support/server_process.h"
#include "support/shared_files.h"
#include "support/tls_connection.h"

namespace {

using nlohmann::json;
using pbxmock::test::BrokenServer;
using pbxmock::test::LoopbackServer;
using pbxmock::test::ServerProcess;
using pbxmock::test::ServeOptions;
using pbxmock::test::bearer;
using pbxmock::test::closed_port;
using pbxmock::test::client_for;
using pbxmock::test::error_code;
using pbxmock::test::json_of;
using pbxmock::test::post_json;
using pbxmock::test::run_process;

const json kAlice = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};
const std::string kToken = "7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY";

ServeOptions proxy_to(const std::string& upstream, std::vector<std::string> more = {}) {
  ServeOptions options;
  options.command = "proxy";
  options.args = {"--upstream", upstream};
  options.args.insert(options.args.end(), more.begin(), more.end());
  return options;
}

// "operation direction rule pointer" of each violation the proxy holds, oldest first.
std::vector<std::string> violations_of(const ServerProcess& proxy) {
  auto client = client_for(proxy);
  const json list = json_of(client->Get("/__admin/violations"));
  std::vector<std::string> out;
  if (!list.is_object() || !list["violations"].is_array()) return {"(no list: " + list.dump() + ")"};
  for (const json& v : list["violations"]) {
    out.insert(out.begin(), v.value("operation", "?") + " " + v.value("direction", "?") + " " + v.value("rule", "?") +
                                " " + v.value("pointer", "?"));
  }
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string listed(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) out += "  " + item + "\n";
  return out;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The upstream's detail of a 502/504: {"upstream": URL, "reason": kind}.
std::string failure_reason(const httplib::Result& result) {
  const json body = json_of(result);
  if (!body.is_object() || !body.contains("errors")) return "(not an error body)";
  return body["errors"][0]["detail"].value("reason", "(none)");
}

TEST(proxy, the_mock_as_upstream_answers_through_it_unchanged_with_no_violation) {
  pbxmock::test::MockServer upstream;
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url()));
  auto through = client_for(proxy);
  httplib::Client direct(upstream.url());

  const auto info = through->Get("/api/info");
  ASSERT_TRUE(info);
  EXPECT_EQ(200, info->status);
  EXPECT_EQ(direct.Get("/api/info")->body, info->body);
  EXPECT_EQ("application/json", info->get_header_value("Content-Type"));

  // A front end on another origin: the browser's preflight passes through, and is no violation.
  const auto preflight = through->Options("/api/auth/sign_in", {{"Origin", "http://localhost:5173"},
                                                                 {"Access-Control-Request-Method", "POST"},
                                                                 {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(204, preflight->status);
  EXPECT_EQ("http://localhost:5173", preflight->get_header_value("Access-Control-Allow-Origin"));

  const auto signed_in = post_json(*through, "/api/auth/sign_in", kAlice);
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(200, signed_in->status) << signed_in->body;
  const std::string access = json_of(signed_in)["access_token"];
  const auto user = through->Get("/api/auth/user", bearer(access));
  ASSERT_TRUE(user);
  EXPECT_EQ("Admin", json_of(user)["role"]);
  EXPECT_EQ(200, through->Post("/api/auth/sign_out", bearer(access), "", "application/json")->status);
  // The mock's refusal passes as it came: 401 is declared, so it is no violation either.
  const auto after = through->Get("/api/auth/user", bearer(access));
  EXPECT_EQ(401, after->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(after));

  EXPECT_EQ(std::vector<std::string>{}, violations_of(proxy));
  const json journal = json_of(through->Get("/__admin/requests"));
  ASSERT_EQ(6u, journal["requests"].size()) << journal.dump();
  for (const json& entry : journal["requests"]) EXPECT_EQ(json::array(), entry["violations"]) << entry.dump();
  EXPECT_EQ(std::string::npos, proxy.err().find("VIOLATION")) << proxy.err();
  const json health = json_of(through->Get("/__admin/health"));
  EXPECT_EQ("proxy", health["mode"]);
  EXPECT_EQ(upstream.url(), health["upstream"]);
}

// The upstream a team might have: each answer breaks the spec in one way.
void plant_violations(httplib::Server& server) {
  server.Get("/api/info", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"web_domain":5})", "application/json");  // a number where the spec says string
  });
  server.Post("/api/auth/sign_in", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("signed in", "text/plain");  // not the declared application/json
  });
  server.Get("/api/auth/user", [](const httplib::Request&, httplib::Response& res) {
    res.status = 202;  // not declared (a 4xx would be: the spec declares 4XX)
    res.set_content(R"({"role":"Admin"})", "application/json");
  });
  server.Post("/api/auth/sign_out", [](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(R"({"error":"bad"})", "application/json");  // not the vendor's error body
  });
}

TEST(proxy, each_planted_violation_of_the_upstream_is_reported_and_the_answer_passes_unchanged) {
  LoopbackServer planted;
  plant_violations(planted.server());
  planted.start();
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(planted.url()));
  auto client = client_for(proxy);

  const auto info = client->Get("/api/info");
  ASSERT_TRUE(info);
  EXPECT_EQ(200, info->status);
  EXPECT_EQ(R"({"web_domain":5})", info->body);
  const auto signed_in = post_json(*client, "/api/auth/sign_in", kAlice);
  ASSERT_TRUE(signed_in);
  EXPECT_EQ("signed in", signed_in->body);
  EXPECT_EQ("text/plain", signed_in->get_header_value("Content-Type"));
  EXPECT_EQ(202, client->Get("/api/auth/user", bearer(kToken))->status);
  EXPECT_EQ(400, client->Post("/api/auth/sign_out", bearer(kToken), "", "application/json")->status);
  // And a request that breaks the spec itself: no password.
  post_json(*client, "/api/auth/sign_in", {{"username", "alice"}, {"domain", "pbx.example.com"}});

  const auto found = violations_of(proxy);
  for (const char* expected :
       {"retrieveMetadata response schema /body/web_domain", "signInWithCredentials response content_type /headers/content-type",
        "getUserAuthInfo response undeclared_status /status", "signInWithCredentials request required /body/password"}) {
    EXPECT_TRUE(has(found, expected)) << expected << " not among:\n" << listed(found);
  }
  EXPECT_TRUE(std::any_of(found.begin(), found.end(),
                          [](const std::string& v) { return v.rfind("signOut response error_shape", 0) == 0; }))
      << listed(found);

  // One log line each, and the journal holds each beside its exchange.
  EXPECT_TRUE(proxy.wait_for_log("VIOLATION GET /api/info retrieveMetadata response schema /body/web_domain: ",
                                 std::chrono::seconds(5)))
      << proxy.err();
  const json list = json_of(client->Get("/__admin/violations"));
  const json journal = json_of(client->Get("/__admin/requests"));
  bool matched = false;
  for (const json& v : list["violations"]) {
    if (v["pointer"] != "/body/web_domain") continue;
    for (const json& entry : journal["requests"]) {
      if (entry["id"] != v["request_id"]) continue;
      EXPECT_EQ("/api/info", entry["path"]);
      ASSERT_EQ(1u, entry["violations"].size()) << entry.dump();
      EXPECT_EQ("schema", entry["violations"][0]["rule"]);
      EXPECT_EQ(R"({"web_domain":5})", entry["response"]["body"]);
      matched = true;
    }
  }
  EXPECT_TRUE(matched) << list.dump() << "\n" << journal.dump();

  // The proxy's admin API: no scenario, outbox or clock; the list can be cleared.
  EXPECT_EQ(404, client->Get("/__admin/outbox")->status);
  EXPECT_EQ(404, client->Get("/__admin/scenarios")->status);
  EXPECT_EQ(200, client->Delete("/__admin/violations")->status);
  EXPECT_EQ(std::vector<std::string>{}, violations_of(proxy));
}

TEST(proxy, with_the_vendors_document_an_operation_beyond_ours_is_judged_by_it) {
  const std::string vendor = pbxmock::test::shared_file("portsip/openapi-22.0.json");
  ASSERT_TRUE(pbxmock::test::file_exists(vendor)) << pbxmock::test::missing_file_message(vendor);
  pbxmock::test::MockServer upstream;  // answers GET /api/users with its own 404: it has no such operation
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url(), {"--spec", vendor}));
  auto client = client_for(proxy);
  EXPECT_EQ(200, client->Get("/api/info")->status);
  EXPECT_EQ(404, client->Get("/api/users")->status);
  const auto found = violations_of(proxy);
  // listUsers is the vendor's: it wants a bearer token, and it declares no body for a 4xx.
  EXPECT_TRUE(has(found, "listUsers request bearer_token /headers/authorization")) << listed(found);
  EXPECT_TRUE(has(found, "listUsers response content_type /headers/content-type")) << listed(found);
  EXPECT_FALSE(std::any_of(found.begin(), found.end(), [](const std::string& v) { return v.rfind("retrieveMetadata", 0) == 0; }))
      << listed(found);
}

TEST(proxy, the_mock_has_no_violation_list) {
  ServerProcess mock(PBXMOCK_BINARY);
  const auto answer = client_for(mock)->Get("/__admin/violations");
  ASSERT_TRUE(answer);
  EXPECT_EQ(404, answer->status);
  EXPECT_NE(std::string::npos, answer->body.find("only pbxmock proxy")) << answer->body;
}

TEST(proxy, strict_refuses_a_request_that_breaks_the_spec_instead_of_forwarding_it) {
  std::atomic<int> forwarded{0};
  LoopbackServer upstream;
  upstream.server().Post("/api/auth/sign_in", [&](const httplib::Request&, httplib::Response& res) {
    ++forwarded;
    res.set_content(R"({"access_token":")" + kToken + R"(","refresh_token":")" + kToken +
                        R"(","expires_in":3600,"token_type":"Bearer"})",
                    "application/json");
  });
  upstream.start();
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url(), {"--strict"}));
  auto client = client_for(proxy);

  const auto refused = post_json(*client, "/api/auth/sign_in", {{"username", "alice"}, {"domain", "pbx.example.com"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(400, refused->status);
  EXPECT_EQ("VALIDATE_FAILED", error_code(refused));
  EXPECT_EQ("password", json_of(refused)["errors"][0]["detail"]["field"]) << refused->body;
  EXPECT_EQ(0, forwarded.load());
  EXPECT_EQ(std::vector<std::string>{"signInWithCredentials request required /body/password"}, violations_of(proxy));

  const auto passed = post_json(*client, "/api/auth/sign_in", kAlice);
  ASSERT_TRUE(passed);
  EXPECT_EQ(200, passed->status) << passed->body;
  EXPECT_EQ(1, forwarded.load());
}

TEST(proxy, an_upstream_that_drips_gets_a_504_at_the_timeout_and_the_proxy_serves_on) {
  BrokenServer upstream(BrokenServer::dripping(std::chrono::milliseconds(100)));
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url(), {"--timeout", "1000"}));
  auto client = client_for(proxy);  // reads for 10 s at most: a proxy that hangs fails here
  const auto answer = client->Get("/api/info");
  ASSERT_TRUE(answer) << "no answer from the proxy";
  EXPECT_EQ(504, answer->status) << answer->body;
  EXPECT_EQ("GATEWAY_TIMEOUT", error_code(answer));
  EXPECT_EQ("timeout", failure_reason(answer)) << answer->body;
  EXPECT_EQ(200, client->Get("/__admin/health")->status);
}

TEST(proxy, an_answer_without_end_is_cut_at_the_cap_with_a_502) {
  for (auto behaviour :
       {BrokenServer::endless_chunked(), BrokenServer::declared_length(1ull << 40), BrokenServer::endless_head()}) {
    BrokenServer upstream(behaviour);
    ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url(), {"--max-answer-bytes", "65536"}));
    auto client = client_for(proxy);
    const auto answer = client->Get("/api/info");
    ASSERT_TRUE(answer) << "no answer from the proxy";
    EXPECT_EQ(502, answer->status) << answer->body;
    EXPECT_EQ("BAD_GATEWAY", error_code(answer));
    EXPECT_EQ("too_large", failure_reason(answer)) << answer->body;
    EXPECT_EQ(200, client->Get("/__admin/health")->status);
  }
}

TEST(proxy, an_upstream_that_is_down_gets_a_502_that_says_so) {
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port());
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(down));
  const auto answer = client_for(proxy)->Get("/api/info");
  ASSERT_TRUE(answer);
  EXPECT_EQ(502, answer->status);
  EXPECT_EQ("cannot_connect", failure_reason(answer)) << answer->body;
  EXPECT_NE(std::string::npos, answer->body.find(down)) << answer->body;
}

TEST(proxy, an_https_upstream_with_a_self_signed_certificate_is_refused_unless_k) {
  pbxmock::test::ScratchFolder folder;
  const auto [cert, key] = pbxmock::test::make_certificate(folder.path());
  ServerProcess upstream(PBXMOCK_BINARY, ServeOptions{{"--quiet", "--tls-cert", cert, "--tls-key", key}});
  const std::string url = "https://127.0.0.1:" + std::to_string(upstream.port());
  {
    ServerProcess proxy(PBXMOCK_BINARY, proxy_to(url));
    const auto answer = client_for(proxy)->Get("/api/info");
    ASSERT_TRUE(answer);
    EXPECT_EQ(502, answer->status) << answer->body;
    EXPECT_EQ("tls", failure_reason(answer)) << answer->body;
    EXPECT_TRUE(proxy.wait_for_log("upstream: GET /api/info: the certificate of " + url, std::chrono::seconds(5)))
        << proxy.err();
  }
  ServerProcess proxy(PBXMOCK_BINARY, proxy_to(url, {"-k"}));
  auto client = client_for(proxy);
  const auto info = client->Get("/api/info");
  ASSERT_TRUE(info);
  EXPECT_EQ(200, info->status) << info->body;
  EXPECT_EQ("pbx.example.com", json_of(info)["web_domain"]);
  EXPECT_EQ(200, post_json(*client, "/api/auth/sign_in", kAlice)->status);
  EXPECT_EQ(std::vector<std::string>{}, violations_of(proxy));
}

TEST(proxy, a_proxy_that_is_its_own_upstream_refuses_the_loop) {
  const int port = closed_port();
  ServerProcess proxy(PBXMOCK_BINARY,
                      proxy_to("http://127.0.0.1:" + std::to_string(port), {"--port", std::to_string(port)}));
  auto client = client_for(proxy);
  const auto answer = client->Get("/api/info");
  ASSERT_TRUE(answer);
  EXPECT_EQ(508, answer->status) << answer->body;
  EXPECT_EQ("LOOP_DETECTED", error_code(answer));
  EXPECT_EQ(200, client->Get("/__admin/health")->status);
}

TEST(proxy, a_bad_upstream_or_record_folder_is_a_usage_error) {
  const auto bad = run_process({PBXMOCK_BINARY, "proxy", "--upstream", "ftp://pbx.example.com", "--port", "0"});
  EXPECT_EQ(2, bad.exit_code) << bad.out << bad.err;
  EXPECT_NE(std::string::npos, bad.err.find("--upstream ftp://pbx.example.com: ")) << bad.err;

  pbxmock::test::ScratchFolder folder;
  const std::string file = folder.write("plain-file", "x");
  const auto unwritable =
      run_process({PBXMOCK_BINARY, "proxy", "--upstream", "http://127.0.0.1:9", "--port", "0", "--record", file});
  EXPECT_EQ(2, unwritable.exit_code) << unwritable.out << unwritable.err;
  EXPECT_NE(std::string::npos, unwritable.err.find("--record: cannot create " + file + "/contracts")) << unwritable.err;
}

// Every file under `dir`, with its text.
std::vector<std::pair<std::string, std::string>> files_under(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.emplace_back(entry.path().string(), read(entry.path()));
  }
  return out;
}

TEST(proxy, a_recorded_session_passes_against_its_upstream_and_fails_against_a_changed_one) {
  pbxmock::test::ScratchFolder folder;
  const std::string dir = folder.path() + "/recorded";
  pbxmock::test::MockServer upstream;
  std::string access, refresh;
  {
    ServerProcess proxy(PBXMOCK_BINARY, proxy_to(upstream.url(), {"--record", dir}));
    auto client = client_for(proxy);
    ASSERT_EQ(200, client->Get("/api/info")->status);
    const auto signed_in = post_json(*client, "/api/auth/sign_in", kAlice);
    ASSERT_EQ(200, signed_in->status);
    access = json_of(signed_in)["access_token"];
    refresh = json_of(signed_in)["refresh_token"];
    ASSERT_EQ("Admin", json_of(client->Get("/api/auth/user", bearer(access)))["role"]);
    ASSERT_EQ(200, client->Post("/api/auth/sign_out", bearer(access), "", "application/json")->status);
    // The sign-out ends the session: its file is written then, not only at the stop.
    EXPECT_TRUE(proxy.wait_for_log("recording: wrote " + dir + "/contracts/session-1.yaml", std::chrono::seconds(10)))
        << proxy.err();
    EXPECT_TRUE(std::filesystem::exists(dir + "/contracts/session-1.yaml"));
    EXPECT_EQ(0, proxy.stop());
    EXPECT_NE(std::string::npos, proxy.err().find("(set them before pbxmock check): PBX_PASSWORD")) << proxy.err();
  }

  const auto files = files_under(dir);
  ASSERT_EQ(2u, files.size());  // contracts/session-1.yaml and scenario.yaml
  for (const auto& [path, text] : files) {
    for (const std::string& secret : {std::string("alice-secret"), access, refresh}) {
      EXPECT_EQ(std::string::npos, text.find(secret)) << "a secret in " << path << ":\n" << text;
    }
  }

  const std::string contracts = dir + "/contracts";
  const auto pass = run_process(
      {"/usr/bin/env", "PBX_PASSWORD=alice-secret", PBXMOCK_BINARY, "check", "--target", upstream.url(), contracts});
  EXPECT_EQ(0, pass.exit_code) << pass.out << pass.err;
  EXPECT_NE(std::string::npos, pass.out.find("\n4 passed, 0 failed\n")) << pass.out;

  // The changed upstream: the recorded skeleton, filled in, with alice no longer an Admin.
  std::string scenario = read(dir + "/scenario.yaml");
  for (std::size_t at; (at = scenario.find("password: ~")) != std::string::npos;) {
    scenario.replace(at, 11, "password: alice-secret");
  }
  scenario += R"(rules:
  - name: alice-demoted
    match: {operation: getUserAuthInfo}
    respond:
      status: 200
      body: {role: User, password_verified: true, password_force_reset: false}
)";
  pbxmock::test::ScenarioServer changed(scenario, {"--quiet"});
  const std::string changed_url = "http://127.0.0.1:" + std::to_string(changed->port());
  const auto fail = run_process(
      {"/usr/bin/env", "PBX_PASSWORD=alice-secret", PBXMOCK_BINARY, "check", "--target", changed_url, contracts});
  EXPECT_EQ(1, fail.exit_code) << fail.out << fail.err;
  const std::string session = "FAIL " + contracts + "/session-1.yaml \xe2\x80\xba session 1: alice@pbx.example.com \xe2\x80\xba ";
  EXPECT_NE(std::string::npos, fail.out.find(session + "3 GET /api/auth/user (getUserAuthInfo)")) << fail.out;
  EXPECT_NE(std::string::npos, fail.out.find("body /role: expected \"Admin\", seen \"User\"")) << fail.out;
  // The steps before it passed (the one after it is not run): the failure is the changed step's.
  EXPECT_NE(std::string::npos, fail.out.find("PASS " + contracts + "/session-1.yaml \xe2\x80\xba session 1: alice@pbx.example.com \xe2\x80\xba 2 POST /api/auth/sign_in")) << fail.out;
  EXPECT_NE(std::string::npos, fail.out.find("\n2 passed, 2 failed\n")) << fail.out;
}

}  // namespace
