#pragma once
// parameter_pollution (AUTH-API.md B1: bad input gets a 4xx, never a 5xx): a repeated query
// parameter, a duplicate JSON key or a duplicate form field gets a 4xx, or the answer the
// request gets with one of the two values alone (whether the server takes the first or the
// last), never a 5xx. A case sends the request with value a, then with value b, then with the
// parameter given twice (a then b); the last is judged against the first two.
#include <cstddef>
#include <optional>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/random.h"

namespace pbxmock::contracts::fuzzing {

std::optional<Verdict> judge_parameter_pollution(const Answer& answer);

// Up to `count` such cases for the operation (none when its requests have nothing to repeat).
std::vector<FuzzCase> pollution_cases(const CaseBuilder& builder, const spec::Operation& operation, std::size_t count,
                                      std::size_t first_example, Random& random);

}  // namespace pbxmock::contracts::fuzzing
