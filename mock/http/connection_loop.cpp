#include "mock/http/connection_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

#include "mock/http/socket_address.h"

namespace pbxmock::mock {
namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// How often the loop looks for connections past their deadline.
constexpr auto kSweepEvery = std::chrono::milliseconds(100);
constexpr std::size_t kReadBytes = 64 * 1024;

Endpoint endpoint_of(bool peer, int socket) {
  Endpoint out;
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  if ((peer ? ::getpeername(socket, raw, &length) : ::getsockname(socket, raw, &length)) != 0) return out;
  out.port = port_of(address);
  if (auto host = numeric_host(address, length)) out.ip = std::move(*host);
  return out;
}

// Sends all of `bytes` through a transport over a non-blocking socket, waiting up to
// `timeout` whenever it cannot go on (the peer's window is full); false when the peer is
// gone or too slow.
bool send_all(Transport& transport, int socket, std::string_view bytes, std::chrono::milliseconds timeout) {
  while (!bytes.empty()) {
    const IoResult sent = transport.write(bytes);
    if (sent.status == IoStatus::ok) {
      bytes.remove_prefix(sent.bytes);
      continue;
    }
    if (sent.status == IoStatus::closed) return false;
    pollfd entry{socket, static_cast<short>(sent.status == IoStatus::want_read ? POLLIN : POLLOUT), 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) return false;
  }
  return true;
}

// What a refused connection still sends is dropped as it comes, below any transport (its
// writing side is closed already).
IoStatus drop_received(int socket, char* buffer, std::size_t size) {
  while (true) {
    const ssize_t n = ::recv(socket, buffer, size, 0);
    if (n > 0) return IoStatus::ok;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return IoStatus::want_read;
    return IoStatus::closed;
  }
}

std::uint32_t interest(bool for_writing) {
  return (for_writing ? EPOLLOUT : EPOLLIN) | EPOLLRDHUP | EPOLLONESHOT;
}

spec::ApiError timed_out(bool head) {
  return {408,
          "REQUEST_TIMEOUT",
          "request not received in time",
          {{"field", head ? "headers" : "body"},
           {"rule", "deadline"},
           {"explanation", head ? "the request line and headers did not arrive in time" : "the body did not arrive in time"}},
          {}};
}

}  // namespace

struct ConnectionLoop::Connection {
  Connection(int socket, const ReaderLimits& limits, std::unique_ptr<Transport> over)
      : transport(std::move(over)), reader(limits) {
    info.socket = socket;
    info.tls = transport->tls();
  }
  ConnectionInfo info;
  std::unique_ptr<Transport> transport;
  RequestReader reader;
  std::string in;  // received, not yet fed to the reader (a pipelined request's start)
  Time deadline{};
  bool handshaking = false;  // the transport's handshake is not done (the deadline is its)
  bool head_timer = false;   // the deadline is the head's (else the body's or keep-alive's)
  bool lingering = false;    // refused: reading and dropping until the peer closes
  bool wants_write = false;  // the transport's last step waits for the socket to take bytes
  std::size_t served = 0;
  std::atomic<bool> busy{false};  // a worker holds it
};

ConnectionLoop::ConnectionLoop(LoopSettings settings, ServeRequest serve, RefuseRequest refuse,
                               MakeTransport make_transport)
    : settings_(settings),
      serve_(std::move(serve)),
      refuse_(std::move(refuse)),
      make_transport_(make_transport ? std::move(make_transport) : [](int socket) -> std::unique_ptr<Transport> {
        return std::make_unique<PlainTransport>(socket);
      }) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up descriptor
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
  workers_ = std::make_unique<ElasticTaskQueue>();
  thread_ = std::thread([this] { run(); });
}

ConnectionLoop::~ConnectionLoop() {
  stop();
  if (workers_) workers_->shutdown();
  ::close(epoll_);
  ::close(wake_);
}

void ConnectionLoop::add(int socket) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!loop_over_) {
      incoming_.push_back(socket);
      socket = -1;
    }
  }
  if (socket >= 0) {
    ::close(socket);
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
}

