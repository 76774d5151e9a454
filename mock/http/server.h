#pragma once
// `pbxmock serve` without the command line. start() loads the scenario (and the --spec
// document), binds the socket and returns; run() serves until stop(), which may be called
// from any thread (a signal-handling one, say).
//
// - HTTP and HTTPS are served by an epoll loop (mock/http/connection_loop.h) with limits on
//   every byte it holds (request line and header lines 8 KiB, 100 header lines, 64 KiB of
//   head, the body limit after de-chunking) and deadlines for the TLS handshake (10 s), the
//   whole head (10 s) and body (30 s); slow or idle clients hold no thread;
// - TCP_NODELAY (without it the delayed-ACK dance caps loopback at ~300 requests a second);
// - keep-alive for up to 10,000 requests a connection, closed after 5 s idle;
// - TLS with OpenSSL directly (mock/http/tls_transport.h), TLS 1.2 at least;
// - a listen backlog of 1024, and the open-file limit raised to what the connection cap needs;
// - SO_REUSEADDR without SO_REUSEPORT (with it a second mock could bind the same port and
//   silently take half the connections).
// Before any handler: the Host and Origin checks and the admin upload media types of
// mock/http/request_guard.h.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mock/http/access_log.h"
#include "mock/http/buffered_connection.h"
#include "mock/http/connection_loop.h"
#include "spec/result.h"

namespace pbxmock::spec {
class OpenApiDocument;
}

namespace pbxmock::mock {

class Clock;
class Outbox;
class RequestJournal;
class MockHolder;
class AdminGate;
class AdminApi;
class Dispatcher;
class Forwarder;
class ViolationLog;
class ScenarioWatcher;
struct Scenario;
class ConnectionLoop;
class HttpService;
struct GuardSettings;

struct ServerOptions {
  std::string scenario;   // built-in name or file; "" = the embedded default
  std::string spec_file;  // --spec: answer that document's other operations too
  std::string host = "127.0.0.1";
  int port = 8887;  // 0: any free port
  std::string tls_cert;
  std::string tls_key;
  std::string public_url;  // where browsers reach the mock; "" = each request's Host header
  bool watch = false;
  std::chrono::milliseconds watch_interval{250};
  LogFormat log_format = LogFormat::text;
  bool quiet = false;          // no per-request log lines
  std::string admin_key;       // "" = generated when the host is not loopback
  std::size_t journal_size = 1000;
  std::size_t max_body_bytes = 1 << 20;
  int log_fd = 2;
  bool cors_credentials = false;          // send Access-Control-Allow-Credentials: true
  std::vector<std::string> cors_origins;  // origins besides loopback ones that may use /__admin/
  // pbxmock proxy: requests go to the forwarder (which must outlive the server) instead of
  // the mock; `upstream` is where it forwards to, for the banner and /__admin/health.
  Forwarder* forwarder = nullptr;
  std::string upstream;
};

class MockServer {
 public:
  // Loads, validates and binds; the error says what failed (scenario errors one per line
  // as file:line:column: message).
  static Result<std::unique_ptr<MockServer>, std::string> start(ServerOptions options);
  // The same server without a socket, for the fuzzer and tests: everything start() builds
  // but the listening socket (plain HTTP only). Its connections come from
  // connect_in_memory(); a rule's delay is not waited there.
  static Result<std::unique_ptr<MockServer>, std::string> start_in_memory(ServerOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  int port() const noexcept { return port_; }
  // "http://127.0.0.1:8887/api"
  std::string api_url() const;
  // The lines to print at start: where it listens, and the admin key when there is one.
  std::vector<std::string> banner() const;

  // A client connection from 127.0.0.1 held in memory, served by the workers' code: see
  // mock/http/buffered_connection.h. Only for a plain-HTTP server.
  BufferedConnection connect_in_memory();

  // Serves until stop(); false when listening failed.
  bool run();
  // Stops accepting, ends idle and slow connections, lets answers in progress finish.
  void stop();
  // After run(): an answer was still being worked on (a rule's delay) when the server
  // stopped; the process must then end without destroying the server.
  bool abandoned_work() const noexcept { return abandoned_work_; }

 private:
  explicit MockServer(ServerOptions options);

  // The stages of start(), in order.
  // The stages start() and start_in_memory() share: options, scenario, parts, transport,
  // handlers, the socket when `bound`, the core.
  static Result<std::unique_ptr<MockServer>, std::string> assemble(ServerOptions options, bool bound);
  static Result<bool, std::string> check_options(ServerOptions& options);  // and normalizes --public-url
  Result<bool, std::string> make_parts();
  Result<bool, std::string> make_transport();
  Result<bool, std::string> bind();
  void make_core(Scenario scenario);
  void watch_scenario_file();

  ServerOptions options_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<RequestJournal> journal_;
  std::unique_ptr<ViolationLog> violations_;  // the proxy's
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<spec::OpenApiDocument> fallback_document_;
  std::unique_ptr<MockHolder> holder_;
  std::unique_ptr<AdminGate> gate_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<GuardSettings> guard_;
  LoopSettings settings_;
  std::unique_ptr<HttpService> service_;
  std::unique_ptr<ConnectionLoop> loop_;  // when bound
  MakeTransport transport_;               // TLS, or none: plain TCP
  int listener_ = -1;
  std::unique_ptr<ScenarioWatcher> watcher_;
  std::chrono::steady_clock::time_point started_;
  std::string admin_key_;
  bool key_generated_ = false;
  int port_ = 0;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stop_requested_ = false;  // under stop_mutex_
  bool abandoned_work_ = false;
};

}  // namespace pbxmock::mock
