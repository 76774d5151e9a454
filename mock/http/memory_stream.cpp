#include "mock/http/memory_stream.h"

#include <algorithm>
#include <cstring>

namespace pbxmock::mock {

ssize_t MemoryStream::read(char* ptr, size_t size) {
  const std::size_t n = std::min(size, in_.size());
  std::memcpy(ptr, in_.data(), n);
  in_.remove_prefix(n);
  return static_cast<ssize_t>(n);
}

ssize_t MemoryStream::write(const char* ptr, size_t size) {
  out_.append(ptr, size);
  return static_cast<ssize_t>(size);
}

void MemoryStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.remote.ip;
  port = connection_.remote.port;
}

void MemoryStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.local.ip;
  port = connection_.local.port;
}

}  // namespace pbxmock::mock
