#pragma once
// How the connection loop moves a connection's bytes: as they are (PlainTransport) or
// through TLS (mock/http/tls_transport.h). The loop (and a worker answering after a rule's
// delay) drives every transport the same way over a non-blocking socket: a step that cannot
// go on says which readiness it waits for, and the loop waits for it with epoll (a worker
// with poll).
#include <cstddef>
#include <memory>
#include <string_view>


namespace pbxmock::mock {

enum class IoStatus {
  ok,          // done (or some bytes moved)
  want_read,   // try again when the socket is readable
  want_write,  // try again when the socket is writable
  closed,      // the peer closed, or the connection broke: close it
};

struct IoResult {
  std::size_t bytes = 0;  // set with IoStatus::ok
  IoStatus status = IoStatus::closed;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Moves the handshake on (a TLS one; plain TCP is ready at once): ok once it is done.
  virtual IoStatus handshake() = 0;
  virtual IoResult read(char* into, std::size_t size) = 0;
  virtual IoResult write(std::string_view bytes) = 0;
  // Bytes already taken off the socket and not yet read (epoll cannot see them).
  virtual bool has_buffered() const = 0;
  // Says goodbye before the socket closes (TLS: close_notify, once, without waiting).
  virtual void finish() = 0;
};

// Plain TCP: recv and send on the socket, which the connection owns.
class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(int socket) noexcept : socket_(socket) {}
  IoStatus handshake() override { return IoStatus::ok; }
  IoResult read(char* into, std::size_t size) override;
  IoResult write(std::string_view bytes) override;
  bool has_buffered() const override { return false; }
  void finish() override {}

 private:
  int socket_;
};

}  // namespace pbxmock::mock
