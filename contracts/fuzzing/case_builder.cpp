#include "contracts/fuzzing/case_builder.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "spec/media_type.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

enum class Break {
  missing_required,
  wrong_type,
  too_long,
  too_short,
  format,
  enum_outside,
  extra_property,
  not_an_object,
  malformed_json,
  wrong_content_type,
  over_limit,
  missing_body,
  query_wrong_type,
  missing_parameter,
};
constexpr std::array kBreaks = {Break::missing_required, Break::wrong_type,      Break::too_long,
                                Break::too_short,        Break::format,          Break::enum_outside,
                                Break::extra_property,   Break::not_an_object,   Break::malformed_json,
                                Break::wrong_content_type, Break::over_limit,    Break::missing_body,
                                Break::query_wrong_type, Break::missing_parameter};

constexpr std::string_view kBogusToken = "FUZZBOGUSTOKEN000000000000000000000000000000000000";

bool is_json_type(std::string_view content_type) {
  const auto media = spec::parse_media_type(content_type);
  if (!media) return false;
  return media->type == "application/json" || (media->type.size() > 5 && media->type.compare(media->type.size() - 5, 5, "+json") == 0);
}

bool is_form_type(std::string_view content_type) {
  const auto media = spec::parse_media_type(content_type);
  return media && media->type == "application/x-www-form-urlencoded";
}

// The body's media type the fuzzer uses: JSON first, then a form, then whatever comes first.
const spec::MediaType* chosen_media(const spec::Operation& operation) {
  for (const auto& media : operation.request_body) {
    if (is_json_type(media.content_type)) return &media;
  }
  for (const auto& media : operation.request_body) {
    if (is_form_type(media.content_type)) return &media;
  }
  return operation.request_body.empty() ? nullptr : &operation.request_body.front();
}

std::string parameter_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string schema_type(const json* schema) {
  if (schema == nullptr || !schema->is_object()) return "";
  const auto it = schema->find("type");
  if (it != schema->end() && it->is_string()) return it->get<std::string>();
  return "";
}

// A value of another JSON type than the schema wants.
json other_type(const std::string& type) {
  if (type == "string") return 12345;
  if (type == "integer" || type == "number") return "not-a-number";
  if (type == "boolean") return "not-a-boolean";
  if (type == "object") return json::array({1});
  if (type == "array") return json::object({{"not", "an array"}});
  return json::object({{"unexpected", true}});
}

std::optional<std::string> broken_format(std::string_view format) {
  if (format == "portsip-username") return "bad user name!";
  if (format == "sip-domain") return "bad..domain";
  if (format == "email") return "no-at-sign.example.com";
  if (format == "uri") return "not a uri";
  if (format == "ipv4") return "999.0.0.1";
  if (format == "ipv6") return "12345::zz";
  if (format == "date-time") return "2025-13-45T99:00:00Z";
  return std::nullopt;
}

bool has_text_content_type(const spec::Operation& operation) {
  for (const auto& media : operation.request_body) {
    const auto parsed = spec::parse_media_type(media.content_type);
    if (!parsed || parsed->type == "text/plain" || parsed->type == "*/*" || parsed->type == "text/*") return true;
  }
  return false;
}

}  // namespace

std::string full_path(const spec::OpenApiDocument& document, const spec::Operation& operation) {
  return document.base_path() + operation.path_template;
}

