// The client `check` and `fuzz` share, against servers that misbehave on purpose (each a
// BrokenServer on a free loopback port): it gives up at its deadline however slowly the bytes
// come, reads no answer past its size limit, takes an answer sent before the body as the
// answer, and does not report a kept-alive connection the server closed as a failure.
// Wall-clock bounds are generous (a sanitizer build is slow); what they catch never ends.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "contracts/early_answer.h"
#include "contracts/http_client.h"
#include "support/broken_server.h"

namespace pbxmock::contracts {
namespace {

using test::BrokenServer;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// pbxmock's main ignores SIGPIPE; a test program must too, or a server hanging up ends it.
const bool kSigpipeIgnored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

Target target_of(const BrokenServer& server) { return parse_target(server.url()).value(); }

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

TEST(http_client, a_dripping_answer_is_cut_at_one_deadline_for_the_whole_answer) {
  ASSERT_TRUE(kSigpipeIgnored);
  // A byte every 100 ms: every read succeeds long before a per-read timeout of a second.
  BrokenServer server(BrokenServer::dripping(100ms));
  HttpClient client(target_of(server));
  const auto started = Clock::now();
  auto answer = client.send({"GET", "/api/info", {}, {}}, 1000ms);
  ASSERT_FALSE(answer);
  EXPECT_EQ(TransportError::Kind::timeout, answer.error().kind) << answer.error().message;
  EXPECT_EQ("no complete answer from " + server.url() + " within 1000 ms (timeout)", answer.error().message);
  EXPECT_LT(seconds_since(started), 10.0);
}

TEST(http_client, an_endless_chunked_answer_is_too_large_at_the_limit) {
  BrokenServer server(BrokenServer::endless_chunked());
  HttpClient client(target_of(server), {true, 1u << 20, std::nullopt});
  auto answer = client.send({"GET", "/api/info", {}, {}}, 20'000ms);
  ASSERT_FALSE(answer);
  EXPECT_EQ(TransportError::Kind::too_large, answer.error().kind) << answer.error().message;
  EXPECT_EQ("the answer from " + server.url() + " is larger than 1048576 bytes (--max-answer-bytes); the rest was not read",
            answer.error().message);
}

TEST(http_client, an_endless_head_is_cut_by_size_long_before_the_deadline) {
  // cpp-httplib reads header lines without a limit: the watchdog counts what the socket took.
  BrokenServer server(BrokenServer::endless_head());
  HttpClient client(target_of(server), {true, 1u << 20, std::nullopt});
  const auto started = Clock::now();
  auto answer = client.send({"GET", "/api/info", {}, {}}, 120'000ms);
  ASSERT_FALSE(answer);
  EXPECT_EQ(TransportError::Kind::too_large, answer.error().kind) << answer.error().message;
  EXPECT_LT(seconds_since(started), 60.0);  // half the deadline: the cut was the size's
}

TEST(http_client, a_declared_length_over_the_limit_fails_before_the_body_is_read) {
  BrokenServer server(BrokenServer::declared_length(2ull << 30));
  HttpClient client(target_of(server), {true, 1u << 20, std::nullopt});
  auto answer = client.send({"GET", "/api/info", {}, {}}, 20'000ms);
  ASSERT_FALSE(answer);
  EXPECT_EQ(TransportError::Kind::too_large, answer.error().kind) << answer.error().message;
}

TEST(http_client, an_answer_of_exactly_the_limit_is_read_whole) {
  BrokenServer server([](int fd, const std::atomic<bool>& stopping) {
    if (test::read_head(fd, stopping).empty()) return;
    test::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'x'));
  });
  HttpClient client(target_of(server), {true, 4096, std::nullopt});
  auto answer = client.send({"GET", "/api/info", {}, {}}, 20'000ms);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(200, answer->status);
  EXPECT_EQ(std::string(4096, 'x'), answer->body);
}

TEST(http_client, after_an_answer_too_large_the_next_request_gets_its_own_answer) {
  // An answer over the limit, by its declared length or by its chunks, then "ok": if the client
  // kept the connection, the unread rest would be read as the next answer.
  BrokenServer server([](int fd, const std::atomic<bool>& stopping) {
    const std::string x(8192, 'x');
    for (std::string head; !(head = test::read_head(fd, stopping)).empty();) {
      const std::string answer =
          head.rfind("GET /length ", 0) == 0  ? "HTTP/1.1 200 OK\r\nContent-Length: 8192\r\n\r\n" + x
          : head.rfind("GET /chunks ", 0) == 0 ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n" + x +
                                                    "\r\n0\r\n\r\n"
                                              : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      if (!test::send_all(fd, answer)) return;
    }
  });
  HttpClient client(target_of(server), {true, 4096, std::nullopt});
  for (const char* path : {"/length", "/chunks"}) {
    auto refused = client.send({"GET", path, {}, {}}, 20'000ms);
    ASSERT_FALSE(refused) << path;
    EXPECT_EQ(TransportError::Kind::too_large, refused.error().kind) << refused.error().message;
    auto answer = client.send({"GET", "/small", {}, {}}, 20'000ms);
    ASSERT_TRUE(answer) << "after " << path << ": " << answer.error().message;
    EXPECT_EQ("ok", answer->body);
  }
}

TEST(http_client, a_413_sent_before_the_body_was_read_is_the_answer) {
  BrokenServer server(BrokenServer::early_413(64 << 10));
  HttpClient client(target_of(server));
  // Far more than the socket buffers hold: the server hangs up while the client is still writing.
  const std::string body(32u << 20, 'a');
  for (int i = 0; i < 2; ++i) {
    auto answer = client.send({"POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, body}, 20'000ms);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(413, answer->status);
    ASSERT_TRUE(answer->json) << answer->body;
    EXPECT_EQ("PAYLOAD_TOO_LARGE", answer->json->value("code", ""));
  }
}

TEST(http_client, a_large_body_to_a_server_that_reads_it_arrives_whole) {
  // The server answers with the length and a checksum of the body it read.
  BrokenServer server([](int fd, const std::atomic<bool>& stopping) {
    const std::string head = test::read_head(fd, stopping);
    const auto at = head.find("Content-Length: ");
    if (at == std::string::npos) return;
    std::size_t left = std::strtoull(head.c_str() + at + 16, nullptr, 10);
    unsigned long sum = 0;
    std::size_t total = 0;
    char buffer[65536];
    while (left > 0) {
      const ssize_t n = ::recv(fd, buffer, std::min(sizeof buffer, left), 0);
      if (n <= 0) return;
      for (ssize_t i = 0; i < n; ++i) sum = sum * 31 + static_cast<unsigned char>(buffer[i]);
      left -= static_cast<std::size_t>(n);
      total += static_cast<std::size_t>(n);
    }
    const std::string type = head.find("Content-Type: text/plain") != std::string::npos ? "text" : "other";
    const std::string text = std::to_string(total) + " " + std::to_string(sum) + " " + type;
    test::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(text.size()) + "\r\n\r\n" + text);
  });
  std::string body(1u << 20, ' ');
  unsigned long sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<char>('a' + i % 26);
    sum = sum * 31 + static_cast<unsigned char>(body[i]);
  }
  HttpClient client(target_of(server));
  auto answer = client.send({"PUT", "/upload", {}, body}, 20'000ms);
  ASSERT_TRUE(answer) << answer.error().message;
  // Without a Content-Type of its own, a body goes out as text/plain, large or small.
  EXPECT_EQ(std::to_string(body.size()) + " " + std::to_string(sum) + " text", answer->body);
}

TEST(http_client, a_kept_alive_connection_closed_before_an_answer_is_tried_again_on_a_fresh_one) {
  BrokenServer server(BrokenServer::closes_kept_alive());
  HttpClient client(target_of(server));
  for (int i = 0; i < 6; ++i) {
    // Small bodies, and large ones that meet the closed connection half way through.
    const std::string body = i % 2 == 0 ? "{}" : "[" + std::string(1u << 20, ' ') + "]";
    auto answer = client.send({"POST", "/api/auth/sign_out", {{"Content-Type", "application/json"}}, body}, 20'000ms);
    ASSERT_TRUE(answer) << "request " << i << ": " << answer.error().message;
    EXPECT_EQ(200, answer->status);
  }
  // Each request after the first met a connection the server had closed under it.
  EXPECT_GE(server.connections(), 6u);
}

TEST(http_client, the_run_s_end_cuts_a_request_in_flight_and_sends_no_more) {
  BrokenServer server(BrokenServer::dripping(100ms));
  HttpClient client(target_of(server), {true, kDefaultMaxAnswerBytes, Clock::now() + 500ms});
  const auto started = Clock::now();
  auto cut = client.send({"GET", "/api/info", {}, {}}, 60'000ms);
  ASSERT_FALSE(cut);
  EXPECT_EQ(TransportError::Kind::time_limit, cut.error().kind) << cut.error().message;
  EXPECT_LT(seconds_since(started), 10.0);
  const std::size_t connections = server.connections();
  auto after = client.send({"GET", "/api/info", {}, {}}, 60'000ms);
  ASSERT_FALSE(after);
  EXPECT_EQ(TransportError::Kind::time_limit, after.error().kind);
  EXPECT_EQ("not sent: the run's time limit (--time-limit) had passed", after.error().message);
  EXPECT_EQ(connections, server.connections());
}

TEST(early_answer, an_answer_with_a_length_is_complete_when_its_body_is) {
  Response answer;
  const std::string head = "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n";
  EXPECT_EQ(AnswerBytes::incomplete, parse_answer(head + "{\"a\":", false, answer));
  EXPECT_EQ(AnswerBytes::malformed, parse_answer(head + "{\"a\":", true, answer));
  ASSERT_EQ(AnswerBytes::complete, parse_answer(head + "{\"a\":\"bcd\"}", false, answer));
  EXPECT_EQ(413, answer.status);
  EXPECT_EQ("{\"a\":\"bcd\"}", answer.body);
  ASSERT_TRUE(answer.json);
  ASSERT_NE(nullptr, answer.header("content-type"));
  EXPECT_EQ("application/json", *answer.header("content-type"));
}

TEST(early_answer, a_chunked_answer_and_one_that_ends_at_the_close) {
  Response answer;
  const std::string chunked = "HTTP/1.1 413 Too Large\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n";
  EXPECT_EQ(AnswerBytes::incomplete, parse_answer(chunked, false, answer));
  ASSERT_EQ(AnswerBytes::complete, parse_answer(chunked + "0\r\n\r\n", false, answer));
  EXPECT_EQ("abcde", answer.body);
  const std::string open_ended = "HTTP/1.0 413 Too Large\r\nServer: x\r\n\r\nno length";
  EXPECT_EQ(AnswerBytes::incomplete, parse_answer(open_ended, false, answer));
  ASSERT_EQ(AnswerBytes::complete, parse_answer(open_ended, true, answer));
  EXPECT_EQ("no length", answer.body);
}

TEST(early_answer, bytes_that_are_not_an_answer_are_malformed) {
  Response answer;
  EXPECT_EQ(AnswerBytes::malformed, parse_answer("SSH-2.0-OpenSSH_9.2\r\n\r\n", false, answer));
  EXPECT_EQ(AnswerBytes::malformed, parse_answer("HTTP/1.1 4x3 No\r\n\r\n", false, answer));
  EXPECT_EQ(AnswerBytes::malformed, parse_answer("HTTP/1.1 413 No\r\nno colon here\r\n\r\n", false, answer));
  EXPECT_EQ(AnswerBytes::malformed, parse_answer("HTTP/1.1 413 No\r\nContent-Length: ten\r\n\r\n", false, answer));
  EXPECT_EQ(AnswerBytes::malformed, parse_answer("HTTP/1.1 413 No\r\n", true, answer));
}

}  // namespace
}  // namespace pbxmock::contracts
