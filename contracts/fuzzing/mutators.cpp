#include "contracts/fuzzing/mutators.h"

#include <algorithm>
#include <cstdint>

#include "spec/media_type.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// Items of an array beyond the first few add nothing new to break.
constexpr std::size_t kItemsPerArray = 3;
constexpr int kMaxDepth = 16;

void collect(const ValueGenerator& generator, const json& value, const json& raw_schema, const std::string& pointer, int depth,
             std::vector<Site>& out) {
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
      collect(generator, *member, *property, at, depth + 1, out);
    }
    out.push_back(std::move(site));
  } else if (value.is_array()) {
    const auto items = schema->find("items");
    if (items == schema->end() || !items->is_object()) return;
    const json* resolved = generator.resolve(*items);
    for (std::size_t i = 0; i < value.size() && i < kItemsPerArray; ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      if (resolved != nullptr && resolved->is_object()) out.push_back({at, resolved, false, {}});
      collect(generator, value[i], *items, at, depth + 1, out);
    }
  }
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

// The value at a pointer we built from the value itself, so it is there.
json* at_pointer(json& root, const std::string& pointer) { return const_cast<json*>(spec::resolve_pointer(root, pointer)); }

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

// The body breaks apply to a structured body that is an object.
bool body_object(const MutationInput& in) { return in.structured() && in.parts.body.is_object(); }

// A value site (at any depth) whose schema fits, drawn at random; nullptr when none does.
template <typename Fits>
const Site* pick_site(const MutationInput& in, Fits&& fits) {
  std::vector<const Site*> fitting;
  for (const Site& site : in.sites) {
    if (!site.object && fits(*site.schema)) fitting.push_back(&site);
  }
  return fitting.empty() ? nullptr : fitting[in.random.below(fitting.size())];
}

// The request with the value at `site` replaced.
Mutation with_value(const MutationInput& in, const Site& site, json value, std::string what) {
  Mutation out{in.parts, std::move(what), true};
  *at_pointer(out.parts.body, site.pointer) = std::move(value);
  return out;
}

std::optional<Mutation> missing_required(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  std::vector<std::pair<const Site*, std::string>> present;
  for (const Site& site : in.sites) {
    if (!site.object) continue;
    const json* object = spec::resolve_pointer(in.parts.body, site.pointer);
    for (const std::string& name : site.shape.required) {
      if (object != nullptr && object->is_object() && object->contains(name)) present.emplace_back(&site, name);
    }
  }
  if (present.empty()) return std::nullopt;
  const auto& [site, name] = present[in.random.below(present.size())];
  Mutation out{in.parts, "required property " + place(spec::pointer_append(site->pointer, name)) + " missing", true};
  at_pointer(out.parts.body, site->pointer)->erase(name);
  return out;
}

std::optional<Mutation> wrong_type(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) { return !schema_type(&schema).empty(); });
  if (site == nullptr) return std::nullopt;
  const std::string type = schema_type(site->schema);
  return with_value(in, *site, other_type(type), place(site->pointer) + " not of type " + type);
}

std::optional<Mutation> too_long(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) {
    return schema.contains("maxLength") && schema["maxLength"].is_number_unsigned() &&
           schema["maxLength"].get<std::size_t>() < 100'000;
  });
  if (site == nullptr) return std::nullopt;
  const auto limit = site->schema->value("maxLength", std::size_t{0});
  return with_value(in, *site, std::string(limit + static_cast<std::size_t>(in.random.between(1, 8)), 'a'),
                    place(site->pointer) + " longer than " + std::to_string(limit));
}

std::optional<Mutation> too_short(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) {
    return schema.value("minLength", std::size_t{0}) > 0 && schema.value("minLength", std::size_t{0}) < 1000;
  });
  if (site == nullptr) return std::nullopt;
  const auto limit = site->schema->value("minLength", std::size_t{1});
  return with_value(in, *site, std::string(limit - 1, 'a'), place(site->pointer) + " shorter than " + std::to_string(limit));
}

