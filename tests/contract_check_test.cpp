// `pbxmock check` as a real process against a tiny PBX stand-in served from the test: a
// correct server passes; each way of misbehaving makes the matching step fail with a message
// naming the difference; bad input to the runner gives a clear message and status 2.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "support/loopback_server.h"
#include "support/process.h"

namespace {

using pbxmock::test::ProcessResult;
using pbxmock::test::closed_port;
using pbxmock::test::run_process;
using nlohmann::json;

enum class Misbehave { nothing, wrong_status, missing_field, wrong_type, schema_only, server_error, no_revoke };

const char* const kToken = "7ZRS2XQUISNRUY8CVTITUT5H2RJR4V25TKJ54011XA7XIILY";

json error_body(const std::string& code, const std::string& message) {
  return {{"errors", json::array({{{"code", code}, {"message", message}}})}};
}

// Just enough of the PortSIP API for one session: sign in, who am I, sign out.
class FakePbx {
 public:
  explicit FakePbx(Misbehave mode) : mode_(mode) {
    // httplib 0.11 leaves TCP_NODELAY off on accepted sockets, which costs 40 ms an answer;
    // accepted sockets inherit it from the listening one.
    server_.set_socket_options([](socket_t sock) {
      const int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    server_.Post("/api/auth/sign_in", [this](const httplib::Request& req, httplib::Response& res) {
      const auto body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || body.value("password", "") != "alice-secret") {
        res.status = 400;
        res.set_content(error_body("UNAUTHORIZED", "Login failed, authentication error").dump(), "application/json");
        return;
      }
      json tokens = {{"token_type", "Bearer"}, {"access_token", kToken}, {"refresh_token", kToken}, {"expires_in", 3600}};
      if (mode_ == Misbehave::missing_field) tokens.erase("refresh_token");
      if (mode_ == Misbehave::wrong_type) tokens["expires_in"] = "3600";
      std::lock_guard<std::mutex> lock(mutex_);
      valid_ = true;
      res.status = mode_ == Misbehave::wrong_status ? 201 : 200;
      res.set_content(tokens.dump(), "application/json");
    });
    server_.Get("/api/auth/user", [this](const httplib::Request& req, httplib::Response& res) {
      if (mode_ == Misbehave::server_error) {
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain");
        return;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (!valid_ || req.get_header_value("Authorization") != std::string("Bearer ") + kToken) {
        res.status = 401;
        res.set_content(error_body("UNAUTHORIZED", "missing or invalid bearer token").dump(), "application/json");
        return;
      }
      json info = {{"role", "Admin"}, {"password_verified", true}, {"password_force_reset", false}};
      if (mode_ == Misbehave::schema_only) info["password_verified"] = "yes";
      res.set_content(info.dump(), "application/json");
    });
    server_.Post("/api/auth/sign_out", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (mode_ != Misbehave::no_revoke) valid_ = false;
      res.status = 200;
    });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mutex_);
      // Interruptible, so the fixture's teardown does not wait for the whole sleep.
      stopping_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_; });
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakePbx() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    stopping_cv_.notify_all();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  Misbehave mode_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  bool valid_ = false;
};

// A listener that answers anything with bytes that are not HTTP, then hangs up.
class GarbageServer {
 public:
  GarbageServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) != 1) continue;
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) continue;
        char buffer[4096];
        pollfd c{client, POLLIN, 0};
        if (::poll(&c, 1, 1000) == 1) (void)::read(client, buffer, sizeof buffer);
        const char reply[] = "SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n";
        (void)::write(client, reply, sizeof reply - 1);
        ::close(client);
      }
    });
  }
  ~GarbageServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

const char* const kSession = R"(defaults:
  headers: {Accept: application/json}
contracts:
  - name: session
    steps:
      - name: sign in
        request:
          method: POST
          path: /api/auth/sign_in
          json: {username: alice, password: alice-secret, domain: pbx.example.com}
        expect:
          status: 200
          body:
            /token_type: Bearer
            /expires_in: {type: integer}
            /refresh_token: {present: true}
        save: {token: /access_token}
      - name: who am I
        request: {method: GET, path: /api/auth/user, headers: {Authorization: "Bearer ${token}"}}
        expect: {status: 200, body: {/role: Admin}}
      - name: sign out
        request: {method: POST, path: /api/auth/sign_out, headers: {Authorization: "Bearer ${token}"}}
        expect: {status: 200}
      - name: the token no longer works
        request: {method: GET, path: /api/auth/user, headers: {Authorization: "Bearer ${token}"}}
        expect: {status: 401, error_code: UNAUTHORIZED}
)";

