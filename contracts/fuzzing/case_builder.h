#pragma once
// Cases for one operation: positive ones (valid parameters and body) and negative ones, each
// breaking exactly one thing the validator can name (a missing required field, a wrong type,
// a string too long or too short, a broken format, a value outside the enum, an extra
// property where none is allowed, malformed JSON, the wrong content type, a body over the
// limit, a parameter of the wrong type), plus, for a secured operation, requests without a
// token or with a bogus one. A secured operation's other cases sign in first when the run
// knows how (the set-up steps of SessionPlan).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/random.h"
#include "contracts/fuzzing/value_generator.h"
#include "spec/openapi.h"
#include "spec/schema_validator.h"

namespace pbxmock::contracts::fuzzing {

struct SessionPlan {
  // Steps that end with ACCESS_TOKEN (and REFRESH_TOKEN) saved; empty when no way to sign in is known.
  std::vector<Step> sign_in;
};

struct BuildContext {
  const spec::OpenApiDocument& document;
  const ValueGenerator& generator;
  const spec::SchemaValidator& validator;
  const SessionPlan& session;
  std::size_t body_limit = 1 << 20;  // a body one byte over this is "over the limit"
};

class CaseBuilder {
 public:
  explicit CaseBuilder(const BuildContext& context) : context_(context) {}

  // Case number `example` of the operation: even numbers positive, odd ones negative (when the
  // operation has anything to break), every tenth a credentials case for a secured operation.
  FuzzCase build(const spec::Operation& operation, std::size_t example, Random& random) const;

  // A positive request for the operation; nullopt when no valid body could be generated.
  std::optional<RequestParts> positive(const spec::Operation& operation, Random& random) const;

  // `parts` broken in one way, and what was broken; nullopt when nothing could be broken.
  std::optional<std::string> break_one(const spec::Operation& operation, RequestParts& parts, Random& random) const;

  // Whether the parts are valid by the operation's parameters and body schema.
  bool valid(const spec::Operation& operation, const RequestParts& parts) const;

  // The sign-in steps a case of this operation starts with (none for a public one, or when the
  // run knows no way to sign in); `parts` gets the bearer token they save.
  std::vector<Step> signed_in(const spec::Operation& operation, RequestParts& parts) const;

 private:
  const BuildContext& context_;
};

// The base path joined to the operation's template.
std::string full_path(const spec::OpenApiDocument& document, const spec::Operation& operation);

}  // namespace pbxmock::contracts::fuzzing
