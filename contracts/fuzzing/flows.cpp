#include "contracts/fuzzing/flows.h"

#include <algorithm>

#include "contracts/fuzzing/random.h"
#include "contracts/fuzzing/side_steps.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

constexpr std::string_view kReset = "https://app.fuzz.example.com/reset";
constexpr int kClockMargin = 30;  // seconds either side of expires_in

class FlowBuilder {
 public:
  FlowBuilder(const spec::OpenApiDocument& document, std::string name, const std::vector<std::string>& selected = {})
      : document_(document), selected_(selected) {
    flow_.operation_id = name;
    flow_.flow = std::move(name);
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

  // A form-encoded call (the token endpoint).
  FlowBuilder& form(std::string_view id, Intent intent, json fields, std::vector<Save> saves = {}) {
    call(id, intent, nullptr, {}, std::move(saves));
    RequestParts& parts = flow_.steps.back().parts;
    parts.encoding = BodyEncoding::form;
    parts.body = std::move(fields);
    parts.content_type = "application/x-www-form-urlencoded";
    return *this;
  }

  // What the step just added offers the server, for the check's message.
  FlowBuilder& says(std::string mutation) {
    flow_.steps.back().mutation = std::move(mutation);
    return *this;
  }

  // The newest code ("otp") or reset token ("password_reset") for `username`, saved as NAME
  // (and, for a code, a wrong one as NAME_WRONG).
  FlowBuilder& mail(const std::string& username, std::string kind, std::string name) {
    Step step;
    step.action = StepAction::read_mail;
    step.parts.method = "GET";
    step.parts.path_template = "mailbox";
    step.parts.query = {{"username", username}, {"kind", std::move(kind)}};
    step.saves = {{std::move(name), {}}};
    flow_.steps.push_back(std::move(step));
    return *this;
  }

  // The mock's clock moved by the seconds saved as `from` plus `offset` ("" `from`: 0).
  FlowBuilder& clock(std::string from, std::string offset) {
    Step step;
    step.action = StepAction::advance_clock;
    step.parts.method = "POST";
    step.parts.path_template = "/__admin/clock";
    step.parts.query = {{"from", std::move(from)}, {"offset", std::move(offset)}};
    flow_.steps.push_back(std::move(step));
    return *this;
  }

  // The rest of the flow means something only if the step just added succeeded: any other
  // answer stops the case there (and the run says which flow stopped where).
  FlowBuilder& gate() {
    flow_.steps.back().saves.push_back({"STATUS_" + std::to_string(flow_.steps.size()), {}, false, "$statusCode", "2XX"});
    return *this;
  }

  // The step just added is what a later check is about: the shrinker keeps it.
  FlowBuilder& essential() {
    flow_.steps.back().essential = true;
    return *this;
  }

  FuzzCase done() {
    if (!flow_.steps.empty() && !flow_.steps.back().operation_id.empty()) flow_.operation_id = flow_.steps.back().operation_id;
    return std::move(flow_);
  }

 private:
  const spec::OpenApiDocument& document_;
  std::vector<std::string> selected_;
  FuzzCase flow_;
};

json credentials(const FuzzAccount& account, const std::string& username, const std::string& password) {
  json body = {{"username", username}, {"password", password}};
  if (!account.domain.empty()) body["domain"] = account.domain;
  return body;
}

std::vector<Save> tokens(const std::string& suffix = {}) {
  return {{"ACCESS_TOKEN" + suffix, "access_token"}, {"REFRESH_TOKEN" + suffix, "refresh_token"}};
}

json refresh_body(const std::string& name) { return {{"refresh_token", "${" + name + "}"}}; }

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

FuzzAccount mock_account() { return {"fuzz.example.com", "fuzzer", "fuzz-secret", "fuzzer2fa", "fuzz-secret"}; }

std::string temporary_password(std::uint64_t seed) {
  Random random(seed ^ 0x7265736574ULL);
  constexpr std::string_view kLetters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  // Upper, lower, digit and a symbol up front, for servers with a password policy.
  std::string out = "Fz9-";
  for (int i = 0; i < 12; ++i) out += random.pick(kLetters);
  return out;
}

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
  flow.call("signInWithCredentials", Intent::setup, credentials(account, account.username, account.password), {}, tokens());
  plan.sign_in = flow.done().steps;
  return plan;
}