void ConnectionLoop::stop() {
  if (stopping_.exchange(true)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

bool ConnectionLoop::drain(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  // The loop thread (stopped from another thread, perhaps) must be done handing out work.
  while (!loop_done_.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  while (open_.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!loop_done_.load() || open_.load() > 0) {
    // A worker still runs (a rule's delay): it keeps the pool; the process ends without it.
    (void)workers_.release();
    return false;
  }
  workers_->shutdown();
  return true;
}

void ConnectionLoop::run() {
  std::array<epoll_event, 256> events{};
  Time last_sweep = std::chrono::steady_clock::now();
  while (!stopping_.load()) {
    const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                               static_cast<int>(kSweepEvery.count()));
    const Time now = std::chrono::steady_clock::now();
    if (n > 0) {
      // Workers give a connection back by re-arming it under this lock; taking it once here
      // orders their last touch of the socket before the loop's next one (epoll itself
      // orders them in the kernel, but ThreadSanitizer does not see EPOLL_CTL_MOD as a
      // release).
      std::lock_guard<std::mutex> handed_back(mutex_);
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = ::read(wake_, &count, sizeof count);
        accept_new();
        continue;
      }
      on_ready(*static_cast<Connection*>(events[i].data.ptr));
    }
    if (now - last_sweep >= kSweepEvery) {
      on_expired(now);
      last_sweep = now;
    }
  }
  // Closing: every connection the loop holds ends now; a worker closes its own.
  std::vector<Connection*> released;
  {
    // One critical section with loop_over_: a worker that still holds a connection sees
    // loop_over_ only after it and then closes that one itself, so nothing listed here can
    // have been freed by a worker. A connection given back (released_) but not yet taken off
    // the list is taken off first: freeing it and then reading it from the list was a
    // use-after-free at stop.
    std::lock_guard<std::mutex> lock(mutex_);
    loop_over_ = true;
    released.swap(released_);
    for (int socket : incoming_) ::close(socket);
    incoming_.clear();
    for (Connection* connection : released) connections_.erase(connection->info.socket);
    for (auto& [socket, connection] : connections_) {
      if (connection->busy.load(std::memory_order_acquire)) continue;
      close_now(connection);
      --open_;
    }
    connections_.clear();
  }
  for (Connection* connection : released) {
    close_now(connection);
    --open_;
  }
  loop_done_ = true;
}

void ConnectionLoop::accept_new() {
  std::vector<int> sockets;
  std::vector<Connection*> released;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sockets.swap(incoming_);
    released.swap(released_);
  }
  for (Connection* connection : released) {
    connections_.erase(connection->info.socket);
    close_now(connection);
    --open_;
  }
  const Time now = std::chrono::steady_clock::now();
  for (int socket : sockets) {
    if (connections_.size() >= settings_.max_connections) {
      ::close(socket);
      continue;
    }
    ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL, 0) | O_NONBLOCK);
    std::unique_ptr<Transport> transport = make_transport_(socket);
    if (!transport) {
      ::close(socket);
      continue;
    }
    auto* connection = new Connection(socket, settings_.limits, std::move(transport));
    connection->info.remote = endpoint_of(true, socket);
    connection->info.local = endpoint_of(false, socket);
    // Plain TCP is ready at once; a TLS handshake starts (it has nothing to read yet, most
    // likely) and gets its own deadline.
    const IoStatus handshake = connection->transport->handshake();
    if (handshake == IoStatus::closed) {
      close_now(connection);
      continue;
    }
    connection->handshaking = handshake != IoStatus::ok;
    // At the cap, the handshake stalled longest makes room: a fresh client is not shut out
    // by clients that never finish theirs.
    if (connection->handshaking && handshaking_ >= settings_.max_handshakes) close_oldest_handshake();
    handshaking_ += connection->handshaking ? 1 : 0;
    connection->wants_write = handshake == IoStatus::want_write;
    connection->deadline = now + (connection->handshaking ? settings_.handshake_deadline : settings_.keep_alive);
    epoll_event event{};
    event.events = interest(connection->wants_write);
    event.data.ptr = connection;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, socket, &event) != 0) {
      handshaking_ -= connection->handshaking ? 1 : 0;
      close_now(connection);
      continue;
    }
    ++open_;
    connections_.emplace(socket, connection);
  }
}

