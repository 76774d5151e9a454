#pragma once
// What `pbxmock lint` finds in a contract file that loaded: mistakes a run would only show
// as a confusing failure, each at file:line:column.
//   - a path under the spec's base path that no operation has (unless the step allows
//     unknown_operation)
//   - an expected status the operation does not declare (unless it allows undeclared_status)
//   - a JSON body sent by a step that expects success which the operation's request schema
//     rejects (values holding placeholders are not judged: they are only known at run time)
//   - error_code expected together with a status that is not 4xx
//   - a `${name}` that is neither a file variable, `target`, nor saved by an earlier step
// Steps that expect an error are left alone: sending a bad request is their point.
#include <vector>

#include "contracts/contract.h"
#include "contracts/spec_checks.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts {

std::vector<spec::SourceError> lint_contracts(const ContractFile& file, const SpecChecker& checker);

}  // namespace pbxmock::contracts
