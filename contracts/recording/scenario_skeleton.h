#pragma once
// A scenario file for `pbxmock serve` sketched from recorded exchanges: the system metadata of
// GET /info, each tenant's metadata of GET /info?domain=, the users who signed in (their role
// where an answer showed it) and the access-token lifetime the answers gave. Passwords are not
// known and are left as `password: ~` (and `email: ~` for a two-factor user): `pbxmock lint`
// names each one until it is filled, and accepts the file once they are.
//
// Written here with yaml-cpp rather than through mock/scenario's writer: contracts/ may not
// include mock/, the recorder has no loaded Scenario to give it (only what the answers showed),
// and the skeleton must hold placeholders and comments a loaded Scenario cannot.
#include <string>
#include <vector>

#include "contracts/exchange.h"
#include "contracts/spec_checks.h"

namespace pbxmock::contracts::recording {

std::string write_scenario_skeleton(const std::vector<Exchange>& exchanges, const SpecChecker& checker);

}  // namespace pbxmock::contracts::recording