void ConnectionLoop::close_now(Connection* connection) {
  connection->transport->finish();
  ::close(connection->info.socket);
  delete connection;
}

void ConnectionLoop::close_oldest_handshake() {
  Connection* oldest = nullptr;
  for (auto& [socket, connection] : connections_) {
    if (connection->handshaking && (!oldest || connection->deadline < oldest->deadline)) oldest = connection;
  }
  if (oldest) close_in_loop(*oldest);
}

void ConnectionLoop::close_in_loop(Connection& connection) {
  handshaking_ -= connection.handshaking ? 1 : 0;
  connections_.erase(connection.info.socket);
  close_now(&connection);
  --open_;
}

void ConnectionLoop::rearm(int socket, Connection* connection, bool for_writing) {
  // Does not look into `connection`: once a worker gave it back, the loop may free it.
  epoll_event event{};
  event.events = interest(for_writing);
  event.data.ptr = connection;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, socket, &event);
}

void ConnectionLoop::on_ready(Connection& connection) {
  const Time now = std::chrono::steady_clock::now();
  Transport& transport = *connection.transport;
  if (connection.handshaking) {
    const IoStatus step = transport.handshake();
    if (step == IoStatus::closed) {
      close_in_loop(connection);
      return;
    }
    if (step != IoStatus::ok) {
      connection.wants_write = step == IoStatus::want_write;
      rearm(connection.info.socket, &connection, connection.wants_write);
      return;
    }
    connection.handshaking = false;
    --handshaking_;
    connection.deadline = now + settings_.keep_alive;
    // The first request may have come right behind the handshake: read on.
  }
  std::array<char, kReadBytes> buffer;
  // A few reads per wake-up, so one fast sender cannot keep the loop from the others
  // (bytes a transport holds already are read on: epoll would not report them).
  for (int reads = 0;; ++reads) {
    if (reads >= 16 && !transport.has_buffered()) {
      connection.wants_write = false;
      rearm(connection.info.socket, &connection, false);
      return;
    }
    const IoResult got = connection.lingering ? IoResult{0, drop_received(connection.info.socket, buffer.data(), buffer.size())}
                                              : transport.read(buffer.data(), buffer.size());
    if (got.status == IoStatus::ok) {
      if (connection.lingering) continue;  // dropped: the answer was a refusal
      connection.in.append(buffer.data(), got.bytes);
      const Next next = advance(connection, now);
      if (next == Next::wait || connection.lingering) continue;
      if (next == Next::answer) {
        connection.busy.store(true, std::memory_order_release);
        Connection* held = &connection;
        workers_->enqueue([this, held] { answer(held); });
        return;
      }
      break;  // close
    }
    if (got.status != IoStatus::closed) {
      connection.wants_write = got.status == IoStatus::want_write;
      rearm(connection.info.socket, &connection, connection.wants_write);
      return;
    }
    break;  // the peer closed, or the connection broke
  }
  close_in_loop(connection);
}

ConnectionLoop::Next ConnectionLoop::advance(Connection& connection, Time now) {
  RequestReader& reader = connection.reader;
  const bool was_idle = reader.idle();
  const bool had_head = reader.head_done();
  const std::size_t used = reader.feed(connection.in);
  connection.in.erase(0, used);
  switch (reader.state()) {
    case RequestReader::State::complete:
      return Next::answer;
    case RequestReader::State::refused:
      refuse(connection, reader.refusal());
      return Next::close;
    case RequestReader::State::need_more:
      break;
  }
  if (was_idle && !reader.idle()) {
    connection.deadline = now + settings_.head_deadline;
    connection.head_timer = true;
  }
  if (!had_head && reader.head_done()) {
    connection.deadline = now + settings_.body_deadline;
    connection.head_timer = false;
    if (reader.wants_continue() &&
        !send_all(*connection.transport, connection.info.socket, kContinue, settings_.write_timeout)) {
      return Next::close;
    }
  }
  return Next::wait;
}

