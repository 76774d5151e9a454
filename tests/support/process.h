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
};

// Feeds `input` to standard input and collects both outputs. A child still running at
// `deadline` is killed, so a hung program fails its test instead of hanging CTest.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
                          std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace pbxmock::test
