#pragma once
// Generators for the schema validator's properties:
// - genSchema(): a random schema of the supported subset (types, lengths, ranges in both
//   exclusive forms, multipleOf, patterns, formats, enum, const, arrays, objects with
//   required, readOnly / writeOnly and additionalProperties, nullable, oneOf / anyOf / allOf);
// - extractRefs(): moves some of its subschemas into a document's components, leaving $refs
//   (names with '~', '/' and ' ' to exercise the escapes);
// - valueFor(): a value that satisfies a schema, built from the schema alone;
// - mutationsOf(): single edits of such a value that break exactly one keyword, each with
//   the pointer, rule and limit the validator must report;
// - genJunkSchema() / genJunkJson(): arbitrary JSON leaning towards keywords, for "never throws".
//
// The functions that return plain values pick with `*gen` and so run only inside a property.
// Expected pointers are escaped here by hand, independently of the validator.
#include <rapidcheck.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "parser_generators.h"
#include "spec/ref_resolver.h"
#include "spec/schema_validator.h"
#include "spec/structured_document.h"

namespace pbxmock::schema_gens {

using nlohmann::json;
using spec::Direction;

// ------------------------------------------------------------------------------ helpers

inline std::string child_pointer(const std::string& parent, const std::string& key) {
  return spec::pointer_append(parent, key);
}
inline std::string child_pointer(const std::string& parent, std::size_t index) {
  return parent + "/" + std::to_string(index);
}

// A boolean keyword that is present and true (exclusiveMinimum may also be a 3.1 number).
inline bool flag(const json& schema, const char* key) {
  const auto found = schema.find(key);
  return found != schema.end() && found->is_boolean() && found->get<bool>();
}

inline bool coin(int one_in = 2) { return *gens::uniform(0, one_in) == 0; }

// Code points as UTF-8, some of them several bytes long, to exercise code point counting.
inline const std::vector<std::string>& code_points() {
  static const std::vector<std::string> pool = {"a", "b", "z", "Q", "0", "9", "_", "-", " ", ".", "~", "/",
                                                "\xC3\xA9",           // e acute
                                                "\xE6\x97\xA5",       // CJK "day"
                                                "\xF0\x9F\x98\x80"};  // an emoji
  return pool;
}

inline std::string text_of_length(std::size_t length) {
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += *rc::gen::elementOf(code_points());
  return text;
}

inline std::size_t code_point_count(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// Whether value has a JSON Schema type, judged here without the validator.
inline bool has_type(const json& value, const std::string& name) {
  if (name == "integer") {
    return value.is_number_integer() || (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
  }
  if (name == "number") return value.is_number();
  if (name == "string") return value.is_string();
  if (name == "boolean") return value.is_boolean();
  if (name == "null") return value.is_null();
  if (name == "array") return value.is_array();
  if (name == "object") return value.is_object();
  return false;
}

// The type names a schema allows, null included when nullable or listed.
inline std::vector<std::string> allowed_types(const json& schema) {
  std::vector<std::string> names;
  const auto type = schema.find("type");
  if (type == schema.end()) return names;
  if (type->is_string()) names.push_back(type->get<std::string>());
  if (type->is_array()) {
    for (const auto& name : *type) names.push_back(name.get<std::string>());
  }
  if (schema.value("nullable", false)) names.push_back("null");
  return names;
}

// ------------------------------------------------------------------------------ strings

struct PatternCase {
  std::string pattern;
  std::function<std::string()> valid;  // picks a matching string
  std::string invalid;                 // a string that does not match
};

inline const std::vector<PatternCase>& pattern_cases() {
  static const std::vector<PatternCase> cases = {
      {"^[a-z]{1,8}$", [] { return *gens::genStringOf(*gens::uniform<std::size_t>(1, 9), "abcxyz"); }, "ABC"},
      {"^[0-9]+$", [] { return *gens::genStringOf(*gens::uniform<std::size_t>(1, 12), "0123456789"); }, "12a"},
      {"^\\+?[0-9]{3,15}$",
       [] { return (coin() ? "+" : "") + *gens::genStringOf(*gens::uniform<std::size_t>(3, 16), "0123456789"); },
       "+12"},
      {"^[A-Z0-9]{48}$", [] { return *gens::genStringOf(48, "ABCXYZ0189"); }, "SHORT"},
      {"^(caf\\u00e9|th\xC3\xA9)$", [] { return std::string(coin() ? "caf\xC3\xA9" : "th\xC3\xA9"); }, "cafe"},
      {"b", [] { return text_of_length(*gens::uniform<std::size_t>(0, 4)) + "b" + text_of_length(2); }, "aaa"},
  };
  return cases;
}

inline std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

inline std::string gen_date_time() {
  const int year = *gens::uniform(0, 10000);
  const int month = *gens::uniform(1, 13);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int day = *gens::uniform(1, days[month - 1] + 1);
  std::string text = std::string(year < 1000 ? "0" : "") + (year < 100 ? "0" : "") + (year < 10 ? "0" : "") +
                     std::to_string(year) + "-" + two_digits(month) + "-" + two_digits(day) + "T" +
                     two_digits(*gens::uniform(0, 24)) + ":" + two_digits(*gens::uniform(0, 60)) + ":" +
                     two_digits(*gens::uniform(0, 60));
  if (coin()) text += "." + *gens::genStringOf(*gens::uniform<std::size_t>(1, 10), "0123456789");
  if (coin()) return text + (coin() ? "Z" : "z");
  return text + (coin() ? "+" : "-") + two_digits(*gens::uniform(0, 24)) + ":" + two_digits(*gens::uniform(0, 60));
}

inline std::string gen_host_name() { return (*gens::genHostName()).text; }

struct FormatCase {
  std::string format;
  std::function<std::string()> valid;
  std::string invalid;
};

inline const std::vector<FormatCase>& format_cases() {
  static const std::vector<FormatCase> cases = {
      {"date-time", gen_date_time, "2024-13-01T00:00:00Z"},
      {"email",
       [] { return *gens::genStringOf(*gens::uniform<std::size_t>(1, 12), "abc.xyz019+_") + "@" + gen_host_name(); },
       "no-at-sign"},
      {"uri", [] { return "https://" + gen_host_name() + "/" + *gens::genStringOf(5, "abc-_~"); }, "no scheme here"},
      {"ipv4", [] { return *gens::genIpv4(); }, "256.0.0.1"},
      {"ipv6",
       [] {
         std::string text = (*gens::genIpv6Text()).text;  // sometimes bracketed, as a SIP domain may be
         if (text.front() == '[') text = text.substr(1, text.size() - 2);
         return text;
       },
       "1:2:3"},
      {"portsip-username", [] { return *gens::genValidUsername(); }, "bad name"},
      {"sip-domain", [] { return coin() ? gen_host_name() : *gens::genIpv4(); }, "pbx.example.com:5060"},
  };
  return cases;
}

// Repairs the odd email the generators above can produce with two dots in a row or a dot
// at either end of the local part.
inline std::string tidy_email(std::string email) {
  const auto at = email.find('@');
  std::string local = email.substr(0, at);
  std::string tidy;
  for (const char c : local) {
    if (c == '.' && (tidy.empty() || tidy.back() == '.')) continue;
    tidy += c;
  }
  if (!tidy.empty() && tidy.back() == '.') tidy.pop_back();
  if (tidy.empty()) tidy = "x";
  return tidy + email.substr(at);
}

// ------------------------------------------------------------------------------ schemas

inline const std::vector<json>& enum_pool() {
  static const std::vector<json> pool = {"red", "green", "blue", 1, 2.5, true, nullptr, json{{"k", 1}}, json{1, 2}};
  return pool;
}

inline const std::vector<std::string>& property_names() {
  static const std::vector<std::string> names = {"id", "name", "a/b", "m~n", "email", "x", "tags", "role", ""};
  return names;
}

inline const std::vector<std::string> kKinds = {"string", "integer", "number", "boolean", "null", "array", "object"};

inline json genSchema(int depth);

inline void maybe_nullable(json& schema) {
  const int choice = *gens::uniform(0, 6);
  if (choice == 0) schema["nullable"] = true;                                        // OpenAPI 3.0
  if (choice == 1) schema["type"] = json::array({schema["type"], "null"});          // OpenAPI 3.1
}

inline json genStringSchema() {
  json schema = {{"type", "string"}};
  const int flavour = *gens::uniform(0, 4);
  if (flavour == 0) {
    schema["pattern"] = (*rc::gen::elementOf(pattern_cases())).pattern;
  } else if (flavour == 1) {
    schema["format"] = (*rc::gen::elementOf(format_cases())).format;
  } else {
    const int min = *gens::uniform(0, 6);
    if (coin()) schema["minLength"] = min;
    if (coin()) schema["maxLength"] = min + *gens::uniform(0, 8);
  }
  return schema;
}

inline json genIntegerSchema() {
  json schema = {{"type", "integer"}};
  const std::int64_t step = coin() ? *gens::uniform<std::int64_t>(1, 8) : 1;
  if (step > 1) schema["multipleOf"] = step;
  const std::int64_t witness = step * *gens::uniform<std::int64_t>(-200, 200);  // a value the range holds
  const int style = *gens::uniform(0, 3);                                          // inclusive, 3.0, 3.1
  if (coin()) {
    const std::int64_t low = witness - *gens::uniform<std::int64_t>(style == 0 ? 0 : 1, 50);
    if (style == 2) {
      schema["exclusiveMinimum"] = low;
    } else {
      schema["minimum"] = low;
      if (style == 1) schema["exclusiveMinimum"] = true;
    }
  }
  if (coin()) {
    const std::int64_t high = witness + *gens::uniform<std::int64_t>(style == 0 ? 0 : 1, 50);
    if (style == 2) {
      schema["exclusiveMaximum"] = high;
    } else {
      schema["maximum"] = high;
      if (style == 1) schema["exclusiveMaximum"] = true;
    }
  }
  return schema;
}

inline json genNumberSchema() {
  json schema = {{"type", "number"}};
  const double low = *gens::uniform(-4000, 4000) / 4.0;
  const double high = low + 1 + *gens::uniform(0, 400) / 4.0;
  const int style = *gens::uniform(0, 3);
  if (coin()) {
    if (style == 2) {
      schema["exclusiveMinimum"] = low;
    } else {
      schema["minimum"] = low;
      if (style == 1) schema["exclusiveMinimum"] = true;
    }
  }
  if (coin()) {
    if (style == 2) {
      schema["exclusiveMaximum"] = high;
    } else {
      schema["maximum"] = high;
      if (style == 1) schema["exclusiveMaximum"] = true;
    }
  }
  return schema;
}

inline json genArraySchema(int depth) {
  json schema = {{"type", "array"}, {"items", genSchema(depth - 1)}};
  const int min = *gens::uniform(0, 3);
  if (coin()) schema["minItems"] = min;
  if (coin()) schema["maxItems"] = min + *gens::uniform(0, 3);
  return schema;
}

inline json genObjectSchema(int depth) {
  json schema = {{"type", "object"}};
  json properties = json::object();
  json required = json::array();
  const std::size_t count = *gens::uniform<std::size_t>(0, 5);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string name = *rc::gen::elementOf(property_names());
    if (properties.contains(name)) continue;
    json property = genSchema(depth - 1);
    const int access = *gens::uniform(0, 8);
    if (access == 0) property["readOnly"] = true;
    if (access == 1) property["writeOnly"] = true;
    properties[name] = property;
    if (coin()) required.push_back(name);
  }
  if (!properties.empty() || coin()) schema["properties"] = properties;
  if (!required.empty()) schema["required"] = required;
  const int additional = *gens::uniform(0, 4);
  if (additional == 1) schema["additionalProperties"] = false;
  if (additional == 2) schema["additionalProperties"] = true;
  if (additional == 3) schema["additionalProperties"] = genSchema(0);
  return schema;
}

inline json genTypedSchema(const std::string& kind, int depth) {
  if (kind == "string") return genStringSchema();
  if (kind == "integer") return genIntegerSchema();
  if (kind == "number") return genNumberSchema();
  if (kind == "array" && depth > 0) return genArraySchema(depth);
  if (kind == "object" && depth > 0) return genObjectSchema(depth);
  if (kind == "array" || kind == "object") return json{{"type", kind}};
  return json{{"type", kind}};  // boolean, null
}

inline json genEnumValues() {
  json values = json::array();
  for (const auto& value : enum_pool()) {
    if (coin(3)) values.push_back(value);
  }
  if (values.empty()) values.push_back(*rc::gen::elementOf(enum_pool()));
  return values;
}

inline json genSchema(int depth) {
  const int choice = *gens::uniform(0, depth > 0 ? 20 : 14);
  if (choice < 12) {
    json schema = genTypedSchema(*rc::gen::elementOf(kKinds), depth);
    if (schema["type"] != "null") maybe_nullable(schema);
    return schema;
  }
  if (choice == 12) return json{{"enum", genEnumValues()}};
  if (choice == 13) return json{{"const", *rc::gen::elementOf(enum_pool())}};
  if (choice < 16) {
    // oneOf over distinct kinds (integer and number overlap: never both).
    std::vector<std::string> kinds = {"string", "boolean", "null", "array", "object"};
    kinds.push_back(coin() ? "integer" : "number");
    json branches = json::array();
    for (const auto& kind : kinds) {
      if (coin()) branches.push_back(genTypedSchema(kind, depth - 1));
    }
    if (branches.empty()) branches.push_back(genTypedSchema("boolean", 0));
    return json{{coin() ? "oneOf" : "anyOf", branches}};
  }
  if (choice < 18) {
    json branches = json::array();
    const std::size_t count = *gens::uniform<std::size_t>(1, 4);
    for (std::size_t i = 0; i < count; ++i) branches.push_back(genSchema(depth - 1));
    return json{{"anyOf", branches}};
  }
  return json{{"allOf", {genSchema(depth - 1), json::object()}}};
}

// Moves some subschemas into document["components"]["schemas"], replacing them with $refs.
inline void extractRefs(json& schema, json& document, int& counter) {
  if (!schema.is_object()) return;
  for (const char* keyword : {"items", "additionalProperties"}) {
    if (schema.contains(keyword)) extractRefs(schema[keyword], document, counter);
  }
  for (const char* keyword : {"properties"}) {
    if (!schema.contains(keyword)) continue;
    for (auto& [name, sub] : schema[keyword].items()) extractRefs(sub, document, counter);
  }
  for (const char* keyword : {"oneOf", "anyOf", "allOf"}) {
    if (!schema.contains(keyword)) continue;
    for (auto& sub : schema[keyword]) extractRefs(sub, document, counter);
  }
  if (!coin(3)) return;
  static const std::vector<std::string> stems = {"S", "odd~name", "a/b", "with space"};
  const std::string name = *rc::gen::elementOf(stems) + std::to_string(counter++);
  std::string ref = "#";
  for (const char c : spec::pointer_append("/components/schemas", name)) ref += c == ' ' ? std::string("%20") : std::string(1, c);
  document["components"]["schemas"][name] = std::move(schema);
  schema = json{{"$ref", ref}};
}

// What a generated case needs: the document holding the extracted schemas, the direction.
struct Context {
  const json& document;
  Direction direction;
};

inline const json& resolved(const json& schema, const Context& context) {
  const json* current = &schema;
  while (current->is_object() && current->contains("$ref")) {
    current = spec::resolve_local_ref(context.document, current->at("$ref").get<std::string>());
  }
  return *current;
}

// Whether a property is left out of the value: readOnly in a request, writeOnly in a response.
inline bool absent_by_direction(const json& property, const Context& context) {
  const json& schema = resolved(property, context);
  return flag(schema, context.direction == Direction::request ? "readOnly" : "writeOnly");
}

// ------------------------------------------------------------------------------ valid values

inline json valueFor(const json& schema, const Context& context);


inline json integerFor(const json& s) {
  const std::int64_t step = s.value("multipleOf", std::int64_t{1});
  std::int64_t low = -1000000;
  std::int64_t high = 1000000;
  if (s.contains("minimum")) low = s["minimum"].get<std::int64_t>() + (flag(s, "exclusiveMinimum") ? 1 : 0);
  if (s.contains("exclusiveMinimum") && s["exclusiveMinimum"].is_number()) low = s["exclusiveMinimum"].get<std::int64_t>() + 1;
  if (s.contains("maximum")) high = s["maximum"].get<std::int64_t>() - (flag(s, "exclusiveMaximum") ? 1 : 0);
  if (s.contains("exclusiveMaximum") && s["exclusiveMaximum"].is_number()) high = s["exclusiveMaximum"].get<std::int64_t>() - 1;
  // Multiples of step in [low, high]: k from ceil(low/step) to floor(high/step).
  const auto floor_div = [](std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
  const std::int64_t first = -floor_div(-low, step);
  const std::int64_t last = floor_div(high, step);
  return step * *gens::uniform<std::int64_t>(first, last + 1);
}

inline json numberFor(const json& s) {
  double low = -1e6;
  double high = 1e6;
  if (s.contains("minimum")) low = s["minimum"].get<double>();
  if (s.contains("exclusiveMinimum") && s["exclusiveMinimum"].is_number()) low = s["exclusiveMinimum"].get<double>();
  if (s.contains("maximum")) high = s["maximum"].get<double>();
  if (s.contains("exclusiveMaximum") && s["exclusiveMaximum"].is_number()) high = s["exclusiveMaximum"].get<double>();
  // Strictly inside, so both bound styles hold; a quarter-step grid keeps the values exact.
  const double fraction = *gens::uniform(1, 100) / 100.0;
  double value = low + (high - low) * fraction;
  if (value <= low || value >= high) value = (low + high) / 2;
  return value;
}

inline json stringFor(const json& s) {
  if (s.contains("pattern")) {
    for (const auto& c : pattern_cases()) {
      if (c.pattern == s["pattern"]) return c.valid();
    }
  }
  if (s.contains("format")) {
    for (const auto& c : format_cases()) {
      if (c.format != s["format"]) continue;
      const std::string text = c.valid();
      return c.format == "email" ? tidy_email(text) : text;
    }
  }
  const std::size_t min = s.value("minLength", std::size_t{0});
  const std::size_t max = s.value("maxLength", min + 10);
  return text_of_length(*gens::uniform<std::size_t>(min, max + 1));
}

inline json objectFor(const json& s, const Context& context) {
  json value = json::object();
  const json properties = s.value("properties", json::object());
  const json required = s.value("required", json::array());
  for (const auto& [name, property] : properties.items()) {
    if (absent_by_direction(property, context)) continue;
    const bool must = std::find(required.begin(), required.end(), name) != required.end();
    if (must || coin()) value[name] = valueFor(property, context);
  }
  const auto additional = s.find("additionalProperties");
  const bool closed = additional != s.end() && additional->is_boolean() && !additional->get<bool>();
  if (!closed && coin(3)) {
    const json extra_schema = additional != s.end() && additional->is_object() ? *additional : json::object();
    for (const std::string name : {"extra1", "extra2"}) {
      if (coin()) value[name] = extra_schema.empty() ? json(*rc::gen::elementOf(enum_pool())) : valueFor(extra_schema, context);
    }
  }
  return value;
}

inline json valueFor(const json& schema_in, const Context& context) {
  const json& s = resolved(schema_in, context);
  if (s.contains("const")) return s["const"];
  if (s.contains("enum")) return *rc::gen::elementOf(s["enum"]);
  for (const char* keyword : {"oneOf", "anyOf"}) {
    if (s.contains(keyword)) return valueFor(*rc::gen::elementOf(s[keyword]), context);
  }
  if (s.contains("allOf")) return valueFor(s["allOf"][0], context);
  const auto types = allowed_types(s);
  if (types.empty()) return json::object();
  const std::string type = *rc::gen::elementOf(types);
  if (type == "null") return nullptr;
  if (type == "boolean") return *rc::gen::arbitrary<bool>();
  if (type == "integer") return integerFor(s);
  if (type == "number") return numberFor(s);
  if (type == "string") return stringFor(s);
  if (type == "array") {
    json value = json::array();
    const std::size_t min = s.value("minItems", std::size_t{0});
    const std::size_t max = s.value("maxItems", min + 3);
    const std::size_t count = *gens::uniform<std::size_t>(min, max + 1);
    for (std::size_t i = 0; i < count; ++i) value.push_back(valueFor(s.value("items", json::object()), context));
    return value;
  }
  return objectFor(s, context);
}

// ------------------------------------------------------------------------------ mutations

// Replace the value at `where` by `replacement`; the validator must then report exactly
// one violation: `rule` at `pointer`, with `limit` unless that is null.
struct Mutation {
  std::string where;
  json replacement;
  std::string pointer;
  std::string rule;
  json limit;
};

inline std::ostream& operator<<(std::ostream& os, const Mutation& m) {
  return os << "at \"" << m.where << "\" put " << m.replacement.dump() << ": expect " << m.rule << " at \""
            << m.pointer << "\" limit " << m.limit.dump();
}

inline bool has_combinator(const json& s) {
  return s.contains("oneOf") || s.contains("anyOf") || s.contains("allOf") || s.contains("not");
}

inline void collectMutations(const json& schema_in, const json& value, const std::string& where,
                             const Context& context, std::vector<Mutation>& out) {
  const json& s = resolved(schema_in, context);
  if (has_combinator(s)) return;  // a break inside a branch is reported at the combinator
  if (s.contains("enum")) {
    out.push_back({where, "zz-not-in-enum", where, "enum", s["enum"]});
    return;
  }
  if (s.contains("const")) {
    out.push_back({where, "zz-not-const", where, "const", s["const"]});
    return;
  }
  const auto types = allowed_types(s);
  if (!types.empty()) {
    for (const json& other : {json(true), json("mutant"), json(12), json::array(), json::object(), json(nullptr)}) {
      const bool allowed = std::any_of(types.begin(), types.end(), [&](const std::string& t) { return has_type(other, t); });
      if (!allowed) {
        out.push_back({where, other, where, "type", nullptr});
        break;
      }
    }
  }
  const std::string type = s.contains("type") && s["type"].is_string() ? s["type"].get<std::string>() : "";

  // strings
  if (s.contains("maxLength") && !s.contains("pattern") && !s.contains("format")) {
    const std::size_t max = s["maxLength"];
    out.push_back({where, std::string(max + 1, 'a'), where, "maxLength", s["maxLength"]});
  }
  if (s.contains("minLength") && s["minLength"].get<std::size_t>() > 0) {
    const std::size_t min = s["minLength"];
    out.push_back({where, text_of_length(min - 1), where, "minLength", s["minLength"]});
  }
  for (const auto& c : pattern_cases()) {
    if (s.contains("pattern") && s["pattern"] == c.pattern) out.push_back({where, c.invalid, where, "pattern", c.pattern});
  }
  for (const auto& c : format_cases()) {
    if (s.contains("format") && s["format"] == c.format) out.push_back({where, c.invalid, where, "format", c.format});
  }

  // numbers: bounds (without multipleOf, so that one keyword breaks), then multipleOf
  const bool integer = type == "integer" || (s.contains("type") && s["type"].is_array() && s["type"][0] == "integer");
  const bool number = type == "number" || (s.contains("type") && s["type"].is_array() && s["type"][0] == "number");
  if ((integer || number) && !s.contains("multipleOf")) {
    const json one = integer ? json(1) : json(0.5);
    for (const int side : {-1, 1}) {
      const char* inclusive = side < 0 ? "minimum" : "maximum";
      const char* exclusive = side < 0 ? "exclusiveMinimum" : "exclusiveMaximum";
      if (s.contains(inclusive)) {
        const json& bound = s[inclusive];
        if (flag(s, exclusive)) {
          out.push_back({where, bound, where, exclusive, bound});  // 3.0: the bound itself is out
        } else {
          const json beyond = integer ? json(bound.get<std::int64_t>() + side) : json(bound.get<double>() + 0.5 * side);
          out.push_back({where, beyond, where, inclusive, bound});
        }
      }
      if (s.contains(exclusive) && s[exclusive].is_number()) out.push_back({where, s[exclusive], where, exclusive, s[exclusive]});
    }
  }
  if (integer && s.contains("multipleOf") && value.is_number_integer()) {
    const std::int64_t v = value.get<std::int64_t>();
    for (const std::int64_t candidate : {v + 1, v - 1}) {
      // The neighbour must stay in range, or a bound would break too.
      const bool above_min = !s.contains("minimum") || (flag(s, "exclusiveMinimum") ? candidate > s["minimum"].get<std::int64_t>()
                                                                                          : candidate >= s["minimum"].get<std::int64_t>());
      const bool below_max = !s.contains("maximum") || (flag(s, "exclusiveMaximum") ? candidate < s["maximum"].get<std::int64_t>()
                                                                                          : candidate <= s["maximum"].get<std::int64_t>());
      const bool above_xmin = !(s.contains("exclusiveMinimum") && s["exclusiveMinimum"].is_number()) ||
                              candidate > s["exclusiveMinimum"].get<std::int64_t>();
      const bool below_xmax = !(s.contains("exclusiveMaximum") && s["exclusiveMaximum"].is_number()) ||
                              candidate < s["exclusiveMaximum"].get<std::int64_t>();
      if (above_min && below_max && above_xmin && below_xmax) {
        out.push_back({where, candidate, where, "multipleOf", s["multipleOf"]});
        break;
      }
    }
  }

  // arrays
  if (value.is_array()) {
    const json items = s.value("items", json::object());
    if (s.contains("maxItems")) {
      json longer = value;
      while (longer.size() <= s["maxItems"].get<std::size_t>()) longer.push_back(valueFor(items, context));
      out.push_back({where, longer, where, "maxItems", s["maxItems"]});
    }
    if (s.contains("minItems") && s["minItems"].get<std::size_t>() > 0) {
      json shorter = value;
      while (shorter.size() >= s["minItems"].get<std::size_t>()) shorter.erase(shorter.size() - 1);
      out.push_back({where, shorter, where, "minItems", s["minItems"]});
    }
    for (std::size_t i = 0; i < value.size(); ++i) collectMutations(items, value[i], child_pointer(where, i), context, out);
  }

  // objects
  if (value.is_object()) {
    const json properties = s.value("properties", json::object());
    for (const auto& name : s.value("required", json::array())) {
      if (!value.contains(name.get<std::string>())) continue;
      json without = value;
      without.erase(name.get<std::string>());
      out.push_back({where, without, where, "required", name});
    }
    const auto additional = s.find("additionalProperties");
    if (additional != s.end() && additional->is_boolean() && !additional->get<bool>()) {
      json with = value;
      with["zz_extra"] = 1;
      out.push_back({where, with, child_pointer(where, "zz_extra"), "additionalProperties", false});
    }
    for (const auto& [name, property] : properties.items()) {
      if (!absent_by_direction(property, context) || value.contains(name)) continue;
      // Give a readOnly property to a request (writeOnly to a response): a value of its own
      // schema, so only the access rule breaks.
      json own = resolved(property, context);
      own.erase(context.direction == Direction::request ? "readOnly" : "writeOnly");
      json with = value;
      with[name] = valueFor(own, context);
      const char* rule = context.direction == Direction::request ? "readOnly" : "writeOnly";
      out.push_back({where, with, child_pointer(where, name), rule, true});
    }
    for (const auto& [name, member] : value.items()) {
      if (properties.contains(name)) {
        collectMutations(properties[name], member, child_pointer(where, name), context, out);
      } else if (additional != s.end() && additional->is_object()) {
        collectMutations(*additional, member, child_pointer(where, name), context, out);
      }
    }
  }
}

inline std::vector<Mutation> mutationsOf(const json& schema, const json& value, const Context& context) {
  std::vector<Mutation> out;
  collectMutations(schema, value, "", context, out);
  return out;
}

// ------------------------------------------------------------------------------ junk

inline const std::vector<std::string>& junk_keys() {
  static const std::vector<std::string> keys = {
      "type", "nullable", "properties", "required", "additionalProperties", "patternProperties", "items",
      "prefixItems", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format",
      "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const", "oneOf",
      "anyOf", "allOf", "not", "$ref", "readOnly", "writeOnly", "minProperties", "maxProperties",
      "discriminator", "a", "b", "x-y", ""};
  return keys;
}

inline json genJunkJson(int depth);

inline json genJunkScalar() {
  switch (*gens::uniform(0, 9)) {
    case 0:
      return nullptr;
    case 1:
      return *rc::gen::arbitrary<bool>();
    case 2:
      return *rc::gen::arbitrary<std::int64_t>();
    case 3:
      return *rc::gen::arbitrary<std::uint64_t>();
    case 4:
      return *gens::uniform(-100000, 100000) / 7.0;
    case 5:
      return *gens::uniform(-5, 70);
    case 6:
      return *rc::gen::elementOf(std::vector<std::string>{
          "string", "integer", "number", "object", "array", "boolean", "null", "email", "date-time", "uri", "ipv4",
          "ipv6", "sip-domain", "portsip-username", "(", "[a-", "^a+$", "(a|b)*c", "#", "#/a", "#/properties/a",
          "#/items", "#/$defs/x", "#/anyOf/0", "#/~2", "%zz"});
    case 7:
      return *rc::gen::elementOf(std::vector<double>{0.0, -0.0, 1e-300, 1e300, 0.1, -1.5});
    default:
      return text_of_length(*gens::uniform<std::size_t>(0, 6));
  }
}

inline json genJunkJson(int depth) {
  const int choice = *gens::uniform(0, depth > 0 ? 10 : 6);
  if (choice < 6) return genJunkScalar();
  const std::size_t count = *gens::uniform<std::size_t>(0, 4);
  if (choice < 8) {
    json array = json::array();
    for (std::size_t i = 0; i < count; ++i) array.push_back(genJunkJson(depth - 1));
    return array;
  }
  json object = json::object();
  for (std::size_t i = 0; i < count; ++i) object[*rc::gen::elementOf(junk_keys())] = genJunkJson(depth - 1);
  return object;
}

inline json genJunkSchema(int depth) {
  if (depth <= 0 || coin(8)) return genJunkJson(1);
  json schema = json::object();
  const std::size_t count = *gens::uniform<std::size_t>(0, 6);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string key = *rc::gen::elementOf(junk_keys());
    if (key == "properties" || key == "patternProperties") {
      json properties = json::object();
      for (std::size_t p = *gens::uniform<std::size_t>(0, 3); p > 0; --p)
        properties[*rc::gen::elementOf(junk_keys())] = genJunkSchema(depth - 1);
      schema[key] = coin(6) ? genJunkJson(1) : properties;
    } else if (key == "oneOf" || key == "anyOf" || key == "allOf" || key == "prefixItems") {
      json branches = json::array();
      for (std::size_t b = *gens::uniform<std::size_t>(0, 3); b > 0; --b) branches.push_back(genJunkSchema(depth - 1));
      schema[key] = branches;
    } else if (key == "items" || key == "not" || key == "additionalProperties") {
      schema[key] = genJunkSchema(depth - 1);
    } else {
      schema[key] = genJunkJson(1);
    }
  }
  return schema;
}

}  // namespace pbxmock::schema_gens
