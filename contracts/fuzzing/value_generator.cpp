#include "contracts/fuzzing/value_generator.h"

#include <algorithm>
#include <cstdio>

#include "spec/formats.h"
#include "spec/username.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 8;
constexpr int kTries = 12;
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kUsernameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.";

std::size_t size_of(const json& schema, const char* key, std::size_t fallback) {
  const auto it = schema.find(key);
  if (it == schema.end() || !it->is_number_unsigned()) return fallback;
  return it->get<std::size_t>();
}

// Short values most of the time, and now and then anything up to the limit, so that length
// limits (and servers that break near them) are reached.
std::size_t length_between(Random& random, std::size_t lo, std::size_t hi) {
  if (hi < lo) hi = lo;
  if (random.chance(0.6)) return static_cast<std::size_t>(random.between(lo, std::min(hi, lo + 12)));
  return static_cast<std::size_t>(random.between(lo, hi));
}

std::string username(Random& random, std::size_t max_length) {
  for (;;) {
    std::string name = random.text(length_between(random, 1, std::min(max_length, spec::kUsernameMaxLength)), kUsernameChars);
    if (name.front() == '.') name.front() = 'u';
    if (name.back() == '.') name.back() = 'x';
    if (!spec::is_reserved_username(name)) return name;
  }
}

std::string host_name(Random& random) {
  std::string out;
  const auto labels = random.between(1, 3);
  for (std::int64_t i = 0; i < labels; ++i) out += random.text(static_cast<std::size_t>(random.between(1, 10)), kLower) + ".";
  return out + random.text(static_cast<std::size_t>(random.between(2, 4)), kLower);
}

std::string ipv4(Random& random) {
  return std::to_string(random.between(1, 223)) + "." + std::to_string(random.between(0, 255)) + "." +
         std::to_string(random.between(0, 255)) + "." + std::to_string(random.between(1, 254));
}

std::string ipv6(Random& random) {
  std::string out;
  char buffer[8];
  for (int i = 0; i < 8; ++i) {
    std::snprintf(buffer, sizeof buffer, "%x", static_cast<unsigned>(random.between(0, 0xffff)));
    out += (i ? ":" : "") + std::string(buffer);
  }
  return out;
}

std::string date_time(Random& random) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(random.between(1970, 2099)),
                static_cast<int>(random.between(1, 12)), static_cast<int>(random.between(1, 28)),
                static_cast<int>(random.between(0, 23)), static_cast<int>(random.between(0, 59)),
                static_cast<int>(random.between(0, 59)));
  return buffer;
}

const json* example_of(const json& schema) {
  if (const auto it = schema.find("examples"); it != schema.end() && it->is_array() && !it->empty()) return &it->front();
  if (const auto it = schema.find("example"); it != schema.end()) return &*it;
  if (const auto it = schema.find("default"); it != schema.end()) return &*it;
  return nullptr;
}

std::string type_of(const json& schema) {
  const auto it = schema.find("type");
  if (it != schema.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {
      for (const auto& t : *it) {
        if (t.is_string() && t != "null") return t.get<std::string>();
      }
    }
  }
  if (schema.contains("properties") || schema.contains("required")) return "object";
  if (schema.contains("items")) return "array";
  if (schema.contains("minimum") || schema.contains("maximum")) return "number";
  return "string";
}

}  // namespace

std::optional<std::string> format_value(std::string_view format, Random& random, std::size_t max_length) {
  std::string out;
  if (format == "portsip-username") {
    out = username(random, max_length);
  } else if (format == "sip-domain") {
    out = random.chance(0.2) ? ipv4(random) : host_name(random);
  } else if (format == "email") {
    out = random.text(static_cast<std::size_t>(random.between(1, 12)), kAlnum) + "@" + host_name(random);
  } else if (format == "uri") {
    out = "https://" + host_name(random) + "/" + random.text(static_cast<std::size_t>(random.between(0, 10)), kLower);
  } else if (format == "ipv4") {
    out = ipv4(random);
  } else if (format == "ipv6") {
    out = ipv6(random);
  } else if (format == "date-time") {
    out = date_time(random);
  } else {
    return std::nullopt;
  }
  return out;
}

