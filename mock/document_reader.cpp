#include "mock/document_reader.h"

namespace pbxmock::mock {

std::string_view kind_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "mapping";
    case nlohmann::json::value_t::array: return "list";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::boolean: return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "integer";
    case nlohmann::json::value_t::number_float: return "number";
    case nlohmann::json::value_t::null: return "nothing (null)";
    default: return "something else";
  }
}

void report(const spec::StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
            std::string message) {
  const std::string where = pointer.empty() ? "/" : std::string(pointer);
  errors.push_back(document.error_at(pointer, where + ": " + message));
}

void report_type(const spec::StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
                 std::string_view expected, const nlohmann::json& seen) {
  std::string message = "expected " + std::string(expected) + ", got " + std::string(kind_name(seen));
  // YAML reads 1234 or true as a number or a boolean: the usual fix is quoting.
  if (expected == "a string" && (seen.is_number() || seen.is_boolean())) message += " (quote it to make it text)";
  report(document, errors, pointer, std::move(message));
}

std::string describe_position(const spec::SourcePosition& position) {
  if (position.line == 0) return "an unknown position";
  return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
}

FieldReader::FieldReader(const spec::StructuredDocument& document, std::string pointer, SourceErrors& errors)
    : document_(document), pointer_(std::move(pointer)), errors_(errors) {
  const nlohmann::json* value = nullptr;
  try {
    value = &document_.root().at(nlohmann::json::json_pointer(pointer_));
  } catch (const std::exception&) {
    value = nullptr;
  }
  if (value && value->is_object()) {
    object_ = value;
  } else if (value) {
    report_type(document_, errors_, pointer_, "a mapping", *value);
  } else {
    report(document_, errors_, pointer_, "expected a mapping");
  }
}

std::string FieldReader::pointer_of(std::string_view key) const { return spec::pointer_append(pointer_, key); }

bool FieldReader::has(std::string_view key) const {
  return object_ != nullptr && object_->find(std::string(key)) != object_->end();
}

const nlohmann::json* FieldReader::get(std::string_view key) {
  known_.emplace(key);
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(std::string(key));
  return it == object_->end() ? nullptr : &*it;
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) {
    if (required && object_ != nullptr) error_here("missing required key '" + std::string(key) + "'");
    return std::nullopt;
  }
  if (!value->is_string()) {
    report_type(document_, errors_, pointer_of(key), "a string", *value);
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<bool> FieldReader::boolean(std::string_view key) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    report_type(document_, errors_, pointer_of(key), "true or false", *value);
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    report_type(document_, errors_, pointer_of(key), "an integer", *value);
    return std::nullopt;
  }
  // An unsigned value beyond int64 is out of every range we accept.
  if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    error(key, "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  const auto n = value->get<std::int64_t>();
  if (n < min || n > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> FieldReader::number(std::string_view key, double min, double max) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) {
    report_type(document_, errors_, pointer_of(key), "a number", *value);
    return std::nullopt;
  }
  const double n = value->get<double>();
  if (!(n >= min && n <= max)) {
    error(key, "must be between " + nlohmann::json(min).dump() + " and " + nlohmann::json(max).dump() + ", got " +
                   value->dump());
    return std::nullopt;
  }
  return n;
}

const nlohmann::json* FieldReader::list(std::string_view key) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    report_type(document_, errors_, pointer_of(key), "a list", *value);
    return nullptr;
  }
  return value;
}

const nlohmann::json* FieldReader::mapping(std::string_view key) {
  const nlohmann::json* value = get(key);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    report_type(document_, errors_, pointer_of(key), "a mapping", *value);
    return nullptr;
  }
  return value;
}

void FieldReader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    if (known_.count(key) != 0) continue;
    std::string allowed;
    for (const auto& name : known_) allowed += (allowed.empty() ? "" : ", ") + name;
    const std::string pointer = pointer_of(key);
    errors_.push_back(document_.error_at_key(
        pointer, pointer + ": unknown key '" + key + "' (allowed here: " + allowed + ")"));
  }
}

void FieldReader::error(std::string_view key, std::string message) {
  report(document_, errors_, pointer_of(key), std::move(message));
}

void FieldReader::error_here(std::string message) { report(document_, errors_, pointer_, std::move(message)); }

}  // namespace pbxmock::mock