class check_command : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "contract_check_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  static ProcessResult check(std::vector<std::string> args) {
    args.insert(args.begin(), {PBXMOCK_BINARY, "check"});
    return run_process(args, {}, std::chrono::seconds(20));
  }

  ProcessResult check_session(const FakePbx& pbx, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--target", pbx.url()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(write("session.yaml", kSession));
    return check(args);
  }

  std::string dir_;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(check_command, a_correct_server_passes_every_step) {
  FakePbx pbx(Misbehave::nothing);
  const auto r = check_session(pbx);
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "PASS " + dir_ + "/session.yaml \u203A session \u203A sign in (")) << r.out;
  EXPECT_TRUE(has(r.out, "PASS " + dir_ + "/session.yaml \u203A session \u203A the token no longer works (")) << r.out;
  EXPECT_TRUE(has(r.out, "\n4 passed, 0 failed\n")) << r.out;
  EXPECT_EQ("", r.err);
}

TEST_F(check_command, a_wrong_status_fails_the_step_and_skips_the_rest) {
  FakePbx pbx(Misbehave::wrong_status);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "FAIL " + dir_ + "/session.yaml \u203A session \u203A sign in (")) << r.out;
  EXPECT_TRUE(has(r.out, "    status: expected 200, seen 201\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    spec undeclared_status: status 201 is not declared for POST /auth/sign_in")) << r.out;
  EXPECT_TRUE(has(r.out, "SKIP " + dir_ + "/session.yaml \u203A session \u203A who am I (not run: step 'sign in' failed)"))
      << r.out;
  // The request again, ready to paste.
  EXPECT_TRUE(has(r.out, "    curl -sS -i -X POST " + pbx.url() +
                             "/api/auth/sign_in -H 'Accept: application/json' -H 'Content-Type: application/json' "
                             "--data-raw '{\"domain\":\"pbx.example.com\",\"password\":\"alice-secret\",\"username\":\"alice\"}'\n"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\n0 passed, 4 failed\n")) << r.out;
}

TEST_F(check_command, a_body_missing_a_required_field_fails) {
  FakePbx pbx(Misbehave::missing_field);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    body /refresh_token: expected present, seen absent\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    spec schema: (body): ")) << r.out;
  EXPECT_TRUE(has(r.out, "refresh_token")) << r.out;
}

TEST_F(check_command, a_field_of_the_wrong_type_fails) {
  FakePbx pbx(Misbehave::wrong_type);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    body /expires_in: expected integer, seen \"3600\"\n")) << r.out;
  // SignInResult is a oneOf (tokens or a challenge): the spec check names the failing member.
  EXPECT_TRUE(has(r.out, "    spec schema: (body): matches none of the 2 alternatives (the first fails type at \"/expires_in\")\n"))
      << r.out;
}

TEST_F(check_command, the_spec_checks_catch_what_the_contract_does_not_ask_about) {
  FakePbx pbx(Misbehave::schema_only);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "FAIL " + dir_ + "/session.yaml \u203A session \u203A who am I (")) << r.out;
  EXPECT_TRUE(has(r.out, "    spec schema: /password_verified: ")) << r.out;
  EXPECT_TRUE(has(r.out, "\n1 passed, 3 failed\n")) << r.out;
}

