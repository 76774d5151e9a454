// Hostile clients against the whole server over HTTPS (issue 9, findings 5, 6, 1, 11b and the
// stop, on TLS connections): the same limits and deadlines hold as over plain HTTP because
// TLS connections go through the same epoll loop. Slow-loris and idle TLS clients, clients
// that never finish the handshake, header floods, endless chunked bodies, ambiguous framing,
// a rule's faults on a TLS connection, and SIGTERM while a rule's delay holds an answer.
// The server runs under an address-space limit (support/limited_server.h).
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/limited_server.h"
#include "support/raw_http.h"
#include "support/server_client.h"
#include "support/server_process.h"
#include "support/tls_connection.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr long kMiB = 1 << 20;
#ifdef PBXMOCK_ASAN
// ASan holds freed memory in quarantine (256 MiB by default) and TLS allocates and frees a
// lot: the tight bound is for builds without it; this one still catches a runaway.
constexpr long kMaxResidentKiB = 1024 * 1024;
#else
constexpr long kMaxResidentKiB = 100 * 1024;
#endif
// httplib's own TLS server, used before, held a thread per connection up to 256: more
// slow clients than that kept everyone else waiting.
constexpr int kPastTheOldThreadCap = 300;

// One certificate for the whole program (making one takes a moment).
const std::pair<std::string, std::string>& certificate() {
  static ScratchFolder folder;
  static const auto made = make_certificate(folder.path());
  return made;
}

std::vector<std::string> tls_args(std::vector<std::string> more = {}) {
  std::vector<std::string> args{"--tls-cert", certificate().first, "--tls-key", certificate().second};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::unique_ptr<httplib::SSLClient> tls_client_for(const ServerProcess& server) {
  auto client = std::make_unique<httplib::SSLClient>(server.address(), server.port());
  client->enable_server_certificate_verification(false);  // self-signed
  client->set_connection_timeout(5, 0);
  client->set_read_timeout(5, 0);
  client->set_write_timeout(5, 0);
  return client;
}

// Sends `head`, then `piece` again and again until the server answers or closes, or
// `budget` bytes went out; returns how many bytes of pieces were sent.
long flood(TlsConnection& connection, const std::string& head, const std::string& piece, long budget) {
  if (!connection.send(head)) return 0;
  long sent = 0;
  while (sent < budget && !connection.answered()) {
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

TEST(server_tls_transport, slow_loris_and_idle_tls_clients_do_not_keep_a_fresh_client_waiting) {
  LimitedServer server(tls_args());
  std::vector<TlsConnection> held;
  // Past the old thread cap: dribbling a head that never ends; then idle after one request.
  for (int i = 0; i < kPastTheOldThreadCap + 100; ++i) {
    auto connection = TlsConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection) << i;
    if (i < kPastTheOldThreadCap) {
      ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
    } else {
      ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      ASSERT_TRUE(connection->read_response(5s)) << i;
    }
    held.push_back(std::move(*connection));
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kPastTheOldThreadCap; ++i) held[i].send("a");
    std::this_thread::sleep_for(200ms);
  }
  auto fresh = tls_client_for(*server);
  const auto answer = fresh->Get("/api/info");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(200, answer->status);
  EXPECT_LT(server.status_field("Threads:"), 64);  // not a thread per connection
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
}

TEST(server_tls_transport, a_handshake_that_never_ends_holds_no_thread_and_is_cut_at_its_deadline) {
  LimitedServer server(tls_args());
  const std::string hello = client_hello();
  ASSERT_GT(hello.size(), 100u);
  std::vector<RawConnection> stalled;
  // Half of them send nothing at all, half of them half a ClientHello.
  for (int i = 0; i < kPastTheOldThreadCap; ++i) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection) << i;
    if (i % 2) {
      ASSERT_TRUE(connection->send(std::string_view(hello).substr(0, hello.size() / 2)));
    }
    stalled.push_back(std::move(*connection));
  }
  auto fresh = tls_client_for(*server);
  const auto answer = fresh->Get("/api/info");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(200, answer->status);
  // Stalled handshakes are the loop's, not the workers': a few threads, not one each.
  EXPECT_LT(server.status_field("Threads:"), 64);
  EXPECT_LT(server.peak_resident_kib(), kMaxResidentKiB);
  // The handshake deadline is 10 s; each stalled connection is closed by then.
  const auto until = std::chrono::steady_clock::now() + 15s;
  for (std::size_t i = 0; i < stalled.size(); ++i) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    const auto received = stalled[i].read_until_end(std::max(left, 1ms));
    ASSERT_NE(RawConnection::End::timeout, received.end) << "connection " << i << " still open";
    EXPECT_TRUE(received.bytes.empty() || i % 2) << i;  // no answer to a client that said nothing
  }
  EXPECT_EQ(200, fresh->Get("/api/info")->status);
}

