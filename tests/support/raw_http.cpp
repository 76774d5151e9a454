#include "support/raw_http.h"

#include "spec/ascii.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pbxmock::test {
namespace {

using pbxmock::spec::ascii::iequals;

int milliseconds_left(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Parses the head in `text` (up to the blank line); false when it is not a response head.
bool parse_head(std::string_view text, RawResponse& response) {
  const std::size_t line_end = text.find("\r\n");
  const std::string_view status_line = text.substr(0, line_end);
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12) return false;
  response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  std::size_t at = line_end + 2;
  while (at < text.size()) {
    const std::size_t end = text.find("\r\n", at);
    const std::string_view line = text.substr(at, end - at);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if (end == std::string_view::npos) break;
    at = end + 2;
  }
  return true;
}

}  // namespace

Framing take_response(std::string& buffer, RawResponse& response) {
  const std::size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return Framing::incomplete;
  RawResponse parsed;
  if (!parse_head(std::string_view(buffer).substr(0, head_end + 2), parsed)) return Framing::malformed;
  const std::string* length = parsed.header("Content-Length");
  const std::size_t body_length = length ? static_cast<std::size_t>(std::strtoull(length->c_str(), nullptr, 10)) : 0;
  if (buffer.size() < head_end + 4 + body_length) return Framing::incomplete;
  parsed.body = buffer.substr(head_end + 4, body_length);
  buffer.erase(0, head_end + 4 + body_length);
  response = std::move(parsed);
  return Framing::complete;
}

const std::string* RawResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return &value;
  return nullptr;
}

int connect_tcp(const std::string& address, int port) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    length = sizeof *v6;
  } else {
    return -1;
  }
  const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    ::close(fd);
    return -1;
  }
  const int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return fd;
}

std::optional<RawConnection> RawConnection::open(const std::string& address, int port) {
  const int fd = connect_tcp(address, port);
  if (fd < 0) return std::nullopt;
  return RawConnection(fd);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

RawConnection::Received RawConnection::read_until_end(std::chrono::milliseconds deadline) {
  Received received;
  received.bytes = std::exchange(buffer_, {});
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, milliseconds_left(until));
    if (ready == 0) {
      received.end = End::timeout;
      return received;
    }
    if (ready < 0 && errno == EINTR) continue;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      received.bytes.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) {
      received.end = End::closed;
      return received;
    }
    if (errno == EINTR) continue;
    received.error_number = errno;
    received.end = errno == ECONNRESET ? End::reset : End::error;
    return received;
  }
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  RawResponse response;
  for (;;) {
    const Framing framing = take_response(buffer_, response);
    if (framing == Framing::complete) return response;
    if (framing == Framing::malformed) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, milliseconds_left(until));
    if (ready == 0) return std::nullopt;
    if (ready < 0 && errno == EINTR) continue;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<RawResponse> RawHttp::request(const std::string& address, int port, const std::string& method,
                                            const std::string& target, const Headers& headers,
                                            const std::string& body, std::chrono::milliseconds deadline) {
  auto connection = RawConnection::open(address, port);
  if (!connection) return std::nullopt;
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: " + address + ":" + std::to_string(port) +
                     "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n" + body;
  if (!connection->send(text)) return std::nullopt;
  return connection->read_response(deadline);
}

}  // namespace pbxmock::test
