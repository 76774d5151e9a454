// What a server on a developer's machine or in CI must survive: idle and slow connections
// (they must not starve new clients), bodies over the limit, a shower of random bytes; and
// `--spec` with the vendor's full document (its other operations answered from the
// document after validation, ours unchanged).
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_http.h"
#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const json kAlice = {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}};

TEST(server_robustness, idle_and_slow_connections_do_not_starve_a_new_client) {
  ServerProcess server(PBXMOCK_BINARY);
  std::vector<RawConnection> idle;
  // 100 that never send a byte, 100 that send one request and keep the connection open.
  for (int i = 0; i < 200; ++i) {
    auto connection = RawConnection::open(server.address(), server.port());
    ASSERT_TRUE(connection) << i;
    if (i % 2 == 1) {
      ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      const auto answer = connection->read_response(5s);
      ASSERT_TRUE(answer) << i;
      ASSERT_EQ(200, answer->status);
    }
    idle.push_back(std::move(*connection));
  }
  // One client dribbling a request a byte a second.
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    auto slow = RawConnection::open(server.address(), server.port());
    const std::string request = "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n";
    for (std::size_t i = 0; slow && i < request.size() && !stop; ++i) {
      slow->send(request.substr(i, 1));
      for (int t = 0; t < 10 && !stop; ++t) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1500ms);  // let the dribbler get going

  const auto start = std::chrono::steady_clock::now();
  httplib::Client fresh(server.address(), server.port());
  fresh.set_connection_timeout(2, 0);
  fresh.set_read_timeout(2, 0);
  auto answer = fresh.Get("/api/info");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  stop = true;
  dribbler.join();
  ASSERT_TRUE(answer);
  EXPECT_EQ(200, answer->status);
  // A correctness bound (no starvation), not a benchmark: a starved pool answers after the
  // 5 s timeouts, if at all.
  EXPECT_LT(elapsed, 1s);
}

