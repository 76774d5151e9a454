#include "contracts/fuzzing/flows.h"

#include <algorithm>

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

constexpr std::string_view kReset = "https://app.fuzz.example.com/reset";

class FlowBuilder {
 public:
  FlowBuilder(const spec::OpenApiDocument& document, std::string name, const std::vector<std::string>& selected = {})
      : document_(document), selected_(selected) {
    flow_.operation_id = std::move(name);
  }

  bool has(std::string_view id) const {
    return document_.find_operation(id) != nullptr &&
           (selected_.empty() || std::find(selected_.begin(), selected_.end(), id) != selected_.end());
  }

  FlowBuilder& call(std::string_view id, Intent intent, json body = nullptr, std::string bearer = {},
                    std::vector<Save> saves = {}) {
    const spec::Operation* operation = document_.find_operation(id);
    Step step;
    step.operation_id = std::string(id);
    step.intent = intent;
    step.parts.method = operation->method;
    step.parts.path_template = full_path(document_, *operation);
    if (!body.is_null()) {
      step.parts.encoding = BodyEncoding::json;
      step.parts.body = std::move(body);
      step.parts.content_type = "application/json";
    }
    if (!bearer.empty()) step.parts.headers.push_back({"Authorization", "Bearer ${" + bearer + "}"});
    if (intent == Intent::after_sign_out) step.mutation = "a token that was signed out";
    if (intent == Intent::rotated_refresh) step.mutation = "a refresh token already traded in";
    step.saves = std::move(saves);
    flow_.steps.push_back(std::move(step));
    return *this;
  }

  FlowBuilder& outbox(const std::string& username, std::string key, std::string name) {
    Step step;
    step.parts.method = "GET";
    step.parts.path_template = "/__admin/outbox";
    step.parts.query = {{"username", username}};
    step.saves = {{std::move(name), std::move(key), true}};  // the outbox lists the newest message first
    flow_.steps.push_back(std::move(step));
    return *this;
  }

  // The step just added is what a later check is about: the shrinker keeps it.
  FlowBuilder& essential() {
    flow_.steps.back().essential = true;
    return *this;
  }

  FuzzCase done() {
    if (!flow_.steps.empty()) flow_.operation_id = flow_.steps.back().operation_id.empty() ? flow_.operation_id : flow_.steps.back().operation_id;
    return std::move(flow_);
  }

 private:
  const spec::OpenApiDocument& document_;
  std::vector<std::string> selected_;
  FuzzCase flow_;
};

json credentials(const FuzzAccount& account, const std::string& username) {
  json body = {{"username", username}, {"password", account.password}};
  if (!account.domain.empty()) body["domain"] = account.domain;
  return body;
}

const std::vector<Save> kTokens = {{"ACCESS_TOKEN", "access_token"}, {"REFRESH_TOKEN", "refresh_token"}};

}  // namespace

const std::string_view kFuzzScenario = R"(name: fuzz
description: The tenant pbxmock fuzz signs in to (loaded through /__admin/scenarios).
system_admins:
  - username: admin
    password: fuzz-admin-secret
    email: admin@fuzz.example.com
tenants:
  - name: Fuzz Corp
    domain: fuzz.example.com
    enable_two_factor_authentication: false
    enable_ms365_integration: true
    users:
      - username: fuzzer
        password: fuzz-secret
        role: Admin
        email: fuzzer@fuzz.example.com
      - username: fuzzer2fa
        password: fuzz-secret
        role: StandardUser
        email: fuzzer2fa@fuzz.example.com
        two_factor: true
)";

FuzzAccount mock_account() { return {"fuzz.example.com", "fuzzer", "fuzz-secret", "fuzzer2fa"}; }

Hints account_hints(const FuzzAccount& account) {
  Hints hints;
  hints["domain"] = {account.domain};
  hints["username"] = {account.username};
  if (!account.two_factor_username.empty()) hints["username"].push_back(account.two_factor_username);
  hints["password"] = {account.password};
  return hints;
}

SessionPlan session_plan(const spec::OpenApiDocument& document, const FuzzAccount& account) {
  SessionPlan plan;
  FlowBuilder flow(document, "session");
  if (!flow.has("signInWithCredentials")) return plan;
  flow.call("signInWithCredentials", Intent::setup, credentials(account, account.username), {}, kTokens);
  plan.sign_in = flow.done().steps;
  return plan;
}

