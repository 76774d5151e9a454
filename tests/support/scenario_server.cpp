#include "support/scenario_server.h"

#include <utility>

namespace pbxmock::test {

std::string scenario_with_rules(const std::string& name, const std::string& rules) {
  return "name: " + name + R"(
tenants:
  - name: Example Corp
    domain: pbx.example.com
    users:
      - {username: alice, password: alice-secret, role: Admin, email: alice@example.com}
rules:
)" + rules;
}

namespace {

ServeOptions scenario_options(const std::string& file, std::vector<std::string> more_args) {
  ServeOptions options;
  options.args = {"--scenario", file};
  options.args.insert(options.args.end(), more_args.begin(), more_args.end());
  return options;
}

ServeOptions quiet() {
  ServeOptions options;
  options.args = {"--quiet"};
  return options;
}

}  // namespace

ScenarioServer::ScenarioServer(const std::string& scenario, std::vector<std::string> more_args)
    : file_(folder_.write("scenario.yaml", scenario)),
      server_(PBXMOCK_BINARY, scenario_options(file_, std::move(more_args))) {}

MockServer::MockServer() : process_(PBXMOCK_BINARY, quiet()) {}

}  // namespace pbxmock::test
