// The fuzzer's check table and the checks it added, from outside: the README's table of checks
// names exactly the table's checks; each of secret_in_answer, parameter_pollution and
// user_enumeration catches a bug planted in a small server started here (and passes against the
// same server without it); the mock passes all three over 20 seeds; a form operation gets no
// false failure over many seeds; `--operation 'METHOD /path'` runs the flows an operationId does.
#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "contracts/fuzzing/check_table.h"
#include "support/loopback_server.h"
#include "support/fuzz_servers.h"
#include "support/process.h"
#include "support/scenario_server.h"

namespace {

using nlohmann::json;
using pbxmock::test::error_body;
using pbxmock::test::find_failure;
using pbxmock::test::MockServer;
using pbxmock::test::read_json;
using pbxmock::test::ProcessResult;
using pbxmock::test::run_process;
using pbxmock::test::ScratchFolder;
using pbxmock::test::send_json;

// The planted bugs, one at a time; `none` is the same server without a bug.
enum class Bug { none, quotes_password, dies_on_repeat, tells_user_exists, token_tells_user_exists };

// Just enough of the auth API (sign_in, the token endpoint, info, forget_password) and of the mock's admin API for
// `pbxmock fuzz --mock-admin` (so the fuzzer signs in as its account fuzzer / fuzz-secret).
class PlantedServer {
 public:
  explicit PlantedServer(Bug bug) : bug_(bug) {
    server_.Post("/api/auth/sign_in", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object() || !body.contains("username") || !body["username"].is_string() ||
          !body.contains("password") || !body["password"].is_string() ||
          (body.contains("domain") && !body["domain"].is_string())) {
        return send_json(res, 400, error_body("VALIDATE_FAILED", "field validation failed"));
      }
      const std::string username = body["username"];
      const std::string password = body["password"];
      const bool known = username == "fuzzer";
      if (known && password == "fuzz-secret") {
        std::lock_guard lock(mutex_);
        const std::string n = std::to_string(++counter_);
        return send_json(res, 200, {{"token_type", "Bearer"}, {"access_token", "ACCESS" + std::string(42 - n.size(), '0') + n},
                                    {"refresh_token", "REFRESH" + std::string(41 - n.size(), '0') + n}, {"expires_in", 3600}});
      }
      std::string message = "Login failed, authentication error";
      if (bug_ == Bug::quotes_password && known) message = "wrong password, expected fuzz-secret";
      if (bug_ == Bug::tells_user_exists) message = known ? "wrong password" : "no such user";
      send_json(res, 400, error_body("UNAUTHORIZED", message));
    });
    // The token endpoint's password grant (a form), signing in as sign_in does.
    server_.Post("/api/login/oauth/token", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("grant_type") != "password" || !req.has_param("username") || !req.has_param("password")) {
        return send_json(res, 400, error_body("VALIDATE_FAILED", "field validation failed"));
      }
      const bool known = req.get_param_value("username") == "fuzzer";
      if (known && req.get_param_value("password") == "fuzz-secret") {
        return send_json(res, 200, {{"token_type", "Bearer"}, {"access_token", std::string(48, 'A')},
                                    {"refresh_token", std::string(48, 'R')}, {"expires_in", 3600}});
      }
      std::string message = "Login failed, authentication error";
      if (bug_ == Bug::token_tells_user_exists) message = known ? "wrong password" : "no such user";
      send_json(res, 400, error_body("UNAUTHORIZED", message));
    });
    server_.Get("/api/info", [this](const httplib::Request& req, httplib::Response& res) {
      if (bug_ == Bug::dies_on_repeat && req.get_param_value_count("domain") > 1) {
        res.status = 500;
        return res.set_content("{\"error\":\"duplicate key in tenant lookup\"}", "application/json");
      }
      if (!req.has_param("domain")) return send_json(res, 200, {{"web_domain", "pbx.example.com"}});
      if (req.get_param_value("domain") == "fuzz.example.com") return send_json(res, 200, {{"name", "Fuzz Corp"}});
      send_json(res, 404, error_body("NOT_FOUND", "no tenant with this domain"));
    });
    server_.Post("/api/auth/forget_password", [](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) return send_json(res, 400, error_body("VALIDATE_FAILED", "bad body"));
      res.status = 200;
    });
    pbxmock::test::answer_mock_admin(server_);
    loopback_.start();
  }
  ~PlantedServer() {
    loopback_.stop();
  }
  std::string url() const { return loopback_.url(); }

 private:
  Bug bug_;
  pbxmock::test::LoopbackServer loopback_;
  httplib::Server& server_ = loopback_.server();
  std::mutex mutex_;
  int counter_ = 0;
};

