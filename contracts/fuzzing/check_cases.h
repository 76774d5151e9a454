#pragma once
// The cases of the checks that need requests of their own (parameter_pollution,
// user_enumeration), for one operation. They draw from a generator of their own, seeded from
// the run's seed and the operation, so selecting these checks or not leaves every other case
// of a seed as it was.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/user_enumeration.h"

namespace pbxmock::contracts::fuzzing {

struct CheckCasePlan {
  const CheckSelection& checks;
  std::optional<KnownUser> user;  // known_user(session): none, no user_enumeration cases
  std::size_t max_examples = 100;
  std::uint64_t seed = 0;
};

// The request with its body as fixed text (JSON or form, as it would be sent). A check that
// compares a step's answer with an earlier step's needs the two requests to stay alike but for
// what it changed, and the shrinker leaves a fixed body as it is.
RequestParts fixed_body(RequestParts parts);

// Numbered after the operation's generated cases (from 2 * max_examples on).
std::vector<FuzzCase> check_cases(const CaseBuilder& builder, const spec::OpenApiDocument& document,
                                  const spec::Operation& operation, std::size_t operation_index, const CheckCasePlan& plan);

}  // namespace pbxmock::contracts::fuzzing
