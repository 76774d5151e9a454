#include "support/tls_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace pbxmock::test {
namespace {

using Clock = std::chrono::steady_clock;

int milliseconds_left(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// One client context for every connection of the test program.
SSL_CTX* client_context() {
  static SSL_CTX* const context = [] {
    // OpenSSL writes with write(): a server that closed must fail the test, not kill it.
    ::signal(SIGPIPE, SIG_IGN);
    SSL_CTX* made = ::SSL_CTX_new(::TLS_client_method());
    if (!made) throw std::runtime_error("SSL_CTX_new failed");
    ::SSL_CTX_set_verify(made, SSL_VERIFY_NONE, nullptr);
    ::SSL_CTX_set_mode(made, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return made;
  }();
  return context;
}

bool wait_for(int fd, short events, Clock::time_point until) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, milliseconds_left(until));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Waits for what OpenSSL asked for after `result`; false when it is an error, or the time is up.
bool wait_as_asked(SSL* ssl, int fd, int result, Clock::time_point until) {
  const int error = ::SSL_get_error(ssl, result);
  ::ERR_clear_error();
  if (error == SSL_ERROR_WANT_READ) return wait_for(fd, POLLIN, until);
  if (error == SSL_ERROR_WANT_WRITE) return wait_for(fd, POLLOUT, until);
  return false;
}

// Connected, then non-blocking: every wait of this client is a bounded poll.
int connect_to(const std::string& address, int port) {
  const int fd = connect_tcp(address, port);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
  return fd;
}

}  // namespace

std::optional<TlsConnection> TlsConnection::open(const std::string& address, int port,
                                                 std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  const int fd = connect_to(address, port);
  if (fd < 0) return std::nullopt;
  SSL* ssl = ::SSL_new(client_context());
  if (!ssl || ::SSL_set_fd(ssl, fd) != 1) {
    ::SSL_free(ssl);
    ::close(fd);
    return std::nullopt;
  }
  TlsConnection connection(fd, ssl);
  for (;;) {
    ::ERR_clear_error();
    const int result = ::SSL_connect(ssl);
    if (result == 1) return connection;
    if (!wait_as_asked(ssl, fd, result, until)) return std::nullopt;
  }
}

TlsConnection::TlsConnection(TlsConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      buffer_(std::move(other.buffer_)),
      end_(other.end_),
      error_number_(other.error_number_),
      ended_(other.ended_) {}

TlsConnection& TlsConnection::operator=(TlsConnection&& other) noexcept {
  if (this != &other) {
    ::SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    ssl_ = std::exchange(other.ssl_, nullptr);
    buffer_ = std::move(other.buffer_);
    end_ = other.end_;
    error_number_ = other.error_number_;
    ended_ = other.ended_;
  }
  return *this;
}

TlsConnection::~TlsConnection() {
  ::SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

bool TlsConnection::send(std::string_view bytes, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (!bytes.empty()) {
    ::ERR_clear_error();
    const int result = ::SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    if (result > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(result));
      continue;
    }
    if (!wait_as_asked(ssl_, fd_, result, until)) return false;
  }
  return true;
}

bool TlsConnection::read_some(Clock::time_point until) {
  if (ended_) return false;
  char chunk[16384];
  for (;;) {
    ::ERR_clear_error();
    errno = 0;
    const int result = ::SSL_read(ssl_, chunk, sizeof chunk);
    if (result > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(result));
      return true;
    }
    const int error = ::SSL_get_error(ssl_, result);
    const int saved_errno = errno;
    ::ERR_clear_error();
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(fd_, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until)) {
        end_ = RawConnection::End::timeout;
        return false;
      }
      continue;
    }
    ended_ = true;
    error_number_ = saved_errno;
    // A close_notify, or the end of the stream without one (SSL_ERROR_SSL "unexpected eof",
    // or SSL_ERROR_SYSCALL with no errno): closed; a reset: reset.
    if (error == SSL_ERROR_SYSCALL && saved_errno == ECONNRESET) {
      end_ = RawConnection::End::reset;
    } else if (error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SSL || saved_errno == 0) {
      end_ = RawConnection::End::closed;
    } else {
      end_ = RawConnection::End::error;
    }
    return false;
  }
}

bool TlsConnection::answered() {
  if (ended_ || !buffer_.empty()) return true;
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, 0) <= 0) return false;
  // Readable: a session ticket (read and nothing to show), or the answer, or the end.
  read_some(Clock::now());
  return ended_ || !buffer_.empty();
}

RawConnection::Received TlsConnection::read_until_end(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (read_some(until)) {
  }
  RawConnection::Received received;
  received.bytes = std::exchange(buffer_, {});
  received.end = ended_ ? end_ : RawConnection::End::timeout;
  received.error_number = error_number_;
  return received;
}

std::optional<RawResponse> TlsConnection::read_response(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  RawResponse response;
  for (;;) {
    const Framing framing = take_response(buffer_, response);
    if (framing == Framing::complete) return response;
    if (framing == Framing::malformed || !read_some(until)) return std::nullopt;
  }
}

std::string client_hello() {
  SSL* ssl = ::SSL_new(client_context());
  BIO* in = ::BIO_new(::BIO_s_mem());
  BIO* out = ::BIO_new(::BIO_s_mem());
  ::SSL_set_bio(ssl, in, out);  // the SSL owns both
  ::SSL_set_connect_state(ssl);
  ::SSL_do_handshake(ssl);  // writes the ClientHello, then waits for the server
  ::ERR_clear_error();
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  std::string hello(data, static_cast<std::size_t>(size > 0 ? size : 0));
  ::SSL_free(ssl);
  return hello;
}

std::pair<std::string, std::string> make_certificate(const std::string& folder) {
  const std::string cert = folder + "/cert.pem";
  const std::string key = folder + "/key.pem";
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=localhost -keyout '" + key + "' -out '" +
      cert + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl could not make a certificate");
  return {cert, key};
}

}  // namespace pbxmock::test
