#include "spec/schema_validator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>

#include "spec/formats.h"
#include "spec/ref_resolver.h"
#include "spec/safe_regex.h"

namespace pbxmock::spec {

using nlohmann::json;

// ============================================================================ patterns

namespace {

// Unicode code points of UTF-8 text: every byte that is not a continuation byte starts one.
// Invalid UTF-8 (possible in json built in code) is counted byte by byte, without harm.
std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// The text with every byte that does not start a well-formed UTF-8 sequence replaced by U+FFFD,
// so that a pattern sees one character there, as it sees the code point count (nlohmann::json
// refuses such text when parsing, but code can build it). nullopt when it is well formed.
std::optional<std::string> repaired_utf8(std::string_view text) {
  std::string out;
  bool repaired = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = length != 0 && text.size() - i >= length;
    for (std::size_t k = 1; ok && k < length; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      if (!repaired) out.assign(text.substr(0, i));
      repaired = true;
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (repaired) out.append(text.substr(i, length));
    i += length;
  }
  if (!repaired) return std::nullopt;
  return out;
}

}  // namespace

// Compiled patterns, keyed by their text. Entries are never removed while the cache lives, so
// a pointer to one stays valid; past kMaxEntries new patterns are compiled per call instead.
class SchemaValidator::PatternCache {
 public:
  struct Entry {
    std::optional<SafeRegex> regex;  // UTF-8, so code point semantics
    std::string error;               // non-empty: the pattern cannot be used
  };

  static constexpr std::size_t kMaxEntries = 1024;

  // Never nullptr; an uncached entry is parked in overflow, which the caller keeps alive.
  const Entry* get(const std::string& pattern, std::size_t max_length, std::vector<std::unique_ptr<Entry>>& overflow) {
    {
      std::shared_lock lock(mutex_);
      const auto found = entries_.find(pattern);
      if (found != entries_.end()) return &found->second;
    }
    Entry compiled = compile(pattern, max_length);
    std::unique_lock lock(mutex_);
    if (entries_.size() < kMaxEntries) return &entries_.try_emplace(pattern, std::move(compiled)).first->second;
    overflow.push_back(std::make_unique<Entry>(std::move(compiled)));
    return overflow.back().get();
  }

 private:
  static Entry compile(const std::string& pattern, std::size_t max_length) {
    Entry entry;
    if (pattern.size() > max_length) {
      entry.error = "pattern is longer than " + std::to_string(max_length) + " bytes";
      return entry;
    }
    auto compiled = SafeRegex::compile(pattern);
    if (compiled)
      entry.regex = std::move(compiled).value();
    else
      entry.error = compiled.error();
    return entry;
  }

  std::shared_mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// ============================================================================ the walk

namespace {

using PatternEntry = SchemaValidator::PatternCache::Entry;

// One step from the root of the instance to the value being checked. Only rendered into a
// JSON Pointer when a violation is recorded: the happy path builds no strings.
struct Path {
  const Path* parent;
  const std::string* key;  // nullptr: an array index
  std::size_t index;
};

std::string render(const Path* path) {
  std::vector<const Path*> steps;
  for (; path != nullptr; path = path->parent) steps.push_back(path);
  json::json_pointer pointer;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->key != nullptr) {
      pointer /= *(*it)->key;
    } else {
      pointer /= (*it)->index;
    }
  }
  return pointer.to_string();
}

std::string dump(const json& value, std::size_t max_chars = 80) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_chars) {
    text.resize(max_chars);
    text += "...";
  }
  return text;
}

enum Keyword : int {
  k_ref,
  k_type,
  k_nullable,
  k_enum,
  k_const,
  k_read_only,
  k_write_only,
  k_min_length,
  k_max_length,
  k_pattern,
  k_format,
  k_minimum,
  k_maximum,
  k_exclusive_minimum,
  k_exclusive_maximum,
  k_multiple_of,
  k_required,
  k_properties,
  k_pattern_properties,
  k_additional_properties,
  k_min_properties,
  k_max_properties,
  k_items,
  k_prefix_items,
  k_min_items,
  k_max_items,
  k_unique_items,
  k_all_of,
  k_any_of,
  k_one_of,
  k_not,
  k_if,
  k_then,
  k_else,
  k_count,
};

