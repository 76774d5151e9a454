#pragma once
// The OpenAPI document a subcommand works against: the file given with --spec (or as
// `pbxmock spec FILE`), else the built-in spec/portsip-auth.yaml.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "spec/openapi.h"

namespace pbxmock::cli {

// The mock's own routes beside the API (the admin API and the stand-in identity provider):
// contract steps may call them, and no spec describes them.
inline const std::vector<std::string>& mock_own_path_prefixes() {
  static const std::vector<std::string> prefixes{"/__admin", "/__idp"};
  return prefixes;
}

class SpecChoice {
 public:
  // nullopt when FILE does not load; its problem has then gone to err as file:line:column.
  static std::optional<SpecChoice> make(const std::optional<std::string>& file, std::ostream& err);

  const spec::OpenApiDocument& document() const { return loaded_ ? *loaded_ : spec::builtin_spec(); }

 private:
  std::optional<spec::OpenApiDocument> loaded_;
};

}  // namespace pbxmock::cli
