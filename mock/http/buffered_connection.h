#pragma once
// One client connection held in memory instead of a socket, served by the steps a socket's
// connection takes (mock/http/connection_steps.h): the same reader, limits, refusals,
// "100 Continue", service and response writer; a rule's fault ends the connection with what
// the peer would have received, a rule's delay is not waited. No thread, no clock, no
// socket: what the fuzzer (fuzz/server_fuzzer.cpp) and tests drive, one exchange at a time.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mock/http/connection_steps.h"
#include "mock/http/response_writer.h"
#include "mock/rules/rules.h"

namespace pbxmock::mock {

class BufferedConnection {
 public:
  struct Exchange {
    enum class Kind {
      interim,   // "100 Continue" was sent; the request's body is still to come
      answered,  // a complete request was answered (or its connection broken by a fault)
      refused,   // the reader refused the request; the connection ends
    };
    Kind kind = Kind::answered;
    std::string method, target;  // of the request, as far as it was read
    ReadRequest request;         // answered: the request as read
    std::string bytes;           // what the server sent
    std::optional<Fault> fault;  // a rule broke the connection (bytes: what that sends)
    bool close = false;          // the connection ends after this
  };

  // `serve` and `refuse` must outlive the connection.
  BufferedConnection(LoopSettings settings, const ServeRequest& serve, const RefuseRequest& refuse,
                     ConnectionInfo info);
  BufferedConnection(BufferedConnection&& other) noexcept;
  BufferedConnection(const BufferedConnection&) = delete;
  BufferedConnection& operator=(const BufferedConnection&) = delete;
  BufferedConnection& operator=(BufferedConnection&&) = delete;

  // Bytes the client sent, after everything it sent before.
  void receive(std::string_view bytes) { in_.append(bytes); }
  // Bytes the client sends before what is still buffered (a request put in between two
  // pipelined ones). Only between requests: false, and nothing taken, while one is half read.
  bool receive_first(std::string_view bytes);

  // The next thing the server sends, or nothing when it needs more bytes or has closed.
  std::optional<Exchange> next();

  bool closed() const noexcept { return closed_; }
  // Bytes received and not yet read into a request.
  std::size_t buffered() const noexcept { return in_.size(); }

 private:
  LoopSettings settings_;
  const ServeRequest& serve_;
  const RefuseRequest& refuse_;
  ConnectionInfo info_;
  ConnectionSteps steps_;
  std::string in_;
  bool closed_ = false;
};

}  // namespace pbxmock::mock
