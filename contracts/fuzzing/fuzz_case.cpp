#include "contracts/fuzzing/fuzz_case.h"

#include <algorithm>
#include <array>

#include "contracts/runner.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;
using Saved = std::vector<std::pair<std::string, std::string>>;

constexpr std::array<std::pair<Intent, std::string_view>, 15> kIntents = {{{Intent::setup, "setup"},
                                                                         {Intent::positive, "positive"},
                                                                         {Intent::negative, "negative"},
                                                                         {Intent::no_credentials, "no_credentials"},
                                                                         {Intent::after_sign_out, "after_sign_out"},
                                                                         {Intent::rotated_refresh, "rotated_refresh"},
                                                                         {Intent::repeated_parameter, "repeated_parameter"},
                                                                         {Intent::unknown_user, "unknown_user"},
                                                                         {Intent::spent_one_time_code, "spent_one_time_code"},
                                                                         {Intent::spent_reset_token, "spent_reset_token"},
                                                                         {Intent::confused_token, "confused_token"},
                                                                         {Intent::ended_session, "ended_session"},
                                                                         {Intent::other_session, "other_session"},
                                                                         {Intent::before_expiry, "before_expiry"},
                                                                         {Intent::after_expiry, "after_expiry"}}};

constexpr std::array<std::pair<StepAction, std::string_view>, 3> kActions = {
    {{StepAction::request, "request"}, {StepAction::read_mail, "read_mail"}, {StepAction::advance_clock, "advance_clock"}}};

constexpr std::array<std::pair<BodyEncoding, std::string_view>, 4> kEncodings = {
    {{BodyEncoding::none, "none"}, {BodyEncoding::json, "json"}, {BodyEncoding::form, "form"}, {BodyEncoding::raw, "raw"}}};

std::string scalar_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

json substitute_json(const json& value, const Saved& saved) {
  if (value.is_string()) return substitute(value.get<std::string>(), saved);
  if (value.is_array() || value.is_object()) {
    json out = value;
    for (auto& item : out) item = substitute_json(item, saved);
    return out;
  }
  return value;
}

json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [name, value] : pairs) out.push_back({name, value});
  return out;
}

