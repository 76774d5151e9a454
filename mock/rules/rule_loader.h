#pragma once
// Reads the `rules:` list of a scenario into Rule values, checking what a person could get
// wrong: regular expressions that do not compile, statuses outside 100..599, delays that
// are negative or over a minute, a fault name that does not exist, respond and fault
// together, `times: 0`, states without a scenario name.
#include <string>
#include <vector>

#include "mock/rules/rules.h"
#include "spec/document_reader.h"

namespace pbxmock::mock {

// `list` is the array at `pointer` in `document`; problems are appended to `errors` and
// the faulty rules skipped.
std::vector<Rule> read_rules(const spec::StructuredDocument& document, const std::string& pointer,
                             const nlohmann::json& list, spec::SourceErrors& errors);

}  // namespace pbxmock::mock
