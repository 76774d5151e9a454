// `pbxmock fuzz` as a real process. Against the mock's default scenario with --mock-admin every
// one of the 14 operations is exercised and nothing fails. Against a deliberately broken server
// started here, each planted bug is found, shrunk, and reported with a reproducer that, run with
// bash against the same server, shows the same failure. The same --seed sends the same
// requests; --replay sends a report's cases again.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "support/process.h"
#include "support/scenario_server.h"

namespace {

using nlohmann::json;
using pbxmock::test::ProcessResult;
using pbxmock::test::run_process;

json error_body(const std::string& code, const std::string& message) {
  return {{"errors", json::array({{{"code", code}, {"message", message}}})}};
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// Just enough of the PortSIP auth API and of the mock's admin API for the fuzzer, with five
// planted bugs:
//   1. sign_in answers 500 for a username longer than 40 characters
//   2. sign_in answers 200 for a body whose `password` is missing or not a string, and signs
//      the user in whatever the domain (requests that break the schema)
//   3. auth/user answers `password_verified` as a string (breaks the response schema)
//   4. sign_out does not end the session (the token still works)
//   5. refresh_token does not rotate (the same refresh token works twice)
class BrokenPbx {
 public:
  BrokenPbx() {
    server_.set_socket_options([](socket_t sock) {
      const int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    server_.Post("/api/auth/sign_in", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object() || !body.contains("username") || !body["username"].is_string()) {
        return send_json(res, 400, error_body("VALIDATE_FAILED", "field validation failed"));
      }
      const std::string username = body["username"];
      if (username.size() > 40) {
        res.status = 500;
        res.set_content("{\"error\":\"buffer overflow\"}", "application/json");
        return;
      }
      const auto password = body.find("password");
      if (password == body.end() || !password->is_string()) return send_json(res, 200, issue());  // bug 2
      if (username == "fuzzer" && *password == "fuzz-secret") return send_json(res, 200, issue());
      send_json(res, 400, error_body("UNAUTHORIZED", "Login failed, authentication error"));
    });
    server_.Get("/api/auth/user", [this](const httplib::Request& req, httplib::Response& res) {
      if (!known_access(req.get_header_value("Authorization"))) {
        return send_json(res, 401, error_body("UNAUTHORIZED", "missing or invalid bearer token"));
      }
      send_json(res, 200, {{"role", "Admin"}, {"password_verified", "yes"}, {"password_force_reset", false}});
    });
    server_.Post("/api/auth/sign_out", [this](const httplib::Request& req, httplib::Response& res) {
      if (!known_access(req.get_header_value("Authorization"))) {
        return send_json(res, 401, error_body("UNAUTHORIZED", "missing or invalid bearer token"));
      }
      res.status = 200;  // and the session goes on
    });
    server_.Post("/api/auth/refresh_token", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object() || !body.contains("refresh_token") || !body["refresh_token"].is_string()) {
        return send_json(res, 400, error_body("VALIDATE_FAILED", "field validation failed"));
      }
      std::lock_guard lock(mutex_);
      if (!refresh_.count(body["refresh_token"].get<std::string>())) {
        return send_json(res, 400, error_body("UNAUTHORIZED", "unknown refresh token"));
      }
      send_json(res, 200, issue_locked());
    });
    server_.Get("/__admin/scenarios/active", [](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"active", "default"}});
    });
    server_.Post("/__admin/scenarios", [](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"active", "fuzz"}});
    });
    server_.Put("/__admin/scenarios/active", [](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"active", "default"}});
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~BrokenPbx() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  json issue() {
    std::lock_guard lock(mutex_);
    return issue_locked();
  }
  json issue_locked() {
    const std::string n = std::to_string(++counter_);
    const std::string access = "ACCESS" + std::string(42 - n.size(), '0') + n;
    const std::string refresh = "REFRESH" + std::string(41 - n.size(), '0') + n;
    access_.insert(access);
    refresh_.insert(refresh);
    return {{"token_type", "Bearer"}, {"access_token", access}, {"refresh_token", refresh}, {"expires_in", 3600}};
  }
  bool known_access(const std::string& header) {
    std::lock_guard lock(mutex_);
    return header.rfind("Bearer ", 0) == 0 && access_.count(header.substr(7));
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  int counter_ = 0;
  std::set<std::string> access_;
  std::set<std::string> refresh_;
};

using pbxmock::test::MockServer;

const std::vector<std::string> kBrokenOperations = {"--operation", "signInWithCredentials", "--operation",
                                                    "getUserAuthInfo",       "--operation", "signOut",
                                                    "--operation",           "refreshToken"};

