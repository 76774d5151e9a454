// Fuzzes parse_username under both reserved-name policies: an accepted name is the input
// itself and parses again; a rejection points inside the input; the policies differ on
// reserved names only, and agree with is_reserved_username; every rejection names its rule.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "spec/username.h"

using namespace pbxmock::spec;

using pbxmock::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto rejecting = parse_username(input, ReservedNames::reject);
  const auto allowing = parse_username(input, ReservedNames::allow);
  if (!rejecting && rejecting.error().position > size) broken("rejection position past the input", input);
  if (!rejecting && to_string(rejecting.error().rule) == "unknown") broken("rejection without a rule name", input);
  const bool reserved = !rejecting && rejecting.error().rule == UsernameRule::reserved;
  if (allowing.ok() != (rejecting.ok() || reserved)) broken("policies differ beyond reserved names", input);
  if (reserved != (allowing.ok() && is_reserved_username(input))) broken("reserved rule disagrees with is_reserved_username", input);
  if (!allowing) {
    if (allowing.error().rule != rejecting.error().rule || allowing.error().position != rejecting.error().position) {
      broken("policies report different failures", input);
    }
    return 0;
  }
  if (allowing.value().data() != input.data() || allowing.value().size() != size) broken("accepted name changed", input);
  const std::string copy(input);
  const auto again = parse_username(copy, ReservedNames::allow);
  if (!again || again.value() != input) broken("accepted name does not parse again", input);
  return 0;
}
