#include "mock/random_seed.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>

namespace pbxmock::mock {

std::uint64_t random_seed() {
  std::array<unsigned char, 8> bytes{};
  if (::RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // No entropy to be had: the clock still makes runs differ (the delays need no secrecy).
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) | 1;
  }
  std::uint64_t seed = 0;
  for (unsigned char byte : bytes) seed = (seed << 8) | byte;
  return seed;
}

}  // namespace pbxmock::mock
