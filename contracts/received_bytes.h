#pragma once
// How many bytes a TCP connection has received so far, from the kernel (TCP_INFO): what the
// client's watchdog compares with the answer's size cap while cpp-httplib reads the head,
// which it does without any limit of its own (an upstream that sends header lines without end
// would otherwise grow the process until the deadline). In a file of its own because
// <linux/tcp.h> and the <netinet/tcp.h> that cpp-httplib includes cannot meet.
#include <cstdint>
#include <optional>

namespace pbxmock::contracts {

// nullopt when `fd` is not a TCP socket (or the kernel does not say).
std::optional<std::uint64_t> tcp_bytes_received(int fd) noexcept;

}  // namespace pbxmock::contracts
