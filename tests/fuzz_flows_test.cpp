// The flows of `pbxmock fuzz` and their authentication checks, with the real program. A small
// PBX written here (cpp-httplib's server: tests only) implements the sign-in, session, two-factor
// and password-reset flows, a mailbox in the mock's outbox format and a movable clock, each with
// one bug that can be planted: every check catches its bug and reports a reproducer that shows
// it again. Then the mock itself passes every check over 20 seeds, with --mock-admin and with
// --auth plus --mailbox pointed at its outbox. A code read from the mailbox is a secret_in_answer secret.
#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "contracts/fuzzing/mailbox.h"
#include "support/loopback_server.h"
#include "support/fuzz_servers.h"
#include "support/process.h"
#include "support/scenario_server.h"

namespace {

using nlohmann::json;
using pbxmock::test::find_failure;
using pbxmock::test::ProcessResult;
using pbxmock::test::read_json;
using pbxmock::test::run_process;

enum class Bug {
  none,
  code_reuse,       // verify_otp leaves the challenge open, and wrong codes never end it
  reset_reuse,      // reset_password leaves the reset token usable
  token_confusion,  // auth/user takes a refresh token as the bearer
  sign_out_scope,   // sign_out ends the account's newest session, not the one signed out
  expiry,           // access tokens never expire, whatever expires_in said
  quotes_code,      // verify_otp's refusal of a wrong code quotes the mailed one (secret_in_answer)
  legacy_scope,     // the legacy logout ends the account's newest login, not the one logged out
};

json error_body(const std::string& code) { return {{"errors", json::array({{{"code", code}, {"message", code}}})}}; }

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// Accounts as the fuzzer's own scenario has them (tenant fuzz.example.com, fuzzer and
// fuzzer2fa, password fuzz-secret), so the same server serves --mock-admin and --auth runs.
class FlowPbx {
 public:
  explicit FlowPbx(Bug bug) : bug_(bug) {
    passwords_ = {{"fuzzer", "fuzz-secret"}, {"fuzzer2fa", "fuzz-secret"}};
    server_.Post("/api/auth/sign_in", [this](const httplib::Request& req, httplib::Response& res) {
      sign_in(req, res, true);
    });
    // The legacy path: GET /login says whether the bearer's session is on.
    server_.Post("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
      sign_in(req, res, false);
    });
    server_.Get("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (bearer_session(req) == nullptr) return send_json(res, 401, error_body("UNAUTHORIZED"));
      send_json(res, 200, {{"logged_in", true}});
    });
    server_.Post("/api/logout", [this](const httplib::Request& req, httplib::Response& res) {
      sign_out(req, res, Bug::legacy_scope);
    });
    server_.Get("/api/auth/user", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (bearer_session(req) == nullptr) return send_json(res, 401, error_body("UNAUTHORIZED"));
      send_json(res, 200, {{"role", "Admin"}, {"password_verified", true}, {"password_force_reset", false}});
    });
    server_.Post("/api/auth/sign_out", [this](const httplib::Request& req, httplib::Response& res) {
      sign_out(req, res, Bug::sign_out_scope);
    });
    server_.Post("/api/auth/refresh_token", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const std::string refresh = text(object(req), "refresh_token");
      for (Session& session : sessions_) {
        if (!session.ended && !refresh.empty() && session.refresh == refresh) {
          session.refresh = next("REFRESH");
          session.access = next("ACCESS");
          session.expires = now() + 3600;
          return send_json(res, 200, token_object(session));
        }
      }
      send_json(res, 400, error_body("UNAUTHORIZED"));
    });
    server_.Post("/api/auth/send_otp", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Challenge* challenge = live_challenge(text(object(req), "token"));
      if (challenge == nullptr) return send_json(res, 400, error_body("UNAUTHORIZED"));
      challenge->code = std::to_string(100000 + (++counter_ * 7919) % 900000);
      outbox_.push_back({challenge->username, "otp", challenge->code,
                         "Your sign-in code is " + challenge->code + ". It works for 10 minutes."});
      res.status = 200;
    });
    server_.Post("/api/auth/verify_otp", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const json body = object(req);
      Challenge* challenge = live_challenge(text(body, "token"));
      if (challenge == nullptr) return send_json(res, 400, error_body("UNAUTHORIZED"));
      if (challenge->code.empty() || challenge->code != text(body, "code")) {
        if (bug_ != Bug::code_reuse) --challenge->attempts_left;
        if (bug_ == Bug::quotes_code && !challenge->code.empty()) {
          return send_json(res, 400, {{"errors", json::array({{{"code", "UNAUTHORIZED"},
                                                                {"message", "wrong code, expected " + challenge->code}}})}});
        }
        return send_json(res, 400, error_body("UNAUTHORIZED"));
      }
      if (bug_ != Bug::code_reuse) challenge->used = true;
      ++codes_accepted_;
      send_json(res, 200, open_session(challenge->username));
    });
    server_.Post("/api/auth/forget_password", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const json body = object(req);
      const std::string username = text(body, "username");
      if (passwords_.count(username) != 0) {
        const std::string token = next("RESET");
        resets_[token] = {username, false};
        outbox_.push_back({username, "password_reset", token,
                           "Reset your password: " + text(body, "callback_url") + "?token=" + token + " (15 minutes)"});
      }
      res.status = 200;
    });
    server_.Post("/api/auth/reset_password", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const json body = object(req);
      const auto reset = resets_.find(text(body, "token"));
      const std::string password = text(body, "new_password");
      if (reset == resets_.end() || reset->second.used || password.empty()) {
        return send_json(res, 400, error_body("UNAUTHORIZED"));
      }
      passwords_[reset->second.username] = password;
      if (bug_ != Bug::reset_reuse) reset->second.used = true;
      res.status = 200;
    });
    server_.Get("/__admin/outbox", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      json messages = json::array();
      for (auto it = outbox_.rbegin(); it != outbox_.rend(); ++it) {
        if (req.get_param_value("username") != it->username || req.get_param_value("kind") != it->kind) continue;
        if (std::chrono::steady_clock::now() - it->sent < mail_delay_) continue;  // still on its way
        messages.push_back({{"kind", it->kind}, {"username", it->username}, {"text", it->text},
                            {it->kind == "otp" ? "code" : "token", it->secret}});
      }
      send_json(res, 200, {{"messages", messages}});
    });
    server_.Post("/__admin/clock", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const json body = object(req);
      if (!body.contains("advance_seconds") || !body["advance_seconds"].is_number_unsigned()) {
        return send_json(res, 400, error_body("VALIDATE_FAILED"));
      }
      offset_ += body["advance_seconds"].get<long long>();
      send_json(res, 200, {{"offset_seconds", offset_}});
    });
    pbxmock::test::answer_mock_admin(server_);
    loopback_.start();
  }
  ~FlowPbx() {
    loopback_.stop();
  }
  std::string url() const { return loopback_.url(); }
  // verify_otp calls that sent the right code.
  int codes_accepted() {
    std::lock_guard lock(mutex_);
    return codes_accepted_;
  }
  std::string password_of(const std::string& username) {
    std::lock_guard lock(mutex_);
    return passwords_[username];
  }

 private:
  // sign_in and the legacy login (which knows no second factor).
  void sign_in(const httplib::Request& req, httplib::Response& res, bool two_factor) {
    std::lock_guard lock(mutex_);
    const json body = object(req);
    const std::string username = text(body, "username");
    const auto known = passwords_.find(username);
    if (known == passwords_.end() || known->second != text(body, "password")) {
      return send_json(res, 400, error_body("UNAUTHORIZED"));
    }
    if (two_factor && username == "fuzzer2fa") {
      const std::string token = next("CHALLENGE");
      challenges_[token] = {username, "", 5, false};
      return send_json(res, 200, {{"two_factor_enabled", true}, {"token", token}});
    }
    send_json(res, 200, open_session(username));
  }
  // sign_out and the legacy logout; with `scope_bug` planted, the account's newest session ends instead.
  void sign_out(const httplib::Request& req, httplib::Response& res, Bug scope_bug) {
    std::lock_guard lock(mutex_);
    Session* session = bearer_session(req);
    if (session == nullptr) return send_json(res, 401, error_body("UNAUTHORIZED"));
    if (bug_ == scope_bug) {
      for (auto it = sessions_.rbegin(); it != sessions_.rend(); ++it) {
        if (it->account == session->account && !it->ended) {
          session = &*it;
          break;
        }
      }
    }
    session->ended = true;
    res.status = 200;
  }

  struct Session {
    std::string account, access, refresh;
    long long expires = 0;
    bool ended = false;
  };
  struct Challenge {
    std::string username, code;
    int attempts_left = 5;
    bool used = false;
  };
  struct Reset {
    std::string username;
    bool used = false;
  };
  struct Mail {
    std::string username, kind, secret, text;
    std::chrono::steady_clock::time_point sent = std::chrono::steady_clock::now();
  };

  static json object(const httplib::Request& req) {
    json body = json::parse(req.body, nullptr, false);
    return body.is_object() ? body : json::object();
  }
  static std::string text(const json& body, const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  long long now() const { return offset_; }  // seconds on the server's clock, from its start
  std::string next(const std::string& prefix) {
    const std::string n = std::to_string(++counter_);
    return prefix + std::string(48 - prefix.size() - n.size(), '0') + n;
  }
  static json token_object(const Session& session) {
    return {{"access_token", session.access}, {"refresh_token", session.refresh}, {"expires_in", 3600},
            {"token_type", "Bearer"}};
  }
  json open_session(const std::string& account) {
    sessions_.push_back({account, next("ACCESS"), next("REFRESH"), now() + 3600, false});
    return token_object(sessions_.back());
  }
  Session* bearer_session(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) != 0) return nullptr;
    const std::string token = header.substr(7);
    for (Session& session : sessions_) {
      if (session.ended || (bug_ != Bug::expiry && now() >= session.expires)) continue;
      if (session.access == token || (bug_ == Bug::token_confusion && session.refresh == token)) return &session;
    }
    return nullptr;
  }
  Challenge* live_challenge(const std::string& token) {
    const auto it = challenges_.find(token);
    if (it == challenges_.end() || it->second.used || it->second.attempts_left <= 0) return nullptr;
    return &it->second;
  }

  Bug bug_;
  pbxmock::test::LoopbackServer loopback_;
  httplib::Server& server_ = loopback_.server();
  std::mutex mutex_;
  int counter_ = 0;
  long long offset_ = 0;
  std::map<std::string, std::string> passwords_;
  std::vector<Session> sessions_;
  std::map<std::string, Challenge> challenges_;
  std::map<std::string, Reset> resets_;
  std::vector<Mail> outbox_;
  std::chrono::milliseconds mail_delay_{0};
  int codes_accepted_ = 0;

 public:
  // Mail shows in the outbox only this long after it was sent, as a real mail server's does.
  void slow_mail(std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    mail_delay_ = delay;
  }
};

