#include "contracts/fuzzing/operation_name.h"

#include "spec/ascii.h"

namespace pbxmock::contracts::fuzzing {

std::string operation_name(const spec::Operation& operation) {
  return operation.operation_id.empty() ? operation.method + " " + operation.path_template : operation.operation_id;
}

const spec::Operation* find_operation_named(const spec::OpenApiDocument& document, std::string_view text) {
  if (const spec::Operation* found = document.find_operation(text)) return found;
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return nullptr;
  const std::string_view method = text.substr(0, space);
  std::string_view path = text.substr(space + 1);
  while (!path.empty() && path.front() == ' ') path.remove_prefix(1);
  const std::string& base = document.base_path();
  for (const spec::Operation& operation : document.operations()) {
    if (!spec::ascii::iequals(operation.method, method)) continue;
    if (path == operation.path_template || (!base.empty() && path == base + operation.path_template)) return &operation;
  }
  return nullptr;
}

}  // namespace pbxmock::contracts::fuzzing