std::optional<RequestParts> CaseBuilder::positive(const spec::Operation& operation, Random& random) const {
  RequestParts parts;
  parts.method = operation.method;
  parts.path_template = full_path(context_.document, operation);
  for (const spec::Parameter& parameter : operation.parameters) {
    if (parameter.in == "cookie") continue;
    if (parameter.in == "header" && (parameter.name == "Authorization" || parameter.name == "Content-Type")) continue;
    if (!parameter.required && parameter.in != "path" && !random.chance(0.5)) continue;
    std::optional<json> value;
    if (parameter.in == "path") {
      // A path parameter names a resource: the documented example finds one more often than noise.
      const json* resolved = parameter.schema ? context_.generator.resolve(*parameter.schema) : nullptr;
      const json* object = spec::resolve_pointer(context_.document.root(), parameter.pointer);
      if (object != nullptr && object->contains("example")) {
        value = (*object)["example"];
      } else if (resolved != nullptr && resolved->contains("example")) {
        value = (*resolved)["example"];
      }
    }
    if (!value && parameter.schema != nullptr) value = context_.generator.valid(*parameter.schema, random);
    if (!value) value = json("x");
    const std::string text = parameter_text(*value);
    if (parameter.in == "path") {
      parts.path_params.emplace_back(parameter.name, text.empty() ? "x" : text);
    } else if (parameter.in == "query") {
      parts.query.emplace_back(parameter.name, text);
    } else {
      parts.headers.push_back({parameter.name, text});
    }
  }
  const spec::MediaType* media = chosen_media(operation);
  if (media == nullptr || (!operation.request_body_required && random.chance(0.1))) return parts;
  parts.content_type = media->content_type;
  if (is_json_type(media->content_type) || is_form_type(media->content_type)) {
    parts.encoding = is_json_type(media->content_type) ? BodyEncoding::json : BodyEncoding::form;
    if (media->schema == nullptr) {
      parts.body = media->example ? *media->example : json::object();
      return parts;
    }
    auto body = context_.generator.valid(*media->schema, random);
    if (!body) return std::nullopt;
    parts.body = std::move(*body);
    return parts;
  }
  parts.encoding = BodyEncoding::raw;
  parts.raw_body = media->example && media->example->is_string() ? media->example->get<std::string>() : "x";
  return parts;
}

bool CaseBuilder::valid(const spec::Operation& operation, const RequestParts& parts) const {
  for (const spec::Parameter& parameter : operation.parameters) {
    if (parameter.in != "query") continue;
    const auto it = std::find_if(parts.query.begin(), parts.query.end(), [&](const auto& e) { return e.first == parameter.name; });
    if (it == parts.query.end()) {
      if (parameter.required) return false;
      continue;
    }
    if (parameter.schema == nullptr) continue;
    // The text as the server would read it for the schema's type.
    const std::string type = schema_type(context_.generator.resolve(*parameter.schema));
    json value = it->second;
    if (type == "integer" || type == "number" || type == "boolean") {
      value = json::parse(it->second, nullptr, false);
      if (value.is_discarded()) return false;
    }
    if (!context_.validator.is_valid(*parameter.schema, value, spec::Direction::request)) return false;
  }
  const spec::MediaType* media = chosen_media(operation);
  if (parts.encoding == BodyEncoding::none) return !operation.request_body_required;
  if (parts.encoding == BodyEncoding::raw || media == nullptr || media->schema == nullptr) return true;
  if (parts.content_type != media->content_type) return false;
  return context_.validator.is_valid(*media->schema, parts.body, spec::Direction::request);
}