std::optional<Mutation> format(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) {
    return schema.contains("format") && schema["format"].is_string() && broken_format(schema["format"].get<std::string>());
  });
  if (site == nullptr) return std::nullopt;
  const std::string name = (*site->schema)["format"];
  return with_value(in, *site, *broken_format(name), place(site->pointer) + " not a valid " + name);
}

std::optional<Mutation> enum_outside(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) { return schema.contains("enum"); });
  if (site == nullptr) return std::nullopt;
  return with_value(in, *site, "NOT_IN_ENUM_FUZZ", place(site->pointer) + " outside its enum");
}

std::optional<Mutation> pattern(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) { return schema.contains("pattern") && schema["pattern"].is_string(); });
  if (site == nullptr) return std::nullopt;
  // Strings few patterns allow; the first the pattern refuses (the validator decides) is used.
  for (const char* attempt : {"!#%&", " ", "", "~~~ ~~~", "0", "a", "\t\n"}) {
    const json text = std::string(attempt);
    if (!in.validator.is_valid(*site->schema, text, spec::Direction::request)) {
      return with_value(in, *site, text, place(site->pointer) + " not matching " + (*site->schema)["pattern"].get<std::string>());
    }
  }
  return std::nullopt;
}

std::optional<Mutation> out_of_range(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  const Site* site = pick_site(in, [](const json& schema) {
    const std::string type = schema_type(&schema);
    return (type == "integer" || type == "number") &&
           ((schema.contains("maximum") && schema["maximum"].is_number()) ||
            (schema.contains("minimum") && schema["minimum"].is_number()));
  });
  if (site == nullptr) return std::nullopt;
  const json& schema = *site->schema;
  const bool above = schema.contains("maximum") && schema["maximum"].is_number() &&
                     (!schema.contains("minimum") || !schema["minimum"].is_number() || in.random.chance(0.5));
  const double bound = above ? schema["maximum"].get<double>() : schema["minimum"].get<double>();
  const double outside = above ? bound + 1 : bound - 1;
  json value = schema_type(&schema) == "integer" ? json(static_cast<std::int64_t>(outside)) : json(outside);
  return with_value(in, *site, std::move(value),
                    place(site->pointer) + (above ? " above its maximum " : " below its minimum ") +
                        (above ? schema["maximum"] : schema["minimum"]).dump());
}

std::optional<Mutation> extra_property(const MutationInput& in) {
  if (!body_object(in)) return std::nullopt;
  std::vector<const Site*> closed;
  for (const Site& site : in.sites) {
    const json* object = spec::resolve_pointer(in.parts.body, site.pointer);
    if (site.object && site.shape.closed && object != nullptr && object->is_object()) closed.push_back(&site);
  }
  if (closed.empty()) return std::nullopt;
  const Site* site = closed[in.random.below(closed.size())];
  Mutation out{in.parts,
               site->pointer.empty() ? "a property the schema does not allow"
                                     : "a property " + place(site->pointer) + " does not allow",
               true};
  (*at_pointer(out.parts.body, site->pointer))["fuzz_extra_property"] = 1;
  return out;
}

std::optional<Mutation> not_an_object(const MutationInput& in) {
  if (in.parts.encoding != BodyEncoding::json || in.media == nullptr ||
      schema_type(in.generator.resolve(*in.media->schema)) != "object") {
    return std::nullopt;
  }
  Mutation out{in.parts, "a body that is not an object", true};
  out.parts.body = json::array({"not", "an", "object"});
  return out;
}

std::optional<Mutation> malformed_json(const MutationInput& in) {
  if (in.parts.encoding != BodyEncoding::json) return std::nullopt;
  Mutation out{in.parts, "malformed JSON", false};
  out.parts.encoding = BodyEncoding::raw;
  out.parts.raw_body = in.parts.body.dump();
  out.parts.raw_body.pop_back();
  out.parts.raw_body += ",";
  return out;
}

