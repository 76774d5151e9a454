#pragma once
// Local `$ref`s of an OpenAPI document: "#/components/schemas/User" style URI fragments
// holding a JSON Pointer. Other files and URLs are not supported (the mock reads one file).
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "spec/result.h"
#include "spec/structured_document.h"

namespace pbxmock::spec {

// The JSON Pointer a local reference names ("#/a%20b/c" -> "/a b/c", "#" -> ""); nullopt
// when the reference is not a local one or its %XX escapes are broken.
std::optional<std::string> local_ref_pointer(std::string_view ref);

// What a local reference ("#", "#/components/schemas/Error", with ~0 ~1 and %XX escapes)
// names inside root; nullptr when it names nothing or is not local. Never throws.
const nlohmann::json* resolve_local_ref(const nlohmann::json& root, std::string_view ref) noexcept;

struct Resolved {
  const nlohmann::json* value = nullptr;
  std::string pointer;
};

// How far follow_refs goes through a `$ref` object that also has other members.
enum class RefSiblings {
  ignored,     // OpenAPI objects (parameters, responses, ...) and 3.0 schemas: always follow
  annotations  // 3.1 schemas: follow only if the other members are annotations (description...)
};

// Follows `value` (found at `pointer`) through a chain of `$ref`s to what it finally names.
// Errors, at the offending `$ref`: not a string, not local, no such target, a cycle.
Result<Resolved, SourceError> follow_refs(const StructuredDocument& doc, const nlohmann::json& value,
                                          std::string pointer, RefSiblings siblings = RefSiblings::ignored);

// Checks that every `$ref` in the document (skipping literal values: example, default,
// const, enum, and Example Objects' value) is local, names something, and does not lead
// into a cycle of references. Schemas that recurse through properties are fine.
std::optional<SourceError> check_refs(const StructuredDocument& doc);

}  // namespace pbxmock::spec