std::optional<std::string> CaseBuilder::break_one(const spec::Operation& operation, RequestParts& parts,
                                                  Random& random) const {
  const spec::MediaType* media = chosen_media(operation);
  const bool structured = parts.encoding == BodyEncoding::json || parts.encoding == BodyEncoding::form;
  const ObjectShape shape = media && media->schema ? object_shape(context_.generator, *media->schema) : ObjectShape{};
  std::vector<Break> order(kBreaks.begin(), kBreaks.end());
  std::shuffle(order.begin(), order.end(), std::mt19937_64(static_cast<std::uint64_t>(random.between(0, INT64_MAX))));

  for (const Break kind : order) {
    RequestParts candidate = parts;
    std::string what;
    auto pick_property = [&](auto&& fits) -> const std::pair<std::string, const json*>* {
      std::vector<const std::pair<std::string, const json*>*> fitting;
      for (const auto& property : shape.properties) {
        const json* resolved = context_.generator.resolve(*property.second);
        if (resolved != nullptr && resolved->is_object() && fits(property.first, *resolved)) fitting.push_back(&property);
      }
      return fitting.empty() ? nullptr : fitting[random.below(fitting.size())];
    };
    bool schema_break = true;  // judged by the validator afterwards
    switch (kind) {
      case Break::missing_required: {
        if (!structured || shape.required.empty() || !candidate.body.is_object()) continue;
        const std::string& name = shape.required[random.below(shape.required.size())];
        candidate.body.erase(name);
        what = "required property '" + name + "' missing";
        break;
      }
      case Break::wrong_type: {
        if (!structured || !candidate.body.is_object()) continue;
        const auto* property = pick_property([](const std::string&, const json& s) { return !schema_type(&s).empty(); });
        if (property == nullptr) continue;
        const std::string type = schema_type(context_.generator.resolve(*property->second));
        candidate.body[property->first] = other_type(type);
        what = "'" + property->first + "' not of type " + type;
        break;
      }
      case Break::too_long: {
        if (!structured || !candidate.body.is_object()) continue;
        const auto* property = pick_property([](const std::string&, const json& s) { return s.contains("maxLength"); });
        if (property == nullptr) continue;
        const json* resolved = context_.generator.resolve(*property->second);
        const auto limit = resolved->value("maxLength", std::size_t{0});
        candidate.body[property->first] = std::string(limit + static_cast<std::size_t>(random.between(1, 8)), 'a');
        what = "'" + property->first + "' longer than " + std::to_string(limit);
        break;
      }
      case Break::too_short: {
        if (!structured || !candidate.body.is_object()) continue;
        const auto* property = pick_property([](const std::string&, const json& s) {
          return s.value("minLength", std::size_t{0}) > 0 && s.value("minLength", std::size_t{0}) < 1000;
        });
        if (property == nullptr) continue;
        const auto limit = context_.generator.resolve(*property->second)->value("minLength", std::size_t{1});
        candidate.body[property->first] = std::string(limit - 1, 'a');
        what = "'" + property->first + "' shorter than " + std::to_string(limit);
        break;
      }
      case Break::format: {
        if (!structured || !candidate.body.is_object()) continue;
        const auto* property = pick_property([](const std::string&, const json& s) {
          return s.contains("format") && s["format"].is_string() && broken_format(s["format"].get<std::string>());
        });
        if (property == nullptr) continue;
        const std::string format = (*context_.generator.resolve(*property->second))["format"];
        candidate.body[property->first] = *broken_format(format);
        what = "'" + property->first + "' not a valid " + format;
        break;
      }
      case Break::enum_outside: {
        if (!structured || !candidate.body.is_object()) continue;
        const auto* property = pick_property([](const std::string&, const json& s) { return s.contains("enum"); });
        if (property == nullptr) continue;
        candidate.body[property->first] = "NOT_IN_ENUM_FUZZ";
        what = "'" + property->first + "' outside its enum";
        break;
      }
      case Break::extra_property:
        if (!structured || !shape.closed || !candidate.body.is_object()) continue;
        candidate.body["fuzz_extra_property"] = 1;
        what = "a property the schema does not allow";
        break;
      case Break::not_an_object:
        if (parts.encoding != BodyEncoding::json || !media || schema_type(context_.generator.resolve(*media->schema)) != "object") continue;
        candidate.body = json::array({"not", "an", "object"});
        what = "a body that is not an object";
        break;
      case Break::malformed_json:
        if (parts.encoding != BodyEncoding::json) continue;
        candidate.encoding = BodyEncoding::raw;
        candidate.raw_body = parts.body.dump();
        candidate.raw_body.pop_back();
        candidate.raw_body += ",";
        what = "malformed JSON";
        schema_break = false;
        break;
      case Break::wrong_content_type:
        if (!structured || has_text_content_type(operation)) continue;
        candidate.encoding = BodyEncoding::raw;
        candidate.raw_body = parts.body.dump();
        candidate.content_type = "text/plain";
        what = "the wrong content type (text/plain)";
        schema_break = false;
        break;
      case Break::over_limit:
        // A megabyte each time would be most of the run's traffic; now and then is enough to check it.
        if (!structured || !random.chance(0.1)) continue;
        candidate.encoding = BodyEncoding::raw;
        // Whole kilobytes of one letter: the reproducer can build it with `yes` instead of one huge argument.
        candidate.raw_body = std::string(context_.body_limit + 1024, 'a');
        candidate.content_type = "application/json";
        what = "a body over " + std::to_string(context_.body_limit) + " bytes";
        schema_break = false;
        break;
      case Break::missing_body:
        if (!operation.request_body_required || parts.encoding == BodyEncoding::none) continue;
        candidate.encoding = BodyEncoding::none;
        candidate.content_type.clear();
        what = "the required body missing";
        schema_break = false;
        break;
      case Break::query_wrong_type: {
        std::vector<std::pair<std::string, std::string>*> typed;
        for (auto& entry : candidate.query) {
          for (const auto& parameter : operation.parameters) {
            const std::string type = schema_type(parameter.schema ? context_.generator.resolve(*parameter.schema) : nullptr);
            if (parameter.in == "query" && parameter.name == entry.first &&
                (type == "integer" || type == "number" || type == "boolean")) {
              typed.push_back(&entry);
            }
          }
        }
        if (typed.empty()) continue;
        auto* entry = typed[random.below(typed.size())];
        entry->second = "not-a-value";
        what = "query parameter '" + entry->first + "' of the wrong type";
        schema_break = false;
        break;
      }
      case Break::missing_parameter: {
        const spec::Parameter* required = nullptr;
        for (const auto& parameter : operation.parameters) {
          if (parameter.required && parameter.in == "query") required = &parameter;
        }
        if (required == nullptr) continue;
        auto& query = candidate.query;
        query.erase(std::remove_if(query.begin(), query.end(), [&](const auto& e) { return e.first == required->name; }),
                    query.end());
        what = "required query parameter '" + required->name + "' missing";
        schema_break = false;
        break;
      }
    }
    if (schema_break && valid(operation, candidate)) continue;  // the schema allowed it after all
    parts = std::move(candidate);
    return what;
  }
  return std::nullopt;
}

