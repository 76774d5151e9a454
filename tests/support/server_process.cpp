#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "support/raw_http.h"
#include "support/text_match.h"

namespace pbxmock::test {
namespace {

using namespace std::chrono_literals;

std::string temp_root() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

void remove_tree(const std::string& path) {
  // Only our own mkdtemp folder, one level deep: no recursion needed.
  if (path.empty()) return;
  const std::string command = "rm -rf '" + path + "'";
  if (std::system(command.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", path.c_str());
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

bool has_port_option(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--port" || a.rfind("--port=", 0) == 0) return true;
  return false;
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ScratchFolder::ScratchFolder() {
  std::string pattern = temp_root() + "/pbxmock-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchFolder::~ScratchFolder() { remove_tree(path_); }

std::string ScratchFolder::write(const std::string& name, const std::string& text) const {
  const std::string target = path_ + "/" + name;
  const std::string temporary = target + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) throw std::runtime_error("cannot rename to " + target);
  return target;
}

ServerProcess::ServerProcess(const std::string& binary, ServeOptions options) {
  std::string pattern = temp_root() + "/pbxmock-serve-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;

  for (std::size_t i = 0; i + 1 < options.args.size(); ++i)
    if (options.args[i] == "--admin-key") admin_key_ = options.args[i + 1];
  for (const auto& [name, value] : options.environment)
    if (name == "PBXMOCK_ADMIN_KEY" && admin_key_.empty()) admin_key_ = value;
  std::vector<std::string> argv{binary, options.command, "--host", options.host};
  if (!has_port_option(options.args)) argv.insert(argv.end(), {"--port", "0"});
  argv.insert(argv.end(), options.args.begin(), options.args.end());

  const auto forked_at = std::chrono::steady_clock::now();
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // A test program that dies without its teardown (a crash, CTest's timeout) takes its
    // server with it instead of leaving it running.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(125);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open((folder_ + "/out.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open((folder_ + "/err.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (options.address_space_limit != 0 && !kAddressSanitizer) {
      const rlimit limit{options.address_space_limit, options.address_space_limit};
      if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(124);
    }
    for (const auto& [name, value] : options.environment) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  try {
    wait_until_ready(options.ready_within);
  } catch (...) {
    stop(2s);
    remove_tree(folder_);
    throw;
  }
  ready_after_ = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - forked_at);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    // A server that does not stop cleanly (a sanitizer report, a crash, a hang) fails the
    // test that ran it, with the end of what it printed.
    const int status = stop();
    if (status != 0) {
      const std::string log = err();
      ADD_FAILURE() << "pbxmock serve did not exit with 0 but " << status << "; the end of its standard error:\n"
                    << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
    }
  }
  remove_tree(folder_);
}

void ServerProcess::wait_until_ready(std::chrono::milliseconds deadline) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  // "serving scenario 'default' on http://127.0.0.1:PORT/api", "proxying http://127.0.0.1:PORT to ..."
  const std::string banner = R"((?:serving scenario '[^']*' on |proxying ))";
  bool healthy = false;
  while (std::chrono::steady_clock::now() < give_up) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("pbxmock serve exited during start-up:\n" + out() + err());
    }
    if (port_ == 0) {
      const std::string printed = out();
      if (const auto port = capture(banner + R"(https?://[^ ]*:(\d+)(?:/api| to ))", printed)) {
        tls_ = capture(banner + "(https?)://", printed) == "https";
        port_ = std::stoi(*port);
        if (admin_key_.empty()) admin_key_ = capture(R"(admin key: ([0-9A-Za-z_\-]+))", printed).value_or("");
      }
    }
    if (port_ != 0 && tls_) {
      // No TLS here: a server that accepts connections after its banner is up.
      if (RawConnection::open(address(), port_)) {
        healthy = true;
        break;
      }
    } else if (port_ != 0) {
      RawHttp::Headers headers;
      if (!admin_key_.empty()) headers.emplace_back("X-Admin-Key", admin_key_);
      const auto answer = RawHttp::request(address(), port_, "GET", "/__admin/health", headers, "", 1s);
      if (answer && answer->status == 200) {
        healthy = true;
        break;
      }
    }
    std::this_thread::sleep_for(1ms);
  }
  if (!healthy) throw std::runtime_error("pbxmock serve did not come up in time:\n" + out() + err());
}

std::string ServerProcess::out() const { return read_file(folder_ + "/out.txt"); }
std::string ServerProcess::err() const { return read_file(folder_ + "/err.txt"); }

bool ServerProcess::wait_for_log(const std::string& text, std::chrono::milliseconds deadline) const {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  do {
    if (err().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < give_up);
  return false;
}

std::string ServerProcess::scratch_path(const std::string& name) const { return folder_ + "/" + name; }

int ServerProcess::stop(std::chrono::milliseconds deadline) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  bool reaped = false;
  while (std::chrono::steady_clock::now() < give_up) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped = true;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  if (!reaped) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  return reaped && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace pbxmock::test