Flows build_flows(const spec::OpenApiDocument& document, const FuzzAccount* account, bool mock_admin,
                  const std::vector<std::string>& selected) {
  Flows out;
  FlowBuilder probe(document, "", selected);
  if (account == nullptr) {
    out.skipped.emplace_back(
        "stateful flows (sign-out, refresh rotation, two-factor, password reset): they need an account of the "
        "target's (--mock-admin)");
    return out;
  }
  const json user = credentials(*account, account->username);
  if (probe.has("signInWithCredentials") && probe.has("getUserAuthInfo") && probe.has("signOut")) {
    FlowBuilder flow(document, "sign-out");
    flow.call("signInWithCredentials", Intent::positive, user, {}, kTokens)
        .call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN");
    if (probe.has("getLoginStatus")) flow.call("getLoginStatus", Intent::positive, nullptr, "ACCESS_TOKEN");
    flow.call("signOut", Intent::positive, nullptr, "ACCESS_TOKEN")
        .essential()
        .call("getUserAuthInfo", Intent::after_sign_out, nullptr, "ACCESS_TOKEN");
    out.cases.push_back(flow.done());
  }
  if (probe.has("signInWithCredentials") && probe.has("refreshToken")) {
    FlowBuilder flow(document, "refresh");
    flow.call("signInWithCredentials", Intent::positive, user, {}, kTokens)
        .call("refreshToken", Intent::positive, {{"refresh_token", "${REFRESH_TOKEN}"}}, {},
              {{"ACCESS_TOKEN_2", "access_token"}, {"REFRESH_TOKEN_2", "refresh_token"}})
        .essential();
    if (probe.has("getUserAuthInfo")) flow.call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN_2");
    flow.call("refreshToken", Intent::rotated_refresh, {{"refresh_token", "${REFRESH_TOKEN}"}});
    out.cases.push_back(flow.done());
  }
  if (probe.has("login") && probe.has("logout") && probe.has("getLoginStatus")) {
    FlowBuilder flow(document, "legacy");
    flow.call("login", Intent::positive, user, {}, kTokens)
        .call("getLoginStatus", Intent::positive, nullptr, "ACCESS_TOKEN")
        .call("logout", Intent::positive, nullptr, "ACCESS_TOKEN")
        .essential()
        .call("getLoginStatus", Intent::after_sign_out, nullptr, "ACCESS_TOKEN");
    out.cases.push_back(flow.done());
  }
  const bool two_factor = probe.has("signInWithCredentials") && probe.has("sendOTP") && probe.has("verifyOTP") &&
                          !account->two_factor_username.empty();
  const bool reset = probe.has("forgetPassword") && probe.has("resetPassword");
  if (!mock_admin) {
    if (two_factor || reset) {
      out.skipped.emplace_back("two-factor and password-reset flows: the e-mailed code and token need --mock-admin");
    }
    return out;
  }
  if (two_factor) {
    FlowBuilder flow(document, "two-factor");
    flow.call("signInWithCredentials", Intent::positive, credentials(*account, account->two_factor_username), {},
              {{"CHALLENGE", "token"}})
        .call("sendOTP", Intent::positive, {{"token", "${CHALLENGE}"}})
        .outbox(account->two_factor_username, "code", "CODE")
        .call("verifyOTP", Intent::positive, {{"token", "${CHALLENGE}"}, {"code", "${CODE}"}}, {}, kTokens);
    if (probe.has("getUserAuthInfo")) flow.call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN");
    out.cases.push_back(flow.done());
  }
  if (reset) {
    FlowBuilder flow(document, "password-reset");
    flow.call("forgetPassword", Intent::positive,
              {{"domain", account->domain}, {"username", account->username}, {"callback_url", std::string(kReset)}})
        .outbox(account->username, "token", "RESET_TOKEN")
        // The same password again, so the account keeps working for the rest of the run.
        .call("resetPassword", Intent::positive, {{"token", "${RESET_TOKEN}"}, {"new_password", account->password}});
    if (probe.has("signInWithCredentials")) flow.call("signInWithCredentials", Intent::positive, user, {}, kTokens);
    out.cases.push_back(flow.done());
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