FuzzCase CaseBuilder::build(const spec::Operation& operation, std::size_t example, Random& random) const {
  FuzzCase out;
  out.operation_id = operation.operation_id.empty() ? operation.method + " " + operation.path_template : operation.operation_id;
  out.example = example;
  auto parts = positive(operation, random);
  if (!parts) return out;  // no valid body could be made: the caller counts it
  Step step;
  step.operation_id = out.operation_id;
  step.intent = Intent::positive;
  const bool signs_in = operation.requires_auth && !context_.session.sign_in.empty();
  if (operation.requires_auth && example % 10 == 3) {
    step.intent = Intent::no_credentials;
    if ((example / 10) % 2 == 0) {
      step.mutation = "no bearer token";
    } else {
      step.mutation = "a bogus bearer token";
      parts->headers.push_back({"Authorization", "Bearer " + std::string(kBogusToken)});
    }
    step.parts = std::move(*parts);
    out.steps.push_back(std::move(step));
    return out;
  }
  if (example % 2 == 1) {
    if (auto what = break_one(operation, *parts, random)) {
      step.intent = Intent::negative;
      step.mutation = std::move(*what);
    }
  }
  if (signs_in) {
    out.steps = context_.session.sign_in;
    parts->headers.push_back({"Authorization", "Bearer ${ACCESS_TOKEN}"});
  }
  step.parts = std::move(*parts);
  out.steps.push_back(std::move(step));
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
