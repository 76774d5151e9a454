#include "mock/auth/token_generator.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace pbxmock::mock {
namespace {

// If the system's generator fails (it practically never does once seeded), handing out
// guessable tokens would be worse than stopping: the mock aborts with a message.
void fill_random(unsigned char* out, std::size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) {
    std::fputs("pbxmock: OpenSSL's random generator failed; refusing to make predictable tokens\n", stderr);
    std::abort();
  }
}

// A call into OpenSSL's generator costs about 2 us (locks, a fork check) whatever its size,
// and a sign-in needs two tokens: each thread takes OpenSSL's bytes 4 KiB at a time.
class BytePool {
 public:
  unsigned char next() {
    if (used_ == bytes_.size()) {
      fill_random(bytes_.data(), bytes_.size());
      used_ = 0;
    }
    return bytes_[used_++];
  }
  // A forked child must not hand out the bytes its parent hands out too.
  void forget() noexcept { used_ = bytes_.size(); }

 private:
  std::array<unsigned char, 4096> bytes_{};
  std::size_t used_ = bytes_.size();
};

thread_local BytePool pool;

// Only the thread that called fork() lives on in the child, and the handler runs on it.
[[maybe_unused]] const int forget_pool_after_fork = ::pthread_atfork(nullptr, nullptr, [] { pool.forget(); });

}  // namespace

std::string random_string(std::size_t length, std::string_view alphabet) {
  if (alphabet.empty() || alphabet.size() > 256) return {};
  // Bytes at or above the largest multiple of the alphabet size are thrown away: keeping
  // them would make the first (256 % size) characters more likely than the others.
  const unsigned size = static_cast<unsigned>(alphabet.size());
  const unsigned limit = 256 - 256 % size;
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    const unsigned char byte = pool.next();
    if (byte < limit) out += alphabet[byte % size];
  }
  return out;
}

std::string random_token() { return random_string(kTokenLength, kTokenAlphabet); }

std::string random_otp_code() { return random_string(kOtpLength, "0123456789"); }

}  // namespace pbxmock::mock
