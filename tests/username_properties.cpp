// RapidCheck properties of parse_username. Replay a failure with the printed
// RC_PARAMS="reproduce=..." in the environment of this test program.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "parser_generators.h"
#include "spec/username.h"

namespace {

using pbxmock::spec::parse_username;
using pbxmock::spec::ReservedNames;
using pbxmock::spec::UsernameRule;
namespace gens = pbxmock::gens;

RC_GTEST_PROP(username_parser, accepts_every_generated_valid_username_unchanged, ()) {
  const std::string name = *gens::genValidUsername();
  RC_TAG(name.size() == 64 ? "64 bytes" : "shorter");
  const auto result = parse_username(name);
  RC_ASSERT(result.ok());
  RC_ASSERT(result.value().data() == name.data());
  RC_ASSERT(result.value().size() == name.size());
}

RC_GTEST_PROP(username_parser, rejects_a_forbidden_byte_at_its_index, ()) {
  std::string name = *gens::genValidUsername(63);
  const std::size_t at = *gens::uniform<std::size_t>(0, name.size() + 1);
  const char bad = *gens::genForbiddenUsernameByte();
  name.insert(at, 1, bad);
  const auto result = parse_username(name, *rc::gen::element(ReservedNames::reject, ReservedNames::allow));
  RC_ASSERT(!result.ok());
  RC_ASSERT(result.error().rule == UsernameRule::bad_character);
  RC_ASSERT(result.error().position == at);
}

RC_GTEST_PROP(username_parser, rejects_reserved_names_in_any_case_unless_allowed, ()) {
  const std::string name = *gens::genReservedNameAnyCase();
  const auto rejected = parse_username(name);
  RC_ASSERT(!rejected.ok());
  RC_ASSERT(rejected.error().rule == UsernameRule::reserved);
  RC_ASSERT(rejected.error().position == 0u);
  const auto allowed = parse_username(name, ReservedNames::allow);
  RC_ASSERT(allowed.ok());
  RC_ASSERT(allowed.value() == name);
}

RC_GTEST_PROP(username_parser, rejects_valid_bytes_beyond_64_at_64, ()) {
  const std::string name = *rc::gen::mapcat(gens::uniform<std::size_t>(65, 400), gens::genValidUsernameOfLength);
  const auto result = parse_username(name);
  RC_ASSERT(!result.ok());
  RC_ASSERT(result.error().rule == UsernameRule::too_long);
  RC_ASSERT(result.error().position == 64u);
}

RC_GTEST_PROP(username_parser, rejects_a_period_at_either_end, ()) {
  const std::string name = *gens::genValidUsername(63);
  const auto leading = parse_username("." + name);
  RC_ASSERT(!leading.ok());
  RC_ASSERT(leading.error().rule == UsernameRule::leading_period);
  RC_ASSERT(leading.error().position == 0u);
  const auto trailing = parse_username(name + ".");
  RC_ASSERT(!trailing.ok());
  RC_ASSERT(trailing.error().rule == UsernameRule::trailing_period);
  RC_ASSERT(trailing.error().position == name.size());
}

RC_GTEST_PROP(username_parser, never_fails_outside_the_input_and_agrees_with_itself, ()) {
  const std::string input = *gens::genUsernameInput();
  const auto rejecting = parse_username(input);
  const auto allowing = parse_username(input, ReservedNames::allow);
  if (!rejecting.ok()) RC_ASSERT(rejecting.error().position <= input.size());
  if (!allowing.ok()) RC_ASSERT(allowing.error().position <= input.size());
  // Allowing reserved names changes the outcome for exactly the reserved names.
  const bool reserved = !rejecting.ok() && rejecting.error().rule == UsernameRule::reserved;
  RC_ASSERT(allowing.ok() == (rejecting.ok() || reserved));
  if (!allowing.ok()) {
    RC_ASSERT(allowing.error().rule == rejecting.error().rule);
    RC_ASSERT(allowing.error().position == rejecting.error().position);
  }
  if (allowing.ok()) RC_ASSERT(allowing.value() == input);
}

}  // namespace
