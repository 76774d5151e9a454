#pragma once
// Scenario files (YAML or JSON) into a Scenario, all or nothing: every problem found is
// reported with file:line:column, the JSON Pointer of the value and the rule it broke, e.g.
//   bad.yaml:7:17: /tenants/0/users/1/username: invalid username: bad_character at 3
// The format is described in mock/scenarios/default.yaml (the embedded default).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/scenario/scenario.h"
#include "spec/document_reader.h"
#include "spec/result.h"
#include "spec/structured_document.h"

namespace pbxmock::mock {

// `file` is only used in messages. Errors are sorted by position.
Result<Scenario, spec::SourceErrors> load_scenario(std::string_view text, std::string file);
Result<Scenario, spec::SourceErrors> load_scenario_file(const std::string& path);
// The same, from a document already parsed (lint reads a file once and decides what it is).
Result<Scenario, spec::SourceErrors> load_scenario(const spec::StructuredDocument& document);

// The embedded default scenario (mock/scenarios/default.yaml), loaded on first use.
const Scenario& default_scenario();

// The scenarios compiled into the program: "default", "flaky_network", "microsoft365",
// "two_factor" (sorted), and the text of one of them by name.
std::vector<std::string> builtin_scenario_names();
std::optional<std::string_view> builtin_scenario(std::string_view name);

}  // namespace pbxmock::mock
