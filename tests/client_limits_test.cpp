// `pbxmock check` and `pbxmock fuzz` as real processes against servers broken on purpose (a
// BrokenServer each, on a free loopback port): one that drips a byte every half second, one
// whose chunked answer never ends, one that declares 2 GB, one that answers 413 before reading
// a large body and hangs up (as nginx does), one that silently closes kept-alive connections.
// Each run must end in time, stay small, end with its report rather than a signal, and report
// no failure that the server did not commit.
//
// Memory is the child's own peak resident size, ru_maxrss as wait4() reaps it (see
// support/process.h); the child also runs under an address-space limit, so a regression fails
// here instead of swapping the machine. Time bounds are generous: a sanitizer build is slow,
// and what they catch would never end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "support/broken_server.h"
#include "support/process.h"
#include "support/server_process.h"

namespace {

using pbxmock::test::BrokenServer;
using pbxmock::test::ProcessResult;
using pbxmock::test::ScratchFolder;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr long kAddressLimitKib = 2L << 20;  // 2 GiB

// Far under the 1-2 GB an unbounded answer grew the process to.
long small_kib() { return pbxmock::test::under_address_sanitizer() ? 1L << 20 : 256L << 10; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Timed {
  ProcessResult result;
  double seconds = 0;
};

Timed run(const std::string& command, std::vector<std::string> args, std::chrono::seconds deadline = 60s) {
  args.insert(args.begin(), {PBXMOCK_BINARY, command});
  const auto started = Clock::now();
  Timed timed;
  timed.result = pbxmock::test::run_process(pbxmock::test::with_address_limit(args, kAddressLimitKib), {}, deadline);
  timed.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return timed;
}

// Ended by itself with one of pbxmock's statuses, not by a signal (SIGPIPE was 141) or the deadline.
void expect_a_report(const Timed& t, double within_seconds) {
  EXPECT_EQ(0, t.result.signal) << t.result.out << t.result.err;
  EXPECT_TRUE(t.result.exit_code >= 0 && t.result.exit_code <= 2) << t.result.exit_code << "\n" << t.result.out << t.result.err;
  EXPECT_LT(t.seconds, within_seconds) << t.result.out << t.result.err;
  EXPECT_LT(t.result.peak_resident_kib, small_kib()) << t.result.out << t.result.err;
}

const char* const kOneGet = "contracts:\n  - name: c\n    steps:\n"
                            "      - {name: s, request: {method: GET, path: /api/auth/user}, expect: {schema: false}}\n";

class client_limits : public ::testing::Test {
 protected:
  ScratchFolder scratch_;
};

TEST_F(client_limits, check_gives_up_on_a_dripping_server_at_its_timeout) {
  BrokenServer server(BrokenServer::dripping(500ms));
  const Timed t = run("check", {"--target", server.url(), "--timeout", "2", scratch_.write("c.yaml", kOneGet)});
  expect_a_report(t, 15);
  EXPECT_EQ(2, t.result.exit_code);
  EXPECT_TRUE(has(t.result.out, "    transport: no complete answer from " + server.url() + " within 2000 ms (timeout)\n"))
      << t.result.out;
}

TEST_F(client_limits, check_reads_an_endless_chunked_answer_only_up_to_the_limit) {
  BrokenServer server(BrokenServer::endless_chunked());
  // The default limit, 16 MiB.
  const Timed t = run("check", {"--target", server.url(), "--timeout", "2", scratch_.write("c.yaml", kOneGet)});
  expect_a_report(t, 15);
  EXPECT_EQ(1, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "    answer too large: the answer from " + server.url() +
                                    " is larger than 16777216 bytes (--max-answer-bytes); the rest was not read\n"))
      << t.result.out;
}

TEST_F(client_limits, check_cuts_an_endless_head_by_size_not_at_the_deadline) {
  BrokenServer server(BrokenServer::endless_head());
  // A deadline of 60 s: only the size cap can end it within the report's 15 s and small memory.
  const Timed t = run("check", {"--target", server.url(), "--max-answer-bytes", "1048576", "--timeout", "60",
                                scratch_.write("c.yaml", kOneGet)});
  expect_a_report(t, 15);
  EXPECT_EQ(1, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "is larger than 1048576 bytes (--max-answer-bytes)")) << t.result.out;
}

