#include "contracts/fuzzing/checks.h"

#include <algorithm>
#include <sstream>

#include "contracts/fuzzing/flow_checks.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// JSON Schema keywords: a VALIDATE_FAILED naming one of these claims the request broke the schema.
constexpr std::string_view kSchemaRules[] = {
    "type",    "required", "minLength", "maxLength", "pattern", "format", "enum",    "const", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties", "additionalProperties", "oneOf", "anyOf", "allOf", "not"};

std::string status_text(const Response& response) {
  std::string out = std::to_string(response.status);
  if (response.json && response.json->is_object()) {
    const auto errors = response.json->find("errors");
    if (errors != response.json->end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object()) {
      out += " " + (*errors)[0].value("code", std::string());
      if (const auto detail = (*errors)[0].find("detail"); detail != (*errors)[0].end() && !detail->is_null()) {
        out += " " + detail->dump();
      }
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

std::string spec_check_name(std::string_view finding) {
  if (finding == "undeclared_status") return "status_conformance";
  if (finding == "content_type") return "content_type_conformance";
  if (finding == "schema" || finding == "required_header") return "response_schema_conformance";
  if (finding == "error_shape") return "error_shape";
  return "status_conformance";  // unknown_operation: the server's routing disagrees with the spec
}

struct Judge {
  const CheckSelection& selection;
  CheckOutcome outcome;

  void apply(std::string_view check, bool passed, std::string expected, std::string seen) {
    if (!selection.has(check)) return;
    if (std::find(outcome.applied.begin(), outcome.applied.end(), check) == outcome.applied.end()) {
      outcome.applied.emplace_back(check);
    }
    if (!passed) outcome.failures.push_back({std::string(check), std::move(expected), std::move(seen)});
  }
};

}  // namespace

Result<CheckSelection, std::string> CheckSelection::make(const std::string& checks, const std::string& excluded,
                                                        std::optional<std::chrono::milliseconds> max_response_time) {
  auto split = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
      if (!item.empty()) out.push_back(item);
    }
    return out;
  };
  auto known = [](const std::string& name) {
    return std::find(std::begin(kCheckNames), std::end(kCheckNames), name) != std::end(kCheckNames);
  };
  CheckSelection selection;
  selection.max_response_time = max_response_time;
  const auto chosen = split(checks.empty() ? "all" : checks);
  for (const std::string& name : chosen) {
    if (name == "all") {
      for (const std::string_view check : kCheckNames) selection.enabled.emplace(check);
    } else if (known(name)) {
      selection.enabled.insert(name);
    } else {
      return Err{"--checks: unknown check '" + name + "'"};
    }
  }
  for (const std::string& name : split(excluded)) {
    if (!known(name)) return Err{"--exclude-checks: unknown check '" + name + "'"};
    selection.enabled.erase(name);
  }
  if (!max_response_time) selection.enabled.erase("response_time");
  if (selection.enabled.empty()) return Err{std::string("no check left to run")};
  return selection;
}

CheckOutcome judge(const Step& step, const spec::Operation* operation, const Response& response,
                   std::chrono::milliseconds elapsed, const SpecChecker& checker, const CheckSelection& selection) {
  Judge judge{selection, {}};
  const std::string seen = status_text(response);
  judge.apply("not_a_server_error", response.status < 500, "a status below 500", seen);
  if (operation != nullptr) {
    const auto findings = checker.check_operation(*operation, response);
    for (const std::string_view check :
         {"status_conformance", "content_type_conformance", "response_schema_conformance", "error_shape"}) {
      std::string messages;
      for (const SpecFinding& finding : findings) {
        if (spec_check_name(finding.check) == check) messages += (messages.empty() ? "" : "; ") + finding.message;
      }
      if (check == "error_shape" && !(response.status >= 400 && response.status < 500)) continue;
      judge.apply(check, messages.empty(), "what the spec declares", messages.empty() ? seen : messages);
    }
  }
  if (selection.max_response_time) {
    judge.apply("response_time", elapsed <= *selection.max_response_time,
                "an answer within " + std::to_string(selection.max_response_time->count()) + " ms",
                std::to_string(elapsed.count()) + " ms");
  }
  const bool client_error = response.status >= 400 && response.status < 500;
  switch (step.intent) {
    case Intent::setup:
      break;
    case Intent::positive: {
      const auto rule = validate_failed_rule(response);
      const bool refused = response.status == 413 || response.status == 415 ||
                           (response.status == 400 && rule && is_schema_rule(*rule));
      judge.apply("positive_data_acceptance", !refused, "a request valid by the schema is not refused as invalid", seen);
      break;
    }
    case Intent::negative:
      // A 5xx is not_a_server_error's to report; counting it twice would not say more.
      if (response.status < 500) {
        judge.apply("negative_data_rejection", client_error, "a 4xx for a request with " + step.mutation, seen);
      }
      break;
    case Intent::no_credentials:
      judge.apply("auth_required", response.status == 401, "401 for a request with " + step.mutation, seen);
      break;
    case Intent::after_sign_out:
      judge.apply("use_after_sign_out", response.status == 401, "401 for a token that was signed out", seen);
      break;
    case Intent::rotated_refresh:
      judge.apply("refresh_rotation", client_error, "a 4xx for a refresh token already traded in", seen);
      break;
    case Intent::spent_one_time_code:
    case Intent::spent_reset_token:
    case Intent::confused_token:
    case Intent::ended_session:
    case Intent::other_session:
    case Intent::before_expiry:
    case Intent::after_expiry:
      if (auto verdict = judge_flow_step(step, response)) {
        judge.apply(verdict->check, verdict->passed, std::move(verdict->expected), seen);
      }
      break;
  }
  return std::move(judge.outcome);
}

CheckOutcome judge_no_answer(const std::string& message, const CheckSelection& selection) {
  Judge judge{selection, {}};
  judge.apply("not_a_server_error", false, "an HTTP answer", message);
  return std::move(judge.outcome);
}

}  // namespace pbxmock::contracts::fuzzing
