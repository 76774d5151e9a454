// RapidCheck properties of the schema validator: generated values validate against the
// schema they were generated from; one mutation that breaks one keyword is reported with
// that keyword at that pointer; arbitrary schemas and instances never throw and every
// reported pointer names a value of the instance.
//
// Replay a failure with RC_PARAMS="reproduce=..." as printed by the failing run.
#include "spec/schema_validator.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "schema_generators.h"

namespace {

using nlohmann::json;
using pbxmock::spec::Direction;
using pbxmock::spec::SchemaValidator;
using pbxmock::spec::Violation;
namespace sg = pbxmock::schema_gens;

std::string describe(const std::vector<Violation>& violations) {
  std::ostringstream out;
  for (const auto& v : violations) {
    out << "[" << v.pointer << "] " << v.rule << " " << v.limit.dump() << ": " << v.message << "\n";
  }
  return out.str();
}

// A generated schema with some subschemas moved behind $refs, and its document.
struct Case {
  json document = {{"components", {{"schemas", json::object()}}}};
  json schema;
  Direction direction = Direction::request;
};

Case genCase() {
  Case c;
  c.schema = sg::coin() ? sg::genObjectSchema(3) : sg::genSchema(3);
  int counter = 0;
  sg::extractRefs(c.schema, c.document, counter);
  c.direction = *rc::gen::element(Direction::request, Direction::response);
  RC_LOG() << "document: " << c.document.dump() << "\nschema: " << c.schema.dump() << "\ndirection: "
           << (c.direction == Direction::request ? "request" : "response") << "\n";
  return c;
}

RC_GTEST_PROP(schema_validator, generated_value_validates, ()) {
  const Case c = genCase();
  const SchemaValidator validator(c.document);
  const json value = sg::valueFor(c.schema, sg::Context{c.document, c.direction});
  RC_LOG() << "value: " << value.dump() << "\n";
  RC_CLASSIFY(!c.document["components"]["schemas"].empty(), "with $refs");
  RC_CLASSIFY(value.is_object() && value.size() > 2, "object of 3+ properties");
  const auto violations = validator.validate(c.schema, value, c.direction);
  RC_ASSERT(describe(violations) == "");
  RC_ASSERT(validator.is_valid(c.schema, value, c.direction));
}

RC_GTEST_PROP(schema_validator, one_mutation_breaks_one_keyword_at_its_pointer, ()) {
  const Case c = genCase();
  const SchemaValidator validator(c.document);
  const sg::Context context{c.document, c.direction};
  const json value = sg::valueFor(c.schema, context);
  const auto mutations = sg::mutationsOf(c.schema, value, context);
  RC_CLASSIFY(mutations.empty(), "no mutation applies");
  if (mutations.empty()) return;
  // Pick the rule first, so that the many "type" candidates do not crowd out the rest.
  std::vector<std::string> rules;
  for (const auto& m : mutations) {
    if (std::find(rules.begin(), rules.end(), m.rule) == rules.end()) rules.push_back(m.rule);
  }
  const std::string rule = *rc::gen::elementOf(rules);
  std::vector<sg::Mutation> of_rule;
  for (const auto& m : mutations) {
    if (m.rule == rule) of_rule.push_back(m);
  }
  const sg::Mutation mutation = *rc::gen::elementOf(of_rule);
  RC_TAG(mutation.rule);
  json mutated = value;
  mutated[json::json_pointer(mutation.where)] = mutation.replacement;
  RC_LOG() << "value: " << value.dump() << "\nmutation: " << mutation << "\nmutated: " << mutated.dump() << "\n";

  const auto violations = validator.validate(c.schema, mutated, c.direction);
  RC_LOG() << "violations:\n" << describe(violations);
  RC_ASSERT(violations.size() == 1u);
  RC_ASSERT(violations[0].pointer == mutation.pointer);
  RC_ASSERT(violations[0].rule == mutation.rule);
  if (!mutation.limit.is_null()) RC_ASSERT(violations[0].limit == mutation.limit);
  RC_ASSERT(!violations[0].message.empty());
  RC_ASSERT(!validator.is_valid(c.schema, mutated, c.direction));
}

RC_GTEST_PROP(schema_validator, never_throws_on_arbitrary_schemas_and_instances, ()) {
  const json schema = sg::genJunkSchema(4);
  const json instance = sg::genJunkJson(4);
  const auto direction = *rc::gen::element(Direction::request, Direction::response);
  const std::size_t max = *pbxmock::gens::uniform<std::size_t>(0, 20);
  RC_LOG() << "schema: " << schema.dump() << "\ninstance: " << instance.dump() << "\n";

  // Without a resolver, and with the schema as its own document so local refs resolve
  // (and may loop: "#", "#/items", ...). Small limits keep runaway schemas quick.
  SchemaValidator::Limits limits;
  limits.max_steps = 20000;
  const SchemaValidator plain;
  const SchemaValidator self_referencing(schema, limits);
  for (const SchemaValidator* validator : {&plain, &self_referencing}) {
    const auto violations = validator->validate(schema, instance, direction, max);
    RC_LOG() << "violations:\n" << describe(violations);
    RC_ASSERT(violations.size() <= std::max<std::size_t>(max, 1));
    RC_ASSERT(violations.empty() == validator->is_valid(schema, instance, direction));
    for (const auto& v : violations) {
      RC_ASSERT(!v.rule.empty());
      RC_ASSERT(!v.message.empty());
      RC_ASSERT(instance.contains(json::json_pointer(v.pointer)));
    }
  }
}

}  // namespace
