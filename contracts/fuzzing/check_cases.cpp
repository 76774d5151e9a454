#include "contracts/fuzzing/check_cases.h"

#include <algorithm>

#include "contracts/fuzzing/parameter_pollution.h"
#include "contracts/fuzzing/random.h"

namespace pbxmock::contracts::fuzzing {

RequestParts fixed_body(RequestParts parts) {
  if (parts.encoding == BodyEncoding::json || parts.encoding == BodyEncoding::form) {
    // The text render() would send, placeholders kept for the run to fill in.
    parts.raw_body = render(parts, {}).body;
    parts.encoding = BodyEncoding::raw;
  }
  return parts;
}

std::vector<FuzzCase> check_cases(const CaseBuilder& builder, const spec::OpenApiDocument& document,
                                  const spec::Operation& operation, std::size_t operation_index, const CheckCasePlan& plan) {
  std::vector<FuzzCase> out;
  Random random(operation_seed(plan.seed ^ 0x636865636b73ULL, operation_index));
  std::size_t number = 2 * plan.max_examples;
  if (plan.checks.has(Check::parameter_pollution)) {
    // A tenth as many as the examples: each is three requests, and one repeat shows what the next would.
    const std::size_t count = std::max<std::size_t>(1, plan.max_examples / 10);
    for (FuzzCase& fuzz_case : pollution_cases(builder, operation, count, number, random)) out.push_back(std::move(fuzz_case));
    number += count;
  }
  if (plan.checks.has(Check::user_enumeration) && plan.user) {
    for (FuzzCase& fuzz_case : enumeration_cases(document, operation, *plan.user, number, random)) {
      out.push_back(std::move(fuzz_case));
    }
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
