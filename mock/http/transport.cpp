#include "mock/http/transport.h"

#include <sys/socket.h>

#include <cerrno>

namespace pbxmock::mock {

IoResult PlainTransport::read(char* into, std::size_t size) {
  while (true) {
    const ssize_t n = ::recv(socket_, into, size, 0);
    if (n > 0) return {static_cast<std::size_t>(n), IoStatus::ok};
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return {0, IoStatus::want_read};
    return {0, IoStatus::closed};
  }
}

IoResult PlainTransport::write(std::string_view bytes) {
  while (true) {
    const ssize_t n = ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return {static_cast<std::size_t>(n), IoStatus::ok};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {0, IoStatus::want_write};
    return {0, IoStatus::closed};
  }
}

}  // namespace pbxmock::mock