const std::vector<std::string> kFlowOperations = {
    "--operation", "signInWithCredentials", "--operation", "getUserAuthInfo", "--operation", "signOut",
    "--operation", "refreshToken",          "--operation", "sendOTP",         "--operation", "verifyOTP",
    "--operation", "forgetPassword",        "--operation", "resetPassword"};

const char* const kFiveChecks = "one_time_code_reuse,reset_token_reuse,token_confusion,sign_out_scope,expiry_honesty";

// The accounts of FlowPbx, as an --auth file names them.
constexpr const char* kAccounts = R"(variables:
  username: fuzzer
  password: "${env.PBX_FLOWS_PASSWORD}"
  domain: fuzz.example.com
  two_factor_username: fuzzer2fa
  two_factor_password: "${env.PBX_FLOWS_PASSWORD}"
)";

std::vector<std::string> fuzz_args(const std::string& target, std::vector<std::string> more) {
  std::vector<std::string> args = {PBXMOCK_BINARY, "fuzz", "--target", target, "--max-examples", "2", "--seed", "4"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string skipped_text(const json& report) {
  std::string out;
  for (const json& line : report["skipped"]) out += line.get<std::string>() + "\n";
  return out;
}

// The checks each judged at least one answer of the run (the flows reached them).
std::map<std::string, int> applied(const json& report) {
  std::map<std::string, int> out;
  for (const json& operation : report["operations"]) {
    for (const auto& [check, count] : operation["checks_applied"].items()) out[check] += count.get<int>();
  }
  return out;
}

struct Planted {
  Bug bug;
  std::string check;
  std::string status_line;  // of the failing answer, as the reproducer prints it
  std::string mailbox;      // "url", "slow-url" (mail arrives 1.5 s late), "command" or "mock-admin"
};

void PrintTo(const Planted& planted, std::ostream* out) { *out << planted.check << " via " << planted.mailbox; }

class FlowCheckCatchesItsBug : public ::testing::TestWithParam<Planted> {};

TEST_P(FlowCheckCatchesItsBug, WithAReproducerThatShowsItAgain) {
  const Planted& planted = GetParam();
  FlowPbx server(planted.bug);
  if (planted.mailbox == "slow-url") server.slow_mail(std::chrono::milliseconds(1500));
  pbxmock::test::ScratchFolder scratch;
  ::setenv("PBX_FLOWS_PASSWORD", "fuzz-secret", 1);
  const std::string report = scratch.path() + "/report.json";
  std::vector<std::string> args = kFlowOperations;
  for (const std::string a : {"--checks", planted.check.c_str(), "--report", report.c_str()}) args.push_back(a);
  if (planted.mailbox == "mock-admin") {
    args.emplace_back("--mock-admin");
  } else {
    args.emplace_back("--auth");
    args.push_back(scratch.write("accounts.yaml", kAccounts));
    if (planted.mailbox == "url" || planted.mailbox == "slow-url") {
      args.emplace_back("--mailbox");
      args.push_back(server.url() + "/__admin/outbox");
    } else {
      // What a Mailpit or IMAP script does: print the newest message's text.
      args.emplace_back("--mailbox-command");
      args.push_back("curl -sS \"" + server.url() +
                     "/__admin/outbox?username=$PBX_MAIL_USERNAME&kind=$PBX_MAIL_KIND\" | "
                     "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"messages\"][0][\"text\"])'");
    }
  }
  const ProcessResult r = run_process(fuzz_args(server.url(), args), {}, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json parsed = read_json(report);
  ASSERT_TRUE(parsed.is_object()) << r.out;
  const json* failure = find_failure(parsed, planted.check);
  ASSERT_NE(failure, nullptr) << r.out;
  EXPECT_GT((*failure)["first_seen"]["request"].get<int>(), 0) << failure->dump(2);
  EXPECT_NE(r.out.find("FAIL " + (*failure)["operation"].get<std::string>() + " " + planted.check), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("first seen "), std::string::npos) << r.out;
  // The password the flows reset is the account's own again.
  EXPECT_EQ(server.password_of("fuzzer"), "fuzz-secret");

  const std::string script = (*failure)["reproducer"];
  if (planted.mailbox != "mock-admin") {
    EXPECT_EQ(script.find("fuzz-secret"), std::string::npos) << "the password comes from the environment: " << script;
  }
  const int accepted_before = server.codes_accepted();
  const ProcessResult replayed = run_process({"/bin/bash", scratch.write("repro.sh", script)}, {}, std::chrono::seconds(60));
  if (planted.mailbox == "slow-url") {
    // It waited for its own code instead of taking the run's last one still in the outbox.
    EXPECT_GT(server.codes_accepted(), accepted_before) << script << "\n" << replayed.out;
  }
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  const std::size_t last = replayed.out.rfind("HTTP/1.1 ");
  ASSERT_NE(last, std::string::npos) << script << "\n" << replayed.out << replayed.err;
  EXPECT_EQ(replayed.out.substr(last, planted.status_line.size()), planted.status_line) << script << "\n" << replayed.out;
  EXPECT_EQ(server.password_of("fuzzer"), "fuzz-secret") << "the reproducer puts the password back too\n" << script;
}

INSTANTIATE_TEST_SUITE_P(
    EachCheck, FlowCheckCatchesItsBug,
    ::testing::Values(Planted{Bug::code_reuse, "one_time_code_reuse", "HTTP/1.1 200", "url"},
                      Planted{Bug::reset_reuse, "reset_token_reuse", "HTTP/1.1 200", "command"},
                      Planted{Bug::token_confusion, "token_confusion", "HTTP/1.1 200", "url"},
                      Planted{Bug::sign_out_scope, "sign_out_scope", "HTTP/1.1 200", "url"},
                      Planted{Bug::expiry, "expiry_honesty", "HTTP/1.1 200", "mock-admin"},
                      // The run and its reproducer wait for mail that comes late, and take the new
                      // message, not the one an earlier request left there.
                      Planted{Bug::code_reuse, "one_time_code_reuse", "HTTP/1.1 200", "slow-url"}),
    [](const ::testing::TestParamInfo<Planted>& param) {
      return param.param.check + (param.param.mailbox == "slow-url" ? "_with_slow_mail" : "");
    });

// `pbxmock fuzz --mock-admin --checks CHECK` over `operations` of `url`: what it printed and its report.
struct CheckRun {
  ProcessResult result;
  json report;
};
CheckRun run_one_check(const std::string& url, std::vector<std::string> operations, const std::string& check) {
  pbxmock::test::ScratchFolder scratch;
  const std::string report = scratch.path() + "/report.json";
  for (const std::string a : {"--mock-admin", "--checks", check.c_str(), "--report", report.c_str()}) {
    operations.push_back(a);
  }
  CheckRun out;
  out.result = run_process(fuzz_args(url, operations), {}, std::chrono::seconds(120));
  out.report = read_json(report);
  return out;
}

// The code a flow reads from the mailbox is a secret too: an answer quoting it fails
// secret_in_answer, and the same server without the bug passes.
TEST(FuzzFlows, AMailedCodeQuotedInAnAnswerFailsSecretInAnswer) {
  for (const Bug bug : {Bug::quotes_code, Bug::none}) {
    FlowPbx server(bug);
    const auto [r, parsed] = run_one_check(server.url(), kFlowOperations, "secret_in_answer");
    ASSERT_TRUE(parsed.is_object()) << r.out << r.err;
    const json* failure = find_failure(parsed, "secret_in_answer");
    if (bug == Bug::none) {
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_EQ(failure, nullptr) << r.out;
      continue;
    }
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    ASSERT_NE(failure, nullptr) << r.out;
    EXPECT_EQ((*failure)["operation"], "verifyOTP") << failure->dump(2);
    EXPECT_NE((*failure)["seen"].get<std::string>().find("from the mailbox"), std::string::npos) << failure->dump(2);
  }
}

TEST(FuzzFlows, ALegacyLogoutThatEndsTheWrongLoginFailsSignOutScope) {
  const std::vector<std::string> legacy = {"--operation", "login", "--operation", "logout", "--operation", "getLoginStatus"};
  for (const Bug bug : {Bug::legacy_scope, Bug::none}) {
    FlowPbx server(bug);
    const auto [r, parsed] = run_one_check(server.url(), legacy, "sign_out_scope");
    ASSERT_TRUE(parsed.is_object()) << r.out << r.err;
    const json* failure = find_failure(parsed, "sign_out_scope");
    if (bug == Bug::none) {
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_EQ(failure, nullptr) << r.out;
      EXPECT_GT(applied(parsed)["sign_out_scope"], 0) << "the legacy flow judged nothing\n" << r.out;
      continue;
    }
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    ASSERT_NE(failure, nullptr) << r.out;
    EXPECT_EQ((*failure)["operation"], "getLoginStatus") << failure->dump(2);
    // The reproducer, run with bash, shows the wrong answer again.
    pbxmock::test::ScratchFolder scratch;
    const std::string script = scratch.write("scope.sh", (*failure)["reproducer"].get<std::string>());
    const ProcessResult replayed = run_process({"/bin/bash", script}, {}, std::chrono::seconds(30));
    EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
    EXPECT_NE(replayed.out.find("HTTP/1.1 " + std::to_string((*failure)["status"].get<int>())), std::string::npos)
        << replayed.out;
  }
}

TEST(FuzzFlows, AMockAdminReproducerLoadsTheFuzzersScenarioSoItsSignInWorksOnAFreshMock) {
  FlowPbx server(Bug::expiry);
  pbxmock::test::ScratchFolder scratch;
  const std::string report = scratch.path() + "/report.json";
  std::vector<std::string> args = kFlowOperations;
  for (const std::string a : {"--mock-admin", "--checks", "expiry_honesty", "--report", report.c_str()}) args.push_back(a);
  const ProcessResult r = run_process(fuzz_args(server.url(), args), {}, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json parsed = read_json(report);
  const json* failure = find_failure(parsed, "expiry_honesty");
  ASSERT_NE(failure, nullptr) << r.out;
  std::string script = (*failure)["reproducer"];
  EXPECT_NE(script.find("# --mock-admin: load the fuzzer's scenario first"), std::string::npos) << script;
  // The same script against a mock that has never seen the fuzzer: its own scenario is loaded.
  pbxmock::test::MockServer mock;
  for (std::size_t at = script.find(server.url()); at != std::string::npos; at = script.find(server.url(), at)) {
    script.replace(at, server.url().size(), mock.url());
  }
  if (std::getenv("DUMP_REPRO")) std::cerr << script << "\n";
  const ProcessResult replayed = run_process({"/bin/bash", scratch.write("repro.sh", script)}, {}, std::chrono::seconds(60));
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  // The mock holds tokens to expires_in: the reproducer's last answer is the 401 the broken server did not give.
  EXPECT_NE(replayed.out.find("HTTP/1.1 401"), std::string::npos) << script << "\n" << replayed.out;
  httplib::Client client(mock.url());
  const auto journal = client.Get("/__admin/requests?limit=100");
  ASSERT_TRUE(journal) << "no answer from the mock's journal";
  bool signed_in = false;
  const json requests = json::parse(journal->body, nullptr, false);
  ASSERT_TRUE(requests.is_object() && requests.contains("requests")) << journal->body;
  for (const json& entry : requests["requests"]) {
    signed_in = signed_in || (entry["operation_id"] == "signInWithCredentials" && entry["status"] == 200);
  }
  EXPECT_TRUE(signed_in) << journal->body;
}

TEST(FuzzFlows, TheSameServerWithoutABugPassesTheFiveChecks) {
  FlowPbx server(Bug::none);
  pbxmock::test::ScratchFolder scratch;
  const std::string report = scratch.path() + "/report.json";
  std::vector<std::string> args = kFlowOperations;
  for (const std::string a : {"--mock-admin", "--checks", kFiveChecks, "--report", report.c_str()}) args.push_back(a);
  const ProcessResult r = run_process(fuzz_args(server.url(), args), {}, std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json parsed = read_json(report);
  ASSERT_TRUE(parsed.is_object()) << r.out;
  EXPECT_TRUE(parsed["failures"].empty()) << parsed["failures"].dump(2);
  EXPECT_TRUE(parsed["skipped"].empty()) << skipped_text(parsed);
  const std::map<std::string, int> judged = applied(parsed);
  for (const char* check : {"one_time_code_reuse", "reset_token_reuse", "token_confusion", "sign_out_scope", "expiry_honesty"}) {
    EXPECT_GT(judged.count(check) ? judged.at(check) : 0, 0) << check << " judged no answer\n" << r.out;
  }
  EXPECT_EQ(server.password_of("fuzzer"), "fuzz-secret");
}

TEST(FuzzFlows, WithoutAMailboxTheMailFlowsAreSkippedAndTheReportSaysWhy) {
  FlowPbx server(Bug::code_reuse);
  pbxmock::test::ScratchFolder scratch;
  ::setenv("PBX_FLOWS_PASSWORD", "fuzz-secret", 1);
  const std::string report = scratch.path() + "/report.json";
  std::vector<std::string> args = kFlowOperations;
  for (const std::string a : {"--checks", kFiveChecks, "--report", report.c_str(), "--auth"}) args.push_back(a);
  args.push_back(scratch.write("accounts.yaml", kAccounts));
  const ProcessResult r = run_process(fuzz_args(server.url(), args), {}, std::chrono::seconds(120));
  // The planted bug needs the e-mailed code to be seen: without a mailbox nothing fails.
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string skipped = skipped_text(read_json(report));
  EXPECT_NE(skipped.find("need a mailbox (--mailbox URL or --mailbox-command CMD)"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("expiry_honesty"), std::string::npos) << skipped;
  EXPECT_NE(r.out.find("skipped: two-factor and password-reset flows"), std::string::npos) << r.out;
}

TEST(FuzzFlows, AnAccountVariableWhoseEnvironmentValueIsMissingIsAUsageError) {
  pbxmock::test::ScratchFolder scratch;
  ::unsetenv("PBX_FLOWS_NOT_SET");
  const std::string accounts = scratch.write("accounts.yaml", "variables:\n  username: fuzzer\n  password: \"${env.PBX_FLOWS_NOT_SET}\"\n");
  const ProcessResult r = run_process(fuzz_args("http://127.0.0.1:1", {"--auth", accounts}));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("PBX_FLOWS_NOT_SET"), std::string::npos) << r.err;
}

TEST(FuzzFlows, TheCodeOrTokenIsFoundInAMessagesText) {
  using pbxmock::contracts::fuzzing::find_secret;
  EXPECT_EQ(find_secret("otp", "Sent 2026-12-07. Your code is 482913; it works for 10 minutes."), "482913");
  EXPECT_EQ(find_secret("otp", "order 1234567 has no code"), std::nullopt);
  EXPECT_EQ(find_secret("password_reset", "Open https://x.example/reset?a=1&token=AB12-cd_34.x9~ now"), "AB12-cd_34.x9~");
  EXPECT_EQ(find_secret("password_reset", "Your reset key: QWERTYUIOPASDFGH12 (15 min)"), "QWERTYUIOPASDFGH12");
  EXPECT_EQ(find_secret("password_reset", "nothing long here"), std::nullopt);
  EXPECT_EQ(pbxmock::contracts::fuzzing::wrong_code("091289"), "102390");
}

TEST(FuzzFlows, TheMockPassesEveryCheckOverTwentySeedsWithMockAdminAndWithAccountsAndItsOutbox) {
  pbxmock::test::MockServer mock;
  pbxmock::test::ScratchFolder scratch;
  ::setenv("PBX_FLOWS_PASSWORD", "alice-secret", 1);
  const std::string accounts = scratch.write("accounts.yaml", R"(variables:
  username: alice
  password: "${env.PBX_FLOWS_PASSWORD}"
  domain: pbx.example.com
  two_factor_username: carol
  two_factor_password: carol-secret
)");
  for (int seed = 1; seed <= 20; ++seed) {
    for (const bool mock_admin : {true, false}) {
      const std::string report = scratch.path() + "/report.json";
      std::vector<std::string> args = {PBXMOCK_BINARY, "fuzz", "--target", mock.url(), "--max-examples", "3",
                                       "--seed", std::to_string(seed), "--report", report};
      if (mock_admin) {
        args.emplace_back("--mock-admin");
      } else {
        args.insert(args.end(), {"--auth", accounts, "--mailbox", mock.url() + "/__admin/outbox"});
      }
      const ProcessResult r = run_process(args, {}, std::chrono::seconds(120));
      const std::string mode = mock_admin ? "--mock-admin" : "--auth --mailbox";
      ASSERT_EQ(r.exit_code, 0) << mode << " seed " << seed << "\n" << r.out << r.err;
      const json parsed = read_json(report);
      ASSERT_TRUE(parsed.is_object());
      EXPECT_TRUE(parsed["failures"].empty()) << mode << " seed " << seed << parsed["failures"].dump(2);
      const std::map<std::string, int> judged = applied(parsed);
      for (const char* check : {"one_time_code_reuse", "reset_token_reuse", "token_confusion", "sign_out_scope"}) {
        EXPECT_GT(judged.count(check) ? judged.at(check) : 0, 0) << check << " " << mode << " seed " << seed;
      }
      const std::string skipped = skipped_text(parsed);
      if (mock_admin) {
        EXPECT_GT(judged.count("expiry_honesty") ? judged.at("expiry_honesty") : 0, 0) << "seed " << seed;
        EXPECT_TRUE(skipped.empty()) << skipped;
      } else {
        // Only the clock cannot be moved on a target reached without --mock-admin.
        EXPECT_EQ(std::count(skipped.begin(), skipped.end(), '\n'), 1) << skipped;
        EXPECT_EQ(skipped.rfind("expiry_honesty:", 0), 0u) << skipped;
      }
    }
  }
}

}  // namespace
