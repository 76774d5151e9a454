#pragma once
// YAML or JSON text as one in-memory model (nlohmann::json), with the source position of
// every value kept, so that any later check (OpenAPI, scenario, contract) can say
// file:line:column. YAML is read by yaml-cpp, JSON by nlohmann/json.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "spec/result.h"

namespace pbxmock::spec {

struct SourcePosition {
  std::size_t line = 0;    // 1-based; 0 when unknown
  std::size_t column = 0;  // 1-based
};

// A problem in a file a person wrote: rendered `file:line:column: message`.
struct SourceError {
  std::string file;
  SourcePosition position;
  std::string message;
  std::string to_string() const;
};

struct StructuredLimits {
  std::size_t max_depth = 256;          // nesting levels; deeper input is refused, not recursed into
  std::size_t max_nodes = 4'000'000;    // values after alias expansion ("billion laughs")
  // Bytes the values may take after alias expansion (text of scalars and keys, plus a few bytes
  // a value): expansion_factor times the input, at least min_expanded_bytes, at most
  // max_expanded_bytes. Counted while expanding, so an anchored 300 kB string used 100,000
  // times is refused after a few copies instead of asking for 28 GiB.
  std::size_t expansion_factor = 4;
  std::size_t min_expanded_bytes = 1024 * 1024;
  std::size_t max_expanded_bytes = 256 * 1024 * 1024;
};

class PositionIndex;

class StructuredDocument {
 public:
  StructuredDocument(nlohmann::json root, std::string file, std::shared_ptr<const PositionIndex> index);

  const nlohmann::json& root() const noexcept { return root_; }
  const std::string& file() const noexcept { return file_; }

  // Where the value at `pointer` starts; for a pointer with no recorded position, the
  // nearest enclosing value's. For JSON input the index is built on first use.
  SourcePosition position_of(std::string_view pointer) const;
  // Where the key of the member at `pointer` starts (for "unknown key" style errors);
  // falls back to position_of.
  SourcePosition key_position_of(std::string_view pointer) const;

  SourceError error_at(std::string_view pointer, std::string message) const;
  SourceError error_at_key(std::string_view pointer, std::string message) const;

 private:
  nlohmann::json root_;
  std::string file_;
  std::shared_ptr<const PositionIndex> index_;
};

// Text that starts with '{' or '[' is read as JSON, anything else as YAML 1.2 (in YAML,
// quoted scalars are strings and plain ones follow the core schema: null, bool, int,
// float, string). Duplicate keys, non-scalar keys, too deep or too large input are errors.
Result<StructuredDocument, SourceError> parse_structured(std::string_view text, std::string file,
                                                         const StructuredLimits& limits = {});

Result<StructuredDocument, SourceError> load_structured_file(const std::string& path,
                                                             const StructuredLimits& limits = {});

// Appends one reference token to a JSON Pointer, escaping '~' and '/'.
std::string pointer_append(std::string_view pointer, std::string_view token);

}  // namespace pbxmock::spec