TEST_F(client_limits, check_refuses_a_declared_2_gb_answer_without_reading_or_allocating_it) {
  BrokenServer server(BrokenServer::declared_length(2ull << 30));
  const Timed t = run("check", {"--target", server.url(), "--max-answer-bytes", "1048576", "--timeout", "2",
                                scratch_.write("c.yaml", kOneGet)});
  expect_a_report(t, 15);
  EXPECT_EQ(1, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "is larger than 1048576 bytes (--max-answer-bytes)")) << t.result.out;
}

TEST_F(client_limits, check_takes_a_413_sent_before_the_body_was_read_as_the_answer) {
  BrokenServer server(BrokenServer::early_413(64 << 10));
  // 16 MiB of body: far more than the socket buffers take before the server hangs up.
  const std::string contract =
      "contracts:\n  - name: c\n    steps:\n"
      "      - name: too large\n"
      "        request: {method: POST, path: /api/auth/sign_in, body: aaaaaaaa, repeat: 2097152, content_type: application/json}\n"
      "        expect: {status: 413, schema: false, body: {/code: PAYLOAD_TOO_LARGE}}\n"
      "      - name: again, on a fresh connection\n"
      "        request: {method: POST, path: /api/auth/sign_in, body: aaaaaaaa, repeat: 2097152, content_type: application/json}\n"
      "        expect: {status: 413, schema: false}\n";
  const Timed t = run("check", {"--target", server.url(), "--timeout", "10", scratch_.write("c.yaml", contract)});
  EXPECT_EQ(0, t.result.signal) << t.result.out << t.result.err;
  EXPECT_EQ(0, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "\n2 passed, 0 failed\n")) << t.result.out;
}

TEST_F(client_limits, check_reports_nothing_for_kept_alive_connections_the_server_closed) {
  BrokenServer server(BrokenServer::closes_kept_alive());
  std::string contract = "contracts:\n  - name: c\n    steps:\n";
  for (int i = 0; i < 5; ++i) {
    contract += "      - {name: s" + std::to_string(i) +
                ", request: {method: POST, path: /api/auth/sign_out, json: {}}, expect: {status: 200, schema: false}}\n";
  }
  const Timed t = run("check", {"--target", server.url(), scratch_.write("c.yaml", contract)});
  expect_a_report(t, 30);
  EXPECT_EQ(0, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "\n5 passed, 0 failed\n")) << t.result.out;
  EXPECT_GE(server.connections(), 5u);  // the server did close each kept-alive connection
}

TEST_F(client_limits, check_time_limit_cuts_the_request_in_flight) {
  BrokenServer server(BrokenServer::dripping(500ms));
  std::string contract = "contracts:\n  - name: c\n    steps:\n";
  for (int i = 0; i < 3; ++i) {
    contract += "      - {name: s" + std::to_string(i) + ", request: {method: GET, path: /api/auth/user}}\n";
  }
  const Timed t = run("check", {"--target", server.url(), "--timeout", "60", "--time-limit", "2",
                                scratch_.write("c.yaml", contract)});
  expect_a_report(t, 15);
  EXPECT_EQ(1, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "s0 (not run to the end: cut at --time-limit)")) << t.result.out;
  EXPECT_TRUE(has(t.result.out, "s2 (not run: --time-limit reached)")) << t.result.out;
  EXPECT_TRUE(has(t.result.err, "pbxmock check: stopped at --time-limit")) << t.result.err;
}

