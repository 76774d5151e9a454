// The vendor's own full document (../shared/portsip/openapi-22.0.json, read in place, never
// copied): it loads, and every one of its 567 operations routes back to itself.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "spec/openapi.h"
#include "spec/path_template.h"
#include "support/shared_files.h"

namespace {

using pbxmock::spec::OpenApiDocument;
using pbxmock::spec::Operation;
using pbxmock::spec::RouteMiss;

// Loaded once for the whole file: 2.8 MB is worth not parsing in every test.
const OpenApiDocument* vendor_document(const std::string& name, std::string& failure) {
  const std::string path = pbxmock::test::shared_file("portsip/" + name);
  if (!pbxmock::test::file_exists(path)) {
    failure = pbxmock::test::missing_file_message(path);
    return nullptr;
  }
  static std::map<std::string, OpenApiDocument> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto loaded = pbxmock::spec::load_openapi_file(path);
    if (!loaded) {
      failure = pbxmock::spec::to_string(loaded.error());
      return nullptr;
    }
    it = cache.emplace(name, std::move(loaded).value()).first;
  }
  return &it->second;
}

// The operation's own path with `sample` for every parameter ("{name}.json" -> "abc.json").
std::string sample_path(const Operation& op, const std::string& sample) {
  const auto parsed = pbxmock::spec::parse_path_template(op.path_template);
  std::string path;
  for (const auto& s : parsed.value().segments) path += "/" + s.prefix + (s.is_parameter ? sample + s.suffix : "");
  return path;
}

TEST(vendor_spec, full_document_loads_with_all_567_operations) {
  std::string failure;
  const OpenApiDocument* loaded = vendor_document("openapi-22.0.json", failure);
  ASSERT_NE(nullptr, loaded) << failure;
  const OpenApiDocument& doc = *loaded;
  EXPECT_EQ(567u, doc.operations().size());
  std::set<std::string> templates;
  std::set<std::string> ids;
  std::size_t secured = 0;
  for (const auto& op : doc.operations()) {
    templates.insert(op.path_template);
    ids.insert(op.operation_id);
    secured += op.requires_auth ? 1 : 0;
  }
  EXPECT_EQ(416u, templates.size());
  EXPECT_EQ(567u, ids.size());
  EXPECT_EQ(567u - 14u, secured);  // only the 14 with `security: []` are public
  EXPECT_EQ("/api", doc.base_path());
  // Document order, not key order: the file starts with GET /info and ends with /google.
  EXPECT_EQ("GET /info", doc.operations().front().method + " " + doc.operations().front().path_template);
  EXPECT_EQ("POST /google", doc.operations().back().method + " " + doc.operations().back().path_template);
}

TEST(vendor_spec, every_operation_routes_back_to_itself) {
  std::string failure;
  const OpenApiDocument* loaded = vendor_document("openapi-22.0.json", failure);
  ASSERT_NE(nullptr, loaded) << failure;
  const OpenApiDocument& doc = *loaded;
  for (const char* sample : {"1234567890", "abc"}) {
    for (const auto& op : doc.operations()) {
      const std::string path = sample_path(op, sample);
      const auto routed = doc.route(op.method, path);
      ASSERT_TRUE(routed.ok()) << op.method << " " << path;
      EXPECT_EQ(&op, routed->operation) << op.method << " " << path << " went to " << routed->operation->method << " "
                                        << routed->operation->path_template;
      for (const auto& [name, value] : routed->path_params) EXPECT_EQ(sample, value) << name;
    }
  }
}

TEST(vendor_spec, literal_siblings_of_templates_route_to_themselves) {
  std::string failure;
  const OpenApiDocument* loaded = vendor_document("openapi-22.0.json", failure);
  ASSERT_NE(nullptr, loaded) << failure;
  const OpenApiDocument& doc = *loaded;
  const auto invite = doc.route("POST", "/user/meetings/77/participants/invite");
  ASSERT_TRUE(invite.ok());
  EXPECT_EQ("/user/meetings/{id}/participants/invite", invite->operation->path_template);
  const auto participant = doc.route("POST", "/user/meetings/77/participants/88/mute");
  ASSERT_TRUE(participant.ok());
  EXPECT_EQ("/user/meetings/{id}/participants/{participant_id}/mute", participant->operation->path_template);
  EXPECT_EQ((std::vector<std::pair<std::string, std::string>>{{"id", "77"}, {"participant_id", "88"}}), participant->path_params);
}

TEST(vendor_spec, wrong_method_gives_the_allowed_list_and_unknown_paths_not_found) {
  std::string failure;
  const OpenApiDocument* loaded = vendor_document("openapi-22.0.json", failure);
  ASSERT_NE(nullptr, loaded) << failure;
  const OpenApiDocument& doc = *loaded;
  const auto sign_in = doc.route("GET", "/auth/sign_in");
  ASSERT_FALSE(sign_in.ok());
  EXPECT_EQ(RouteMiss::method_not_allowed, sign_in.error().kind);
  EXPECT_EQ(std::vector<std::string>{"POST"}, sign_in.error().allowed_methods);
  const auto login = doc.route("DELETE", "/login");
  ASSERT_FALSE(login.ok());
  EXPECT_EQ((std::vector<std::string>{"GET", "POST"}), login.error().allowed_methods);
  const auto unknown = doc.route("GET", "/no/such/thing");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(RouteMiss::not_found, unknown.error().kind);
  EXPECT_TRUE(unknown.error().allowed_methods.empty());
  EXPECT_FALSE(doc.route("GET", "/info/").ok());
}

TEST(vendor_spec, auth_cut_loads_with_14_operations) {
  std::string failure;
  const OpenApiDocument* loaded = vendor_document("openapi-22.0-auth.json", failure);
  ASSERT_NE(nullptr, loaded) << failure;
  const OpenApiDocument& doc = *loaded;
  EXPECT_EQ(14u, doc.operations().size());
  EXPECT_EQ("/api", doc.base_path());
  ASSERT_NE(nullptr, doc.find_operation("loginWithMicrosoft"));
  EXPECT_EQ("application/x-www-form-urlencoded", doc.find_operation("loginWithMicrosoft")->request_body.at(0).content_type);
}

}  // namespace
