#pragma once
// Shared by the AuthService tests: a mock over a scenario, and requests built by hand the way
// the request parser would hand them over.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mock/auth/auth_service.h"
#include "mock/scenario/scenario_loader.h"
#include "spec/url_encoding.h"

namespace pbxmock::test {

using nlohmann::json;

// A parsed request's operation id is the document's string; a hand-built one's lives here.
inline std::string_view interned(const std::string& name) {
  static std::mutex mutex;
  static std::set<std::string> names;
  std::lock_guard<std::mutex> lock(mutex);
  return *names.insert(name).first;
}

inline spec::ParsedRequest make_request(const std::string& operation, json body = nullptr,
                                        std::optional<std::string> bearer = std::nullopt) {
  spec::ParsedRequest request;
  request.operation_id = interned(operation);
  request.body = std::move(body);
  request.bearer_token = std::move(bearer);
  if (request.bearer_token) request.headers.emplace_back("authorization", "Bearer " + *request.bearer_token);
  if (operation == "signInWithSocialAccount") request.path_params["provider"] = "microsoft";
  return request;
}

inline std::string error_code(const mock::ApiResponse& response) {
  if (!response.body.is_object() || !response.body.contains("errors")) return "(no error body)";
  return response.body["errors"][0].value("code", "(no code)");
}

inline bool is_token(const json& value) {
  if (!value.is_string() || value.get<std::string>().size() != 48) return false;
  for (char c : value.get<std::string>())
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// The query of a URL as name/value pairs (decoded).
inline spec::NameValuePairs query_of(const std::string& url) {
  const auto question = url.find('?');
  if (question == std::string::npos) return {};
  auto pairs = spec::parse_url_encoded(url.substr(question + 1));
  return pairs ? pairs.value() : spec::NameValuePairs{};
}

inline std::string query_value(const spec::NameValuePairs& pairs, const std::string& name) {
  for (const auto& [key, value] : pairs)
    if (key == name) return value;
  return "(absent)";
}

inline std::shared_ptr<const mock::Scenario> scenario_from(const std::string& yaml) {
  auto loaded = mock::load_scenario(yaml, "test.yaml");
  if (!loaded) {
    std::string all;
    for (const auto& e : loaded.error()) all += e.to_string() + "\n";
    ADD_FAILURE() << all;
    return std::make_shared<const mock::Scenario>();
  }
  return std::make_shared<const mock::Scenario>(std::move(loaded).value());
}

struct Tokens {
  std::string access;
  std::string refresh;
};

// A mock over the default scenario (or another), with shortcuts for the usual calls.
class MockTest : public ::testing::Test {
 protected:
  explicit MockTest(std::shared_ptr<const mock::Scenario> scenario =
                        std::make_shared<const mock::Scenario>(mock::default_scenario()))
      : service(std::move(scenario), clock, outbox) {}

  mock::ApiResponse call(const std::string& operation, json body = nullptr,
                         std::optional<std::string> bearer = std::nullopt) {
    return service.handle(make_request(operation, std::move(body), std::move(bearer)));
  }

  mock::ApiResponse sign_in(const std::string& username, const std::string& password,
                            std::optional<std::string> domain = std::string("pbx.example.com")) {
    json body = {{"username", username}, {"password", password}};
    if (domain) body["domain"] = *domain;
    return call("signInWithCredentials", std::move(body));
  }

  // Signs in a user without a second factor and returns the tokens (failing the test if not).
  Tokens tokens_for(const std::string& username, const std::string& password,
                    std::optional<std::string> domain = std::string("pbx.example.com")) {
    const auto response = sign_in(username, password, std::move(domain));
    EXPECT_EQ(200, response.status) << response.serialized_body();
    if (response.status != 200 || !response.body.contains("access_token")) return {};
    return {response.body["access_token"], response.body["refresh_token"]};
  }

  int user_status(const std::string& access_token) { return call("getUserAuthInfo", nullptr, access_token).status; }

  mock::Clock clock;
  mock::Outbox outbox;
  mock::AuthService service;
};

}  // namespace pbxmock::test