// The keyword a schema member names, or nullopt: a switch on the length, then fixed-size compares
// (this runs for every member of every schema applied, so no strlen and no library call).
template <std::size_t N>
bool same(const char* data, const char (&word)[N]) noexcept {
  return std::memcmp(data, word, N - 1) == 0;  // constant size: the compiler inlines it
}

std::optional<Keyword> classify(const std::string& name) noexcept {
  const char* const key = name.data();
  // Every word compared below has exactly the length of its case.
  const auto named = [key](const auto& word) noexcept { return same(key, word); };
  switch (name.size()) {
    case 2:
      return named("if") ? std::optional<Keyword>(k_if) : std::nullopt;
    case 3:
      return named("not") ? std::optional<Keyword>(k_not) : std::nullopt;
    case 4:
      if (named("type")) return k_type;
      if (named("$ref")) return k_ref;
      if (named("enum")) return k_enum;
      if (named("then")) return k_then;
      if (named("else")) return k_else;
      return std::nullopt;
    case 5:
      if (named("items")) return k_items;
      if (named("const")) return k_const;
      if (named("oneOf")) return k_one_of;
      if (named("anyOf")) return k_any_of;
      if (named("allOf")) return k_all_of;
      return std::nullopt;
    case 6:
      return named("format") ? std::optional<Keyword>(k_format) : std::nullopt;
    case 7:
      if (named("pattern")) return k_pattern;
      if (named("minimum")) return k_minimum;
      if (named("maximum")) return k_maximum;
      return std::nullopt;
    case 8:
      if (named("required")) return k_required;
      if (named("nullable")) return k_nullable;
      if (named("readOnly")) return k_read_only;
      if (named("minItems")) return k_min_items;
      if (named("maxItems")) return k_max_items;
      return std::nullopt;
    case 9:
      if (named("maxLength")) return k_max_length;
      if (named("minLength")) return k_min_length;
      if (named("writeOnly")) return k_write_only;
      return std::nullopt;
    case 10:
      if (named("properties")) return k_properties;
      if (named("multipleOf")) return k_multiple_of;
      return std::nullopt;
    case 11:
      if (named("prefixItems")) return k_prefix_items;
      if (named("uniqueItems")) return k_unique_items;
      return std::nullopt;
    case 13:
      if (named("minProperties")) return k_min_properties;
      if (named("maxProperties")) return k_max_properties;
      return std::nullopt;
    case 16:
      if (named("exclusiveMinimum")) return k_exclusive_minimum;
      if (named("exclusiveMaximum")) return k_exclusive_maximum;
      return std::nullopt;
    case 17:
      return named("patternProperties") ? std::optional<Keyword>(k_pattern_properties) : std::nullopt;
    case 20:
      return named("additionalProperties") ? std::optional<Keyword>(k_additional_properties) : std::nullopt;
    default:
      return std::nullopt;
  }
}

bool is_true(const json* value) noexcept { return value != nullptr && value->is_boolean() && value->get<bool>(); }

bool is_integral(const json& number) noexcept {
  if (number.is_number_integer()) return true;  // signed or unsigned
  if (!number.is_number_float()) return false;
  const double value = number.get<double>();
  return std::isfinite(value) && std::floor(value) == value;
}

// The instance's JSON Schema type name, for messages.
const char* type_name(const json& value) noexcept {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return is_integral(value) ? "integer" : "number";
    case json::value_t::binary:
    case json::value_t::discarded:
      return "unknown";
  }
  return "unknown";
}

