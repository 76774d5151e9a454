// Rules: matching, uses, scenario states, delay sampling and what an outcome carries.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "mock/rules/rules.h"
#include "mock/scenario/scenario_loader.h"
#include "spec/request_view.h"

namespace {

using namespace std::chrono_literals;
using pbxmock::mock::DelaySpec;
using pbxmock::mock::Fault;
using pbxmock::mock::Rule;
using pbxmock::mock::RuleEngine;
using pbxmock::spec::RequestView;
using pbxmock::mock::sample_delay;
using Pairs = std::vector<std::pair<std::string, std::string>>;
using nlohmann::json;

std::vector<Rule> rules_from(const std::string& yaml) {
  const auto loaded = pbxmock::mock::load_scenario("name: rules\nrules:\n" + yaml, "rules.yaml");
  if (!loaded) {
    std::string all;
    for (const auto& e : loaded.error()) all += e.to_string() + "\n";
    ADD_FAILURE() << all;
    return {};
  }
  return loaded->rules;
}

struct Req {
  std::string method = "GET";
  std::string path = "/api/info";
  Pairs query;
  Pairs headers;
  json body;
  std::string operation = "retrieveMetadata";
  // The request as sent (the view does not own its text).
  mutable std::string target_text;
  mutable std::string body_text;
  RequestView view() const {
    target_text = path;
    for (std::size_t i = 0; i < query.size(); ++i) target_text += (i ? "&" : "?") + query[i].first + "=" + query[i].second;
    body_text = body.is_null() ? "" : body.dump();
    Pairs sent = headers;
    if (!body.is_null()) sent.emplace_back("Content-Type", "application/json");
    return RequestView(method, target_text, std::move(sent), body_text);
  }
};

bool matches(const std::string& yaml, const Req& request) {
  const auto rules = rules_from(yaml);
  if (rules.size() != 1) return false;
  return pbxmock::mock::matches(rules[0].match, request.view(), request.operation);
}

bool matches(const std::string& yaml, const RequestView& view, std::string_view operation = {}) {
  const auto rules = rules_from(yaml);
  if (rules.size() != 1) return false;
  return pbxmock::mock::matches(rules[0].match, view, operation);
}

TEST(rules_match, operation_and_method_ignoring_case) {
  Req r;
  EXPECT_TRUE(matches("- {match: {operation: retrieveMetadata, method: get}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {operation: signOut}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {method: POST}, respond: {status: 200}}", r));
}

TEST(rules_match, path_exact_or_regex) {
  Req r;
  r.path = "/api/auth/sign_in";
  EXPECT_TRUE(matches("- {match: {path: /api/auth/sign_in}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {path: /api/auth}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {path: {regex: '^/api/auth/.*'}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {path: {regex: '^/api/info$'}}, respond: {status: 200}}", r));
}

TEST(rules_match, query_equals_regex_present) {
  Req r;
  r.query = {{"domain", "pbx.example.com"}, {"qr", "true"}};
  EXPECT_TRUE(matches("- {match: {query: {domain: pbx.example.com}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {query: {domain: {equals: pbx.example.com}}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {query: {domain: other.example.com}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {query: {domain: {regex: 'example\\.com$'}}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {query: {qr: true}}, respond: {status: 200}}", r));  // unquoted true reads as "true"
  EXPECT_TRUE(matches("- {match: {query: {state: {present: false}}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {query: {domain: {present: false}}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {query: {state: {present: true}}}, respond: {status: 200}}", r));
}

TEST(rules_match, a_repeated_query_parameter_matches_when_any_value_does) {
  Req r;
  r.query = {{"tag", "a"}, {"tag", "b"}};
  EXPECT_TRUE(matches("- {match: {query: {tag: b}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {query: {tag: c}}, respond: {status: 200}}", r));
}

TEST(rules_match, header_names_ignore_case) {
  Req r;
  r.headers = {{"x-debug", "1"}, {"authorization", "Bearer ABC"}};
  EXPECT_TRUE(matches("- {match: {headers: {X-Debug: {present: true}}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {headers: {Authorization: {regex: '^Bearer '}}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {headers: {X-Other: {present: true}}}, respond: {status: 200}}", r));
}

TEST(rules_match, body_fields_by_json_pointer) {
  Req r;
  r.body = json::parse(R"({"username": "alice", "attempt": 3, "tags": ["x", "y"], "a/b": true})");
  EXPECT_TRUE(matches("- {match: {body: {/username: alice}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {body: {/username: bob}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {body: {/attempt: 3}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {body: {/attempt: '3'}}, respond: {status: 200}}", r));  // a string reads as the number
  EXPECT_TRUE(matches("- {match: {body: {/tags/1: y}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {body: {/a~1b: {equals: true}}}, respond: {status: 200}}", r));
  EXPECT_TRUE(matches("- {match: {body: {/domain: {present: false}}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {body: {/tags/2: {present: true}}}, respond: {status: 200}}", r));
  Req no_body;
  EXPECT_FALSE(matches("- {match: {body: {/username: alice}}, respond: {status: 200}}", no_body));
  EXPECT_TRUE(matches("- {match: {body: {/username: {present: false}}}, respond: {status: 200}}", no_body));
}

// RE2 needs no stack per character: the 2,048-byte cap std::regex needed is gone.
TEST(rules_match, a_regex_matches_a_long_value) {
  Req r;
  r.body = {{"note", std::string(100000, 'a')}};
  EXPECT_TRUE(matches("- {match: {body: {/note: {regex: '^a+$'}}}, respond: {status: 200}}", r));
  r.body = {{"note", std::string(100000, 'a') + "!"}};
  EXPECT_FALSE(matches("- {match: {body: {/note: {regex: '^(a+)+$'}}}, respond: {status: 200}}", r));
}

// Issue 9 finding 2: a regex on a field of 20,000 nested arrays printed it recursively and
// overflowed the stack. Past 64 levels a regex does not match; shallower values still do.
TEST(rules_match, a_regex_on_a_deeply_nested_value_does_not_match_and_does_not_recurse) {
  // Sent as text, as a client would: building and writing out such a value in the test itself
  // would recurse as deeply as the bug did.
  const std::string deep = R"({"username":)" + std::string(20000, '[') + std::string(20000, ']') + "}";
  const RequestView view("POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, deep);
  EXPECT_FALSE(matches("- {match: {body: {/username: {regex: '^zzz'}}}, respond: {status: 200}}", view));
  // The request view does not parse a body nested past its depth limit at all, so no body
  // condition sees the field (the API answers such a body 400 maxDepth).
  EXPECT_FALSE(matches("- {match: {body: {/username: {present: true}}}, respond: {status: 200}}", view));
  // A nested value within the limit is written out and matched.
  Req r;
  r.body = {{"username", json::array({json::array({"zzz"})})}};
  EXPECT_TRUE(matches("- {match: {body: {/username: {regex: 'zzz'}}}, respond: {status: 200}}", r));
}

TEST(rules_match, every_condition_must_hold) {
  Req r;
  r.query = {{"domain", "pbx.example.com"}};
  EXPECT_TRUE(matches("- {match: {operation: retrieveMetadata, query: {domain: pbx.example.com}}, respond: {status: 200}}", r));
  EXPECT_FALSE(matches("- {match: {operation: retrieveMetadata, method: POST}, respond: {status: 200}}", r));
}

TEST(rules_match, the_view_the_server_builds_from_the_bytes) {
  // As the dispatcher builds it: raw target, headers in any case, body bytes.
  const std::string json_body = R"({"username":"alice"})";
  const RequestView json_view("POST", "/api/auth/sign_in?qr=true#frag", {{"Content-Type", "application/json"}, {"X-Debug", "1"}},
                              json_body);
  EXPECT_TRUE(matches("- {match: {path: /api/auth/sign_in, query: {qr: true}, headers: {x-debug: '1'}, body: {/username: alice}}, "
                      "respond: {status: 200}}",
                      json_view));
  EXPECT_TRUE(matches("- {match: {operation: signInWithCredentials}, respond: {status: 200}}", json_view, "signInWithCredentials"));

  // A form body reads as an object of its fields (strings).
  const std::string form_body = "username=bob&password=x%20y";
  const RequestView form_view("POST", "/api/login", {{"content-type", "application/x-www-form-urlencoded"}}, form_body);
  EXPECT_TRUE(matches("- {match: {body: {/username: bob, /password: x y}}, respond: {status: 200}}", form_view));

  // Text that is neither JSON nor a form has no body value.
  const std::string text_body = "username=bob";
  const RequestView text_view("POST", "/api/login", {{"content-type", "text/plain"}}, text_body);
  EXPECT_FALSE(matches("- {match: {body: {/username: bob}}, respond: {status: 200}}", text_view));
  EXPECT_TRUE(matches("- {match: {body: {/username: {present: false}}}, respond: {status: 200}}", text_view));
}

TEST(rules_match, a_body_nested_past_the_depth_limit_matches_no_body_condition) {
  // Issue 9 finding 2: 20,000 nested arrays as the username. Parsing or writing it out
  // recursively would overflow a worker's stack; the view refuses it before parsing.
  const std::string deep = R"({"username":)" + std::string(20000, '[') + std::string(20000, ']') + "}";
  const RequestView view("POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, deep);
  EXPECT_EQ(pbxmock::spec::JsonBody::State::too_deep, view.json_body().state);
  EXPECT_FALSE(matches("- {match: {body: {/username: {regex: '^zzz'}}}, respond: {status: 200}}", view));
  EXPECT_FALSE(matches("- {match: {body: {/username: {present: true}}}, respond: {status: 200}}", view));
  EXPECT_TRUE(matches("- {match: {body: {/username: {present: false}}}, respond: {status: 200}}", view));
  // Within the limit it is an ordinary body.
  const std::string shallow = R"({"username":)" + std::string(60, '[') + std::string(60, ']') + "}";
  const RequestView ok("POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, shallow);
  EXPECT_TRUE(matches("- {match: {body: {/username: {regex: '^\\[\\[\\['}}}, respond: {status: 200}}", ok));
}

TEST(rules_match, a_deep_value_given_directly_is_not_written_out) {
  // matches_json guards itself too (as_text does not recurse past 64 levels).
  const auto rules = rules_from("- {match: {body: {/v: {regex: '.'}}}, respond: {status: 200}}");
  ASSERT_EQ(1u, rules.size());
  json deep = json::array();
  for (int i = 0; i < 100; ++i) deep = json::array({std::move(deep)});
  EXPECT_FALSE(rules[0].match.body[0].second.matches_json(&deep));
  json shallow = json::array({json::array({1})});
  EXPECT_TRUE(rules[0].match.body[0].second.matches_json(&shallow));
}

TEST(rules_engine, first_matching_rule_wins_and_times_limits_it) {
  RuleEngine engine(rules_from(R"(
  - name: twice
    match: {operation: retrieveMetadata}
    times: 2
    respond: {status: 503, headers: {Retry-After: "1"}, body: {errors: [{code: UNKNOWN, message: down}]}}
  - name: after
    match: {operation: retrieveMetadata}
    fault: empty_response
)"));
  Req r;
  for (int i = 0; i < 2; ++i) {
    const auto outcome = engine.match(r.view(), r.operation);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ("twice", outcome->rule_name);
    ASSERT_TRUE(outcome->response.has_value());
    EXPECT_EQ(503, outcome->response->status);
    ASSERT_NE(nullptr, outcome->response->header("retry-after"));
    EXPECT_EQ("1", *outcome->response->header("Retry-After"));
    EXPECT_EQ("down", outcome->response->body["errors"][0]["message"]);
    EXPECT_FALSE(outcome->fault.has_value());
  }
  const auto third = engine.match(r.view(), r.operation);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ("after", third->rule_name);
  EXPECT_EQ(Fault::empty_response, third->fault);
  EXPECT_FALSE(third->response.has_value());
}

TEST(rules_engine, no_match_is_nullopt) {
  RuleEngine engine(rules_from("- {match: {operation: signOut}, fault: connection_reset}"));
  Req r;
  EXPECT_FALSE(engine.match(r.view(), r.operation).has_value());
}

TEST(rules_engine, delay_only_rule_carries_no_response_or_fault) {
  RuleEngine engine(rules_from("- {name: slow, match: {operation: retrieveMetadata}, delay: {fixed_ms: 250}}"));
  Req r;
  const auto outcome = engine.match(r.view(), r.operation);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(250ms, outcome->delay);
  EXPECT_FALSE(outcome->response.has_value());
  EXPECT_FALSE(outcome->fault.has_value());
}

TEST(rules_engine, respond_with_text_body_and_content_type_header) {
  RuleEngine engine(rules_from(
      "- {respond: {status: 418, headers: {Content-Type: text/html, X-Why: teapot}, body: '<h1>no</h1>'}}"));
  Req r;
  const auto outcome = engine.match(r.view(), r.operation);
  ASSERT_TRUE(outcome && outcome->response);
  EXPECT_EQ(418, outcome->response->status);
  EXPECT_EQ("text/html", outcome->response->content_type);
  EXPECT_EQ("<h1>no</h1>", outcome->response->serialized_body());
  EXPECT_EQ(nullptr, outcome->response->header("content-type"));  // carried as content_type, not twice
  EXPECT_EQ("teapot", *outcome->response->header("x-why"));
}

TEST(rules_engine, scenario_states_move_and_gate_rules) {
  RuleEngine engine(rules_from(R"(
  - name: first
    scenario: outage
    required_state: Started
    new_state: Degraded
    respond: {status: 503}
  - name: second
    scenario: outage
    required_state: Degraded
    new_state: Recovered
    respond: {status: 502}
  - name: recovered
    scenario: outage
    required_state: Recovered
    respond: {status: 200, body: {ok: true}}
)"));
  Req r;
  EXPECT_EQ("outage", engine.state_json()["scenarios"].begin().key());
  EXPECT_EQ("Started", engine.state_json()["scenarios"]["outage"]);
  EXPECT_EQ(503, engine.match(r.view(), r.operation)->response->status);
  EXPECT_EQ("Degraded", engine.state_json()["scenarios"]["outage"]);
  EXPECT_EQ(502, engine.match(r.view(), r.operation)->response->status);
  EXPECT_EQ(200, engine.match(r.view(), r.operation)->response->status);
  EXPECT_EQ(200, engine.match(r.view(), r.operation)->response->status);  // stays Recovered
  EXPECT_EQ("Recovered", engine.state_json()["scenarios"]["outage"]);
}

TEST(rules_engine, reset_restores_uses_and_states) {
  RuleEngine engine(rules_from(R"(
  - {name: once, times: 1, scenario: s, new_state: Done, respond: {status: 500}}
)"));
  Req r;
  EXPECT_TRUE(engine.match(r.view(), r.operation).has_value());
  EXPECT_FALSE(engine.match(r.view(), r.operation).has_value());
  const auto state = engine.state_json();
  EXPECT_EQ(1, state["rules"][0]["uses"]);
  EXPECT_EQ(1, state["rules"][0]["times"]);
  EXPECT_EQ("Done", state["scenarios"]["s"]);
  engine.reset();
  EXPECT_EQ(0, engine.state_json()["rules"][0]["uses"]);
  EXPECT_EQ("Started", engine.state_json()["scenarios"]["s"]);
  EXPECT_TRUE(engine.match(r.view(), r.operation).has_value());
}

TEST(rules_engine, times_holds_exactly_under_concurrent_requests) {
  RuleEngine engine(rules_from("- {name: limited, times: 100, fault: connection_reset}"));
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      Req r;
      for (int i = 0; i < 200; ++i)
        if (engine.match(r.view(), r.operation)) ++applied;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(100, applied.load());
}

TEST(rules_delay, fixed_is_exact) {
  std::mt19937_64 rng(1);
  DelaySpec spec;
  spec.fixed_ms = 200;
  EXPECT_EQ(200ms, sample_delay(spec, rng));
}

TEST(rules_delay, uniform_stays_in_bounds_and_reaches_both_ends) {
  std::mt19937_64 rng(42);
  DelaySpec spec;
  spec.kind = DelaySpec::Kind::uniform;
  spec.min_ms = 100;
  spec.max_ms = 300;
  auto low = 1000ms, high = 0ms;
  long long sum = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto d = sample_delay(spec, rng);
    ASSERT_GE(d, 100ms);
    ASSERT_LE(d, 300ms);
    low = std::min(low, d);
    high = std::max(high, d);
    sum += d.count();
  }
  EXPECT_LE(low, 102ms);
  EXPECT_GE(high, 298ms);
  EXPECT_NEAR(200.0, static_cast<double>(sum) / 5000, 5.0);  // mean of U[100,300]; sd of the mean ~0.8
}

TEST(rules_delay, lognormal_median_is_about_the_given_one) {
  std::mt19937_64 rng(7);
  DelaySpec spec;
  spec.kind = DelaySpec::Kind::lognormal;
  spec.median_ms = 80;
  spec.sigma = 0.4;
  std::vector<long long> samples;
  for (int i = 0; i < 4001; ++i) samples.push_back(sample_delay(spec, rng).count());
  std::nth_element(samples.begin(), samples.begin() + 2000, samples.end());
  const long long median = samples[2000];
  EXPECT_GE(median, 76);  // the sample median's spread is about 0.6 ms here; 5% is generous
  EXPECT_LE(median, 84);
  // A spread, not a constant: some samples well above and below the median.
  EXPECT_GT(*std::max_element(samples.begin(), samples.end()), 140);
  EXPECT_LT(*std::min_element(samples.begin(), samples.end()), 45);
}

TEST(rules_delay, lognormal_tail_is_cut_at_one_minute) {
  std::mt19937_64 rng(3);
  DelaySpec spec;
  spec.kind = DelaySpec::Kind::lognormal;
  spec.median_ms = 50000;
  spec.sigma = 2;
  bool reached = false;
  for (int i = 0; i < 1000; ++i) {
    const auto d = sample_delay(spec, rng);
    ASSERT_LE(d, 60000ms);
    reached |= d == 60000ms;
  }
  EXPECT_TRUE(reached);
}

TEST(rules_delay, engine_samples_the_rules_delay) {
  RuleEngine engine(rules_from("- {delay: {uniform_ms: [10, 20]}}"), 99);
  Req r;
  for (int i = 0; i < 100; ++i) {
    const auto outcome = engine.match(r.view(), r.operation);
    ASSERT_TRUE(outcome && outcome->delay);
    ASSERT_GE(*outcome->delay, 10ms);
    ASSERT_LE(*outcome->delay, 20ms);
  }
}

TEST(rules_fault, names_round_trip) {
  for (Fault fault : {Fault::connection_reset, Fault::empty_response, Fault::malformed_chunk})
    EXPECT_EQ(fault, pbxmock::mock::fault_from_string(pbxmock::mock::to_string(fault)));
  EXPECT_FALSE(pbxmock::mock::fault_from_string("timeout").has_value());
}

}  // namespace
