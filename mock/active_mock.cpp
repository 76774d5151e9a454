#include "mock/active_mock.h"

#include "mock/error_excerpt.h"

#include <utility>

namespace pbxmock::mock {

ActiveMock::ActiveMock(std::shared_ptr<const Scenario> scenario_in, Clock& clock, Outbox& outbox,
                       const OriginSettings& public_origin)
    : scenario(std::move(scenario_in)), auth(scenario, clock, outbox), rules(scenario->rules) {
  auth.set_public_origin(public_origin);
}

MockHolder::MockHolder(Scenario initial, Clock& clock, Outbox& outbox, OriginSettings public_origin)
    : clock_(clock), outbox_(outbox), public_origin_(std::move(public_origin)) {
  activate(std::move(initial));
}

std::shared_ptr<ActiveMock> MockHolder::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

void MockHolder::activate(Scenario scenario) { publish(std::make_shared<const Scenario>(std::move(scenario)), false); }

std::size_t MockHolder::reload(Scenario scenario) {
  return publish(std::make_shared<const Scenario>(std::move(scenario)), true);
}

void MockHolder::restart() { publish(current()->scenario, false); }

std::size_t MockHolder::publish(std::shared_ptr<const Scenario> scenario, bool keep_sessions) {
  auto fresh = std::make_shared<ActiveMock>(std::move(scenario), clock_, outbox_, public_origin_);
  // `old` dies after the lock is released, or later with the last request that still uses it.
  std::shared_ptr<ActiveMock> old;
  std::lock_guard<std::mutex> lock(mutex_);
  // Under the holder's lock, so no other change slips in between; requests still running on
  // the old bundle may add a session it no longer passes on.
  const std::size_t kept =
      keep_sessions && active_ ? fresh->auth.state().adopt_sessions(active_->auth.state()) : 0;
  old = std::exchange(active_, std::move(fresh));
  return kept;
}

Result<Scenario, spec::SourceErrors> resolve_scenario(const std::string& name_or_file) {
  const std::string name = name_or_file.empty() ? "default" : name_or_file;
  if (name.find_first_of("/.") == std::string::npos) {
    if (const auto text = builtin_scenario(name)) return load_scenario(*text, "builtin:" + name);
  }
  return load_scenario_file(name);
}

std::string describe_errors(const spec::SourceErrors& errors) {
  std::string out;
  for (const auto& error : errors) {
    if (!out.empty()) out += '\n';
    // The file may not be a scenario at all: quote words of it, never its lines.
    spec::SourceError shown = error;
    shown.message = short_excerpts(error.message);
    out += shown.to_string();
  }
  return out;
}

}  // namespace pbxmock::mock
