#pragma once
// One client connection held in memory instead of a socket, served by the code a socket's
// is: the same RequestReader steps as the connection loop (a complete request to a worker's
// ServeRequest, a refusal answered and the connection ended, "100 Continue" when the head
// asked for it and the body is still to come), the same limits, and a rule's fault ending
// the connection with what the peer would have received. No thread, no clock, no socket:
// what the fuzzer (fuzz/server_fuzzer.cpp) and tests drive, one exchange at a time.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mock/http/connection_loop.h"
#include "mock/rules/rules.h"

namespace pbxmock::mock {

// What the connection loop sends when a request's head asks for it (Expect: 100-continue).
inline constexpr std::string_view kContinueAnswer = "HTTP/1.1 100 Continue\r\n\r\n";

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
    std::string request;         // answered: the request as re-framed by the reader
    std::string bytes;           // what the server sent
    std::optional<Fault> fault;  // a rule broke the connection (bytes: what that sends)
    bool close = false;          // the connection ends after this
  };

  BufferedConnection(LoopSettings settings, ServeRequest serve, RefuseRequest refuse, ConnectionInfo info);

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
  ServeRequest serve_;
  RefuseRequest refuse_;
  ConnectionInfo info_;
  RequestReader reader_;
  std::string in_;
  std::size_t served_ = 0;
  bool closed_ = false;
};

// What a Dispatcher's fault hook does for an in-memory connection: notes the fault for the
// BufferedConnection serving on this thread, which ends the connection after the answer.
bool break_in_memory_connection(Fault fault) noexcept;

}  // namespace pbxmock::mock
