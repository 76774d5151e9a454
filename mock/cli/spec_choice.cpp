#include "mock/cli/spec_choice.h"

#include <utility>

namespace pbxmock::cli {

std::optional<SpecChoice> SpecChoice::make(const std::optional<std::string>& file, std::ostream& err) {
  SpecChoice choice;
  if (!file) return choice;
  auto document = spec::load_openapi_file(*file);
  if (!document) {
    err << spec::to_string(document.error()) << '\n';
    return std::nullopt;
  }
  choice.loaded_.emplace(std::move(document).value());
  return choice;
}

}  // namespace pbxmock::cli
