#include "contracts/fuzzing/parameter_pollution.h"

#include <algorithm>

#include "contracts/fuzzing/check_cases.h"
#include "contracts/fuzzing/operation_name.h"
#include "contracts/runner.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

enum class Place { query, json_key, form_field };

struct Repeat {
  Place place;
  std::string name;
};

std::string place_text(const Repeat& repeat) {
  switch (repeat.place) {
    case Place::query:
      return "query parameter '" + repeat.name + "'";
    case Place::json_key:
      return "JSON key '" + repeat.name + "'";
    case Place::form_field:
      return "form field '" + repeat.name + "'";
  }
  return repeat.name;
}

std::vector<Repeat> repeatable(const RequestParts& parts) {
  std::vector<Repeat> out;
  for (const auto& [name, value] : parts.query) out.push_back({Place::query, name});
  if ((parts.encoding == BodyEncoding::json || parts.encoding == BodyEncoding::form) && parts.body.is_object()) {
    for (const auto& [name, value] : parts.body.items()) {
      out.push_back({parts.encoding == BodyEncoding::json ? Place::json_key : Place::form_field, name});
    }
  }
  return out;
}

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// A value as the case's description quotes it: short ones whole, long ones cut.
std::string quoted(const json& value) {
  const std::string text = text_of(value);
  return "'" + (text.size() > 24 ? text.substr(0, 24) + "..." : text) + "'";
}

// The value `parts` gives the repeated parameter; nullopt when it has none.
std::optional<json> value_of(const RequestParts& parts, const Repeat& repeat) {
  if (repeat.place == Place::query) {
    for (const auto& [name, value] : parts.query) {
      if (name == repeat.name) return json(value);
    }
    return std::nullopt;
  }
  if (!parts.body.is_object() || !parts.body.contains(repeat.name)) return std::nullopt;
  return parts.body[repeat.name];
}

void set_value(RequestParts& parts, const Repeat& repeat, const json& value) {
  if (repeat.place == Place::query) {
    for (auto& [name, text] : parts.query) {
      if (name == repeat.name) text = text_of(value);
    }
    return;
  }
  parts.body[repeat.name] = value;
}

// The request with the parameter given twice, a where it was and b right after.
RequestParts repeated(const RequestParts& parts, const Repeat& repeat, const json& b) {
  RequestParts out = parts;
  switch (repeat.place) {
    case Place::query: {
      const auto at = std::find_if(out.query.begin(), out.query.end(), [&](const auto& e) { return e.first == repeat.name; });
      out.query.insert(at + 1, {repeat.name, text_of(b)});
      break;
    }
    case Place::json_key: {
      // nlohmann::json cannot hold a key twice: the text is written by hand.
      std::string text = "{";
      for (const auto& [name, value] : parts.body.items()) {
        if (text.size() > 1) text += ',';
        text += json(name).dump() + ":" + value.dump();
        if (name == repeat.name) text += "," + json(name).dump() + ":" + b.dump();
      }
      out.encoding = BodyEncoding::raw;
      out.raw_body = text + "}";
      break;
    }
    case Place::form_field: {
      std::string text;
      for (const auto& [name, value] : parts.body.items()) {
        if (!text.empty()) text += '&';
        text += url_encode(name) + "=" + url_encode(text_of(value));
        if (name == repeat.name) text += "&" + url_encode(name) + "=" + url_encode(text_of(b));
      }
      out.encoding = BodyEncoding::raw;
      out.raw_body = text;
      break;
    }
  }
  return out;
}

}  // namespace

std::optional<Verdict> judge_parameter_pollution(const Answer& answer) {
  if (answer.step.intent != Intent::repeated_parameter) return std::nullopt;
  const int status = answer.response.status;
  std::vector<int> alone;  // the statuses of the same request with one value
  for (const EarlierAnswer& earlier : answer.earlier) {
    if (earlier.step->operation_id == answer.step.operation_id) alone.push_back(earlier.response->status);
  }
  std::sort(alone.begin(), alone.end());
  alone.erase(std::unique(alone.begin(), alone.end()), alone.end());
  std::string statuses;
  for (const int s : alone) statuses += (statuses.empty() ? "" : " or ") + std::to_string(s);
  const bool client_error = status >= 400 && status < 500;
  const bool same = std::find(alone.begin(), alone.end(), status) != alone.end();
  return Verdict{status < 500 && (client_error || same),
                 "a 4xx" + (statuses.empty() ? std::string() : ", or " + statuses + " as with one value,") + " for " +
                     answer.step.mutation,
                 answer.seen()};
}

std::vector<FuzzCase> pollution_cases(const CaseBuilder& builder, const spec::Operation& operation, std::size_t count,
                                      std::size_t first_example, Random& random) {
  std::vector<FuzzCase> out;
  for (std::size_t k = 0; k < count; ++k) {
    // Of a few valid requests, the one with the most to repeat: an optional parameter is in
    // only some of them, and it is as worth repeating as a required one.
    std::optional<RequestParts> a;
    std::vector<Repeat> places;
    for (int attempt = 0; attempt < 8; ++attempt) {
      auto candidate = builder.positive(operation, random);
      if (!candidate) continue;
      std::vector<Repeat> found = repeatable(*candidate);
      if (!a || found.size() > places.size()) {
        a = std::move(candidate);
        places = std::move(found);
      }
    }
    if (!a) continue;
    if (places.empty()) return out;  // nothing of this operation's requests can be repeated
    const Repeat repeat = places[random.below(places.size())];
    const json a_value = *value_of(*a, repeat);
    // The other value from another valid request, so both are ones the server could take.
    json b_value = a_value;
    if (auto other = builder.positive(operation, random)) {
      if (auto value = value_of(*other, repeat)) b_value = std::move(*value);
    }
    RequestParts b = *a;
    set_value(b, repeat, b_value);
    // A value valid in another request may not be with the rest of this one (grant_type
    // password with refresh_token's fields): then the value is repeated as it is.
    if (!builder.valid(operation, b)) {
      b_value = a_value;
      b = *a;
    }
    RequestParts both = repeated(*a, repeat, b_value);

    FuzzCase fuzz_case;
    fuzz_case.operation_id = operation_name(operation);
    fuzz_case.example = first_example + k;
    fuzz_case.steps = builder.signed_in(operation, *a);
    builder.signed_in(operation, b);
    builder.signed_in(operation, both);
    for (RequestParts* parts : {&*a, &b}) {
      Step step;
      step.operation_id = fuzz_case.operation_id;
      step.intent = Intent::positive;
      step.essential = true;  // what the repeat is compared with
      step.parts = fixed_body(std::move(*parts));
      fuzz_case.steps.push_back(std::move(step));
    }
    Step step;
    step.operation_id = fuzz_case.operation_id;
    step.intent = Intent::repeated_parameter;
    step.mutation = place_text(repeat) + " repeated (" + quoted(a_value) + ", then " + quoted(b_value) + ")";
    step.parts = fixed_body(std::move(both));
    fuzz_case.steps.push_back(std::move(step));
    out.push_back(std::move(fuzz_case));
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