ValueGenerator::ValueGenerator(const spec::OpenApiDocument& document, const spec::SchemaValidator& validator,
                               const Hints& hints)
    : document_(document), validator_(validator), hints_(hints) {}

const json* ValueGenerator::resolve(const json& schema) const {
  const json* current = &schema;
  for (int hops = 0; hops < 32 && current->is_object(); ++hops) {
    const auto it = current->find("$ref");
    if (it == current->end() || !it->is_string()) return current;
    current = document_.resolve_ref(it->get<std::string>());
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::optional<json> ValueGenerator::valid(const json& schema, Random& random) const {
  for (int attempt = 0; attempt < kTries; ++attempt) {
    json value = generate(schema, random, 0, "");
    if (validator_.is_valid(schema, value, spec::Direction::request)) return value;
  }
  const json* resolved = resolve(schema);
  if (resolved != nullptr && resolved->is_object()) {
    if (const json* example = example_of(*resolved); example && validator_.is_valid(schema, *example)) return *example;
  }
  return std::nullopt;
}

json ValueGenerator::generate(const json& raw, Random& random, int depth, std::string_view name) const {
  const json* schema = resolve(raw);
  if (schema == nullptr || !schema->is_object() || depth > kMaxDepth) return nullptr;
  if (const auto it = schema->find("const"); it != schema->end()) return *it;
  if (const auto it = schema->find("enum"); it != schema->end() && it->is_array() && !it->empty()) {
    return (*it)[random.below(it->size())];
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    if (const auto it = schema->find(key); it != schema->end() && it->is_array() && !it->empty()) {
      // The alternative's value must also meet the keywords beside oneOf; valid() checks.
      json merged = *schema;
      merged.erase(key);
      const json& alternative = (*it)[random.below(it->size())];
      const json* resolved = resolve(alternative);
      if (resolved != nullptr && resolved->is_object()) {
        for (const auto& [k, v] : resolved->items()) merged.emplace(k, v);
      }
      return generate(merged, random, depth + 1, name);
    }
  }
  if (const auto all = schema->find("allOf"); all != schema->end() && all->is_array() && !schema->contains("type") &&
                                             !schema->contains("properties")) {
    // allOf around a scalar ("a port: allOf [integer 0..65535]"): one schema with every member's keywords.
    json merged = *schema;
    merged.erase("allOf");
    for (const json& member : *all) {
      const json* resolved = resolve(member);
      if (resolved == nullptr || !resolved->is_object()) continue;
      for (const auto& [k, v] : resolved->items()) merged.emplace(k, v);
    }
    return generate(merged, random, depth + 1, name);
  }
  if (const json* example = example_of(*schema); example != nullptr && random.chance(0.15)) return *example;
  const std::string type = type_of(*schema);
  if (type == "object") return generate_object(*schema, random, depth);
  if (type == "array") {
    const std::size_t lo = size_of(*schema, "minItems", 0);
    const std::size_t hi = std::min(size_of(*schema, "maxItems", lo + 3), lo + 3);
    json out = json::array();
    const auto items = schema->find("items");
    const std::size_t count = static_cast<std::size_t>(random.between(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
    for (std::size_t i = 0; i < count; ++i) out.push_back(items != schema->end() ? generate(*items, random, depth + 1, "") : json("x"));
    return out;
  }
  if (type == "integer" || type == "number") {
    std::int64_t lo = schema->value("minimum", json(-1000)).is_number() ? schema->value("minimum", json(0)).get<std::int64_t>() : 0;
    std::int64_t hi = schema->value("maximum", json(lo + 100000)).is_number() ? schema->value("maximum", json(0)).get<std::int64_t>() : lo + 1000;
    if (const auto it = schema->find("exclusiveMinimum"); it != schema->end() && it->is_number()) lo = it->get<std::int64_t>() + 1;
    if (const auto it = schema->find("exclusiveMaximum"); it != schema->end() && it->is_number()) hi = it->get<std::int64_t>() - 1;
    if (!schema->contains("minimum") && !schema->contains("exclusiveMinimum")) lo = std::max<std::int64_t>(lo, -1000);
    if (!schema->contains("maximum") && !schema->contains("exclusiveMaximum")) hi = std::min<std::int64_t>(hi, lo + 100000);
    return random.between(lo, hi);
  }
  if (type == "boolean") return random.chance(0.5);
  if (type == "null") return nullptr;
  return generate_string(*schema, random, name);
}

json ValueGenerator::generate_string(const json& schema, Random& random, std::string_view name) const {
  if (const auto hint = hints_.find(name); hint != hints_.end() && !hint->second.empty() && random.chance(0.5)) {
    const std::string& value = hint->second[random.below(hint->second.size())];
    if (validator_.is_valid(schema, value)) return value;
  }
  const std::size_t lo = size_of(schema, "minLength", 0);
  const std::size_t hi = size_of(schema, "maxLength", std::max<std::size_t>(lo, 24));
  if (const auto format = schema.find("format"); format != schema.end() && format->is_string()) {
    if (auto value = format_value(format->get<std::string>(), random, hi)) return *value;
  }
  if (schema.contains("pattern")) {
    if (const json* example = example_of(schema); example != nullptr && random.chance(0.5)) return *example;
    // No generator for regular expressions: one of a few alphabets often meets the common
    // ones ("[0-9]{3,64}", "^[a-z0-9]+$"), and valid() keeps only what the validator accepts.
    static constexpr std::string_view kAlphabets[] = {"0123456789", "abcdefghijklmnopqrstuvwxyz", "0123456789abcdef", kAlnum};
    return random.text(length_between(random, std::max<std::size_t>(lo, 1), hi), kAlphabets[random.below(4)]);
  }
  return random.text(length_between(random, lo, hi), kAlnum);
}

json ValueGenerator::generate_object(const json& schema, Random& random, int depth) const {
  const ObjectShape shape = object_shape(*this, schema);
  json out = json::object();
  for (const auto& [name, property] : shape.properties) {
    const bool required = std::find(shape.required.begin(), shape.required.end(), name) != shape.required.end();
    const json* resolved = resolve(*property);
    if (resolved != nullptr && resolved->value("readOnly", false)) continue;
    if (required || random.chance(0.5)) out[name] = generate(*property, random, depth + 1, name);
  }
  // if/then (in allOf members or on the schema): a value the `if` accepts also gets the
  // properties its `then` requires, so a grant-dependent form ("password needs username")
  // comes out valid rather than only by chance.
  std::vector<const json*> conditionals{&schema};
  if (const auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
    for (const json& member : *all) conditionals.push_back(resolve(member));
  }
  for (const json* conditional : conditionals) {
    if (conditional == nullptr || !conditional->is_object()) continue;
    const auto condition = conditional->find("if");
    const auto then = conditional->find("then");
    if (condition == conditional->end() || then == conditional->end() || !then->is_object()) continue;
    if (!validator_.is_valid(*condition, out, spec::Direction::request)) continue;
    const auto wanted = then->find("required");
    if (wanted == then->end() || !wanted->is_array()) continue;
    for (const json& name : *wanted) {
      if (!name.is_string() || out.contains(name.get<std::string>())) continue;
      for (const auto& [property_name, property] : shape.properties) {
        if (property_name == name.get<std::string>()) {
          out[property_name] = generate(*property, random, depth + 1, property_name);
          break;
        }
      }
    }
  }
  return out;
}

ObjectShape object_shape(const ValueGenerator& generator, const json& raw) {
  ObjectShape shape;
  const json* schema = generator.resolve(raw);
  if (schema == nullptr || !schema->is_object()) return shape;
  auto add = [&shape](const json& s) {
    if (const auto it = s.find("properties"); it != s.end() && it->is_object()) {
      for (const auto& [name, property] : it->items()) shape.properties.emplace_back(name, &property);
    }
    if (const auto it = s.find("required"); it != s.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string()) shape.required.push_back(name.get<std::string>());
      }
    }
    if (const auto it = s.find("additionalProperties"); it != s.end() && it->is_boolean() && !it->get<bool>()) {
      shape.closed = true;
    }
  };
  add(*schema);
  if (const auto it = schema->find("allOf"); it != schema->end() && it->is_array()) {
    for (const auto& member : *it) {
      if (const json* resolved = generator.resolve(member); resolved != nullptr && resolved->is_object()) add(*resolved);
    }
  }
  return shape;
}

}  // namespace pbxmock::contracts::fuzzing
