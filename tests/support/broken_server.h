#pragma once
// A server that misbehaves on purpose, on a free loopback port, written on plain sockets
// (cpp-httplib's server cannot drip, lie about lengths or hang up at the wrong moment). Each
// connection gets a thread of its own running the chosen behaviour; every loop watches the
// stop flag, so the destructor ends them all.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pbxmock::test {

class BrokenServer {
 public:
  // What one connection gets: its socket, and a flag that turns true when the server stops.
  using Behaviour = std::function<void(int fd, const std::atomic<bool>& stopping)>;

  explicit BrokenServer(Behaviour behaviour);
  ~BrokenServer();
  BrokenServer(const BrokenServer&) = delete;
  BrokenServer& operator=(const BrokenServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const { return connections_.load(); }

  // The behaviours the client's limits are tested against.
  // The status line and headers of a 200, one byte every `interval`, never finished.
  static Behaviour dripping(std::chrono::milliseconds interval);
  // A 200 with Transfer-Encoding: chunked whose chunks never end.
  static Behaviour endless_chunked();
  // A status line, then header lines of 8 KB without end: no body ever starts.
  static Behaviour endless_head();
  // A 200 that declares `length` bytes and sends bytes until the client hangs up.
  static Behaviour declared_length(unsigned long long length);
  // Reads the head only; a request with a body over `limit` bytes gets 413 and the connection
  // is closed with the body unread (as nginx does); others get 400. Both close the connection.
  static Behaviour early_413(std::size_t limit);
  // Answers the first request of each connection 200 `{}` without `Connection: close`, then
  // closes the connection when the next request arrives, without a word.
  static Behaviour closes_kept_alive();

 private:
  void accept_loop();

  int listener_ = -1;
  int port_ = 0;
  Behaviour behaviour_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;  // one per connection
  std::vector<int> fds_;              // open connections, shut down on stop
  std::thread acceptor_;
};

// Reads a request's head (up to the blank line); "" when the connection ends or the server
// stops first. Whatever follows the head (a body) is left unread.
std::string read_head(int fd, const std::atomic<bool>& stopping);

// Writes all of `bytes`; false when the peer is gone.
bool send_all(int fd, const std::string& bytes);

}  // namespace pbxmock::test
