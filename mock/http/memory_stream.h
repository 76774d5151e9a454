#pragma once
// The httplib::Stream a worker hands to Server::process_request: one complete request,
// already read and re-framed by the connection loop, and a buffer that collects the
// answer, which the worker then sends in one go. httplib never touches the socket, so it
// never waits on a client; the socket number is still reported (a rule's fault finds the
// real connection through the addresses).
#include <httplib.h>

#include <string>
#include <string_view>

#include "mock/http/connection_loop.h"

namespace pbxmock::mock {

class MemoryStream final : public httplib::Stream {
 public:
  MemoryStream(std::string_view request, const ConnectionInfo& connection) : in_(request), connection_(connection) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return connection_.socket; }

  std::string& written() noexcept { return out_; }

 private:
  std::string_view in_;
  const ConnectionInfo& connection_;
  std::string out_;
};

}  // namespace pbxmock::mock