TEST_F(check_command, allow_turns_an_expected_spec_difference_into_a_note) {
  FakePbx pbx(Misbehave::schema_only);
  const std::string allowed = std::string(kSession).replace(
      std::string(kSession).find("        expect: {status: 200, body: {/role: Admin}}\n"),
      std::string("        expect: {status: 200, body: {/role: Admin}}\n").size(),
      "        expect: {status: 200, body: {/role: Admin}}\n"
      "        allow: [{check: schema, reason: this PBX sends password_verified as text}]\n");
  const auto r = check({"--target", pbx.url(), write("allowed.yaml", allowed)});
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    ALLOW schema: this PBX sends password_verified as text (/password_verified: ")) << r.out;
  EXPECT_TRUE(has(r.out, "\n4 passed, 0 failed\n")) << r.out;
}

TEST_F(check_command, a_server_error_fails_the_step) {
  FakePbx pbx(Misbehave::server_error);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    status: expected 200, seen 500\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    spec undeclared_status: status 500 is not declared for GET /auth/user (getUserAuthInfo)"))
      << r.out;
  EXPECT_TRUE(has(r.out, "    curl -sS -i " + pbx.url() + "/api/auth/user -H 'Accept: application/json' -H 'Authorization: Bearer " +
                             kToken + "'\n"))
      << r.out;
}

TEST_F(check_command, a_token_still_working_after_sign_out_fails) {
  FakePbx pbx(Misbehave::no_revoke);
  const auto r = check_session(pbx);
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "FAIL " + dir_ + "/session.yaml \u203A session \u203A the token no longer works (")) << r.out;
  EXPECT_TRUE(has(r.out, "    status: expected 401, seen 200\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    error code: expected UNAUTHORIZED, seen no errors[0].code in {\"password_force_reset\":false,"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\n3 passed, 1 failed\n")) << r.out;
}

TEST_F(check_command, writes_junit_that_xmllint_accepts) {
  FakePbx pbx(Misbehave::no_revoke);
  const std::string junit = dir_ + "/report.xml";
  const auto r = check_session(pbx, {"--junit", junit});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  const auto lint = run_process({PBXMOCK_XMLLINT, "--noout", junit});
  EXPECT_EQ(0, lint.exit_code) << lint.err;
  const auto xpath = run_process({PBXMOCK_XMLLINT, "--xpath", "string(/testsuites/testsuite/@failures)", junit});
  EXPECT_EQ("1\n", xpath.out);
}

TEST_F(check_command, tags_select_and_exclude_steps) {
  FakePbx pbx(Misbehave::nothing);
  const auto r = check({"--target", pbx.url(), "--tag", "!mock",
                        write("tagged.yaml",
                              "contracts:\n"
                              "  - name: c\n"
                              "    steps:\n"
                              "      - {name: admin only, tags: [mock], request: {method: POST, path: /__admin/reset}}\n"
                              "      - {name: sign in, request: {method: POST, path: /api/auth/sign_in,\n"
                              "         json: {username: alice, password: alice-secret}}, expect: {status: 200}}\n"
                              "  - name: mock only\n"
                              "    tags: [mock]\n"
                              "    steps:\n"
                              "      - {name: reset, request: {method: POST, path: /__admin/reset}}\n")});
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_EQ("PASS " + dir_ + "/tagged.yaml \u203A c \u203A sign in", r.out.substr(0, r.out.find(" (")));
  EXPECT_TRUE(has(r.out, "\n1 passed, 0 failed\n")) << r.out;
}

TEST_F(check_command, each_tag_option_takes_one_value_and_they_add_up) {
  FakePbx pbx(Misbehave::nothing);
  const std::string file = write("two_tags.yaml",
                                 "contracts:\n"
                                 "  - {name: a, tags: [one], steps: [{name: s, request: {method: GET, path: /api/auth/user}, expect: {status: 401}}]}\n"
                                 "  - {name: b, tags: [two], steps: [{name: s, request: {method: GET, path: /api/auth/user}, expect: {status: 401}}]}\n"
                                 "  - {name: c, tags: [three], steps: [{name: s, request: {method: GET, path: /api/auth/user}, expect: {status: 401}}]}\n");
  // The file right after a --tag value is a path, not a second tag.
  const auto r = check({"--target", pbx.url(), "--tag", "one", "--tag", "two", file});
  EXPECT_EQ(0, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "\n2 passed, 0 failed\n")) << r.out;
  EXPECT_FALSE(has(r.out, "\u203A c \u203A")) << r.out;
}

