#pragma once
// HTTP over a plain socket, for tests that need to see exactly what the server sent or how
// the connection ended (a reset, a close with no bytes, a broken chunk), or to hold
// connections open and idle. Every wait has a deadline.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbxmock::test {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  const std::string* header(std::string_view name) const;  // case-insensitive
};

// The first response at the start of `buffer` (Content-Length or no body): on `complete`,
// `response` holds it and its bytes are taken off `buffer`.
enum class Framing { complete, incomplete, malformed };
Framing take_response(std::string& buffer, RawResponse& response);

// A connected TCP socket to a numeric IPv4 or IPv6 address (TCP_NODELAY on), or -1.
int connect_tcp(const std::string& address, int port);

class RawConnection {
 public:
  // Connects to address:port (IPv4 or IPv6 literal); nullopt when it cannot.
  static std::optional<RawConnection> open(const std::string& address, int port);
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  ~RawConnection();

  int fd() const noexcept { return fd_; }
  bool send(std::string_view bytes);

  enum class End { closed, reset, timeout, error };
  struct Received {
    std::string bytes;
    End end = End::error;
    int error_number = 0;
  };
  // Everything until the peer closes (or resets) the connection or `deadline` passes.
  Received read_until_end(std::chrono::milliseconds deadline);
  // One response (Content-Length or no body); nullopt when the connection ends first.
  std::optional<RawResponse> read_response(std::chrono::milliseconds deadline);

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  int fd_ = -1;
  std::string buffer_;  // bytes read past the last response
};

struct RawHttp {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  // One request on a fresh connection (with Connection: close).
  static std::optional<RawResponse> request(const std::string& address, int port, const std::string& method,
                                            const std::string& target, const Headers& headers,
                                            const std::string& body, std::chrono::milliseconds deadline);
};

}  // namespace pbxmock::test
