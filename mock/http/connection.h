#pragma once
// How a connection is served (plain TCP or TLS): not by httplib's loop, which holds a
// thread per connection for as long as it lives (so slow or idle clients starve everyone
// else), but by a ConnectionLoop (mock/http/connection_loop.h): one epoll thread reads
// every socket, and a worker runs httplib's request processing (Server::process_request,
// handlers and answer writing) over a complete request held in memory, then sends the
// answer.
#include <httplib.h>

#include <functional>
#include <memory>
#include <string_view>

#include "mock/http/buffered_connection.h"
#include "mock/http/connection_loop.h"

namespace pbxmock::mock {

// Whether httplib (0.11) reads a request's body itself, before routing: only for these
// methods (its expect_content()).
bool httplib_reads_body_for(std::string_view method) noexcept;

// httplib::Server whose accepted sockets go to a ConnectionLoop (named for plain HTTP, its
// first use; with a TLS `make_transport` it serves HTTPS).
class PlainHttpServer : public httplib::Server {
 public:
  // `refuse` answers what the loop refuses itself (and may log it); `make_transport` as
  // ConnectionLoop takes it (none: plain TCP).
  PlainHttpServer(LoopSettings settings, RefuseRequest refuse, MakeTransport make_transport = {});
  ~PlainHttpServer() override;

  int listening_socket() const { return svr_sock_; }
  // Ends every connection the loop holds; see ConnectionLoop::stop and drain.
  void stop_connections() { loop_->stop(); }
  bool drain(std::chrono::milliseconds limit) { return loop_->drain(limit); }
  // A connection held in memory, read and answered as the loop reads and answers a socket's
  // (the same settings, refusals and worker job).
  BufferedConnection connect_in_memory(ConnectionInfo info);

 private:
  // Overrides httplib's (private, virtual) per-connection loop: hands the socket over.
  bool process_and_close_socket(socket_t sock) override;
  Served serve(ReadRequest& request, const ConnectionInfo& connection, bool last);

  LoopSettings settings_;
  RefuseRequest refuse_;
  std::unique_ptr<ConnectionLoop> loop_;
};

// httplib's accept loop hands each socket to its task queue; the loop takes it over at
// once, so running that on the accepting thread saves a thread hop per connection.
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

}  // namespace pbxmock::mock
