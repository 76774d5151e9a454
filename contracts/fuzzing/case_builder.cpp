#include "contracts/fuzzing/case_builder.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "spec/media_type.h"
#include "spec/structured_document.h"

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
  pattern,
  out_of_range,
};
constexpr std::array kBreaks = {Break::missing_required, Break::wrong_type,      Break::too_long,
                                Break::too_short,        Break::format,          Break::enum_outside,
                                Break::extra_property,   Break::not_an_object,   Break::malformed_json,
                                Break::wrong_content_type, Break::over_limit,    Break::missing_body,
                                Break::query_wrong_type, Break::missing_parameter, Break::pattern,
                                Break::out_of_range};

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

// A place in the generated body that can be broken: a property value or an array item at any
// depth (pointer and its schema), or an object (its shape, for a missing or an extra property).
struct Site {
  std::string pointer;  // JSON Pointer in the body: "/address/zip", "/phones/0"
  const json* schema = nullptr;  // resolved
  bool object = false;
  ObjectShape shape;  // when object
};

// Items of an array beyond the first few add nothing new to break.
constexpr std::size_t kItemsPerArray = 3;
constexpr int kMaxDepth = 16;

void collect_sites(const ValueGenerator& generator, const json& value, const json& raw_schema, const std::string& pointer,
                   int depth, std::vector<Site>& out) {
  const json* schema = generator.resolve(raw_schema);
  if (schema == nullptr || !schema->is_object() || depth > kMaxDepth) return;
  if (value.is_object()) {
    Site site{pointer, schema, true, object_shape(generator, *schema)};
    for (const auto& [name, property] : site.shape.properties) {
      const auto member = value.find(name);
      if (member == value.end()) continue;
      const std::string at = spec::pointer_append(pointer, name);
      if (const json* resolved = generator.resolve(*property); resolved != nullptr && resolved->is_object()) {
        out.push_back({at, resolved, false, {}});
      }
      collect_sites(generator, *member, *property, at, depth + 1, out);
    }
    out.push_back(std::move(site));
  } else if (value.is_array()) {
    const auto items = schema->find("items");
    if (items == schema->end() || !items->is_object()) return;
    const json* resolved = generator.resolve(*items);
    for (std::size_t i = 0; i < value.size() && i < kItemsPerArray; ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      if (resolved != nullptr && resolved->is_object()) out.push_back({at, resolved, false, {}});
      collect_sites(generator, value[i], *items, at, depth + 1, out);
    }
  }
}

// The value at a pointer we built from the value itself, so it is there.
json* at_pointer(json& root, const std::string& pointer) {
  return const_cast<json*>(spec::resolve_pointer(root, pointer));
}

