// Hostile clients against the whole server (issue 9: findings 1, 5, 6, 7, 11b and the stop):
// compressed and endless bodies, header floods, slow-loris connections, ambiguous framing,
// pages from other origins and rebinding host names, and a stop with all of that going on.
// The server runs under an address-space limit (not under ASan, which reserves terabytes),
// so a limit that does not hold fails the test instead of taking the machine down; each
// test also reads the server's peak resident size.
#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/limited_server.h"
#include "support/raw_http.h"
#include "support/scenario_server.h"
#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr long kMiB = 1 << 20;
// Well under the ~1 GB the attacks reached before the fix, well over a healthy server (13 MB).
#ifdef PBXMOCK_ASAN
// Under ASan an idle server is already some 100 MB (the binary, shadow memory), and freed
// memory waits in quarantine: a looser bound, still half what a runaway reached.
constexpr long kMaxResidentKiB = 512 * 1024;
#else
constexpr long kMaxResidentKiB = 100 * 1024;
#endif

bool readable(const RawConnection& connection) {
  pollfd entry{connection.fd(), POLLIN, 0};
  return ::poll(&entry, 1, 0) > 0;
}

// Sends `head`, then `piece` again and again until the server answers or closes, or
// `budget` bytes went out; returns how many bytes of pieces were sent.
long flood(RawConnection& connection, const std::string& head, const std::string& piece, long budget) {
  if (!connection.send(head)) return 0;
  long sent = 0;
  while (sent < budget && !readable(connection)) {
    if (!connection.send(piece)) break;
    sent += static_cast<long>(piece.size());
  }
  return sent;
}

std::string detail_of(const RawResponse& answer, const char* name) {
  const json body = json::parse(answer.body, nullptr, false);
  if (!body.is_object() || !body.contains("errors")) return "";
  const json& detail = body["errors"][0]["detail"];
  return detail.is_object() && detail.contains(name) ? detail[name].get<std::string>() : "";
}

