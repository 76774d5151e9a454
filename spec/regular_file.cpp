#include "spec/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pbxmock::spec {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string, std::string> read_regular_file(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const Descriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (file.get() < 0) return Err{std::string("cannot open file: ") + std::strerror(errno)};
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return Err{std::string("cannot inspect file: ") + std::strerror(errno)};
  if (!S_ISREG(info.st_mode)) return Err{"not a regular file (" + kind_of(info.st_mode) + ")"};
  const auto too_big = [&] {
    return "the file is larger than " + std::to_string(max_bytes) + " bytes (the limit for a document file)";
  };
  if (static_cast<unsigned long long>(info.st_size) > max_bytes) return Err{too_big()};

  std::string text;
  text.resize(static_cast<std::size_t>(info.st_size));
  std::size_t filled = 0;
  // Read until end of file, one byte past the cap at most: the file may grow after fstat.
  while (true) {
    if (filled == text.size()) {
      if (text.size() > max_bytes) return Err{too_big()};
      text.resize(std::min(max_bytes + 1, std::max<std::size_t>(text.size() * 2, 4096)));
    }
    const ssize_t n = ::read(file.get(), text.data() + filled, text.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Err{std::string("cannot read file: ") + std::strerror(errno)};
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  if (filled > max_bytes) return Err{too_big()};
  text.resize(filled);
  return text;
}

}  // namespace pbxmock::spec
