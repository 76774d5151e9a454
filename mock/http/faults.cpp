#include "mock/http/faults.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <cstdlib>
#include <vector>

#include "mock/http/socket_address.h"

namespace pbxmock::mock {
namespace {

// Looking at descriptors other threads own is racy by nature: one may be closed, and its
// number reused, while we look. That is harmless here: we only act on a socket whose local
// port is the server's (any such socket is one of our connections), and the fault path
// acts on its own connection, which no other thread closes. These raw system calls keep
// ThreadSanitizer's model of descriptors out of it; through the libc wrappers it reports
// the look as a race with the other thread's close() (and once crashed building the report).
int raw_getsockname(int fd, sockaddr_storage& address, socklen_t& length) {
  length = sizeof address;
  return static_cast<int>(::syscall(SYS_getsockname, fd, reinterpret_cast<sockaddr*>(&address), &length));
}

int raw_getpeername(int fd, sockaddr_storage& address, socklen_t& length) {
  length = sizeof address;
  return static_cast<int>(::syscall(SYS_getpeername, fd, reinterpret_cast<sockaddr*>(&address), &length));
}

// The numbers of every open descriptor (sockets or not: describe() tells them apart).
std::vector<int> open_descriptors() {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return fds;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd != own) fds.push_back(fd);
  }
  ::closedir(dir);
  return fds;
}

// Local port and peer of a connected socket; false for anything else (a listener, a file).
bool describe(int fd, int& local_port, sockaddr_storage& peer, socklen_t& peer_length) {
  sockaddr_storage local{};
  socklen_t local_length = 0;
  if (raw_getsockname(fd, local, local_length) != 0) return false;
  local_port = port_of(local);
  return raw_getpeername(fd, peer, peer_length) == 0;
}

// Puts an unconnected socket where `fd` was. dup2 closes the original atomically, so the
// number stays taken until httplib closes the stand-in itself.
bool replace_with_stand_in(int fd) {
  const int stand_in = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (stand_in < 0) return false;
  const bool ok = ::dup2(stand_in, fd) == fd;
  ::close(stand_in);
  return ok;
}

bool write_all(int fd, SSL* ssl, std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = ssl ? ::SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size()))
                      : static_cast<int>(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL));
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// A head that promises a chunked body, then a chunk-size line that is not hexadecimal.
constexpr std::string_view kMalformedChunk =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n"
    "Access-Control-Allow-Origin: *\r\n"
    "\r\n"
    "14\r\n{\"access_token\":\"ABC\r\n"  // a valid first chunk of 0x14 bytes
    "zz-not-a-size\r\n";

}  // namespace

std::optional<int> find_connection_socket(int local_port, std::string_view peer_address, int peer_port) {
  for (const int fd : open_descriptors()) {
    int port = -1;
    sockaddr_storage peer{};
    socklen_t peer_length = 0;
    if (!describe(fd, port, peer, peer_length) || port != local_port || port_of(peer) != peer_port) continue;
    if (numeric_host(peer, peer_length) == peer_address) return fd;
  }
  return std::nullopt;
}

std::string_view fault_bytes(Fault fault) noexcept {
  return fault == Fault::malformed_chunk ? kMalformedChunk : std::string_view();
}

bool apply_fault(int socket_fd, Fault fault, SSL* ssl) {
  switch (fault) {
    case Fault::connection_reset: {
      // A zero linger time makes the last close abort the connection with an RST.
      const linger abort_on_close{1, 0};
      if (::setsockopt(socket_fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) != 0) return false;
      return replace_with_stand_in(socket_fd);
    }
    case Fault::empty_response:
      ::shutdown(socket_fd, SHUT_RDWR);
      return replace_with_stand_in(socket_fd);
    case Fault::malformed_chunk:
      // A failed write still ends in a broken exchange, which is what was asked for.
      write_all(socket_fd, ssl, fault_bytes(fault));
      ::shutdown(socket_fd, SHUT_RDWR);
      return replace_with_stand_in(socket_fd);
  }
  return false;
}

}  // namespace pbxmock::mock