TEST_F(check_command, an_undefined_variable_fails_the_step_naming_it) {
  FakePbx pbx(Misbehave::nothing);
  const auto r = check({"--target", pbx.url(),
                        write("undefined.yaml", "contracts:\n  - name: c\n    steps:\n"
                                                "      - {name: s, request: {method: GET, path: /api/auth/user,"
                                                " headers: {Authorization: \"Bearer ${tokn}\"}}}\n")});
  EXPECT_EQ(1, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    request header Authorization: undefined variable ${tokn}")) << r.out;
}

TEST_F(check_command, an_unreachable_target_is_status_2_with_a_clear_message) {
  const int port = closed_port();
  const auto r = check({"--target", "http://127.0.0.1:" + std::to_string(port), write("session.yaml", kSession)});
  EXPECT_EQ(2, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    transport: cannot connect to http://127.0.0.1:" + std::to_string(port) + ": connection refused\n"))
      << r.out;
  EXPECT_TRUE(has(r.out, "SKIP " + dir_ + "/session.yaml \u203A session \u203A sign out (not run: the target is unreachable)"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\n0 passed, 4 failed\n")) << r.out;
  EXPECT_TRUE(has(r.err, "cannot reach the target http://127.0.0.1:" + std::to_string(port))) << r.err;
}

TEST_F(check_command, a_server_too_slow_to_answer_is_a_timeout_and_status_2) {
  FakePbx pbx(Misbehave::nothing);
  const auto started = std::chrono::steady_clock::now();
  const auto r = check({"--target", pbx.url(), "--timeout", "0.3",
                        write("slow.yaml", "contracts:\n  - name: c\n    steps:\n"
                                           "      - {name: s, request: {method: GET, path: /slow}}\n")});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  EXPECT_EQ(2, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    transport: no complete answer from " + pbx.url() + " within 300 ms (timeout)\n")) << r.out;
  EXPECT_TRUE(has(r.err, "1 step(s) got no HTTP answer")) << r.err;
}

TEST_F(check_command, an_answer_that_is_not_http_is_status_2) {
  GarbageServer garbage;
  const auto r = check({"--target", garbage.url(),
                        write("garbage.yaml", "contracts:\n  - name: c\n    steps:\n"
                                              "      - {name: s, request: {method: GET, path: /api/info}}\n")});
  EXPECT_EQ(2, r.exit_code) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "    transport: the answer from " + garbage.url() + " is not HTTP")) << r.out;
}

TEST_F(check_command, a_malformed_contract_file_runs_nothing_and_is_status_2) {
  FakePbx pbx(Misbehave::nothing);
  const std::string good = write("a_good.yaml", kSession);
  const std::string bad = write("b_bad.yaml", "contracts:\n  - name: c\n    steps:\n      - name: s\n        request: {method: GET}\n");
  const auto r = check({"--target", pbx.url(), dir_});
  EXPECT_EQ(2, r.exit_code) << r.out << r.err;
  EXPECT_EQ("", r.out);  // all or nothing: the good file did not run either
  EXPECT_TRUE(has(r.err, bad + ":5:18: missing required key 'path'\n")) << r.err;
  EXPECT_TRUE(has(r.err, "1 problem(s) in the contract files; nothing was run")) << r.err;
}

TEST_F(check_command, usage_errors_are_status_2) {
  const auto no_target = check({write("session.yaml", kSession)});
  EXPECT_EQ(2, no_target.exit_code);
  EXPECT_TRUE(has(no_target.err, "--target")) << no_target.err;
  const auto bad_target = check({"--target", "ftp://x", write("session.yaml", kSession)});
  EXPECT_EQ(2, bad_target.exit_code);
  EXPECT_TRUE(has(bad_target.err, "unsupported scheme 'ftp' (http or https)")) << bad_target.err;
  const auto missing = check({"--target", "http://127.0.0.1:1", dir_ + "/nope.yaml"});
  EXPECT_EQ(2, missing.exit_code);
  EXPECT_TRUE(has(missing.err, "no such file or folder: " + dir_ + "/nope.yaml")) << missing.err;
  const auto bad_tag = check({"--target", "http://127.0.0.1:1", "--tag", "!", write("session.yaml", kSession)});
  EXPECT_EQ(2, bad_tag.exit_code);
  EXPECT_TRUE(has(bad_tag.err, "empty tag in --tag '!'")) << bad_tag.err;
}

TEST_F(check_command, nothing_selected_is_status_2) {
  FakePbx pbx(Misbehave::nothing);
  const auto r = check({"--target", pbx.url(), "--tag", "nonexistent", write("session.yaml", kSession)});
  EXPECT_EQ(2, r.exit_code) << r.out << r.err;
  EXPECT_EQ("0 passed, 0 failed\n", r.out);
  EXPECT_TRUE(has(r.err, "no step selected by the --tag filter")) << r.err;
}

}  // namespace
