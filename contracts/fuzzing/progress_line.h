#pragma once
// The progress of a run as one line: on a terminal it is written again in place ("\r" and
// erase to the end of the line) as the run goes; elsewhere the fuzzer writes one plain line
// per finished operation instead.
#include <cstddef>
#include <string>

namespace pbxmock::contracts::fuzzing {

struct Progress {
  std::size_t operations_done = 0;
  std::size_t operations_total = 0;
  std::size_t requests = 0;
  std::size_t failures = 0;
  double seconds = 0;
};

// "operations 3/15  requests 1,204  failures 2  812 req/s", without control characters.
std::string progress_line(const Progress& progress);

// The line as a terminal rewrites it: carriage return, the line, erase to its end.
std::string progress_rewrite(const Progress& progress);

}  // namespace pbxmock::contracts::fuzzing
