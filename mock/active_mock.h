#pragma once
// The mock a request is answered by: one scenario with its AuthService (sessions, tokens)
// and its RuleEngine (rule uses, scenario states). A bundle is immutable as a whole once
// published; switching scenario, reloading it or resetting publishes a fresh bundle, and
// requests in flight finish with the one they started with (they hold a shared_ptr), so
// no lock is held while a request is answered.
#include <memory>
#include <mutex>
#include <string>

#include "mock/auth/auth_service.h"
#include "mock/clock.h"
#include "mock/auth/outbox.h"
#include "mock/rules/rules.h"
#include "mock/scenario/scenario.h"
#include "mock/scenario/scenario_loader.h"

namespace pbxmock::mock {

struct ActiveMock {
  ActiveMock(std::shared_ptr<const Scenario> scenario, Clock& clock, Outbox& outbox, const OriginSettings& public_origin);

  std::shared_ptr<const Scenario> scenario;
  AuthService auth;
  RuleEngine rules;
};

class MockHolder {
 public:
  // `clock` and `outbox` are shared by every bundle and must outlive this holder and every
  // request in flight. `public_origin` goes to each AuthService for the identity provider's
  // address.
  MockHolder(Scenario initial, Clock& clock, Outbox& outbox, OriginSettings public_origin = {});

  std::shared_ptr<ActiveMock> current() const;
  // Publishes a fresh bundle for `scenario`.
  void activate(Scenario scenario);
  // The same, keeping the sessions of accounts the new scenario still has (for --watch);
  // returns how many were kept.
  std::size_t reload(Scenario scenario);
  // Publishes a fresh bundle for the current scenario: sessions, rule uses and scenario
  // states back to the start.
  void restart();

 private:
  Clock& clock_;
  Outbox& outbox_;
  // Builds a bundle for `scenario` and puts it in place of the current one; with
  // keep_sessions it takes over the current one's sessions first. Returns how many it kept.
  std::size_t publish(std::shared_ptr<const Scenario> scenario, bool keep_sessions);

  const OriginSettings public_origin_;
  mutable std::mutex mutex_;  // guards the pointer only, held for a copy
  std::shared_ptr<ActiveMock> active_;
};

// `--scenario NAME|FILE`: a built-in scenario by name (no '/' and no '.' in it), else a
// file. "" is the embedded default.
Result<Scenario, spec::SourceErrors> resolve_scenario(const std::string& name_or_file);

// "file:line:column: message" lines, one per error.
std::string describe_errors(const spec::SourceErrors& errors);

}  // namespace pbxmock::mock
