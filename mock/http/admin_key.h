#pragma once
// Who may steer the mock through /__admin/ (issue 4 item 8). Bound to a loopback address
// only this machine can reach it, and the admin API is open, as WireMock users expect.
// Bound to anything else (0.0.0.0, ::, a LAN address, a host name), it answers 401 unless
// the request carries the admin key: `X-Admin-Key: <key>` or `Authorization: Bearer <key>`.
#include <string>
#include <string_view>

#include "spec/request_view.h"

namespace pbxmock::mock {

// 127.0.0.0/8, ::1, ::ffff:127.x.y.z, and "localhost". Anything else, host names
// included (they may resolve to anything), is not.
bool is_loopback_host(std::string_view host);

// 32 hexadecimal characters from OpenSSL's generator; "" if the generator fails.
std::string generate_admin_key();

class AdminGate {
 public:
  // An empty key means open (a loopback server).
  explicit AdminGate(std::string key) : key_(std::move(key)) {}
  bool open() const noexcept { return key_.empty(); }
  bool allows(const spec::RequestView& request) const;

 private:
  std::string key_;
};

}  // namespace pbxmock::mock