TEST(server_robustness, body_over_the_limit_is_413_in_the_vendor_shape) {
  ServerProcess server(PBXMOCK_BINARY);
  auto connection = RawConnection::open(server.address(), server.port());
  ASSERT_TRUE(connection);
  const std::size_t size = 2u << 20;
  ASSERT_TRUE(connection->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: " + std::to_string(size) + "\r\n\r\n"));
  ASSERT_TRUE(connection->send(std::string(size, ' ')));
  const auto answer = connection->read_response(10s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(413, answer->status);
  const json body = json::parse(answer->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << answer->body;
  EXPECT_EQ("PAYLOAD_TOO_LARGE", body["errors"][0]["code"]);
  EXPECT_EQ(1 << 20, body["errors"][0]["detail"]["limit"]);

  // --max-body moves the limit.
  ServerProcess small(PBXMOCK_BINARY, {{"--max-body", "64"}});
  auto client = client_for(small);
  auto refused = client->Post("/api/auth/sign_in", std::string(65, ' '), "application/json");
  EXPECT_EQ(413, refused->status);
  EXPECT_EQ("PAYLOAD_TOO_LARGE", error_code(refused));
}

// Requests sent back to back before any answer (HTTP/1.1 pipelining) are each answered, in
// order, on the same connection: bytes read past the first request are kept for the next.
TEST(server_robustness, pipelined_requests_are_answered_in_order) {
  ServerProcess server(PBXMOCK_BINARY);
  auto connection = RawConnection::open(server.address(), server.port());
  ASSERT_TRUE(connection);
  const std::string body = kAlice.dump();
  ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"
                               "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body +
                               "GET /api/nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  const auto info = connection->read_response(5s);
  const auto sign_in = connection->read_response(5s);
  const auto missing = connection->read_response(5s);
  ASSERT_TRUE(info && sign_in && missing);
  EXPECT_EQ(200, info->status);
  EXPECT_TRUE(json::parse(info->body, nullptr, false).contains("web_domain")) << info->body;
  EXPECT_EQ(200, sign_in->status);
  EXPECT_TRUE(json::parse(sign_in->body, nullptr, false).contains("access_token")) << sign_in->body;
  EXPECT_EQ(404, missing->status);
}

// A body on a method that usually has none (GET) is still part of the message: it is skipped,
// and the next request on the connection is answered as itself.
TEST(server_robustness, a_get_with_a_body_does_not_spill_into_the_next_request) {
  ServerProcess server(PBXMOCK_BINARY);
  auto connection = RawConnection::open(server.address(), server.port());
  ASSERT_TRUE(connection);
  const std::string body = "GET /api/nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n";  // looks like a request, is a body
  ASSERT_TRUE(connection->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\n\r\n" + body + "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    const auto answer = connection->read_response(5s);
    ASSERT_TRUE(answer) << "answer " << i;
    EXPECT_EQ(200, answer->status) << "answer " << i;
  }
  // A chunked body there is read (de-chunked) like any other: the next request is answered
  // as the next request.
  auto chunked = RawConnection::open(server.address(), server.port());
  ASSERT_TRUE(chunked);
  ASSERT_TRUE(chunked->send("GET /api/info HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "1d\r\nGET /api/nowhere HTTP/1.1\r\n\r\n\r\n0\r\n\r\n"
                            "GET /api/info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    const auto answer = chunked->read_response(5s);
    ASSERT_TRUE(answer) << "chunked answer " << i;
    EXPECT_EQ(200, answer->status) << "chunked answer " << i;
  }
  EXPECT_EQ(RawConnection::End::closed, chunked->read_until_end(5s).end);
}

// A client that sends "Expect: 100-continue" waits for the interim answer before the body:
// the server must send it out before it waits for the body, not with the final answer.
TEST(server_robustness, expect_100_continue_gets_the_interim_answer_before_the_body_is_sent) {
  ServerProcess server(PBXMOCK_BINARY);
  auto connection = RawConnection::open(server.address(), server.port());
  ASSERT_TRUE(connection);
  const std::string body = kAlice.dump();
  ASSERT_TRUE(connection->send("POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  const auto interim = connection->read_response(5s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(100, interim->status);
  ASSERT_TRUE(connection->send(body));
  const auto answer = connection->read_response(5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(200, answer->status);
  EXPECT_TRUE(json::parse(answer->body, nullptr, false).contains("access_token")) << answer->body;
}

TEST(server_robustness, request_line_and_header_over_httplibs_limits_are_refused_in_the_vendor_shape) {
  ServerProcess server(PBXMOCK_BINARY);
  const auto long_uri = RawHttp::request(server.address(), server.port(), "GET", "/api/info?x=" + std::string(9000, 'a'),
                                         {}, "", 5s);
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(414, long_uri->status);
  EXPECT_NE(std::string::npos, long_uri->body.find("URI_TOO_LONG"));
  const auto long_header = RawHttp::request(server.address(), server.port(), "GET", "/api/info",
                                            {{"X-Long", std::string(9000, 'b')}}, "", 5s);
  ASSERT_TRUE(long_header);
  EXPECT_EQ(400, long_header->status);
  EXPECT_NE(std::string::npos, long_header->body.find("VALIDATE_FAILED"));
}

// Random bytes, and valid requests with random bytes spliced in (to get past the request
// line), each on its own connection.
std::string random_request(std::mt19937& rng) {
  static const std::string templates[] = {
      "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n"
      "{\"username\":\"alice\"}",
      "OPTIONS /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\n\r\n",
      "GET /__admin/requests?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "POST /api/auth/refresh_token HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
  };
  std::uniform_int_distribution<int> byte(0, 255);
  std::string text;
  if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
    const int length = std::uniform_int_distribution<int>(0, 300)(rng);
    for (int i = 0; i < length; ++i) text += static_cast<char>(byte(rng));
    return text;
  }
  text = templates[std::uniform_int_distribution<std::size_t>(0, std::size(templates) - 1)(rng)];
  const int edits = std::uniform_int_distribution<int>(1, 8)(rng);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0: text[at] = static_cast<char>(byte(rng)); break;
      case 1: text.insert(at, 1, static_cast<char>(byte(rng))); break;
      default: text.erase(at, 1); break;
    }
  }
  return text;
}

TEST(server_robustness, ten_thousand_random_requests_leave_the_server_answering) {
  ServerProcess server(PBXMOCK_BINARY, {{"--quiet"}});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2500;
  std::atomic<int> sent{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(20251127u + static_cast<unsigned>(t));
      for (int i = 0; i < kPerThread; ++i) {
        auto connection = RawConnection::open(server.address(), server.port());
        if (!connection) continue;
        connection->send(random_request(rng));
        // End the request: the server sees the end of input instead of waiting out its timeout.
        ::shutdown(connection->fd(), SHUT_WR);
        connection->read_until_end(5s);
        ++sent;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(kThreads * kPerThread, sent.load());
  auto client = client_for(server);
  auto health = client->Get("/__admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(200, health->status);
  EXPECT_EQ(200, post_json(*client, "/api/auth/sign_in", kAlice)->status);
  EXPECT_EQ(0, server.stop());
}

std::string vendor_spec_path() {
  const char* shared = std::getenv("PBXMOCK_SHARED_DIR");
  return std::string(shared ? shared : "") + "/portsip/openapi-22.0.json";
}

class ServerWithVendorSpec : public ::testing::Test {
 protected:
  void SetUp() override {
    // Never skipped: the vendor's document is part of the test set-up.
    ASSERT_TRUE(std::ifstream(vendor_spec_path()).good()) << vendor_spec_path() << " is missing (PBXMOCK_SHARED_DIR)";
    server_ = std::make_unique<ServerProcess>(PBXMOCK_BINARY, ServeOptions{{"--spec", vendor_spec_path()}});
    client_ = client_for(*server_);
    const json tokens = json_of(post_json(*client_, "/api/auth/sign_in", kAlice));
    ASSERT_TRUE(tokens.contains("access_token")) << tokens;
    token_ = tokens["access_token"];
  }
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_;
};

TEST_F(ServerWithVendorSpec, another_operation_answers_from_the_document_after_validation) {
  auto answer = client_->Get("/api/tenants?top=5", bearer(token_));
  ASSERT_TRUE(answer);
  ASSERT_EQ(200, answer->status) << answer->body;
  const json body = json_of(answer);
  EXPECT_EQ(100, body["count"]);  // the schema's example
  ASSERT_TRUE(body["items"].is_array());
  ASSERT_FALSE(body["items"].empty());
  EXPECT_EQ("NzAwNTUxOTA5NzczMTQ4MTYw", body["items"][0]["id"]);
  EXPECT_EQ("listTenants", json_of(client_->Get("/__admin/requests?limit=1"))["requests"][0]["operation_id"]);
}

TEST_F(ServerWithVendorSpec, another_operation_validates_the_request_and_the_token) {
  auto too_many = client_->Get("/api/tenants?top=500", bearer(token_));
  ASSERT_TRUE(too_many);
  EXPECT_EQ(400, too_many->status);
  const json detail = json_of(too_many)["errors"][0]["detail"];
  EXPECT_EQ("top", detail["field"]);
  EXPECT_EQ("maximum", detail["rule"]);
  EXPECT_EQ(401, client_->Get("/api/tenants")->status);
  EXPECT_EQ(401, client_->Get("/api/tenants", bearer(std::string(48, 'Z')))->status);
  EXPECT_EQ(405, client_->Patch("/api/tenants", "{}", "application/json")->status);
}

TEST_F(ServerWithVendorSpec, our_operations_keep_their_behaviour) {
  auto user = client_->Get("/api/auth/user", bearer(token_));
  EXPECT_EQ(200, user->status);
  EXPECT_EQ("Admin", json_of(user)["role"]);
  EXPECT_EQ("pbx.example.com", json_of(client_->Get("/api/info"))["web_domain"]);
  auto wrong = post_json(*client_, "/api/auth/sign_in", {{"username", "alice"}, {"password", "no"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(400, wrong->status);
  EXPECT_EQ("UNAUTHORIZED", error_code(wrong));
  EXPECT_EQ(404, client_->Get("/api/no/such/thing", bearer(token_))->status);
}

}  // namespace
}  // namespace pbxmock::test
