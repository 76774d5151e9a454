#pragma once
// The server binary wrapped in a shell that limits its address space first (not under ASan,
// which reserves terabytes), so a limit of the server that does not hold fails the test
// instead of taking the machine down; the test can also read the server's peak resident
// size. PBXMOCK_BINARY comes from the test's compile definitions.
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/server_process.h"

#if defined(__SANITIZE_ADDRESS__)
#define PBXMOCK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PBXMOCK_ASAN 1
#endif
#endif

namespace pbxmock::test {

class LimitedServer {
 public:
  explicit LimitedServer(std::vector<std::string> args = {}, std::string host = "127.0.0.1") {
    std::string binary = PBXMOCK_BINARY;
#ifndef PBXMOCK_ASAN
    binary = folder_.path() + "/pbxmock-limited";
    {
      std::ofstream script(binary);
      script << "#!/bin/sh\nulimit -v " << 2 * 1024 * 1024 << "\nexec '" << PBXMOCK_BINARY << "' \"$@\"\n";
    }
    ::chmod(binary.c_str(), 0755);
#endif
    ServeOptions options;
    options.args = std::move(args);
    options.host = std::move(host);
    server_ = std::make_unique<ServerProcess>(binary, options);
  }
  ServerProcess& operator*() { return *server_; }
  ServerProcess* operator->() { return server_.get(); }

  // A line of /proc/PID/status ("VmHWM:", "Threads:") as a number (0 when it cannot be read).
  long status_field(const std::string& name) const {
    std::ifstream status("/proc/" + std::to_string(server_->pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind(name, 0) == 0) return std::stol(line.substr(name.size()));
    }
    return 0;
  }
  // VmHWM of the server, in KiB.
  long peak_resident_kib() const { return status_field("VmHWM:"); }

 private:
  ScratchFolder folder_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace pbxmock::test
