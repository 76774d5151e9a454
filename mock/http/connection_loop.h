#pragma once
// HTTP connections, served as nginx serves them: one thread waits with epoll on the
// listening socket and on every open connection, takes each connection's bytes through its
// Transport (plain TCP, or TLS: mock/http/tls_transport.h, whose handshake it drives step
// by step), takes the steps of mock/http/connection_steps.h (reader, service, response
// writer) and sends the answer, all on that thread: a request costs no hand-off to another
// thread. Only a rule's delay leaves it: the connection goes to a worker of an elastic pool,
// which waits, makes the answer, sends it and gives the connection back.
//
// The limits and deadlines hold for the whole request, not per read, so a slow or idle
// client holds a few hundred bytes of memory and no thread:
// - a TLS handshake must be done within handshake_deadline of the connection's start;
// - the head must be complete within head_deadline of its first byte, the body within
//   body_deadline of the head's end (408 and the connection closed otherwise);
// - an answer the client does not take must be taken within write_timeout (while it waits,
//   nothing more is read from that client);
// - an idle keep-alive connection closes after keep_alive;
// - a refused request is answered, the writing side closed, and what the client still
//   sends is read and dropped for a short while, so the client can read the answer
//   instead of seeing a reset.
// A rule's fault is applied here, to the connection the loop owns: its bytes through the
// transport, then the socket broken as the fault says (mock/http/faults.h).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mock/http/connection_steps.h"
#include "mock/http/task_queue.h"
#include "mock/http/transport.h"

namespace pbxmock::mock {

// The transport of an accepted socket (which the loop keeps owning); nullptr to refuse it.
using MakeTransport = std::function<std::unique_ptr<Transport>(int socket)>;

class ConnectionLoop {
 public:
  // Without `make_transport`, connections are plain TCP. `serve` and `refuse` must outlive
  // the loop. `on_sweep` runs on the loop thread at least every 100 ms (the access log's
  // flush).
  ConnectionLoop(LoopSettings settings, const ServeRequest& serve, const RefuseRequest& refuse,
                 MakeTransport make_transport = {}, std::function<void()> on_sweep = {});
  ~ConnectionLoop();
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  // Accepts the connections of a listening socket from now on (the caller keeps owning it
  // and closes it after stop()).
  void listen(int socket);
  // Stops accepting, closes every connection no worker holds and ends the loop thread;
  // connections being answered by a worker close when their answer is sent.
  void stop();
  // After stop(): waits up to `limit` for the workers to finish; false if some still run
  // (a rule's delay, say), which the caller may then abandon.
  bool drain(std::chrono::milliseconds limit);

  std::size_t open_connections() const noexcept { return open_.load(); }

 private:
  struct Connection;
  using Time = std::chrono::steady_clock::time_point;

  void run();
  void accept_connections();
  void take_socket(int socket, Time now);
  void take_handed_back();
  void on_ready(Connection& connection);
  void on_expired(Time now);
  // Serves what the connection has buffered; false when the loop must not read it on
  // (closed, waiting to send, or with a worker).
  bool serve_buffered(Connection& connection, Time now);
  bool send(Connection& connection, Served served, Time now);
  bool flush(Connection& connection, Time now);
  void refuse(Connection& connection, std::string_view bytes);
  void break_connection(Connection& connection, Fault fault);
  void answer_later(Connection* connection, Served pending);  // on a worker
  void rearm(int socket, Connection* connection, bool for_writing);
  void hand_back(Connection* connection, bool keep);  // a worker is done with it
  void close_now(Connection* connection);
  void close_in_loop(Connection& connection);
  void close_oldest_handshake();

  const LoopSettings settings_;
  const ServeRequest& serve_;
  const RefuseRequest& refuse_;
  const MakeTransport make_transport_;
  const std::function<void()> on_sweep_;
  int epoll_ = -1;
  int wake_ = -1;      // eventfd: connections handed back, stop
  int listener_ = -1;  // the listening socket, once listen() was called
  std::unordered_map<int, Connection*> connections_;  // the loop thread's
  std::size_t handshaking_ = 0;                        // the loop thread's
  std::mutex mutex_;  // guards the two below
  std::vector<std::pair<Connection*, bool>> handed_back_;  // and whether to keep it open
  bool loop_over_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> loop_done_{false};
  std::atomic<std::size_t> open_{0};
  std::unique_ptr<ElasticTaskQueue> workers_;
  std::thread thread_;
};

}  // namespace pbxmock::mock