std::vector<std::string> fuzz_args(const std::string& target, std::vector<std::string> more) {
  std::vector<std::string> args = {PBXMOCK_BINARY, "fuzz", "--target", target};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The last status line a reproducer script printed.
std::string last_status(const std::string& out) {
  const std::size_t last = out.rfind("HTTP/1.1 ");
  return last == std::string::npos ? "" : out.substr(last, 12);
}

struct Planted {
  Bug bug;
  std::string check;
  std::vector<std::string> operations;
  std::string in_seen;  // what the failure's `seen` says
};

TEST(FuzzChecks, TheReadmeTableNamesEveryCheckOfTheTableAndNoOther) {
  std::ifstream in(std::string(PBXMOCK_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  // The fuzz section's table: its header row, then rows "| `name` | ... |" until a line that is not a row.
  const std::size_t header = readme.find("| check | what it holds the server to |");
  ASSERT_NE(header, std::string::npos) << "README: the fuzz section's check table is missing";
  std::set<std::string> documented;
  std::istringstream lines(readme.substr(header));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] != '|') break;
    const std::size_t open = line.find('`', start);
    const std::size_t close = open == std::string::npos ? open : line.find('`', open + 1);
    if (open == std::string::npos || close == std::string::npos || line.find('|', start + 1) < open) continue;  // |---|
    documented.insert(line.substr(open + 1, close - open - 1));
  }
  std::set<std::string> table;
  for (const auto& info : pbxmock::contracts::fuzzing::check_table()) table.insert(std::string(info.name));
  EXPECT_EQ(documented, table);
}

TEST(FuzzChecks, EachNewCheckCatchesItsPlantedBugAndPassesWithoutIt) {
  const std::vector<Planted> planted = {
      {Bug::quotes_password, "secret_in_answer", {"signInWithCredentials"}, "the body carries the account's password"},
      {Bug::dies_on_repeat, "parameter_pollution", {"retrieveMetadata"}, "500"},
      {Bug::tells_user_exists, "user_enumeration", {"signInWithCredentials"}, "no such user"},
      {Bug::token_tells_user_exists, "user_enumeration", {"requestOAuthToken"}, "no such user"},
  };
  for (const Planted& bug : planted) {
    ScratchFolder scratch;
    std::vector<std::string> args = {"--mock-admin", "--seed", "11", "--max-examples", "100", "--checks", bug.check};
    for (const std::string& operation : bug.operations) {
      args.emplace_back("--operation");
      args.push_back(operation);
    }
    {
      PlantedServer clean(Bug::none);
      const ProcessResult r = run_process(fuzz_args(clean.url(), args), {}, std::chrono::seconds(120));
      EXPECT_EQ(r.exit_code, 0) << bug.check << " without the bug\n" << r.out << r.err;
      EXPECT_NE(r.out.find(" 0 failed"), std::string::npos) << r.out;
      EXPECT_EQ(r.out.find(" 0 passed"), std::string::npos) << bug.check << " judged nothing\n" << r.out;
    }
    PlantedServer broken(bug.bug);
    const std::string report = scratch.path() + "/report.json";
    args.emplace_back("--report");
    args.push_back(report);
    const ProcessResult r = run_process(fuzz_args(broken.url(), args), {}, std::chrono::seconds(120));
    ASSERT_EQ(r.exit_code, 1) << bug.check << "\n" << r.out << r.err;
    const json parsed = read_json(report);
    const json* failure = find_failure(parsed, bug.check);
    ASSERT_NE(failure, nullptr) << bug.check << "\n" << r.out;
    EXPECT_NE((*failure)["seen"].get<std::string>().find(bug.in_seen), std::string::npos) << failure->dump(2);
    EXPECT_NE(r.out.find("FAIL " + bug.operations[0] + " " + bug.check), std::string::npos) << r.out;
    // The reproducer, run with bash, gets the same answer from the broken server.
    const std::string script = scratch.write(bug.check + ".sh", (*failure)["reproducer"].get<std::string>());
    const ProcessResult replayed = run_process({"/bin/bash", script}, {}, std::chrono::seconds(30));
    EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
    EXPECT_EQ(last_status(replayed.out), "HTTP/1.1 " + std::to_string((*failure)["status"].get<int>()))
        << (*failure)["reproducer"].get<std::string>() << "\n" << replayed.out;
    if (bug.bug == Bug::quotes_password) {
      EXPECT_NE(replayed.out.find("expected fuzz-secret"), std::string::npos) << replayed.out;
    }
    if (bug.bug == Bug::tells_user_exists || bug.bug == Bug::token_tells_user_exists) {
      EXPECT_NE(replayed.out.find("no such user"), std::string::npos) << replayed.out;
    }
    // --replay sends the shrunk case again: still failing.
    const ProcessResult again = run_process(fuzz_args(broken.url(), {"--mock-admin", "--replay", report}), {}, std::chrono::seconds(60));
    EXPECT_NE(again.out.find("STILL FAILING " + bug.operations[0] + " " + bug.check), std::string::npos) << again.out << again.err;
  }
}

