#pragma once
// Delays a rule adds before answering: fixed, uniform between two bounds, or log-normal
// (a median and a spread, the shape real network latency tends to have). Sampling is a pure
// function of the spec and the random engine, so tests can seed it.
#include <chrono>
#include <random>

namespace pbxmock::mock {

inline constexpr double kMaxDelayMs = 60'000;  // no delay is longer than a minute

struct DelaySpec {
  enum class Kind { fixed, uniform, lognormal };
  Kind kind = Kind::fixed;
  double fixed_ms = 0;               // fixed
  double min_ms = 0, max_ms = 0;     // uniform: [min_ms, max_ms]
  double median_ms = 0, sigma = 0;   // lognormal: exp(N(ln median, sigma^2))
};

// Never negative and never over kMaxDelayMs (a log-normal tail is cut there).
std::chrono::milliseconds sample_delay(const DelaySpec& spec, std::mt19937_64& rng);

}  // namespace pbxmock::mock
