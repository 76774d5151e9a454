#include "mock/http/faults.h"

#include <sys/socket.h>

namespace pbxmock::mock {
namespace {

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

std::string_view fault_bytes(Fault fault) noexcept {
  return fault == Fault::malformed_chunk ? kMalformedChunk : std::string_view();
}

void break_socket(int socket, Fault fault) noexcept {
  if (fault == Fault::connection_reset) {
    // A zero linger time makes the last close abort the connection with an RST.
    const linger abort_on_close{1, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    return;
  }
  ::shutdown(socket, SHUT_RDWR);
}

}  // namespace pbxmock::mock
