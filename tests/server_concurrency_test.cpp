// Concurrent sessions over HTTP (run under ThreadSanitizer by scripts/test.sh, the server
// binary included): 8 clients each doing 500 sign-in / use / refresh / sign-out cycles.
// Every request must succeed, every revoked token must be refused, and no token may ever be
// handed out twice.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

constexpr int kClients = 8;
constexpr int kCycles = 500;

struct ClientReport {
  std::vector<std::string> tokens;
  std::vector<std::string> failures;
};

void run_cycles(const ServerProcess& server, const json& credentials, ClientReport& report, int cycles = kCycles) {
  auto client = client_for(server);
  client->set_keep_alive(true);
  auto fail = [&](const std::string& what, const httplib::Result& answer) {
    report.failures.push_back(what + ": " + (answer ? std::to_string(answer->status) + " " + answer->body
                                                    : "no answer (" + httplib::to_string(answer.error()) + ")"));
  };
  for (int cycle = 0; cycle < cycles && report.failures.size() < 5; ++cycle) {
    auto signed_in = post_json(*client, "/api/auth/sign_in", credentials);
    if (!signed_in || signed_in->status != 200) {
      fail("sign_in", signed_in);
      continue;
    }
    const json first = json_of(signed_in);
    report.tokens.push_back(first["access_token"]);
    report.tokens.push_back(first["refresh_token"]);

    auto user = client->Get("/api/auth/user", bearer(first["access_token"]));
    if (!user || user->status != 200) fail("user", user);

    auto refreshed = post_json(*client, "/api/auth/refresh_token", {{"refresh_token", first["refresh_token"]}});
    if (!refreshed || refreshed->status != 200) {
      fail("refresh", refreshed);
      continue;
    }
    const json second = json_of(refreshed);
    report.tokens.push_back(second["access_token"]);
    report.tokens.push_back(second["refresh_token"]);

    auto out = client->Post("/api/auth/sign_out", bearer(second["access_token"]), "", "application/json");
    if (!out || out->status != 200) fail("sign_out", out);
    auto after = client->Get("/api/auth/user", bearer(second["access_token"]));
    if (!after || after->status != 401) fail("user after sign_out", after);
  }
}

TEST(server_concurrency, eight_clients_sign_in_use_refresh_and_sign_out_without_errors_or_shared_tokens) {
  ServerProcess server(PBXMOCK_BINARY, {{"--quiet"}});
  const std::vector<json> users = {
      {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}},
      {{"username", "bob"}, {"password", "bob-secret"}, {"domain", "pbx.example.com"}},
      {{"username", "dave"}, {"password", "dave-secret"}, {"domain", "pbx.example.com"}},
      {{"username", "admin"}, {"password", "admin-secret"}},
  };
  // httplib's client parses status lines with a function-local static std::regex, built
  // inside the (uninstrumented) library. Built here first, before the client threads
  // exist, so ThreadSanitizer sees it happen-before their reads instead of reporting them.
  // The server's workers run httplib's request processing too, with function-local statics
  // of its own on each request's path: one whole cycle first, alone, builds them before eight
  // workers read them at once.
  ASSERT_EQ(200, client_for(server)->Get("/api/info")->status);
  ClientReport warm_up;
  run_cycles(server, users[0], warm_up, 1);
  ASSERT_TRUE(warm_up.failures.empty()) << warm_up.failures.front();
  std::vector<ClientReport> reports(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] { run_cycles(server, users[static_cast<std::size_t>(i) % users.size()], reports[static_cast<std::size_t>(i)]); });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::string> distinct;
  std::size_t total = 0;
  for (const auto& report : reports) {
    for (const auto& failure : report.failures) ADD_FAILURE() << failure;
    total += report.tokens.size();
    distinct.insert(report.tokens.begin(), report.tokens.end());
  }
  EXPECT_EQ(static_cast<std::size_t>(kClients * kCycles * 4), total);
  EXPECT_EQ(total, distinct.size()) << "a token was handed out twice";
  EXPECT_EQ(0, server.stop());
}

}  // namespace
}  // namespace pbxmock::test