// "'username'" at the top, "'/address/zip'" deeper: the report names the place exactly.
std::string place(const std::string& pointer) {
  if (pointer.find('/', 1) == std::string::npos) return "'" + pointer.substr(1) + "'";
  return "'" + pointer + "'";
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
  std::vector<Site> sites;
  if (media != nullptr && media->schema != nullptr && structured) collect_sites(context_.generator, parts.body, *media->schema, "", 0, sites);
  std::vector<Break> order(kBreaks.begin(), kBreaks.end());
  std::shuffle(order.begin(), order.end(), std::mt19937_64(static_cast<std::uint64_t>(random.between(0, INT64_MAX))));

  for (const Break kind : order) {
    RequestParts candidate = parts;
    std::string what;
    // A value site (at any depth) whose schema fits; nullptr when none does.
    auto pick_site = [&](auto&& fits) -> const Site* {
      std::vector<const Site*> fitting;
      for (const Site& site : sites) {
        if (!site.object && fits(*site.schema)) fitting.push_back(&site);
      }
      return fitting.empty() ? nullptr : fitting[random.below(fitting.size())];
    };
    auto value_at = [&](const Site& site) -> json& { return *at_pointer(candidate.body, site.pointer); };
    bool schema_break = true;  // judged by the validator afterwards
    switch (kind) {
      case Break::missing_required: {
        if (!structured || !candidate.body.is_object()) continue;
        std::vector<std::pair<const Site*, std::string>> present;
        for (const Site& site : sites) {
          if (!site.object) continue;
          const json* object = spec::resolve_pointer(candidate.body, site.pointer);
          for (const std::string& name : site.shape.required) {
            if (object != nullptr && object->is_object() && object->contains(name)) present.emplace_back(&site, name);
          }
        }
        if (present.empty()) continue;
        const auto& [site, name] = present[random.below(present.size())];
        at_pointer(candidate.body, site->pointer)->erase(name);
        what = "required property " + place(spec::pointer_append(site->pointer, name)) + " missing";
        break;
      }
      case Break::wrong_type: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) { return !schema_type(&schema).empty(); });
        if (site == nullptr) continue;
        const std::string type = schema_type(site->schema);
        value_at(*site) = other_type(type);
        what = place(site->pointer) + " not of type " + type;
        break;
      }
      case Break::too_long: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) { return schema.contains("maxLength") && schema["maxLength"].is_number_unsigned() && schema["maxLength"].get<std::size_t>() < 100'000; });
        if (site == nullptr) continue;
        const auto limit = site->schema->value("maxLength", std::size_t{0});
        value_at(*site) = std::string(limit + static_cast<std::size_t>(random.between(1, 8)), 'a');
        what = place(site->pointer) + " longer than " + std::to_string(limit);
        break;
      }
      case Break::too_short: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) {
          return schema.value("minLength", std::size_t{0}) > 0 && schema.value("minLength", std::size_t{0}) < 1000;
        });
        if (site == nullptr) continue;
        const auto limit = site->schema->value("minLength", std::size_t{1});
        value_at(*site) = std::string(limit - 1, 'a');
        what = place(site->pointer) + " shorter than " + std::to_string(limit);
        break;
      }
      case Break::format: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) {
          return schema.contains("format") && schema["format"].is_string() && broken_format(schema["format"].get<std::string>());
        });
        if (site == nullptr) continue;
        const std::string format = (*site->schema)["format"];
        value_at(*site) = *broken_format(format);
        what = place(site->pointer) + " not a valid " + format;
        break;
      }
      case Break::enum_outside: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) { return schema.contains("enum"); });
        if (site == nullptr) continue;
        value_at(*site) = "NOT_IN_ENUM_FUZZ";
        what = place(site->pointer) + " outside its enum";
        break;
      }
      case Break::pattern: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) { return schema.contains("pattern") && schema["pattern"].is_string(); });
        if (site == nullptr) continue;
        // Strings few patterns allow; the first the pattern refuses (the validator decides) is used.
        bool broken = false;
        for (const char* attempt : {"!#%&", " ", "", "~~~ ~~~", "0", "a", "\t\n"}) {
          const json text = std::string(attempt);
          if (!context_.validator.is_valid(*site->schema, text, spec::Direction::request)) {
            value_at(*site) = text;
            broken = true;
            break;
          }
        }
        if (!broken) continue;
        what = place(site->pointer) + " not matching " + (*site->schema)["pattern"].get<std::string>();
        break;
      }
      case Break::out_of_range: {
        if (!structured || !candidate.body.is_object()) continue;
        const Site* site = pick_site([](const json& schema) {
          const std::string type = schema_type(&schema);
          return (type == "integer" || type == "number") &&
                 ((schema.contains("maximum") && schema["maximum"].is_number()) ||
                  (schema.contains("minimum") && schema["minimum"].is_number()));
        });
        if (site == nullptr) continue;
        const json& schema = *site->schema;
        const bool above = schema.contains("maximum") && schema["maximum"].is_number() &&
                           (!schema.contains("minimum") || !schema["minimum"].is_number() || random.chance(0.5));
        const double bound = above ? schema["maximum"].get<double>() : schema["minimum"].get<double>();
        const double outside = above ? bound + 1 : bound - 1;
        if (schema_type(&schema) == "integer") {
          value_at(*site) = static_cast<std::int64_t>(outside);
        } else {
          value_at(*site) = outside;
        }
        what = place(site->pointer) + (above ? " above its maximum " : " below its minimum ") +
               (above ? schema["maximum"] : schema["minimum"]).dump();
        break;
      }
      case Break::extra_property: {
        if (!structured || !candidate.body.is_object()) continue;
        std::vector<const Site*> closed;
        for (const Site& site : sites) {
          const json* object = spec::resolve_pointer(candidate.body, site.pointer);
          if (site.object && site.shape.closed && object != nullptr && object->is_object()) closed.push_back(&site);
        }
        if (closed.empty()) continue;
        const Site* site = closed[random.below(closed.size())];
        (*at_pointer(candidate.body, site->pointer))["fuzz_extra_property"] = 1;
        what = site->pointer.empty() ? "a property the schema does not allow"
                                     : "a property " + place(site->pointer) + " does not allow";
        break;
      }
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
