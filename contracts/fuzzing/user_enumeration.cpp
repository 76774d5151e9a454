#include "contracts/fuzzing/user_enumeration.h"

#include "contracts/fuzzing/check_cases.h"
#include "contracts/fuzzing/operation_name.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kCallback = "https://app.fuzz.example.com/reset";

std::string answer_text(const Response& response) {
  const auto [code, message] = first_error(response);
  std::string out = std::to_string(response.status);
  if (!code.empty()) out += " " + code;
  if (!message.empty()) out += " \"" + message + "\"";
  return out;
}

// A JSON body, or a form (the token endpoint's).
Step body_step(const spec::OpenApiDocument& document, const spec::Operation& operation, json body, Intent intent,
               bool form) {
  Step step;
  step.operation_id = operation_name(operation);
  step.intent = intent;
  step.parts.method = operation.method;
  step.parts.path_template = full_path(document, operation);
  step.parts.encoding = form ? BodyEncoding::form : BodyEncoding::json;
  step.parts.content_type = form ? "application/x-www-form-urlencoded" : "application/json";
  step.parts.body = std::move(body);
  step.parts = fixed_body(std::move(step.parts));  // the two requests stay alike when shrunk
  return step;
}

}  // namespace

std::optional<Verdict> judge_user_enumeration(const Answer& answer) {
  if (answer.step.intent != Intent::unknown_user) return std::nullopt;
  const Response* existing = nullptr;
  for (const EarlierAnswer& earlier : answer.earlier) {
    if (earlier.step->operation_id == answer.step.operation_id) existing = earlier.response;
  }
  if (existing == nullptr) return std::nullopt;  // nothing to compare with (a shrunk case)
  const std::string expected = answer_text(*existing);
  const std::string seen = answer_text(answer.response);
  return Verdict{expected == seen, "the answer an existing user gets (" + expected + ") for " + answer.step.mutation, seen};
}

std::optional<KnownUser> known_user(const SessionPlan& session, std::string client_id) {
  for (const Step& step : session.sign_in) {
    const json& body = step.parts.body;
    if (!body.is_object()) continue;
    const auto username = body.find("username");
    if (username == body.end() || !username->is_string()) continue;
    KnownUser user{username->get<std::string>(), body.value("domain", std::string()), client_id};
    if (user.username.find("${") != std::string::npos || user.domain.find("${") != std::string::npos) continue;
    return user;
  }
  return std::nullopt;
}

std::vector<FuzzCase> enumeration_cases(const spec::OpenApiDocument& document, const spec::Operation& operation,
                                        const KnownUser& user, std::size_t first_example, Random& random) {
  const std::string& id = operation.operation_id;
  const bool password_grant = id == "requestOAuthToken";
  const bool sign_in = id == "signInWithCredentials" || id == "login" || password_grant;
  if (!sign_in && id != "forgetPassword") return {};
  const std::string made_up = "nouser" + random.text(10, kLower);
  auto body_for = [&](const std::string& username, const std::string& password) {
    json body = {{"username", username}};
    if (!user.domain.empty()) body["domain"] = user.domain;
    if (sign_in) {
      body["password"] = password;
    } else {
      body["callback_url"] = std::string(kCallback);
    }
    if (password_grant) {
      body["grant_type"] = "password";
      body["scope"] = "all";
      body["client_id"] = user.client_id;
    }
    return body;
  };
  // A wrong password that no account has: the same for both users.
  const std::string wrong = "Wrong-" + random.text(12, kAlnum);
  FuzzCase fuzz_case;
  fuzz_case.operation_id = operation_name(operation);
  fuzz_case.example = first_example;
  Step existing = body_step(document, operation, body_for(user.username, wrong), Intent::positive, password_grant);
  existing.essential = true;  // what the made-up user's answer is compared with
  fuzz_case.steps.push_back(std::move(existing));
  Step unknown = body_step(document, operation, body_for(made_up, wrong), Intent::unknown_user, password_grant);
  unknown.mutation = sign_in ? "a made-up user with a wrong password (the existing one got the same wrong password)"
                             : "a made-up user";
  fuzz_case.steps.push_back(std::move(unknown));
  return {std::move(fuzz_case)};
}

}  // namespace pbxmock::contracts::fuzzing
