#pragma once
// The side steps of the flows (StepAction other than request), run for the executor: reading
// a code or a reset token from the mailbox, and moving the mock's clock (--mock-admin).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "contracts/fuzzing/executor.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/mailbox.h"
#include "contracts/http_client.h"

namespace pbxmock::contracts::fuzzing {

// The name a wrong code is saved under, beside the right one: "CODE" -> "CODE_WRONG".
std::string wrong_code_name(const std::string& name);

class SideSteps {
 public:
  // `mailbox` may be null (no mail steps are built then); `admin` is the target's client, for
  // /__admin/clock. Both must outlive this.
  SideSteps(Mailbox* mailbox, HttpClient& admin, std::chrono::milliseconds timeout)
      : mailbox_(mailbox), admin_(admin), timeout_(timeout) {}

  // Saves what the step reads into `saved`; a failure is the run's transport_error.
  StepRun run(const Step& step, std::vector<std::pair<std::string, std::string>>& saved);

 private:
  Mailbox* mailbox_;
  HttpClient& admin_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pbxmock::contracts::fuzzing
