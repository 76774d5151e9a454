#pragma once
// The JSON Schema subset that OpenAPI 3.0 and 3.1 documents use, checked against a JSON
// instance. Independent of any OpenAPI model: schemas are plain nlohmann::json, and `$ref`s
// go through a resolver the caller supplies.
//
// Keywords: type (a name or a list; "integer" accepts 3 and 3.0; OpenAPI 3.0 `nullable: true`
// adds null to an explicit type), properties, patternProperties, additionalProperties,
// required, minProperties, maxProperties, items (a schema, or the old tuple list),
// prefixItems, minItems, maxItems, uniqueItems, minLength and maxLength (in Unicode code
// points), pattern (RE2's dialect, see spec/safe_regex.h; not anchored), minimum, maximum, exclusiveMinimum and
// exclusiveMaximum (3.1 numbers and 3.0 booleans), multipleOf, enum, const, allOf, anyOf,
// oneOf, not, $ref, readOnly / writeOnly by direction, and format (see spec/formats.h:
// date-time, email, uri, ipv4, ipv6, portsip-username, sip-domain; others are accepted).
// Boolean schemas work (`true` accepts, `false` rejects with rule "false"); unknown keywords,
// `discriminator`, keywords whose value has the wrong JSON type, and any schema that is neither
// an object nor a boolean are ignored, as are type names JSON Schema does not define.
//
// Semantics worth knowing:
// - `required`: the violation's pointer is the object, `limit` the missing name. A property
//   whose schema is readOnly (writeOnly) is not required in a request (response).
// - readOnly / writeOnly: a value whose schema says readOnly in a request (writeOnly in a
//   response) is one violation at that value; the value is not checked further.
// - 3.0 `exclusiveMinimum: true` with `minimum: 5` and 3.1 `exclusiveMinimum: 5` both report
//   rule "exclusiveMinimum" with limit 5 (same for the maximum).
// - `$ref` siblings are checked too (3.1 semantics). An unresolvable ref is a "$ref" violation.
// - Patterns are compiled once per validator (shared between threads) and matched with RE2
//   (spec/safe_regex.h) over UTF-8, so by code point, in time linear in the string: "(a+)+$"
//   costs no more than "a+$". A pattern RE2 refuses (backreferences, lookaround) is a
//   "pattern" violation; the OpenAPI loader refuses such a document before that can happen.
//   Strings over Limits::max_pattern_subject code points are a "pattern" violation, which
//   bounds the work one validate() call can do.
// - Violation messages never quote a string from the instance (it may be a password); they
//   may quote numbers and the schema's own values.
//
// validate() never throws, whatever the schema and the instance; it is const and safe to
// call from many threads at once.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

// readOnly properties are not allowed in a request, writeOnly ones not in a response.
enum class Direction { request, response };

struct Violation {
  std::string pointer;   // JSON Pointer of the offending value in the instance ("" = root, "/username")
  std::string rule;      // the keyword that broke: "type", "required", "maxLength", "format", ...
  nlohmann::json limit;  // the keyword's value where it helps (64, the required name, the format), else null
  std::string message;   // short human text: what was seen against what the rule wants
};

// Resolves a "$ref" string (e.g. "#/components/schemas/Error") to the schema it names, or nullptr.
using RefResolver = std::function<const nlohmann::json*(std::string_view ref)>;

// Bounds that keep a hostile schema or instance from exhausting the stack or the CPU. Each one
// reached is a violation (rules "$ref", "depth", "budget", "pattern"), never a crash.
struct ValidatorLimits {
  std::size_t max_ref_hops = 32;           // $refs followed in a row without entering a value
  std::size_t max_depth = 512;             // nested schema applications (stack depth)
  std::size_t max_steps = 4'000'000;       // schema applications per validate() call (a 1 MiB body
                                           // of small items needs about 1 million; an exponential
                                           // anyOf-of-$refs schema would need billions)
  std::size_t max_pattern_subject = 1024;  // code points of a string matched against a pattern
  std::size_t max_pattern_length = 4096;   // bytes of a pattern we agree to compile
};

class SchemaValidator {
 public:
  using Limits = ValidatorLimits;

  // Refs go through resolver; without one every "$ref" is a violation.
  explicit SchemaValidator(RefResolver resolver = {}, Limits limits = {});
  // Resolves local "#/..." refs inside document, which must outlive the validator.
  explicit SchemaValidator(const nlohmann::json& document, Limits limits = {});
  explicit SchemaValidator(nlohmann::json&& document, Limits limits = {}) = delete;  // would dangle

  // At most max_violations violations (0 means 1: the answer is never "valid" by truncation),
  // in the order the instance and the schema's keywords are walked. Empty: the instance is valid.
  std::vector<Violation> validate(const nlohmann::json& schema, const nlohmann::json& instance,
                                  Direction direction = Direction::request,
                                  std::size_t max_violations = 16) const noexcept;

  // Shorthand for validate(...).empty(), stopping at the first violation.
  bool is_valid(const nlohmann::json& schema, const nlohmann::json& instance,
                Direction direction = Direction::request) const noexcept;

  const Limits& limits() const noexcept { return limits_; }

  class PatternCache;  // compiled regexes, keyed by pattern text; shared by copies of the validator

 private:
  RefResolver resolver_;
  Limits limits_;
  std::shared_ptr<PatternCache> patterns_;
};

}  // namespace pbxmock::spec
