#pragma once
// The per-decision lines of `pbxmock check`: each contract of contracts/suite that checks one of
// the project's decisions where the vendor is silent (AUTH-API.md B, README "What the mock
// assumes") carries its tag, B1 to B13, and a run says per tag whether the target shares it.
// Run against a real PBX with `--tag '!mock'`, they tell which of the mock's decisions it shares.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/run_result.h"

namespace pbxmock::contracts {

// "B" followed by a number without a leading zero: B1, B13.
bool is_decision_tag(std::string_view tag) noexcept;

struct TagOutcome {
  std::string tag;
  std::size_t passed = 0;
  std::size_t failed = 0;  // failed or not run after a failure
};

// Every decision tag of the steps that ran, in numeric order (B2 before B10).
std::vector<TagOutcome> decision_tags(const RunResult& run);

// "B4 shared: passed (6 steps)" or "B4 differs: failed (2 of 6 steps)", one a line.
std::string decision_lines(const std::vector<TagOutcome>& outcomes);

}  // namespace pbxmock::contracts