TEST(server_tls_transport, a_header_flood_over_tls_is_431) {
  LimitedServer server(tls_args());
  auto connection = TlsConnection::open(server->address(), server->port());
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

TEST(server_tls_transport, an_endless_chunked_body_over_tls_is_413_as_soon_as_it_passes_the_limit) {
  LimitedServer server(tls_args());
  auto connection = TlsConnection::open(server->address(), server->port());
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

TEST(server_tls_transport, differing_content_lengths_over_tls_are_400_and_the_connection_closes) {
  LimitedServer server(tls_args());
  auto connection = TlsConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}"));
  const auto answer = connection->read_response(5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(400, answer->status);
  EXPECT_EQ("Content-Length", detail_of(*answer, "field")) << answer->body;
  EXPECT_EQ(RawConnection::End::closed, connection->read_until_end(5s).end);
}

TEST(server_tls_transport, keep_alive_and_pipelined_requests_are_answered_in_order) {
  LimitedServer server(tls_args());
  auto connection = TlsConnection::open(server->address(), server->port());
  ASSERT_TRUE(connection);
  const std::string body = R"({"username":"alice","password":"wrong","domain":"pbx.example.com"})";
  ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"
                               "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body +
                               "GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  const auto info = connection->read_response(5s);
  const auto sign_in = connection->read_response(5s);
  const auto health = connection->read_response(5s);
  ASSERT_TRUE(info && sign_in && health);
  EXPECT_EQ(200, info->status);
  EXPECT_NE(std::string::npos, info->body.find("web_domain")) << info->body;
  EXPECT_EQ(400, sign_in->status) << sign_in->body;
  EXPECT_EQ(200, health->status);
}

const char* const kFaultsAndDelay = R"(name: tls_rules
tenants:
  - name: Example Corp
    domain: pbx.example.com
    users:
      - {username: alice, password: alice-secret, role: Admin, email: alice@example.com}
rules:
  - name: reset
    match: {headers: {X-Fault: reset}}
    fault: connection_reset
  - name: empty
    match: {headers: {X-Fault: empty}}
    fault: empty_response
  - name: chunk
    match: {headers: {X-Fault: chunk}}
    fault: malformed_chunk
  - name: very-slow
    match: {headers: {X-Delay: long}}
    delay: {fixed_ms: 60000}
)";

RawConnection::Received tls_get_with(ServerProcess& server, const std::string& header) {
  auto connection = TlsConnection::open(server.address(), server.port());
  EXPECT_TRUE(connection);
  if (!connection) return {};
  EXPECT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n\r\n"));
  return connection->read_until_end(5s);
}

TEST(server_tls_transport, a_rules_faults_break_a_tls_connection) {
  ScratchFolder folder;
  LimitedServer server(tls_args({"--scenario", folder.write("rules.yaml", kFaultsAndDelay)}));
  const auto reset = tls_get_with(*server, "X-Fault: reset");
  EXPECT_EQ(RawConnection::End::reset, reset.end) << "errno " << reset.error_number;
  EXPECT_TRUE(reset.bytes.empty());

  const auto empty = tls_get_with(*server, "X-Fault: empty");
  EXPECT_EQ(RawConnection::End::closed, empty.end) << "errno " << empty.error_number;
  EXPECT_TRUE(empty.bytes.empty());

  // The broken chunk is written through TLS: the client reads it as HTTP, not as a TLS error.
  const auto chunk = tls_get_with(*server, "X-Fault: chunk");
  EXPECT_EQ(0u, chunk.bytes.rfind("HTTP/1.1 200 OK\r\n", 0)) << chunk.bytes;
  EXPECT_NE(std::string::npos, chunk.bytes.find("zz-not-a-size")) << chunk.bytes;
  EXPECT_NE(RawConnection::End::timeout, chunk.end);

  auto client = tls_client_for(*server);
  EXPECT_FALSE(client->Get("/api/info", {{"X-Fault", "chunk"}}));
  const auto after = client->Get("/api/info");
  ASSERT_TRUE(after);
  EXPECT_EQ(200, after->status);
}

TEST(server_tls_transport, sigterm_stops_the_server_while_a_rules_delay_holds_a_tls_answer) {
  ScratchFolder folder;
  LimitedServer server(tls_args({"--scenario", folder.write("rules.yaml", kFaultsAndDelay)}));
  std::vector<TlsConnection> clients;
  for (int i = 0; i < 20; ++i) {
    auto connection = TlsConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection);
    connection->send(i % 2 ? "GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                           : "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"user");
    clients.push_back(std::move(*connection));
  }
  std::vector<RawConnection> handshaking;
  for (int i = 0; i < 20; ++i) {
    auto connection = RawConnection::open(server->address(), server->port());
    ASSERT_TRUE(connection);
    handshaking.push_back(std::move(*connection));
  }
  auto delayed = TlsConnection::open(server->address(), server->port());
  ASSERT_TRUE(delayed);
  ASSERT_TRUE(delayed->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Delay: long\r\n\r\n"));
  std::this_thread::sleep_for(300ms);  // the delay is running
  const auto start = std::chrono::steady_clock::now();
  // The issue's bar is 2 s; the bound here leaves room for a loaded machine.
  EXPECT_EQ(0, server->stop(4s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(server_tls_transport, a_key_that_is_not_the_certificates_is_refused_with_openssls_reason) {
  ScratchFolder folder;
  const auto other = make_certificate(folder.path());
  try {
    ServerProcess server(PBXMOCK_BINARY, {{"--tls-cert", certificate().first, "--tls-key", other.second}});
    ADD_FAILURE() << "the server started";
  } catch (const std::runtime_error& error) {
    const std::string said = error.what();
    EXPECT_NE(std::string::npos, said.find("cannot use the TLS certificate " + certificate().first)) << said;
    EXPECT_NE(std::string::npos, said.find("key values mismatch")) << said;
  }
}

}  // namespace
}  // namespace pbxmock::test
