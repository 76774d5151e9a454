#include "contracts/fuzzing/case_builder.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "contracts/fuzzing/mutators.h"
#include "contracts/fuzzing/operation_name.h"
#include "spec/media_type.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

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

// A query or form value's text as a server reads it for the schema's type: a number or a
// boolean when the type is one and the text spells one, else the text itself.
json as_read(const json* schema, const std::string& text) {
  const std::string type = schema_type(schema);
  if (type != "integer" && type != "number" && type != "boolean") return text;
  json value = json::parse(text, nullptr, false);
  return value.is_discarded() || value.is_structured() || value.is_string() ? json(text) : value;
}

// A form body as it travels (each value's text, fuzz_case.cpp's render) and is read back.
json form_as_read(const ValueGenerator& generator, const json& schema, const json& body) {
  if (!body.is_object()) return body;
  const json* resolved = generator.resolve(schema);
  const ObjectShape shape = resolved != nullptr ? object_shape(generator, *resolved) : ObjectShape{};
  json out = json::object();
  for (const auto& [name, value] : body.items()) {
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    const json* property = nullptr;
    for (const auto& [known, property_schema] : shape.properties) {
      if (known == name) property = generator.resolve(*property_schema);
    }
    out[name] = as_read(property, text);
  }
  return out;
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
    const json value = as_read(context_.generator.resolve(*parameter.schema), it->second);
    if (!context_.validator.is_valid(*parameter.schema, value, spec::Direction::request)) return false;
  }
  const spec::MediaType* media = chosen_media(operation);
  if (parts.encoding == BodyEncoding::none) return !operation.request_body_required;
  if (parts.encoding == BodyEncoding::raw || media == nullptr || media->schema == nullptr) return true;
  if (parts.content_type != media->content_type) return false;
  if (parts.encoding == BodyEncoding::form) {
    // A form carries text only: judged as the server reads it, so that a "wrong type" the
    // wire cannot carry (the number 12345 sent as the text "12345") is not taken for a break.
    return context_.validator.is_valid(*media->schema, form_as_read(context_.generator, *media->schema, parts.body),
                                       spec::Direction::request);
  }
  return context_.validator.is_valid(*media->schema, parts.body, spec::Direction::request);
}

std::optional<std::string> CaseBuilder::break_one(const spec::Operation& operation, RequestParts& parts,
                                                  Random& random) const {
  // The places of the body that can be broken, then the kinds of break in an order drawn for
  // this case: the first that applies and that the schema refuses (a break judged by the
  // schema) is the case's.
  const spec::MediaType* media = chosen_media(operation);
  const bool structured = parts.encoding == BodyEncoding::json || parts.encoding == BodyEncoding::form;
  std::vector<Site> sites;
  if (media != nullptr && media->schema != nullptr && structured) sites = collect_sites(context_.generator, parts.body, *media->schema);
  std::vector<MutatorEntry> order = mutators();
  std::shuffle(order.begin(), order.end(), std::mt19937_64(static_cast<std::uint64_t>(random.between(0, INT64_MAX))));
  const MutationInput input{operation, parts, media, sites, context_.generator, context_.validator, context_.body_limit, random};
  for (const MutatorEntry& entry : order) {
    auto mutation = entry.mutate(input);
    if (!mutation) continue;
    if (mutation->schema_break && valid(operation, mutation->parts)) continue;  // the schema allowed it after all
    parts = std::move(mutation->parts);
    return std::move(mutation->what);
  }
  return std::nullopt;
}

FuzzCase CaseBuilder::build(const spec::Operation& operation, std::size_t example, Random& random) const {
  FuzzCase out;
  out.operation_id = operation_name(operation);
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
  if (signs_in) out.steps = signed_in(operation, *parts);
  step.parts = std::move(*parts);
  out.steps.push_back(std::move(step));
  return out;
}

std::vector<Step> CaseBuilder::signed_in(const spec::Operation& operation, RequestParts& parts) const {
  if (!operation.requires_auth || context_.session.sign_in.empty()) return {};
  parts.headers.push_back({"Authorization", "Bearer ${ACCESS_TOKEN}"});
  return context_.session.sign_in;
}

}  // namespace pbxmock::contracts::fuzzing
