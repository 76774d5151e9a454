#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#if defined(__SANITIZE_ADDRESS__)
#define PBXMOCK_PROCESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PBXMOCK_PROCESS_ASAN 1
#endif
#endif

namespace pbxmock::test {
namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    read_end = fds[0];
    write_end = fds[1];
  }
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds deadline) {
  // A child that exits before reading all its input must not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  Pipe in, out, err;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // The program starts as from a shell, with SIGPIPE's default action (ignored above for this process only).
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(in.read_end, 0);
    ::dup2(out.write_end, 1);
    ::dup2(err.write_end, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  ::fcntl(in.write_end, F_SETFL, O_NONBLOCK);

  ProcessResult result;
  std::size_t written = 0;
  if (input.empty()) close_fd(in.write_end);
  const auto stop_at = std::chrono::steady_clock::now() + deadline;
  bool killed = false;
  while (out.read_end >= 0 || err.read_end >= 0) {
    std::array<pollfd, 3> fds{{{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}, {in.write_end, POLLOUT, 0}}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close_fd(i == 0 ? out.read_end : err.read_end);
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in.write_end, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) close_fd(in.write_end);
    }
  }
  close_fd(in.write_end);
  close_fd(out.read_end);
  close_fd(err.read_end);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  result.peak_resident_kib = usage.ru_maxrss;
  result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  result.exit_code = (!killed && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return result;
}

bool under_address_sanitizer() {
#ifdef PBXMOCK_PROCESS_ASAN
  return true;
#else
  return false;
#endif
}

std::vector<std::string> with_address_limit(std::vector<std::string> argv, long kib) {
  if (under_address_sanitizer()) return argv;
  argv.insert(argv.begin(), {"/bin/sh", "-c", "ulimit -v " + std::to_string(kib) + " && exec \"$0\" \"$@\""});
  return argv;
}

}  // namespace pbxmock::test
