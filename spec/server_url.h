#pragma once
// The base path the mock serves under, taken from an OpenAPI server URL.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

// The path of `url` without a trailing slash: "http://127.0.0.1:8887/api" and
// "{protocol}://{hostname}:{port}/api" give "/api"; "/" or no path gives "". Scheme and
// authority are dropped unread, so templated hosts need no variables. `{name}` in the path
// takes `variables[name].default` when it is a string (else it stays as written). A URL
// without "//" or a leading '/' ("api/v2") is taken as a path: "/api/v2". Query and
// fragment are dropped.
std::string base_path_of_server_url(std::string_view url, const nlohmann::json* variables = nullptr);

}  // namespace pbxmock::spec