TEST(server_transport, a_compressed_body_is_415_and_never_decompressed) {
  LimitedServer server;
  std::string bomb(841, '\0');  // what it holds does not matter: it is never opened
  for (std::size_t i = 0; i < bomb.size(); ++i) bomb[i] = static_cast<char>(i * 31);
  for (const char* coding : {"br", "gzip", "deflate"}) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(std::string("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\n"
                                             "Content-Type: application/json\r\nContent-Encoding: ") +
                                 coding + "\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n\r\n" + bomb));
    const auto answer = connection->read_response(10s);
    ASSERT_TRUE(answer) << coding;
    EXPECT_EQ(415, answer->status) << coding;
    EXPECT_EQ("Content-Encoding", detail_of(*answer, "field")) << answer->body;
    EXPECT_EQ("unsupported", detail_of(*answer, "rule")) << answer->body;
  }
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_transport, an_endless_chunked_body_is_413_as_soon_as_it_passes_the_limit) {
  LimitedServer server;
  auto connection = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  const std::string piece = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";  // 64 KiB chunks
  const long sent = flood(*connection,
                          "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          piece, 300 * kMiB);
  const auto answer = connection->read_response(10s);
  ASSERT_TRUE(answer) << "sent " << sent;
  EXPECT_EQ(413, answer->status);
  EXPECT_LT(sent, 300 * kMiB) << "the server read the whole body before answering";
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_transport, a_header_flood_without_end_is_refused) {
  LimitedServer server;
  auto connection = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  std::string piece;
  for (int i = 0; i < 4096; ++i) piece += "a:b\r\n";
  const long sent = flood(*connection, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n", piece, 100 * kMiB);
  const auto answer = connection->read_response(10s);
  ASSERT_TRUE(answer) << "sent " << sent;
  EXPECT_EQ(431, answer->status);
  EXPECT_LT(sent, 100 * kMiB);
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_transport, a_request_line_without_newline_is_refused) {
  LimitedServer server;
  auto connection = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  const long sent = flood(*connection, "GET /", std::string(64 * 1024, 'a'), 100 * kMiB);
  const auto answer = connection->read_response(10s);
  ASSERT_TRUE(answer) << "sent " << sent;
  EXPECT_EQ(414, answer->status);
  EXPECT_LT(sent, 100 * kMiB);
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_transport, slow_loris_connections_do_not_keep_a_fresh_client_waiting) {
  LimitedServer server;
  std::vector<RawConnection> slow;
  // 300 that dribble a head that never ends, 100 idle after one request.
  for (int i = 0; i < 400; ++i) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection) << i;
    if (i < 300) {
      ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
    } else {
      ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      ASSERT_TRUE(connection->read_response(5s)) << i;
    }
    slow.push_back(std::move(*connection));
  }
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 300; ++i) slow[i].send("a");
    std::this_thread::sleep_for(200ms);
  }
  httplib::Client fresh(server->address(), server->port());
  fresh.set_connection_timeout(5, 0);
  fresh.set_read_timeout(5, 0);
  const auto answer = fresh.Get("/api/info");
  ASSERT_TRUE(answer);
  EXPECT_EQ(200, answer->status);
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_transport, differing_content_lengths_are_400_and_the_connection_closes) {
  LimitedServer server;
  auto connection = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}"));
  const auto answer = connection->read_response(5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(400, answer->status);
  EXPECT_EQ("Content-Length", detail_of(*answer, "field")) << answer->body;
  EXPECT_EQ(RawConnection::End::closed, connection->read_until_end(5s).end);

  auto both = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(both);
  ASSERT_TRUE(both->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  const auto refused = both->read_response(5s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(400, refused->status);
  EXPECT_EQ(RawConnection::End::closed, both->read_until_end(5s).end);
}

TEST(server_transport, a_page_from_another_origin_cannot_use_the_admin_api) {
  LimitedServer server;
  auto client = client_for(*server);
  const httplib::Headers evil{{"Origin", "http://evil.example"}};
  auto admin = client->Get("/__admin/requests", evil);
  ASSERT_TRUE(admin);
  EXPECT_NE(200, admin->status);
  EXPECT_FALSE(admin->has_header("Access-Control-Allow-Origin"));
  auto preflight = client->Options("/__admin/scenarios", {{"Origin", "http://evil.example"},
                                                          {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Methods"));

  // A loopback page may, and the API answers any origin, but without credentials.
  auto local = client->Get("/__admin/health", {{"Origin", "http://127.0.0.1:5173"}});
  ASSERT_TRUE(local);
  EXPECT_EQ(200, local->status);
  EXPECT_EQ("http://127.0.0.1:5173", local->get_header_value("Access-Control-Allow-Origin"));
  auto api = client->Get("/api/info", evil);
  ASSERT_TRUE(api);
  EXPECT_EQ("http://evil.example", api->get_header_value("Access-Control-Allow-Origin"));
  EXPECT_FALSE(api->has_header("Access-Control-Allow-Credentials"));

  // An upload a page could send without a preflight.
  auto plain = client->Post("/__admin/scenarios", "name: x\n", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(415, plain->status);
  EXPECT_EQ("UNSUPPORTED_MEDIA_TYPE", error_code(plain));
}

TEST(server_transport, cors_credentials_and_extra_origins_are_opt_in) {
  LimitedServer server({"--cors-credentials", "--cors-origin", "http://dev.example:3000"});
  auto client = client_for(*server);
  auto admin = client->Get("/__admin/health", {{"Origin", "http://dev.example:3000"}});
  ASSERT_TRUE(admin);
  EXPECT_EQ(200, admin->status);
  EXPECT_EQ("http://dev.example:3000", admin->get_header_value("Access-Control-Allow-Origin"));
  EXPECT_EQ("true", admin->get_header_value("Access-Control-Allow-Credentials"));
  auto other = client->Get("/__admin/health", {{"Origin", "http://dev.example:3001"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
}

std::optional<RawResponse> get_with_host(ServerProcess& server, const std::string& path, const std::string& host) {
  auto connection = RawConnection::open(server.address(), server.port());
  if (!connection || !connection->send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")) return std::nullopt;
  return connection->read_response(5s);
}

TEST(server_transport, a_rebinding_host_name_is_refused) {
  LimitedServer server;
  for (const char* path : {"/__admin/requests", "/api/info"}) {
    const auto answer = get_with_host(*server, path, "evil.example:80");
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(421, answer->status) << path;
    EXPECT_EQ("Host", detail_of(*answer, "field")) << answer->body;
  }
  for (const char* host : {"localhost", "127.0.0.1:1234", "[::1]:80"}) {
    const auto answer = get_with_host(*server, "/__admin/health", host);
    ASSERT_TRUE(answer) << host;
    EXPECT_EQ(200, answer->status) << host;
  }
}

TEST(server_transport, a_bare_cr_never_reaches_an_answer_header) {
  LimitedServer server;
  for (const char* header : {"Origin: http://a\rSet-Cookie: x=1", "Access-Control-Request-Headers: x\rSet-Cookie: x=1"}) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(std::string("OPTIONS /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\n"
                                             "Origin: http://localhost\r\nAccess-Control-Request-Method: POST\r\n") +
                                 header + "\r\n\r\n"));
    const auto received = connection->read_until_end(5s);
    EXPECT_EQ(std::string::npos, received.bytes.find("Set-Cookie")) << received.bytes;
    EXPECT_EQ(0u, received.bytes.rfind("HTTP/1.1 400", 0)) << received.bytes;
  }
}

TEST(server_transport, sigterm_stops_the_server_with_slow_clients_and_a_delay_running) {
  ScratchFolder folder;
  const std::string scenario = folder.write("slow.yaml", scenario_with_rules("slow_rule", R"(  - name: very-slow
    match: {headers: {X-Delay: long}}
    delay: {fixed_ms: 60000}
)"));
  LimitedServer server({"--scenario", scenario});
  std::vector<RawConnection> clients;
  for (int i = 0; i < 50; ++i) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection);
    connection->send(i % 2 ? "GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                           : "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"user");
    clients.push_back(std::move(*connection));
  }
  auto delayed = RawConnection::open(server->address(), server->port());
  ASSERT_TRUE(delayed);
  ASSERT_TRUE(delayed->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Delay: long\r\n\r\n"));
  std::this_thread::sleep_for(300ms);  // the delay is running
  // The issue's bar is 2 s; the bound here leaves room for a loaded machine.
  EXPECT_EQ(0, server->stop(std::chrono::seconds(4)));
}

}  // namespace
}  // namespace pbxmock::test
