#pragma once
// What an OpenApiDocument holds, on the heap so that the Operation and schema pointers
// handed out stay valid when the document moves. Shared by the loader, which fills it,
// and openapi_document.cpp, which answers from it.
#include <string>
#include <unordered_map>
#include <vector>

#include "spec/openapi.h"
#include "spec/router.h"
#include "spec/structured_document.h"

namespace pbxmock::spec {

struct OpenApiDocument::State {
  explicit State(StructuredDocument d) : doc(std::move(d)) {}

  StructuredDocument doc;
  std::string base_path;
  std::vector<Operation> operations;                     // never resized once loaded
  std::unordered_map<std::string, std::size_t> by_id;   // operationId -> index in operations
  Router router;                                         // routes to indexes in operations
};

}  // namespace pbxmock::spec
