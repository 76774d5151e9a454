#pragma once
// A loaded Scenario back into a scenario file, the inverse of the loader: loading the text
// written gives the same scenario (what the scenario fuzzer checks on every input it loads).
// The text is JSON (a scenario file may be YAML or JSON), every value written out, none left
// to the loader's defaults, so the file also shows what a scenario amounts to once loaded.
#include <string>

#include <nlohmann/json.hpp>

#include "mock/scenario/scenario.h"
#include "spec/result.h"

namespace pbxmock::mock {

// The scenario as the document the loader reads (keys as in mock/scenarios/default.yaml).
nlohmann::json scenario_to_json(const Scenario& scenario);

// The document as text. JSON cannot hold every value a YAML file can: text that is not
// UTF-8 and numbers that are not finite (.inf, .nan in a rule's body) give an error naming
// the problem instead of a file that would load as something else.
Result<std::string, std::string> write_scenario(const Scenario& scenario);

}  // namespace pbxmock::mock
