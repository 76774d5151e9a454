#pragma once
// A POSIX shell script of curl commands that sends a case's requests again, in order: steps
// whose answers are needed save values with grep/sed (the same "first or last string value of
// this key" rule the fuzzer used), the last step's answer is printed with its status line (-i).
#include <string>
#include <utility>
#include <vector>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/http_client.h"
#include "contracts/variables.h"

namespace pbxmock::contracts::fuzzing {

// `saved` are the values the case saved when it ran: each is written as "${NAME}" where it
// appears in a later request.
std::string reproducer_script(const Target& target, const FuzzCase& fuzz_case,
                              const std::vector<std::pair<std::string, std::string>>& saved, bool insecure,
                              const std::string& title, const std::vector<EnvUse>& env = {});

}  // namespace pbxmock::contracts::fuzzing
