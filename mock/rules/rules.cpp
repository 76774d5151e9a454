#include "mock/rules/rules.h"

#include "mock/random_seed.h"
#include "mock/text.h"
#include "spec/ascii.h"
#include "spec/openapi.h"

namespace pbxmock::mock {
namespace {

// Objects and arrays deeper than this are not turned into text: dump() recurses once per
// level (a body field of 20,000 nested arrays overflowed a worker's stack, issue 9 finding 2).
// The request view already refuses deeper bodies; this keeps as_text safe on its own.
constexpr std::size_t kMaxTextDepth = 64;

// Whether `value` nests arrays and objects deeper than `limit`, walked without recursion.
bool nests_deeper_than(const nlohmann::json& value, std::size_t limit) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    if (depth + 1 > limit) return true;
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

// How a value reads as text: "alice", "true", "42"; objects and arrays as compact JSON, or
// nothing when nested too deep to write out safely.
std::optional<std::string> as_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_structured() && nests_deeper_than(value, kMaxTextDepth)) return std::nullopt;
  return value.dump();
}

bool matches_all(const std::vector<std::pair<std::string, ValueMatcher>>& conditions,
                 const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, matcher] : conditions) {
    // A repeated name matches when any of its values does; an absent one is judged as absent.
    bool seen = false, any = false;
    for (const auto& [key, value] : values) {
      if (key != name) continue;
      seen = true;
      if (matcher.matches_text(&value)) {
        any = true;
        break;
      }
    }
    if (!seen) any = matcher.matches_text(nullptr);
    if (!any) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Fault fault) noexcept {
  switch (fault) {
    case Fault::connection_reset: return "connection_reset";
    case Fault::empty_response: return "empty_response";
    case Fault::malformed_chunk: return "malformed_chunk";
  }
  return "unknown";
}

std::optional<Fault> fault_from_string(std::string_view name) noexcept {
  if (name == "connection_reset") return Fault::connection_reset;
  if (name == "empty_response") return Fault::empty_response;
  if (name == "malformed_chunk") return Fault::malformed_chunk;
  return std::nullopt;
}

bool ValueMatcher::matches_text(const std::string* value) const {
  switch (kind) {
    case Kind::present: return (value != nullptr) == present;
    case Kind::equals: return value != nullptr && as_text(expected) == *value;
    case Kind::regex: return value != nullptr && regex && regex->search(*value);
  }
  return false;
}

bool ValueMatcher::matches_json(const nlohmann::json* value) const {
  switch (kind) {
    case Kind::present:
      return (value != nullptr) == present;
    case Kind::equals:
      // Equal JSON values; and a string equals a scalar that reads the same, so that an
      // unquoted `equals: 1234` in YAML still matches the string "1234".
      if (value == nullptr) return false;
      if (*value == expected) return true;
      if (value->is_string() != expected.is_string() && value->is_primitive() && expected.is_primitive())
        return as_text(*value) == as_text(expected);
      return false;
    case Kind::regex: {
      if (value == nullptr || !regex) return false;
      const auto text = as_text(*value);
      return text && regex->search(*text);
    }
  }
  return false;
}

bool PathMatcher::matches(std::string_view path) const {
  if (regex) return regex->search(path);
  return path == exact;
}

bool matches(const RuleMatch& match, const spec::RequestView& request, std::string_view operation_id) {
  if (match.operation && *match.operation != operation_id) return false;
  if (match.method && !spec::ascii::iequals(*match.method, request.method())) return false;
  if (match.path && !match.path->matches(request.path())) return false;
  if (!matches_all(match.query, request.query())) return false;
  if (!matches_all(match.headers, request.headers())) return false;
  if (match.body.empty()) return true;
  const nlohmann::json* body = request.body_value();
  for (const auto& [pointer, matcher] : match.body) {
    const nlohmann::json* value = body ? spec::resolve_pointer(*body, pointer) : nullptr;
    if (!matcher.matches_json(value)) return false;
  }
  return true;
}

RuleEngine::RuleEngine(std::vector<Rule> rules, std::uint64_t seed)
    : rules_(std::move(rules)), uses_(rules_.size(), 0), rng_(seed != 0 ? seed : random_seed()) {
  reset();
}

std::optional<RuleOutcome> RuleEngine::match(const spec::RequestView& request, std::string_view operation_id) {
  // Judge the conditions first, outside the lock: a slow match on one request must not hold
  // up every other request (and rules_ never changes, so no lock is needed to read it).
  std::vector<bool> fits(rules_.size());
  for (std::size_t i = 0; i < rules_.size(); ++i) fits[i] = matches(rules_[i].match, request, operation_id);

  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    if (!fits[i]) continue;
    if (rule.times && uses_[i] >= *rule.times) continue;
    if (!rule.scenario.empty() && !rule.required_state.empty()) {
      const auto state = states_.find(rule.scenario);
      if (state == states_.end() || state->second != rule.required_state) continue;
    }

    ++uses_[i];
    if (!rule.scenario.empty() && !rule.new_state.empty()) states_[rule.scenario] = rule.new_state;
    RuleOutcome outcome;
    outcome.rule_name = rule.name;
    if (rule.delay) outcome.delay = sample_delay(*rule.delay, rng_);
    outcome.response = rule.respond;
    outcome.fault = rule.fault;
    return outcome;
  }
  return std::nullopt;
}

void RuleEngine::reset() {
  std::lock_guard lock(mutex_);
  std::fill(uses_.begin(), uses_.end(), 0);
  states_.clear();
  for (const Rule& rule : rules_)
    if (!rule.scenario.empty()) states_[rule.scenario] = std::string(kStartState);
}

nlohmann::json RuleEngine::state_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json rules = nlohmann::json::array();
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    nlohmann::json entry = {{"name", rules_[i].name}, {"uses", uses_[i]}};
    if (rules_[i].times) entry["times"] = *rules_[i].times;
    rules.push_back(std::move(entry));
  }
  nlohmann::json scenarios = nlohmann::json::object();
  for (const auto& [name, state] : states_) scenarios[name] = state;
  return {{"rules", std::move(rules)}, {"scenarios", std::move(scenarios)}};
}

}  // namespace pbxmock::mock
