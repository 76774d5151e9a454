#include "mock/http/connection_loop.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

#include "mock/http/faults.h"
#include "mock/http/socket_address.h"

namespace pbxmock::mock {
namespace {

// How often the loop looks for connections past their deadline.
constexpr auto kSweepEvery = std::chrono::milliseconds(100);
constexpr std::size_t kReadBytes = 64 * 1024;
// Connections accepted per wake-up before the others get their turn.
constexpr int kAcceptsPerWake = 64;

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

// Writes what the socket takes at once; for the short answers that go out now or never.
void write_at_once(Transport& transport, std::string_view bytes) {
  while (!bytes.empty()) {
    const IoResult sent = transport.write(bytes);
    if (sent.status != IoStatus::ok || sent.bytes == 0) return;
    bytes.remove_prefix(sent.bytes);
  }
}

// Sends all of `bytes` from a worker, waiting up to `timeout` whenever the socket cannot
// take more; false when the peer is gone or too slow.
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

}  // namespace

struct ConnectionLoop::Connection {
  Connection(int socket, const LoopSettings& settings, const ServeRequest& serve, const RefuseRequest& refuse,
             std::unique_ptr<Transport> over)
      : transport(std::move(over)), steps(settings, serve, refuse) {
    info.socket = socket;
  }
  ConnectionInfo info;
  std::unique_ptr<Transport> transport;
  ConnectionSteps steps;
  std::string in;   // received, not yet read (a pipelined request's start)
  std::string out;  // an answer the socket has not taken whole yet
  std::size_t out_sent = 0;
  Time deadline{};
  bool handshaking = false;  // the transport's handshake is not done (the deadline is its)
  bool head_timer = false;   // the deadline is the head's (else the body's or keep-alive's)
  bool lingering = false;    // refused: reading and dropping until the peer closes
  bool wants_write = false;  // the transport's last step waits for the socket to take bytes
  bool writing = false;      // `out` waits for the socket: nothing is read meanwhile
  bool close_after = false;  // close once `out` is sent
  bool goodbye = true;       // say goodbye (TLS close_notify) at the close; not after a fault
  std::atomic<bool> busy{false};  // a worker holds it
};

ConnectionLoop::ConnectionLoop(LoopSettings settings, const ServeRequest& serve, const RefuseRequest& refuse,
                               MakeTransport make_transport, std::function<void()> on_sweep)
    : settings_(settings),
      serve_(serve),
      refuse_(refuse),
      make_transport_(make_transport ? std::move(make_transport) : [](int socket) -> std::unique_ptr<Transport> {
        return std::make_unique<PlainTransport>(socket);
      }),
      on_sweep_(std::move(on_sweep)) {
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

void ConnectionLoop::listen(int socket) {
  ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL, 0) | O_NONBLOCK);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &listener_;
  listener_ = socket;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, socket, &event);
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
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == nullptr) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = ::read(wake_, &count, sizeof count);
        take_handed_back();
      } else if (tag == &listener_) {
        accept_connections();
      } else {
        on_ready(*static_cast<Connection*>(tag));
      }
    }
    if (now - last_sweep >= kSweepEvery) {
      on_expired(now);
      if (on_sweep_) on_sweep_();
      last_sweep = now;
    }
  }
  if (listener_ >= 0) ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_, nullptr);
  // Closing: every connection the loop holds ends now; a worker closes its own.
  std::vector<std::pair<Connection*, bool>> handed_back;
  {
    // One critical section with loop_over_: a worker that still holds a connection sees
    // loop_over_ only after it and then closes that one itself, so nothing listed here can
    // have been freed by a worker. A connection handed back but not yet taken is taken
    // off the list first.
    std::lock_guard<std::mutex> lock(mutex_);
    loop_over_ = true;
    handed_back.swap(handed_back_);
    for (auto& [connection, keep] : handed_back) connections_.erase(connection->info.socket);
    for (auto& [socket, connection] : connections_) {
      if (connection->busy.load(std::memory_order_acquire)) continue;
      close_now(connection);
      --open_;
    }
    connections_.clear();
  }
  for (auto& [connection, keep] : handed_back) {
    close_now(connection);
    --open_;
  }
  loop_done_ = true;
}