std::optional<Mutation> wrong_content_type(const MutationInput& in) {
  if (!in.structured() || has_text_content_type(in.operation)) return std::nullopt;
  Mutation out{in.parts, "the wrong content type (text/plain)", false};
  out.parts.encoding = BodyEncoding::raw;
  out.parts.raw_body = in.parts.body.dump();
  out.parts.content_type = "text/plain";
  return out;
}

std::optional<Mutation> over_limit(const MutationInput& in) {
  // A megabyte each time would be most of the run's traffic; now and then is enough to check it.
  if (!in.structured() || !in.random.chance(0.1)) return std::nullopt;
  Mutation out{in.parts, "a body over " + std::to_string(in.body_limit) + " bytes", false};
  out.parts.encoding = BodyEncoding::raw;
  // Whole kilobytes of one letter: the reproducer can build it with `yes` instead of one huge argument.
  out.parts.raw_body = std::string(in.body_limit + 1024, 'a');
  out.parts.content_type = "application/json";
  return out;
}

std::optional<Mutation> missing_body(const MutationInput& in) {
  if (!in.operation.request_body_required || in.parts.encoding == BodyEncoding::none) return std::nullopt;
  Mutation out{in.parts, "the required body missing", false};
  out.parts.encoding = BodyEncoding::none;
  out.parts.content_type.clear();
  return out;
}

std::optional<Mutation> query_wrong_type(const MutationInput& in) {
  Mutation out{in.parts, "", false};
  std::vector<std::pair<std::string, std::string>*> typed;
  for (auto& entry : out.parts.query) {
    for (const auto& parameter : in.operation.parameters) {
      const std::string type = schema_type(parameter.schema ? in.generator.resolve(*parameter.schema) : nullptr);
      // Only a type the text can break: any text is a string on the wire.
      if (parameter.in == "query" && parameter.name == entry.first &&
          (type == "integer" || type == "number" || type == "boolean")) {
        typed.push_back(&entry);
      }
    }
  }
  if (typed.empty()) return std::nullopt;
  auto* entry = typed[in.random.below(typed.size())];
  entry->second = "not-a-value";
  out.what = "query parameter '" + entry->first + "' of the wrong type";
  return out;
}

std::optional<Mutation> missing_parameter(const MutationInput& in) {
  const spec::Parameter* required = nullptr;
  for (const auto& parameter : in.operation.parameters) {
    if (parameter.required && parameter.in == "query") required = &parameter;
  }
  if (required == nullptr) return std::nullopt;
  Mutation out{in.parts, "required query parameter '" + required->name + "' missing", false};
  auto& query = out.parts.query;
  query.erase(std::remove_if(query.begin(), query.end(), [&](const auto& e) { return e.first == required->name; }), query.end());
  return out;
}

}  // namespace

std::vector<Site> collect_sites(const ValueGenerator& generator, const json& body, const json& schema) {
  std::vector<Site> out;
  collect(generator, body, schema, "", 0, out);
  return out;
}

std::string schema_type(const json* schema) {
  if (schema == nullptr || !schema->is_object()) return "";
  const auto it = schema->find("type");
  if (it != schema->end() && it->is_string()) return it->get<std::string>();
  return "";
}

const std::vector<MutatorEntry>& mutators() {
  // This order is part of what a seed draws: a kind added goes at the end.
  static const std::vector<MutatorEntry> kAll = {
      {"missing_required", missing_required}, {"wrong_type", wrong_type},
      {"too_long", too_long},                 {"too_short", too_short},
      {"format", format},                     {"enum_outside", enum_outside},
      {"extra_property", extra_property},     {"not_an_object", not_an_object},
      {"malformed_json", malformed_json},     {"wrong_content_type", wrong_content_type},
      {"over_limit", over_limit},             {"missing_body", missing_body},
      {"query_wrong_type", query_wrong_type}, {"missing_parameter", missing_parameter},
      {"pattern", pattern},                   {"out_of_range", out_of_range},
  };
  return kAll;
}

}  // namespace pbxmock::contracts::fuzzing