std::vector<std::string> fuzz_args(const BrokenServer& server, std::vector<std::string> more) {
  std::vector<std::string> args = {"--target", server.url(), "--seed", "1", "--workers", "1"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST_F(client_limits, fuzz_gives_up_on_a_dripping_server_at_its_timeout) {
  BrokenServer server(BrokenServer::dripping(500ms));
  const Timed t = run("fuzz", fuzz_args(server, {"--timeout", "2", "--operation", "getUserAuthInfo", "--max-examples", "1",
                                                 "--no-links"}));
  // A probe, one case and its confirmation: three answers that each never come.
  expect_a_report(t, 25);
  EXPECT_EQ(1, t.result.exit_code) << t.result.out << t.result.err;
  EXPECT_TRUE(has(t.result.out, "within 2000 ms (timeout)")) << t.result.out;
  EXPECT_TRUE(has(t.result.out, " passed, 1 failed\n")) << t.result.out;
}

TEST_F(client_limits, fuzz_time_limit_cuts_the_request_in_flight) {
  BrokenServer server(BrokenServer::dripping(500ms));
  const Timed t = run("fuzz", fuzz_args(server, {"--timeout", "60", "--time-limit", "2", "--operation", "getUserAuthInfo",
                                                 "--max-examples", "5"}));
  expect_a_report(t, 15);
  EXPECT_TRUE(has(t.result.out, "  stopped at --time-limit\n")) << t.result.out;
  // Nothing was answered: a cut request is no failure of the server.
  EXPECT_TRUE(has(t.result.out, "\n0 passed, 0 failed\n")) << t.result.out;
}

TEST_F(client_limits, fuzz_survives_a_413_sent_early_and_takes_it_as_the_answer) {
  BrokenServer server(BrokenServer::early_413(64 << 10));
  // A case with a body over a megabyte, as the fuzzer's over_limit mutation sends, replayed so
  // that it is sent whatever the generators draw.
  const std::string body(1u << 21, 'a');
  const std::string report = scratch_.write("report.json", R"({"failures": [{
      "operation": "signInWithCredentials", "check": "not_a_server_error", "status": 0,
      "case": {"operation": "signInWithCredentials", "steps": [{"operation": "signInWithCredentials",
        "intent": "negative", "method": "POST", "path": "/api/auth/sign_in", "encoding": "raw",
        "content_type": "application/json", "raw_body": ")" + body + R"("}]}}]})");
  const Timed replayed = run("fuzz", fuzz_args(server, {"--replay", report}));
  expect_a_report(replayed, 30);
  EXPECT_TRUE(has(replayed.result.out, "FIXED signInWithCredentials not_a_server_error (status 0)")) << replayed.result.out;

  // And a whole run: the server answers everything and hangs up, sometimes with the body unread.
  const Timed t = run("fuzz", fuzz_args(server, {"--operation", "signInWithCredentials", "--max-examples", "40"}));
  expect_a_report(t, 60);
  EXPECT_TRUE(has(t.result.out, " passed, ")) << t.result.out;
  EXPECT_FALSE(has(t.result.out, "not_a_server_error")) << t.result.out;
}

TEST_F(client_limits, fuzz_reports_no_false_failure_for_kept_alive_connections_the_server_closed) {
  BrokenServer server(BrokenServer::closes_kept_alive());
  const Timed t = run("fuzz", fuzz_args(server, {"--operation", "signOut", "--operation", "getUserAuthInfo",
                                                 "--max-examples", "20"}));
  expect_a_report(t, 60);
  EXPECT_TRUE(has(t.result.out, " passed, ")) << t.result.out;
  // The server answers every request it reads; a status-0 failure would be the client's own.
  EXPECT_FALSE(has(t.result.out, "not_a_server_error")) << t.result.out;
  EXPECT_FALSE(has(t.result.out, "(status 0")) << t.result.out;
  EXPECT_GE(server.connections(), 20u);
}

TEST_F(client_limits, fuzz_reports_a_failure_only_if_its_shrunk_case_fails_again_the_same_way) {
  // Answers 500 once, to the first request for auth/user, and 200 {} to everything else.
  std::atomic<int> user_requests{0};
  BrokenServer server([&user_requests](int fd, const std::atomic<bool>& stopping) {
    for (std::string head; !(head = pbxmock::test::read_head(fd, stopping)).empty();) {
      const bool once = head.find(" /api/auth/user") != std::string::npos && user_requests++ == 0;
      const std::string status = once ? "500 Internal Server Error" : "200 OK";
      if (!pbxmock::test::send_all(fd, "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")) {
        return;
      }
    }
  });
  const Timed t = run("fuzz", fuzz_args(server, {"--operation", "getUserAuthInfo", "--max-examples", "5", "--no-links"}));
  expect_a_report(t, 60);
  EXPECT_GE(user_requests.load(), 6);  // the five cases and the one sent again
  EXPECT_FALSE(has(t.result.out, "FAIL getUserAuthInfo not_a_server_error")) << t.result.out;
  EXPECT_TRUE(has(t.result.out, "  skipped: getUserAuthInfo not_a_server_error (status 500): seen 1x, but not when the "
                                "shrunk case was sent again; not reported\n"))
      << t.result.out;
  // What does fail every time is still reported.
  EXPECT_TRUE(has(t.result.out, "FAIL getUserAuthInfo response_schema_conformance (status 200")) << t.result.out;
}

}  // namespace
