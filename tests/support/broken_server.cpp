#include "support/broken_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace pbxmock::test {
namespace {

constexpr int kPollMs = 50;

// Waits until `fd` is readable (true) or the server stops (false).
bool wait_readable(int fd, const std::atomic<bool>& stopping) {
  while (!stopping) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, kPollMs);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
  return false;
}

// The number in the request's Content-Length header (0 without one).
std::size_t content_length(const std::string& head) {
  std::string lower;
  for (char c : head) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  const auto at = lower.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::strtoull(head.c_str() + at + 17, nullptr, 10);
}

// Reads and drops `length` bytes of body; false when the connection ends first.
bool skip_body(int fd, std::size_t length, const std::atomic<bool>& stopping) {
  char buffer[65536];
  while (length > 0) {
    if (!wait_readable(fd, stopping)) return false;
    const ssize_t n = ::recv(fd, buffer, std::min(sizeof buffer, length), 0);
    if (n <= 0) return false;
    length -= static_cast<std::size_t>(n);
  }
  return true;
}

// Sleeps `interval` in short steps; false when the server stops meanwhile.
bool pause(std::chrono::milliseconds interval, const std::atomic<bool>& stopping) {
  const auto until = std::chrono::steady_clock::now() + interval;
  while (!stopping && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !stopping;
}

}  // namespace

std::string read_head(int fd, const std::atomic<bool>& stopping) {
  std::string head;
  while (head.size() < 65536 && (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0)) {
    char c = 0;
    // One byte at a time: whatever follows the head (a body the behaviour may leave unread) stays in the socket.
    if (!wait_readable(fd, stopping) || ::recv(fd, &c, 1, 0) != 1) return {};
    head += c;
  }
  return head;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

BrokenServer::BrokenServer(Behaviour behaviour) : behaviour_(std::move(behaviour)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 64) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("BrokenServer: cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

BrokenServer::~BrokenServer() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& thread : threads_) thread.join();
  ::close(listener_);
}

void BrokenServer::accept_loop() {
  while (wait_readable(listener_, stopping_)) {
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    fds_.push_back(fd);
    threads_.emplace_back([this, fd] {
      behaviour_(fd, stopping_);
      std::lock_guard inner(mutex_);
      // Closed under the lock, so the destructor never shuts down a number reused since.
      for (int& open : fds_)
        if (open == fd) open = -1;
      ::close(fd);
    });
  }
}

BrokenServer::Behaviour BrokenServer::dripping(std::chrono::milliseconds interval) {
  return [interval](int fd, const std::atomic<bool>& stopping) {
    char c = 0;
    if (!wait_readable(fd, stopping) || ::recv(fd, &c, 1, 0) != 1) return;
    const std::string start = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Drip: ";
    for (std::size_t i = 0; pause(interval, stopping); ++i) {
      const char next = i < start.size() ? start[i] : 'a';
      if (!send_all(fd, std::string(1, next))) return;
    }
  };
}

BrokenServer::Behaviour BrokenServer::endless_chunked() {
  return [](int fd, const std::atomic<bool>& stopping) {
    char c = 0;
    if (!wait_readable(fd, stopping) || ::recv(fd, &c, 1, 0) != 1) return;
    if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    while (!stopping && send_all(fd, chunk)) {
    }
  };
}

BrokenServer::Behaviour BrokenServer::endless_head() {
  return [](int fd, const std::atomic<bool>& stopping) {
    char c = 0;
    if (!wait_readable(fd, stopping) || ::recv(fd, &c, 1, 0) != 1) return;
    if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")) return;
    std::string lines;
    for (int i = 0; i < 8; ++i) lines += "X-Filler-" + std::to_string(i) + ": " + std::string(8000, 'a') + "\r\n";
    while (!stopping && send_all(fd, lines)) {
    }
  };
}

BrokenServer::Behaviour BrokenServer::declared_length(unsigned long long length) {
  return [length](int fd, const std::atomic<bool>& stopping) {
    char c = 0;
    if (!wait_readable(fd, stopping) || ::recv(fd, &c, 1, 0) != 1) return;
    if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) +
                          "\r\n\r\n")) {
      return;
    }
    const std::string piece(0x10000, ' ');
    while (!stopping && send_all(fd, piece)) {
    }
  };
}

BrokenServer::Behaviour BrokenServer::early_413(std::size_t limit) {
  return [limit](int fd, const std::atomic<bool>& stopping) {
    const std::string head = read_head(fd, stopping);
    if (head.empty()) return;
    const std::string body = content_length(head) > limit
                                 ? R"({"code":"PAYLOAD_TOO_LARGE","detail":"the body is over the limit"})"
                                 : R"({"code":"BAD_REQUEST","detail":"this server takes no requests"})";
    const std::string status = content_length(head) > limit ? "413 Payload Too Large" : "400 Bad Request";
    send_all(fd, "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);
    // Closed with the body unread: the kernel answers whatever the client still sends with a reset.
  };
}

BrokenServer::Behaviour BrokenServer::closes_kept_alive() {
  return [](int fd, const std::atomic<bool>& stopping) {
    const std::string head = read_head(fd, stopping);
    if (head.empty() || !skip_body(fd, content_length(head), stopping)) return;
    if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")) return;
    // The next request arrives on a connection the client believes open; it is closed unanswered.
    wait_readable(fd, stopping);
  };
}

}  // namespace pbxmock::test
