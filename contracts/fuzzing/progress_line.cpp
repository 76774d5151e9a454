#include "contracts/fuzzing/progress_line.h"

#include <cmath>

namespace pbxmock::contracts::fuzzing {
namespace {

std::string grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

}  // namespace

std::string progress_line(const Progress& progress) {
  // Under a tenth of a second the rate says nothing yet.
  const std::size_t rate =
      progress.seconds >= 0.1 && std::isfinite(progress.seconds)
          ? static_cast<std::size_t>(std::llround(static_cast<double>(progress.requests) / progress.seconds))
          : 0;
  return "operations " + std::to_string(progress.operations_done) + "/" + std::to_string(progress.operations_total) +
         "  requests " + grouped(progress.requests) + "  failures " + grouped(progress.failures) + "  " + grouped(rate) +
         " req/s";
}

std::string progress_rewrite(const Progress& progress) { return "\r" + progress_line(progress) + "\x1b[K"; }

}  // namespace pbxmock::contracts::fuzzing