// Whether value has the named type; nullopt when the name is not a JSON Schema type.
std::optional<bool> has_type(const json& value, const std::string& name) noexcept {
  const char* const key = name.data();
  switch (name.size()) {
    case 4:
      return same(key, "null") ? std::optional<bool>(value.is_null()) : std::nullopt;
    case 5:
      return same(key, "array") ? std::optional<bool>(value.is_array()) : std::nullopt;
    case 6:
      if (same(key, "string")) return value.is_string();
      if (same(key, "object")) return value.is_object();
      if (same(key, "number")) return value.is_number();
      return std::nullopt;
    case 7:
      if (same(key, "integer")) return is_integral(value);
      if (same(key, "boolean")) return value.is_boolean();
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

long double as_long_double(const json& number) noexcept {
  switch (number.type()) {
    case json::value_t::number_integer:
      return static_cast<long double>(number.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return static_cast<long double>(number.get<std::uint64_t>());
    default:
      return static_cast<long double>(number.get<double>());
  }
}

// -1, 0, 1 as a <, ==, > b; both are numbers. Integers compare exactly.
int compare_numbers(const json& a, const json& b) noexcept {
  const bool a_int = a.is_number_integer();
  const bool b_int = b.is_number_integer();
  if (a_int && b_int) {
    const bool a_neg = a.is_number_unsigned() ? false : a.get<std::int64_t>() < 0;
    const bool b_neg = b.is_number_unsigned() ? false : b.get<std::int64_t>() < 0;
    if (a_neg != b_neg) return a_neg ? -1 : 1;
    if (a_neg) {
      const auto x = a.get<std::int64_t>();
      const auto y = b.get<std::int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    const auto x = a.is_number_unsigned() ? a.get<std::uint64_t>() : static_cast<std::uint64_t>(a.get<std::int64_t>());
    const auto y = b.is_number_unsigned() ? b.get<std::uint64_t>() : static_cast<std::uint64_t>(b.get<std::int64_t>());
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const long double x = as_long_double(a);
  const long double y = as_long_double(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::uint64_t magnitude(const json& integer) noexcept {
  if (integer.is_number_unsigned()) return integer.get<std::uint64_t>();
  const std::int64_t value = integer.get<std::int64_t>();
  return value < 0 ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
}

bool is_multiple_of(const json& value, const json& divisor) noexcept {
  if (value.is_number_integer() && divisor.is_number_integer()) return magnitude(value) % magnitude(divisor) == 0;
  const double x = value.get<double>();
  const double m = divisor.get<double>();
  if (std::fabs(x / m) >= 9007199254740992.0) return true;  // past 2^53 every double quotient is whole
  const double remainder = std::fabs(std::fmod(x, m));
  const double tolerance = 1e-9 * std::fabs(m);
  return remainder <= tolerance || std::fabs(std::fabs(m) - remainder) <= tolerance;
}

bool is_positive_number(const json* value) noexcept {
  if (value == nullptr || !value->is_number()) return false;
  if (value->is_number_unsigned()) return value->get<std::uint64_t>() > 0;
  if (value->is_number_integer()) return value->get<std::int64_t>() > 0;
  return value->get<double>() > 0;
}

// A length-like limit (minLength 3): true when count breaks it in the given direction.
bool below(std::size_t count, const json& limit) noexcept {
  return limit.is_number() && static_cast<long double>(count) < as_long_double(limit);
}
bool above(std::size_t count, const json& limit) noexcept {
  return limit.is_number() && static_cast<long double>(count) > as_long_double(limit);
}

// What one validate() call shares between the walk and its probes.
struct Shared {
  const SchemaValidator::Limits& limits;
  const RefResolver& resolver;
  SchemaValidator::PatternCache& patterns;
  Direction direction;
  std::size_t steps = 0;
  bool aborted = false;  // the step budget ran out: everything unwinds as invalid
  std::string abort_pointer;
  std::vector<std::unique_ptr<PatternEntry>> overflow_patterns;

  Shared(const SchemaValidator::Limits& l, const RefResolver& r, SchemaValidator::PatternCache& p, Direction d)
      : limits(l), resolver(r), patterns(p), direction(d) {}
};

class Walk {
 public:
  // out == nullptr: a probe that only counts (for anyOf, oneOf, not and is_valid).
  Walk(Shared& shared, std::vector<Violation>* out, std::size_t max) : shared_(shared), out_(out), max_(max) {}

  // Applies schema to instance; true when it found no violation.
  bool apply(const json& schema, const json& instance, const Path* path, std::size_t ref_hops, std::size_t depth) {
    if (shared_.aborted) return false;
    if (++shared_.steps > shared_.limits.max_steps) {
      shared_.aborted = true;
      shared_.abort_pointer = render(path);
      return false;
    }
    if (schema.is_boolean()) {
      if (schema.get<bool>()) return true;
      add(path, "false", nullptr, [] { return std::string("the schema `false` accepts no value"); });
      return false;
    }
    if (!schema.is_object()) return true;
    if (depth > shared_.limits.max_depth) {
      add(path, "depth", shared_.limits.max_depth,
          [&] { return "schemas nested deeper than " + std::to_string(shared_.limits.max_depth); });
      return false;
    }

    const json* kw[k_count] = {};
    for (const auto& [key, value] : schema.get_ref<const json::object_t&>()) {
      if (const auto k = classify(key)) kw[*k] = &value;
    }

    const std::size_t before = count_;
    if (check_access(kw, path)) {
      check_type(kw, instance, path);
      check_values(kw, instance, path);
      if (instance.is_string()) check_string(kw, instance.get_ref<const std::string&>(), path);
      if (instance.is_number()) check_number(kw, instance, path);
      if (instance.is_object()) check_object(kw, instance, path, depth);
      if (instance.is_array()) check_array(kw, instance, path, depth);
      check_ref(kw, instance, path, ref_hops, depth);
      check_combinators(kw, instance, path, ref_hops, depth);
    }
    return count_ == before && !shared_.aborted;
  }

 private:
  bool full() const noexcept { return count_ >= max_ || shared_.aborted; }

  bool recording() const noexcept { return out_ != nullptr && out_->size() < max_ && !shared_.aborted; }

  // Counts a violation; renders it (pointer, limit, message) only when this walk records.
  template <typename Message>
  void add(const Path* path, const char* rule, const json& limit, Message&& message) {
    if (shared_.aborted) return;
    ++count_;
    if (recording()) out_->push_back({render(path), rule, limit, message()});
  }

  // readOnly in a request, writeOnly in a response: the value should not be here at all.
  bool check_access(const json* const* kw, const Path* path) {
    if (shared_.direction == Direction::request && is_true(kw[k_read_only])) {
      add(path, "readOnly", true, [] { return std::string("read-only value is not allowed in a request"); });
      return false;
    }
    if (shared_.direction == Direction::response && is_true(kw[k_write_only])) {
      add(path, "writeOnly", true, [] { return std::string("write-only value is not allowed in a response"); });
      return false;
    }
    return true;
  }

  void check_type(const json* const* kw, const json& instance, const Path* path) {
    const json* type = kw[k_type];
    if (type == nullptr || full()) return;
    bool known = false;
    bool matches = false;
    if (type->is_string()) {
      const auto result = has_type(instance, type->get_ref<const std::string&>());
      known = result.has_value();
      matches = result.value_or(false);
    } else if (type->is_array()) {
      for (const auto& name : *type) {
        if (!name.is_string()) continue;
        const auto result = has_type(instance, name.get_ref<const std::string&>());
        known = known || result.has_value();
        if (result.value_or(false)) {
          matches = true;
          break;
        }
      }
    }
    if (!known || matches) return;
    const bool nullable = is_true(kw[k_nullable]);  // OpenAPI 3.0
    if (nullable && instance.is_null()) return;
    if (!recording()) {
      add(path, "type", nullptr, [] { return std::string(); });
      return;
    }
    json limit = *type;
    if (nullable) {
      if (!limit.is_array()) limit = json::array({limit});
      limit.push_back("null");
    }
    add(path, "type", limit, [&] {
      const std::string wanted = limit.is_string() ? limit.get<std::string>() : dump(limit);
      return "expected " + wanted + ", found " + type_name(instance);
    });
  }

  void check_values(const json* const* kw, const json& instance, const Path* path) {
    if (const json* constant = kw[k_const]; constant != nullptr && !full() && instance != *constant) {
      add(path, "const", *constant, [&] { return "value is not the constant " + dump(*constant); });
    }
    if (const json* values = kw[k_enum]; values != nullptr && values->is_array() && !full()) {
      if (std::none_of(values->begin(), values->end(), [&](const json& v) { return v == instance; })) {
        add(path, "enum", *values, [&] { return "value is not one of " + dump(*values); });
      }
    }
  }

  void check_string(const json* const* kw, const std::string& text, const Path* path) {
    // A UTF-8 string of n bytes holds between n/4 and n code points: most strings pass both
    // bounds on their byte count alone, and are only counted when that cannot decide.
    const json* min = kw[k_min_length];
    const json* max = kw[k_max_length];
    const bool settle_min = min == nullptr || !below((text.size() + 3) / 4, *min);
    const bool settle_max = max == nullptr || !above(text.size(), *max);
    if (!settle_min || !settle_max) {
      const std::size_t length = count_code_points(text);
      if (min != nullptr && !full() && below(length, *min)) {
        add(path, "minLength", *min, [&] {
          return "string of " + std::to_string(length) + " characters is shorter than minLength " + dump(*min);
        });
      }
      if (max != nullptr && !full() && above(length, *max)) {
        add(path, "maxLength", *max, [&] {
          return "string of " + std::to_string(length) + " characters is longer than maxLength " + dump(*max);
        });
      }
    }
    if (const json* pattern = kw[k_pattern]; pattern != nullptr && pattern->is_string() && !full()) {
      const std::string& source = pattern->get_ref<const std::string&>();
      std::string problem;
      const int matched = match(source, text, problem);
      if (matched < 0) {
        add(path, "pattern", source, [&] { return problem; });
      } else if (matched == 0) {
        add(path, "pattern", source, [&] { return "string does not match the pattern " + dump(*pattern); });
      }
    }
    if (const json* format = kw[k_format]; format != nullptr && format->is_string() && !full()) {
      const std::string& name = format->get_ref<const std::string&>();
      if (const FormatCheck failure = check_format(name, text)) {
        add(path, "format", name, [&] {
          return "not a valid " + name + ": " + std::string(failure->rule) + " at " + std::to_string(failure->position);
        });
      }
    }
  }

  // 1 matched, 0 did not, -1 the pattern cannot be used here (problem says why).
  int match(const std::string& source, const std::string& text, std::string& problem) {
    const PatternEntry* entry = shared_.patterns.get(source, shared_.limits.max_pattern_length, shared_.overflow_patterns);
    if (!entry->error.empty()) {
      problem = "invalid pattern: " + entry->error;
      return -1;
    }
    const std::size_t length = count_code_points(text);
    if (length > shared_.limits.max_pattern_subject) {
      problem = "string of " + std::to_string(length) + " characters is too long to match against a pattern (limit " +
                std::to_string(shared_.limits.max_pattern_subject) + ")";
      return -1;
    }
    if (const auto repaired = repaired_utf8(text)) return entry->regex->search(*repaired) ? 1 : 0;
    return entry->regex->search(text) ? 1 : 0;
  }

  void check_number(const json* const* kw, const json& instance, const Path* path) {
    // minimum, with the 3.0 boolean exclusiveMinimum; then the 3.1 numeric exclusiveMinimum.
    check_bound(kw[k_minimum], kw[k_exclusive_minimum], instance, path, -1);
    check_bound(kw[k_maximum], kw[k_exclusive_maximum], instance, path, 1);
    if (const json* divisor = kw[k_multiple_of]; is_positive_number(divisor) && !full()) {
      if (!is_multiple_of(instance, *divisor)) {
        add(path, "multipleOf", *divisor,
            [&] { return dump(instance) + " is not a multiple of " + dump(*divisor); });
      }
    }
  }

  // side -1: a lower bound (minimum), 1: an upper bound (maximum).
  void check_bound(const json* inclusive, const json* exclusive, const json& instance, const Path* path, int side) {
    const char* inclusive_rule = side < 0 ? "minimum" : "maximum";
    const char* exclusive_rule = side < 0 ? "exclusiveMinimum" : "exclusiveMaximum";
    if (inclusive != nullptr && inclusive->is_number() && !full()) {
      const bool strict = is_true(exclusive);  // OpenAPI 3.0 form
      const int order = compare_numbers(instance, *inclusive) * side;  // > 0: beyond the bound
      if (order > 0 || (strict && order == 0)) {
        add(path, strict ? exclusive_rule : inclusive_rule, *inclusive, [&] {
          return dump(instance) + (side < 0 ? " is less than " : " is greater than ") + (strict ? "or equal to " : "") +
                 (strict ? exclusive_rule : inclusive_rule) + " " + dump(*inclusive);
        });
      }
    }
    if (exclusive != nullptr && exclusive->is_number() && !full()) {  // OpenAPI 3.1 form
      const int order = compare_numbers(instance, *exclusive) * side;
      if (order >= 0) {
        add(path, exclusive_rule, *exclusive, [&] {
          return dump(instance) + (side < 0 ? " is less than or equal to " : " is greater than or equal to ") +
                 exclusive_rule + " " + dump(*exclusive);
        });
      }
    }
  }

  // The member of an object schema, or nullptr.
  static const json* member(const json& object, std::string_view key) noexcept {
    if (!object.is_object()) return nullptr;
    const auto& map = object.get_ref<const json::object_t&>();
    const auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
  }

  // The schema a property's `$ref` chain ends at (a few hops), to see whether it is readOnly.
  const json* deref(const json* schema) {
    for (int hop = 0; hop < 8 && schema != nullptr; ++hop) {
      const json* ref = member(*schema, "$ref");
      if (ref == nullptr || !ref->is_string()) return schema;
      schema = resolve(ref->get_ref<const std::string&>());
    }
    return schema;
  }

  const json* resolve(const std::string& ref) {
    if (!shared_.resolver) return nullptr;
    try {
      return shared_.resolver(ref);
    } catch (...) {
      return nullptr;
    }
  }

  // A required property whose schema says readOnly need not be in a request (writeOnly: response).
  bool exempt_from_required(const json* properties, const std::string& name) {
    if (properties == nullptr) return false;
    const json* schema = deref(member(*properties, name));
    if (schema == nullptr) return false;
    return is_true(member(*schema, shared_.direction == Direction::request ? "readOnly" : "writeOnly"));
  }

  void check_object(const json* const* kw, const json& instance, const Path* path, std::size_t depth) {
    const auto& object = instance.get_ref<const json::object_t&>();
    if (const json* required = kw[k_required]; required != nullptr && required->is_array()) {
      for (const auto& name : *required) {
        if (full()) return;
        if (!name.is_string()) continue;
        const std::string& key = name.get_ref<const std::string&>();
        if (object.find(key) != object.end() || exempt_from_required(kw[k_properties], key)) continue;
        add(path, "required", name, [&] { return "missing required property " + dump(name); });
      }
    }
    if (const json* limit = kw[k_min_properties]; limit != nullptr && !full() && below(object.size(), *limit)) {
      add(path, "minProperties", *limit, [&] {
        return "object with " + std::to_string(object.size()) + " properties has fewer than minProperties " + dump(*limit);
      });
    }
    if (const json* limit = kw[k_max_properties]; limit != nullptr && !full() && above(object.size(), *limit)) {
      add(path, "maxProperties", *limit, [&] {
        return "object with " + std::to_string(object.size()) + " properties has more than maxProperties " + dump(*limit);
      });
    }

    const json* properties = kw[k_properties] != nullptr && kw[k_properties]->is_object() ? kw[k_properties] : nullptr;
    const json* patterns = kw[k_pattern_properties] != nullptr && kw[k_pattern_properties]->is_object()
                               ? kw[k_pattern_properties]
                               : nullptr;
    const json* additional = kw[k_additional_properties];
    if (properties == nullptr && patterns == nullptr && additional == nullptr) return;
    // The instance and `properties` are both maps sorted by key: walk them side by side.
    const json::object_t* declared_members = properties != nullptr ? &properties->get_ref<const json::object_t&>() : nullptr;
    auto next_declared = declared_members != nullptr ? declared_members->begin() : json::object_t::const_iterator{};
    for (const auto& [key, value] : object) {
      if (full()) return;
      const Path child{path, &key, 0};
      bool declared = false;
      if (declared_members != nullptr) {
        int order = 1;
        while (next_declared != declared_members->end() && (order = next_declared->first.compare(key)) < 0) ++next_declared;
        if (next_declared != declared_members->end() && order == 0) {
          declared = true;
          apply(next_declared->second, value, &child, 0, depth + 1);
        }
      }
      if (patterns != nullptr) {
        for (const auto& [source, schema] : patterns->get_ref<const json::object_t&>()) {
          std::string problem;
          const int matched = match(source, key, problem);
          if (matched < 0) {
            add(&child, "patternProperties", source, [&] { return problem; });
            declared = true;
          } else if (matched > 0) {
            declared = true;
            apply(schema, value, &child, 0, depth + 1);
          }
        }
      }
      if (declared || additional == nullptr) continue;
      if (additional->is_boolean() && !additional->get<bool>()) {
        add(&child, "additionalProperties", false,
            [] { return std::string("property is not allowed (additionalProperties is false)"); });
      } else {
        apply(*additional, value, &child, 0, depth + 1);
      }
    }
  }

  void check_array(const json* const* kw, const json& instance, const Path* path, std::size_t depth) {
    const auto& array = instance.get_ref<const json::array_t&>();
    if (const json* limit = kw[k_min_items]; limit != nullptr && !full() && below(array.size(), *limit)) {
      add(path, "minItems", *limit, [&] {
        return "array of " + std::to_string(array.size()) + " items is shorter than minItems " + dump(*limit);
      });
    }
    if (const json* limit = kw[k_max_items]; limit != nullptr && !full() && above(array.size(), *limit)) {
      add(path, "maxItems", *limit, [&] {
        return "array of " + std::to_string(array.size()) + " items is longer than maxItems " + dump(*limit);
      });
    }
    if (is_true(kw[k_unique_items]) && !full()) check_unique(array, path);

    // Positional schemas: 3.1 prefixItems, or the older tuple form of items.
    const json* tuple = kw[k_prefix_items] != nullptr && kw[k_prefix_items]->is_array() ? kw[k_prefix_items] : nullptr;
    const json* rest = kw[k_items];
    if (tuple == nullptr && rest != nullptr && rest->is_array()) {
      tuple = rest;
      rest = nullptr;
    }
    const std::size_t positional = tuple != nullptr ? std::min(tuple->size(), array.size()) : 0;
    for (std::size_t i = 0; i < positional && !full(); ++i) {
      const Path child{path, nullptr, i};
      apply((*tuple)[i], array[i], &child, 0, depth + 1);
    }
    if (rest == nullptr) return;
    for (std::size_t i = positional; i < array.size() && !full(); ++i) {
      const Path child{path, nullptr, i};
      apply(*rest, array[i], &child, 0, depth + 1);
    }
  }

  // Sorted by json's order (all numbers in one rank, 1 == 1.0); stable_sort stays in bounds
  // even if a NaN built in code makes the order inconsistent.
  void check_unique(const json::array_t& array, const Path* path) {
    std::vector<const json*> sorted;
    sorted.reserve(array.size());
    for (const auto& item : array) sorted.push_back(&item);
    std::stable_sort(sorted.begin(), sorted.end(), [](const json* a, const json* b) { return *a < *b; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (*sorted[i - 1] != *sorted[i]) continue;
      const auto first = static_cast<std::size_t>(sorted[i - 1] - array.data());
      const auto second = static_cast<std::size_t>(sorted[i] - array.data());
      add(path, "uniqueItems", true, [&] {
        return "items " + std::to_string(std::min(first, second)) + " and " + std::to_string(std::max(first, second)) +
               " are equal";
      });
      return;
    }
  }

  void check_ref(const json* const* kw, const json& instance, const Path* path, std::size_t ref_hops,
                 std::size_t depth) {
    const json* ref = kw[k_ref];
    if (ref == nullptr || !ref->is_string() || full()) return;
    const std::string& target_name = ref->get_ref<const std::string&>();
    if (ref_hops >= shared_.limits.max_ref_hops) {
      add(path, "$ref", target_name, [&] {
        return "more than " + std::to_string(shared_.limits.max_ref_hops) +
               " $refs in a row without reaching a value (a reference cycle?)";
      });
      return;
    }
    const json* target = resolve(target_name);
    if (target == nullptr) {
      add(path, "$ref", target_name, [&] { return "cannot resolve $ref " + dump(*ref); });
      return;
    }
    apply(*target, instance, path, ref_hops + 1, depth + 1);
  }

  // A probe of one alternative: counts, records nothing, shares the step budget.
  bool probe(const json& schema, const json& instance, const Path* path, std::size_t ref_hops, std::size_t depth) {
    Walk walk(shared_, nullptr, 1);
    return walk.apply(schema, instance, path, ref_hops, depth);
  }

  // The first violation of one failed alternative, for the message of anyOf / oneOf.
  std::string explain(const json& schema, const json& instance, const Path* path, std::size_t ref_hops,
                      std::size_t depth) {
    std::vector<Violation> found;
    Walk walk(shared_, &found, 1);
    walk.apply(schema, instance, path, ref_hops, depth);
    if (found.empty()) return "?";
    return found.front().rule + " at \"" + found.front().pointer + "\"";
  }

  void check_combinators(const json* const* kw, const json& instance, const Path* path, std::size_t ref_hops,
                         std::size_t depth) {
    if (const json* all = kw[k_all_of]; all != nullptr && all->is_array()) {
      for (const auto& schema : *all) {
        if (full()) return;
        apply(schema, instance, path, ref_hops, depth + 1);
      }
    }
    if (const json* any = kw[k_any_of]; any != nullptr && any->is_array() && !any->empty() && !full()) {
      const bool matched = std::any_of(any->begin(), any->end(), [&](const json& schema) {
        return probe(schema, instance, path, ref_hops, depth + 1);
      });
      if (!matched && !shared_.aborted) {
        add(path, "anyOf", nullptr, [&] {
          return "matches none of the " + std::to_string(any->size()) + " alternatives (the first fails " +
                 explain(any->front(), instance, path, ref_hops, depth + 1) + ")";
        });
      }
    }
    if (const json* one = kw[k_one_of]; one != nullptr && one->is_array() && !one->empty() && !full()) {
      std::size_t matches[2] = {};
      std::size_t count = 0;
      for (std::size_t i = 0; i < one->size() && count < 2; ++i) {
        if (probe((*one)[i], instance, path, ref_hops, depth + 1)) matches[count++] = i;
      }
      if (shared_.aborted) return;
      if (count == 0) {
        add(path, "oneOf", nullptr, [&] {
          return "matches none of the " + std::to_string(one->size()) + " alternatives (the first fails " +
                 explain(one->front(), instance, path, ref_hops, depth + 1) + ")";
        });
      } else if (count > 1) {
        add(path, "oneOf", nullptr, [&] {
          return "matches alternatives " + std::to_string(matches[0]) + " and " + std::to_string(matches[1]) +
                 " where exactly one must match";
        });
      }
    }
    // if/then/else: `if` only chooses the branch (its own failures are never reported), and
    // the branch's violations are the request's, with their own rules and pointers.
    if (const json* condition = kw[k_if]; condition != nullptr && !full()) {
      const bool holds = probe(*condition, instance, path, ref_hops, depth + 1);
      if (shared_.aborted) return;
      if (const json* branch = kw[holds ? k_then : k_else]; branch != nullptr) {
        apply(*branch, instance, path, ref_hops, depth + 1);
      }
    }
    if (const json* negated = kw[k_not]; negated != nullptr && !full()) {
      if (probe(*negated, instance, path, ref_hops, depth + 1) && !shared_.aborted) {
        add(path, "not", nullptr, [] { return std::string("value matches the schema under `not`"); });
      }
    }
  }

  Shared& shared_;
  std::vector<Violation>* out_;
  std::size_t max_;
  std::size_t count_ = 0;
};

}  // namespace

// ============================================================================ the validator

SchemaValidator::SchemaValidator(RefResolver resolver, Limits limits)
    : resolver_(std::move(resolver)), limits_(limits), patterns_(std::make_shared<PatternCache>()) {}

SchemaValidator::SchemaValidator(const json& document, Limits limits)
    : SchemaValidator([&document](std::string_view ref) { return resolve_local_ref(document, ref); }, limits) {}

std::vector<Violation> SchemaValidator::validate(const json& schema, const json& instance, Direction direction,
                                                 std::size_t max_violations) const noexcept {
  std::vector<Violation> out;
  const std::size_t max = std::max<std::size_t>(max_violations, 1);
  try {
    Shared shared(limits_, resolver_, *patterns_, direction);
    Walk walk(shared, &out, max);
    walk.apply(schema, instance, nullptr, 0, 0);
    if (shared.aborted) {
      if (out.size() >= max) out.pop_back();
      out.push_back({shared.abort_pointer, "budget", limits_.max_steps,
                     "validation stopped after " + std::to_string(limits_.max_steps) + " schema applications"});
    }
  } catch (...) {
    // Only std::bad_alloc should get here (resolver and regex failures are handled where they
    // happen). Report it if memory allows; if even that fails the answer may be empty.
    try {
      if (out.size() >= max) out.pop_back();
      out.push_back({"", "internal", nullptr, "validator failure (out of memory?)"});
    } catch (...) {
    }
  }
  return out;
}

bool SchemaValidator::is_valid(const json& schema, const json& instance, Direction direction) const noexcept {
  try {
    Shared shared(limits_, resolver_, *patterns_, direction);
    Walk walk(shared, nullptr, 1);
    return walk.apply(schema, instance, nullptr, 0, 0);
  } catch (...) {
    return false;
  }
}

}  // namespace pbxmock::spec
