// Routing `METHOD /path` to an operation: precedence, 404 against 405, raw parameter values.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "spec/openapi.h"
#include "spec/path_template.h"

namespace {

using pbxmock::spec::OpenApiDocument;
using pbxmock::spec::RouteMiss;
using Params = std::vector<std::pair<std::string, std::string>>;

// A document with one operation per "METHOD /template", whose operationId is that very
// string, and every template parameter declared at path level.
OpenApiDocument routes(const std::vector<std::string>& operations) {
  std::map<std::string, std::vector<std::string>> by_path;
  std::vector<std::string> order;
  for (const auto& op : operations) {
    const std::string path = op.substr(op.find(' ') + 1);
    if (by_path.find(path) == by_path.end()) order.push_back(path);
    by_path[path].push_back(op.substr(0, op.find(' ')));
  }
  std::string yaml = operations.empty() ? "openapi: 3.1.0\npaths: {}\n" : "openapi: 3.1.0\npaths:\n";
  for (const auto& path : order) {
    yaml += "  '" + path + "':\n    parameters: [";
    const auto parsed = pbxmock::spec::parse_path_template(path);
    if (!parsed) ADD_FAILURE() << path << ": " << parsed.error().message;
    for (const auto& name : parsed.value().parameter_names()) yaml += "{name: '" + name + "', in: path},";
    yaml += "]\n";
    for (const auto& method : by_path[path]) {
      std::string lower = method;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      yaml += "    " + lower + ": {operationId: '" + method + " " + path + "', responses: {}}\n";
    }
  }
  auto loaded = pbxmock::spec::load_openapi(yaml, "routes.yaml");
  if (!loaded) ADD_FAILURE() << pbxmock::spec::to_string(loaded.error()) << "\n" << yaml;
  return std::move(loaded).value();
}

// "METHOD /template" of the operation a request goes to, or "404" / "405 GET,POST".
std::string where(const OpenApiDocument& doc, std::string_view method, std::string_view path) {
  const auto r = doc.route(method, path);
  if (r) return r->operation->operation_id;
  if (r.error().kind == RouteMiss::not_found) return "404";
  std::string out = "405 ";
  for (const auto& m : r.error().allowed_methods) out += m + ",";
  out.pop_back();
  return out;
}

Params params_of(const OpenApiDocument& doc, std::string_view method, std::string_view path) {
  const auto r = doc.route(method, path);
  return r ? r->path_params : Params{{"no", "match"}};
}

TEST(router, literal_segments_win_over_templates_whatever_the_order_written) {
  const auto doc = routes({"GET /users/{id}", "GET /users/me", "POST /auth/{x}", "POST /auth/sign_in"});
  EXPECT_EQ("GET /users/me", where(doc, "GET", "/users/me"));
  EXPECT_EQ("GET /users/{id}", where(doc, "GET", "/users/42"));
  EXPECT_EQ("POST /auth/sign_in", where(doc, "POST", "/auth/sign_in"));
  EXPECT_EQ("POST /auth/{x}", where(doc, "POST", "/auth/sign_out"));
}

TEST(router, a_literal_path_item_without_the_method_answers_405_not_the_template) {
  // Path first, then method (OpenAPI: concrete paths are matched before templated ones).
  const auto doc = routes({"GET /users/me", "DELETE /users/{id}"});
  EXPECT_EQ("405 GET", where(doc, "DELETE", "/users/me"));
  EXPECT_EQ("DELETE /users/{id}", where(doc, "DELETE", "/users/7"));
}

TEST(router, backtracks_when_the_literal_branch_dead_ends) {
  const auto doc = routes({"GET /a/b/c", "GET /a/{x}/d", "GET /users/{id}", "GET /users/me/settings"});
  EXPECT_EQ("GET /a/b/c", where(doc, "GET", "/a/b/c"));
  EXPECT_EQ("GET /a/{x}/d", where(doc, "GET", "/a/b/d"));
  EXPECT_EQ((Params{{"x", "b"}}), params_of(doc, "GET", "/a/b/d"));
  // "/users/me" alone has no operation: the template takes it.
  EXPECT_EQ("GET /users/{id}", where(doc, "GET", "/users/me"));
  EXPECT_EQ("GET /users/me/settings", where(doc, "GET", "/users/me/settings"));
  EXPECT_EQ("404", where(doc, "GET", "/users/7/settings"));
}

TEST(router, several_templates_give_their_values_in_order) {
  const auto doc = routes({"GET /tenants/{tenant_id}/users/{user_id}/devices/{device}"});
  EXPECT_EQ((Params{{"tenant_id", "t1"}, {"user_id", "1234567890"}, {"device", "abc"}}),
            params_of(doc, "GET", "/tenants/t1/users/1234567890/devices/abc"));
  EXPECT_EQ("404", where(doc, "GET", "/tenants/t1/users/1234567890/devices"));
  EXPECT_EQ("404", where(doc, "GET", "/tenants/t1/users/1234567890/devices/abc/more"));
}

TEST(router, same_shape_with_other_names_keeps_each_operations_names) {
  const auto doc = routes({"GET /files/{file_id}", "DELETE /files/{name}"});
  EXPECT_EQ((Params{{"file_id", "x"}}), params_of(doc, "GET", "/files/x"));
  EXPECT_EQ((Params{{"name", "x"}}), params_of(doc, "DELETE", "/files/x"));
  EXPECT_EQ("405 DELETE,GET", where(doc, "PUT", "/files/x"));
}

TEST(router, partial_segments_are_more_specific_than_whole_ones) {
  const auto doc = routes({"GET /files/{name}", "GET /files/{name}.json", "GET /files/report-{year}.json", "GET /files/list"});
  EXPECT_EQ("GET /files/{name}.json", where(doc, "GET", "/files/a.json"));
  EXPECT_EQ((Params{{"name", "a"}}), params_of(doc, "GET", "/files/a.json"));
  EXPECT_EQ("GET /files/report-{year}.json", where(doc, "GET", "/files/report-2024.json"));
  EXPECT_EQ((Params{{"year", "2024"}}), params_of(doc, "GET", "/files/report-2024.json"));
  EXPECT_EQ("GET /files/{name}", where(doc, "GET", "/files/a.txt"));
  // The parameter part must not be empty: ".json" alone is no file called "".
  EXPECT_EQ("GET /files/{name}", where(doc, "GET", "/files/.json"));
  EXPECT_EQ((Params{{"name", ".json"}}), params_of(doc, "GET", "/files/.json"));
  EXPECT_EQ("GET /files/list", where(doc, "GET", "/files/list"));
}

TEST(router, method_not_allowed_lists_the_methods_sorted) {
  const auto doc = routes({"POST /auth/sign_in", "PUT /items/{id}", "GET /items/{id}", "DELETE /items/{id}"});
  EXPECT_EQ("405 POST", where(doc, "GET", "/auth/sign_in"));
  EXPECT_EQ("405 DELETE,GET,PUT", where(doc, "PATCH", "/items/9"));
  // Methods are case-sensitive (RFC 9110): "get" is another method.
  EXPECT_EQ("405 DELETE,GET,PUT", where(doc, "get", "/items/9"));
}

TEST(router, unknown_paths_are_not_found) {
  const auto doc = routes({"GET /info", "GET /users/{id}", "GET /"});
  EXPECT_EQ("404", where(doc, "GET", "/nope"));
  EXPECT_EQ("404", where(doc, "GET", "/info/"));      // trailing slash: another path
  EXPECT_EQ("404", where(doc, "GET", "/users/"));     // an empty segment is no value
  EXPECT_EQ("404", where(doc, "GET", "//info"));
  EXPECT_EQ("404", where(doc, "GET", "info"));         // not a path
  EXPECT_EQ("404", where(doc, "GET", ""));
  EXPECT_EQ("404", where(doc, "GET", "/api/info"));    // route() takes the path after the base path
  EXPECT_EQ("404", where(doc, "GET", "/INFO"));        // byte for byte
  EXPECT_EQ("GET /", where(doc, "GET", "/"));
  EXPECT_EQ("GET /info", where(doc, "GET", "/info"));
}

TEST(router, percent_encoded_segments_stay_raw) {
  const auto doc = routes({"GET /users/{id}", "POST /auth/sign_in"});
  EXPECT_EQ((Params{{"id", "a%2Fb"}}), params_of(doc, "GET", "/users/a%2Fb"));
  EXPECT_EQ((Params{{"id", "%E2%82%AC%20x"}}), params_of(doc, "GET", "/users/%E2%82%AC%20x"));
  EXPECT_EQ("404", where(doc, "POST", "/auth/sign%5Fin"));  // literals are not decoded either
}

TEST(router, empty_document_routes_nothing) {
  const auto doc = routes({});
  EXPECT_EQ("404", where(doc, "GET", "/"));
}

TEST(path_template, splits_into_literal_and_parameter_segments) {
  const auto t = pbxmock::spec::parse_path_template("/files/{name}.json/raw");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(3u, t->segments.size());
  EXPECT_FALSE(t->segments[0].is_parameter);
  EXPECT_EQ("files", t->segments[0].prefix);
  EXPECT_TRUE(t->segments[1].is_parameter);
  EXPECT_EQ("", t->segments[1].prefix);
  EXPECT_EQ("name", t->segments[1].name);
  EXPECT_EQ(".json", t->segments[1].suffix);
  EXPECT_TRUE(t->segments[1].matches("x.json"));
  EXPECT_FALSE(t->segments[1].matches(".json"));
  EXPECT_FALSE(t->segments[1].matches("x.jso"));
  EXPECT_EQ(std::vector<std::string>{"name"}, t->parameter_names());
  const auto root = pbxmock::spec::parse_path_template("/");
  ASSERT_TRUE(root.ok());
  ASSERT_EQ(1u, root->segments.size());
  EXPECT_EQ("", root->segments[0].prefix);
}

TEST(path_template, refuses_more_segments_than_the_router_walks) {
  std::string deep;
  for (std::size_t i = 0; i < pbxmock::spec::kMaxTemplateSegments; ++i) deep += "/s";
  EXPECT_TRUE(pbxmock::spec::parse_path_template(deep).ok());
  const auto too_deep = pbxmock::spec::parse_path_template(deep + "/s");
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ("more than 64 segments", too_deep.error().message);
}

}  // namespace
