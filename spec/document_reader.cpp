#include "spec/document_reader.h"

#include <algorithm>
#include <tuple>

namespace pbxmock::spec {

using nlohmann::json;

std::string to_string(const SourceErrors& errors) {
  std::string out;
  for (const auto& error : errors) out += (out.empty() ? "" : "\n") + error.to_string();
  return out;
}

std::string_view kind_name(json::value_t kind) {
  switch (kind) {
    case json::value_t::object: return "a mapping";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::null: return "null";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: break;
  }
  return "nothing";
}

std::string_view kind_name(const json& value) { return kind_name(value.type()); }

std::string unknown_key_message(std::string_view key, const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + name;
  return "unknown key '" + std::string(key) + "' (allowed: " + list + ")";
}

std::string describe_position(const SourcePosition& position) {
  if (position.line == 0) return "an unknown position";
  return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
}

void sort_by_position(SourceErrors& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const SourceError& a, const SourceError& b) {
    return std::tie(a.position.line, a.position.column) < std::tie(b.position.line, b.position.column);
  });
}

void report(const StructuredDocument& document, SourceErrors& errors, std::string_view pointer, std::string message) {
  const std::string where = pointer.empty() ? "/" : std::string(pointer);
  errors.push_back(document.error_at(pointer, where + ": " + message));
}

std::string type_message(std::string_view expected, const json& seen) {
  std::string message = "expected " + std::string(expected) + ", got " + std::string(kind_name(seen));
  // YAML reads 1234 or true as a number or a boolean: the usual fix is quoting.
  if (expected == kind_name(json::value_t::string) && (seen.is_number() || seen.is_boolean()))
    message += " (quote it to make it text)";
  return message;
}

void report_type(const StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
                 std::string_view expected, const json& seen) {
  report(document, errors, pointer, type_message(expected, seen));
}

FirstSeen::FirstSeen(const StructuredDocument& document, std::string what, std::string note)
    : document_(document), what_(std::move(what)), note_(std::move(note)) {}

std::optional<std::string> FirstSeen::repeat(const std::string& key, std::string_view name, const std::string& pointer) {
  const auto [it, fresh] = first_.emplace(key, pointer);
  if (fresh) return std::nullopt;
  return "duplicate " + what_ + " '" + std::string(name) + "' (" + (note_.empty() ? "" : note_ + "; ") + "first at " +
         describe_position(document_.position_of(it->second)) + ")";
}

FieldReader::FieldReader(const StructuredDocument& document, std::string pointer, SourceErrors& errors, Prefix prefix)
    : document_(document), pointer_(std::move(pointer)), errors_(errors), prefix_(prefix), errors_before_(errors.size()) {
  const json* value = nullptr;
  try {
    value = &document_.root().at(json::json_pointer(pointer_));
  } catch (const std::exception&) {
    value = nullptr;
  }
  if (value && value->is_object()) {
    object_ = value;
  } else if (value) {
    put(pointer_, type_message(kind_name(json::value_t::object), *value));
  } else {
    put(pointer_, "expected " + std::string(kind_name(json::value_t::object)));
  }
}

std::string FieldReader::pointer_of(std::string_view key) const { return pointer_append(pointer_, key); }

bool FieldReader::has(std::string_view key) const {
  return object_ != nullptr && object_->find(std::string(key)) != object_->end();
}

const json* FieldReader::get(std::string_view key) {
  allow({key});
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(std::string(key));
  return it == object_->end() ? nullptr : &*it;
}

template <typename Accepts>
const json* FieldReader::typed(std::string_view key, std::string_view expected, Accepts accepts) {
  const json* value = get(key);
  if (value == nullptr || accepts(*value)) return value;
  put(pointer_of(key), type_message(expected, *value));
  return nullptr;
}

bool FieldReader::in_range(std::string_view key, const json& value, bool in, const std::string& min,
                           const std::string& max) {
  if (!in) error(key, "must be between " + min + " and " + max + ", got " + value.dump());
  return in;
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required) {
  if (required) require(key);
  const json* value = typed(key, kind_name(json::value_t::string), [](const json& v) { return v.is_string(); });
  if (value == nullptr) return std::nullopt;
  return value->get<std::string>();
}

std::optional<bool> FieldReader::boolean(std::string_view key) {
  const json* value = typed(key, kind_name(json::value_t::boolean), [](const json& v) { return v.is_boolean(); });
  if (value == nullptr) return std::nullopt;
  return value->get<bool>();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const json* value =
      typed(key, kind_name(json::value_t::number_integer), [](const json& v) { return v.is_number_integer(); });
  if (value == nullptr) return std::nullopt;
  // An unsigned value beyond int64 is out of every range we accept.
  const bool fits = !value->is_number_unsigned() || value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max);
  const auto n = value->get<std::int64_t>();
  if (!in_range(key, *value, fits && n >= min && n <= max, std::to_string(min), std::to_string(max))) return std::nullopt;
  return n;
}

std::optional<double> FieldReader::number(std::string_view key, double min, double max) {
  const json* value = typed(key, kind_name(json::value_t::number_float), [](const json& v) { return v.is_number(); });
  if (value == nullptr) return std::nullopt;
  const double n = value->get<double>();
  if (!in_range(key, *value, n >= min && n <= max, json(min).dump(), json(max).dump())) return std::nullopt;
  return n;
}

const json* FieldReader::list(std::string_view key) {
  return typed(key, kind_name(json::value_t::array), [](const json& v) { return v.is_array(); });
}

const json* FieldReader::mapping(std::string_view key) {
  return typed(key, kind_name(json::value_t::object), [](const json& v) { return v.is_object(); });
}

void FieldReader::require(std::string_view key) {
  if (object_ != nullptr && !has(key)) error_here("missing required key '" + std::string(key) + "'");
}

void FieldReader::allow(std::initializer_list<std::string_view> keys) {
  for (const auto key : keys)
    if (allowed_set_.emplace(key).second) allowed_.emplace_back(key);
}

void FieldReader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    if (allowed_set_.count(key) != 0) continue;
    key_error(key, unknown_key_message(key, allowed_));
  }
}

void FieldReader::put(const std::string& pointer, std::string message, bool at_key) {
  if (prefix_ == Prefix::pointer) message = (pointer.empty() ? "/" : pointer) + ": " + message;
  errors_.push_back(at_key ? document_.error_at_key(pointer, std::move(message))
                           : document_.error_at(pointer, std::move(message)));
}

void FieldReader::error(std::string_view key, std::string message) { put(pointer_of(key), std::move(message)); }

void FieldReader::key_error(std::string_view key, std::string message) {
  put(pointer_of(key), std::move(message), true);
}

void FieldReader::error_here(std::string message) { put(pointer_, std::move(message)); }

}  // namespace pbxmock::spec
