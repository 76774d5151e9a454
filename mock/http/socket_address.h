#pragma once
// A socket address as the log and the journal show a connection's ends (numeric host, port).
#include <sys/socket.h>

#include <optional>
#include <string>

namespace pbxmock::mock {

// The port of an IPv4 or IPv6 address; -1 for any other family.
int port_of(const sockaddr_storage& address) noexcept;

// The numeric host ("127.0.0.1", "::1"); nullopt when it cannot be written.
std::optional<std::string> numeric_host(const sockaddr_storage& address, socklen_t length);

}  // namespace pbxmock::mock
