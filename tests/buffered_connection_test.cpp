// The in-memory connection the server fuzzer drives (mock/http/buffered_connection.h): it
// must serve bytes as a socket's connection is served, or the fuzzer tests something else.
// Checked on its own (pipelining, refusals, 100 Continue, faults, the keep-alive cap) and
// against the same server listening on a socket for the same bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mock/http/buffered_connection.h"
#include "mock/http/faults.h"
#include "mock/http/server.h"
#include "support/raw_http.h"

namespace pbxmock::mock {
namespace {

using Exchange = BufferedConnection::Exchange;
using namespace std::chrono_literals;

constexpr std::string_view kInfo = "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

std::unique_ptr<MockServer> in_memory_server() {
  ServerOptions options;
  options.port = 0;
  options.quiet = true;
  auto server = MockServer::start_in_memory(options);
  EXPECT_TRUE(server) << (server ? "" : server.error());
  return server ? std::move(server).value() : nullptr;
}

int status_of(const std::string& answer) {
  return answer.rfind("HTTP/1.1 ", 0) == 0 && answer.size() >= 12 ? std::stoi(answer.substr(9, 3)) : 0;
}

std::vector<Exchange> drain(BufferedConnection& connection) {
  std::vector<Exchange> exchanges;
  while (auto exchange = connection.next()) exchanges.push_back(std::move(*exchange));
  return exchanges;
}

// Loads a scenario with one rule through the admin API, on its own connection.
void load_scenario(MockServer& server, std::string_view yaml) {
  BufferedConnection admin = server.connect_in_memory();
  admin.receive("POST /__admin/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\nContent-Length: " +
                std::to_string(yaml.size()) + "\r\n\r\n" + std::string(yaml));
  const auto exchanges = drain(admin);
  ASSERT_EQ(exchanges.size(), 1u);
  ASSERT_EQ(status_of(exchanges[0].bytes), 200) << exchanges[0].bytes;
}

TEST(BufferedConnection, AnswersPipelinedRequestsInOrder) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(std::string(kInfo) + "GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + std::string(kInfo));
  const auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 3u);
  EXPECT_EQ(status_of(exchanges[0].bytes), 200);
  EXPECT_EQ(status_of(exchanges[1].bytes), 404);
  EXPECT_EQ(exchanges[1].target, "/api/nothing");
  EXPECT_EQ(status_of(exchanges[2].bytes), 200);
  for (const auto& exchange : exchanges) EXPECT_FALSE(exchange.close);
  EXPECT_FALSE(connection.closed());
}

TEST(BufferedConnection, RefusalIsAnsweredAndEndsTheConnection) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rb\r\n\r\n" + std::string(kInfo));
  const auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].kind, Exchange::Kind::refused);
  EXPECT_EQ(status_of(exchanges[0].bytes), 400) << exchanges[0].bytes;
  EXPECT_TRUE(exchanges[0].close);
  EXPECT_TRUE(connection.closed());
}

// Found by server_fuzzer (fuzz/corpus/server_fuzzer/refused_head): a HEAD refused for a
// malformed header line was answered with the error body after the head.
TEST(BufferedConnection, RefusedHeadRequestGetsTheHeadOnly) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive("HEAD /api/info HTTP/1.1\r\nHoOPTIONS st: 127.0.0.1\r\n\r\n");
  const auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].kind, Exchange::Kind::refused);
  EXPECT_EQ(status_of(exchanges[0].bytes), 400);
  const std::size_t head_end = exchanges[0].bytes.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(exchanges[0].bytes.size(), head_end + 4) << exchanges[0].bytes;
  EXPECT_NE(exchanges[0].bytes.find("Content-Length: "), std::string::npos);
}

TEST(BufferedConnection, SendsContinueOnlyWhileTheBodyIsAwaited) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(
      "POST /api/auth/sign_in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].kind, Exchange::Kind::interim);
  EXPECT_EQ(exchanges[0].bytes, kContinueAnswer);
  connection.receive("{}");
  exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].kind, Exchange::Kind::answered);
  EXPECT_EQ(status_of(exchanges[0].bytes), 400) << exchanges[0].bytes;
}

TEST(BufferedConnection, FaultEndsTheConnectionWithWhatTheFaultSends) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  load_scenario(*server, "name: broken\nrules:\n  - match: {path: /api/info}\n    fault: malformed_chunk\n");
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(std::string(kInfo) + std::string(kInfo));
  const auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  ASSERT_TRUE(exchanges[0].fault);
  EXPECT_EQ(*exchanges[0].fault, Fault::malformed_chunk);
  EXPECT_EQ(exchanges[0].bytes, fault_bytes(Fault::malformed_chunk));
  EXPECT_TRUE(exchanges[0].close);
  EXPECT_TRUE(connection.closed());
}

TEST(BufferedConnection, DelayRuleIsNotWaitedInMemory) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  load_scenario(*server, "name: slow\nrules:\n  - match: {path: /api/info}\n    delay: {fixed_ms: 60000}\n");
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(kInfo);
  const auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);  // a sleep of a minute would have ended this test by its timeout
  EXPECT_EQ(status_of(exchanges[0].bytes), 200);
}

TEST(BufferedConnection, TakesBytesFirstOnlyBetweenRequests) {
  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive("GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /api/in");
  auto exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_FALSE(connection.receive_first(kInfo));  // the second request is half read
  connection.receive("fo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_FALSE(connection.receive_first(kInfo));  // still: its head has not been read to the end
  exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].target, "/api/info");
  ASSERT_TRUE(connection.receive_first("GET /api/missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  exchanges = drain(connection);
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].target, "/api/missing");
}

// The same bytes to the same server, once on a socket through the epoll loop and once in
// memory: the same answers, in the same order, and the same end of the connection.
TEST(BufferedConnection, AnswersAsTheSocketServerDoes) {
  const std::string bytes =
      std::string(kInfo) +
      "POST /api/auth/sign_in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
      "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc"
      "DELETE /__admin/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";

  ServerOptions options;
  options.port = 0;
  options.quiet = true;
  auto started = MockServer::start(options);
  ASSERT_TRUE(started) << started.error();
  std::unique_ptr<MockServer> listening = std::move(started).value();
  std::thread serving([&] { listening->run(); });
  std::vector<int> on_socket;
  bool socket_closed = false;
  {
    auto connection = test::RawConnection::open("127.0.0.1", listening->port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(bytes));
    while (auto response = connection->read_response(5s)) on_socket.push_back(response->status);
    socket_closed = connection->read_until_end(2s).end != test::RawConnection::End::timeout;
  }
  listening->stop();
  serving.join();

  auto server = in_memory_server();
  ASSERT_TRUE(server);
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(bytes);
  std::vector<int> in_memory;
  for (const auto& exchange : drain(connection)) in_memory.push_back(status_of(exchange.bytes));

  EXPECT_EQ(in_memory, on_socket);
  EXPECT_EQ(in_memory, (std::vector<int>{200, 400, 200, 200, 400}));
  EXPECT_EQ(connection.closed(), socket_closed);
}

}  // namespace
}  // namespace pbxmock::mock
