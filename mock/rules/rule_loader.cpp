#include "mock/rules/rule_loader.h"

#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

using spec::FieldReader;
using spec::report;
using spec::report_type;
using spec::SourceErrors;

constexpr std::int64_t kMaxTimes = 1'000'000'000;

std::optional<spec::SafeRegex> compile(const spec::StructuredDocument& document, SourceErrors& errors,
                                       const std::string& pointer, const std::string& pattern) {
  auto compiled = spec::SafeRegex::compile(pattern);
  if (!compiled) {
    report(document, errors, pointer, "invalid regular expression: " + compiled.error());
    return std::nullopt;
  }
  return std::move(compiled).value();
}

// A value condition: a scalar (equals) or a mapping with exactly one of equals, regex, present.
std::optional<ValueMatcher> read_matcher(const spec::StructuredDocument& document, SourceErrors& errors,
                                         const std::string& pointer, const nlohmann::json& value) {
  ValueMatcher matcher;
  if (value.is_string() || value.is_number() || value.is_boolean()) {
    matcher.expected = value;
    return matcher;
  }
  if (!value.is_object()) {
    report_type(document, errors, pointer, "a value or a mapping with one of equals, regex, present", value);
    return std::nullopt;
  }
  FieldReader fields(document, pointer, errors);
  const nlohmann::json* equals = fields.get("equals");
  const auto regex = fields.string("regex");
  const auto present = fields.boolean("present");
  fields.finish();
  const int given = (equals != nullptr) + fields.has("regex") + fields.has("present");
  if (given != 1) {
    fields.error_here("a matcher has exactly one of equals, regex, present");
    return std::nullopt;
  }
  if (!fields.clean()) return std::nullopt;
  if (equals != nullptr) {
    if (!equals->is_primitive() || equals->is_null()) {
      report_type(document, errors, fields.pointer_of("equals"), "a string, number or boolean", *equals);
      return std::nullopt;
    }
    matcher.expected = *equals;
  } else if (regex) {
    matcher.kind = ValueMatcher::Kind::regex;
    matcher.pattern = *regex;
    matcher.regex = compile(document, errors, fields.pointer_of("regex"), *regex);
    if (!matcher.regex) return std::nullopt;
  } else {
    matcher.kind = ValueMatcher::Kind::present;
    matcher.present = *present;
  }
  return matcher;
}

// query, headers or body: a mapping of name (or JSON Pointer) to matcher.
std::vector<std::pair<std::string, ValueMatcher>> read_conditions(FieldReader& match, std::string_view key,
                                                                  bool lower_case_names, bool pointers) {
  std::vector<std::pair<std::string, ValueMatcher>> out;
  const nlohmann::json* conditions = match.mapping(key);
  if (conditions == nullptr) return out;
  // X-Flag and x-flag are one header: two conditions on it would be kept as one name twice,
  // which no scenario file (a mapping) can say back.
  spec::FirstSeen seen(match.document(), "header condition", "header names ignore case");
  for (const auto& [name, value] : conditions->items()) {
    const std::string pointer = spec::pointer_append(match.pointer_of(key), name);
    if (pointers && !name.empty() && name[0] != '/') {
      match.errors().push_back(match.document().error_at_key(
          pointer, pointer + ": a body condition is a JSON Pointer such as /username (starts with '/')"));
      continue;
    }
    if (lower_case_names) {
      if (auto repeat = seen.repeat(spec::ascii::lower(name), name, pointer)) {
        match.errors().push_back(match.document().error_at_key(pointer, pointer + ": " + *repeat));
        continue;
      }
    }
    if (auto matcher = read_matcher(match.document(), match.errors(), pointer, value))
      out.emplace_back(lower_case_names ? spec::ascii::lower(name) : name, std::move(*matcher));
  }
  return out;
}

RuleMatch read_match(const spec::StructuredDocument& document, SourceErrors& errors, const std::string& pointer) {
  RuleMatch match;
  FieldReader fields(document, pointer, errors);
  match.operation = fields.string("operation");
  if (auto method = fields.string("method")) {
    bool token = !method->empty();
    for (char c : *method) token = token && spec::ascii::is_alpha(c);
    if (token) {
      match.method = *method;
    } else {
      fields.error("method", "a method is a word such as GET or POST");
    }
  }
  if (const nlohmann::json* path = fields.get("path")) {
    const std::string path_pointer = fields.pointer_of("path");
    if (path->is_string()) {
      match.path = PathMatcher{path->get<std::string>(), {}, std::nullopt};
    } else if (path->is_object()) {
      FieldReader path_fields(document, path_pointer, errors);
      const auto regex = path_fields.string("regex", true);
      path_fields.finish();
      if (regex) {
        if (auto compiled = compile(document, errors, path_fields.pointer_of("regex"), *regex))
          match.path = PathMatcher{{}, *regex, std::move(*compiled)};
      }
    } else {
      report_type(document, errors, path_pointer, "a path or a mapping {regex: ...}", *path);
    }
  }
  match.query = read_conditions(fields, "query", false, false);
  match.headers = read_conditions(fields, "headers", true, false);
  match.body = read_conditions(fields, "body", false, true);
  fields.finish();
  return match;
}

// Reads the mapping at `pointer` into a T with `read`; the value only when nothing was
// reported inside it, so a rule never runs half-read.
template <typename T, typename Read>
std::optional<T> read_whole(const spec::StructuredDocument& document, SourceErrors& errors, const std::string& pointer,
                            Read read) {
  FieldReader fields(document, pointer, errors);
  T value;
  read(fields, value);
  fields.finish();
  if (!fields.clean()) return std::nullopt;
  return value;
}