Flows build_flows(const spec::OpenApiDocument& document, const FuzzAccount* account, const FlowOptions& options) {
  Flows out;
  const auto& selected = options.selected;
  FlowBuilder probe(document, "", selected);
  if (account == nullptr) {
    out.skipped.emplace_back(
        "stateful flows (sign-out, refresh rotation, two-factor, password reset) and the checks one_time_code_reuse, "
        "reset_token_reuse, token_confusion, sign_out_scope, expiry_honesty: they need an account of the target's "
        "(--auth FILE naming username and password, or --mock-admin)");
    return out;
  }
  const json user = credentials(*account, account->username, account->password);
  const bool sign_in = probe.has("signInWithCredentials");
  if (sign_in && probe.has("getUserAuthInfo") && probe.has("signOut")) {
    FlowBuilder flow(document, "sign-out", selected);
    flow.call("signInWithCredentials", Intent::positive, user, {}, tokens())
        .call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN");
    if (probe.has("getLoginStatus")) flow.call("getLoginStatus", Intent::positive, nullptr, "ACCESS_TOKEN");
    flow.call("signOut", Intent::positive, nullptr, "ACCESS_TOKEN")
        .essential()
        .call("getUserAuthInfo", Intent::after_sign_out, nullptr, "ACCESS_TOKEN");
    out.cases.push_back(flow.done());
  }
  if (sign_in && probe.has("refreshToken")) {
    FlowBuilder flow(document, "refresh", selected);
    flow.call("signInWithCredentials", Intent::positive, user, {}, tokens())
        .call("refreshToken", Intent::positive, refresh_body("REFRESH_TOKEN"), {},
              {{"ACCESS_TOKEN_2", "access_token"}, {"REFRESH_TOKEN_2", "refresh_token"}})
        .essential();
    if (probe.has("getUserAuthInfo")) flow.call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN_2");
    flow.call("refreshToken", Intent::rotated_refresh, refresh_body("REFRESH_TOKEN"));
    out.cases.push_back(flow.done());
  }
  if (probe.has("login") && probe.has("logout") && probe.has("getLoginStatus")) {
    FlowBuilder flow(document, "legacy", selected);
    flow.call("login", Intent::positive, user, {}, tokens())
        .call("getLoginStatus", Intent::positive, nullptr, "ACCESS_TOKEN")
        .call("logout", Intent::positive, nullptr, "ACCESS_TOKEN")
        .essential()
        .call("getLoginStatus", Intent::after_sign_out, nullptr, "ACCESS_TOKEN");
    out.cases.push_back(flow.done());
  }
  const bool two_factor_account = !account->two_factor_username.empty();
  const std::string two_factor_password =
      account->two_factor_password.empty() ? account->password : account->two_factor_password;
  const json two_factor_user = credentials(*account, account->two_factor_username, two_factor_password);
  // Each kind of token where another belongs: as the bearer of auth/user, or as a refresh token.
  if (sign_in && probe.has("getUserAuthInfo") && probe.has("refreshToken")) {
    FlowBuilder flow(document, "token-kinds", selected);
    flow.call("signInWithCredentials", Intent::positive, user, {}, tokens())
        .gate()
        .call("getUserAuthInfo", Intent::confused_token, nullptr, "REFRESH_TOKEN")
        .says("a refresh token as the bearer")
        .call("refreshToken", Intent::confused_token, refresh_body("ACCESS_TOKEN"))
        .says("an access token as a refresh token");
    if (two_factor_account) {
      flow.call("signInWithCredentials", Intent::positive, two_factor_user, {}, {{"CHALLENGE", "token"}})
          .gate()
          .call("getUserAuthInfo", Intent::confused_token, nullptr, "CHALLENGE")
          .says("a two-factor challenge token as the bearer");
    }
    if (probe.has("requestOAuthToken")) {
      json grant = {{"grant_type", "password"}, {"username", account->username}, {"password", account->password},
                    {"scope", "all"}, {"client_id", account->client_id}};
      if (!account->domain.empty()) grant["domain"] = account->domain;
      flow.form("requestOAuthToken", Intent::positive, grant, tokens("_OAUTH"))
          .gate()
          .call("getUserAuthInfo", Intent::confused_token, nullptr, "REFRESH_TOKEN_OAUTH")
          .says("the token endpoint's refresh token as the bearer")
          .form("requestOAuthToken", Intent::confused_token,
                {{"grant_type", "refresh_token"}, {"refresh_token", "${ACCESS_TOKEN_OAUTH}"}, {"client_id", account->client_id}})
          .says("the token endpoint's access token as a refresh token");
    }
    out.cases.push_back(flow.done());
  }
  // Two sessions of one account: signing out the first ends exactly the first.
  if (sign_in && probe.has("signOut") && probe.has("getUserAuthInfo")) {
    FlowBuilder flow(document, "sign-out-scope", selected);
    flow.call("signInWithCredentials", Intent::positive, user, {}, tokens("_1"))
        .gate()
        .call("signInWithCredentials", Intent::positive, user, {}, tokens("_2"))
        .gate()
        .call("signOut", Intent::positive, nullptr, "ACCESS_TOKEN_1")
        .gate()
        .essential()
        .call("getUserAuthInfo", Intent::ended_session, nullptr, "ACCESS_TOKEN_1")
        .says("the access token of the session signed out");
    if (probe.has("refreshToken")) {
      flow.call("refreshToken", Intent::ended_session, refresh_body("REFRESH_TOKEN_1"))
          .says("the refresh token of the session signed out");
    }
    flow.call("getUserAuthInfo", Intent::other_session, nullptr, "ACCESS_TOKEN_2")
        .says("the access token of the account's other session, not signed out");
    if (probe.has("refreshToken")) {
      flow.call("refreshToken", Intent::other_session, refresh_body("REFRESH_TOKEN_2"))
          .says("the refresh token of the account's other session, not signed out");
    }
    out.cases.push_back(flow.done());
  }

  // The same for the legacy path: two logins, the first logged out.
  if (probe.has("login") && probe.has("logout") && probe.has("getLoginStatus")) {
    FlowBuilder flow(document, "legacy-sign-out-scope", selected);
    flow.call("login", Intent::positive, user, {}, tokens("_1"))
        .gate()
        .call("login", Intent::positive, user, {}, tokens("_2"))
        .gate()
        .call("logout", Intent::positive, nullptr, "ACCESS_TOKEN_1")
        .gate()
        .essential()
        .call("getLoginStatus", Intent::ended_session, nullptr, "ACCESS_TOKEN_1")
        .says("the access token of the login logged out")
        .call("getLoginStatus", Intent::other_session, nullptr, "ACCESS_TOKEN_2")
        .says("the access token of the account's other login, not logged out");
    out.cases.push_back(flow.done());
  }

  const bool two_factor = sign_in && probe.has("sendOTP") && probe.has("verifyOTP");
  const bool reset = probe.has("forgetPassword") && probe.has("resetPassword");
  if (two_factor && !two_factor_account) {
    out.skipped.emplace_back(
        "two-factor flow and one_time_code_reuse: no account with two-factor on (two_factor_username in the --auth file)");
  }
  if (!options.mailbox && ((two_factor && two_factor_account) || reset)) {
    out.skipped.emplace_back(
        "two-factor and password-reset flows (one_time_code_reuse, reset_token_reuse, and token_confusion of a reset "
        "token): the e-mailed code and token need a mailbox (--mailbox URL or --mailbox-command CMD)");
  }
  if (options.mailbox && two_factor && two_factor_account) {
    const std::string& name = account->two_factor_username;
    FlowBuilder flow(document, "two-factor", selected);
    flow.call("signInWithCredentials", Intent::positive, two_factor_user, {}, {{"CHALLENGE", "token"}})
        .gate()
        .call("sendOTP", Intent::positive, {{"token", "${CHALLENGE}"}})
        .gate()
        .mail(name, "otp", "CODE")
        .call("verifyOTP", Intent::positive, {{"token", "${CHALLENGE}"}, {"code", "${CODE}"}}, {}, tokens())
        .gate()
        .essential();
    if (probe.has("getUserAuthInfo")) flow.call("getUserAuthInfo", Intent::positive, nullptr, "ACCESS_TOKEN");
    flow.call("verifyOTP", Intent::spent_one_time_code, {{"token", "${CHALLENGE}"}, {"code", "${CODE}"}})
        .says("a code and challenge already verified")
        .call("sendOTP", Intent::spent_one_time_code, {{"token", "${CHALLENGE}"}})
        .says("a challenge already verified");
    // A second challenge: five wrong codes end it, so the right one comes too late.
    flow.call("signInWithCredentials", Intent::setup, two_factor_user, {}, {{"CHALLENGE_2", "token"}})
        .gate()
        .call("sendOTP", Intent::setup, {{"token", "${CHALLENGE_2}"}})
        .gate()
        .mail(name, "otp", "CODE_2");
    for (int i = 0; i < 5; ++i) {
      flow.call("verifyOTP", Intent::setup, {{"token", "${CHALLENGE_2}"}, {"code", "${" + wrong_code_name("CODE_2") + "}"}});
    }
    flow.call("verifyOTP", Intent::spent_one_time_code, {{"token", "${CHALLENGE_2}"}, {"code", "${CODE_2}"}})
        .says("the right code after five wrong ones");
    out.cases.push_back(flow.done());
  }
  if (options.mailbox && reset) {
    // The password changes to a temporary one and back: the account ends as it began.
    const std::string temporary = temporary_password(options.seed);
    const json forget = {{"domain", account->domain}, {"username", account->username}, {"callback_url", std::string(kReset)}};
    FlowBuilder flow(document, "password-reset", selected);
    flow.call("forgetPassword", Intent::positive, forget)
        .gate()
        .mail(account->username, "password_reset", "RESET_TOKEN");
    if (probe.has("getUserAuthInfo")) {
      flow.call("getUserAuthInfo", Intent::confused_token, nullptr, "RESET_TOKEN").says("a reset token as the bearer");
    }
    flow.call("resetPassword", Intent::positive, {{"token", "${RESET_TOKEN}"}, {"new_password", temporary}})
        .gate()
        .essential();
    if (sign_in) {
      flow.call("signInWithCredentials", Intent::spent_reset_token, user).says("the password the reset replaced");
    }
    flow.call("resetPassword", Intent::spent_reset_token, {{"token", "${RESET_TOKEN}"}, {"new_password", temporary}})
        .says("a reset token already used")
        .call("forgetPassword", Intent::setup, forget)
        .mail(account->username, "password_reset", "RESET_TOKEN_2")
        .call("resetPassword", Intent::positive, {{"token", "${RESET_TOKEN_2}"}, {"new_password", account->password}});
    if (sign_in) flow.call("signInWithCredentials", Intent::positive, user, {}, tokens());
    out.cases.push_back(flow.done());
  }
  if (!options.mock_admin) {
    out.skipped.emplace_back(
        "expiry_honesty: it moves the target's clock, which only pbxmock offers (--mock-admin); another server's "
        "tokens would take expires_in seconds to expire");
  } else if (sign_in && probe.has("getUserAuthInfo")) {
    // Last: moving the clock ends every token the other flows hold.
    FlowBuilder flow(document, "expiry", selected);
    flow.call("signInWithCredentials", Intent::positive, user, {},
              {{"ACCESS_TOKEN", "access_token"}, {"EXPIRES_IN", {}, false, "$response.body#/expires_in", "2XX"}})
        .clock("EXPIRES_IN", std::to_string(-kClockMargin))
        .call("getUserAuthInfo", Intent::before_expiry, nullptr, "ACCESS_TOKEN")
        .says("an access token " + std::to_string(kClockMargin) + " s before its expires_in")
        .clock("", std::to_string(2 * kClockMargin))
        .call("getUserAuthInfo", Intent::after_expiry, nullptr, "ACCESS_TOKEN")
        .says("an access token " + std::to_string(kClockMargin) + " s past its expires_in");
    out.cases.push_back(flow.done());
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
