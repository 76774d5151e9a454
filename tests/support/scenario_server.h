#pragma once
// The real server started from a scenario file that a test writes: the tenant every rule
// test signs in to, plus the rules under test.
#include <string>
#include <vector>

#include "support/server_process.h"

namespace pbxmock::test {

// A scenario named `name`: tenant Example Corp (pbx.example.com) with alice (Admin, password
// alice-secret, alice@example.com), then `rules`, the YAML list items under `rules:`
// (each starting "  - ").
std::string scenario_with_rules(const std::string& name, const std::string& rules);

// `pbxmock serve --scenario <file> [more_args]`, the file written in a scratch folder that
// lives as long as the server.
class ScenarioServer {
 public:
  explicit ScenarioServer(const std::string& scenario, std::vector<std::string> more_args = {});

  ServerProcess& operator*() noexcept { return server_; }
  ServerProcess* operator->() noexcept { return &server_; }
  const std::string& file() const noexcept { return file_; }

 private:
  ScratchFolder folder_;
  std::string file_;
  ServerProcess server_;
};

// `pbxmock serve --quiet` with its default scenario, for tests that drive it with another
// pbxmock command (check, fuzz): only its address matters.
class MockServer {
 public:
  MockServer();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(process_.port()); }

 private:
  ServerProcess process_;
};

}  // namespace pbxmock::test
