#pragma once
// A POSIX shell script of curl commands that sends a case's requests again, in order: steps
// whose answers are needed save values with grep/sed (the same "first or last string value of
// this key" rule the fuzzer used), the last step's answer is printed with its status line (-i).
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/mailbox.h"
#include "contracts/http_client.h"
#include "contracts/variables.h"

namespace pbxmock::contracts::fuzzing {

// What a flow's reproducer needs beyond the requests: the mailbox the run read codes and reset
// tokens from (read the same way: curl for --mailbox, the command for --mailbox-command), and
// with --mock-admin the fuzzer's scenario, loaded first so that its accounts exist.
struct ReproducerSetting {
  MailboxSource mailbox{};
  std::string scenario{};  // YAML; "" loads none
  // The step whose answer the script prints (the failing one; the flow's later steps still
  // run, quietly, so that the account ends as it began); default: the last.
  std::optional<std::size_t> shown_step{};
};

// `saved` are the values the case saved when it ran: each is written as "${NAME}" where it
// appears in a later request.
std::string reproducer_script(const Target& target, const FuzzCase& fuzz_case,
                              const std::vector<std::pair<std::string, std::string>>& saved, bool insecure,
                              const std::string& title, const std::vector<EnvUse>& env = {},
                              const ReproducerSetting& setting = {});

}  // namespace pbxmock::contracts::fuzzing