void ConnectionLoop::accept_connections() {
  const Time now = std::chrono::steady_clock::now();
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    const int socket = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (socket < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // none left (EAGAIN), or out of descriptors: the next wake-up tries again
    }
    take_socket(socket, now);
  }
}

void ConnectionLoop::take_socket(int socket, Time now) {
  if (connections_.size() >= settings_.max_connections) {
    ::close(socket);
    return;
  }
  // Without it the delayed-ACK dance caps loopback at some 300 requests a second.
  const int yes = 1;
  ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  std::unique_ptr<Transport> transport = make_transport_(socket);
  if (!transport) {
    ::close(socket);
    return;
  }
  auto* connection = new Connection(socket, settings_, serve_, refuse_, std::move(transport));
  connection->info.remote = endpoint_of(true, socket);
  connection->info.local = endpoint_of(false, socket);
  // Plain TCP is ready at once; a TLS handshake starts (it has nothing to read yet, most
  // likely) and gets its own deadline.
  const IoStatus handshake = connection->transport->handshake();
  if (handshake == IoStatus::closed) {
    close_now(connection);
    return;
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
    return;
  }
  ++open_;
  connections_.emplace(socket, connection);
}

void ConnectionLoop::take_handed_back() {
  std::vector<std::pair<Connection*, bool>> handed_back;
  {
    // Taking the list under the lock orders a worker's last touch of a connection before
    // the loop's next one (ThreadSanitizer sees that; it does not see epoll's ordering).
    std::lock_guard<std::mutex> lock(mutex_);
    handed_back.swap(handed_back_);
  }
  const Time now = std::chrono::steady_clock::now();
  for (auto& [connection, keep] : handed_back) {
    connection->busy.store(false, std::memory_order_relaxed);
    if (!keep) {
      close_in_loop(*connection);
      continue;
    }
    connection->deadline = now + settings_.keep_alive;
    connection->head_timer = false;
    // A pipelined request may be waiting in the buffer already (epoll would not report it).
    if (serve_buffered(*connection, now)) rearm(connection->info.socket, connection, false);
  }
}

