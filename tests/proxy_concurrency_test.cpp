// Many clients at once through `pbxmock proxy --record` to the mock (run under ThreadSanitizer
// by scripts/test.sh, both programs included): forwarding on the workers, the pooled upstream
// clients, the checker, the journal and violation log and the recording are shared. Every
// answer must come back right, none may be taken for a violation, and every session must be
// written once, without a secret.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;

constexpr int kClients = 8;
constexpr int kCycles = 40;

TEST(proxy_concurrency, parallel_sessions_through_the_proxy_are_answered_checked_and_recorded_once_each) {
  ScratchFolder folder;
  const std::string dir = folder.path() + "/recorded";
  ServerProcess upstream(PBXMOCK_BINARY, ServeOptions{{"--quiet"}});
  ServeOptions options;
  options.command = "proxy";
  options.args = {"--quiet", "--upstream", "http://127.0.0.1:" + std::to_string(upstream.port()), "--record", dir};
  {
    ServerProcess proxy(PBXMOCK_BINARY, options);
    const json alice = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};
    std::vector<std::vector<std::string>> failures(kClients);
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        auto client = client_for(proxy);
        client->set_keep_alive(true);
        for (int i = 0; i < kCycles; ++i) {
          const auto signed_in = post_json(*client, "/api/auth/sign_in", alice);
          if (!signed_in || signed_in->status != 200) {
            failures[c].push_back("sign_in: " + (signed_in ? signed_in->body : std::string("no answer")));
            continue;
          }
          const std::string token = json_of(signed_in)["access_token"];
          const auto user = client->Get("/api/auth/user", bearer(token));
          if (!user || json_of(user)["role"] != "Admin") failures[c].push_back("user: " + (user ? user->body : ""));
          const auto out = client->Post("/api/auth/sign_out", bearer(token), "", "application/json");
          if (!out || out->status != 200) failures[c].push_back("sign_out");
        }
      });
    }
    for (auto& t : clients) t.join();
    for (const auto& list : failures) EXPECT_EQ(std::vector<std::string>{}, list);
    const json violations = json_of(client_for(proxy)->Get("/__admin/violations"));
    EXPECT_EQ(0, violations["total"]) << violations.dump();
    EXPECT_EQ(0, proxy.stop());
  }

  std::size_t sessions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/contracts")) {
    ++sessions;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_EQ(std::string::npos, text.str().find("alice-secret")) << entry.path();
    EXPECT_NE(std::string::npos, text.str().find("3 POST /api/auth/sign_out")) << entry.path() << "\n" << text.str();
  }
  EXPECT_EQ(static_cast<std::size_t>(kClients * kCycles), sessions);
}

}  // namespace
}  // namespace pbxmock::test
