#pragma once
// Values that are valid by a schema, for positive cases: objects with their required
// properties (and some optional ones), strings within their lengths and in every format the
// validator knows (portsip-username and sip-domain as the project's parsers accept them),
// numbers within their bounds, enum and const members. A candidate is kept only when the
// schema validator accepts it, so a positive case is valid by the same rules the checks use.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/fuzzing/random.h"
#include "spec/openapi.h"
#include "spec/schema_validator.h"

namespace pbxmock::contracts::fuzzing {

// Values worth trying for a property of this name (a known tenant's domain, a user's name):
// taken half of the time when they are valid there, so positive cases also reach the 200s.
using Hints = std::map<std::string, std::vector<std::string>, std::less<>>;

// One string of a known format, valid by spec::check_format; nullopt for an unknown format.
std::optional<std::string> format_value(std::string_view format, Random& random, std::size_t max_length = 64);

class ValueGenerator {
 public:
  // `document` and `validator` must outlive the generator.
  ValueGenerator(const spec::OpenApiDocument& document, const spec::SchemaValidator& validator, const Hints& hints);

  // nullopt when no valid value was found in a few tries (a pattern we cannot meet, say).
  std::optional<nlohmann::json> valid(const nlohmann::json& schema, Random& random) const;

  // The schema with its $ref chain followed (nullptr when it does not resolve).
  const nlohmann::json* resolve(const nlohmann::json& schema) const;

 private:
  nlohmann::json generate(const nlohmann::json& schema, Random& random, int depth, std::string_view name) const;
  nlohmann::json generate_string(const nlohmann::json& schema, Random& random, std::string_view name) const;
  nlohmann::json generate_object(const nlohmann::json& schema, Random& random, int depth) const;

  const spec::OpenApiDocument& document_;
  const spec::SchemaValidator& validator_;
  const Hints& hints_;
};

// The object schema's properties and required names, allOf members merged in.
struct ObjectShape {
  std::vector<std::pair<std::string, const nlohmann::json*>> properties;
  std::vector<std::string> required;
  bool closed = false;  // additionalProperties: false
};
ObjectShape object_shape(const ValueGenerator& generator, const nlohmann::json& schema);

}  // namespace pbxmock::contracts::fuzzing