std::vector<std::pair<std::string, std::string>> pairs_from(const json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!value.is_array()) return out;
  for (const auto& pair : value) {
    if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
      out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(Intent intent) {
  for (const auto& [value, name] : kIntents) {
    if (value == intent) return name;
  }
  return "setup";
}

std::optional<Intent> intent_from_string(std::string_view text) {
  for (const auto& [value, name] : kIntents) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::vector<std::string> followed_links(const FuzzCase& fuzz_case) {
  std::vector<std::string> out;
  for (const Step& step : fuzz_case.steps) {
    if (!step.link.empty()) out.push_back(step.link);
  }
  return out;
}

bool status_matches(std::string_view key, int status) {
  if (key == "default" || key.empty()) return true;
  const std::string text = std::to_string(status);
  if (key.size() != 3 || text.size() != 3) return false;
  for (std::size_t i = 0; i < 3; ++i) {
    if (key[i] != text[i] && !(i > 0 && (key[i] == 'X' || key[i] == 'x'))) return false;
  }
  return true;
}

std::string substitute(std::string_view text, const Saved& saved) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("${", i);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    const std::pair<std::string, std::string>* hit = nullptr;
    for (const auto& entry : saved) {
      if (entry.first == name) hit = &entry;
    }
    out += hit ? hit->second : std::string(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

HttpRequest render(const RequestParts& parts, const Saved& saved) {
  HttpRequest request;
  request.method = parts.method;
  std::string path = parts.path_template;
  for (const auto& [name, value] : parts.path_params) {
    const std::string placeholder = "{" + name + "}";
    for (std::size_t at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder, at)) {
      const std::string encoded = url_encode(substitute(value, saved));
      path.replace(at, placeholder.size(), encoded);
      at += encoded.size();
    }
  }
  std::string query;
  for (const auto& [name, value] : parts.query) {
    query += (query.empty() ? "?" : "&") + url_encode(name) + "=" + url_encode(substitute(value, saved));
  }
  request.path = path + query;
  for (const auto& [name, value] : parts.headers) request.headers.push_back({name, substitute(value, saved)});
  if (!parts.content_type.empty()) request.headers.push_back({"Content-Type", parts.content_type});
  switch (parts.encoding) {
    case BodyEncoding::none:
      break;
    case BodyEncoding::json:
      request.body = substitute_json(parts.body, saved).dump();
      break;
    case BodyEncoding::form:
      if (parts.body.is_object()) {
        for (const auto& [name, value] : parts.body.items()) {
          if (!request.body.empty()) request.body += '&';
          request.body += url_encode(name) + "=" + url_encode(substitute(scalar_text(value), saved));
        }
      }
      break;
    case BodyEncoding::raw:
      request.body = substitute(parts.raw_body, saved);
      break;
  }
  return request;
}

std::optional<std::string> last_string_value(const json& value, std::string_view key) {
  std::optional<std::string> found;
  if (value.is_object()) {
    for (const auto& [name, item] : value.items()) {
      if (name == key && item.is_string()) found = item.get<std::string>();
      if (auto inner = last_string_value(item, key)) found = std::move(inner);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (auto inner = last_string_value(item, key)) found = std::move(inner);
    }
  }
  return found;
}

std::optional<std::string> first_string_value(const json& value, std::string_view key) {
  if (value.is_object()) {
    for (const auto& [name, item] : value.items()) {
      if (name == key && item.is_string()) return item.get<std::string>();
      if (auto inner = first_string_value(item, key)) return inner;
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (auto inner = first_string_value(item, key)) return inner;
    }
  }
  return std::nullopt;
}

json to_json(const FuzzCase& fuzz_case) {
  json steps = json::array();
  for (const Step& step : fuzz_case.steps) {
    const RequestParts& p = step.parts;
    json headers = json::array();
    for (const auto& [name, value] : p.headers) headers.push_back({name, value});
    json saves = json::array();
    for (const Save& save : step.saves) {
      json entry = {{"name", save.name}, {"key", save.key}, {"occurrence", save.first ? "first" : "last"}};
      if (!save.expression.empty()) {
        entry["expression"] = save.expression;
        entry["status"] = save.status;
      }
      saves.push_back(std::move(entry));
    }
    std::string encoding;
    for (const auto& [value, name] : kEncodings) {
      if (value == p.encoding) encoding = name;
    }
    steps.push_back({{"operation", step.operation_id},
                     {"intent", to_string(step.intent)},
                     {"mutation", step.mutation},
                     {"essential", step.essential},
                     {"method", p.method},
                     {"path", p.path_template},
                     {"path_params", pairs_json(p.path_params)},
                     {"query", pairs_json(p.query)},
                     {"headers", headers},
                     {"encoding", encoding},
                     {"body", p.body},
                     {"raw_body", p.raw_body},
                     {"content_type", p.content_type},
                     {"saves", saves}});
    if (!step.link.empty()) steps.back()["link"] = step.link;
    for (const auto& [action, name] : kActions) {
      if (action == step.action && action != StepAction::request) steps.back()["action"] = name;
    }
  }
  json out = {{"operation", fuzz_case.operation_id}, {"example", fuzz_case.example}, {"steps", steps}};
  if (!fuzz_case.flow.empty()) out["flow"] = fuzz_case.flow;
  return out;
}

std::optional<FuzzCase> case_from_json(const json& value) {
  if (!value.is_object() || !value.contains("steps") || !value["steps"].is_array()) return std::nullopt;
  FuzzCase out;
  out.operation_id = value.value("operation", "");
  out.example = value.value("example", std::size_t{0});
  out.flow = value.value("flow", "");
  for (const json& s : value["steps"]) {
    if (!s.is_object()) return std::nullopt;
    Step step;
    step.operation_id = s.value("operation", "");
    const auto intent = intent_from_string(s.value("intent", ""));
    if (!intent) return std::nullopt;
    step.intent = *intent;
    step.mutation = s.value("mutation", "");
    step.essential = s.value("essential", false);
    step.link = s.value("link", "");
    const std::string action = s.value("action", "request");
    const auto known = std::find_if(kActions.begin(), kActions.end(), [&](const auto& a) { return a.second == action; });
    if (known == kActions.end()) return std::nullopt;
    step.action = known->first;
    RequestParts& p = step.parts;
    p.method = s.value("method", "");
    p.path_template = s.value("path", "");
    if (p.method.empty() || p.path_template.empty()) return std::nullopt;
    p.path_params = pairs_from(s.value("path_params", json::array()));
    p.query = pairs_from(s.value("query", json::array()));
    for (const auto& [name, v] : pairs_from(s.value("headers", json::array()))) p.headers.push_back({name, v});
    const std::string encoding = s.value("encoding", "none");
    for (const auto& [e, name] : kEncodings) {
      if (name == encoding) p.encoding = e;
    }
    p.body = s.value("body", json());
    p.raw_body = s.value("raw_body", "");
    p.content_type = s.value("content_type", "");
    for (const json& save : s.value("saves", json::array())) {
      if (save.is_object()) {
        step.saves.push_back({save.value("name", ""), save.value("key", ""), save.value("occurrence", "last") == "first",
                              save.value("expression", ""), save.value("status", "")});
      }
    }
    out.steps.push_back(std::move(step));
  }
  if (out.steps.empty()) return std::nullopt;
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
