#pragma once
// The fuzzer's source of choices: one seeded std::mt19937_64 per operation, so a run with the
// same --seed sends the same requests in the same order whatever the number of workers.
// (RapidCheck drives its generators from its own property runner and environment; a network
// client that must repeat request for request from one number is simpler with a plain engine.)
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace pbxmock::contracts::fuzzing {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Both ends included; lo when hi < lo.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(between(0, static_cast<std::int64_t>(n) - 1)); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_) < p; }
  char pick(std::string_view alphabet) { return alphabet[below(alphabet.size())]; }
  std::string text(std::size_t length, std::string_view alphabet) {
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out += pick(alphabet);
    return out;
  }

 private:
  std::mt19937_64 engine_;
};

// A seed for one operation: the run's seed mixed with the operation's position (splitmix64).
inline std::uint64_t operation_seed(std::uint64_t run_seed, std::size_t index) {
  std::uint64_t z = run_seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace pbxmock::contracts::fuzzing
