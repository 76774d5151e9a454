#pragma once
// `pbxmock lint` for a scenario: the loader's checks, then each rule's canned answer judged
// like a server's against the spec. Works on a document already parsed, so a file is read
// and parsed once.
#include "contracts/spec_checks.h"
#include "spec/document_reader.h"
#include "spec/structured_document.h"

namespace pbxmock::mock {

// Whether a parsed document is meant to be a scenario: a mapping with `tenants`, `system`
// or `name` (a contract file has `contracts`; see contracts::looks_like_contract_file).
bool looks_like_scenario(const nlohmann::json& root);

// Every problem, file:line:column, in file order; none for a clean scenario.
spec::SourceErrors lint_scenario(const spec::StructuredDocument& document, const contracts::SpecChecker& checker);

}  // namespace pbxmock::mock
