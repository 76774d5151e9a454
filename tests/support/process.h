#pragma once
// Runs the real pbxmock program as a child process, for tests that check it from the
// outside: its exit status and everything it printed.
#include <chrono>
#include <string>
#include <vector>

namespace pbxmock::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit normally (signal, or killed at the deadline)
  std::string out;
  std::string err;
  int signal = 0;              // the signal that ended it, if one did
  long peak_resident_kib = 0;  // the child's own ru_maxrss, from wait4() as it is reaped
};

// Feeds `input` to standard input and collects both outputs. A child still running at
// `deadline` is killed, so a hung program fails its test instead of hanging CTest.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
                          std::chrono::milliseconds deadline = std::chrono::seconds(30));

// `argv` run by a shell that first limits the address space to `kib` KiB (except under
// AddressSanitizer, which reserves terabytes), so a program that grows without bound fails its
// test instead of taking the machine down.
std::vector<std::string> with_address_limit(std::vector<std::string> argv, long kib);

// Whether this build runs under AddressSanitizer (memory figures are several times larger).
bool under_address_sanitizer();

}  // namespace pbxmock::test