void ConnectionLoop::close_now(Connection* connection) {
  if (connection->goodbye) connection->transport->finish();
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
  if (connection.writing) {
    // The socket takes bytes again: the rest of the answer, then what was pipelined.
    if (!flush(connection, now) || !serve_buffered(connection, now)) return;
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
      if (!serve_buffered(connection, now)) return;
      if (got.bytes < buffer.size() && !transport.has_buffered() && !connection.lingering) {
        // The socket had less than a buffer: it is drained, and a read to hear EAGAIN would
        // cost a system call a request. epoll says when more comes.
        connection.wants_write = false;
        rearm(connection.info.socket, &connection, false);
        return;
      }
      continue;
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

bool ConnectionLoop::serve_buffered(Connection& connection, Time now) {
  while (!connection.lingering) {
    ConnectionSteps::Step step = connection.steps.next(connection.in, connection.info, stopping_.load());
    switch (step.kind) {
      case ConnectionSteps::Step::Kind::need_more:
        if (step.started) {
          connection.deadline = now + settings_.head_deadline;
          connection.head_timer = true;
        }
        if (step.head_done) {
          connection.deadline = now + settings_.body_deadline;
          connection.head_timer = false;
        }
        return true;
      case ConnectionSteps::Step::Kind::interim:
        connection.deadline = now + settings_.body_deadline;
        connection.head_timer = false;
        if (!send(connection, std::move(step.served), now)) return false;
        continue;
      case ConnectionSteps::Step::Kind::refused:
        refuse(connection, step.served.bytes);
        return true;  // read on, and drop what comes
      case ConnectionSteps::Step::Kind::answer:
        if (step.served.finish) {
          // A rule's delay: a worker waits, answers, and gives the connection back.
          connection.busy.store(true, std::memory_order_release);
          Connection* held = &connection;
          auto pending = std::make_shared<Served>(std::move(step.served));
          workers_->enqueue([this, held, pending] { answer_later(held, std::move(*pending)); });
          return false;
        }
        if (!send(connection, std::move(step.served), now)) return false;
        continue;
    }
  }
  return true;
}

bool ConnectionLoop::send(Connection& connection, Served served, Time now) {
  if (served.fault) {
    write_at_once(*connection.transport, served.bytes);
    break_connection(connection, *served.fault);
    close_in_loop(connection);
    return false;
  }
  connection.out = std::move(served.bytes);
  connection.out_sent = 0;
  connection.close_after = served.close;
  return flush(connection, now);
}

bool ConnectionLoop::flush(Connection& connection, Time now) {
  while (connection.out_sent < connection.out.size()) {
    const IoResult sent = connection.transport->write(std::string_view(connection.out).substr(connection.out_sent));
    if (sent.status == IoStatus::ok) {
      connection.out_sent += sent.bytes;
      continue;
    }
    if (sent.status == IoStatus::closed) {
      close_in_loop(connection);
      return false;
    }
    if (!connection.writing) connection.deadline = now + settings_.write_timeout;
    connection.writing = true;
    connection.wants_write = sent.status == IoStatus::want_write;
    rearm(connection.info.socket, &connection, connection.wants_write);
    return false;
  }
  connection.out.clear();
  connection.out_sent = 0;
  connection.writing = false;
  if (connection.close_after) {
    close_in_loop(connection);
    return false;
  }
  // Between requests the connection idles; an interim answer's request still awaits its body.
  connection.deadline = now + (connection.steps.reader().idle() ? settings_.keep_alive : settings_.body_deadline);
  connection.head_timer = false;
  return true;
}

void ConnectionLoop::refuse(Connection& connection, std::string_view bytes) {
  // The refusal is short and the socket's buffer empty: it goes out at once or never.
  write_at_once(*connection.transport, bytes);
  connection.transport->finish();
  ::shutdown(connection.info.socket, SHUT_WR);
  connection.lingering = true;
  connection.in.clear();
  connection.deadline = std::chrono::steady_clock::now() + settings_.linger;
}

void ConnectionLoop::break_connection(Connection& connection, Fault fault) {
  break_socket(connection.info.socket, fault);
  connection.goodbye = false;  // the client is to see the break, not a TLS close_notify
}

void ConnectionLoop::on_expired(Time now) {
  std::vector<Connection*> expired;
  for (auto& [socket, connection] : connections_) {
    if (connection->busy.load(std::memory_order_acquire)) continue;
    if (now >= connection->deadline) expired.push_back(connection);
  }
  for (Connection* connection : expired) {
    if (!connection->lingering && !connection->writing && !connection->steps.reader().idle()) {
      write_at_once(*connection->transport, connection->steps.time_out(connection->info, connection->head_timer));
    }
    close_in_loop(*connection);
  }
}

void ConnectionLoop::answer_later(Connection* connection, Served pending) {
  std::this_thread::sleep_for(pending.delay);
  Served served = pending.finish();
  bool keep = false;
  if (served.fault) {
    send_all(*connection->transport, connection->info.socket, served.bytes, settings_.write_timeout);
    break_connection(*connection, *served.fault);
  } else {
    keep = send_all(*connection->transport, connection->info.socket, served.bytes, settings_.write_timeout) &&
           !served.close;
  }
  hand_back(connection, keep);
}

void ConnectionLoop::hand_back(Connection* connection, bool keep) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!loop_over_) {
      // Still busy until the loop takes it: the deadline sweep must not close it meanwhile.
      handed_back_.emplace_back(connection, keep);
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
