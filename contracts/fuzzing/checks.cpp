#include "contracts/fuzzing/checks.h"

#include <algorithm>
#include <sstream>

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// JSON Schema keywords: a VALIDATE_FAILED naming one of these claims the request broke the schema.
constexpr std::string_view kSchemaRules[] = {
    "type",    "required", "minLength", "maxLength", "pattern", "format", "enum",    "const", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties", "additionalProperties", "oneOf", "anyOf", "allOf", "not"};

const json* first_error_object(const Response& response) {
  if (!response.json || !response.json->is_object()) return nullptr;
  const auto errors = response.json->find("errors");
  if (errors == response.json->end() || !errors->is_array() || errors->empty() || !(*errors)[0].is_object()) return nullptr;
  return &(*errors)[0];
}

std::string status_text(const Response& response) {
  std::string out = std::to_string(response.status);
  if (const json* error = first_error_object(response)) {
    out += " " + error->value("code", std::string());
    if (const auto detail = error->find("detail"); detail != error->end() && !detail->is_null()) {
      out += " " + detail->dump();
    }
  }
  return out;
}

// The rule a VALIDATE_FAILED answer names, "" when it names none.
std::optional<std::string> validate_failed_rule(const Response& response) {
  if (!response.json || !response.json->is_object()) return std::nullopt;
  const auto errors = response.json->find("errors");
  if (errors == response.json->end() || !errors->is_array()) return std::nullopt;
  for (const json& error : *errors) {
    if (!error.is_object() || error.value("code", std::string()) != "VALIDATE_FAILED") continue;
    const auto detail = error.find("detail");
    if (detail != error.end() && detail->is_object()) return detail->value("rule", std::string());
    return std::string();
  }
  return std::nullopt;
}

bool is_schema_rule(std::string_view rule) {
  return rule.empty() || std::find(std::begin(kSchemaRules), std::end(kSchemaRules), rule) != std::end(kSchemaRules);
}

bool client_error(const Response& response) { return response.status >= 400 && response.status < 500; }

Check spec_check_of(std::string_view finding) {
  if (finding == "undeclared_status") return Check::status_conformance;
  if (finding == "content_type") return Check::content_type_conformance;
  if (finding == "schema" || finding == "required_header") return Check::response_schema_conformance;
  if (finding == "error_shape") return Check::error_shape;
  return Check::status_conformance;  // unknown_operation: the server's routing disagrees with the spec
}

// One of the four spec checks: its findings among SpecChecker's, joined.
std::optional<Verdict> spec_verdict(const Answer& answer, Check check) {
  if (answer.operation == nullptr) return std::nullopt;
  std::string messages;
  for (const SpecFinding& finding : answer.findings()) {
    if (spec_check_of(finding.check) == check) messages += (messages.empty() ? "" : "; ") + finding.message;
  }
  return Verdict{messages.empty(), "what the spec declares", messages.empty() ? answer.seen() : messages};
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

std::pair<std::string, std::string> first_error(const Response& response) {
  const json* error = first_error_object(response);
  if (error == nullptr) return {};
  const auto text = [&](const char* key) {
    const auto it = error->find(key);
    return it != error->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return {text("code"), text("message")};
}

const std::string& Answer::seen() const {
  if (!seen_) seen_ = status_text(response);
  return *seen_;
}

const std::vector<SpecFinding>& Answer::findings() const {
  if (!findings_) findings_ = operation != nullptr ? checker.check_operation(*operation, response) : std::vector<SpecFinding>{};
  return *findings_;
}

std::vector<std::string> CheckSelection::names() const {
  std::vector<std::string> out;
  for (const CheckInfo& info : check_table()) {
    if (has(info.id)) out.emplace_back(info.name);
  }
  return out;
}

Result<CheckSelection, std::string> CheckSelection::make(const std::string& checks, const std::string& excluded,
                                                        std::optional<std::chrono::milliseconds> max_response_time) {
  CheckSelection selection;
  selection.max_response_time = max_response_time;
  for (const std::string& name : split(checks.empty() ? "all" : checks)) {
    if (name == "all") {
      selection.enabled.set();
    } else if (const auto check = check_named(name)) {
      selection.enabled.set(static_cast<std::size_t>(*check));
    } else {
      return Err{"--checks: unknown check '" + name + "'"};
    }
  }
  for (const std::string& name : split(excluded)) {
    const auto check = check_named(name);
    if (!check) return Err{"--exclude-checks: unknown check '" + name + "'"};
    selection.enabled.reset(static_cast<std::size_t>(*check));
  }
  if (!max_response_time) selection.enabled.reset(static_cast<std::size_t>(Check::response_time));
  if (selection.enabled.none()) return Err{std::string("no check left to run")};
  return selection;
}

std::optional<Verdict> judge_not_a_server_error(const Answer& answer) {
  return Verdict{answer.response.status < 500, "a status below 500", answer.seen()};
}

std::optional<Verdict> judge_status_conformance(const Answer& answer) { return spec_verdict(answer, Check::status_conformance); }

std::optional<Verdict> judge_content_type_conformance(const Answer& answer) {
  return spec_verdict(answer, Check::content_type_conformance);
}

std::optional<Verdict> judge_response_schema_conformance(const Answer& answer) {
  return spec_verdict(answer, Check::response_schema_conformance);
}

std::optional<Verdict> judge_error_shape(const Answer& answer) {
  if (!client_error(answer.response)) return std::nullopt;
  return spec_verdict(answer, Check::error_shape);
}

std::optional<Verdict> judge_negative_data_rejection(const Answer& answer) {
  // A 5xx is not_a_server_error's to report; counting it twice would not say more.
  if (answer.step.intent != Intent::negative || answer.response.status >= 500) return std::nullopt;
  return Verdict{client_error(answer.response), "a 4xx for a request with " + answer.step.mutation, answer.seen()};
}

std::optional<Verdict> judge_positive_data_acceptance(const Answer& answer) {
  if (answer.step.intent != Intent::positive) return std::nullopt;
  const Response& response = answer.response;
  const auto rule = validate_failed_rule(response);
  const bool refused =
      response.status == 413 || response.status == 415 || (response.status == 400 && rule && is_schema_rule(*rule));
  return Verdict{!refused, "a request valid by the schema is not refused as invalid", answer.seen()};
}

std::optional<Verdict> judge_auth_required(const Answer& answer) {
  if (answer.step.intent != Intent::no_credentials) return std::nullopt;
  return Verdict{answer.response.status == 401, "401 for a request with " + answer.step.mutation, answer.seen()};
}

std::optional<Verdict> judge_use_after_sign_out(const Answer& answer) {
  if (answer.step.intent != Intent::after_sign_out) return std::nullopt;
  return Verdict{answer.response.status == 401, "401 for a token that was signed out", answer.seen()};
}

std::optional<Verdict> judge_refresh_rotation(const Answer& answer) {
  if (answer.step.intent != Intent::rotated_refresh) return std::nullopt;
  return Verdict{client_error(answer.response), "a 4xx for a refresh token already traded in", answer.seen()};
}

std::optional<Verdict> judge_response_time(const Answer& answer) {
  const auto& limit = answer.selection.max_response_time;
  if (!limit) return std::nullopt;
  return Verdict{answer.elapsed <= *limit, "an answer within " + std::to_string(limit->count()) + " ms",
                 std::to_string(answer.elapsed.count()) + " ms"};
}

CheckOutcome judge(const Step& step, const spec::Operation* operation, const Response& response,
                   std::chrono::milliseconds elapsed, const SpecChecker& checker, const CheckSelection& selection,
                   const std::vector<EarlierAnswer>& earlier, const std::vector<Secret>& secrets, std::size_t index) {
  const Answer answer(step, index, operation, response, elapsed, checker, selection, earlier, secrets);
  CheckOutcome outcome;
  for (const CheckInfo& info : check_table()) {
    if (!selection.has(info.id)) continue;
    auto verdict = info.judge(answer);
    if (!verdict) continue;
    outcome.applied.emplace_back(info.name);
    if (!verdict->passed) outcome.failures.push_back({std::string(info.name), std::move(verdict->expected), std::move(verdict->seen)});
  }
  return outcome;
}

CheckOutcome judge_no_answer(const std::string& message, const CheckSelection& selection) {
  CheckOutcome outcome;
  if (!selection.has(Check::not_a_server_error)) return outcome;
  const std::string name(check_name(Check::not_a_server_error));
  outcome.applied.push_back(name);
  outcome.failures.push_back({name, "an HTTP answer", message});
  return outcome;
}

}  // namespace pbxmock::contracts::fuzzing
