#include "mock/rules/delay.h"

#include <algorithm>
#include <cmath>

namespace pbxmock::mock {

std::chrono::milliseconds sample_delay(const DelaySpec& spec, std::mt19937_64& rng) {
  double ms = 0;
  switch (spec.kind) {
    case DelaySpec::Kind::fixed:
      ms = spec.fixed_ms;
      break;
    case DelaySpec::Kind::uniform:
      // Whole milliseconds, both bounds included: [100, 300] can give 100 and 300.
      ms = static_cast<double>(std::uniform_int_distribution<long long>(
          std::llround(spec.min_ms), std::llround(std::max(spec.min_ms, spec.max_ms)))(rng));
      break;
    case DelaySpec::Kind::lognormal:
      if (spec.median_ms <= 0) break;
      ms = spec.sigma <= 0 ? spec.median_ms
                           : std::lognormal_distribution<double>(std::log(spec.median_ms), spec.sigma)(rng);
      break;
  }
  if (!(ms >= 0)) ms = 0;  // also catches NaN
  ms = std::min(ms, kMaxDelayMs);
  return std::chrono::milliseconds(std::llround(ms));
}

}  // namespace pbxmock::mock
