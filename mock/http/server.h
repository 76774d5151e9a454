#pragma once
// `pbxmock serve` without the command line: the mock behind cpp-httplib. start() loads the
// scenario (and the --spec document), binds the socket and returns; run() serves until
// stop(), which may be called from any thread (a signal-handling one, say).
//
// Tuned for Debian's compiled cpp-httplib 0.11:
// - TCP_NODELAY (without it the delayed-ACK dance caps loopback at ~300 requests a second);
// - keep-alive for up to 10,000 requests a connection, closed after 5 s idle;
// - read and write timeouts of 5 s, so a silent or stalled client gives its worker back;
// - an elastic worker pool (mock/http_task_queue.h): httplib holds a worker per open
//   connection, so idle keep-alive clients cannot starve new ones;
// - a listen backlog of 1024 instead of httplib's 5;
// - SO_REUSEADDR without SO_REUSEPORT (httplib sets both, which lets a second mock bind the
//   same port and silently take half the connections).
// Limits httplib has compiled in and we cannot change: a request line over 8,192 bytes is
// answered 414, a header line over 8,192 bytes 400 (both in the vendor's error shape).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mock/http/access_log.h"
#include "spec/result.h"

namespace httplib {
class Server;
}

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
class ScenarioWatcher;

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
};

class MockServer {
 public:
  // Loads, validates and binds; the error says what failed (scenario errors one per line
  // as file:line:column: message).
  static Result<std::unique_ptr<MockServer>, std::string> start(ServerOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  int port() const noexcept { return port_; }
  // "http://127.0.0.1:8887/api"
  std::string api_url() const;
  // The lines to print at start: where it listens, and the admin key when there is one.
  std::vector<std::string> banner() const;

  // Serves until stop(); false when listening failed.
  bool run();
  // Stops accepting, ends idle and slow connections, lets answers in progress finish.
  void stop();

 private:
  explicit MockServer(ServerOptions options);

  ServerOptions options_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<RequestJournal> journal_;
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<spec::OpenApiDocument> fallback_document_;
  std::unique_ptr<MockHolder> holder_;
  std::unique_ptr<AdminGate> gate_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<ScenarioWatcher> watcher_;
  std::function<int()> listening_socket_;
  std::chrono::steady_clock::time_point started_;
  std::string admin_key_;
  bool key_generated_ = false;
  int port_ = 0;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> serving_{false};
};

}  // namespace pbxmock::mock
