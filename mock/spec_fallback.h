#pragma once
// Answers for the operations of a `--spec` document that the scenario does not cover (the
// vendor's 550 other operations, say): the success status the document gives, with the
// example it shows for that answer, else a value built from the answer's schema. The
// request has already been validated against the same document, and the bearer token
// checked, by the caller; this only makes up the answer.
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "mock/api_response.h"
#include "spec/openapi.h"

namespace pbxmock::mock {

struct SchemaSampleLimits {
  std::size_t max_depth = 10;     // nested schemas (recursive ones stop here with null)
  std::size_t max_nodes = 5'000;  // values built in one sample
};

// A value that fits `schema` in the usual cases: its example, default, const or first enum
// value when it has one; else objects with every property, arrays of one item, strings
// shaped by their format, numbers at their minimum. `$ref`s go through the document.
nlohmann::json sample_from_schema(const spec::OpenApiDocument& document, const nlohmann::json& schema,
                                  const SchemaSampleLimits& limits = {});

// The lowest 2xx the operation documents ("200" before "2XX"), else "default" as 200;
// with its JSON example or a sample of its schema, or no body when it declares none.
ApiResponse answer_from_spec(const spec::OpenApiDocument& document, const spec::Operation& operation);

// answer_from_spec, computed once per operation and then served from memory. Thread-safe.
class SpecFallback {
 public:
  // `document` must outlive this.
  explicit SpecFallback(const spec::OpenApiDocument& document) : document_(document) {}
  const spec::OpenApiDocument& document() const noexcept { return document_; }
  std::shared_ptr<const ApiResponse> answer(const spec::Operation& operation);

 private:
  const spec::OpenApiDocument& document_;
  std::mutex mutex_;
  std::unordered_map<const spec::Operation*, std::shared_ptr<const ApiResponse>> answers_;
};

}  // namespace pbxmock::mock
