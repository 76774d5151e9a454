#pragma once
// HTTPS over OpenSSL directly, for tests that need what RawConnection gives over plain TCP
// (exact bytes, how the connection ended, connections held open and idle) on a TLS
// connection. The server's certificate is not verified (tests use self-signed ones). The
// socket is non-blocking and every wait has a deadline.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "support/raw_http.h"

typedef struct ssl_st SSL;

namespace pbxmock::test {

class TlsConnection {
 public:
  // Connects to address:port and completes the handshake; nullopt when either fails.
  static std::optional<TlsConnection> open(const std::string& address, int port,
                                           std::chrono::milliseconds deadline = std::chrono::seconds(10));
  TlsConnection(TlsConnection&& other) noexcept;
  TlsConnection& operator=(TlsConnection&& other) noexcept;
  ~TlsConnection();

  int fd() const noexcept { return fd_; }
  // False when the connection ended or the server took nothing for `deadline`.
  bool send(std::string_view bytes, std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Without waiting: whether the server sent application bytes or ended the connection
  // (a session ticket alone does not count).
  bool answered();
  // Everything until the server closes the connection (close_notify or not), resets it,
  // or `deadline` passes.
  RawConnection::Received read_until_end(std::chrono::milliseconds deadline);
  // One response (Content-Length or no body); nullopt when the connection ends first.
  std::optional<RawResponse> read_response(std::chrono::milliseconds deadline);

 private:
  TlsConnection(int fd, SSL* ssl) noexcept : fd_(fd), ssl_(ssl) {}
  // One read into buffer_: true when bytes came, else end_ says why not.
  bool read_some(std::chrono::steady_clock::time_point until);

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;  // bytes read past the last response
  RawConnection::End end_ = RawConnection::End::timeout;
  int error_number_ = 0;
  bool ended_ = false;
};

// The first bytes a TLS client sends: a whole ClientHello record, made by OpenSSL.
std::string client_hello();

// A self-signed certificate and key for localhost in `folder` (made once per call with
// the command of scripts/make-cert.sh); {cert path, key path}.
std::pair<std::string, std::string> make_certificate(const std::string& folder);

}  // namespace pbxmock::test
