#pragma once
// HTTP connections, read as nginx reads them: one thread waits on every open socket with
// epoll and feeds what arrives to each connection's RequestReader; only a complete request
// (head and de-chunked body) goes to a worker, which answers it and sends the answer. A
// slow or idle client therefore holds a few hundred bytes of memory and no thread, and
// the limits and deadlines hold for the whole request, not per read:
// - a connection's bytes go through its Transport (mock/http/transport.h): plain TCP, or
//   TLS (mock/http/tls_transport.h), whose handshake the loop drives step by step and
//   which must be done within handshake_deadline of the connection's start;
// - the head must be complete within head_deadline of its first byte, the body within
//   body_deadline of the head's end (408 and the connection closed otherwise);
// - an idle keep-alive connection closes after keep_alive;
// - a refused request is answered, the writing side closed, and what the client still
//   sends is read and dropped for a short while, so the client can read the answer
//   instead of seeing a reset.
// Workers come from an elastic pool (a rule's delay holds its worker, not the loop).
// Pipelined requests are answered in order by the worker that holds the connection, which
// also waits next_request_wait for a busy client's next request before handing back.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mock/http/request_reader.h"
#include "mock/http/task_queue.h"
#include "mock/http/transport.h"

namespace pbxmock::mock {

struct LoopSettings {
  ReaderLimits limits;
  std::chrono::milliseconds handshake_deadline{10'000};  // TLS
  std::chrono::milliseconds head_deadline{10'000};
  std::chrono::milliseconds body_deadline{30'000};
  std::chrono::milliseconds keep_alive{5'000};
  std::chrono::milliseconds write_timeout{5'000};
  std::chrono::milliseconds linger{2'000};  // reading and dropping after a refusal
  std::size_t keep_alive_requests = 10'000;
  // How long a worker waits for the next request after an answer before it hands the
  // connection back to the loop (0: at once).
  std::chrono::milliseconds next_request_wait{0};
  std::size_t max_connections = 10'000;  // past this, new connections are closed at once
  // Past this many connections in their TLS handshake (OpenSSL holds some 50 KiB for each
  // until it ends), the one that started first is closed for each new one.
  std::size_t max_handshakes = 1'024;
};

struct Endpoint {
  std::string ip;
  int port = -1;
};

struct ConnectionInfo {
  int socket = -1;
  Endpoint remote, local;
  SSL* tls = nullptr;  // the TLS session (a rule's fault writes through it); nullptr for plain TCP
};

struct Served {
  std::string bytes;  // the whole answer
  bool close = false;
};

// A worker's job: answer one complete request (`last`: the connection closes after it).
using ServeRequest = std::function<Served(ReadRequest&, const ConnectionInfo&, bool last)>;
// The answer to a refused request (the reader says why; status 408 when a deadline passed).
using RefuseRequest = std::function<std::string(const RequestReader&, const spec::ApiError&, const ConnectionInfo&)>;
// The transport of an accepted socket (which the loop keeps owning); nullptr to refuse it.
using MakeTransport = std::function<std::unique_ptr<Transport>(int socket)>;

class ConnectionLoop {
 public:
  // Without `make_transport`, connections are plain TCP.
  ConnectionLoop(LoopSettings settings, ServeRequest serve, RefuseRequest refuse, MakeTransport make_transport = {});
  ~ConnectionLoop();
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  // Takes over an accepted socket (from any thread).
  void add(int socket);
  // Closes every connection no worker holds and ends the loop thread; connections being
  // answered close when their answer is sent. Returns at once.
  void stop();
  // After stop(): waits up to `limit` for the workers to finish; false if some still run
  // (a rule's delay, say), which the caller may then abandon.
  bool drain(std::chrono::milliseconds limit);

  std::size_t open_connections() const noexcept { return open_.load(); }

 private:
  struct Connection;
  using Time = std::chrono::steady_clock::time_point;

  void run();
  void accept_new();
  void on_ready(Connection& connection);
  void on_expired(Time now);
  // Feeds buffered bytes to the reader and acts on its state (deadlines, 100 Continue, a
  // refusal): `wait` for more bytes, `answer` a complete request, or `close` (a refused
  // connection is marked lingering instead).
  enum class Next { wait, answer, close };
  Next advance(Connection& connection, Time now);
  void refuse(Connection& connection, const spec::ApiError& error);
  void answer(Connection* connection);  // on a worker
  void rearm(int socket, Connection* connection, bool for_writing);
  void release(Connection* connection);  // a worker is done with it: closed by the loop
  enum class ReadOutcome { bytes, nothing, closed };
  ReadOutcome read_next(Connection& connection);  // on a worker, after an answer
  void close_now(Connection* connection);
  void close_in_loop(Connection& connection);
  void close_oldest_handshake();

  const LoopSettings settings_;
  const ServeRequest serve_;
  const RefuseRequest refuse_;
  const MakeTransport make_transport_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: new sockets, released connections, stop
  std::unordered_map<int, Connection*> connections_;  // the loop thread's
  std::size_t handshaking_ = 0;                        // the loop thread's
  std::mutex mutex_;  // guards the three below
  std::vector<int> incoming_;
  std::vector<Connection*> released_;
  bool loop_over_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> loop_done_{false};
  std::atomic<std::size_t> open_{0};
  std::unique_ptr<ElasticTaskQueue> workers_;
  std::thread thread_;
};

}  // namespace pbxmock::mock