void read_delay(FieldReader& fields, DelaySpec& delay) {
  const auto fixed = fields.number("fixed_ms", 0, kMaxDelayMs);
  const nlohmann::json* uniform = fields.get("uniform_ms");
  const nlohmann::json* lognormal = fields.get("lognormal");
  const int given = fields.has("fixed_ms") + (uniform != nullptr) + (lognormal != nullptr);
  if (fields.is_mapping() && given != 1) {
    fields.error_here("a delay has exactly one of fixed_ms, uniform_ms, lognormal");
    return;
  }
  if (fixed) {
    delay.kind = DelaySpec::Kind::fixed;
    delay.fixed_ms = *fixed;
  } else if (uniform != nullptr) {
    const bool pair = uniform->is_array() && uniform->size() == 2 && (*uniform)[0].is_number() && (*uniform)[1].is_number();
    if (!pair) {
      fields.error("uniform_ms", "expected [min, max] in milliseconds, such as [100, 300]");
    } else {
      delay.kind = DelaySpec::Kind::uniform;
      delay.min_ms = (*uniform)[0].get<double>();
      delay.max_ms = (*uniform)[1].get<double>();
      if (!(delay.min_ms >= 0 && delay.min_ms <= delay.max_ms && delay.max_ms <= kMaxDelayMs))
        fields.error("uniform_ms", "needs 0 <= min <= max <= 60000 milliseconds, got " + uniform->dump());
    }
  } else if (lognormal != nullptr) {
    FieldReader shape(fields.document(), fields.pointer_of("lognormal"), fields.errors());
    shape.require("median_ms");
    shape.require("sigma");
    const auto median = shape.number("median_ms", 0, kMaxDelayMs);
    const auto sigma = shape.number("sigma", 0, 4);
    shape.finish();
    if (median && *median <= 0) shape.error("median_ms", "must be more than 0");
    delay.kind = DelaySpec::Kind::lognormal;
    delay.median_ms = median.value_or(0);
    delay.sigma = sigma.value_or(0);
  }
}

void read_respond(FieldReader& fields, ApiResponse& response) {
  fields.require("status");
  const auto status = fields.integer("status", 100, 599);
  std::optional<std::string> content_type;
  if (const nlohmann::json* headers = fields.mapping("headers")) {
    for (const auto& [name, value] : headers->items()) {
      const std::string at = spec::pointer_append(fields.pointer_of("headers"), name);
      if (!value.is_string() && !value.is_number() && !value.is_boolean()) {
        report_type(fields.document(), fields.errors(), at, "a header value (text or a number)", value);
        continue;
      }
      const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      if (spec::ascii::iequals(name, "content-type")) {
        content_type = text;
      } else {
        response.headers.emplace_back(name, text);
      }
    }
  }
  if (const nlohmann::json* body = fields.get("body")) {
    // Text is sent as it is; anything else as JSON.
    if (body->is_string()) {
      response.raw_body = body->get<std::string>();
      response.content_type = "text/plain; charset=utf-8";
    } else {
      response.body = *body;
    }
  }
  if (content_type) response.content_type = *content_type;
  if (status) response.status = static_cast<int>(*status);  // when absent, require() said so
}

std::optional<Rule> read_rule(const spec::StructuredDocument& document, SourceErrors& errors,
                              const std::string& pointer, std::size_t index) {
  FieldReader fields(document, pointer, errors);
  if (!fields.is_mapping()) return std::nullopt;
  Rule rule;
  rule.name = fields.string("name").value_or("rule " + std::to_string(index + 1));
  if (fields.get("match") != nullptr) rule.match = read_match(document, errors, fields.pointer_of("match"));
  if (const auto times = fields.integer("times", 1, kMaxTimes)) rule.times = static_cast<std::uint64_t>(*times);
  rule.scenario = fields.string("scenario").value_or("");
  rule.required_state = fields.string("required_state").value_or("");
  rule.new_state = fields.string("new_state").value_or("");
  if (fields.has("scenario") && rule.scenario.empty()) fields.error("scenario", "a scenario name cannot be empty");
  if (rule.scenario.empty()) {
    if (fields.has("required_state")) fields.error("required_state", "required_state needs a scenario name (scenario: ...)");
    if (fields.has("new_state")) fields.error("new_state", "new_state needs a scenario name (scenario: ...)");
  }
  if (fields.get("delay") != nullptr) rule.delay = read_whole<DelaySpec>(document, errors, fields.pointer_of("delay"), read_delay);
  if (fields.get("respond") != nullptr) rule.respond = read_whole<ApiResponse>(document, errors, fields.pointer_of("respond"), read_respond);
  if (const auto fault = fields.string("fault")) {
    rule.fault = fault_from_string(*fault);
    if (!rule.fault)
      fields.error("fault", "unknown fault '" + *fault + "' (one of: connection_reset, empty_response, malformed_chunk)");
  }
  fields.finish();
  if (fields.has("respond") && fields.has("fault")) {
    fields.error("fault", "a rule has respond or fault, not both");
  } else if (!fields.has("respond") && !fields.has("fault") && !fields.has("delay")) {
    fields.error_here("a rule needs respond, fault or delay");
  }
  if (!fields.clean()) return std::nullopt;
  return rule;
}

}  // namespace

std::vector<Rule> read_rules(const spec::StructuredDocument& document, const std::string& pointer,
                             const nlohmann::json& list, SourceErrors& errors) {
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (auto rule = read_rule(document, errors, pointer + "/" + std::to_string(i), i)) rules.push_back(std::move(*rule));
  }
  return rules;
}

}  // namespace pbxmock::mock