TEST(FuzzChecks, TheMockPassesTheNewChecksOverTwentySeeds) {
  MockServer mock;
  ScratchFolder scratch;
  // --auth: the default scenario's alice, so user_enumeration has a user without --mock-admin too.
  const std::string auth = scratch.write("auth.yaml", R"(contracts:
  - name: sign in
    steps:
      - name: sign in
        request: {method: POST, path: /api/auth/sign_in, json: {username: alice, password: alice-secret, domain: pbx.example.com}}
        expect: {status: 200}
        save: {token: /access_token}
)");
  for (int seed = 1; seed <= 20; ++seed) {
    for (const std::vector<std::string>& mode : {std::vector<std::string>{"--mock-admin"}, std::vector<std::string>{},
                                                 std::vector<std::string>{"--auth", auth}}) {
      const std::string junit = scratch.path() + "/junit.xml";
      std::vector<std::string> args = {"--seed", std::to_string(seed), "--max-examples", "20", "--checks",
                                       "secret_in_answer,parameter_pollution,user_enumeration", "--junit", junit};
      args.insert(args.end(), mode.begin(), mode.end());
      const ProcessResult r = run_process(fuzz_args(mock.url(), args), {}, std::chrono::seconds(120));
      const std::string what = "seed " + std::to_string(seed) + (mode.empty() ? "" : " " + mode[0]);
      EXPECT_EQ(r.exit_code, 0) << what << "\n" << r.out << r.err;
      EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << what << "\n" << r.out;
      // Each check judged answers (user_enumeration only where the run knows a user).
      const std::string xml = pbxmock::test::read_file(junit);
      EXPECT_NE(xml.find("secret_in_answer ("), std::string::npos) << what;
      EXPECT_NE(xml.find("parameter_pollution ("), std::string::npos) << what;
      EXPECT_EQ(xml.find("user_enumeration (") != std::string::npos, !mode.empty()) << what << "\n" << xml;
    }
  }
}

TEST(FuzzChecks, AFormOperationGetsNoFalseFailureOverManySeeds) {
  // The token endpoint is form-encoded: every value is text on the wire, so a "wrong type" that
  // only changes the JSON type of a string field (12345 for "12345") is no break at all.
  MockServer mock;
  int negatives = 0;
  for (int seed = 1; seed <= 60; ++seed) {
    ScratchFolder scratch;
    const std::string report = scratch.path() + "/report.json";
    const ProcessResult r =
        run_process(fuzz_args(mock.url(), {"--mock-admin", "--operation", "POST /login/oauth/token", "--seed",
                                           std::to_string(seed), "--max-examples", "40", "--report", report}),
                    {}, std::chrono::seconds(60));
    EXPECT_EQ(r.exit_code, 0) << "seed " << seed << "\n" << r.out << r.err;
    const json parsed = read_json(report);
    ASSERT_TRUE(parsed.is_object()) << r.out << r.err;
    EXPECT_TRUE(parsed["failures"].empty()) << "seed " << seed << "\n" << parsed["failures"].dump(2);
    for (const json& operation : parsed["operations"]) {
      if (operation["operation"] == "requestOAuthToken") negatives += operation["requests"].get<int>();
    }
  }
  EXPECT_GT(negatives, 60 * 20);  // the operation was fuzzed, not skipped
}

TEST(FuzzChecks, AnOperationGivenAsMethodAndPathRunsItsFlows) {
  MockServer mock;
  ScratchFolder scratch;
  auto junit_of = [&](const std::vector<std::string>& operations, const std::string& name) {
    std::vector<std::string> args = {"--mock-admin", "--seed", "3", "--max-examples", "5", "--junit", scratch.path() + "/" + name};
    for (const std::string& operation : operations) {
      args.emplace_back("--operation");
      args.push_back(operation);
    }
    const ProcessResult r = run_process(fuzz_args(mock.url(), args), {}, std::chrono::seconds(60));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    // The operations are named as the report always names them, whichever way they were given.
    EXPECT_NE(r.out.find("signInWithCredentials"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("POST /auth/sign_in"), std::string::npos) << r.out;
    return pbxmock::test::read_file(scratch.path() + "/" + name);
  };
  const std::string by_path = junit_of({"POST /auth/sign_in", "get /api/auth/user", "POST /auth/sign_out", "POST /auth/refresh_token"}, "path.xml");
  // The sign-out and refresh flows ran: their checks judged answers.
  EXPECT_NE(by_path.find("use_after_sign_out ("), std::string::npos) << by_path;
  EXPECT_NE(by_path.find("refresh_rotation ("), std::string::npos) << by_path;
  const std::string by_id = junit_of({"signInWithCredentials", "getUserAuthInfo", "signOut", "refreshToken"}, "id.xml");
  EXPECT_NE(by_id.find("use_after_sign_out ("), std::string::npos) << by_id;
  // An operation the document does not have is still refused, in either form.
  const ProcessResult unknown = run_process(fuzz_args(mock.url(), {"--operation", "POST /auth/no_such_thing"}));
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
  EXPECT_NE(unknown.err.find("POST /auth/no_such_thing"), std::string::npos) << unknown.err;
}

}  // namespace
