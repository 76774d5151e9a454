// Our spec/portsip-auth.yaml against the vendor's 14-operation cut
// (../shared/portsip/openapi-22.0-auth.json): same operations, paths, parameters, required
// fields, types and length limits. Our document may add (examples, formats, error
// responses); it may not disagree. $refs are resolved on both sides before comparing.
// An operation marked `x-pbxmock-source` (the developer guide's token endpoint) is not in
// the vendor's document: it is checked against the guide's facts (AUTH-API.md part A).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "spec/openapi.h"
#include "support/shared_files.h"

namespace {

using nlohmann::json;
using pbxmock::spec::OpenApiDocument;
using pbxmock::spec::Operation;

const json& deref(const OpenApiDocument& doc, const json& schema) {
  const json* current = &schema;
  for (int hops = 0; hops < 32 && current->is_object() && current->contains("$ref"); ++hops) {
    const json* target = doc.resolve_ref(current->at("$ref").get<std::string>());
    if (target == nullptr) {
      ADD_FAILURE() << "unresolved " << current->at("$ref");
      break;
    }
    current = target;
  }
  return *current;
}

// An object schema with allOf merged: what a body must and may contain.
struct Shape {
  std::string type;
  std::set<std::string> required;
  std::map<std::string, const json*> properties;
};

void flatten(const OpenApiDocument& doc, const json& raw, Shape& out) {
  const json& schema = deref(doc, raw);
  if (!schema.is_object()) return;
  if (schema.contains("type")) out.type = schema.at("type").dump();
  if (schema.contains("required")) {
    for (const auto& name : schema.at("required")) out.required.insert(name.get<std::string>());
  }
  if (schema.contains("properties")) {
    for (const auto& [name, property] : schema.at("properties").items()) out.properties[name] = &deref(doc, property);
  }
  if (schema.contains("allOf")) {
    for (const auto& part : schema.at("allOf")) flatten(doc, part, out);
  }
}

std::string member(const json& schema, const char* key) { return schema.contains(key) ? schema.at(key).dump() : "-"; }

// The operations of our document that claim to come from the vendor's OpenAPI document.
std::vector<const Operation*> from_vendor_document(const OpenApiDocument& doc) {
  std::vector<const Operation*> out;
  for (const auto& op : doc.operations()) {
    const json* raw = pbxmock::spec::resolve_pointer(doc.root(), op.pointer);
    if (raw == nullptr || !raw->contains("x-pbxmock-source")) out.push_back(&op);
  }
  return out;
}

// name, in, required, type: one line per parameter, sorted.
std::set<std::string> parameters(const OpenApiDocument& doc, const Operation& op) {
  std::set<std::string> out;
  for (const auto& p : op.parameters) {
    const std::string type = p.schema ? member(deref(doc, *p.schema), "type") : "-";
    out.insert(p.name + " in " + p.in + (p.required ? " required " : " optional ") + type);
  }
  return out;
}

void expect_same_body(const OpenApiDocument& ours, const Operation& our_op, const OpenApiDocument& vendor,
                      const Operation& vendor_op) {
  const std::string where = vendor_op.operation_id + ": ";
  EXPECT_EQ(vendor_op.has_request_body, our_op.has_request_body) << where;
  EXPECT_EQ(vendor_op.request_body_required, our_op.request_body_required) << where;
  std::set<std::string> vendor_types, our_types;
  for (const auto& m : vendor_op.request_body) vendor_types.insert(m.content_type);
  for (const auto& m : our_op.request_body) our_types.insert(m.content_type);
  EXPECT_EQ(vendor_types, our_types) << where;
  for (const auto& vendor_media : vendor_op.request_body) {
    const auto ours_media = std::find_if(our_op.request_body.begin(), our_op.request_body.end(),
                                         [&](const auto& m) { return m.content_type == vendor_media.content_type; });
    if (ours_media == our_op.request_body.end() || !vendor_media.schema) continue;
    ASSERT_NE(nullptr, ours_media->schema) << where << vendor_media.content_type;
    Shape v, o;
    flatten(vendor, *vendor_media.schema, v);
    flatten(ours, *ours_media->schema, o);
    EXPECT_EQ(v.type, o.type) << where << "body type";
    EXPECT_EQ(v.required, o.required) << where << "required fields";
    std::set<std::string> v_names, o_names;
    for (const auto& p : v.properties) v_names.insert(p.first);
    for (const auto& p : o.properties) o_names.insert(p.first);
    EXPECT_EQ(v_names, o_names) << where << "body fields";
    for (const auto& [name, vendor_property] : v.properties) {
      const auto it = o.properties.find(name);
      if (it == o.properties.end()) continue;
      for (const char* key : {"type", "minLength", "maxLength"}) {
        EXPECT_EQ(member(*vendor_property, key), member(*it->second, key)) << where << name << " " << key;
      }
    }
  }
}

TEST(spec_conformance, our_fourteen_operations_agree_with_the_vendors) {
  const std::string path = pbxmock::test::shared_file("portsip/openapi-22.0-auth.json");
  ASSERT_TRUE(pbxmock::test::file_exists(path)) << pbxmock::test::missing_file_message(path);
  const auto loaded = pbxmock::spec::load_openapi_file(path);
  ASSERT_TRUE(loaded.ok()) << pbxmock::spec::to_string(loaded.error());
  const OpenApiDocument& vendor = loaded.value();
  const OpenApiDocument& ours = pbxmock::spec::builtin_spec();

  ASSERT_EQ(14u, vendor.operations().size());
  EXPECT_EQ(14u, from_vendor_document(ours).size());
  EXPECT_EQ(vendor.base_path(), ours.base_path());
  for (const auto& vendor_op : vendor.operations()) {
    SCOPED_TRACE(vendor_op.operation_id);
    const Operation* our_op = ours.find_operation(vendor_op.operation_id);
    ASSERT_NE(nullptr, our_op) << "missing in our spec";
    EXPECT_EQ(vendor_op.method, our_op->method);
    EXPECT_EQ(vendor_op.path_template, our_op->path_template);
    EXPECT_EQ(vendor_op.requires_auth, our_op->requires_auth);
    EXPECT_EQ(parameters(vendor, vendor_op), parameters(ours, *our_op));
    expect_same_body(ours, *our_op, vendor, vendor_op);
  }
}

TEST(spec_conformance, operations_come_in_the_vendors_order) {
  const std::string path = pbxmock::test::shared_file("portsip/openapi-22.0-auth.json");
  ASSERT_TRUE(pbxmock::test::file_exists(path)) << pbxmock::test::missing_file_message(path);
  const auto vendor = pbxmock::spec::load_openapi_file(path);
  ASSERT_TRUE(vendor.ok()) << pbxmock::spec::to_string(vendor.error());
  const auto ours = from_vendor_document(pbxmock::spec::builtin_spec());
  ASSERT_EQ(vendor->operations().size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(vendor->operations()[i].operation_id, ours[i]->operation_id) << i;
  }
}

// The facts of AUTH-API.md part A, "The developer guide's token endpoint".
TEST(spec_conformance, the_token_endpoint_follows_the_developer_guide) {
  const OpenApiDocument& ours = pbxmock::spec::builtin_spec();
  const Operation* op = ours.find_operation("requestOAuthToken");
  ASSERT_NE(nullptr, op);
  const json* raw = pbxmock::spec::resolve_pointer(ours.root(), op->pointer);
  ASSERT_NE(nullptr, raw);
  ASSERT_TRUE(raw->contains("x-pbxmock-source"));
  EXPECT_EQ("developer guide", raw->at("x-pbxmock-source").value("document", ""));

  EXPECT_EQ("POST", op->method);
  EXPECT_EQ("/login/oauth/token", op->path_template);
  EXPECT_FALSE(op->requires_auth);
  EXPECT_TRUE(op->parameters.empty());
  EXPECT_TRUE(op->request_body_required);
  ASSERT_EQ(1u, op->request_body.size());
  EXPECT_EQ("application/x-www-form-urlencoded", op->request_body[0].content_type);
  ASSERT_NE(nullptr, op->request_body[0].schema);
  Shape form;
  flatten(ours, *op->request_body[0].schema, form);
  std::set<std::string> fields;
  for (const auto& p : form.properties) fields.insert(p.first);
  EXPECT_EQ((std::set<std::string>{"grant_type", "username", "password", "domain", "scope", "refresh_token", "client_id",
                                   "clicent_id"}),
            fields);
  EXPECT_EQ(std::set<std::string>{"grant_type"}, form.required);
  EXPECT_EQ(json({"password", "refresh_token"}), form.properties.at("grant_type")->at("enum"));
  EXPECT_EQ(json({"all"}), form.properties.at("scope")->at("enum"));
  // The shared field rules of part A hold for the guide's fields too.
  EXPECT_EQ(64, form.properties.at("username")->value("maxLength", 0));
  EXPECT_EQ(280, form.properties.at("domain")->value("maxLength", 0));

  // Success: the token object the guide shows; failed authentication: 400.
  const auto* ok = op->find_response(200);
  ASSERT_NE(nullptr, ok);
  const json* body = pbxmock::spec::resolve_pointer(ours.root(), op->pointer + "/responses/200/content/application~1json/schema");
  ASSERT_NE(nullptr, body);
  Shape token;
  for (const auto& choice : deref(ours, *body).at("oneOf")) {
    Shape shape;
    flatten(ours, choice, shape);
    if (shape.properties.count("access_token") != 0) token = shape;
  }
  EXPECT_EQ((std::set<std::string>{"access_token", "expires_in", "refresh_token", "token_type"}), token.required);
  EXPECT_NE(nullptr, op->find_response(400));
}

TEST(spec_conformance, the_vendors_document_has_no_token_endpoint) {
  // Were the vendor to add it, it would have to be checked against the vendor's document instead.
  const std::string path = pbxmock::test::shared_file("portsip/openapi-22.0.json");
  ASSERT_TRUE(pbxmock::test::file_exists(path)) << pbxmock::test::missing_file_message(path);
  const auto vendor = pbxmock::spec::load_openapi_file(path);
  ASSERT_TRUE(vendor.ok()) << pbxmock::spec::to_string(vendor.error());
  EXPECT_FALSE(vendor->route("POST", "/login/oauth/token").ok());
}

}  // namespace
