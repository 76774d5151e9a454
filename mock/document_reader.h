#pragma once
// Reading a hand-written YAML/JSON document into a typed model while collecting every
// problem with its file:line:column: wrong types, missing keys, unknown keys (typo
// protection). One FieldReader reads one mapping; the loaders build on it.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/structured_document.h"

namespace pbxmock::mock {

using SourceErrors = std::vector<spec::SourceError>;

// "mapping", "list", "string", "integer", "number", "boolean", "nothing (null)".
std::string_view kind_name(const nlohmann::json& value);

class FieldReader {
 public:
  // Reads the mapping at `pointer`; when the value there is not a mapping, that is reported
  // once and every accessor answers "absent".
  FieldReader(const spec::StructuredDocument& document, std::string pointer, SourceErrors& errors);

  bool is_mapping() const noexcept { return object_ != nullptr; }
  const std::string& pointer() const noexcept { return pointer_; }
  std::string pointer_of(std::string_view key) const;

  // The value of a known key, or nullptr when absent. Every accessor marks its key as known.
  const nlohmann::json* get(std::string_view key);
  bool has(std::string_view key) const;

  // Typed accessors: absent answers nullopt (and reports a missing key when `required`); a
  // value of the wrong type is reported and answers nullopt.
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key, double min, double max);
  const nlohmann::json* list(std::string_view key);
  const nlohmann::json* mapping(std::string_view key);

  // Reports each key never asked for as unknown, naming the keys that are allowed.
  void finish();

  // A problem with the value of `key` (at the value's position).
  void error(std::string_view key, std::string message);
  // A problem with the mapping itself (at its position).
  void error_here(std::string message);

  const spec::StructuredDocument& document() const noexcept { return document_; }
  SourceErrors& errors() noexcept { return errors_; }

 private:
  const spec::StructuredDocument& document_;
  std::string pointer_;
  SourceErrors& errors_;
  const nlohmann::json* object_ = nullptr;
  std::set<std::string, std::less<>> known_;
};

// "<pointer>: <message>" at the value's position; pointer "" reads as "/".
void report(const spec::StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
            std::string message);
// "<pointer>: expected <what>, got <kind>" (with a hint to quote numbers meant as text).
void report_type(const spec::StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
                 std::string_view expected, const nlohmann::json& seen);

// "line 12, column 5" for messages that point back at an earlier value.
std::string describe_position(const spec::SourcePosition& position);

}  // namespace pbxmock::mock
