#pragma once
// The real `pbxmock serve` as a child process on a free loopback port, for tests that talk
// HTTP to it. Start-up waits for the banner line (which names the port it got) and then
// for GET /__admin/health to answer 200 (an HTTPS one: for a connection); teardown sends SIGTERM, waits, and reaps (SIGKILL
// past a deadline, so a hung server fails its test instead of hanging CTest). Standard
// output and error go to files in a private temporary folder, read back on demand, so the
// server can never block on a full pipe.
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace pbxmock::test {

struct ServeOptions {
  std::vector<std::string> args;  // after the command; "--port 0" is added unless args name a port
  std::string host = "127.0.0.1";  // --host; the address tests connect to is always loopback
  std::chrono::milliseconds ready_within{15'000};
  // RLIMIT_AS for the server, so that a regression that eats memory fails its test with an
  // allocation failure instead of taking the machine. 0: no limit. Not applied in sanitizer
  // builds: ASan reserves terabytes of address space up front.
  std::size_t address_space_limit = 0;
  // Set in the server's environment (PBXMOCK_ADMIN_KEY, say).
  std::vector<std::pair<std::string, std::string>> environment{};
  std::string command = "serve";  // or "proxy" (its banner names the port the same way)
};

// What hostile-input tests give a server: 2 GiB of address space.
inline constexpr std::size_t kHostileAddressSpace = std::size_t{2} << 30;

class ServerProcess {
 public:
  // Throws std::runtime_error (with what the server printed) when it does not come up.
  ServerProcess(const std::string& binary, ServeOptions options = {});
  ~ServerProcess();  // stops the server; an exit status other than 0 fails the running test
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const noexcept { return port_; }
  // Where tests connect: always 127.0.0.1 (also for a server bound to 0.0.0.0).
  const char* address() const noexcept { return "127.0.0.1"; }
  // The key printed at start by a server bound to a non-loopback address, else "".
  const std::string& admin_key() const noexcept { return admin_key_; }
  // Everything printed so far on standard output (the banner) and standard error (the log).
  std::string out() const;
  std::string err() const;
  // Waits up to `deadline` for `text` to appear on standard error.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds deadline) const;
  // A temporary file path in the server's private folder (for scenario files and the like).
  std::string scratch_path(const std::string& name) const;
  // How long it took from fork to the first 200 from /__admin/health.
  std::chrono::microseconds ready_after() const noexcept { return ready_after_; }
  pid_t pid() const noexcept { return pid_; }

  // SIGTERM, then the exit status (-1 if it had to be killed or died of a signal).
  int stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  void wait_until_ready(std::chrono::milliseconds deadline);

  std::string folder_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;  // the banner said https: readiness is a TCP connection, not /__admin/health
  std::string admin_key_;
  std::chrono::microseconds ready_after_{0};
};

// A folder of its own under $TMPDIR (or /tmp), removed with everything in it on destruction.
class ScratchFolder {
 public:
  ScratchFolder();
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::string& path() const noexcept { return path_; }
  // Writes `text` to path()/name (atomically: a temporary file renamed over it) and returns the path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);

}  // namespace pbxmock::test
