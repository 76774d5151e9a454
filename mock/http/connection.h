#pragma once
// How a plain-HTTP connection is served. cpp-httplib's own loop costs about eleven system
// calls a request: a poll before every read and every write, the head and the body sent
// apart, the peer and local address asked again for each request, and a keep-alive wait
// that polls in 10 ms steps with 1 ms sleeps between them. Here one stream lives as long as
// the connection: it reads into a buffer that carries over between requests (so pipelined
// requests are kept), gathers an answer and sends it in one go, and asks for the addresses
// once. A request then costs a poll, a read and a send. HTTP parsing and the answer itself
// stay httplib's (Server::process_request); TLS connections keep httplib's loop.
#include <httplib.h>

#include <array>
#include <string>
#include <string_view>

namespace pbxmock::mock {

// Whether httplib (0.11) reads a request's body itself, before routing: only for these
// methods (its expect_content()). Any other method's body is the connection loop's to skip.
bool httplib_reads_body_for(std::string_view method) noexcept;

struct ConnectionTimeouts {
  int keep_alive_ms = 5000;  // waiting for the next request on an open connection
  int read_ms = 5000;        // waiting for more of a request
  int write_ms = 5000;       // waiting to send more of an answer
};

class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int socket, ConnectionTimeouts timeouts);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return socket_; }

  enum class Wait { request, nothing_yet, over };
  // Waits up to `ms` for the next request to begin: `over` when the peer has gone or the
  // connection broke.
  Wait wait_for_request(int ms);
  // Sends what the answer wrote so far; false when the peer is gone or too slow.
  bool flush();
  // Reads and drops `size` bytes (a body nobody read); false when they do not come.
  bool discard(std::size_t size);

 private:
  // Refills the empty read buffer, waiting up to timeout_ms; a failure ends the stream.
  bool fill(int timeout_ms);
  bool receive(int timeout_ms);

  int socket_;
  ConnectionTimeouts timeouts_;
  std::array<char, 16 * 1024> in_{};
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;
  std::string out_;
  bool failed_ = false;
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
};

// httplib::Server with the loop above for each connection.
class PlainHttpServer : public httplib::Server {
 public:
  int listening_socket() const { return svr_sock_; }

 private:
  // Overrides httplib's (private, virtual) per-connection loop.
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace pbxmock::mock