void ConnectionLoop::refuse(Connection& connection, const spec::ApiError& error) {
  const std::string bytes = refuse_(connection.reader, error, connection.info);
  // The refusal is short and the socket's buffer empty: it goes out at once or never.
  send_all(*connection.transport, connection.info.socket, bytes, std::chrono::milliseconds(0));
  connection.transport->finish();
  ::shutdown(connection.info.socket, SHUT_WR);
  connection.lingering = true;
  connection.deadline = std::chrono::steady_clock::now() + settings_.linger;
}

void ConnectionLoop::on_expired(Time now) {
  std::vector<Connection*> expired;
  for (auto& [socket, connection] : connections_) {
    if (connection->busy.load(std::memory_order_acquire)) continue;
    if (now >= connection->deadline) expired.push_back(connection);
  }
  for (Connection* connection : expired) {
    if (!connection->lingering && !connection->reader.idle()) refuse(*connection, timed_out(connection->head_timer));
    close_in_loop(*connection);
  }
}

void ConnectionLoop::answer(Connection* connection) {
  bool keep = true;
  while (true) {
    ReadRequest request = connection->reader.take();
    const bool last = ++connection->served >= settings_.keep_alive_requests || stopping_.load();
    Served served = serve_(request, connection->info, last);
    keep = send_all(*connection->transport, connection->info.socket, served.bytes, settings_.write_timeout) &&
           !served.close && !last;
    if (!keep) break;
    const Time now = std::chrono::steady_clock::now();
    connection->deadline = now + settings_.keep_alive;
    connection->head_timer = false;
    if (connection->in.empty()) {
      // A busy client sends its next request right after the answer: waiting a moment for
      // it here saves two thread hand-overs and an epoll round. A slow client does not
      // complete its request in that moment and goes back to the loop.
      const ReadOutcome read = read_next(*connection);
      if (read == ReadOutcome::closed) {
        keep = false;
        break;
      }
      if (read == ReadOutcome::nothing) break;
    }
    // A pipelined request may be waiting in the buffer already.
    const Next next = advance(*connection, now);
    if (next == Next::answer) continue;
    keep = next == Next::wait || connection->lingering;  // a refusal lingers in the loop
    break;
  }
  if (!keep) {
    release(connection);
    return;
  }
  const int socket = connection->info.socket;
  const bool for_writing = connection->wants_write;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (loop_over_) {
      close_now(connection);
      --open_;
      return;
    }
    connection->busy.store(false, std::memory_order_release);
    rearm(socket, connection, for_writing);  // under the lock: see run()
  }
}

ConnectionLoop::ReadOutcome ConnectionLoop::read_next(Connection& connection) {
  Transport& transport = *connection.transport;
  connection.wants_write = false;
  // Bytes the transport holds already must be read here: epoll would not report them.
  if (!transport.has_buffered()) {
    if (settings_.next_request_wait.count() <= 0) return ReadOutcome::nothing;
    pollfd entry{connection.info.socket, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(settings_.next_request_wait.count())) <= 0) return ReadOutcome::nothing;
  }
  // A TLS record holds at most 16 KiB.
  std::array<char, 16 * 1024> buffer;
  const IoResult got = transport.read(buffer.data(), buffer.size());
  switch (got.status) {
    case IoStatus::ok:
      connection.in.append(buffer.data(), got.bytes);
      return ReadOutcome::bytes;
    case IoStatus::want_write:
      connection.wants_write = true;
      return ReadOutcome::nothing;
    case IoStatus::want_read:
      return ReadOutcome::nothing;
    case IoStatus::closed:
      break;
  }
  return ReadOutcome::closed;
}

void ConnectionLoop::release(Connection* connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!loop_over_) {
      released_.push_back(connection);
      connection = nullptr;
    }
  }
  if (connection) {
    close_now(connection);
    --open_;
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
}

}  // namespace pbxmock::mock
