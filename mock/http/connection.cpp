#include "mock/http/connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>

#include "mock/http/socket_address.h"

namespace pbxmock::mock {
namespace {

// While a connection waits for its next request it looks at the server's state this often,
// so a stopping server is not held up by idle connections.
constexpr int kIdleSliceMs = 100;
// An answer bigger than this is sent in parts as it is written.
constexpr std::size_t kSendEarlyBytes = 64 * 1024;

// 1 ready, 0 timed out, -1 error (EINTR is retried with the full time again: rare and harmless).
int wait_for(int socket, short events, int timeout_ms) {
  pollfd entry{socket, events, 0};
  while (true) {
    const int n = ::poll(&entry, 1, timeout_ms);
    if (n >= 0) return n > 0 ? 1 : 0;
    if (errno != EINTR) return -1;
  }
}

void address_of(bool peer, int socket, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  if ((peer ? ::getpeername(socket, raw, &length) : ::getsockname(socket, raw, &length)) != 0) return;
  if (port_of(address) < 0) return;
  port = port_of(address);
  if (auto host = numeric_host(address, length)) ip = std::move(*host);
}

// The body httplib leaves unread: 0 for none, nullopt when it cannot be skipped safely (a
// chunked or malformed one, or one past the body limit): then the connection ends.
std::optional<std::size_t> unread_body_size(const httplib::Request& request, std::size_t limit) {
  if (httplib_reads_body_for(request.method)) return 0;
  if (request.has_header("Transfer-Encoding")) return std::nullopt;
  if (!request.has_header("Content-Length")) return 0;
  const std::string length = request.get_header_value("Content-Length");
  std::size_t size = 0;
  const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), size);
  if (error != std::errc() || end != length.data() + length.size() || size > limit) return std::nullopt;
  return size;
}

}  // namespace

bool httplib_reads_body_for(std::string_view method) noexcept {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "PRI";
}

ConnectionStream::ConnectionStream(int socket, ConnectionTimeouts timeouts) : socket_(socket), timeouts_(timeouts) {
  address_of(true, socket_, remote_ip_, remote_port_);
  address_of(false, socket_, local_ip_, local_port_);
}

bool ConnectionStream::is_readable() const {
  return in_begin_ < in_end_ || wait_for(socket_, POLLIN, timeouts_.read_ms) > 0;
}

bool ConnectionStream::is_writable() const { return !failed_; }

bool ConnectionStream::fill(int timeout_ms) {
  if (failed_) return false;
  failed_ = !receive(timeout_ms);
  return !failed_;
}

bool ConnectionStream::receive(int timeout_ms) {
  // Whatever was written so far must be out before waiting on the peer (an interim
  // "100 Continue", say): the peer may be waiting for it.
  if (!out_.empty() && !flush()) return false;
  in_begin_ = in_end_ = 0;
  while (true) {
    const ssize_t n = ::recv(socket_, in_.data(), in_.size(), MSG_DONTWAIT);
    if (n > 0) {
      in_end_ = static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
    if (wait_for(socket_, POLLIN, timeout_ms) <= 0) return false;
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (in_begin_ == in_end_ && !fill(timeouts_.read_ms)) return -1;
  const std::size_t n = std::min(size, in_end_ - in_begin_);
  std::memcpy(ptr, in_.data() + in_begin_, n);
  in_begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (failed_) return -1;
  out_.append(ptr, size);
  if (out_.size() >= kSendEarlyBytes && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::flush() {
  std::size_t sent = 0;
  while (!failed_ && sent < out_.size()) {
    const ssize_t n = ::send(socket_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (wait_for(socket_, POLLOUT, timeouts_.write_ms) <= 0) failed_ = true;
    } else {
      failed_ = true;
    }
  }
  out_.clear();
  return !failed_;
}

bool ConnectionStream::discard(std::size_t size) {
  while (size > 0) {
    if (in_begin_ == in_end_ && !fill(timeouts_.read_ms)) return false;
    const std::size_t n = std::min(size, in_end_ - in_begin_);
    in_begin_ += n;
    size -= n;
  }
  return true;
}

ConnectionStream::Wait ConnectionStream::wait_for_request(int ms) {
  if (in_begin_ < in_end_) return Wait::request;
  if (failed_) return Wait::over;
  const int ready = wait_for(socket_, POLLIN, ms);
  if (ready == 0) return Wait::nothing_yet;
  if (ready < 0) failed_ = true;
  return ready > 0 && fill(timeouts_.read_ms) ? Wait::request : Wait::over;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_ip_;
  port = remote_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = local_ip_;
  port = local_port_;
}

bool PlainHttpServer::process_and_close_socket(socket_t sock) {
  const auto ms = [](time_t seconds, time_t micros) { return static_cast<int>(seconds * 1000 + micros / 1000); };
  ConnectionStream stream(sock, ConnectionTimeouts{ms(keep_alive_timeout_sec_, 0),
                                                   ms(read_timeout_sec_, read_timeout_usec_),
                                                   ms(write_timeout_sec_, write_timeout_usec_)});
  const auto next_request_began = [&] {
    for (int waited = 0; waited < ms(keep_alive_timeout_sec_, 0); waited += kIdleSliceMs) {
      if (svr_sock_ == INVALID_SOCKET) return false;
      const auto wait = stream.wait_for_request(kIdleSliceMs);
      if (wait != ConnectionStream::Wait::nothing_yet) return wait == ConnectionStream::Wait::request;
    }
    return false;
  };
  // httplib reads a body only for the methods that usually have one. Any other request's
  // body (a GET with Content-Length, say) is still part of the message: it is dropped after
  // the answer, or the connection closes, so its bytes are never read as the next request.
  std::optional<std::size_t> unread_body;
  const std::function<void(httplib::Request&)> note_unread_body = [&](httplib::Request& request) {
    unread_body = unread_body_size(request, payload_max_length_);
  };
  bool ok = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && next_request_began(); --left) {
    bool closed = false;
    unread_body = 0;
    ok = process_request(stream, left == 1, closed, note_unread_body);
    ok = stream.flush() && ok;
    if (!ok || closed || !unread_body || !stream.discard(*unread_body)) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace pbxmock::mock
