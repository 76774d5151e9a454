#pragma once
// Rules: WireMock-style stubs a scenario lists, tried in order before the built-in
// behaviour. A rule matches on what a request looks like (operation, method, path, query,
// headers, JSON body fields) and then answers with a canned response, breaks the
// connection (a fault), or only waits (a delay) before the built-in behaviour answers.
// The model is built by the scenario loader (mock/rules/rule_loader.h); matching is pure
// over the request view the server builds (spec/request_view.h); RuleEngine adds the state
// that changes: uses (`times`) and scenario states (`scenario`, `required_state`,
// `new_state`). A delay is sampled here and waited by the server (a worker of the connection
// loop); a fault is applied by the connection's owner (mock/http/faults.h).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock/api_response.h"
#include "mock/rules/delay.h"
#include "spec/request_view.h"
#include "spec/safe_regex.h"

namespace pbxmock::mock {

// How the transport breaks the exchange instead of answering.
enum class Fault {
  connection_reset,  // close the socket abruptly (RST) without a response
  empty_response,    // close the connection without sending a byte
  malformed_chunk,   // send headers for a chunked body, then a chunk that is not valid, then close
};
std::string_view to_string(Fault fault) noexcept;
std::optional<Fault> fault_from_string(std::string_view name) noexcept;

// One condition on a text value (query parameter, header) or a JSON body value.
struct ValueMatcher {
  enum class Kind { equals, regex, present };
  Kind kind = Kind::equals;
  nlohmann::json expected;                    // equals: the value (scalars compare as text against strings)
  std::string pattern;                        // regex: its source, for logs
  std::optional<spec::SafeRegex> regex;       // regex: compiled once at load time
  bool present = true;                        // present: whether the value must exist

  bool matches_text(const std::string* value) const;       // null: the value is absent
  bool matches_json(const nlohmann::json* value) const;    // null: the pointer names nothing
};

// Regular expressions are RE2's dialect (spec/safe_regex.h), searched in the value (anchor
// with ^ and $). Matching takes time linear in the value and no stack, whatever its length.

// The path: exact text, or a regular expression searched in it.
struct PathMatcher {
  std::string exact;
  std::string pattern;
  std::optional<spec::SafeRegex> regex;  // set for a regex matcher
  bool matches(std::string_view path) const;
};

struct RuleMatch {
  std::optional<std::string> operation;  // operationId
  std::optional<std::string> method;     // compared without regard to case
  std::optional<PathMatcher> path;
  std::vector<std::pair<std::string, ValueMatcher>> query;    // name as sent
  std::vector<std::pair<std::string, ValueMatcher>> headers;  // name in lower case
  std::vector<std::pair<std::string, ValueMatcher>> body;     // JSON Pointer
};

struct Rule {
  std::string name;                      // for logs; "rule N" (1-based) when not given
  RuleMatch match;
  std::optional<std::uint64_t> times;    // applies at most this many times (>= 1)
  std::string scenario;                  // state machine name ("" = none)
  std::string required_state;            // apply only in this state ("" = any)
  std::string new_state;                 // move to it after applying ("" = stay)
  std::optional<DelaySpec> delay;
  std::optional<ApiResponse> respond;
  std::optional<Fault> fault;
};

// Whether every condition of `match` holds for `request` (no state involved). The body
// conditions read the view's body value (JSON, or a form's fields); a body the view does not
// parse (too deep, too large, neither JSON nor a form) matches no body condition but
// `present: false`. `operation_id` is empty for a request no route matched.
bool matches(const RuleMatch& match, const spec::RequestView& request, std::string_view operation_id);

struct RuleOutcome {
  std::string rule_name;
  std::optional<std::chrono::milliseconds> delay;  // already sampled; wait this long first
  std::optional<ApiResponse> response;             // answer this instead of the built-in behaviour
  std::optional<Fault> fault;                      // or break the connection like this
  // Neither response nor fault: only the delay; the built-in behaviour answers after it.
};

// The rules of one running scenario with their uses and scenario states. Thread-safe.
class RuleEngine {
 public:
  explicit RuleEngine(std::vector<Rule> rules, std::uint64_t seed = 0);  // seed 0: from OpenSSL

  // The first rule (in order) that matches, has uses left and is in its required state.
  // The conditions are judged without the lock (they are pure); claiming the use, moving its
  // scenario to new_state and sampling the delay happen under one lock, so `times: 2` applies
  // exactly twice however many threads ask.
  std::optional<RuleOutcome> match(const spec::RequestView& request, std::string_view operation_id);

  // Every use count back to 0 and every scenario back to "Started".
  void reset();

  // {"rules": [{"name", "uses", "times"?}], "scenarios": {"<name>": "<state>"}}
  nlohmann::json state_json() const;

  std::size_t size() const noexcept { return rules_.size(); }

  static constexpr std::string_view kStartState = "Started";

 private:
  const std::vector<Rule> rules_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> uses_;
  std::map<std::string, std::string, std::less<>> states_;
  std::mt19937_64 rng_;
};

}  // namespace pbxmock::mock
