#pragma once
// One recorded session as a contract file of `pbxmock check` (README, "The contract format"):
// a step per exchange, the answer's status, content type, error code and the kinds of its
// fields as expectations (booleans and a few stable strings such as `role` by value), tokens
// carried by `save:` from the answer that issued them to the requests that send them, and
// every other secret as a `${env.NAME}` placeholder (token_trail.h). No secret's value is
// ever written.
#include <cstddef>
#include <string>
#include <vector>

#include "contracts/exchange.h"
#include "contracts/recording/token_trail.h"
#include "contracts/spec_checks.h"

namespace pbxmock::contracts::recording {

struct SessionContract {
  std::string name;                      // the contract's name
  std::vector<std::size_t> exchanges;    // indices into the recording, in order
};

// The file's text (YAML). `checker` names the operations; `secrets` is shared by every file
// of one recording, so one password is one variable throughout.
std::string write_session_contract(const std::vector<Exchange>& all, const SessionContract& session,
                                   const SpecChecker& checker, EnvSecrets& secrets);

}  // namespace pbxmock::contracts::recording
