#pragma once
// The ways CaseBuilder::break_one breaks a valid request, one function each. A mutator gets the
// valid request and the places in its body that can be broken, and returns the request broken
// in its one way and what it broke; nullopt when its kind does not apply (no field it can
// break, no body). It draws from `random` only when it applies, so the kinds tried before the
// one that applies leave the draws of the next as they were.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/random.h"
#include "contracts/fuzzing/value_generator.h"
#include "spec/openapi.h"
#include "spec/schema_validator.h"

namespace pbxmock::contracts::fuzzing {

// A place in the generated body that can be broken: a property value or an array item at any
// depth (pointer and its schema), or an object (its shape, for a missing or an extra property).
struct Site {
  std::string pointer;  // JSON Pointer in the body: "/address/zip", "/phones/0"
  const nlohmann::json* schema = nullptr;  // resolved
  bool object = false;
  ObjectShape shape;  // when object
};

// The sites of `body` by its schema, to every depth (the first items of each array).
std::vector<Site> collect_sites(const ValueGenerator& generator, const nlohmann::json& body, const nlohmann::json& schema);

// The schema's "type" when it is one string, else "".
std::string schema_type(const nlohmann::json* schema);

struct MutationInput {
  const spec::Operation& operation;
  const RequestParts& parts;  // the valid request
  const spec::MediaType* media;  // the body's media type the case uses (nullptr: none)
  const std::vector<Site>& sites;
  const ValueGenerator& generator;
  const spec::SchemaValidator& validator;
  std::size_t body_limit;
  Random& random;

  bool structured() const { return parts.encoding == BodyEncoding::json || parts.encoding == BodyEncoding::form; }
};

struct Mutation {
  RequestParts parts;
  std::string what;
  bool schema_break = true;  // judged by the validator afterwards: kept only when the schema refuses it
};

using Mutator = std::optional<Mutation> (*)(const MutationInput&);

struct MutatorEntry {
  std::string_view kind;
  Mutator mutate;
};

// Every kind, in the order a case's draws are made in (the order shuffled per case).
const std::vector<MutatorEntry>& mutators();

}  // namespace pbxmock::contracts::fuzzing