std::vector<std::string> fuzz_args(const std::string& target, std::vector<std::string> more) {
  std::vector<std::string> args = {PBXMOCK_BINARY, "fuzz", "--target", target};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

const json* find_failure(const json& report, const std::string& operation, const std::string& check) {
  for (const json& failure : report["failures"]) {
    if (failure["operation"] == operation && failure["check"] == check) return &failure;
  }
  return nullptr;
}

TEST(FuzzLive, TheMocksDefaultScenarioPassesWithEveryOperationExercised) {
  MockServer mock;
  pbxmock::test::ScratchFolder scratch;
  // Twice against the same mock: the second run finds the outbox holding the first one's mail.
  for (const char* seed : {"1", "2"}) {
    const std::string report = scratch.path() + "/report" + seed + ".json";
    const ProcessResult r = run_process(
        fuzz_args(mock.url(), {"--mock-admin", "--seed", seed, "--max-examples", "40", "--report", report}), {},
        std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("coverage: 15/15 operations exercised"), std::string::npos) << r.out;
    const json parsed = read_json(report);
    ASSERT_TRUE(parsed.is_object());
    EXPECT_EQ(parsed["operations"].size(), 15u);
    EXPECT_TRUE(parsed["failures"].empty()) << parsed["failures"].dump(2);
    EXPECT_TRUE(parsed["skipped"].empty()) << parsed["skipped"].dump();
    std::map<std::string, json> by_operation;
    for (const json& operation : parsed["operations"]) {
      EXPECT_GE(operation["requests"].get<int>(), 40) << operation.dump();
      by_operation[operation["operation"]] = operation;
    }
    // The flows reached their successes: the code and the reset token came from the outbox.
    for (const char* operation : {"verifyOTP", "resetPassword", "refreshToken", "signOut", "logout"}) {
      const json& statuses = by_operation[operation]["statuses"];
      EXPECT_TRUE(std::find(statuses.begin(), statuses.end(), operation == std::string("logout") ? 204 : 200) != statuses.end())
          << operation << " " << statuses.dump() << " (seed " << seed << ")";
    }
  }
}

TEST(FuzzLive, EachPlantedBugIsFoundShrunkAndReproduced) {
  BrokenPbx broken;
  pbxmock::test::ScratchFolder scratch;
  const std::string report = scratch.path() + "/report.json";
  auto args = kBrokenOperations;
  const std::string junit = scratch.path() + "/junit.xml";
  for (const char* a : {"--mock-admin", "--seed", "7", "--max-examples", "100", "--junit"}) args.emplace_back(a);
  args.push_back(junit);
  args.emplace_back("--report");
  args.push_back(report);
  const ProcessResult r = run_process(fuzz_args(broken.url(), args), {}, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json parsed = read_json(report);
  ASSERT_TRUE(parsed.is_object()) << r.out;

  struct Planted {
    std::string operation, check, status_line;
  };
  const std::vector<Planted> planted = {{"signInWithCredentials", "not_a_server_error", "HTTP/1.1 500"},
                                        {"signInWithCredentials", "negative_data_rejection", "HTTP/1.1 200"},
                                        {"getUserAuthInfo", "response_schema_conformance", "HTTP/1.1 200"},
                                        {"getUserAuthInfo", "use_after_sign_out", "HTTP/1.1 200"},
                                        {"refreshToken", "refresh_rotation", "HTTP/1.1 200"}};
  for (const Planted& bug : planted) {
    const json* failure = find_failure(parsed, bug.operation, bug.check);
    ASSERT_NE(failure, nullptr) << bug.operation << " " << bug.check << "\n" << r.out;
    const std::string script = scratch.write(bug.check + ".sh", (*failure)["reproducer"].get<std::string>());
    const ProcessResult replayed = run_process({"/bin/bash", script}, {}, std::chrono::seconds(30));
    EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
    // The last answer the script prints is the failing one.
    const std::size_t last = replayed.out.rfind("HTTP/1.1 ");
    ASSERT_NE(last, std::string::npos) << replayed.out;
    EXPECT_EQ(replayed.out.substr(last, bug.status_line.size()), bug.status_line)
        << bug.check << "\n" << (*failure)["reproducer"].get<std::string>() << "\n" << replayed.out;
  }
  // The 5xx shrinks to the shortest failing username, alone, without the optional fields.
  const json* crash = find_failure(parsed, "signInWithCredentials", "not_a_server_error");
  const json& steps = (*crash)["case"]["steps"];
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0]["body"]["username"].get<std::string>().size(), 41u) << steps.dump();
  EXPECT_FALSE(steps[0]["body"].contains("domain"));
  // The JUnit file has the failing operation-check pair, with its reproducer.
  const std::string xml = pbxmock::test::read_file(junit);
  EXPECT_NE(xml.find("<testsuites"), std::string::npos);
  EXPECT_NE(xml.find("not_a_server_error"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure"), std::string::npos) << xml;
  // The console says the same as the report.
  EXPECT_NE(r.out.find("FAIL signInWithCredentials not_a_server_error (status 500"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" failed"), std::string::npos);

  // --replay: still failing against the broken server, fixed against the mock.
  const ProcessResult again = run_process(fuzz_args(broken.url(), {"--replay", report}), {}, std::chrono::seconds(60));
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("STILL FAILING signInWithCredentials not_a_server_error"), std::string::npos) << again.out;
  MockServer mock;
  const ProcessResult fixed = run_process(fuzz_args(mock.url(), {"--replay", report}), {}, std::chrono::seconds(60));
  EXPECT_NE(fixed.out.find("FIXED signInWithCredentials not_a_server_error"), std::string::npos) << fixed.out << fixed.err;
}

TEST(FuzzLive, AnAuthFileSignsInAndKeepsThePasswordOutOfTheReproducer) {
  BrokenPbx broken;
  pbxmock::test::ScratchFolder scratch;
  ::setenv("PBX_FUZZ_PASSWORD", "fuzz-secret", 1);
  const std::string auth = scratch.write("auth.yaml", R"(variables:
  password: "${env.PBX_FUZZ_PASSWORD}"
contracts:
  - name: sign in
    steps:
      - name: sign in
        request: {method: POST, path: /api/auth/sign_in, json: {username: fuzzer, password: "${password}"}}
        expect: {status: 200}
        save: {token: /access_token}
)");
  const std::string report = scratch.path() + "/report.json";
  const ProcessResult r = run_process(fuzz_args(broken.url(), {"--auth", auth, "--operation", "getUserAuthInfo", "--seed",
                                                               "3", "--max-examples", "10", "--report", report}),
                                      {}, std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json parsed = read_json(report);
  // Only a signed-in request reaches the answer whose schema is broken.
  const json* failure = find_failure(parsed, "getUserAuthInfo", "response_schema_conformance");
  ASSERT_NE(failure, nullptr) << r.out;
  const std::string script = (*failure)["reproducer"];
  EXPECT_NE(script.find("${PBX_FUZZ_PASSWORD}"), std::string::npos) << script;
  EXPECT_EQ(script.find("fuzz-secret"), std::string::npos) << script;
  const ProcessResult replayed = run_process({"/bin/bash", scratch.write("repro.sh", script)});
  EXPECT_NE(replayed.out.rfind("HTTP/1.1 200"), std::string::npos) << replayed.out << replayed.err;
  EXPECT_NE(replayed.out.find("\"password_verified\":\"yes\""), std::string::npos) << replayed.out;

  const ProcessResult missing = run_process(fuzz_args(broken.url(), {"--auth", scratch.path() + "/none.yaml"}));
  EXPECT_EQ(missing.exit_code, 2) << missing.out << missing.err;
}

TEST(FuzzLive, TheSameSeedSendsTheSameRequests) {
  pbxmock::test::ScratchFolder scratch;
  auto log_of = [&](const std::string& seed, const std::string& name) {
    MockServer mock;
    const std::string log = scratch.path() + "/" + name;
    const ProcessResult r = run_process(
        fuzz_args(mock.url(), {"--mock-admin", "--seed", seed, "--max-examples", "15", "--request-log", log}), {},
        std::chrono::seconds(60));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return pbxmock::test::read_file(log);
  };
  const std::string first = log_of("99", "a.log");
  EXPECT_GT(std::count(first.begin(), first.end(), '\n'), 14 * 15);
  EXPECT_EQ(first, log_of("99", "b.log"));
  EXPECT_NE(first, log_of("100", "c.log"));
}

TEST(FuzzLive, UsageProblemsAndAnUnreachableTargetExitWithTwo) {
  const ProcessResult unknown_operation = run_process(fuzz_args("http://127.0.0.1:1", {"--operation", "noSuchThing"}));
  EXPECT_EQ(unknown_operation.exit_code, 2);
  EXPECT_NE(unknown_operation.err.find("noSuchThing"), std::string::npos) << unknown_operation.err;
  const ProcessResult unknown_check = run_process(fuzz_args("http://127.0.0.1:1", {"--checks", "be_nice"}));
  EXPECT_EQ(unknown_check.exit_code, 2);
  EXPECT_NE(unknown_check.err.find("be_nice"), std::string::npos) << unknown_check.err;
  const ProcessResult unreachable = run_process(fuzz_args("http://127.0.0.1:1", {"--max-examples", "2"}));
  EXPECT_EQ(unreachable.exit_code, 2);
  EXPECT_NE(unreachable.err.find("cannot reach the target"), std::string::npos) << unreachable.err;
}

}  // namespace
