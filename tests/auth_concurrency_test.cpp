// Many clients at once on one AuthService (run under ThreadSanitizer by scripts/test.sh):
// 8 threads x 500 sign-in / use / refresh / use / sign-out cycles. No request fails, no token
// is ever handed out twice, no session is lost (every token works until its sign-out and
// none works after).
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth_test_support.h"

namespace {

using pbxmock::test::make_request;

constexpr int kThreads = 8;
constexpr int kCycles = 500;

struct ThreadReport {
  std::vector<std::string> tokens;  // every access and refresh token this thread was given
  std::vector<std::string> failures;
};

void fail(ThreadReport& report, int cycle, const std::string& step, const pbxmock::mock::ApiResponse& response) {
  if (report.failures.size() < 5)
    report.failures.push_back("cycle " + std::to_string(cycle) + " " + step + ": " + std::to_string(response.status) +
                              " " + response.serialized_body());
}

void run_cycles(pbxmock::mock::AuthService& service, int thread, ThreadReport& report) {
  // Threads share users on purpose: alice and bob each have several sessions at once.
  const char* users[][2] = {{"alice", "alice-secret"}, {"bob", "bob-secret"}, {"dave", "dave-secret"}};
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    const auto& user = users[(thread + cycle) % 3];
    const auto signed_in = service.handle(make_request(
        "signInWithCredentials", {{"username", user[0]}, {"password", user[1]}, {"domain", "pbx.example.com"}}));
    if (signed_in.status != 200) {
      fail(report, cycle, "sign-in", signed_in);
      continue;
    }
    const std::string access = signed_in.body["access_token"];
    const std::string refresh = signed_in.body["refresh_token"];
    report.tokens.push_back(access);
    report.tokens.push_back(refresh);

    const auto used = service.handle(make_request("getUserAuthInfo", nullptr, access));
    if (used.status != 200) fail(report, cycle, "use", used);

    const auto refreshed = service.handle(make_request("refreshToken", {{"refresh_token", refresh}}));
    if (refreshed.status != 200) {
      fail(report, cycle, "refresh", refreshed);
      continue;
    }
    const std::string new_access = refreshed.body["access_token"];
    report.tokens.push_back(new_access);
    report.tokens.push_back(refreshed.body["refresh_token"]);

    const auto status = service.handle(make_request("getLoginStatus", nullptr, new_access));
    if (status.status != 200 || status.body["access_token"] != new_access) fail(report, cycle, "status", status);

    const auto spent = service.handle(make_request("refreshToken", {{"refresh_token", refresh}}));
    if (spent.status != 400) fail(report, cycle, "spent refresh", spent);

    const auto out = service.handle(make_request("signOut", nullptr, new_access));
    if (out.status != 200) fail(report, cycle, "sign-out", out);

    const auto after = service.handle(make_request("getUserAuthInfo", nullptr, access));
    if (after.status != 401) fail(report, cycle, "use after sign-out", after);
  }
}

TEST(auth_concurrency, eight_threads_of_sign_in_use_refresh_sign_out) {
  pbxmock::mock::Clock clock;
  pbxmock::mock::Outbox outbox;
  pbxmock::mock::AuthService service(std::make_shared<const pbxmock::mock::Scenario>(pbxmock::mock::default_scenario()),
                                     clock, outbox);
  std::vector<ThreadReport> reports(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(run_cycles, std::ref(service), t, std::ref(reports[t]));
  for (auto& thread : threads) thread.join();

  std::set<std::string> distinct;
  std::size_t handed_out = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (const auto& failure : reports[t].failures) ADD_FAILURE() << "thread " << t << ": " << failure;
    handed_out += reports[t].tokens.size();
    distinct.insert(reports[t].tokens.begin(), reports[t].tokens.end());
  }
  EXPECT_EQ(static_cast<std::size_t>(kThreads) * kCycles * 4, handed_out);
  EXPECT_EQ(handed_out, distinct.size()) << "a token was handed out twice";
  // Every session was signed out: nothing is left behind.
  const auto stats = service.state().stats_json();
  EXPECT_EQ(0, stats["sessions"]);
  EXPECT_EQ(0, stats["access_tokens"]);
  EXPECT_EQ(0, stats["refresh_tokens"]);
}

TEST(auth_concurrency, two_factor_and_password_resets_in_parallel) {
  // One two-factor user per thread, so each thread knows which code in the outbox is its own.
  std::string yaml = "name: parallel\ntenants:\n  - name: P\n    domain: p.example.com\n"
                     "    enable_two_factor_authentication: true\n    users:\n";
  for (int t = 0; t < 4; ++t)
    yaml += "      - {username: u" + std::to_string(t) + ", password: pw, email: u" + std::to_string(t) + "@p.example.com}\n";
  pbxmock::mock::Clock clock;
  pbxmock::mock::Outbox outbox(100000);
  pbxmock::mock::AuthService service(pbxmock::test::scenario_from(yaml), clock, outbox);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string user = "u" + std::to_string(t);
      for (int i = 0; i < 100; ++i) {
        const auto challenge = service.handle(
            make_request("signInWithCredentials", {{"username", user}, {"password", "pw"}, {"domain", "p.example.com"}}));
        const std::string token = challenge.body.value("token", "");
        if (service.handle(make_request("sendOTP", {{"token", token}})).status != 200) ++failures;
        const auto mail = outbox.latest("otp", user);
        const auto verified =
            service.handle(make_request("verifyOTP", {{"token", token}, {"code", mail ? mail->code : ""}}));
        if (verified.status != 200) ++failures;
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        service.handle(make_request("forgetPassword", {{"domain", "p.example.com"}, {"username", "u" + std::to_string(t)},
                                                       {"callback_url", "https://app.example.com/r"}}));
        service.handle(make_request("retrieveMetadata"));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(0, failures.load());
  const auto stats = service.state().stats_json();
  EXPECT_EQ(0, stats["two_factor_challenges"]);
  EXPECT_EQ(400, stats["sessions"]);
  EXPECT_EQ(200, stats["reset_tokens"]);
}

}  // namespace
