// The scenario files under mock/scenarios/, compiled in by pbxmock_embed (CMake).
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "mock/scenario/scenario_loader.h"

namespace pbxmock::embedded {
extern const std::string_view scenario_default;
extern const std::string_view scenario_two_factor;
extern const std::string_view scenario_microsoft365;
extern const std::string_view scenario_flaky_network;
extern const std::string_view scenario_vendor_defaults;
}  // namespace pbxmock::embedded

namespace pbxmock::mock {
namespace {

struct Builtin {
  std::string_view name;
  const std::string_view* text;
};

const Builtin kBuiltins[] = {
    {"default", &embedded::scenario_default},
    {"flaky_network", &embedded::scenario_flaky_network},
    {"microsoft365", &embedded::scenario_microsoft365},
    {"two_factor", &embedded::scenario_two_factor},
    {"vendor_defaults", &embedded::scenario_vendor_defaults},
};

}  // namespace

std::vector<std::string> builtin_scenario_names() {
  std::vector<std::string> names;
  for (const auto& builtin : kBuiltins) names.emplace_back(builtin.name);
  return names;
}

std::optional<std::string_view> builtin_scenario(std::string_view name) {
  for (const auto& builtin : kBuiltins)
    if (builtin.name == name) return *builtin.text;
  return std::nullopt;
}

const Scenario& default_scenario() {
  // The embedded file is checked by the tests; if it ever fails to load, that is a broken
  // build, so say why and stop rather than run without a scenario.
  static const Scenario scenario = [] {
    auto loaded = load_scenario(embedded::scenario_default, "mock/scenarios/default.yaml");
    if (!loaded) {
      for (const auto& error : loaded.error()) std::fprintf(stderr, "%s\n", error.to_string().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return scenario;
}

}  // namespace pbxmock::mock
